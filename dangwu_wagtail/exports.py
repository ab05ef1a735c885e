"""Spreadsheet exports (CSV and XLSX) that a spreadsheet program cannot be tricked by.

Wagtail's ``SpreadsheetExportMixin`` writes XLSX cells as text; its CSV cells are written as
given, so a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
run as a formula when opened. ``SafeSpreadsheetExportMixin`` quotes them.
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

from .privacy import visible_items

#: A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet shows as text: a leading formula character is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: spreadsheet_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )


def catalog_export(catalog, request=None):
    """A column's catalog and its public live items, as JSON-ready data.

    Open data: asked as an anonymous reader, whoever asks, so it never holds an internal item.
    """
    from django.contrib.auth.models import AnonymousUser

    def absolute(url):
        return request.build_absolute_uri(url) if request is not None and url else url

    entries = list(catalog.entries.all())
    items = (
        visible_items(AnonymousUser(), catalog=catalog)
        .select_related("entry")
        .prefetch_related("attachments__document", "tags")
        .order_by("-formed_on", "-pk")
    )
    return {
        "organisation": catalog.organisation_name,
        "organisation_type": catalog.organisation_type,
        "title": catalog.title,
        "url": absolute(catalog.url),
        "catalog": [
            {
                "id": entry.pk,
                "number": entry.number,
                "category": entry.category,
                "subcategory": entry.subcategory,
                "title": entry.title,
                "channels": entry.channels,
                "scope": entry.scope,
                "timing": entry.timing,
                "period": entry.period,
            }
            for entry in entries
        ],
        "items": [
            {
                "id": item.pk,
                "title": item.title,
                "url": absolute(item.url),
                "entry": item.entry_id,
                "scope": item.scope,
                "formed_on": item.formed_on.isoformat(),
                "period_start": item.period_start and item.period_start.isoformat(),
                "period_end": item.period_end and item.period_end.isoformat(),
                "first_published_at": item.first_published_at
                and item.first_published_at.isoformat(),
                "last_published_at": item.last_published_at and item.last_published_at.isoformat(),
                "body": item.body,
                "tags": [tag.name for tag in item.tags.all()],
                "attachments": [
                    {"title": attachment.display_title, "url": absolute(attachment.document.url)}
                    for attachment in item.attachments.all()
                ],
            }
            for item in items
        ],
    }

"""Spreadsheet exports (CSV and XLSX) that open right in Excel on a Chinese Windows, and that a
spreadsheet program cannot be tricked by.

Wagtail's ``SpreadsheetExportMixin`` writes CSV cells as given, so a cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula when opened:
``SafeSpreadsheetExportMixin`` quotes them. It also writes what an office reads:

* a CSV in UTF-8 with a byte order mark, which Excel needs to read it as UTF-8 rather than
  the Windows code page (GBK);
* a choice's label (已答复, not ``answered``) and 是/否 for a yes-or-no value;
* times in the site's time zone (Wagtail's XLSX has them in UTC), dates as dates, and an
  empty cell for a missing value;
* a file name in the interface's language, sent as RFC 5987 ``filename*``.
"""

import datetime

from django.contrib.admin.utils import lookup_field
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import pgettext
from wagtail.admin.views.mixins import SpreadsheetExportMixin, list_to_str
from wagtail.coreutils import multigetattr

from .privacy import visible_items

#: A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The byte order mark that tells Excel a CSV file is UTF-8.
BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")


def spreadsheet_safe(value):
    """Text that a spreadsheet shows as text: a leading formula character is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_time(value):
    """An aware datetime as a naive one in the site's time zone: what a spreadsheet shows."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def yes_no(value):
    return pgettext("spreadsheet cell", "yes") if value else pgettext("spreadsheet cell", "no")


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    FORMAT_XLSX = SpreadsheetExportMixin.FORMAT_XLSX
    FORMAT_CSV = SpreadsheetExportMixin.FORMAT_CSV
    custom_value_preprocess = {
        datetime.datetime: {
            FORMAT_XLSX: lambda value: local_time(value).replace(microsecond=0),
            FORMAT_CSV: lambda value: f"{local_time(value):%Y-%m-%d %H:%M}",
        },
        datetime.date: {FORMAT_XLSX: None, FORMAT_CSV: lambda value: value.isoformat()},
        datetime.time: {FORMAT_XLSX: None, FORMAT_CSV: lambda value: f"{value:%H:%M}"},
        bool: {FORMAT_XLSX: yes_no, FORMAT_CSV: yes_no},
        list: {FORMAT_CSV: list_to_str, FORMAT_XLSX: list_to_str},
    }

    def to_row_dict(self, item):
        """The row, with each choice's label in place of its stored code, and a missing value
        (or ``False``, or 0) kept as it is: wagtail-modeladmin writes “-” for all three."""
        model_admin = getattr(self, "model_admin", None)
        row = {}
        for field in self.list_export:
            if model_admin is not None:
                value = lookup_field(field, item, model_admin)[2]
            else:
                value = multigetattr(item, field)
            display = getattr(item, f"get_{field}_display", None)
            if callable(display) and value not in (None, ""):
                value = str(display())
            row[field] = value
        return row

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_XLSX and value == "":
            return None  # an empty cell, not an empty text
        return "" if value is None and export_format == self.FORMAT_CSV else value

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: spreadsheet_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    def stream_csv(self, queryset):
        rows = super().stream_csv(queryset)
        yield BOM_BYTES + next(rows)
        yield from rows

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.get_filename()}.csv"
        )
        return response


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
        "organisation_code": catalog.organisation_code,
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
                "index_number": item.index_number,
                "document_number": item.document_number,
                "publisher": item.publisher or catalog.organisation_name,
                "validity": item.validity,
                "repealed_on": item.repealed_on and item.repealed_on.isoformat(),
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

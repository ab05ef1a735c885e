"""The item editor's form: the entries of the item's own catalog, the scope filled from the
entry, and what a public item may not embed or attach."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .catalog import Catalog
from .choices import Scope, Timing, Validity
from .deadlines import period_containing
from .entries import CatalogEntry, default_scope_for
from .placement import catalog_of


class DisclosureItemForm(WagtailAdminPageForm):
    """Offers only the entries of the item's own catalog, and fills the scope from the entry."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        catalog = catalog_of(parent_page)
        if "entry" in self.fields:
            if catalog is not None:
                self.fields["entry"].queryset = CatalogEntry.objects.filter(catalog=catalog)
            else:
                self.fields["entry"].queryset = CatalogEntry.objects.none()
        if "scope" in self.fields:
            self.fields["scope"].required = False
            self.fields["scope"].choices = [
                ("", _("As the entry says")),
                *Scope.choices,
            ]
        if "validity" in self.fields:
            # A form (or an API client) that leaves it out keeps the item in force.
            self.fields["validity"].required = False

    def clean_validity(self):
        return self.cleaned_data.get("validity") or Validity.IN_FORCE

    def clean(self):
        cleaned_data = super().clean()
        entry = cleaned_data.get("entry")
        if entry is not None:
            if not cleaned_data.get("scope"):
                cleaned_data["scope"] = default_scope_for(entry)
                self.instance.scope = cleaned_data["scope"]
            if cleaned_data["scope"] != Scope.PUBLIC and contains_images(cleaned_data.get("body")):
                self.add_error(
                    "body",
                    _(
                        "An internal item cannot show images: Wagtail serves images to anyone "
                        "who has their address. Attach the picture as a document instead; "
                        "documents of internal items are served to the school's members only."
                    ),
                )
            if cleaned_data["scope"] == Scope.PUBLIC:
                self.check_attachments_are_public()
            start, end = cleaned_data.get("period_start"), cleaned_data.get("period_end")
            if entry.timing == Timing.PERIODIC and not (start and end):
                self.add_error(
                    "period_start",
                    _("“%(entry)s” is disclosed periodically: give the period this item covers.")
                    % {"entry": entry},
                )
            elif entry.timing == Timing.PERIODIC and entry.period and start <= end:
                self.check_period_fits(entry, start, end)
        formed_on = cleaned_data.get("formed_on")
        if formed_on and formed_on > timezone.localdate() + datetime.timedelta(days=1):
            self.add_error(
                "formed_on",
                _("The information cannot be formed in the future: check the date."),
            )
        return cleaned_data

    def check_period_fits(self, entry, start, end):
        """A periodic entry's item covers one of the entry's periods: a year for a yearly
        entry, not a quarter."""
        if (start, end) != period_containing(entry.period, start):
            expected_start, expected_end = period_containing(entry.period, start)
            self.add_error(
                "period_end",
                _(
                    "“%(entry)s” is disclosed %(period)s: the period covered is one such "
                    "period, such as %(start)s – %(end)s."
                )
                % {
                    "entry": entry,
                    "period": entry.get_period_display().lower(),
                    "start": expected_start.isoformat(),
                    "end": expected_end.isoformat(),
                },
            )

    def check_attachments_are_public(self):
        """A public item may not show the title of a document kept for internal items."""
        attachments = self.formsets.get("attachments")
        if attachments is None or not attachments.is_valid():
            return
        internal_collections = set(
            Catalog.objects.exclude(internal_collection=None).values_list(
                "internal_collection_id", flat=True
            )
        )
        for form in attachments.forms:
            document = form.cleaned_data.get("document")
            if (
                document is not None
                and not form.cleaned_data.get("DELETE")
                and document.collection_id in internal_collections
            ):
                self.add_error(
                    None,
                    _("“%(document)s” is kept for internal items: a public item cannot attach it.")
                    % {"document": document.title},
                )


def contains_images(html):
    """Whether rich text ``html`` embeds a Wagtail image."""
    return bool(html) and 'embedtype="image"' in str(html)

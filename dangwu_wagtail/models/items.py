"""The ``DisclosureItem`` page (公开事项): one disclosed record under a catalog entry."""

import swapper
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from .catalog import Catalog, CatalogEntry
from .choices import Scope, Timing

Page = swapper.load_model("wagtailcore", "Page", require_ready=False)


class DisclosureItemForm(WagtailAdminPageForm):
    """Offers only the entries of the item's own catalog, and fills the scope from the entry."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        catalog = parent_page.specific if parent_page is not None else None
        if "entry" in self.fields:
            if isinstance(catalog, Catalog):
                self.fields["entry"].queryset = CatalogEntry.objects.filter(catalog=catalog)
            else:
                self.fields["entry"].queryset = CatalogEntry.objects.none()
        if "scope" in self.fields:
            self.fields["scope"].required = False
            self.fields["scope"].choices = [
                ("", _("As the entry says")),
                *Scope.choices,
            ]

    def clean(self):
        cleaned_data = super().clean()
        entry = cleaned_data.get("entry")
        if entry is not None:
            if not cleaned_data.get("scope"):
                cleaned_data["scope"] = default_scope_for(entry)
                self.instance.scope = cleaned_data["scope"]
            start, end = cleaned_data.get("period_start"), cleaned_data.get("period_end")
            if entry.timing == Timing.PERIODIC and not (start and end):
                self.add_error(
                    "period_start",
                    _("“%(entry)s” is disclosed periodically: give the period this item covers.")
                    % {"entry": entry},
                )
        return cleaned_data


def default_scope_for(entry):
    """An item takes its entry's scope; an entry that names none makes it internal."""
    return entry.scope or Scope.INTERNAL


class DisclosureItemTag(TaggedItemBase):
    content_object = ParentalKey(
        "dangwu_wagtail.DisclosureItem", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("disclosure item tag")
        verbose_name_plural = _("disclosure item tags")


class DisclosureItemMixin(models.Model):
    """Fields and behaviour of a disclosure item; ``DisclosureItem`` is the concrete page."""

    entry = models.ForeignKey(
        CatalogEntry,
        verbose_name=_("catalog entry"),
        on_delete=models.PROTECT,
        related_name="items",
        help_text=_("The entry of this column's catalog that the item is filed under."),
    )
    scope = models.CharField(
        verbose_name=_("scope"),
        max_length=10,
        choices=Scope.choices,
        blank=True,
        help_text=_("Leave empty to use the entry's scope."),
    )
    formed_on = models.DateField(
        verbose_name=_("date formed"),
        default=timezone.localdate,
        help_text=_("When the information was formed (信息形成日期), e.g. the meeting date."),
    )
    period_start = models.DateField(verbose_name=_("period start"), null=True, blank=True)
    period_end = models.DateField(
        verbose_name=_("period end"),
        null=True,
        blank=True,
        help_text=_("For periodic entries: the period this item covers."),
    )
    body = RichTextField(verbose_name=_("body"), blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.scope and self.entry_id is not None:
            self.scope = default_scope_for(self.entry)
        return super().save(*args, **kwargs)

    @property
    def is_public(self):
        return self.scope == Scope.PUBLIC

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        if bool(self.period_start) != bool(self.period_end):
            raise ValidationError(
                {"period_end": _("Give both the start and the end of the period, or neither.")}
            )

    def serve(self, request, *args, **kwargs):
        from ..privacy import can_view_item, login_redirect

        if not can_view_item(request.user, self):
            if not request.user.is_authenticated:
                return login_redirect(request)
            raise Http404
        return super().serve(request, *args, **kwargs)


class DisclosureItem(DisclosureItemMixin, Page):
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=DisclosureItemTag, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("entry"),
        FieldPanel("scope"),
        MultiFieldPanel(
            [
                FieldPanel("formed_on"),
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
            ],
            heading=_("Dates"),
        ),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("Attachments"), label=_("Attachment")),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("body"),
        index.FilterField("scope"),
    ]

    base_form_class = DisclosureItemForm
    parent_page_types = ["dangwu_wagtail.Catalog"]
    subpage_types = []
    template = "dangwu_wagtail/disclosure_item.html"

    class Meta:
        verbose_name = _("disclosure item")
        verbose_name_plural = _("disclosure items")


class DisclosureItemAttachment(Orderable):
    """A Wagtail document attached to a disclosure item."""

    item = ParentalKey(
        DisclosureItem,
        verbose_name=_("disclosure item"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(
        verbose_name=_("title"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to use the document's own title."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title

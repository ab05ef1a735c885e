"""The ``DisclosureItem`` page (公开事项): one disclosed record under a catalog entry."""

import datetime

import swapper
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField
from wagtail.models import Orderable, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..widgets import TypedDateInput
from .catalog import ITEM_ORDER, Catalog, CatalogEntry
from .choices import Scope, Timing
from .sections import InternalSection

Page = swapper.load_model("wagtailcore", "Page", require_ready=False)


def catalog_of(page):
    """The ``Catalog`` that ``page`` (a column, its internal section, or an item) belongs to."""
    if page is None:
        return None
    page = page.specific
    if isinstance(page, Catalog):
        return page
    if isinstance(page, InternalSection):
        return catalog_of(page.get_parent())
    if isinstance(page, DisclosureItemMixin):
        return page.entry.catalog
    return None


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
        from ..compliance import period_containing

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


class DisclosureItemQuerySet(PageQuerySet):
    """Disclosure items, with the reading rule (``access``) as querysets."""

    def visible_to(self, user, catalog=None):
        """The live items ``user`` may read on the site, optionally of one column only."""
        from .access import access_for

        items = self.live().filter(access_for(user).readable_items())
        if catalog is not None:
            items = items.filter(entry__in=CatalogEntry.objects.filter(catalog_id=catalog.pk))
        return items

    def in_admin_for(self, user):
        """The items, in any state, that the admin may show ``user``: those of the columns
        they work on (every item for superusers and supervisors)."""
        from .access import access_for

        return self.filter(access_for(user).admin_pages())


DisclosureItemManager = PageManager.from_queryset(DisclosureItemQuerySet)


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

    objects = DisclosureItemManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from ..placement import saving_in_place

        if not self.scope and self.entry_id is not None:
            self.scope = default_scope_for(self.entry)
        update_fields = kwargs.get("update_fields")
        if self.pk and self.live and (update_fields is None or "scope" in update_fields):
            # The row holds the live version: remember its scope for the audit log, and its
            # address for the frontend cache.
            before = (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values("live", "scope", "url_path")
                .first()
            )
            if before and before["live"]:
                self._dangwu_previous_live_scope = before["scope"]
                self._dangwu_previous_url_path = before["url_path"]
        # Wagtail's own channels (the API, sitemaps) rely on the internal section's view
        # restriction: a live internal item is always saved inside it.
        with saving_in_place(self, kwargs.get("update_fields")):
            result = super().save(*args, **kwargs)
        from ..caching import item_listing_changed

        # After the save and any move, in its transaction: a listing cached under the new
        # version always shows the saved item.
        item_listing_changed(self, update_fields)
        return result

    def search_words(self):
        """The title and body as Chinese words, for Wagtail's search index (``search``)."""
        from ..search import search_text

        return search_text(self.title, self.body)

    @property
    def is_public(self):
        return self.scope == Scope.PUBLIC

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.path else None
        if parent is not None and self.entry_id is not None:
            catalog = catalog_of(parent)
            if catalog is None or catalog.pk != self.entry.catalog_id:
                raise ValidationError(
                    {"entry": _("Choose an entry of the column this item is filed under.")}
                )
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        if bool(self.period_start) != bool(self.period_end):
            raise ValidationError(
                {"period_end": _("Give both the start and the end of the period, or neither.")}
            )

    @classmethod
    def get_indexed_objects(cls):
        # Only public items go into the search index: the host's stock search view searches
        # ``Page.objects.live()`` without ``.public()``, and a search backend cannot ask
        # the privacy module. Internal items are found by the column's own search.
        return super().get_indexed_objects().filter(scope=Scope.PUBLIC)

    def get_sitemap_urls(self, request=None):
        if self.scope != Scope.PUBLIC:
            return []
        return super().get_sitemap_urls(request=request)

    def permissions_for_user(self, user):
        from .permission_testers import ItemPermissionTester

        return ItemPermissionTester(user, self)

    def can_move_to(self, parent):
        from ..placement import placement_problem

        return placement_problem(self, parent) is None and super().can_move_to(parent)

    def save_revision(self, *args, **kwargs):
        from ..placement import protect_documents

        revision = super().save_revision(*args, **kwargs)
        # A draft of an internal item: its documents are kept away from outsiders at once.
        protect_documents(self)
        return revision

    def get_context(self, request, *args, **kwargs):
        from ..privacy import visible_items

        context = super().get_context(request, *args, **kwargs)
        siblings = visible_items(request.user).filter(entry_id=self.entry_id).defer("body")
        newer = Q(formed_on__gt=self.formed_on) | Q(formed_on=self.formed_on, pk__gt=self.pk)
        older = Q(formed_on__lt=self.formed_on) | Q(formed_on=self.formed_on, pk__lt=self.pk)
        context["newer_item"] = siblings.filter(newer).order_by("formed_on", "pk").first()
        context["older_item"] = siblings.filter(older).order_by(*ITEM_ORDER).first()
        catalog = self.entry.catalog
        if catalog.may_comment(request.user):
            context["feedback_url"] = f"{catalog.subpage_url('feedback')}?item={self.pk}"
        return context

    def serve(self, request, *args, **kwargs):
        from ..privacy import can_view_item, refuse

        if not can_view_item(request.user, self):
            return refuse(request)
        from ..caching import set_cache_headers

        response = super().serve(request, *args, **kwargs)
        if self.scope != Scope.PUBLIC:
            patch_cache_control(response, private=True, no_store=True)
        # A member's version links internal neighbours: only the anonymous one is shared.
        return set_cache_headers(request, response)


class DisclosureItem(DisclosureItemMixin, Page):
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=DisclosureItemTag, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("entry"),
        FieldPanel("scope"),
        MultiFieldPanel(
            [
                FieldPanel("formed_on", widget=TypedDateInput),
                FieldRowPanel(
                    [
                        FieldPanel("period_start", widget=TypedDateInput),
                        FieldPanel("period_end", widget=TypedDateInput),
                    ]
                ),
            ],
            heading=_("Dates"),
        ),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("Attachments"), label=_("Attachment")),
        FieldPanel("tags"),
    ]
    # Read by API v2 (public items only) and v3; written through v3's form, with the item's
    # own validation (DisclosureItemForm) and permission testers.
    api_fields = [
        APIField("entry", writable=True),
        APIField("scope", writable=True),
        APIField("formed_on", writable=True),
        APIField("period_start", writable=True),
        APIField("period_end", writable=True),
        APIField("body", writable=True),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("body"),
        index.SearchField("search_words"),
        index.FilterField("scope"),
    ]

    base_form_class = DisclosureItemForm
    parent_page_types = ["dangwu_wagtail.Catalog", "dangwu_wagtail.InternalSection"]
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

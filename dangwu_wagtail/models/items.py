"""The ``DisclosureItem`` page (公开事项): one disclosed record under a catalog entry."""

import swapper
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..widgets import TypedDateInput
from .access import access_for
from .choices import Scope, Validity
from .entries import CatalogEntry, default_scope_for
from .item_form import DisclosureItemForm, contains_images  # noqa: F401 (re-exported)
from .listing import item_listing_changed
from .metadata import new_index_number
from .permission_testers import ItemPermissionTester
from .placement import (  # noqa: F401 (catalog_of, re-exported)
    catalog_of,
    copy_problem,
    placement_problem,
    protect_documents,
    saving_in_place,
)

Page = swapper.load_model("wagtailcore", "Page", require_ready=False)


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
        items = self.live().filter(access_for(user).readable_items())
        if catalog is not None:
            items = items.filter(entry__in=CatalogEntry.objects.filter(catalog_id=catalog.pk))
        return items

    def in_admin_for(self, user):
        """The items, in any state, that the admin may show ``user``: those of the columns
        they work on (every item for superusers and supervisors)."""
        return self.filter(access_for(user).admin_pages())


DisclosureItemManager = PageManager.from_queryset(DisclosureItemQuerySet)


class DisclosureItemMixin(models.Model):
    """Fields and behaviour of a disclosure item; ``DisclosureItem`` is the concrete page."""

    #: The part of a column this page is (``access.catalog_page_models``).
    catalog_part = "item"

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
    index_number = models.CharField(
        verbose_name=_("index number"),
        max_length=60,
        blank=True,
        editable=False,
        help_text=_("索引号: given when the item is first published, and never changed."),
    )
    document_number = models.CharField(
        verbose_name=_("document number"),
        max_length=100,
        blank=True,
        help_text=_("文号 of the document disclosed, e.g. “X党发〔2026〕3号”, if it has one."),
    )
    publisher = models.CharField(
        verbose_name=_("publishing organisation"),
        max_length=100,
        blank=True,
        help_text=_("发布机构: leave empty for the column's organisation."),
    )
    validity = models.CharField(
        verbose_name=pgettext_lazy("validity of a document", "validity"),
        max_length=10,
        choices=Validity.choices,
        default=Validity.IN_FORCE,
        help_text=_("有效性: whether what this item discloses is still in force."),
    )
    repealed_on = models.DateField(
        verbose_name=_("repealed on"),
        null=True,
        blank=True,
        help_text=_("The date it stopped being in force."),
    )

    objects = DisclosureItemManager()

    #: A copy is another item: it gets its own index number when it is published.
    exclude_fields_in_copy = ["index_number"]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_default_scope()
        self.fill_default_publisher()
        if not (self.live and not self.index_number and self.entry_id is not None):
            return self._save_item(*args, **kwargs)
        # Given and saved in one transaction: the sequence's row stays locked until the item
        # has its number, and a save that fails gives the number back.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "index_number"}
        try:
            with transaction.atomic():
                self.index_number = new_index_number(self)
                return self._save_item(*args, **kwargs)
        except BaseException:
            self.index_number = ""
            raise

    def _save_item(self, *args, **kwargs):
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
        # After the save and any move, in its transaction: a listing cached under the new
        # version always shows the saved item.
        item_listing_changed(self, update_fields)
        return result

    def search_texts(self):
        """The title, the body (as text) and the attachments' text: what search finds."""
        return [self.title, self.body, *(a.text for a in self.attachments.all())]

    def search_words(self):
        """The searchable text as Chinese words, for Wagtail's search index (``search``)."""
        from ..search import search_text

        return search_text(*self.search_texts())

    def search_bigrams(self):
        """The searchable text as character pairs, for Wagtail's search index (``search``)."""
        from ..search import SEPARATOR, bigram_text

        # The title twice: it weighs as the title does in Wagtail's own field, whose one
        # token for a run of Chinese characters matches no word inside it.
        return f"{bigram_text(self.title)} {SEPARATOR} {bigram_text(*self.search_texts())}"

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
        if self.validity == Validity.REPEALED and not self.repealed_on:
            raise ValidationError(
                {"repealed_on": _("Give the date a repealed item stopped being in force.")}
            )
        if self.validity != Validity.REPEALED and self.repealed_on:
            raise ValidationError(
                {"repealed_on": _("Only a repealed item has a date it stopped being in force.")}
            )
        if self.repealed_on and self.repealed_on < self.formed_on:
            raise ValidationError(
                {"repealed_on": _("An item cannot be repealed before it was formed.")}
            )

    @classmethod
    def get_indexed_objects(cls):
        # The public index, which every search backend holds: public items only. The host's
        # stock search view searches ``Page.objects.live()`` without ``.public()``, and
        # Wagtail's backends cannot ask the privacy module.
        return super().get_indexed_objects().filter(scope=Scope.PUBLIC)

    @classmethod
    def get_admin_indexed_objects(cls):
        """The items the add-on's database backend indexes besides ``get_indexed_objects``:
        the internal ones (live or not), for the admin's page search. That backend returns
        them to their own schools' staff in the admin only (``models.item_search``)."""
        return super().get_indexed_objects().exclude(scope=Scope.PUBLIC)

    def get_sitemap_urls(self, request=None):
        if self.scope != Scope.PUBLIC:
            return []
        return super().get_sitemap_urls(request=request)

    def permissions_for_user(self, user):
        return ItemPermissionTester(user, self)

    def fill_default_publisher(self):
        """Give the item its column's organisation as its publisher unless it has one."""
        if not self.publisher and self.entry_id is not None:
            self.publisher = self.entry.catalog.organisation_name

    @property
    def is_in_force(self):
        return self.validity == Validity.IN_FORCE

    def with_content_json(self, content):
        # A revision saved before the first publish has no index number: the number belongs
        # to the item, not to one of its revisions.
        obj = super().with_content_json(content)
        obj.index_number = self.index_number
        return obj

    def fill_default_scope(self):
        """Give the item its entry's scope (``default_scope_for``) unless it has one."""
        if not self.scope and self.entry_id is not None:
            self.scope = default_scope_for(self.entry)

    def copy_problem(self, destination):
        """Why this item may not be copied under ``destination``, or ``None``
        (``placement.copy_problem``)."""
        return copy_problem(self, destination)

    def can_move_to(self, parent):
        return placement_problem(self, parent) is None and super().can_move_to(parent)

    def save_revision(self, *args, **kwargs):
        revision = super().save_revision(*args, **kwargs)
        # A draft of an internal item: its documents are kept away from outsiders at once.
        protect_documents(self)
        return revision

    # An item's page is served by ``dangwu_wagtail.views``, which imports the models: these
    # methods import it when called.

    def get_context(self, request, *args, **kwargs):
        from .. import views

        return views.item_context(self, request, super().get_context(request, *args, **kwargs))

    def serve(self, request, *args, **kwargs):
        from .. import views

        serve = super().serve
        return views.serve_item(self, request, lambda: serve(request, *args, **kwargs))


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
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("publisher")]),
                FieldRowPanel(
                    [
                        FieldPanel("validity"),
                        FieldPanel("repealed_on", widget=TypedDateInput),
                    ]
                ),
            ],
            heading=_("Document details"),
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
        APIField("index_number"),
        APIField("document_number", writable=True),
        APIField("publisher", writable=True),
        APIField("validity", writable=True),
        APIField("repealed_on", writable=True),
    ]
    # The body is indexed as text by ``search_bigrams`` and ``search_words``: as HTML, a
    # stock field would put the last word of one sentence next to the first of the next,
    # where a phrase could match across them. The character pairs come first: PostgreSQL
    # keeps word positions up to 16,383 only, and a phrase of pairs needs them.
    search_fields = Page.search_fields + [
        index.SearchField("search_bigrams"),
        index.AutocompleteField("search_bigrams"),
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
        constraints = [
            models.UniqueConstraint(
                fields=["index_number"],
                condition=~Q(index_number=""),
                name="dangwu_item_index_number",
            )
        ]

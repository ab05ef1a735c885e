"""Atom feeds of public items. Feeds are fetched by readers and aggregators that keep and share
what they get, so a feed never carries an internal item, whoever asks for it.

Each entry carries the item's catalog metadata: its publisher as the Atom author, and its
index number (索引号), document number (文号), validity (有效性) and the date it was repealed in
the add-on's own namespace (``METADATA_NAMESPACE``), which feed readers that don't know it skip.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .privacy import visible_items

#: The XML namespace of the items' catalog metadata in the feeds.
METADATA_NAMESPACE = "tag:dangwu-wagtail,2026:disclosure"


class DisclosureAtomFeed(Atom1Feed):
    """An Atom feed whose entries carry the items' catalog metadata."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:dangwu": METADATA_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, value in item.get("dangwu_metadata", ()):
            if value:
                handler.addQuickElement(f"dangwu:{name}", value)


class CatalogFeed(Feed):
    """The newest public items of one column."""

    feed_type = DisclosureAtomFeed
    limit = 50

    def __init__(self, catalog):
        super().__init__()
        self.catalog = catalog

    def title(self):
        return self.catalog.title

    def subtitle(self):
        return _("Public items of %(organisation)s") % {
            "organisation": self.catalog.organisation_name
        }

    def link(self):
        return self.catalog.url

    def items(self):
        # Asked as an anonymous reader, whoever is logged in.
        return (
            visible_items(AnonymousUser(), catalog=self.catalog)
            .select_related("entry__catalog")
            .order_by("-first_published_at", "-pk")[: self.limit]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return Truncator(strip_tags(item.body)).chars(300)

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.publisher or item.entry.catalog.organisation_name

    def item_extra_kwargs(self, item):
        return {
            "dangwu_metadata": [
                ("indexNumber", item.index_number),
                ("documentNumber", item.document_number),
                ("validity", item.validity),
                ("repealedOn", item.repealed_on and item.repealed_on.isoformat()),
            ]
        }


class EntryFeed(CatalogFeed):
    """The newest public items of one entry of a column's catalog."""

    def __init__(self, catalog, entry):
        super().__init__(catalog)
        self.entry = entry

    def title(self):
        return f"{self.catalog.title} · {self.entry}"

    def subtitle(self):
        return _("Public items of %(organisation)s under %(entry)s") % {
            "organisation": self.catalog.organisation_name,
            "entry": self.entry,
        }

    def link(self):
        return self.catalog.subpage_url("entry", self.entry.pk)

    def items(self):
        # Asked as an anonymous reader, whoever is logged in.
        return (
            visible_items(AnonymousUser(), catalog=self.catalog)
            .filter(entry=self.entry)
            .select_related("entry__catalog")
            .order_by("-first_published_at", "-pk")[: self.limit]
        )


class SiteFeed(CatalogFeed):
    """The newest public items of every column of the site (the district's feed)."""

    def __init__(self):
        super().__init__(catalog=None)

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        from django.conf import settings

        site_name = getattr(settings, "WAGTAIL_SITE_NAME", "")
        title = _("Party affairs disclosure: public items")
        return f"{site_name} · {title}" if site_name else title

    def subtitle(self):
        return _("The newest public items of every school's disclosure column")

    def link(self):
        return "/"

    def items(self):
        return (
            visible_items(AnonymousUser())
            .select_related("entry__catalog")
            .order_by("-first_published_at", "-pk")[: self.limit]
        )

"""Atom feeds of public items. Feeds are fetched by readers and aggregators that keep and share
what they get, so a feed never carries an internal item, whoever asks for it."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .privacy import visible_items


class CatalogFeed(Feed):
    """The newest public items of one column."""

    feed_type = Atom1Feed
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
        return visible_items(AnonymousUser(), catalog=self.catalog).order_by(
            "-first_published_at", "-pk"
        )[: self.limit]

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

    def item_author_name(self, item):
        return item.entry.catalog.organisation_name

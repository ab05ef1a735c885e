"""A column's own pages, as routes of its page (``RoutablePageMixin``): the entries, the guide,
the archive, the search, the request and opinion forms, the statistics, following, the feeds
and the export. They are served by ``dangwu_wagtail.views``, which imports the models: these
methods import it when called, as Wagtail's ``FormPage`` dispatches to its views."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

ITEM_ORDER = ("-formed_on", "-pk")


def latest_per_entry(items, count):
    """The ``count`` newest of ``items`` under each entry, in one query."""
    ranked = items.defer("body").annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("entry_id")],
            order_by=[F("formed_on").desc(), F("pk").desc()],
        )
    )
    return ranked.filter(rank__lte=count).order_by("entry_id", *ITEM_ORDER)


class CatalogRoutes(RoutablePageMixin):
    """The routes of ``CatalogMixin``."""

    # The column's pages are served by ``dangwu_wagtail.views``, which imports the models:
    # these methods import it when called.

    def get_base_context(self, request, *args, **kwargs):
        """The context every page of the column starts from: the page and its links."""
        context = super().get_context(request, *args, **kwargs)
        context["search_url"] = self.subpage_url("search")
        context["feed_url"] = self.subpage_url("feed")
        context["export_url"] = self.subpage_url("export")
        context["request_url"] = self.subpage_url("request")
        context["statistics_url"] = self.subpage_url("statistics")
        context["feedback_url"] = self.subpage_url("feedback")
        context["mine_url"] = self.subpage_url("mine")
        context["guide_url"] = self.subpage_url("guide")
        context["archive_url"] = self.subpage_url("archive")
        context["may_comment"] = self.may_comment(request.user)
        return context

    def get_context(self, request, *args, **kwargs):
        from .. import views

        return views.catalog_context(self, request, self.get_base_context(request, *args, **kwargs))

    def listed_entries(self, user):
        """The catalog's entries, each with the newest items ``user`` may see
        (``visible_items``), their number (``visible_count``) and, when there are more than
        shown, the address of the entry's page (``more_url``)."""
        from .. import views

        return views.listed_entries(self, user)

    def serve(self, request, *args, **kwargs):
        from .. import views

        return views.serve_catalog(request, super().serve(request, *args, **kwargs), self)

    def render_items(self, request, template, items, **context):
        """Render ``template`` with a page of ``items`` (the reader's, newest first)."""
        from .. import views

        return views.render_items(self, request, template, items, **context)

    @path("entry/<int:entry_id>/", name="entry")
    def entry_view(self, request, entry_id):
        """All the items of one entry that the reader may see, a page at a time."""
        from .. import views

        return views.catalog_entry(self, request, entry_id)

    @path("entry/<int:entry_id>/feed/", name="entry_feed")
    def entry_feed_view(self, request, entry_id):
        """An Atom feed of one entry's public items: feeds are read and kept by anyone."""
        from .. import views

        return views.entry_feed(self, request, entry_id)

    @path("guide/", name="guide")
    def guide_view(self, request):
        """The column's disclosure guide (公开指南), generated from the column; printable."""
        from .. import views

        return views.catalog_guide(self, request)

    @path("archive/", name="archive")
    @path("archive/<int:year>/", name="archive_year")
    def archive_view(self, request, year=None):
        """The items the reader may see, by the year they were formed."""
        from .. import views

        return views.catalog_archive(self, request, year)

    @path("search/", name="search")
    def search_view(self, request):
        """Search the items of this column that the reader may see."""
        from .. import views

        return views.catalog_search(self, request)

    @path("request/", name="request")
    def request_view(self, request):
        """Ask for information that is not in the catalog (依申请公开)."""
        from .. import views

        return views.request_form_view(self, request)

    @path("request/<uuid:token>/", name="request_status")
    def request_status_view(self, request, token):
        """A request's status and answer, for the one who asked."""
        from .. import views

        return views.request_status_view(self, request, token)

    @path("statistics/", name="statistics")
    def statistics_view(self, request):
        """The column's requests in a year, counted as disclosure annual reports count them."""
        from .. import views

        return views.catalog_statistics(self, request)

    @path("follow/", name="follow")
    def follow_view(self, request):
        """Follow the column or one of its entries, or stop following it."""
        from .. import views

        return views.follow_view(self, request)

    @path("unfollow/<uuid:token>/", name="unfollow")
    def unfollow_view(self, request, token):
        """Stop a follow from the link in its emails."""
        from .. import views

        return views.unfollow_view(self, request, token)

    @path("feedback/", name="feedback")
    def feedback_view(self, request):
        """A member's opinion or suggestion on an item or on the column (意见和建议)."""
        from .. import views

        return views.feedback_view(self, request)

    @path("mine/", name="mine")
    def mine_view(self, request):
        """The reader's own requests and opinions, with the answers."""
        from .. import views

        return views.mine_view(self, request)

    @path("export/", name="export")
    def export_view(self, request):
        """The column's catalog and public items as JSON (open data): the same for everyone."""
        from .. import views

        return views.catalog_export_view(self, request)

    @path("feed/", name="feed")
    def feed_view(self, request):
        """An Atom feed of the column's public items: feeds are read and kept by anyone."""
        from .. import views

        return views.catalog_feed(self, request)

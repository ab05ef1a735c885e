"""The readers' pages of a column and of its items: what ``Catalog`` and ``DisclosureItem``
serve, and what their routes answer.

The pages dispatch here, as Wagtail's ``FormPage`` does to its views: the models stay below
the privacy and caching rules, which these views ask.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractYear
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject

from .caching import keep_for_anonymous, listing_cache_key, set_cache_headers
from .conf import dangwu_settings
from .exports import catalog_export
from .feeds import CatalogFeed, EntryFeed
from .inputs import search_words
from .models import CatalogEntry, Channel, Scope
from .models.catalog_routes import ITEM_ORDER, latest_per_entry
from .models.deadlines import request_extension, request_limit
from .models.item_search import search_items
from .participation import (
    feedback_view,
    follow_view,
    mine_view,
    request_form_view,
    request_status_view,
    unfollow_view,
)
from .privacy import can_read_internal, can_view_item, refuse, visible_items
from .reports import request_statistics
from .search import search_snippet

__all__ = [
    "catalog_archive",
    "catalog_context",
    "catalog_entry",
    "catalog_export_view",
    "catalog_feed",
    "catalog_guide",
    "catalog_search",
    "catalog_statistics",
    "district_statistics",
    "entry_feed",
    "feedback_view",
    "follow_view",
    "group_entries",
    "item_context",
    "listed_entries",
    "mine_view",
    "render_items",
    "request_form_view",
    "request_status_view",
    "serve_catalog",
    "serve_item",
    "unfollow_view",
]


# The column ------------------------------------------------------------------------------


def catalog_context(catalog, request, context):
    """The column page's context: ``context`` (the page's base context) with the listing."""
    # The template caches the listing under this key (``{% wagtailcache %}``): on a hit,
    # the lazy entries below are never evaluated and the listing costs no query.
    key = listing_cache_key(request, catalog)
    context["listing_cache_key"] = key
    # No key, no caching: a timeout of 0 stores nothing.
    context["listing_cache_seconds"] = dangwu_settings.LISTING_CACHE_SECONDS if key else 0
    entries = SimpleLazyObject(lambda: catalog.listed_entries(request.user))
    context["entries"] = entries
    context["categories"] = SimpleLazyObject(lambda: group_entries(entries))
    context["latest_items"] = SimpleLazyObject(lambda: latest_items(catalog, request.user))
    context["last_updated"] = SimpleLazyObject(lambda: last_updated(catalog, entries))
    # Part of the listing's key already (its audience): what an empty entry says.
    context["reads_internal"] = SimpleLazyObject(lambda: can_read_internal(request.user, catalog))
    return context


def latest_items(catalog, user):
    """The newest items of ``catalog`` that ``user`` may see, newest published first
    (``Catalog.latest_count`` of them)."""
    items = visible_items(user, catalog=catalog).select_related("entry").defer("body")
    return list(items.order_by("-first_published_at", "-pk")[: catalog.latest_count])


def last_updated(catalog, entries):
    """When what the reader sees of ``catalog`` last changed: its own last publish, or the
    last publish of an item they may see (``listed_entries`` gives each entry's)."""
    dates = [entry.last_published_at for entry in entries if entry.last_published_at]
    if catalog.last_published_at:
        dates.append(catalog.last_published_at)
    return max(dates, default=None)


def listed_entries(catalog, user):
    """``catalog``'s entries, each with the newest items ``user`` may see
    (``visible_items``), their number (``visible_count``) and, when there are more than
    shown, the address of the entry's page (``more_url``)."""
    items = visible_items(user, catalog=catalog)
    counts = {
        entry_id: (count, published)
        for entry_id, count, published in items.order_by()
        .values_list("entry_id")
        .annotate(count=Count("pk"), published=Max("last_published_at"))
        .values_list("entry_id", "count", "published")
    }
    latest = {}
    for item in latest_per_entry(items, catalog.items_per_entry):
        latest.setdefault(item.entry_id, []).append(item)
    entries = list(catalog.entries.all())
    for entry in entries:
        entry.visible_items = latest.get(entry.pk, [])
        entry.visible_count, entry.last_published_at = counts.get(entry.pk, (0, None))
        entry.url = catalog.subpage_url("entry", entry.pk)
        entry.more_url = entry.url if entry.visible_count > len(entry.visible_items) else None
    return entries


def group_entries(entries):
    """Nest ordered entries as ``[(category, [(subcategory, [entry, ...]), ...]), ...]``.

    Consecutive entries with the same category (and subcategory) share one heading, as in
    the district plan's tables.
    """
    categories = []
    for entry in entries:
        if not categories or categories[-1][0] != entry.category:
            categories.append((entry.category, []))
        subcategories = categories[-1][1]
        if not subcategories or subcategories[-1][0] != entry.subcategory:
            subcategories.append((entry.subcategory, []))
        subcategories[-1][1].append(entry)
    return categories


#: The column's routes whose anonymous pages the page cache may keep: those that show what
#: the column lists, and change only when its ``ListingVersion`` does. Not the forms, nor a
#: requester's own status page.
READER_ROUTES = {"index_route", "entry", "search"}


def serve_catalog(request, response, catalog=None):
    """``response`` of one of the column's pages, with its caching headers."""
    if getattr(response, "same_for_everyone", False):
        return response  # open data: the feed, the export
    # Readers see different lists: a shared cache keeps only the anonymous one.
    set_cache_headers(request, response)
    route = getattr(getattr(request, "routable_resolver_match", None), "url_name", None)
    if catalog is not None and route in READER_ROUTES:
        keep_for_anonymous(request, response, catalog.pk)
    return response


def render_items(catalog, request, template, items, **context):
    """Render ``template`` with a page of ``items`` (the reader's, newest first)."""
    page = None
    if items is not None:
        page = Paginator(
            items.order_by(*ITEM_ORDER).defer("body"), catalog.items_per_page
        ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, template, {**catalog.get_base_context(request), **context, "items_page": page}
    )


def catalog_entry(catalog, request, entry_id):
    """All the items of one entry that the reader may see, a page at a time."""
    entry = get_object_or_404(catalog.entries, pk=entry_id)
    items = visible_items(request.user, catalog=catalog).filter(entry=entry)
    return catalog.render_items(
        request,
        "dangwu_wagtail/catalog_entry.html",
        items,
        entry=entry,
        entry_feed_url=catalog.subpage_url("entry_feed", entry.pk),
        reads_internal=can_read_internal(request.user, catalog),
    )


def entry_feed(catalog, request, entry_id):
    """An Atom feed of one entry's public items: feeds are read and kept by anyone."""
    entry = get_object_or_404(catalog.entries, pk=entry_id)
    return EntryFeed(catalog, entry)(request)


def catalog_guide(catalog, request):
    """The column's disclosure guide (公开指南): its catalog with each entry's scope,
    channels and timing, how to ask for more and the terms of an answer, where and when to
    come, whom to call. Generated from the column (no item is named), with the school's own
    words around it."""
    entries = list(catalog.entries.all())
    used = {channel for entry in entries for channel in entry.channels}
    context = {
        **catalog.get_base_context(request),
        "categories": group_entries(entries),
        "channels": [channel for channel in Channel if channel.value in used],
        "request_days": request_limit(),
        "extension_days": request_extension(),
    }
    return TemplateResponse(request, "dangwu_wagtail/catalog_guide.html", context)


def catalog_archive(catalog, request, year=None):
    """The items of ``catalog`` the reader may see that were formed in ``year`` (the newest
    year with any when none is given), a page at a time, with a link to each year that has
    some."""
    items = visible_items(request.user, catalog=catalog)
    years = list(
        items.order_by()
        .annotate(year=ExtractYear("formed_on"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    if year is None:
        year = years[0] if years else None
    elif year not in years:
        # A year without any item the reader may see: the same answer whether it has
        # items others may see or none at all.
        raise Http404
    if year is not None:
        items = items.filter(formed_on__year=year)
    else:
        items = None
    return catalog.render_items(
        request,
        "dangwu_wagtail/catalog_archive.html",
        items,
        year=year,
        years=[(y, catalog.subpage_url("archive_year", y)) for y in years],
    )


def catalog_search(catalog, request):
    """Search the items of ``catalog`` that the reader may see: every word of the query, best
    first, each with a snippet of where its words are."""
    query = search_words(request.GET.get("q"))
    if not query:
        return catalog.render_items(request, "dangwu_wagtail/catalog_search.html", None)
    items = search_items(visible_items(request.user, catalog=catalog), query)
    page = Paginator(
        items.prefetch_related("attachments__document"), catalog.items_per_page
    ).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.search_snippet = search_snippet(item, query)
    return TemplateResponse(
        request,
        "dangwu_wagtail/catalog_search.html",
        {**catalog.get_base_context(request), "items_page": page, "query": query},
    )


def catalog_export_view(catalog, request):
    """The column's catalog and public items as JSON (open data): the same for everyone."""
    response = JsonResponse(
        catalog_export(catalog, request), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    patch_cache_control(response, public=True, max_age=300)
    response.same_for_everyone = True
    return response


def catalog_feed(catalog, request):
    """An Atom feed of the column's public items: feeds are read and kept by anyone."""
    return CatalogFeed(catalog)(request)


# Statistics of requests -----------------------------------------------------------------


def statistics_years(requests):
    """The years a statistics page offers: from the first request received to this year."""
    from django.db.models import Min
    from django.utils import timezone

    this_year = timezone.localdate().year
    first = requests.aggregate(first=Min("received_at"))["first"]
    first_year = timezone.localtime(first).year if first is not None else this_year
    return list(range(this_year, min(first_year, this_year) - 1, -1))


def statistics_year(request, years):
    """The year asked for in ``?year=`` (this year when none is), and an error when what was
    asked for is not one of ``years``."""
    from django.utils.translation import gettext

    asked = request.GET.get("year")
    if asked in (None, ""):
        return years[0], None
    if asked.isascii() and asked.isdigit() and int(asked) in years:
        return int(asked), None
    return years[0], gettext("There are statistics for the years %(first)s to %(last)s.") % {
        "first": years[-1],
        "last": years[0],
    }


def statistics_response(request, template, context, requests):
    years = statistics_years(requests)
    year, error = statistics_year(request, years)
    context.update(
        {
            "years": years,
            "year": year,
            "year_error": error,
            # This year's statistics are the page's own address; another year's, with it.
            "canonical_year": year if year != years[0] else None,
            "statistics": request_statistics(year, context.get("statistics_catalogs")),
        }
    )
    response = TemplateResponse(request, template, context, status=400 if error else 200)
    # Counts of requests only, the same for every reader.
    patch_cache_control(response, public=True, max_age=300)
    response.same_for_everyone = True
    return response


def catalog_statistics(catalog, request):
    """The column's requests in a year, as disclosure annual reports count them."""
    from .models import DisclosureRequest

    context = {**catalog.get_base_context(request), "statistics_catalogs": [catalog.pk]}
    return statistics_response(
        request,
        "dangwu_wagtail/statistics.html",
        context,
        DisclosureRequest.objects.filter(catalog=catalog),
    )


def district_statistics(request):
    """Every column's requests in a year, added up, for the district (a public page)."""
    from .models import DisclosureRequest

    return statistics_response(
        request,
        "dangwu_wagtail/district_statistics.html",
        {"statistics_catalogs": None},
        DisclosureRequest.objects.all(),
    )


# An item ---------------------------------------------------------------------------------


def item_context(item, request, context):
    """An item page's context: ``context`` with its neighbours the reader may see, and where
    to send an opinion on it."""
    catalog = item.entry.catalog
    # The template caches the item's notice under this key, as the column's page its listing:
    # on a hit, the lazy neighbours below are never asked for.
    key = listing_cache_key(request, catalog, item)
    context["item_cache_key"] = key
    context["listing_cache_seconds"] = dangwu_settings.LISTING_CACHE_SECONDS if key else 0
    siblings = visible_items(request.user).filter(entry_id=item.entry_id).defer("body")
    newer = Q(formed_on__gt=item.formed_on) | Q(formed_on=item.formed_on, pk__gt=item.pk)
    older = Q(formed_on__lt=item.formed_on) | Q(formed_on=item.formed_on, pk__lt=item.pk)
    context["newer_item"] = SimpleLazyObject(
        lambda: siblings.filter(newer).order_by("formed_on", "pk").first()
    )
    context["older_item"] = SimpleLazyObject(
        lambda: siblings.filter(older).order_by(*ITEM_ORDER).first()
    )
    if catalog.may_comment(request.user):
        context["feedback_url"] = f"{catalog.subpage_url('feedback')}?item={item.pk}"
    return context


def serve_item(item, request, serve):
    """Serve ``item`` with ``serve`` (Wagtail's own) to a reader who may see it, with its
    caching headers; refuse anyone else."""
    if item.entry_id is not None:
        # The check and the page read the entry and its column: one query for both.
        item.entry = CatalogEntry.objects.select_related("catalog").get(pk=item.entry_id)
    if not can_view_item(request.user, item):
        return refuse(request)
    response = serve()
    if item.scope != Scope.PUBLIC:
        patch_cache_control(response, private=True, no_store=True)
    # A member's version links internal neighbours: only the anonymous one is shared.
    set_cache_headers(request, response)
    if item.scope == Scope.PUBLIC:
        keep_for_anonymous(request, response, item.entry.catalog_id)
    return response

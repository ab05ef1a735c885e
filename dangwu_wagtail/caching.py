"""HTTP caching that is safe with privacy.

* What an anonymous reader gets of a column and its items is the same for every anonymous
  reader: it may be kept by shared caches (a CDN, Varnish, Wagtail's frontend cache) for
  ``ANONYMOUS_CACHE_SECONDS``, and ``Vary: Cookie`` keeps it apart from logged-in readers'.
* What a logged-in reader gets is never stored by a shared cache (``private, no-store``):
  a member's page lists internal items.
* When an item is published, unpublished or changes scope, the addresses whose anonymous
  version it changes are purged from the frontend cache, if the site uses Wagtail's
  ``wagtail.contrib.frontend_cache``: the item (at its old address too, when it moved between
  the column and its internal section), its column, its entry's page and feed, the column's
  archive (and the page of the item's year), its feed and export, and the site's feed.
* The column's page keeps its catalog listing (the entries with the newest items a reader may
  see) in Django's cache for ``LISTING_CACHE_SECONDS``, under a key that names the column's
  ``ListingVersion``, the audience (public, or the school's insiders), the language and the
  column's address. Whatever changes a listing gives it a new version in the same
  transaction, so no server serves a listing older than the database, whatever its cache.
* With ``PageCacheMiddleware`` installed, whole anonymous responses of a column's pages and
  of its public items are kept in Django's cache for ``PAGE_CACHE_SECONDS`` and served before
  Wagtail routes the request: see the middleware.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import (
    get_cache_key,
    learn_cache_key,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.encoding import iri_to_uri

from .conf import dangwu_settings
from .models import ListingVersion
from .privacy import can_read_internal


def set_cache_headers(request, response):
    """Mark ``response`` (a column's or an item's page) cacheable for anonymous readers only."""
    patch_vary_headers(response, ["Cookie"])
    existing = response.get("Cache-Control", "")
    shareable = (
        not request.user.is_authenticated
        and request.method in ("GET", "HEAD")
        and response.status_code == 200
        and "private" not in existing
        and "no-store" not in existing
        and dangwu_settings.ANONYMOUS_CACHE_SECONDS
    )
    if shareable:
        patch_cache_control(response, public=True, max_age=dangwu_settings.ANONYMOUS_CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def listing_version(request, catalog_id):
    """The current ``ListingVersion`` of column ``catalog_id`` (None: it has none), read
    once per request."""
    versions = request.__dict__.setdefault("_dangwu_listing_versions", {})
    if catalog_id not in versions:
        versions[catalog_id] = (
            ListingVersion.objects.filter(catalog_id=catalog_id)
            .values_list("version", flat=True)
            .first()
        )
    return versions[catalog_id]


def listing_cache_key(request, catalog, item=None):
    """The cache key of ``catalog``'s listing as ``request``'s reader sees it, or None when
    the listing is not to be cached (``LISTING_CACHE_SECONDS`` is 0, a preview, or a column
    that has no ``ListingVersion`` yet).

    With ``item`` (one of the column's items): the key of what that item's page shows of it
    (its facts, attachments and notice, and the neighbours the reader may see), for the
    reader's audience and whether they are the column's own people (who are offered the
    opinion form), at the item's full address (drawn as a QR code)."""
    from django.utils import translation

    if not dangwu_settings.LISTING_CACHE_SECONDS or getattr(request, "is_preview", False):
        return None
    version = listing_version(request, catalog.pk)
    if version is None:
        return None
    audience = "insiders" if can_read_internal(request.user, catalog) else "public"
    if item is None:
        address = catalog.get_url(request=request)
    else:
        address = item.get_full_url(request=request)
        audience += f".{item.pk}.own" if catalog.may_comment(request.user) else f".{item.pk}"
    address = hashlib.md5((address or "").encode(), usedforsecurity=False).hexdigest()
    language = translation.get_language() or ""
    return f"{catalog.pk}.{version.hex}.{audience}.{language}.{address}"


def site_path(page, url_path):
    """The address of ``url_path`` (a page's ``url_path``) on ``page``'s site."""
    site = page.get_site()
    root = site.root_page.url_path if site is not None else None
    if not url_path or root is None or not url_path.startswith(root):
        return None
    return iri_to_uri("/" + url_path[len(root) :])


def urls_to_purge(item, previous_url_path=None):
    """The site-relative addresses whose anonymous version a change of ``item`` changes."""
    catalog = item.entry.catalog
    previous_url = (
        site_path(item, previous_url_path) if previous_url_path != item.url_path else None
    )
    urls = {item.url, previous_url, catalog.url}
    if catalog.url:
        urls |= {
            catalog.subpage_url("entry", item.entry_id),
            catalog.subpage_url("entry_feed", item.entry_id),
            catalog.subpage_url("archive"),
            catalog.subpage_url("archive_year", item.formed_on.year),
            catalog.subpage_url("feed"),
            catalog.subpage_url("export"),
        }
    try:
        urls.add(reverse("dangwu_wagtail:feed"))
    except NoReverseMatch:
        pass
    return sorted(url for url in urls if url)


def purge_item(item, previous_url_path=None):
    """Purge what ``item`` changes from the frontend cache, if the site has one."""
    if not apps.is_installed("wagtail.contrib.frontend_cache"):
        return []
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    site = item.get_site()
    root = site.root_url if site is not None else ""
    urls = [
        root + url if url.startswith("/") else url for url in urls_to_purge(item, previous_url_path)
    ]
    batch = PurgeBatch()
    batch.add_urls(urls)
    # Once committed: a cache that fetched again before would keep the old version.
    transaction.on_commit(batch.purge)
    return urls


# The anonymous page cache --------------------------------------------------------------------

#: Prefix of the page cache's keys in Django's cache.
PAGE_CACHE_PREFIX = "dangwu_wagtail.page"


def page_cache():
    return caches[dangwu_settings.PAGE_CACHE]


def may_be_anonymous_hit(request):
    """Whether ``request`` is one whose answer may come from the page cache: a GET that
    carries no session (so no logged-in reader), no credentials and no messages."""
    return (
        bool(dangwu_settings.PAGE_CACHE_SECONDS)
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def keep_for_anonymous(request, response, catalog_id):
    """Offer ``response`` (of a page of column ``catalog_id``, its headers set by
    ``set_cache_headers``) to ``PageCacheMiddleware``, which keeps it if nothing in it
    depends on the reader's session; it is kept under the column's current listing
    version, and served only while that version stands."""
    if not getattr(request, "_dangwu_page_cache", False):
        return response  # no middleware, or not a request whose answer may be shared
    if getattr(request, "is_preview", False) or "public" not in response.get("Cache-Control", ""):
        return response
    version = listing_version(request, catalog_id)
    if version is not None:
        response._dangwu_page_cache = (catalog_id, version.hex)
    return response


def session_dependent(request, response):
    """Whether ``response`` holds or sets anything of the reader's own: a cookie (the CSRF
    token of a form, a session), a message shown or queued, a session written."""
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.used or messages.added_new):
        return True
    session = getattr(request, "session", None)
    return session is not None and session.modified


class PageCacheMiddleware:
    """Serve anonymous readers' pages of the columns from Django's cache.

    Built on Django's cache framework (``django.utils.cache``: keys from the address, the
    language and the headers the response varies on, as ``cache_page`` makes them), with
    what that framework cannot know:

    * Only what the add-on's views offer is kept (``keep_for_anonymous``): a column's pages
      and its public items, rendered for an anonymous reader, ``Cache-Control: public``. A
      member's page, an internal item and a refusal are never offered.
    * A response that sets a cookie (a form's CSRF token), shows a message or writes the
      session is not kept.
    * Only requests without a session cookie, credentials or messages are answered from it:
      a logged-in reader always sends the session cookie, so never gets a kept page.
    * Each kept page names its column's ``ListingVersion``; it is served only while that is
      the column's current version, read from the database on each hit. A publish,
      unpublish, move, deletion or scope change of an item, and a new version of the column
      page, give the column a new version (``models.listing``): the next reader gets a page
      rendered afresh, on every server whatever its cache.

    Put it after ``SessionMiddleware`` and ``LocaleMiddleware`` (a kept page is per
    language) and before ``CsrfViewMiddleware``, ``AuthenticationMiddleware`` and
    ``MessageMiddleware``, whose traces in the response it looks for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        candidate = may_be_anonymous_hit(request)
        if candidate:
            hit = self.fetch(request)
            if hit is not None:
                return hit
            request._dangwu_page_cache = True
        response = self.get_response(request)
        if candidate:
            self.store(request, response)
        return response

    def fetch(self, request):
        cache = page_cache()
        key = get_cache_key(request, PAGE_CACHE_PREFIX, "GET", cache=cache)
        kept = cache.get(key) if key else None
        if kept is None:
            return None
        catalog_id, version, status, headers, content = kept
        current = listing_version(request, catalog_id)
        if current is None or current.hex != version:
            return None
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    def store(self, request, response):
        offered = getattr(response, "_dangwu_page_cache", None)
        user = getattr(request, "user", None)
        if (
            offered is None
            or response.status_code != 200
            or response.streaming
            or user is None
            or user.is_authenticated
            or session_dependent(request, response)
        ):
            return
        cache = page_cache()
        timeout = dangwu_settings.PAGE_CACHE_SECONDS
        key = learn_cache_key(request, response, timeout, PAGE_CACHE_PREFIX, cache=cache)
        headers = [(name, value) for name, value in response.items() if name != "Set-Cookie"]
        cache.set(key, (*offered, response.status_code, headers, response.content), timeout)

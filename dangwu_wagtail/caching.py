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
"""

import hashlib

from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
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


def listing_cache_key(request, catalog):
    """The cache key of ``catalog``'s listing as ``request``'s reader sees it, or None when
    the listing is not to be cached (``LISTING_CACHE_SECONDS`` is 0, a preview, or a column
    that has no ``ListingVersion`` yet)."""
    from django.utils import translation

    if not dangwu_settings.LISTING_CACHE_SECONDS or getattr(request, "is_preview", False):
        return None
    version = (
        ListingVersion.objects.filter(catalog_id=catalog.pk)
        .values_list("version", flat=True)
        .first()
    )
    if version is None:
        return None
    audience = "insiders" if can_read_internal(request.user, catalog) else "public"
    address = hashlib.md5(
        (catalog.get_url(request=request) or "").encode(), usedforsecurity=False
    ).hexdigest()
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

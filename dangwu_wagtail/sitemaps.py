"""The sitemap of a district's site.

Every school's column has one Wagtail ``PageViewRestriction`` (on its internal section), so a
district of 200 schools has 200 restrictions. Wagtail's ``PageQuerySet.public()`` costs time
in Python for each one (see ``privacy.exclude_private_pages``); a host site's sitemap should be
this module's ``Sitemap`` instead of Wagtail's (docs/deployment.md, *Sitemap*).

Its files and the index's count of pages are kept in the page cache (``PAGE_CACHE``, for
``PAGE_CACHE_SECONDS``) under the ``SitemapVersion``, which a change to any page, view
restriction or site renews once it commits: the database sorts the site's pages for a file
only once a change.
"""

import datetime
import functools
import hashlib
import re
from collections import defaultdict
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, reverse
from django.urls.resolvers import RFC3986_SUBDELIMS
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import conditional_escape, strip_spaces_between_tags
from django.utils.timezone import template_localtime
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.coreutils import WAGTAIL_APPEND_SLASH, get_supported_content_language_variant
from wagtail.models import AbstractPage, Site

from .caching import page_cache
from .conf import dangwu_settings
from .models import DisclosureItemMixin
from .models.listing import sitemap_version
from .privacy import exclude_private_pages, readable_filter

#: The keys of an entry that Django's ``sitemap.xml`` template reads.
_ENTRY_DEFAULTS = {"lastmod": None, "changefreq": None, "priority": None, "alternates": ()}


class FilePaginator(Paginator):
    """Django's ``Paginator``, whose ``page()`` reads that page's rows and nothing else.

    Django's counts every row first, to refuse a page past the end: at district size a
    ``COUNT(*)`` over the whole site for each sitemap file. Here a page past the end is one
    that comes back empty. ``orphans`` are not supported (sitemaps have none).
    """

    def validate_number(self, number):
        # Django's checks, but the last: that one needs the count.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        object_list = list(self.object_list[bottom : bottom + self.per_page])
        if not object_list and (number > 1 or not self.allow_empty_first_page):
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(object_list, number, self)


#: The paths Wagtail's ``wagtail_serve`` route takes (``wagtail/urls.py``).
_SERVED_PATH = re.compile(r"(?:[\w\-]+/)*" if WAGTAIL_APPEND_SLASH else r"[\w\-/]*")


class FullUrls:
    """``Page.get_full_url(request)`` for many pages, from their ``url_path`` alone, with one
    ``reverse()`` of Wagtail's route a language instead of one a page.

    The address is what Wagtail's ``get_url_parts()`` makes: the first of the page's sites
    (the request's, when the page is under several), the site's language, and the route's
    address for the path below the site's root, which ``reverse()`` gives as its address for
    no path followed by the path, quoted as ``reverse()`` quotes it. A path the route would
    not take, or a language whose address for a page differs from that, asks ``reverse()``.
    """

    def __init__(self, request):
        self.request = request
        self.i18n = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
        self.prefixes = {}

    def _reverse(self, path, language_code):
        try:
            if self.i18n:
                with translation.override(language_code):
                    page_path = reverse("wagtail_serve", args=(path,))
            else:
                page_path = reverse("wagtail_serve", args=(path,))
        except NoReverseMatch:
            return None
        if not WAGTAIL_APPEND_SLASH and page_path != "/":
            page_path = page_path.rstrip("/")
        return page_path

    def _page_path(self, path, language_code):
        if language_code not in self.prefixes:
            prefix = self._reverse("", language_code)
            # Checked once a language against reverse() itself; otherwise reverse() a page.
            if prefix is None or self._reverse(path, language_code) != self._join(prefix, path):
                prefix = None
            self.prefixes[language_code] = prefix
        prefix = self.prefixes[language_code]
        if prefix is None or not _SERVED_PATH.fullmatch(path):
            return self._reverse(path, language_code)
        return self._join(prefix, path)

    @staticmethod
    def _join(prefix, path):
        page_path = prefix + quote(path, safe=RFC3986_SUBDELIMS + "/~:@")
        if not WAGTAIL_APPEND_SLASH and page_path != "/":
            page_path = page_path.rstrip("/")
        return page_path

    def full_url(self, url_path):
        """The full address of the page at ``url_path``, as its ``get_full_url()`` has it."""
        # Where Wagtail keeps the sites' root paths for a request.
        cache_object = self.request if self.request is not None else self
        if not hasattr(cache_object, "_wagtail_cached_site_root_paths"):
            cache_object._wagtail_cached_site_root_paths = Site.get_site_root_paths()
        possible_sites = tuple(
            srp
            for srp in cache_object._wagtail_cached_site_root_paths
            if url_path.startswith(srp.root_path)
        )
        if not possible_sites:
            return None
        site_id, root_path, root_url, language_code = possible_sites[0]
        if len({values[0] for values in possible_sites}) > 1 and isinstance(
            self.request, HttpRequest
        ):
            site = Site.find_for_request(self.request)
            if site:
                for values in possible_sites:
                    if values[0] == site.pk:
                        site_id, root_path, root_url, language_code = values
                        break
        if self.i18n:
            try:
                active = translation.get_language()
                if get_supported_content_language_variant(active) == language_code:
                    language_code = active
            except LookupError:
                pass
        page_path = self._page_path(url_path[len(root_path) :], language_code)
        if page_path is None or root_url is None:
            return None
        return root_url + page_path


class Sitemap(WagtailSitemap):
    """Wagtail's sitemap of the site's live public pages, for a district of many schools.

    * Private pages are left out by ``exclude_private_pages``, not ``.public()``.
    * Served as an index of files of 1,000 pages (``limit``), with no ``lastmod`` in the
      index: Django's would read every page of the site for it.
    * A file lists the same URLs with the same ``lastmod`` as Wagtail's, without Wagtail's
      cost of a millisecond or more a page at district size: no count of the whole site for
      each file, and no specific page (every field of every page type, one query per type)
      where Wagtail's own ``get_sitemap_urls()`` needs only the page's address and dates.
      Pages are read as rows of those fields alone (as the base page model, when it has
      URL methods of its own), their addresses made for the whole file; a page type that
      overrides ``get_sitemap_urls()`` or the URL methods is read as itself and asked, as
      Wagtail does. Disclosure items are listed when public, as their ``get_sitemap_urls()``
      has it, asking the privacy rule in one query a file.

    Serve it with Wagtail's ``index`` and ``sitemap`` views (docs/deployment.md).
    """

    limit = 1000

    #: What Wagtail's own ``get_sitemap_urls()`` reads of a page, besides its id.
    page_fields = ("content_type", "url_path", "last_published_at", "latest_revision_created_at")

    #: The same, read as a row (no model instance) when the base page model keeps Wagtail's.
    row_fields = (
        "pk",
        "content_type_id",
        "url_path",
        "last_published_at",
        "latest_revision_created_at",
    )

    def pages(self):
        """The site's live public pages in path order, as the base page model."""
        root = self.get_wagtail_site().root_page
        pages = exclude_private_pages(root.get_descendants(inclusive=True).live())
        return pages.order_by("path")

    def items(self):
        return self.pages().defer_streamfields().specific()

    def get_latest_lastmod(self):
        return None

    def _cache_key(self, *parts):
        """The key under which ``parts`` of this sitemap are kept, for the site, host and
        language asked, under the current ``SitemapVersion``; None when nothing is kept."""
        if not dangwu_settings.PAGE_CACHE_SECONDS:
            return None
        site = self.get_wagtail_site()
        host = self.request.get_host() if isinstance(self.request, HttpRequest) else ""
        parts = (
            f"{type(self).__module__}.{type(self).__qualname__}",
            self.limit,
            site.pk if site else "",
            host,
            translation.get_language() or "",
            *parts,
        )
        digest = hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
        return f"dangwu_wagtail.sitemap.{sitemap_version().hex}.{digest}"

    @property
    def paginator(self):
        """Django's, for the index, with the count of the site's pages kept."""
        paginator = super().paginator
        key = self._cache_key("count")
        if key:
            count = page_cache().get(key)
            if count is None:
                count = paginator.count
                page_cache().set(key, count, dangwu_settings.PAGE_CACHE_SECONDS)
            paginator.__dict__["count"] = count
        return paginator

    def _urls(self, page, protocol, domain):
        key = self._cache_key("file", str(page), protocol, domain)
        kept = page_cache().get(key) if key else None
        if kept is not None:
            urls, self.latest_lastmod = kept
            return urls
        urls = self._file_urls(page, protocol, domain)
        if key:
            kept = (urls, getattr(self, "latest_lastmod", None))
            page_cache().set(key, kept, dangwu_settings.PAGE_CACHE_SECONDS)
        return urls

    def _file_urls(self, page, protocol, domain):
        pages = self.pages()
        if _sitemap_rule(pages.model) == "page":
            pages = pages.values_list(*self.row_fields, named=True)
        else:
            pages = pages.only(*self.page_fields)
        paginator = FilePaginator(pages, self.limit)
        urls = []
        last_mods = set()
        full_urls = FullUrls(self.request)
        for item in self.pages_to_ask(paginator.page(page).object_list):
            if isinstance(item, tuple):
                # A row: Wagtail's get_sitemap_urls(), the address made for the whole file.
                entries = [
                    {
                        "location": full_urls.full_url(item.url_path),
                        "lastmod": item.last_published_at or item.latest_revision_created_at,
                    }
                ]
            else:
                entries = item.get_sitemap_urls(self.request)
            for url_info in entries:
                # Every key Django's sitemap.xml reads, as Django's own entries have them: the
                # template renders a missing one as it does these, but only after an exception
                # and a dir() of the entry, some 50 ms a file.
                urls.append({**_ENTRY_DEFAULTS, **url_info})
                last_mods.add(url_info.get("lastmod"))
        # As Wagtail's: the file's Last-Modified, unless a page has no date (or none is listed).
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def pages_to_ask(self, pages):
        """For each of ``pages`` (rows of ``row_fields``, or instances of the base page model
        when it has URL methods of its own), in order, what to ask for its entries: the page
        as it was read, or its specific instance; nothing for a page that has none."""
        pks_by_model = defaultdict(list)
        for page in pages:
            if isinstance(page, tuple):
                model = ContentType.objects.get_for_id(page.content_type_id).model_class()
                model = model or self.pages().model
            else:
                model = page.specific_class or type(page)
            pks_by_model[model].append(page.pk)
        replacements = {}
        for model, pks in pks_by_model.items():
            rule = _sitemap_rule(model)
            if rule == "specific":
                # Read as Wagtail's .specific() reads them.
                specific = model.objects.filter(pk__in=pks)
                if hasattr(specific, "defer_streamfields"):
                    specific = specific.defer_streamfields()
                replacements.update((item.pk, item) for item in specific)
            elif rule == "item":
                # Their get_sitemap_urls() lists public items only: those anyone may read.
                listed = set(
                    model.objects.filter(pk__in=pks)
                    .filter(readable_filter(AnonymousUser()))
                    .order_by()
                    .values_list("pk", flat=True)
                )
                replacements.update((pk, None) for pk in pks if pk not in listed)
        for page in pages:
            item = replacements.get(page.pk, page)
            if item is not None:
                yield item


@functools.cache
def _sitemap_rule(model):
    """How ``Sitemap`` finds the entries of a page of ``model``: ``"page"``, Wagtail's own
    ``get_sitemap_urls()`` (which reads ``Sitemap.page_fields`` only); ``"item"``, the same
    for the disclosure items anyone may read and none for the others; ``"specific"``, the
    page's own method, when its class changes that method or how its URL is made."""
    if any(
        getattr(model, name) is not getattr(AbstractPage, name)
        for name in ("get_url_parts", "get_full_url")
    ):
        return "specific"
    if model.get_sitemap_urls is AbstractPage.get_sitemap_urls:
        return "page"
    if (
        issubclass(model, DisclosureItemMixin)
        and model.get_sitemap_urls is DisclosureItemMixin.get_sitemap_urls
        and super(DisclosureItemMixin, model).get_sitemap_urls is AbstractPage.get_sitemap_urls
    ):
        return "item"
    return "specific"


class UrlsetTemplate:
    """Django's ``sitemap.xml`` template written in Python: the same bytes for the same
    ``urlset``, without the template engine's cost of about half a millisecond a URL (most
    of a file of 1,000 pages). ``TemplateResponse`` takes a template object where it takes a
    template's name: pass ``URLSET`` as the sitemap view's ``template_name``
    (docs/deployment.md, *Sitemap*)."""

    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    )
    tail = "\n</urlset>\n"

    def render(self, context=None, request=None):
        parts = []
        for url in (context or {}).get("urlset", ()):
            parts.append(f"<url><loc>{_text(url.get('location', ''))}</loc>")
            if url.get("lastmod"):
                parts.append(f"<lastmod>{_day(url['lastmod'])}</lastmod>")
            if url.get("changefreq"):
                parts.append(f"<changefreq>{_text(url['changefreq'])}</changefreq>")
            if url.get("priority"):
                parts.append(f"<priority>{_text(url['priority'])}</priority>")
            for alternate in url.get("alternates") or ():
                language = _text(alternate.get("lang_code", ""))
                location = _text(alternate.get("location", ""))
                parts.append(
                    f'<xhtml:link rel="alternate" hreflang="{language}" href="{location}"/>'
                )
            parts.append("</url>")
        # What {% spaceless %} leaves of the template's whitespace between the tags.
        return self.head + strip_spaces_between_tags("".join(parts).strip()) + self.tail


def _text(value):
    """``{{ value }}`` in a template: local time, localized, escaped."""
    return conditional_escape(localize(template_localtime(value)))


def _day(value):
    """``{{ value|date:"Y-m-d" }}``."""
    if isinstance(value, datetime.date):
        value = template_localtime(value)
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return conditional_escape(date_filter(value, "Y-m-d"))


#: Django's ``sitemap.xml``, for the sitemap view's ``template_name``.
URLSET = UrlsetTemplate()

import functools
import re
from html import unescape
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils.encoding import escape_uri_path
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Site

from .. import inputs
from ..models import Scope

register = template.Library()


@register.filter
def one_line(value):
    """The value on one line (``inputs.one_line``): for the one-line fields of an email."""
    return inputs.one_line(str(value))


@register.filter
def indented(value):
    """The value as an indented block (``inputs.indented``): for free text in an email."""
    return inputs.indented(value)


@register.simple_tag
def scope_label(scope):
    """A badge naming the scope; an item of any unknown scope reads as internal."""
    scope = Scope.PUBLIC if scope == Scope.PUBLIC else Scope.INTERNAL
    return format_html(
        '<span class="dangwu-scope dangwu-scope--{}">{}</span>', scope.value, scope.label
    )


@register.simple_tag(takes_context=True)
def search_snippet(context, page, query):
    """Where ``page``, a search result, holds the words of ``query``: a snippet with them
    marked, for ``dangwu_wagtail/includes/search_snippet.html``; ``None`` for a page that is
    not a disclosure item the request's user may read. In a host's search results::

        {% search_snippet result search_query as snippet %}
        {% include "dangwu_wagtail/includes/search_snippet.html" %}
    """
    from ..models import DisclosureItemMixin
    from ..privacy import can_view_item
    from ..search import search_snippet as snippet_for

    page = getattr(page, "specific", page)
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(page, DisclosureItemMixin) or not page.live or user is None:
        return None
    if not can_view_item(user, page):
        return None
    return snippet_for(page, query)


#: A telephone number in free text: digits, perhaps a leading "+", and spaces, dots, hyphens
#: or brackets between them.
PHONE_NUMBER = re.compile(r"\+?\(?\d[\d\s().\-]*\d")
#: Fewer digits than this is an extension (“转801”) or a room number, not a number to call.
PHONE_MIN_DIGITS = 5


@register.filter
def phone_links(text):
    """``text`` (a column's contact phone, as its editor wrote it) with each telephone number
    in it linked as ``tel:``. A ``tel:`` address allows no space: its digit groups are joined
    with hyphens (“021-6123 4567” calls ``tel:021-6123-4567``); the text reads as written."""
    text = str(text or "")
    pieces = []
    end = 0
    for match in PHONE_NUMBER.finditer(text):
        number = match.group()
        if sum(character.isdigit() for character in number) < PHONE_MIN_DIGITS:
            continue
        address = re.sub(r"[\s().\-]+", "-", number).strip("-")
        pieces.append(escape(text[end : match.start()]))
        pieces.append(format_html('<a href="tel:{}">{}</a>', address, number))
        end = match.end()
    pieces.append(escape(text[end:]))
    return mark_safe("".join(pieces))


#: The elements whose ends separate words when rich text becomes one line of plain text.
BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|hr|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|table|tr|td|th|figure)\b[^>]*>",
    re.IGNORECASE,
)
#: The length of a page's meta description, in characters: what search engines show.
DESCRIPTION_LENGTH = 120


@register.filter
def summary(html, length=DESCRIPTION_LENGTH):
    """The plain text of ``html`` (rich text: an item's body, a column's introduction) on
    one line, cut to ``length`` characters: a page's meta description."""
    text = strip_tags(BLOCK_TAG.sub(" ", str(html or "")))
    return Truncator(inputs.join_sentences([unescape(text)])).chars(int(length))


@register.simple_tag(takes_context=True)
def canonical_url(context, **query):
    """The absolute address of the page being served, on the host name of its Wagtail site
    (as Wagtail's ``full_url`` and the sitemap give it), with the ``query`` parameters that
    have a value and nothing else of the request's query string. ``page`` is left out on
    the first page of a list, whose address is the list's own."""
    request = context.get("request")
    if request is None:
        return ""
    kept = {
        name: value
        for name, value in query.items()
        if value not in (None, "") and not (name == "page" and str(value) == "1")
    }
    url = site_root(request) + escape_uri_path(request.path)
    return f"{url}?{urlencode(kept)}" if kept else url


def site_root(request):
    """The root address of ``request``'s Wagtail site, e.g. ``https://www.example.edu.cn``."""
    site = Site.find_for_request(request)
    return site.root_url if site is not None else request.build_absolute_uri("/").rstrip("/")


#: The share image of a column that has none of its own.
DEFAULT_SHARE_IMAGE = "dangwu_wagtail/img/share.png"


@register.simple_tag(takes_context=True)
def share_image_url(context, catalog):
    """The absolute address of the image on a shared link's card (Open Graph ``og:image``):
    the column's ``share_image``, or the add-on's own image."""
    from django.templatetags.static import static

    request = context.get("request")
    image = catalog.share_image if catalog.share_image_id else None
    url = (
        image.get_rendition("fill-600x600").url
        if image is not None
        else static(DEFAULT_SHARE_IMAGE)
    )
    if request is None or "://" in url:
        return url
    return site_root(request) + url


#: The language of a column's content when Wagtail's internationalisation is off: the
#: district plan, the reference catalogs and what the schools write are Simplified Chinese.
DEFAULT_CONTENT_LANGUAGE = "zh-Hans"


@register.simple_tag
def content_language(page):
    """The language a column's content is written in (its titles, catalog, bodies and
    contacts, but not the add-on's own words), as a BCP 47 tag for ``lang``.

    With ``WAGTAIL_I18N_ENABLED``, the page's Wagtail locale: a translated column speaks its
    translation's language. Without it, a page's locale is only the site's ``LANGUAGE_CODE``,
    which says what the interface speaks, not what the school wrote: Simplified Chinese.
    """
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False) and getattr(page, "locale_id", None):
        return language_tag(page.locale.language_code)
    return DEFAULT_CONTENT_LANGUAGE


@register.filter
def language_tag(code):
    """A Django language code (``zh-hans``, ``en-us``) as a BCP 47 tag (``zh-Hans``,
    ``en-US``), the form ``lang`` attributes take."""
    subtags = str(code or "").replace("_", "-").split("-")
    tag = [subtags[0].lower()]
    for subtag in subtags[1:]:
        if len(subtag) == 4 and subtag.isalpha():
            tag.append(subtag.title())  # a script
        elif len(subtag) == 2:
            tag.append(subtag.upper())  # a region
        else:
            tag.append(subtag.lower())
    return "-".join(tag)


@register.filter
def in_language(text, language):
    """``text`` marked as being in ``language``: a piece of the column's content inside a
    sentence of the interface's (“All 7 items of <span lang="zh-Hans">…</span>”)."""
    return format_html('<span lang="{}">{}</span>', language, text)


@register.simple_tag
def qr_code(url, title=""):
    """An inline SVG QR code of ``url`` (segno), for a printed notice: a reader scans it to
    open the item online."""
    return mark_safe(_qr_svg(str(url), str(title)))


@functools.lru_cache(maxsize=512)
def _qr_svg(url, title):
    # Kept by each process: segno takes some 10-20 ms to encode an address and draw it,
    # more than the rest of an item's page; the drawing of an address never changes.
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=3, title=title or None)
    svg = svg.replace(' class="segno"', ' class="segno dangwu-qr"', 1)
    return svg.replace("<svg ", '<svg role="img" ', 1)


@register.simple_tag
def notice_period(item):
    """The notice period (公示期) of a printed ``item``: ``(start, end, working days)``, from
    the day it was published (or today, for a draft) over its column's notice period."""
    from django.utils import timezone

    from ..models.deadlines import add_working_days

    catalog = item.entry.catalog
    start = (
        timezone.localdate(item.first_published_at)
        if item.first_published_at
        else timezone.localdate()
    )
    days = catalog.notice_period
    return start, add_working_days(start, days), days


@register.simple_tag(takes_context=True)
def follow_state(context, catalog, entry=None):
    """What the follow button of ``catalog`` (or its ``entry``) shows the reader: ``None`` to
    a reader who may not follow it (anyone but the school's own people, logged in), else
    whether they follow it and where the form goes."""
    from ..models import Follow

    entry = entry or None  # the column's page has no entry
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not catalog.may_follow(user):
        return None
    follow = Follow.objects.filter(user=user, catalog=catalog, entry=entry).first()
    return {
        "following": follow is not None,
        "action": catalog.subpage_url("follow"),
        "unfollow_url": catalog.subpage_url("unfollow", follow.token) if follow else "",
    }

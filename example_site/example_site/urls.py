from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path, reverse
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import index as sitemap_index
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.models import Site

from dangwu_wagtail.sitemaps import URLSET, Sitemap

# A district's sitemap runs to tens of thousands of pages: an index, 1,000 pages a file.
SITEMAPS = {"pages": Sitemap}


def hello(request):
    """A hello-world view: the benchmark's measure of what this machine serves at most."""
    return HttpResponse("Hello, world")


def robots_txt(request):
    """What crawlers may read (not the admin), and where the sitemap is, on the host of
    the Wagtail site, as the sitemap's own addresses are."""
    site = Site.find_for_request(request)
    root = site.root_url if site is not None else request.build_absolute_uri("/").rstrip("/")
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {root}{reverse('sitemap_index')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("hello/", hello),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", robots_txt),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": SITEMAPS, "template_name": URLSET},
        name="sitemap",
    ),
    # Party members log in, log out and reset their password here (the add-on's pages).
    path("members/", include("dangwu_wagtail.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Static files are WhiteNoise's (settings.MIDDLEWARE). Image renditions only: documents
    # go through Wagtail's own view (/documents/), which checks collection privacy, never
    # straight from MEDIA_ROOT.
    urlpatterns += static(
        f"{settings.MEDIA_URL}images/", document_root=settings.MEDIA_ROOT / "images"
    )

urlpatterns += [
    # Everything else is a Wagtail page; this pattern comes last.
    path("", include(wagtail_urls)),
]

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.urls import api as api_v3
from wagtail.contrib.sitemaps.views import index as sitemap_index
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from dangwu_wagtail.sitemaps import URLSET, Sitemap
from tests.testapp.views import stock_search

# The Wagtail API v2, as a host site enables it.
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)


class FivePagesAFile(Sitemap):
    """The add-on's sitemap with files small enough for a test district to fill several."""

    limit = 5


# The add-on's sitemap as docs/deployment.md has a site serve it (an index and its files), and
# the same with five pages a file. /sitemap.xml is Wagtail's own, as a fresh site has it,
# written by Django's sitemap.xml template.
SITEMAPS = {"pages": Sitemap}
SMALL_SITEMAPS = {"pages": FivePagesAFile}


def sitemap_urls(name, sitemaps):
    """The index ``<name>.xml`` and its files ``<name>-<section>.xml``."""
    url_name = name.replace("-", "_")
    return [
        path(f"{name}.xml", sitemap_index, {"sitemaps": sitemaps, "sitemap_url_name": url_name}),
        path(
            f"{name}-<section>.xml",
            sitemap,
            {"sitemaps": sitemaps, "template_name": URLSET},
            name=url_name,
        ),
    ]


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap),
    *sitemap_urls("paged-sitemap", SITEMAPS),
    *sitemap_urls("small-sitemap", SMALL_SITEMAPS),
    path("api/v2/", api_router.urls),
    # Wagtail 8's token-authenticated read and write API, as a host site enables it.
    path("api/v3/", api_v3.urls),
    path("search/", stock_search, name="search"),
    path("members/", include("dangwu_wagtail.urls")),
    path("", include(wagtail_urls)),
]

"""The test site's URLs, with Wagtail's API v2 pages endpoint at ``/api/v2/pages/`` and
``/sitemap.xml`` added unless ``tests/urls.py`` already has them."""

from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.contrib.sitemaps.views import sitemap

from tests.urls import urlpatterns as test_urlpatterns

api_router = WagtailAPIRouter("benchmark_wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)

_routes = {str(pattern.pattern) for pattern in test_urlpatterns}

# These go first: the test site's last pattern hands every other path to Wagtail's router.
urlpatterns = [
    *([] if "api/v2/" in _routes else [path("api/v2/", api_router.urls)]),
    *([] if "sitemap.xml" in _routes else [path("sitemap.xml", sitemap)]),
    *test_urlpatterns,
]

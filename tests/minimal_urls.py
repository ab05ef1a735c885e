"""The URLs of a ``wagtail start`` site that has only added the add-on to INSTALLED_APPS:
no members' pages (``dangwu_wagtail.urls``), the README's step 3 not yet done."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from tests.testapp.views import stock_search

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", stock_search, name="search"),
    path("", include(wagtail_urls)),
]

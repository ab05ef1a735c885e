"""Wagtail's test project's URLs, with the add-on's members' pages before the catch-all
(README, step 3)."""

from django.urls import include, path
from wagtail.test.urls import urlpatterns as wagtail_urlpatterns

urlpatterns = [
    path("members/", include("dangwu_wagtail.urls")),
    *wagtail_urlpatterns,
]

"""The add-on's own admin pages, registered under ``/admin/dangwu/`` by ``wagtail_hooks``."""

from django.urls import path

from . import inputs  # noqa: F401 - registers the dangwu_id path converter
from .admin_pages import ReviewActionView
from .admin_views import (
    AnnualSummaryView,
    CatalogDetailView,
    CatalogsIndexView,
    MemberImportView,
    request_attachment,
)

app_name = "dangwu_wagtail_admin"

urlpatterns = [
    path("columns/", CatalogsIndexView.as_view(), name="catalogs"),
    path("columns/<dangwu_id:pk>/", CatalogDetailView.as_view(), name="catalog"),
    path("columns/<dangwu_id:pk>/summary/", AnnualSummaryView.as_view(), name="summary"),
    path("members/import/", MemberImportView.as_view(), name="member_import"),
    path("requests/<dangwu_id:pk>/attachment/", request_attachment, name="request_attachment"),
    path(
        "pages/<int:page_id>/review/<slug:action_name>/<int:task_state_id>/",
        ReviewActionView.as_view(),
        name="review_action",
    ),
]

"""The add-on's own admin pages, registered under ``/admin/dangwu/`` by ``wagtail_hooks``."""

from django.urls import path

from .admin_views import (
    AnnualSummaryView,
    ColumnDetailView,
    ColumnsIndexView,
    MemberImportView,
    request_attachment,
)

app_name = "dangwu_wagtail_admin"

urlpatterns = [
    path("columns/", ColumnsIndexView.as_view(), name="columns"),
    path("columns/<int:pk>/", ColumnDetailView.as_view(), name="column"),
    path("columns/<int:pk>/summary/", AnnualSummaryView.as_view(), name="summary"),
    path("members/import/", MemberImportView.as_view(), name="member_import"),
    path("requests/<int:pk>/attachment/", request_attachment, name="request_attachment"),
]

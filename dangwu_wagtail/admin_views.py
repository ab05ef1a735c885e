"""A read-only view of every school's column, for district supervisors (监督小组).

Supervisors hold no page permission: Wagtail's explorer shows them nothing and they can
change nothing. These views list each column and, per column, its catalog with every item
and its state, with links to read the live items on the site (where supervisors read
internal items too).
"""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import WorkflowState, get_default_page_content_type

from .models import Catalog, DisclosureItem, Scope

VIEW_PERMISSION = "dangwu_wagtail.view_catalog"


class ColumnsPermissionMixin(PermissionRequiredMixin):
    permission_required = VIEW_PERMISSION
    raise_exception = True


def item_counts():
    """Annotations of a column: its items by state, and when it last published one."""
    live = Q(entries__items__live=True)
    public = Q(entries__items__scope=Scope.PUBLIC)
    return {
        "public_live": Count("entries__items", filter=live & public),
        "internal_live": Count("entries__items", filter=live & ~public),
        "not_live": Count("entries__items", filter=~live),
        "last_published": Max("entries__items__last_published_at"),
    }


class ColumnsIndexView(ColumnsPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "dangwu_wagtail/admin/columns_index.html"
    page_title = _("Disclosure columns")
    header_icon = "list-ul"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = (
            Catalog.objects.annotate(**item_counts())
            .only("title", "organisation_name", "organisation_type", "url_path")
            .order_by("organisation_name")
        )
        return context


class ColumnDetailView(ColumnsPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "dangwu_wagtail/admin/column_detail.html"
    header_icon = "list-ul"

    def setup(self, request, *args, pk, **kwargs):
        super().setup(request, *args, **kwargs)
        self.catalog = get_object_or_404(Catalog, pk=pk)

    def get_page_title(self):
        return self.catalog.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("dangwu_wagtail_admin:columns"), "label": _("Disclosure columns")},
            {"url": "", "label": self.catalog.organisation_name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = list(self.catalog.entries.all())
        items = list(
            DisclosureItem.objects.filter(entry__in=entries)
            .defer("body")
            .order_by("-formed_on", "-pk")
        )
        in_review = set(
            WorkflowState.objects.active()
            .filter(
                base_content_type=get_default_page_content_type(),
                object_id__in=[str(item.pk) for item in items],
            )
            .values_list("object_id", flat=True)
        )
        by_entry = {}
        for item in items:
            item.in_review = str(item.pk) in in_review
            by_entry.setdefault(item.entry_id, []).append(item)
        context["catalog"] = self.catalog
        context["rows"] = [(entry, by_entry.get(entry.pk, [])) for entry in entries]
        return context


def request_attachment(request, pk):
    """The file sent with a request, for the people who may read the request."""
    from django.http import FileResponse, Http404

    from .isolation import register_catalog_ids
    from .models import DisclosureRequest
    from .privacy import ALL_SCHOOLS

    disclosure_request = get_object_or_404(DisclosureRequest, pk=pk)
    catalog_ids = register_catalog_ids(request.user)
    if catalog_ids is not ALL_SCHOOLS and disclosure_request.catalog_id not in catalog_ids:
        raise Http404
    if not disclosure_request.attachment:
        raise Http404
    stored_name = disclosure_request.attachment.name.rsplit("/", 1)[-1]
    response = FileResponse(
        disclosure_request.attachment.open("rb"),
        as_attachment=True,
        filename=f"{disclosure_request.reference}-{stored_name}",
    )
    response["Cache-Control"] = "private, no-store"
    return response

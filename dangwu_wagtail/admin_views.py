"""The district's view of every column, for supervisors (监督小组) and the superior
organisation, and each school's view of its own: the district report with its export, a
column's catalog with each entry's compliance state and items, and a school's annual summary.

Supervisors hold no page permission: Wagtail's explorer shows them nothing and they can
change nothing here. They read the live items on the site, internal ones included.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import WorkflowState, get_default_page_content_type

from .annual_summary_exports import summary_csv, summary_workbook
from .compliance import catalog_compliance
from .exports import SafeSpreadsheetExportMixin
from .isolation import staff_catalogs
from .members import MemberFileError, import_members, read_rows
from .models import (
    Catalog,
    DisclosureItem,
    DisclosureRequest,
    OrganisationType,
)
from .models.access import access_for
from .reports import annual_summary, district_report

VIEW_PERMISSION = "dangwu_wagtail.view_catalog"


def reads_every_catalog_in_admin(user):
    """District supervisors and superusers read every column here; the superior
    organisation's approvers, who hold the same admin permission, read only the catalog
    adjustments they approve (in Wagtail's workflow)."""
    return user.has_perm(VIEW_PERMISSION) and access_for(user).reads_every_catalog


def may_read_catalog_in_admin(user, catalog):
    """District readers read every column; a school's editors and reviewers their own."""
    return reads_every_catalog_in_admin(user) or staff_catalogs(user).filter(pk=catalog.pk).exists()


def chosen_year(request):
    """The year asked for in ``?year=``, this year by default."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


class CatalogsIndexView(SafeSpreadsheetExportMixin, WagtailAdminTemplateMixin, TemplateView):
    """The district report: every column by overdue and due-soon entries, items published
    and requests answered on time in the year; filters and a CSV or XLSX export."""

    template_name = "dangwu_wagtail/admin/columns_index.html"
    page_title = _("Disclosure columns")
    header_icon = "list-ul"
    list_export = [
        "organisation_name",
        "organisation_type",
        "overdue",
        "due_soon",
        "published",
        "requests_answered",
        "requests_on_time",
        "public_live",
        "internal_live",
    ]
    export_headings = {
        "organisation_name": _("organisation"),
        "organisation_type": _("organisation type"),
        "overdue": _("entries overdue"),
        "due_soon": _("entries due soon"),
        "published": _("items published in the year"),
        "requests_answered": _("requests answered in the year"),
        "requests_on_time": _("of which on time"),
        "public_live": _("live public items"),
        "internal_live": _("live internal items"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not reads_every_catalog_in_admin(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_filename(self):
        return f"{self.page_title}-{self.year}"

    def get_rows(self):
        self.year = chosen_year(self.request)
        self.organisation_type = self.request.GET.get("organisation_type", "")
        if self.organisation_type not in OrganisationType.values:
            self.organisation_type = ""
        return district_report(self.year, self.organisation_type or None)

    def get(self, request, *args, **kwargs):
        rows = self.get_rows()
        if self.is_export:
            return self.as_spreadsheet(rows, request.GET["export"])
        return self.render_to_response(self.get_context_data(rows=rows))

    def get_context_data(self, rows=(), **kwargs):
        context = super().get_context_data(**kwargs)
        for row in rows:
            # With the request, Wagtail reads the sites' root paths once, not once a row.
            row.url = row.catalog.get_url(request=self.request)
            row.admin_url = reverse("dangwu_wagtail_admin:catalog", args=[row.catalog.pk])
        query = self.request.GET.copy()
        query.pop("export", None)
        this_year = timezone.localdate().year
        context.update(
            columns=rows,
            year=self.year,
            years=range(this_year, this_year - 6, -1),
            organisation_type=self.organisation_type,
            organisation_types=OrganisationType.choices,
            export_query=query.urlencode(),
        )
        return context


class CatalogDetailView(WagtailAdminTemplateMixin, TemplateView):
    """One column: each entry's compliance state and items, with links to the site."""

    template_name = "dangwu_wagtail/admin/column_detail.html"
    header_icon = "list-ul"

    def setup(self, request, *args, pk, **kwargs):
        super().setup(request, *args, **kwargs)
        self.catalog = get_object_or_404(Catalog, pk=pk)

    def dispatch(self, request, *args, **kwargs):
        if not may_read_catalog_in_admin(request.user, self.catalog):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.catalog.title

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        if reads_every_catalog_in_admin(self.request.user):
            items.append(
                {"url": reverse("dangwu_wagtail_admin:catalogs"), "label": _("Disclosure columns")}
            )
        return [*items, {"url": "", "label": self.catalog.organisation_name}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        states = catalog_compliance(self.catalog).entries
        items = list(
            DisclosureItem.objects.filter(entry__catalog=self.catalog)
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
        context["rows"] = [(state, by_entry.get(state.entry.pk, [])) for state in states]
        context["summary_url"] = reverse("dangwu_wagtail_admin:summary", args=(self.catalog.pk,))
        return context


class AnnualSummaryView(TemplateView):
    """A school's written annual summary (书面总结): a page to print, or an XLSX file."""

    template_name = "dangwu_wagtail/admin/annual_summary.html"

    def setup(self, request, *args, pk, **kwargs):
        super().setup(request, *args, **kwargs)
        self.catalog = get_object_or_404(Catalog, pk=pk)

    def get(self, request, *args, **kwargs):
        if not may_read_catalog_in_admin(request.user, self.catalog):
            raise PermissionDenied
        summary = annual_summary(self.catalog, chosen_year(request))
        if request.GET.get("export") == "xlsx":
            return summary_workbook(summary)
        if request.GET.get("export") == "csv":
            return summary_csv(summary)
        this_year = timezone.localdate().year
        return TemplateResponse(
            request,
            self.template_name,
            {
                "summary": summary,
                "catalog": self.catalog,
                "years": range(this_year, this_year - 6, -1),
                "generated": timezone.localtime(),
            },
        )


def request_attachment(request, pk):
    """The file sent with a request, for the people who may read the request."""

    disclosure_request = get_object_or_404(DisclosureRequest, pk=pk)
    if not access_for(request.user).sees_catalog_in_admin(disclosure_request.catalog_id):
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


class MemberImportForm(forms.Form):
    catalog = forms.ModelChoiceField(label=_("Column"), queryset=Catalog.objects.none())
    file = forms.FileField(
        label=_("Members file"),
        help_text=_(
            "CSV or XLSX, one member a row: name, username, email (a header row may name "
            "them). New members choose their password with “Forgotten your password?”."
        ),
    )

    def __init__(self, *args, catalogs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalog"].queryset = catalogs
        if catalogs.count() == 1:
            self.fields["catalog"].initial = catalogs.get().pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class MemberImportView(WagtailAdminTemplateMixin, TemplateView):
    """A school's editors and reviewers put their members into its members group."""

    template_name = "dangwu_wagtail/admin/member_import.html"
    page_title = _("Import members")
    header_icon = "group"

    def catalogs(self):
        user = self.request.user
        return Catalog.objects.all() if user.is_superuser else staff_catalogs(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.catalogs().exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def post(self, request, *args, **kwargs):
        form = MemberImportForm(request.POST, request.FILES, catalogs=self.catalogs())
        report = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = read_rows(upload.read(), upload.name)
                report = import_members(form.cleaned_data["catalog"], rows, actor=request.user)
            except MemberFileError as error:
                form.add_error("file", str(error))
        return self.render_to_response(self.get_context_data(form=form, report=report))

    def get_context_data(self, form=None, report=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or MemberImportForm(catalogs=self.catalogs())
        context["report"] = report
        return context

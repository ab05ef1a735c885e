"""What every register shares: a listing filtered by the lookups it declares only, rows
bounded by school, ids checked, and a new row's column among the user's own."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import HistoryView, IndexView

from ..exports import SafeSpreadsheetExportMixin
from ..inputs import object_id
from ..isolation import staff_catalogs
from ..models import (
    Catalog,
)
from ..models.access import access_for
from ..models.deadlines import today


def admin_column(label):
    """Name a ModelAdmin method for its list column."""

    def decorate(method):
        method.short_description = label
        return method

    return decorate


class UndeclaredLookups(Exception):
    """The query string names parameters that are none of the register's."""

    def __init__(self, names):
        super().__init__(", ".join(names))
        self.names = names


class RegisterIndexView(SafeSpreadsheetExportMixin, IndexView):
    """Wagtail's listing, with CSV cells that cannot run as formulas, filtered by the lookups
    the register declares and by nothing else.

    wagtail-modeladmin applies every other parameter of the query string as a lookup (and
    Django's admin, through ``ModelAdmin.lookup_allowed``, any lookup on the model's own
    fields), so ``?requester__password__startswith=…`` would answer with rows or none and give
    away another account's password hash a character at a time. A register here accepts only
    its list filters' parameters (each filter's ``expected_parameters()``, or a
    ``SimpleListFilter``'s ``parameter_name``), the search (``q``), the ordering (``o``,
    ``ot``), the page (``p``), the export (``export``) and Django's error flag (``e``).

    Any other parameter filters nothing: the view redirects to the same listing without it,
    keeping the declared ones, and says so. A declared filter given a value it cannot use (a
    date that is no date) redirects to the whole register with ``?e=1``, as Django's admin
    does, and says so. Neither answer depends on the rows, so neither tells anyone anything.
    """

    def get_heading(self, queryset, field):
        # wagtail-modeladmin's view leaves out the register's own headings.
        heading = getattr(self.model_admin, "export_headings", {}).get(field)
        return str(heading) if heading else super().get_heading(queryset, field)

    def get_filename(self):
        """The register's name in the interface's language and today's date, such as
        “公开申请-2026-12-02”: the file an office saves."""
        return f"{self.model_admin.get_menu_label()}-{today().isoformat()}"

    def get_filters_params(self, params=None):
        # The list filters pop their own parameters from this dict: what is left once they
        # have is undeclared.
        self.undeclared_params = super().get_filters_params(params)
        return self.undeclared_params

    def get_filters(self, request):
        try:
            filters = super().get_filters(request)
        except IncorrectLookupParameters:
            # Raised for a lookup on a field the model does not have: an undeclared one.
            if self.undeclared_params:
                raise UndeclaredLookups(sorted(self.undeclared_params)) from None
            raise
        if self.undeclared_params:
            raise UndeclaredLookups(sorted(self.undeclared_params))
        return filters

    def dispatch(self, request, *args, **kwargs):
        try:
            if any("\x00" in value for value in request.GET.values()):
                # PostgreSQL refuses a NUL in any text it compares: no filter can use it.
                raise IncorrectLookupParameters
            return super().dispatch(request, *args, **kwargs)
        except UndeclaredLookups as undeclared:
            query = request.GET.copy()
            for name in undeclared.names:
                query.pop(name, None)
            messages.warning(
                request,
                _(
                    "The address asked to filter this register in a way it cannot be "
                    "filtered: that part was left out."
                ),
            )
            return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        except IncorrectLookupParameters:
            messages.error(
                request,
                _(
                    "A filter in the address has a value it cannot use: the whole register "
                    "is shown."
                ),
            )
            return redirect(f"{request.path}?{self.ERROR_FLAG}=1")


class RegisterHistoryView(HistoryView):
    """A row's audit log, for those who may read the row (modeladmin checks nothing here)."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_inspect_obj(user, self.instance)


class SchoolPermissionHelper(PermissionHelper):
    """Model permissions, narrowed to the rows of the schools the user works on."""

    def works_on(self, user, obj):
        return access_for(user).is_staff_of(obj.catalog_id)

    def reads(self, user, obj):
        return access_for(user).sees_catalog_in_admin(obj.catalog_id)

    def user_can_edit_obj(self, user, obj):
        return super().user_can_edit_obj(user, obj) and self.works_on(user, obj)

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and self.reads(user, obj)

    def user_can_delete_obj(self, user, obj):
        # What a reader sent, and what a school recorded, is kept.
        return user.is_superuser and super().user_can_delete_obj(user, obj)


class RegisterAdmin(ModelAdmin):
    """A register: its listing filters by the lookups it declares only, and a row's address
    that holds no id (``edit/²/``, ``inspect/abc/``) is a 404."""

    index_view_class = RegisterIndexView

    def checked_pk(self, instance_pk):
        # wagtail-modeladmin's routes take any word for the row's id, and a lookup of one
        # that is no number fails with a ValueError.
        if object_id(unquote(instance_pk)) is None:
            raise Http404
        return instance_pk

    def edit_view(self, request, instance_pk):
        return super().edit_view(request, self.checked_pk(instance_pk))

    def inspect_view(self, request, instance_pk):
        return super().inspect_view(request, self.checked_pk(instance_pk))

    def delete_view(self, request, instance_pk):
        return super().delete_view(request, self.checked_pk(instance_pk))

    def history_view(self, request, instance_pk):
        return super().history_view(request, self.checked_pk(instance_pk))


class SchoolRegisterAdmin(RegisterAdmin):
    """A register of rows that each belong to one school's column."""

    permission_helper_class = SchoolPermissionHelper
    history_view_class = RegisterHistoryView
    inspect_view_enabled = True
    menu_icon = "list-ul"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("catalog")
        return queryset.filter(access_for(request.user).register_rows())


class SchoolRowForm(WagtailAdminModelForm):
    """A new row of a register: the column is one of those the user works on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("catalog")
        if field is not None and self.for_user is not None:
            catalogs = (
                Catalog.objects.all()
                if self.for_user.is_superuser
                else staff_catalogs(self.for_user)
            )
            field.queryset = catalogs
            if catalogs.count() == 1 and not self.instance.pk:
                field.initial = catalogs.get().pk

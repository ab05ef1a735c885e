"""The admin registers, through wagtail-modeladmin: requests, receptions, opinions, holidays.

This module is the only one that knows about wagtail-modeladmin. Each register shows a school's
people their own school's rows only, and district supervisors every row; a school's people
change their own rows, supervisors none. Nothing accepted is deleted from a register.
"""

from django import forms
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import CreateView, EditView, HistoryView, IndexView

from .exports import SafeSpreadsheetExportMixin
from .inputs import object_id
from .isolation import staff_catalogs
from .models import (
    ANSWERS_WITH_ITEM,
    AnswerType,
    Catalog,
    DisclosureItem,
    DisclosureRequest,
    Feedback,
    Holiday,
    ReceptionRecord,
    RequestError,
    RequestStatus,
)
from .models.access import access_for
from .models.deadlines import today
from .notifications import notify
from .privacy import can_view_item


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
        return access_for(user).sees_column_in_admin(obj.catalog_id)

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


# Disclosure requests ------------------------------------------------------------------------


class OverdueFilter(SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("overdue")), ("open", _("not answered yet"))]

    def queryset(self, request, queryset):
        open_requests = queryset.exclude(status=RequestStatus.ANSWERED)
        if self.value() == "open":
            return open_requests
        if self.value() == "overdue":
            overdue = [item.pk for item in open_requests if item.is_overdue]
            return queryset.filter(pk__in=overdue)
        return queryset


class NewRequestForm(SchoolRowForm):
    """A request the school received otherwise (on paper, in person), entered by its staff."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("catalog", "name", "subject", "description"):
            self.fields[name].required = True

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("email") and not cleaned_data.get("phone"):
            raise ValidationError(_("Give the requester's email address or phone number."))
        return cleaned_data

    def save(self, commit=True):
        fields = {
            name: self.cleaned_data.get(name, "")
            for name in ("name", "email", "phone", "subject", "description", "purpose")
        }
        self.instance = DisclosureRequest.objects.receive(self.cleaned_data["catalog"], **fields)
        return self.instance


class ProcessRequestForm(WagtailAdminModelForm):
    """The next step of a request: accept, ask for clarification, extend, or answer."""

    ACTIONS = {
        "accept": _("Accept it"),
        "clarify": _("Ask the requester to clarify (the clock stops)"),
        "extend": _("Extend the deadline, once"),
        "answer": _("Answer"),
    }

    action = forms.ChoiceField(label=_("Next step"), widget=forms.RadioSelect)
    question = forms.CharField(
        label=_("What needs clarifying"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )
    extension_reason = forms.CharField(
        label=_("Reason for the extension"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )
    answer_type = forms.ChoiceField(
        label=_("Answer"), required=False, choices=[("", "---------"), *AnswerType.choices]
    )
    answer_item = forms.ModelChoiceField(
        label=_("Published item"),
        required=False,
        queryset=DisclosureItem.objects.none(),
        help_text=_("For “disclosed” and “already disclosed”: the item that answers it."),
    )
    other_organisation = forms.CharField(
        label=_("Organisation that holds it"), required=False, max_length=100
    )
    deferred_until = forms.DateField(
        label=_("To be reconsidered on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Required for every answer but a disclosure; the requester reads it."),
    )

    class Meta:
        model = DisclosureRequest
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.instance
        allowed = {
            RequestStatus.RECEIVED: ["accept", "clarify", "answer"],
            RequestStatus.ACCEPTED: ["clarify", "answer"],
        }.get(request.status, [])
        if request.can_be_extended:
            allowed.append("extend")
        self.fields["action"].choices = [(name, self.ACTIONS[name]) for name in allowed]
        self.fields["answer_item"].queryset = (
            DisclosureItem.objects.live()
            .filter(entry__catalog_id=request.catalog_id)
            .order_by("-formed_on")
        )

    def clean(self):
        cleaned_data = super().clean()
        action = cleaned_data.get("action")
        request = self.instance
        if not self.fields["action"].choices:
            raise ValidationError(_("This request has been answered: nothing more to do."))
        if action == "clarify" and not cleaned_data.get("question", "").strip():
            self.add_error("question", _("Say what the requester should clarify."))
        if action == "extend" and not cleaned_data.get("extension_reason", "").strip():
            self.add_error("extension_reason", _("Give the reason for the extension."))
        if action == "answer":
            self.clean_answer(cleaned_data, request)
        return cleaned_data

    def clean_answer(self, cleaned_data, request):
        answer_type = cleaned_data.get("answer_type")
        if not answer_type:
            self.add_error("answer_type", _("Choose the answer."))
            return
        item = cleaned_data.get("answer_item")
        if answer_type in ANSWERS_WITH_ITEM:
            if item is None:
                self.add_error("answer_item", _("Choose the published item that answers it."))
            elif not self.requester_may_read(request, item):
                self.add_error(
                    "answer_item",
                    _(
                        "The requester may not read this internal item. Choose a public "
                        "item, or answer otherwise."
                    ),
                )
        elif not cleaned_data.get("explanation", "").strip():
            self.add_error("explanation", _("Every answer but a disclosure needs an explanation."))
        if (
            answer_type == AnswerType.ALREADY_DISCLOSED
            and not cleaned_data.get("explanation", "").strip()
        ):
            self.add_error("explanation", _("Every answer but a disclosure needs an explanation."))
        if (
            answer_type == AnswerType.NOT_THIS_ORGANISATION
            and not cleaned_data.get("other_organisation", "").strip()
        ):
            self.add_error("other_organisation", _("Say which organisation holds it."))
        if answer_type == AnswerType.DEFERRED:
            until = cleaned_data.get("deferred_until")
            if until is None or until <= today():
                self.add_error(
                    "deferred_until", _("Give the date, after today, when it is reconsidered.")
                )

    @staticmethod
    def requester_may_read(request, item):
        if item.is_public:
            return True
        return request.requester is not None and can_view_item(request.requester, item)

    @transaction.atomic
    def save(self, commit=True):
        request, user, data = self.instance, self.for_user, self.cleaned_data
        action = data["action"]
        try:
            if action == "accept":
                request.accept(user)
            elif action == "clarify":
                request.ask_for_clarification(user, data["question"].strip())
            elif action == "extend":
                request.extend(user, data["extension_reason"].strip())
            else:
                request.answer(
                    user,
                    data["answer_type"],
                    explanation=data.get("explanation", "").strip(),
                    item=data.get("answer_item"),
                    organisation=data.get("other_organisation", "").strip(),
                    until=data.get("deferred_until"),
                )
        except RequestError as error:
            # Someone else took a step meanwhile: nothing is saved; say why.
            self.add_error(None, error)
            raise
        if action != "accept":
            notify(
                "request_updated",
                {"disclosure_request": request, "catalog": request.catalog},
                [request.email],
            )
        return request


class ProcessRequestView(EditView):
    def get_edit_handler(self):
        return ObjectList(
            [
                HelpPanel(template="dangwu_wagtail/admin/request_summary.html"),
                FieldPanel("action"),
                FieldPanel("question"),
                FieldPanel("extension_reason"),
                FieldPanel("answer_type"),
                FieldPanel("answer_item"),
                FieldRowPanel([FieldPanel("other_organisation"), FieldPanel("deferred_until")]),
                FieldPanel("explanation"),
            ],
            base_form_class=ProcessRequestForm,
        ).bind_to_model(DisclosureRequest)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except RequestError:
            return self.form_invalid(form)

    def get_success_message(self, instance):
        return gettext("Request %(reference)s: %(status)s.") % {
            "reference": instance.reference,
            "status": instance.get_status_display(),
        }


class NewRequestView(CreateView):
    def get_edit_handler(self):
        return ObjectList(
            [
                FieldPanel("catalog"),
                FieldRowPanel([FieldPanel("name"), FieldPanel("email"), FieldPanel("phone")]),
                FieldPanel("subject"),
                FieldPanel("description"),
                FieldPanel("purpose"),
            ],
            base_form_class=NewRequestForm,
        ).bind_to_model(DisclosureRequest)


class DisclosureRequestAdmin(SchoolRegisterAdmin):
    model = DisclosureRequest
    menu_label = _("Disclosure requests")
    list_display = ["reference", "subject", "catalog", "status_column", "due_column", "answer_type"]
    list_filter = ["status", "answer_type", OverdueFilter]
    search_fields = ["reference", "subject", "name"]
    edit_view_class = ProcessRequestView
    create_view_class = NewRequestView
    list_export = [
        "reference",
        "catalog",
        "received_at",
        "name",
        "subject",
        "status",
        "due_date",
        "answer_type",
        "answered_on",
        "answered_on_time",
    ]
    export_headings = {"due_date": _("deadline"), "answered_on_time": _("answered on time")}
    inspect_view_fields = [
        "reference",
        "catalog",
        "received_at",
        "name",
        "email",
        "phone",
        "subject",
        "description",
        "purpose",
        "status",
        "clarification_question",
        "clarification_answer",
        "extension_reason",
        "answer_type",
        "answer_explanation",
        "answer_item",
        "other_organisation",
        "deferred_until",
        "answered_on",
        "handled_by",
    ]

    @admin_column(_("status"))
    def status_column(self, obj):
        return obj.get_status_display()

    @admin_column(_("due"))
    def due_column(self, obj):
        due = obj.due_date
        if obj.status == RequestStatus.CLARIFICATION:
            return gettext("clock stopped")
        if due is None:
            return "—"
        if obj.is_overdue:
            return format_html(
                '<span class="w-status w-status--label dangwu-overdue">{} {}</span>',
                gettext("Overdue"),
                due.isoformat(),
            )
        return due.isoformat()


# Reception records --------------------------------------------------------------------------


class ReceptionForm(SchoolRowForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("disclosure_request")
        if field is not None:
            field.queryset = DisclosureRequest.objects.filter(
                catalog__in=self.fields["catalog"].queryset
            )

    def clean(self):
        cleaned_data = super().clean()
        request, catalog = cleaned_data.get("disclosure_request"), cleaned_data.get("catalog")
        if request is not None and catalog is not None and request.catalog_id != catalog.pk:
            self.add_error("disclosure_request", _("Choose a request made to the same column."))
        return cleaned_data

    def save(self, commit=True):
        if self.instance.recorded_by_id is None:
            self.instance.recorded_by = self.for_user
        return super().save(commit=commit)


class ReceptionRecordAdmin(SchoolRegisterAdmin):
    model = ReceptionRecord
    menu_label = _("Reception records")
    list_display = ["visited_at", "visitor_name", "catalog", "question", "received_by"]
    list_filter = ["visited_at"]
    search_fields = ["visitor_name", "question", "outcome"]
    list_export = [
        "visited_at",
        "catalog",
        "visitor_name",
        "visitor_contact",
        "place",
        "question",
        "received_by",
        "outcome",
        "disclosure_request",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("catalog"),
            FieldRowPanel([FieldPanel("visitor_name"), FieldPanel("visitor_contact")]),
            FieldRowPanel([FieldPanel("visited_at"), FieldPanel("place")]),
            FieldPanel("question"),
            FieldPanel("received_by"),
            FieldPanel("outcome"),
            FieldPanel("disclosure_request"),
        ],
        base_form_class=ReceptionForm,
    )


# Opinions and suggestions -------------------------------------------------------------------


class FeedbackAnswerForm(WagtailAdminModelForm):
    """The school classifies an opinion, answers it and marks it for the report."""

    class Meta:
        model = Feedback
        fields = ["category", "answer", "in_report"]

    def clean_answer(self):
        return self.cleaned_data["answer"].strip()

    def save(self, commit=True):
        answered = "answer" in self.changed_data and bool(self.cleaned_data["answer"])
        if answered:
            self.instance.answered_at = timezone.now()
            self.instance.answered_by = self.for_user
        feedback = super().save(commit=commit)
        if answered:
            notify(
                "feedback_answered",
                {"feedback": feedback, "catalog": feedback.catalog},
                [feedback.author.email if feedback.author else ""],
            )
        return feedback


class AnsweredFilter(SimpleListFilter):
    title = _("answered")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("yes", _("answered")), ("no", _("not answered yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(answered_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(answered_at__isnull=True)
        return queryset


class FeedbackAdmin(SchoolRegisterAdmin):
    model = Feedback
    menu_label = _("Opinions and suggestions")
    list_display = [
        "created_at",
        "author_name",
        "catalog",
        "subject_column",
        "category",
        "answered_at",
    ]
    list_filter = ["category", AnsweredFilter, "in_report"]
    search_fields = ["text", "answer", "author_name"]
    list_export = [
        "created_at",
        "catalog",
        "author_name",
        "subject",
        "category",
        "text",
        "answer",
        "answered_at",
    ]
    export_headings = {"subject": _("about")}

    @admin_column(_("about"))
    def subject_column(self, obj):
        return obj.subject

    edit_handler = ObjectList(
        [
            HelpPanel(template="dangwu_wagtail/admin/feedback_summary.html"),
            FieldPanel("category"),
            FieldPanel("answer"),
            FieldPanel("in_report"),
        ],
        base_form_class=FeedbackAnswerForm,
    )


# Holidays -------------------------------------------------------------------------------------


class HolidayAdmin(RegisterAdmin):
    model = Holiday
    menu_label = _("Holidays")
    menu_icon = "date"
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]


class RegistersGroup(ModelAdminGroup):
    menu_label = _("Disclosure registers")
    menu_icon = "folder-open-inverse"
    menu_order = 260
    items = [DisclosureRequestAdmin, ReceptionRecordAdmin, FeedbackAdmin, HolidayAdmin]

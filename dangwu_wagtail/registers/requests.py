"""The register of disclosure requests (依申请公开): paper requests entered, next steps taken."""

import datetime

from django import forms
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, ObjectList
from wagtail_modeladmin.views import CreateView, EditView

from ..models import (
    CANNOT_PROVIDE_REASONS,
    REFUSAL_REASONS,
    AnswerType,
    DisclosureItem,
    DisclosureRequest,
    RequestError,
    RequestStatus,
)
from ..models.deadlines import today
from .base import SchoolRegisterAdmin, SchoolRowForm, admin_column


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
            # Found by the database: the register may hold tens of thousands of requests.
            return queryset.due_by(today() - datetime.timedelta(days=1))
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
    refusal_reason = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=[
            ("", "---------"),
            (_("Refused (不予公开)"), [(r.value, r.label) for r in REFUSAL_REASONS]),
            (
                _("Cannot be provided (无法提供)"),
                [(r.value, r.label) for r in CANNOT_PROVIDE_REASONS],
            ),
        ],
        help_text=_(
            "For a refusal, for information that does not exist and for information another "
            "organisation holds: the reason, as the annual report counts it."
        ),
    )
    answer_item = forms.ModelChoiceField(
        label=_("Published item"),
        required=False,
        queryset=DisclosureItem.objects.none(),
        help_text=_(
            "For “disclosed”, “partly disclosed” and “already disclosed”: the item that answers it."
        ),
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

    #: The form's fields for the keywords of ``DisclosureRequest.take_step``.
    VALUES = {
        "question": "question",
        "reason": "extension_reason",
        "answer_type": "answer_type",
        "explanation": "explanation",
        "item": "answer_item",
        "refusal_reason": "refusal_reason",
        "organisation": "other_organisation",
        "until": "deferred_until",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.instance
        self.fields["action"].choices = [
            (name, self.ACTIONS[name]) for name in request.next_steps()
        ]
        self.fields["answer_item"].queryset = (
            DisclosureItem.objects.live()
            .filter(entry__catalog_id=request.catalog_id)
            .order_by("-formed_on")
        )

    def step_values(self):
        return {value: self.cleaned_data.get(field) for value, field in self.VALUES.items()}

    def clean(self):
        cleaned_data = super().clean()
        if not self.fields["action"].choices:
            raise ValidationError(_("This request has been answered: nothing more to do."))
        step = cleaned_data.get("action")
        if step:
            errors = self.instance.step_errors(step, **self.step_values())
            for value, message in errors.items():
                self.add_error(self.VALUES[value], message)
        return cleaned_data

    def save(self, commit=True):
        try:
            self.instance.take_step(
                self.for_user, self.cleaned_data["action"], **self.step_values()
            )
        except RequestError as error:
            # Someone else took a step meanwhile: nothing is saved; say why.
            self.add_error(None, error)
            raise
        return self.instance


class ProcessRequestView(EditView):
    def get_edit_handler(self):
        return ObjectList(
            [
                HelpPanel(template="dangwu_wagtail/admin/request_summary.html"),
                FieldPanel("action"),
                FieldPanel("question"),
                FieldPanel("extension_reason"),
                FieldPanel("answer_type"),
                FieldPanel("refusal_reason"),
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
    list_filter = ["status", "answer_type", "refusal_reason", OverdueFilter]
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
        "refusal_reason",
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
        "refusal_reason",
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

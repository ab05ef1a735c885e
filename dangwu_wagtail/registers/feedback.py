"""The register of opinions and suggestions (意见和建议): classified, answered, reported."""

from django.contrib.admin import SimpleListFilter
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList

from ..models import (
    Feedback,
)
from ..notifications import notify
from .base import SchoolRegisterAdmin, admin_column


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

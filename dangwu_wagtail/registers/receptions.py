"""The register of receptions (接待记录): enquiries received in person."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList

from ..models import (
    DisclosureRequest,
    ReceptionRecord,
)
from .base import SchoolRegisterAdmin, SchoolRowForm


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

"""``DisclosureRequest`` (依申请公开): information asked for that is not in the catalog.

Lifecycle: *received*; then *accepted*, or sent back *for clarification* (the clock stops until
the requester answers, then the request is received again); then *answered*. The deadline is
counted in working days (``deadlines``) and may be extended once, with a reason. Every step is
written to Wagtail's audit log.
"""

import uuid

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import deadlines
from .catalog import Catalog
from .request_choices import (  # noqa: F401 (re-exported)
    ANSWERS_WITH_ITEM,
    CANNOT_PROVIDE_ANSWERS,
    CANNOT_PROVIDE_REASONS,
    REASONS_BY_ANSWER,
    REFUSAL_REASONS,
    REQUEST_LOG_ACTIONS,
    AnswerType,
    RefusalReason,
    RequestStatus,
)
from .request_numbers import RequestSequence, reference_prefix
from .request_steps import RequestError, RequestSteps, request_updated  # noqa: F401


def answered_in_time(answered_on, due):
    """Whether an answer given on ``answered_on`` met the deadline ``due`` (if there was one)."""
    return due is None or answered_on is None or answered_on <= due


def attachment_path(instance, filename):
    # Unguessable: the requester's file is served only through the admin.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dangwu_wagtail/requests/{uuid.uuid4().hex}.{extension}"


class DisclosureRequestQuerySet(models.QuerySet):
    def due_by(self, day):
        """The requests not answered yet whose clock runs and whose deadline is ``day`` or
        earlier, found by the database: for each number of working days left, the requests
        whose clock started on or before the latest start still due by ``day``."""
        running = (
            self.exclude(status=RequestStatus.ANSWERED)
            .filter(clock_stopped_on__isnull=True)
            .annotate(
                days_left=Greatest(F("working_days_allowed") - F("working_days_spent"), Value(0))
            )
        )
        calendar = deadlines.working_calendar()
        condition = Q(pk__in=[])
        for days_left in running.order_by().values_list("days_left", flat=True).distinct():
            condition |= Q(
                days_left=days_left,
                clock_started_on__lte=deadlines.latest_start_due_by(days_left, day, calendar),
            )
        return running.filter(condition)


class DisclosureRequestManager(models.Manager.from_queryset(DisclosureRequestQuerySet)):
    def receive(self, catalog, **fields):
        """Save a new request to ``catalog``, with its reference and its clock started."""
        received_at = fields.pop("received_at", None) or timezone.now()
        received_on = timezone.localdate(received_at)
        with transaction.atomic():
            for _attempt in range(5):
                number = RequestSequence.take_number(catalog, received_on.year)
                request = self.model(
                    catalog=catalog,
                    reference=f"{reference_prefix(catalog, received_on.year)}{number:04d}",
                    received_at=received_at,
                    clock_started_on=received_on,
                    working_days_allowed=deadlines.request_limit(),
                    **fields,
                )
                try:
                    with transaction.atomic():
                        request.save()
                except IntegrityError:
                    # The reference was given outside the counter (a row restored from a
                    # backup, say): take the next number.
                    continue
                request._log("receive", fields.get("requester"))
                return request
        raise IntegrityError("Could not give the request a unique reference.")


class DisclosureRequest(RequestSteps):
    catalog = models.ForeignKey(
        Catalog,
        verbose_name=_("column"),
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
    )
    reference = models.CharField(verbose_name=_("reference"), max_length=30, unique=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(verbose_name=pgettext_lazy("person", "name"), max_length=50)
    email = models.EmailField(verbose_name=_("email"), blank=True)
    phone = models.CharField(verbose_name=_("phone"), max_length=20, blank=True)
    subject = models.CharField(verbose_name=_("subject"), max_length=200)
    description = models.TextField(
        verbose_name=_("information asked for"),
        max_length=5000,
        help_text=_("Describe the information you ask for as precisely as you can."),
    )
    purpose = models.TextField(verbose_name=_("purpose"), max_length=1000, blank=True)
    attachment = models.FileField(
        verbose_name=_("attachment"), upload_to=attachment_path, blank=True, max_length=200
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=15,
        choices=RequestStatus.choices,
        default=RequestStatus.RECEIVED,
    )
    received_at = models.DateTimeField(verbose_name=_("received at"), default=timezone.now)

    # The clock: working days are spent while it runs, from clock_started_on.
    working_days_allowed = models.PositiveSmallIntegerField(verbose_name=_("working days allowed"))
    working_days_spent = models.PositiveSmallIntegerField(
        verbose_name=_("working days spent before the clock last stopped"), default=0
    )
    clock_started_on = models.DateField(verbose_name=_("clock started on"))
    clock_stopped_on = models.DateField(verbose_name=_("clock stopped on"), null=True, blank=True)

    clarification_question = models.TextField(
        verbose_name=_("what needs clarifying"), max_length=2000, blank=True
    )
    clarification_answer = models.TextField(
        verbose_name=_("requester's clarification"), max_length=5000, blank=True
    )
    extended_on = models.DateField(verbose_name=_("extended on"), null=True, blank=True)
    extension_reason = models.TextField(
        verbose_name=_("reason for the extension"), max_length=2000, blank=True
    )

    answer_type = models.CharField(
        verbose_name=_("answer"), max_length=25, choices=AnswerType.choices, blank=True
    )
    answer_explanation = models.TextField(
        verbose_name=_("explanation"), max_length=5000, blank=True
    )
    refusal_reason = models.CharField(
        verbose_name=_("reason"),
        max_length=30,
        choices=RefusalReason.choices,
        blank=True,
        help_text=_("Why it is refused, or why it cannot be provided, as annual reports count it."),
    )
    answer_item = models.ForeignKey(
        "dangwu_wagtail.DisclosureItem",
        verbose_name=_("published item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    other_organisation = models.CharField(
        verbose_name=_("organisation that holds it"), max_length=100, blank=True
    )
    deferred_until = models.DateField(
        verbose_name=_("to be reconsidered on"), null=True, blank=True
    )
    answered_on = models.DateField(verbose_name=_("answered on"), null=True, blank=True)
    due_when_answered = models.DateField(
        verbose_name=_("due date when answered"), null=True, blank=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DisclosureRequestManager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")

    def __str__(self):
        return f"{self.reference} {self.subject}"

    # The clock ---------------------------------------------------------------------------

    @property
    def due_date(self):
        """When it must be answered; ``None`` while awaiting clarification or answered."""
        if self.status == RequestStatus.ANSWERED:
            return self.due_when_answered
        return deadlines.request_due_date(self)

    @property
    def is_overdue(self):
        due = self.due_date
        if self.status == RequestStatus.ANSWERED:
            return not answered_in_time(self.answered_on, due)
        return due is not None and deadlines.today() > due

    @property
    def answered_on_time(self):
        if self.status != RequestStatus.ANSWERED:
            return None
        return not self.is_overdue

    @property
    def can_be_extended(self):
        return self.extended_on is None and self.status in (
            RequestStatus.RECEIVED,
            RequestStatus.ACCEPTED,
        )

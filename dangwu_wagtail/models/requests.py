"""``DisclosureRequest`` (依申请公开): information asked for that is not in the catalog.

Lifecycle: *received*; then *accepted*, or sent back *for clarification* (the clock stops until
the requester answers, then the request is received again); then *answered*. The deadline is
counted in working days (``deadlines``) and may be extended once, with a reason. Every step is
written to Wagtail's audit log.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import deadlines
from .access import access_for
from .catalog import Catalog
from .choices import Scope

#: Sent, in the step's transaction, when a school's staff have taken a step the requester is
#: told of (``DisclosureRequest.take_step``): with ``disclosure_request`` and ``step``. The
#: add-on's receiver emails the requester (``signal_handlers``).
request_updated = Signal()


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted")
    CLARIFICATION = "clarification", _("awaiting clarification")
    ANSWERED = "answered", pgettext_lazy("request status", "answered")


class AnswerType(models.TextChoices):
    DISCLOSED = "disclosed", _("disclosed (予以公开)")
    ALREADY_DISCLOSED = "already_disclosed", _("already disclosed (已经公开)")
    NOT_HELD = "not_held", _("not held (信息不存在)")
    NOT_THIS_ORGANISATION = "not_this_organisation", _("not held by this organisation")
    REFUSED = "refused", _("refused (不予公开)")
    DEFERRED = "deferred", _("not to be disclosed for now (暂时不宜公开)")


#: The steps of a request in Wagtail's audit log: action → (label, message).
REQUEST_LOG_ACTIONS = {
    "dangwu_wagtail.request.receive": (_("Receive request"), _("Request received")),
    "dangwu_wagtail.request.accept": (_("Accept request"), _("Request accepted")),
    "dangwu_wagtail.request.ask_for_clarification": (
        _("Ask for clarification"),
        _("Clarification asked for; the clock stopped"),
    ),
    "dangwu_wagtail.request.clarify": (
        _("Clarify request"),
        _("Request clarified; the clock runs again"),
    ),
    "dangwu_wagtail.request.extend": (_("Extend deadline"), _("Deadline extended")),
    "dangwu_wagtail.request.answer": (_("Answer request"), _("Request answered")),
}

#: Answers that link to a published item of the column.
ANSWERS_WITH_ITEM = {AnswerType.DISCLOSED, AnswerType.ALREADY_DISCLOSED}


def stripped(values):
    """``values`` with its texts stripped of surrounding white space."""
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in values.items()
    }


def answered_in_time(answered_on, due):
    """Whether an answer given on ``answered_on`` met the deadline ``due`` (if there was one)."""
    return due is None or answered_on is None or answered_on <= due


def attachment_path(instance, filename):
    # Unguessable: the requester's file is served only through the admin.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dangwu_wagtail/requests/{uuid.uuid4().hex}.{extension}"


class RequestError(ValidationError):
    """A step of the lifecycle that cannot be taken now."""


class RequestSequence(models.Model):
    """The last reference number given to one column's requests in one year.

    A counter row rather than a count of the rows (which gave a deleted request's successor
    the reference of a request still there, and failed every submission after it) or the
    highest reference plus one (which gives a deleted newest request's reference again, to
    someone else): the number only grows, so a reference names one request for good. The row
    is taken with ``select_for_update``, so two submissions at once wait for each other on
    PostgreSQL; on SQLite the writers already wait for each other with ``"transaction_mode":
    "IMMEDIATE"``, as the README advises.
    """

    catalog = models.ForeignKey(
        Catalog, verbose_name=_("column"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        verbose_name=pgettext_lazy("reference sequence", "year")
    )
    last_number = models.PositiveIntegerField(verbose_name=_("last number given"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["catalog", "year"], name="dangwu_request_sequence")
        ]
        verbose_name = _("request reference sequence")
        verbose_name_plural = _("request reference sequences")

    def __str__(self):
        return f"{self.year}-{self.catalog_id}: {self.last_number}"

    @classmethod
    def take_number(cls, catalog, year):
        """The next reference number of ``catalog`` in ``year``; call inside a transaction,
        which holds the counter until it ends."""
        sequence = cls.objects.select_for_update().filter(catalog=catalog, year=year).first()
        if sequence is None:
            try:
                with transaction.atomic():
                    sequence = cls.objects.create(
                        catalog=catalog, year=year, last_number=highest_number(catalog, year)
                    )
            except IntegrityError:
                # Another submission created it at the same moment: wait for it.
                sequence = cls.objects.select_for_update().get(catalog=catalog, year=year)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        return sequence.last_number


def reference_prefix(catalog, year):
    return f"{year}-{catalog.pk}-"


def highest_number(catalog, year):
    """The highest number among the references already given (before the counter existed)."""
    prefix = reference_prefix(catalog, year)
    numbers = [
        reference[len(prefix) :]
        for reference in DisclosureRequest.objects.filter(reference__startswith=prefix).values_list(
            "reference", flat=True
        )
    ]
    return max(
        (int(number) for number in numbers if number.isascii() and number.isdigit()), default=0
    )


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


class DisclosureRequest(models.Model):
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

    # The next step -------------------------------------------------------------------------

    #: The steps a school's staff take, by the name ``take_step`` knows them.
    STEPS = ("accept", "clarify", "extend", "answer")

    def next_steps(self):
        """The steps that may be taken now, in ``STEPS``' order."""
        steps = {
            RequestStatus.RECEIVED: ["accept", "clarify", "answer"],
            RequestStatus.ACCEPTED: ["clarify", "answer"],
        }.get(self.status, [])
        if self.can_be_extended:
            steps.append("extend")
        return steps

    def requester_may_read(self, item):
        """Whether the requester may read ``item``: a public one, or an internal one of a
        column the requester (a logged-in member) reads."""
        if item.scope == Scope.PUBLIC:
            return True
        return self.requester is not None and access_for(self.requester).reads_internal(
            item.entry.catalog_id
        )

    def step_errors(self, step, **values):
        """What stops ``step`` with ``values`` (``take_step``'s keywords), as a dict from the
        keyword to its message: empty when the step may be taken."""
        values = stripped(values)
        if step == "clarify" and not values.get("question"):
            return {"question": _("Say what the requester should clarify.")}
        if step == "extend" and not values.get("reason"):
            return {"reason": _("Give the reason for the extension.")}
        if step == "answer":
            return self.answer_errors(**values)
        return {}

    def answer_errors(
        self, answer_type="", explanation="", item=None, organisation="", until=None, **other_values
    ):
        """The rules of an answer: an item the requester may read for a disclosure, an
        explanation for every other answer, the organisation that holds it, the date it is
        reconsidered."""
        errors = {}
        if not answer_type:
            return {"answer_type": _("Choose the answer.")}
        if answer_type in ANSWERS_WITH_ITEM:
            if item is None:
                errors["item"] = _("Choose the published item that answers it.")
            elif not self.requester_may_read(item):
                errors["item"] = _(
                    "The requester may not read this internal item. Choose a public "
                    "item, or answer otherwise."
                )
        if answer_type != AnswerType.DISCLOSED and not explanation:
            errors["explanation"] = _("Every answer but a disclosure needs an explanation.")
        if answer_type == AnswerType.NOT_THIS_ORGANISATION and not organisation:
            errors["organisation"] = _("Say which organisation holds it.")
        if answer_type == AnswerType.DEFERRED and (until is None or until <= deadlines.today()):
            errors["until"] = _("Give the date, after today, when it is reconsidered.")
        return errors

    @transaction.atomic
    def take_step(self, user, step, **values):
        """Check and take ``step`` (one of ``STEPS``) for ``user``, with its ``values``:
        ``question`` (clarify), ``reason`` (extend), or ``answer_type``, ``explanation``,
        ``item``, ``organisation`` and ``until`` (answer).

        Raises ``ValidationError`` (a dict by keyword) for values the step refuses and
        ``RequestError`` for a step that cannot be taken now; saves nothing then. Sends
        ``request_updated`` for every step but accepting.
        """
        if step not in self.next_steps():
            raise RequestError(
                _("This request is %(status)s: that cannot be done now.")
                % {"status": self.get_status_display()}
            )
        values = stripped(values)
        errors = self.step_errors(step, **values)
        if errors:
            raise ValidationError(errors)
        if step == "accept":
            self.accept(user)
        elif step == "clarify":
            self.ask_for_clarification(user, values["question"])
        elif step == "extend":
            self.extend(user, values["reason"])
        else:
            self.answer(
                user,
                values["answer_type"],
                explanation=values.get("explanation", ""),
                item=values.get("item"),
                organisation=values.get("organisation", ""),
                until=values.get("until"),
            )
        if step != "accept":
            request_updated.send(type(self), disclosure_request=self, step=step)

    # The lifecycle -------------------------------------------------------------------------

    def _require(self, *statuses):
        """Lock the row and check its status: of two people acting at once, the second
        finds the first one's step taken."""
        type(self).objects.select_for_update().filter(pk=self.pk).values_list("pk").get()
        self.refresh_from_db()
        if self.status not in statuses:
            raise RequestError(
                _("This request is %(status)s: that cannot be done now.")
                % {"status": self.get_status_display()}
            )

    def _log(self, action, user=None, **data):
        from wagtail.log_actions import log

        log(instance=self, action=f"dangwu_wagtail.request.{action}", user=user, data=data)

    @transaction.atomic
    def accept(self, user):
        self._require(RequestStatus.RECEIVED)
        self.status = RequestStatus.ACCEPTED
        self.handled_by = user
        self.save()
        self._log("accept", user)

    @transaction.atomic
    def ask_for_clarification(self, user, question):
        self._require(RequestStatus.RECEIVED, RequestStatus.ACCEPTED)
        stopped = deadlines.today()
        self.working_days_spent += deadlines.working_days_between(self.clock_started_on, stopped)
        self.clock_stopped_on = stopped
        self.clarification_question = question
        self.status = RequestStatus.CLARIFICATION
        self.handled_by = user
        self.save()
        self._log("ask_for_clarification", user, question=question)

    @transaction.atomic
    def clarify(self, answer, user=None):
        """The requester answers: the request is received again and its clock runs on."""
        self._require(RequestStatus.CLARIFICATION)
        self.clarification_answer = answer
        self.clock_started_on = deadlines.today()
        self.clock_stopped_on = None
        self.status = RequestStatus.RECEIVED
        self.save()
        self._log("clarify", user)

    @transaction.atomic
    def extend(self, user, reason):
        self._require(RequestStatus.RECEIVED, RequestStatus.ACCEPTED)
        if self.extended_on is not None:
            raise RequestError(_("The deadline has already been extended once."))
        self.extended_on = deadlines.today()
        self.extension_reason = reason
        self.working_days_allowed += deadlines.request_extension()
        self.save()
        self._log("extend", user, reason=reason)

    @transaction.atomic
    def answer(self, user, answer_type, explanation="", item=None, organisation="", until=None):
        self._require(RequestStatus.RECEIVED, RequestStatus.ACCEPTED)
        self.due_when_answered = self.due_date
        self.answer_type = answer_type
        self.answer_explanation = explanation
        self.answer_item = item if answer_type in ANSWERS_WITH_ITEM else None
        self.other_organisation = organisation
        self.deferred_until = until if answer_type == AnswerType.DEFERRED else None
        self.answered_on = deadlines.today()
        self.status = RequestStatus.ANSWERED
        self.handled_by = user
        self.save()
        self._log("answer", user, answer_type=answer_type)

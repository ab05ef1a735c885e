"""The steps a school's staff take on a disclosure request, and their rules: accept, ask for
clarification, extend once, answer. Each step is checked, taken under a row lock, and written
to Wagtail's audit log."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from . import deadlines
from .access import access_for
from .choices import Scope
from .request_choices import (
    ANSWERS_WITH_ITEM,
    DEFAULT_REASONS,
    REASONS_BY_ANSWER,
    AnswerType,
    RequestStatus,
)

#: Sent, in the step's transaction, when a school's staff have taken a step the requester is
#: told of (``DisclosureRequest.take_step``): with ``disclosure_request`` and ``step``. The
#: add-on's receiver emails the requester (``signal_handlers``).
request_updated = Signal()


def stripped(values):
    """``values`` with its texts stripped of surrounding white space."""
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in values.items()
    }


class RequestError(ValidationError):
    """A step of the lifecycle that cannot be taken now."""


class RequestSteps(models.Model):
    """The steps of ``DisclosureRequest``."""

    class Meta:
        abstract = True

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
        self,
        answer_type="",
        explanation="",
        item=None,
        organisation="",
        until=None,
        refusal_reason="",
        **other_values,
    ):
        """The rules of an answer: an item the requester may read for a disclosure (in part
        or in full), an explanation for every other answer (for a partial disclosure: what is
        withheld and why), the reason of a refusal or of information that cannot be
        provided, the organisation that holds it, the date it is reconsidered."""
        errors = {}
        if not answer_type:
            return {"answer_type": _("Choose the answer.")}
        if answer_type not in AnswerType.values:
            return {"answer_type": _("Choose one of the answers offered.")}
        reasons = REASONS_BY_ANSWER.get(answer_type)
        refusal_reason = refusal_reason or DEFAULT_REASONS.get(answer_type, "")
        if reasons and refusal_reason not in reasons:
            errors["refusal_reason"] = (
                _("Choose the reason, one of those that fit this answer.")
                if refusal_reason
                else _("Choose the reason for this answer.")
            )
        if answer_type == AnswerType.PARTIAL and not explanation:
            errors["explanation"] = _("Say what is withheld, and why.")
        if answer_type in ANSWERS_WITH_ITEM:
            if item is None:
                errors["item"] = _("Choose the published item that answers it.")
            elif not self.requester_may_read(item):
                errors["item"] = _(
                    "The requester may not read this internal item. Choose a public "
                    "item, or answer otherwise."
                )
        if answer_type != AnswerType.DISCLOSED and not explanation and "explanation" not in errors:
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
        ``item``, ``refusal_reason``, ``organisation`` and ``until`` (answer).

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
                refusal_reason=values.get("refusal_reason") or "",
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
    def answer(
        self,
        user,
        answer_type,
        explanation="",
        item=None,
        organisation="",
        until=None,
        refusal_reason="",
    ):
        self._require(RequestStatus.RECEIVED, RequestStatus.ACCEPTED)
        self.due_when_answered = self.due_date
        self.answer_type = answer_type
        self.refusal_reason = (
            refusal_reason or DEFAULT_REASONS.get(answer_type, "")
            if answer_type in REASONS_BY_ANSWER
            else ""
        )
        self.answer_explanation = explanation
        self.answer_item = item if answer_type in ANSWERS_WITH_ITEM else None
        self.other_organisation = organisation
        self.deferred_until = until if answer_type == AnswerType.DEFERRED else None
        self.answered_on = deadlines.today()
        self.status = RequestStatus.ANSWERED
        self.handled_by = user
        self.save()
        self._log("answer", user, answer_type=answer_type)

"""``OutgoingEmail``: every email the site sends, kept until it is delivered.

An email is written here in the same transaction as what it is about (a request, an opinion,
a workflow step), so it is accepted, or not, with it. The task worker delivers it afterwards
and records each attempt: a mail server that is down delays an email, it never loses one, and
an email recorded as sent is never sent again. ``ScheduledRun`` keeps which runs of the
worker's schedules have been started, so that several workers start each run once.
"""

import pickle

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmailStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("email status", "waiting to be sent")
    SENT = "sent", pgettext_lazy("email status", "sent")
    FAILED = "failed", pgettext_lazy("email status", "not sent")


class OutgoingEmail(models.Model):
    """One email message, as Django's ``EmailMessage`` makes it, and how its delivery went."""

    created_at = models.DateTimeField(
        verbose_name=pgettext_lazy("outgoing email", "queued at"), auto_now_add=True
    )
    subject = models.CharField(
        verbose_name=pgettext_lazy("outgoing email", "subject"), max_length=255, blank=True
    )
    recipients = models.TextField(
        verbose_name=pgettext_lazy("outgoing email", "recipients"), blank=True
    )
    message = models.BinaryField(verbose_name=pgettext_lazy("outgoing email", "message"))
    status = models.CharField(
        verbose_name=pgettext_lazy("outgoing email", "status"),
        max_length=10,
        choices=EmailStatus.choices,
        default=EmailStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(
        verbose_name=pgettext_lazy("outgoing email", "attempts"), default=0
    )
    next_attempt_at = models.DateTimeField(
        verbose_name=pgettext_lazy("outgoing email", "next attempt"), null=True
    )
    # While a worker sends the email; past it, a worker that died is taken to have failed.
    claimed_until = models.DateTimeField(
        verbose_name=pgettext_lazy("outgoing email", "claimed until"), null=True
    )
    last_error = models.TextField(
        verbose_name=pgettext_lazy("outgoing email", "last error"), blank=True
    )
    sent_at = models.DateTimeField(
        verbose_name=pgettext_lazy("outgoing email", "sent at"), null=True
    )

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @classmethod
    def for_message(cls, message):
        """An unsaved row for ``message`` (a Django ``EmailMessage``)."""
        connection, message.connection = message.connection, None
        try:
            data = pickle.dumps(message)
        finally:
            message.connection = connection
        return cls(
            subject=str(message.subject)[:255],
            recipients=", ".join(message.recipients()),
            message=data,
        )

    def email_message(self):
        """The Django ``EmailMessage`` to send; written by the site itself, never by a
        visitor, so unpickling it is safe."""
        return pickle.loads(bytes(self.message))  # noqa: S301


class ScheduledRun(models.Model):
    """A run of one of the worker's schedules, started once whatever the number of workers."""

    schedule = models.CharField(
        verbose_name=pgettext_lazy("scheduled run", "schedule"), max_length=100
    )
    due_at = models.DateTimeField(verbose_name=pgettext_lazy("scheduled run", "due at"))
    started_at = models.DateTimeField(
        verbose_name=pgettext_lazy("scheduled run", "started at"), auto_now_add=True
    )

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["schedule", "due_at"], name="dangwu_one_run_per_slot")
        ]

    def __str__(self):
        return f"{self.schedule} {self.due_at:%Y-%m-%d %H:%M}"

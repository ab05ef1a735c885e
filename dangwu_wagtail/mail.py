"""The site's outgoing email: queued with what it is about, delivered by the task worker.

* ``queue_messages()`` writes Django ``EmailMessage`` objects to ``OutgoingEmail`` in the
  caller's transaction, and asks the task framework to deliver each once committed. The add-on
  queues its own emails so; ``QueuedEmailBackend``, as the site's ``EMAIL_BACKEND``, queues
  everyone else's too (Wagtail's workflow emails, password resets).
* ``deliver_email`` (a task) claims the row, sends it with the real backend
  (``DANGWU_WAGTAIL["EMAIL_BACKEND"]``) and records the outcome. A failure is recorded on the
  row (staff see it on the dashboard) and tried again after a pause that doubles each time,
  up to ``EMAIL_ATTEMPTS`` attempts.
* ``retry_emails`` (a task the worker runs every minute) queues again what is due and was not
  queued: an email whose worker was killed while sending, or whose task was lost.

An email recorded as sent is never sent again. The one case in which an email may arrive
twice is a worker that dies after the mail server accepted the message and before the worker
could record it: the email is sent again, with the same ``Message-ID``.
"""

import datetime
import logging
import time
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.utils import DNS_NAME
from django.db import DatabaseError, close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import default_task_backend, task

from .conf import dangwu_settings
from .models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

QUEUED_BACKEND = "dangwu_wagtail.mail.QueuedEmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
MAX_PAUSE = datetime.timedelta(hours=1)
SMTP_TIMEOUT = 60


class QueuedEmailBackend(BaseEmailBackend):
    """An ``EMAIL_BACKEND`` that queues every message for the task worker instead of sending
    it during the request; the worker sends with ``DANGWU_WAGTAIL["EMAIL_BACKEND"]``."""

    def send_messages(self, email_messages):
        messages = [message for message in email_messages if message.recipients()]
        try:
            queue_messages(messages)
        except Exception:
            if not self.fail_silently:
                raise
            logger.exception("Could not queue %d emails", len(messages))
            return 0
        return len(messages)


def delivery_backend():
    """The dotted path of the backend the worker delivers with."""
    path = dangwu_settings.EMAIL_BACKEND or settings.EMAIL_BACKEND
    return SMTP_BACKEND if path == QUEUED_BACKEND else path


def delivery_connection():
    """A connection of the delivery backend. Django's SMTP backend waits for a silent mail
    server forever unless ``EMAIL_TIMEOUT`` is set: the worker then waits ``SMTP_TIMEOUT``
    seconds, and goes on with the next email."""
    path = delivery_backend()
    options = {}
    if path == SMTP_BACKEND and getattr(settings, "EMAIL_TIMEOUT", None) is None:
        options["timeout"] = SMTP_TIMEOUT
    return get_connection(path, fail_silently=False, **options)


def queue_messages(messages):
    """Queue ``messages`` (Django ``EmailMessage`` objects) in the caller's transaction; each
    is handed to the task framework once committed. Returns the rows."""
    rows = []
    for message in messages:
        # The Message-ID is fixed now, so that an email sent again says it is the same one.
        if not any(name.lower() == "message-id" for name in message.extra_headers):
            message.extra_headers["Message-ID"] = make_msgid(domain=DNS_NAME)
        rows.append(OutgoingEmail.for_message(message))
    if not rows:
        return rows
    with transaction.atomic():
        for row in rows:
            row.save()
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: enqueue_delivery(ids), robust=True)
    return rows


def enqueue_delivery(ids, run_after=None):
    """Hand the emails ``ids`` to the task framework. A failure is logged: ``retry_emails``
    queues them again."""
    for email_id in ids:
        try:
            queued = deliver_email
            if run_after is not None and default_task_backend.supports_defer:
                queued = deliver_email.using(run_after=run_after)
            queued.enqueue(email_id=email_id)
        except Exception:
            logger.exception("Could not queue the delivery of email %s", email_id)


def _pause(attempts):
    seconds = dangwu_settings.EMAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return min(datetime.timedelta(seconds=seconds), MAX_PAUSE)


def _claim(email_id):
    """Take the email for this worker, or ``None`` when it is sent, given up, waiting for its
    next attempt, or being sent by another worker."""
    now = timezone.now()
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id, status=EmailStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(
            claimed_until=now + datetime.timedelta(seconds=dangwu_settings.EMAIL_CLAIM_SECONDS),
            # Counted when it starts: an attempt whose worker died counts too.
            attempts=F("attempts") + 1,
        )
    )
    return OutgoingEmail.objects.get(pk=email_id) if claimed else None


def _record(row, fields, *, patience=60):
    """Save ``fields`` of ``row``; while the database is unavailable, try again for
    ``patience`` seconds: a sent email that could not be recorded would be sent again."""
    deadline = time.monotonic() + patience
    pause = 0.5
    while True:
        try:
            with transaction.atomic():
                row.save(update_fields=fields)
            return
        except DatabaseError:
            if time.monotonic() > deadline:
                raise
            logger.warning("Could not record email %s; trying again", row.pk)
            close_old_connections()
            time.sleep(pause)
            pause = min(pause * 2, 5)


@task()
def deliver_email(email_id):
    """Send one queued email and record how it went."""
    row = _claim(email_id)
    if row is None:
        return "nothing to do"
    try:
        message = row.email_message()
        message.connection = delivery_connection()
        message.send()
    except Exception as error:
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        row.claimed_until = None
        if row.attempts >= dangwu_settings.EMAIL_ATTEMPTS:
            row.status = EmailStatus.FAILED
            row.next_attempt_at = None
            logger.error("Gave up sending email %s (%s): %s", row.pk, row.subject, error)
        else:
            row.next_attempt_at = timezone.now() + _pause(row.attempts)
            logger.warning(
                "Sending email %s failed (attempt %d): %s; next attempt at %s",
                row.pk,
                row.attempts,
                error,
                row.next_attempt_at,
            )
        _record(row, ["status", "next_attempt_at", "claimed_until", "last_error"])
        if row.status == EmailStatus.QUEUED and default_task_backend.supports_defer:
            enqueue_delivery([row.pk], run_after=row.next_attempt_at)
        return "failed"
    row.status = EmailStatus.SENT
    row.sent_at = timezone.now()
    row.claimed_until = None
    row.next_attempt_at = None
    _record(row, ["status", "sent_at", "claimed_until", "next_attempt_at"])
    return "sent"


def due_emails(now=None):
    """Queued emails that should have been sent by now and that no live worker holds: their
    worker died while sending (its claim has expired), or their task has not run within
    ``EMAIL_CLAIM_SECONDS`` of when it was due (it was lost)."""
    now = now or timezone.now()
    late = now - datetime.timedelta(seconds=dangwu_settings.EMAIL_CLAIM_SECONDS)
    unclaimed_and_late = Q(claimed_until__isnull=True) & (
        Q(next_attempt_at__lte=late) | Q(next_attempt_at__isnull=True, created_at__lte=late)
    )
    return OutgoingEmail.objects.filter(status=EmailStatus.QUEUED).filter(
        Q(claimed_until__lt=now) | unclaimed_and_late
    )


@task()
def retry_emails():
    """Queue the delivery of every email that is late (``due_emails``), also those a backend
    without deferred tasks could not retry."""
    ids = list(due_emails().order_by("pk").values_list("pk", flat=True)[:1000])
    enqueue_delivery(ids)
    return len(ids)


def prune_emails(days):
    """Delete the emails sent or given up more than ``days`` days ago; how many."""
    before = timezone.now() - datetime.timedelta(days=days)
    deleted, _by_model = (
        OutgoingEmail.objects.exclude(status=EmailStatus.QUEUED)
        .filter(created_at__lt=before)
        .delete()
    )
    return deleted

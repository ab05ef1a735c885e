"""Emails about requests and feedback, sent through Django's task framework.

What triggers an email is always saved first; the email is queued once the transaction has
committed. A failed email is retried by the task framework (``EMAIL_ATTEMPTS`` attempts, with
a growing pause where the backend can defer) and never reaches the person who acted as an
error. Emails are plain text, rendered in the site's language.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import default_task_backend, task

from .inputs import one_line

logger = logging.getLogger(__name__)

EMAIL_ATTEMPTS = 5


@task()
def deliver_email(subject, body, recipients, attempt=1):
    """Send one email; on failure queue the next attempt."""
    try:
        send_mail(subject, body, None, recipients, fail_silently=False)
    except Exception:
        if attempt >= EMAIL_ATTEMPTS:
            logger.exception("Gave up sending “%s” to %s", subject, recipients)
            raise
        logger.warning("Sending “%s” failed (attempt %d); retrying", subject, attempt)
        _enqueue(subject, body, recipients, attempt + 1)
        return "retrying"
    return "sent"


def _enqueue(subject, body, recipients, attempt=1):
    queued = deliver_email
    if attempt > 1 and default_task_backend.supports_defer:
        pause = datetime.timedelta(minutes=2 ** (attempt - 1))
        queued = deliver_email.using(run_after=timezone.now() + pause)
    queued.enqueue(subject=subject, body=body, recipients=recipients, attempt=attempt)


def notify(template, context, recipients):
    """Render ``template`` (``<template>_subject.txt`` and ``<template>.txt`` under
    ``dangwu_wagtail/emails/``) and queue it for ``recipients`` once committed.

    Never raises: what the email is about has been accepted, and is saved whatever happens to
    the email. A template that cannot be rendered (a host's broken override), or a task queue
    that refuses the email, is logged with its traceback and the email is dropped.
    """
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    try:
        # In a savepoint: a database error while rendering leaves the caller's transaction,
        # and what it saves, usable.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string(f"dangwu_wagtail/emails/{template}_subject.txt", context)
            body = render_to_string(f"dangwu_wagtail/emails/{template}.txt", context)
    except Exception:
        logger.exception("Could not write the “%s” email to %s", template, recipients)
        return
    subject = one_line(subject)  # one line, whatever the requester typed
    transaction.on_commit(lambda: _enqueue_or_log(subject, body.strip(), recipients))


def _enqueue_or_log(subject, body, recipients):
    try:
        _enqueue(subject, body, recipients)
    except Exception:
        logger.exception("Could not queue “%s” for %s", subject, recipients)


def group_emails(groups):
    """The addresses of the active users in ``groups`` (group ids or a ``Group`` queryset)."""
    return list(
        get_user_model()
        .objects.filter(groups__in=groups, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def school_staff_emails(catalog):
    """The addresses of ``catalog``'s editors and reviewers."""
    return group_emails([g for g in (catalog.editors_group_id, catalog.reviewers_group_id) if g])

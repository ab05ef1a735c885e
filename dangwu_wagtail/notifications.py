"""Emails about requests and feedback, queued with what they are about.

What triggers an email is saved first; the email is written to the outbox
(``OutgoingEmail``, see ``mail``) in the same transaction, and delivered by the task worker
once committed, retried while the mail server is down. An email never reaches the person who
acted as an error. Emails are plain text, rendered in the site's language.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .inputs import one_line
from .mail import queue_messages

logger = logging.getLogger(__name__)


def notify(template, context, recipients):
    """Render ``template`` (``<template>_subject.txt`` and ``<template>.txt`` under
    ``dangwu_wagtail/emails/``) and queue it for ``recipients``, in the caller's transaction.

    Never raises: what the email is about has been accepted, and is saved whatever happens to
    the email. A template that cannot be rendered (a host's broken override), or an outbox
    that cannot be written, is logged with its traceback and the email is dropped.
    """
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    try:
        # In a savepoint: a database error while rendering or queueing leaves the caller's
        # transaction, and what it saves, usable.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string(f"dangwu_wagtail/emails/{template}_subject.txt", context)
            body = render_to_string(f"dangwu_wagtail/emails/{template}.txt", context)
            # One line, whatever the requester typed.
            message = EmailMessage(one_line(subject), body.strip(), None, recipients)
            queue_messages([message])
    except Exception:
        logger.exception("Could not queue the “%s” email to %s", template, recipients)


def notify_followers(item):
    """Email the followers of ``item``'s column or entry that it has appeared, each with the
    link that stops their follow. An internal item goes only to followers who may read it
    now (``privacy.can_view_item``): a member who has left the school's groups is not told
    of it, nor is anyone else."""
    from .models import Follow
    from .privacy import can_view_item

    catalog = item.entry.catalog
    follows = {}
    # One email per follower: the entry's follow, whose link is the more precise, first.
    for follow in (
        Follow.objects.of_item(item)
        .filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "entry")
        .order_by("entry_id", "pk")
    ):
        if follow.user_id not in follows or follow.entry_id:
            follows[follow.user_id] = follow
    base = catalog.get_full_url() or ""
    for follow in follows.values():
        if not can_view_item(follow.user, item):
            continue
        context = {
            "item": item,
            "catalog": catalog,
            "follow": follow,
            "item_url": item.get_full_url() or "",
            "unfollow_url": base + catalog.reverse_subpage("unfollow", args=(follow.token,)),
        }
        notify("item_published", context, [follow.user.email])


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

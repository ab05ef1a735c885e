"""The outbox (``dangwu_wagtail.mail``) in one process: what is queued, how a failure is
recorded and retried, and who sees it. The real worker and mail server: tests/test_worker.py."""

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from dangwu_wagtail.mail import (
    QUEUED_BACKEND,
    deliver_email,
    delivery_connection,
    due_emails,
    queue_messages,
)
from dangwu_wagtail.models import EmailStatus, OutgoingEmail

pytestmark = pytest.mark.django_db


class RefusingBackend:
    """A backend whose mail server refuses every message."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("[Errno 111] Connection refused")


@pytest.fixture
def refusing(settings):
    settings.DANGWU_WAGTAIL = {"EMAIL_BACKEND": "tests.test_outbox.RefusingBackend"}


def test_the_queue_backend_sends_once_committed_with_the_message_id(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = QUEUED_BACKEND
    settings.DANGWU_WAGTAIL = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    with django_capture_on_commit_callbacks(execute=True):
        assert mail.send_mail("Hello", "Body.", None, ["a@example.com"]) == 1
        assert mail.outbox == []
    [row] = OutgoingEmail.objects.all()
    assert row.status == EmailStatus.SENT and row.attempts == 1 and row.sent_at
    [sent] = mail.outbox
    assert sent.extra_headers["Message-ID"] == row.email_message().extra_headers["Message-ID"]
    # Asked to deliver it again (a duplicate task): nothing is sent.
    assert deliver_email.call(email_id=row.pk) == "nothing to do"
    assert len(mail.outbox) == 1


def test_a_refused_email_waits_longer_after_each_attempt_then_is_given_up(refusing, settings):
    settings.DANGWU_WAGTAIL = {**settings.DANGWU_WAGTAIL, "EMAIL_ATTEMPTS": 3}
    [row] = queue_messages([EmailMessage("Hello", "Body.", None, ["a@example.com"])])
    pauses = []
    for _attempt in range(2):
        before = timezone.now()
        assert deliver_email.call(email_id=row.pk) == "failed"
        row.refresh_from_db()
        assert row.status == EmailStatus.QUEUED and "Connection refused" in row.last_error
        pauses.append(row.next_attempt_at - before)
        # Not due yet: a second task does nothing.
        assert deliver_email.call(email_id=row.pk) == "nothing to do"
        OutgoingEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert datetime.timedelta(seconds=59) < pauses[0] <= datetime.timedelta(seconds=61)
    assert datetime.timedelta(seconds=119) < pauses[1] <= datetime.timedelta(seconds=121)
    assert deliver_email.call(email_id=row.pk) == "failed"
    row.refresh_from_db()
    assert row.status == EmailStatus.FAILED and row.attempts == 3


def test_an_email_whose_worker_died_is_due_again_once_its_claim_expires(refusing):
    [row] = queue_messages([EmailMessage("Hello", "Body.", None, ["a@example.com"])])
    now = timezone.now()
    OutgoingEmail.objects.filter(pk=row.pk).update(
        claimed_until=now + datetime.timedelta(seconds=300), attempts=1
    )
    assert not due_emails(now).exists()
    assert list(due_emails(now + datetime.timedelta(seconds=301))) == [row]


def test_the_worker_never_waits_forever_for_a_silent_mail_server(settings):
    settings.DANGWU_WAGTAIL = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    settings.EMAIL_TIMEOUT = None
    assert delivery_connection().timeout == 60
    settings.EMAIL_TIMEOUT = 10
    assert delivery_connection().timeout == 10


def test_emails_not_sent_yet_are_on_superusers_dashboards_only(client, users, refusing):
    [row] = queue_messages([EmailMessage("Budget request", "Body.", None, ["a@example.com"])])
    deliver_email.call(email_id=row.pk)
    client.force_login(users["superuser"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Emails not sent yet" in html and "Connection refused" in html
    assert "Budget request" in html
    for username in ("editor_a", "reviewer_a", "supervisor"):
        client.force_login(users[username])
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Emails not sent yet" not in html and "Budget request" not in html

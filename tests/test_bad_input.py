"""Bad input never answers 500 and never loses what a reader sent: request references that
survive deletions, submissions saved whatever happens to their emails."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.template import TemplateSyntaxError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangwu_wagtail.models import DisclosureRequest, Feedback, RequestStatus

RECEIVED = timezone.make_aware(datetime.datetime(2026, 9, 25, 10, 0))


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


REQUEST = {
    "subject": "School budget",
    "description": "The budget of the Party organisation's activities.",
    "purpose": "",
    "name": "Member A",
    "email": "member_a@example.com",
    "phone": "",
}


def file_request(client, catalog, **overrides):
    return client.post(catalog.subpage_url("request"), {**REQUEST, **overrides})


def received(catalog, **fields):
    return DisclosureRequest.objects.receive(
        catalog, name="Visitor", phone="13812345678", subject="S", description="D", **fields
    )


# References -----------------------------------------------------------------------------------


def test_a_deleted_request_does_not_stop_the_next_ones(school_a, users):
    first, second, third = (received(school_a) for _ in range(3))
    superuser = client_for(users["superuser"])
    url = reverse("dangwu_wagtail_disclosurerequest_modeladmin_delete", args=(second.pk,))
    assert superuser.post(url).status_code == 302
    assert not DisclosureRequest.objects.filter(pk=second.pk).exists()

    response = file_request(client_for(users["member_a"]), school_a)
    assert response.status_code == 302
    newest = DisclosureRequest.objects.get(subject="School budget")
    year = timezone.localdate().year
    assert newest.reference == f"AZXDW-{year}-0004"

    # Nor does deleting the newest: its reference is never given again.
    newest.delete()
    assert received(school_a).reference == f"AZXDW-{year}-0005"
    assert {first.reference, third.reference} < set(
        DisclosureRequest.objects.values_list("reference", flat=True)
    )


def test_references_count_per_column_and_year(school_a, school_b):
    assert received(school_a, received_at=RECEIVED).reference == "AZXDW-2026-0001"
    assert received(school_b, received_at=RECEIVED).reference == "BXXDZB-2026-0001"
    assert received(school_a, received_at=RECEIVED).reference == "AZXDW-2026-0002"
    next_year = RECEIVED.replace(year=2027)
    assert received(school_a, received_at=next_year).reference == "AZXDW-2027-0001"


def test_references_continue_after_those_given_before_the_sequence(school_a):
    """A site upgraded with requests already received goes on from their highest number."""
    DisclosureRequest.objects.create(
        catalog=school_a,
        reference=f"2026-{school_a.pk}-0041",
        name="Old",
        subject="S",
        description="D",
        received_at=RECEIVED,
        clock_started_on=RECEIVED.date(),
        working_days_allowed=15,
    )
    assert received(school_a, received_at=RECEIVED).reference == "AZXDW-2026-0042"


# Nothing accepted is lost to an email -----------------------------------------------------------


def submit(kind, school_a, users, items_a):
    """Send the column what a reader sends: a request, an opinion or a clarification."""
    member = client_for(users["member_a"])
    if kind == "request":
        return file_request(member, school_a)
    if kind == "feedback":
        return member.post(school_a.subpage_url("feedback"), {"text": "Please add the dates."})
    disclosure_request = received(school_a, requester=users["member_a"])
    disclosure_request.ask_for_clarification(users["editor_a"], "Which year?")
    return member.post(
        school_a.subpage_url("request_status", disclosure_request.token), {"answer": "2026."}
    )


def saved(kind):
    if kind == "request":
        return DisclosureRequest.objects.filter(subject="School budget").exists()
    if kind == "feedback":
        return Feedback.objects.filter(text="Please add the dates.").exists()
    return DisclosureRequest.objects.filter(
        clarification_answer="2026.", status=RequestStatus.RECEIVED
    ).exists()


KINDS = ["request", "feedback", "clarification"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_submission_is_kept_when_its_email_cannot_be_queued(
    kind, school_a, users, items_a, django_capture_on_commit_callbacks
):
    with mock.patch(
        "dangwu_wagtail.mail.enqueue_delivery",
        side_effect=ConnectionError("the task queue is down"),
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = submit(kind, school_a, users, items_a)
    assert callbacks, "an email was to be queued"
    assert response.status_code == 302
    assert saved(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_a_submission_is_kept_when_its_email_cannot_be_written(
    kind, school_a, users, items_a, django_capture_on_commit_callbacks
):
    with mock.patch(
        "dangwu_wagtail.notifications.render_to_string",
        side_effect=TemplateSyntaxError("a host's broken email template"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(kind, school_a, users, items_a)
    assert response.status_code == 302
    assert saved(kind)

"""The request and feedback limits count accepted submissions only, per user when logged in
and per address for anonymous requests, and a refused submission is shown back with its text."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from dangwu_wagtail.models import DisclosureRequest, Feedback
from tests.test_requests import file_request, received

LIMITS = {"RATE_LIMITS": {"request": "2/h", "feedback": "2/h"}}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def client_for(user, address="10.1.1.1"):
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


@override_settings(DANGWU_WAGTAIL=LIMITS)
def test_invalid_submissions_do_not_count(school_a, users):
    member = client_for(users["member_a"])
    for _ in range(3):
        assert file_request(member, school_a, subject="").status_code == 200  # refused: empty
    assert file_request(member, school_a, subject="One").status_code == 302
    assert file_request(member, school_a, subject="Two").status_code == 302
    assert file_request(member, school_a, subject="Three").status_code == 429
    assert DisclosureRequest.objects.count() == 2


@override_settings(DANGWU_WAGTAIL={**LIMITS, "ANONYMOUS_REQUESTS": True})
def test_anonymous_requests_are_counted_per_address(school_a, users):
    first, second = Client(REMOTE_ADDR="10.2.2.2"), Client(REMOTE_ADDR="10.2.2.2")
    assert file_request(first, school_a).status_code == 302
    assert file_request(second, school_a).status_code == 302
    assert file_request(first, school_a).status_code == 429
    assert file_request(Client(REMOTE_ADDR="10.3.3.3"), school_a).status_code == 302
    # A member logged in behind the same address is counted on their own.
    assert file_request(client_for(users["member_a"], "10.2.2.2"), school_a).status_code == 302


@override_settings(DANGWU_WAGTAIL=LIMITS)
def test_a_refused_opinion_keeps_its_text(school_a, users):
    member = client_for(users["member_a"])
    url = school_a.subpage_url("feedback")
    for text in ("第一条意见", "第二条意见"):
        assert member.post(url, {"text": text}).status_code == 302
    text = "第三条意见，很长的一段话"
    response = member.post(url, {"text": text}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 429
    html = response.content.decode()
    assert text in html and 'role="alert"' in html
    assert Feedback.objects.count() == 2


# The requester's clarification of a request ----------------------------------------------

CLARIFY_LIMITS = {"RATE_LIMITS": {"clarification": "2/h"}}


def asked(catalog, users, requester=None):
    """A request of ``requester`` (anonymous when ``None``) awaiting its clarification."""
    disclosure_request = received(catalog, requester)
    disclosure_request.ask_for_clarification(users["editor_a"], "Which year?")
    return disclosure_request


def clarify(client, catalog, disclosure_request, answer="2026", **extra):
    url = catalog.subpage_url("request_status", disclosure_request.token)
    return client.post(url, {"answer": answer}, **extra)


@override_settings(DANGWU_WAGTAIL=CLARIFY_LIMITS)
def test_invalid_clarifications_do_not_count(school_a, users):
    member = client_for(users["member_a"])
    disclosure_request = asked(school_a, users, users["member_a"])
    for _ in range(3):
        assert clarify(member, school_a, disclosure_request, answer="").status_code == 200
    assert clarify(member, school_a, disclosure_request).status_code == 302
    disclosure_request.refresh_from_db()
    assert disclosure_request.clarification_answer == "2026"


@override_settings(DANGWU_WAGTAIL=CLARIFY_LIMITS)
def test_clarifications_are_counted_per_user_when_logged_in(school_a, users):
    member = client_for(users["member_a"], "10.4.4.4")
    for answer in ("第一次", "第二次"):
        assert (
            clarify(member, school_a, asked(school_a, users, users["member_a"]), answer).status_code
            == 302
        )
    third = asked(school_a, users, users["member_a"])
    assert clarify(member, school_a, third, "第三次").status_code == 429
    # Someone else behind the same address is counted on their own.
    other = client_for(users["member_b"], "10.4.4.4")
    assert clarify(other, school_a, asked(school_a, users, users["member_b"])).status_code == 302
    # So is an anonymous requester there.
    anonymous = Client(REMOTE_ADDR="10.4.4.4")
    assert clarify(anonymous, school_a, asked(school_a, users)).status_code == 302


@override_settings(DANGWU_WAGTAIL=CLARIFY_LIMITS)
def test_anonymous_clarifications_are_counted_per_address(school_a, users):
    first, second = Client(REMOTE_ADDR="10.5.5.5"), Client(REMOTE_ADDR="10.5.5.5")
    assert clarify(first, school_a, asked(school_a, users)).status_code == 302
    assert clarify(second, school_a, asked(school_a, users)).status_code == 302
    assert clarify(first, school_a, asked(school_a, users)).status_code == 429
    assert (
        clarify(Client(REMOTE_ADDR="10.6.6.6"), school_a, asked(school_a, users)).status_code == 302
    )


@override_settings(DANGWU_WAGTAIL={"RATE_LIMITS": {"clarification": "0/h"}})
def test_a_refused_clarification_keeps_its_text(school_a, users):
    member = client_for(users["member_a"])
    disclosure_request = asked(school_a, users, users["member_a"])
    text = "指2026学年，即2026年9月至2027年7月"
    response = clarify(member, school_a, disclosure_request, text, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 429
    html = response.content.decode()
    assert text in html and 'role="alert"' in html
    # The request itself is still shown, awaiting the clarification.
    assert disclosure_request.reference in html and "Which year?" in html
    assert "短时间内" in html
    disclosure_request.refresh_from_db()
    assert disclosure_request.clarification_answer == ""

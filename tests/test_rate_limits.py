"""The request and feedback limits count accepted submissions only, per user when logged in
and per address for anonymous requests, and a refused submission is shown back with its text."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from dangwu_wagtail.models import DisclosureRequest, Feedback
from tests.test_requests import file_request

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

"""Requests from the public (依申请公开 by people who are not members): each column says
whether it takes them; a visitor of a column that does not is told that requests are for
members and how to log in; references carry the column's code, the year and a sequence."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from dangwu_wagtail.models import Catalog, DisclosureRequest, OutgoingEmail
from tests.test_requests import file_request

LIMITS = {"RATE_LIMITS": {"request": "2/h"}}
RECEIVED = timezone.make_aware(datetime.datetime(2026, 9, 25, 10, 0))


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_column(school_a):
    school_a.public_requests = True
    school_a.save_revision().publish()
    return Catalog.objects.get(pk=school_a.pk)


def chinese(client, url, data=None):
    if data is None:
        return client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_a_new_column_takes_requests_from_members_only(school_a, school_b):
    assert not school_a.public_requests and not school_b.public_requests
    response = chinese(Client(), school_a.subpage_url("request"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "只接受本组织党员" in html and "登录" in html
    assert "/login/?next=" in html and "%2Frequest%2F" in html
    # Not the internal items' message, and no form.
    assert "登录后可查看党内公开事项" not in html
    assert 'name="subject"' not in html


def test_a_request_posted_to_a_members_only_column_is_refused_and_nothing_saved(school_a):
    response = file_request(Client(), school_a, email="", phone="13812345678")
    assert response.status_code == 403
    assert not DisclosureRequest.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_column_that_takes_public_requests_shows_the_form(open_column, school_b):
    html = chinese(Client(), open_column.subpage_url("request")).content.decode()
    assert 'name="subject"' in html and 'name="phone"' in html
    # The other column still takes its members' requests only.
    assert (
        'name="subject"' not in chinese(Client(), school_b.subpage_url("request")).content.decode()
    )


def test_a_public_request_is_received_with_name_and_contact(
    open_column, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = file_request(Client(), open_column, email="", phone="13812345678", name="王某")
    assert response.status_code == 302
    request = DisclosureRequest.objects.get()
    assert request.requester is None and request.name == "王某" and request.phone == "13812345678"
    year = timezone.localdate().year
    assert request.reference == f"AZXDW-{year}-0001"
    # The status page is the requester's, by its link.
    status = Client().get(response["Location"])
    assert status.status_code == 200 and request.reference in status.content.decode()
    # The school's staff are told.
    assert any("editor_a@example.com" in message.to for message in mail.outbox)


def test_a_public_request_needs_a_name_and_a_contact(open_column):
    response = chinese(
        Client(),
        open_column.subpage_url("request"),
        {
            "subject": "预算",
            "description": "2026年党费收支情况",
            "name": "",
            "email": "",
            "phone": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "请填写电子邮箱或电话" in html and "2026年党费收支情况" in html
    response = chinese(
        Client(),
        open_column.subpage_url("request"),
        {"subject": "预算", "description": "说明", "name": "王某", "email": "not an address"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'class="dangwu-error" role="alert"' in html
    assert 'value="not an address"' in html
    assert not DisclosureRequest.objects.exists()


@override_settings(DANGWU_WAGTAIL=LIMITS)
def test_public_requests_are_limited_per_address_and_a_refused_one_keeps_its_text(open_column):
    visitor = Client(REMOTE_ADDR="10.4.4.4")
    for _ in range(2):
        assert file_request(visitor, open_column, subject="").status_code == 200  # refused: empty
    assert file_request(visitor, open_column, email="", phone="13812345678").status_code == 302
    assert file_request(visitor, open_column, email="", phone="13812345678").status_code == 302
    text = "第三份申请的说明文字"
    response = chinese(
        visitor,
        open_column.subpage_url("request"),
        {"subject": "第三份", "description": text, "name": "王某", "phone": "13812345678"},
    )
    assert response.status_code == 429
    assert text in response.content.decode()
    assert DisclosureRequest.objects.count() == 2
    # Another address is counted on its own.
    other = Client(REMOTE_ADDR="10.5.5.5")
    assert file_request(other, open_column, email="", phone="13812345678").status_code == 302


def test_the_setting_still_opens_every_column(school_b):
    with override_settings(DANGWU_WAGTAIL={"ANONYMOUS_REQUESTS": True}):
        assert file_request(Client(), school_b, email="", phone="13812345678").status_code == 302


def test_the_column_setting_is_in_the_settings_tab(school_a, users):
    client = Client()
    client.force_login(users["superuser"])
    html = client.get(f"/admin/pages/{school_a.pk}/edit/").content.decode()
    assert 'name="public_requests"' in html and 'name="reference_code"' in html


# References ---------------------------------------------------------------------------------


def received(catalog, **fields):
    return DisclosureRequest.objects.receive(
        catalog, name="Visitor", phone="13812345678", subject="S", description="D", **fields
    )


def test_each_column_has_a_code_made_from_its_name(school_a, school_b):
    assert school_a.reference_code == "AZXDW"
    assert school_b.reference_code == "BXXDZB"


def test_references_carry_the_code_the_year_and_a_sequence(school_a, school_b):
    assert received(school_a, received_at=RECEIVED).reference == "AZXDW-2026-0001"
    assert received(school_b, received_at=RECEIVED).reference == "BXXDZB-2026-0001"
    school_a.reference_code = "AZX"
    school_a.save()
    assert received(school_a, received_at=RECEIVED).reference == "AZX-2026-0002"


def test_references_given_before_the_codes_stay_and_the_count_goes_on(school_a):
    old = DisclosureRequest.objects.create(
        catalog=school_a,
        reference=f"2026-{school_a.pk}-0003",
        name="Old",
        subject="S",
        description="D",
        received_at=RECEIVED,
        clock_started_on=RECEIVED.date(),
        working_days_allowed=15,
    )
    assert received(school_a, received_at=RECEIVED).reference == "AZXDW-2026-0004"
    old.refresh_from_db()
    assert old.reference == f"2026-{school_a.pk}-0003"


def test_two_columns_with_the_same_initials_get_codes_of_their_own(home):
    from dangwu_wagtail.schools import setup_school

    first = setup_school(home, "红星中学党委", "committee").catalog
    second = setup_school(home, "红兴中学党委", "committee").catalog
    assert first.reference_code == "HXZXDW"
    assert second.reference_code == "HXZXDW2"
    third = setup_school(home, "红星中学党委会", "committee").catalog
    assert third.reference_code == "HXZXDWH"
    # A code given by hand that another column has is refused with a clear message.
    second.reference_code = "HXZXDW"
    second.title = "红兴中学党务公开"
    with pytest.raises(Exception) as error:
        second.full_clean()
    assert "reference_code" in str(error.value)


def test_a_code_that_is_not_capitals_and_digits_is_refused(school_a):
    school_a.reference_code = "a-b"
    with pytest.raises(Exception) as error:
        school_a.full_clean()
    assert "reference_code" in str(error.value)

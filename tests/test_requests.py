"""Disclosure on request (依申请公开): the form, the lifecycle, deadlines in working days, the
answers, and bad input."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from dangwu_wagtail.models import (
    AnswerType,
    DayKind,
    DisclosureRequest,
    Holiday,
    RequestStatus,
)
from dangwu_wagtail.models.deadlines import add_working_days
from tests.conftest import add_item

RECEIVED = timezone.make_aware(datetime.datetime(2026, 9, 25, 10, 0))  # a Friday


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def national_day(db):
    """国庆 2026: 1–7 October off, Saturday 10 October worked (调休)."""
    for day in range(1, 8):
        Holiday.objects.create(date=datetime.date(2026, 10, day), name="国庆节")
    Holiday.objects.create(date=datetime.date(2026, 10, 10), kind=DayKind.WORKDAY, name="调休")


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def request_data(**overrides):
    return {
        "subject": "School budget 2026",
        "description": "The budget of the Party organisation's activities for 2026.",
        "purpose": "",
        "name": "Member A",
        "email": "member_a@example.com",
        "phone": "",
        **overrides,
    }


def file_request(client, catalog, **overrides):
    return client.post(catalog.subpage_url("request"), request_data(**overrides))


def received(catalog, user=None, **fields):
    fields.setdefault("received_at", RECEIVED)
    return DisclosureRequest.objects.receive(
        catalog,
        requester=user,
        **{
            "name": "Member A",
            "email": "member_a@example.com",
            "subject": "Budget",
            "description": "The budget.",
            **fields,
        },
    )


def on(day):
    """Pretend today is ``day``."""
    return mock.patch("dangwu_wagtail.models.deadlines.today", return_value=day)


def process(client, disclosure_request, **data):
    url = reverse("dangwu_wagtail_disclosurerequest_modeladmin_edit", args=(disclosure_request.pk,))
    return client.post(url, data)


def reload(disclosure_request):
    return DisclosureRequest.objects.get(pk=disclosure_request.pk)


# Working days ---------------------------------------------------------------------------------


def test_working_days_skip_weekends(db):
    assert add_working_days(datetime.date(2026, 9, 25), 1) == datetime.date(2026, 9, 28)
    assert add_working_days(datetime.date(2026, 9, 25), 15) == datetime.date(2026, 10, 16)


def test_working_days_across_a_holiday_and_a_make_up_working_day(national_day):
    # 28, 29, 30 Sep; 1–7 Oct off; 8, 9, Saturday 10 (worked), 12–16, 19–22 Oct.
    assert add_working_days(datetime.date(2026, 9, 25), 15) == datetime.date(2026, 10, 22)
    assert add_working_days(datetime.date(2026, 9, 30), 1) == datetime.date(2026, 10, 8)
    assert add_working_days(datetime.date(2026, 10, 9), 1) == datetime.date(2026, 10, 10)


def test_request_deadline_counts_the_holiday_register(school_a, national_day):
    disclosure_request = received(school_a)
    assert disclosure_request.due_date == datetime.date(2026, 10, 22)
    with on(datetime.date(2026, 10, 22)):
        assert not disclosure_request.is_overdue
    with on(datetime.date(2026, 10, 23)):
        assert disclosure_request.is_overdue


@override_settings(DANGWU_WAGTAIL={"REQUEST_WORKING_DAYS": 20})
def test_the_number_of_working_days_is_a_setting(school_a):
    assert received(school_a).working_days_allowed == 20


# The member's journey -------------------------------------------------------------------------


def test_member_files_a_request_and_gets_a_reference_and_a_status_page(
    school_a, users, django_capture_on_commit_callbacks
):
    member = client_for(users["member_a"])
    assert member.get(school_a.subpage_url("request")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = file_request(member, school_a)

    disclosure_request = DisclosureRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == school_a.subpage_url("request_status", disclosure_request.token)
    assert disclosure_request.requester == users["member_a"]
    assert disclosure_request.reference.startswith(f"AZXDW-{timezone.localdate().year}-")
    page = member.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert disclosure_request.reference in text and "School budget 2026" in text
    assert "Answer due by" in text
    assert "no-store" in page["Cache-Control"]
    # The school's people are told, and the requester gets an acknowledgement.
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"editor_a@example.com", "reviewer_a@example.com", "member_a@example.com"} <= recipients
    assert "editor_b@example.com" not in recipients
    assert ModelLogEntry.objects.filter(action="dangwu_wagtail.request.receive").exists()


def test_status_page_is_for_the_requester_only(school_a, users):
    disclosure_request = received(school_a, users["member_a"])
    url = school_a.subpage_url("request_status", disclosure_request.token)
    assert client_for(None).get(url).status_code == 302  # log in first
    assert client_for(users["member_b"]).get(url).status_code == 404
    assert client_for(users["member_a"]).get(url).status_code == 200
    other = school_a.subpage_url("request_status", "00000000-0000-0000-0000-000000000000")
    assert client_for(users["member_a"]).get(other).status_code == 404


def test_anonymous_requests_need_the_setting(school_a):
    anonymous = client_for(None)
    response = anonymous.get(school_a.subpage_url("request"))
    # The column takes requests from members only: the visitor is told so, and where to log in.
    assert response.status_code == 200 and "/login/?next=" in response.content.decode()
    assert file_request(anonymous, school_a).status_code == 403
    assert not DisclosureRequest.objects.exists()

    with override_settings(DANGWU_WAGTAIL={"ANONYMOUS_REQUESTS": True}):
        response = file_request(anonymous, school_a, email="", phone="13812345678")
        disclosure_request = DisclosureRequest.objects.get()
        assert disclosure_request.requester is None
        # Anyone with the link follows an anonymous request: the link is the key.
        assert anonymous.get(response["Location"]).status_code == 200


# The lifecycle --------------------------------------------------------------------------------


def test_accept_then_answer_disclosed_with_a_link(school_a, items_a, users):
    disclosure_request = received(school_a, users["member_a"])
    editor = client_for(users["editor_a"])
    assert process(editor, disclosure_request, action="accept").status_code == 302
    assert reload(disclosure_request).status == RequestStatus.ACCEPTED

    item = items_a["public"]
    response = process(
        editor,
        disclosure_request,
        action="answer",
        answer_type=AnswerType.DISCLOSED,
        answer_item=item.pk,
    )
    assert response.status_code == 302
    disclosure_request = reload(disclosure_request)
    assert disclosure_request.status == RequestStatus.ANSWERED
    assert disclosure_request.answer_item == item
    page = client_for(users["member_a"]).get(
        school_a.subpage_url("request_status", disclosure_request.token)
    )
    text = page.content.decode()
    assert "disclosed (予以公开)" in text and item.title in text and item.url in text
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(disclosure_request.pk)).values_list(
            "action", "user__username"
        )
    )
    assert ("dangwu_wagtail.request.accept", "editor_a") in actions
    assert ("dangwu_wagtail.request.answer", "editor_a") in actions


ANSWERS = [
    (AnswerType.ALREADY_DISCLOSED, {"explanation": "Published in March."}, True),
    (
        AnswerType.PARTIAL,
        {"explanation": "The names of the applicants are withheld.", "refusal_reason": ""},
        True,
    ),
    (
        AnswerType.NOT_HELD,
        {"explanation": "No such budget was made.", "refusal_reason": "needs_making"},
        False,
    ),
    (
        AnswerType.NOT_THIS_ORGANISATION,
        {"explanation": "The district holds it.", "other_organisation": "区教育工作党委"},
        False,
    ),
    (
        AnswerType.REFUSED,
        {"explanation": "It holds personal data.", "refusal_reason": "third_party"},
        False,
    ),
    (
        AnswerType.DEFERRED,
        {"explanation": "Under discussion.", "deferred_until": "2027-03-01"},
        False,
    ),
]


@pytest.mark.parametrize("answer_type, fields, with_item", ANSWERS)
def test_each_answer_type_and_its_explanation(
    school_a, items_a, users, answer_type, fields, with_item
):
    disclosure_request = received(school_a, users["member_a"])
    editor = client_for(users["editor_a"])
    data = {"action": "answer", "answer_type": answer_type, **fields}
    if with_item:
        data["answer_item"] = items_a["public"].pk

    # Without the explanation (and the organisation, the date) the answer is refused.
    incomplete = {
        key: value for key, value in data.items() if key == "action" or key == "answer_type"
    }
    if with_item:
        incomplete["answer_item"] = items_a["public"].pk
    response = process(editor, disclosure_request, **incomplete)
    assert response.status_code == 200
    assert reload(disclosure_request).status == RequestStatus.RECEIVED

    response = process(editor, disclosure_request, **data)
    assert response.status_code == 302
    disclosure_request = reload(disclosure_request)
    assert disclosure_request.status == RequestStatus.ANSWERED
    assert disclosure_request.answer_type == answer_type
    text = (
        client_for(users["member_a"])
        .get(school_a.subpage_url("request_status", disclosure_request.token))
        .content.decode()
    )
    assert fields["explanation"] in text
    assert str(AnswerType(answer_type).label) in text
    if answer_type == AnswerType.NOT_THIS_ORGANISATION:
        assert "区教育工作党委" in text
    if answer_type == AnswerType.DEFERRED:
        assert "2027-03-01" in text
    if fields.get("refusal_reason"):
        assert disclosure_request.refusal_reason == fields["refusal_reason"]
        assert escape(disclosure_request.get_refusal_reason_display()) in text
    if answer_type == AnswerType.NOT_THIS_ORGANISATION:
        # Information another organisation holds is counted as not held here.
        assert disclosure_request.refusal_reason == "not_held_here"
    if with_item:
        assert items_a["public"].title in text


def test_answer_errors_are_clear(school_a, items_a, users):
    disclosure_request = received(school_a)  # on paper: no account
    editor = client_for(users["editor_a"])
    cases = [
        ({"answer_type": AnswerType.DISCLOSED}, "Choose the published item"),
        (
            {"answer_type": AnswerType.DISCLOSED, "answer_item": items_a["internal"].pk},
            "may not read this internal item",
        ),
        ({"answer_type": AnswerType.REFUSED}, "needs an explanation"),
        ({"answer_type": AnswerType.REFUSED, "explanation": "x"}, "Choose the reason"),
        (
            {
                "answer_type": AnswerType.REFUSED,
                "explanation": "x",
                "refusal_reason": "needs_making",
            },
            "one of those that fit this answer",
        ),
        (
            {"answer_type": AnswerType.PARTIAL, "answer_item": items_a["public"].pk},
            "Say what is withheld",
        ),
        (
            {
                "answer_type": AnswerType.PARTIAL,
                "answer_item": items_a["internal"].pk,
                "explanation": "x",
            },
            "may not read this internal item",
        ),
        (
            {"answer_type": AnswerType.NOT_THIS_ORGANISATION, "explanation": "x"},
            "Say which organisation",
        ),
        (
            {
                "answer_type": AnswerType.DEFERRED,
                "explanation": "x",
                "deferred_until": "2020-01-01",
            },
            "after today",
        ),
        ({}, "Choose the answer."),
    ]
    for fields, message in cases:
        response = process(editor, disclosure_request, action="answer", **fields)
        assert response.status_code == 200, fields
        assert message in response.content.decode(), fields
    # A draft item is not offered.
    response = process(
        editor,
        disclosure_request,
        action="answer",
        answer_type=AnswerType.DISCLOSED,
        answer_item=items_a["draft"].pk,
    )
    assert response.status_code == 200
    assert reload(disclosure_request).status == RequestStatus.RECEIVED


def test_clarification_stops_the_clock_until_the_requester_answers(school_a, users, national_day):
    disclosure_request = received(school_a, users["member_a"])
    editor = client_for(users["editor_a"])
    member = client_for(users["member_a"])
    status_url = school_a.subpage_url("request_status", disclosure_request.token)

    # Asked on Wed 30 Sep, after 3 working days (28, 29, 30).
    with on(datetime.date(2026, 9, 30)):
        response = process(editor, disclosure_request, action="clarify", question="Which year?")
    assert response.status_code == 302
    disclosure_request = reload(disclosure_request)
    assert disclosure_request.status == RequestStatus.CLARIFICATION
    assert disclosure_request.working_days_spent == 3
    assert disclosure_request.due_date is None
    text = member.get(status_url).content.decode()
    assert "Which year?" in text and "Please clarify your request" in text

    # The requester answers on Mon 12 Oct: 12 working days remain, from then.
    with on(datetime.date(2026, 10, 12)):
        response = member.post(status_url, {"answer": "The school year 2026–2027."})
    assert response.status_code == 302
    disclosure_request = reload(disclosure_request)
    assert disclosure_request.status == RequestStatus.RECEIVED
    assert disclosure_request.clarification_answer == "The school year 2026–2027."
    # 13–16, 19–23, 26–28 October.
    assert disclosure_request.due_date == datetime.date(2026, 10, 28)
    assert ModelLogEntry.objects.filter(
        object_id=str(disclosure_request.pk), action="dangwu_wagtail.request.clarify"
    ).exists()


def test_the_deadline_is_extended_once_with_a_reason(school_a, users):
    disclosure_request = received(school_a, users["member_a"])
    editor = client_for(users["editor_a"])
    response = process(editor, disclosure_request, action="extend", extension_reason="")
    assert response.status_code == 200
    assert "Give the reason for the extension." in response.content.decode()

    before = reload(disclosure_request).due_date
    response = process(
        editor, disclosure_request, action="extend", extension_reason="Archives are closed."
    )
    assert response.status_code == 302
    disclosure_request = reload(disclosure_request)
    assert disclosure_request.due_date == add_working_days(before, 15)
    assert disclosure_request.extension_reason == "Archives are closed."
    text = (
        client_for(users["member_a"])
        .get(school_a.subpage_url("request_status", disclosure_request.token))
        .content.decode()
    )
    assert "Archives are closed." in text

    # Not twice: the step is no longer offered, and a crafted POST is refused.
    response = process(editor, disclosure_request, action="extend", extension_reason="Again.")
    assert response.status_code == 200
    assert reload(disclosure_request).due_date == add_working_days(before, 15)


def test_an_answered_request_takes_no_more_steps(school_a, users):
    disclosure_request = received(school_a)
    disclosure_request.answer(users["editor_a"], AnswerType.NOT_HELD, explanation="None.")
    response = process(client_for(users["editor_a"]), disclosure_request, action="accept")
    assert response.status_code == 200
    assert "nothing more to do" in response.content.decode()


def test_overdue_requests_stand_out_in_the_register_and_on_the_dashboard(school_a, users):
    late = received(school_a, subject="Late request")
    received(school_a, subject="Fresh request", received_at=timezone.now())
    editor = client_for(users["editor_a"])
    index = reverse("dangwu_wagtail_disclosurerequest_modeladmin_index")

    text = editor.get(index).content.decode()
    assert "Overdue" in text
    overdue_only = editor.get(index + "?deadline=overdue").content.decode()
    assert "Late request" in overdue_only and "Fresh request" not in overdue_only
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert "Disclosure requests due" in dashboard and late.reference in dashboard
    other_dashboard = client_for(users["editor_b"]).get(reverse("wagtailadmin_home"))
    assert late.reference not in other_dashboard.content.decode()


def test_staff_register_a_request_received_on_paper(school_a, users):
    editor = client_for(users["editor_a"])
    url = reverse("dangwu_wagtail_disclosurerequest_modeladmin_create")
    response = editor.post(
        url,
        {
            "catalog": school_a.pk,
            "name": "Visitor",
            "email": "",
            "phone": "021-64381234",
            "subject": "Minutes",
            "description": "The minutes of May.",
            "purpose": "",
        },
    )
    assert response.status_code == 302
    disclosure_request = DisclosureRequest.objects.get(subject="Minutes")
    assert disclosure_request.catalog == school_a and disclosure_request.requester is None
    assert disclosure_request.working_days_allowed == 15


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"subject": ""}, "This field is required."),
        ({"description": "   "}, "This field is required."),
        ({"subject": "x" * 201}, "at most 200 characters"),
        ({"description": "x" * 5001}, "at most 5000 characters"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": "", "phone": "12345"}, "Enter a mobile number"),
        ({"email": "", "phone": ""}, "Give an email address or a phone number"),
    ],
)
def test_request_form_refuses_bad_input(school_a, users, overrides, message):
    response = file_request(client_for(users["member_a"]), school_a, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_phone_numbers_that_are_accepted(school_a, users):
    member = client_for(users["member_a"])
    for phone in ["13812345678", "+86 13812345678", "021-64381234", "02164381234"]:
        cache.clear()
        response = file_request(member, school_a, email="", phone=phone)
        assert response.status_code == 302, phone


@override_settings(DANGWU_WAGTAIL={"MAX_UPLOAD_SIZE": 1024})
def test_uploads_too_large_or_of_the_wrong_type_are_refused(school_a, users):
    member = client_for(users["member_a"])
    big = SimpleUploadedFile("scan.pdf", b"x" * 2048, content_type="application/pdf")
    response = member.post(school_a.subpage_url("request"), {**request_data(), "attachment": big})
    assert response.status_code == 200
    assert "files up to 1.0\xa0KB are accepted" in response.content.decode()
    program = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = member.post(
        school_a.subpage_url("request"), {**request_data(), "attachment": program}
    )
    assert "Files of this type are not accepted" in response.content.decode()
    assert not DisclosureRequest.objects.exists()

    good = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 small", content_type="application/pdf")
    response = member.post(school_a.subpage_url("request"), {**request_data(), "attachment": good})
    assert response.status_code == 302
    disclosure_request = DisclosureRequest.objects.get()
    assert disclosure_request.attachment.name.startswith("dangwu_wagtail/requests/")
    assert "scan" not in disclosure_request.attachment.name  # an unguessable name
    url = reverse("dangwu_wagtail_admin:request_attachment", args=(disclosure_request.pk,))
    assert client_for(users["editor_a"]).get(url).status_code == 200
    assert client_for(users["editor_b"]).get(url).status_code == 404
    assert client_for(users["member_a"]).get(url).status_code == 302  # no admin access


def test_forms_are_csrf_protected(school_a, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["member_a"])
    assert file_request(client, school_a).status_code == 403
    response = client.post(school_a.subpage_url("feedback"), {"text": "Hello"})
    assert response.status_code == 403
    assert not DisclosureRequest.objects.exists()


def test_requests_are_rate_limited_per_user(school_a, users):
    member = client_for(users["member_a"])
    for number in range(5):
        assert file_request(member, school_a, subject=f"Request {number}").status_code == 302
    response = file_request(member, school_a, subject="One too many")
    assert response.status_code == 429
    assert "try again in an hour" in response.content.decode()
    assert 'value="One too many"' in response.content.decode()  # what was typed is kept
    assert DisclosureRequest.objects.count() == 5

    # Another person at the same address (a school's NAT) is not limited by the first.
    other = client_for(users["editor_a"])
    assert file_request(other, school_a).status_code == 302


@override_settings(DANGWU_WAGTAIL={"RATE_LIMITS": {"request": "2/h"}})
def test_rate_limits_are_a_setting(school_a, users):
    member = client_for(users["member_a"])
    assert [file_request(member, school_a).status_code for _ in range(3)] == [302, 302, 429]


def test_a_failed_email_is_retried_and_never_reaches_the_requester(
    school_a, users, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages
    calls = []

    def flaky(self, messages):
        calls.append(len(messages))
        if len(calls) == 1:
            raise ConnectionRefusedError("mail server down")
        return real_send(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", flaky):
        with django_capture_on_commit_callbacks(execute=True):
            response = file_request(client_for(users["member_a"]), school_a)
    assert response.status_code == 302
    assert DisclosureRequest.objects.count() == 1
    assert len(calls) >= 2  # the first attempt failed, a later one was sent
    assert any("was received" in message.subject for message in mail.outbox)


def test_a_mail_server_that_stays_down_loses_nothing(
    school_a, users, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    def down(self, messages):
        raise ConnectionRefusedError("mail server down")

    with mock.patch.object(EmailBackend, "send_messages", down):
        with django_capture_on_commit_callbacks(execute=True):
            response = file_request(client_for(users["member_a"]), school_a)
    assert response.status_code == 302
    assert DisclosureRequest.objects.count() == 1


def test_text_is_escaped_on_pages_and_in_the_register(school_a, users):
    script = "<script>alert(1)</script>"
    file_request(client_for(users["member_a"]), school_a, subject=script, description=script)
    disclosure_request = DisclosureRequest.objects.get()
    page = (
        client_for(users["member_a"])
        .get(school_a.subpage_url("request_status", disclosure_request.token))
        .content.decode()
    )
    assert script not in page and "&lt;script&gt;" in page
    editor = client_for(users["editor_a"])
    for url in [
        reverse("dangwu_wagtail_disclosurerequest_modeladmin_index"),
        reverse("dangwu_wagtail_disclosurerequest_modeladmin_edit", args=(disclosure_request.pk,)),
        reverse(
            "dangwu_wagtail_disclosurerequest_modeladmin_inspect", args=(disclosure_request.pk,)
        ),
    ]:
        text = editor.get(url).content.decode()
        assert script not in text, url


def test_emails_carry_the_text_as_written_on_one_subject_line(
    school_a, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_request(
            client_for(users["member_a"]), school_a, subject="Budget <b>2026</b> Bcc: x@y.z"
        )
    # (A line break in the subject is refused by the form: tests/test_reader_records.py.)
    staff_mail = next(message for message in mail.outbox if "editor_a@example.com" in message.to)
    assert "\n" not in staff_mail.subject
    assert "Budget <b>2026</b>" in staff_mail.subject  # plain text: no HTML escaping
    assert staff_mail.bcc == []


def test_the_request_pages_are_translated(school_a, users):
    member = client_for(users["member_a"])
    response = member.get(school_a.subpage_url("request"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = response.content.decode()
    assert "依申请公开" in text and "发送申请" in text


def test_item_added_for_an_answer_must_be_of_this_column(school_a, school_b, users):
    other = add_item(school_b, "B public answer", number=8)
    disclosure_request = received(school_a, users["member_a"])
    response = process(
        client_for(users["editor_a"]),
        disclosure_request,
        action="answer",
        answer_type=AnswerType.DISCLOSED,
        answer_item=other.pk,
    )
    assert response.status_code == 200
    assert reload(disclosure_request).status == RequestStatus.RECEIVED

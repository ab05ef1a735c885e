"""Reception records, opinions and suggestions, and every register's isolation between
schools."""

import csv
import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangwu_wagtail.models import DisclosureRequest, Feedback, FeedbackCategory, ReceptionRecord


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(model, action, *args):
    return reverse(f"dangwu_wagtail_{model}_modeladmin_{action}", args=args)


# Opinions and suggestions ---------------------------------------------------------------------


def test_member_comments_on_an_item_and_reads_the_answer(
    school_a, items_a, users, django_capture_on_commit_callbacks
):
    member = client_for(users["member_a"])
    item = items_a["internal"]
    page = member.get(item.url).content.decode()
    assert f"{school_a.subpage_url('feedback')}?item={item.pk}" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(
            school_a.subpage_url("feedback"), {"item": item.pk, "text": "Please add the dates."}
        )
    assert response.status_code == 302 and response["Location"] == school_a.subpage_url("mine")
    feedback = Feedback.objects.get()
    assert (feedback.item, feedback.author, feedback.catalog) == (item, users["member_a"], school_a)
    assert "editor_a@example.com" in {a for message in mail.outbox for a in message.to}
    mine = member.get(school_a.subpage_url("mine")).content.decode()
    assert "Please add the dates." in mine and "Not answered yet." in mine

    editor = client_for(users["editor_a"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            url("feedback", "edit", feedback.pk),
            {
                "category": FeedbackCategory.SUGGESTION,
                "answer": "Added, thank you.",
                "in_report": "on",
            },
        )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.answered_by == users["editor_a"] and feedback.answered_at is not None
    assert feedback.in_report and feedback.category == FeedbackCategory.SUGGESTION
    mine = member.get(school_a.subpage_url("mine")).content.decode()
    assert "Added, thank you." in mine
    assert "member_a@example.com" in {a for message in mail.outbox for a in message.to}


def test_member_comments_on_the_column(school_a, users):
    member = client_for(users["member_a"])
    assert member.get(school_a.subpage_url("feedback")).status_code == 200
    response = member.post(school_a.subpage_url("feedback"), {"text": "More photos, please."})
    assert response.status_code == 302
    assert Feedback.objects.get().item is None


def test_who_may_comment(school_a, school_b, items_a, users):
    url_a = school_a.subpage_url("feedback")
    assert client_for(None).get(url_a).status_code == 302  # log in first
    assert client_for(users["member_b"]).get(url_a).status_code == 403  # another school's
    # An item the reader may not see does not exist for them.
    member_b = client_for(users["member_b"])
    response = member_b.get(school_b.subpage_url("feedback") + f"?item={items_a['public'].pk}")
    assert response.status_code == 404
    response = client_for(users["member_a"]).get(url_a + f"?item={items_a['draft'].pk}")
    assert response.status_code == 404
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 3001, "at most 3000 characters"),
    ],
)
def test_feedback_form_refuses_bad_input(school_a, users, text, message):
    response = client_for(users["member_a"]).post(school_a.subpage_url("feedback"), {"text": text})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_is_rate_limited(school_a, users):
    member = client_for(users["member_a"])
    statuses = [
        member.post(school_a.subpage_url("feedback"), {"text": f"Opinion {n}"}).status_code
        for n in range(21)
    ]
    assert statuses == [302] * 20 + [429]
    assert Feedback.objects.count() == 20


def test_report_exports_without_formula_injection(school_a, users):
    author = users["member_a"]
    Feedback.objects.create(
        catalog=school_a,
        author=author,
        author_name="=cmd|' /C calc'!A0",
        text='=HYPERLINK("http://evil.example","click")',
        in_report=True,
        answer="@SUM(1+1)",
        answered_at=timezone.now(),
    )
    Feedback.objects.create(catalog=school_a, author=author, author_name="Not reported", text="x")
    editor = client_for(users["editor_a"])
    report = url("feedback", "index") + "?in_report__exact=1"

    response = editor.get(report + "&export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2  # the heading and the one reported opinion
    [row] = rows[1:]
    assert '\'=HYPERLINK("http://evil.example","click")' in row
    assert "'=cmd|' /C calc'!A0" in row and "'@SUM(1+1)" in row
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)

    response = editor.get(report + "&export=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert any(cell.value == '=HYPERLINK("http://evil.example","click")' for cell in cells)
    assert all(cell.data_type != "f" for cell in cells)


# Reception records ----------------------------------------------------------------------------


def test_reception_record_linked_to_a_request(school_a, school_b, users):
    request_a = DisclosureRequest.objects.receive(
        school_a, name="Visitor", phone="13812345678", subject="Minutes", description="May."
    )
    request_b = DisclosureRequest.objects.receive(
        school_b, name="Other", phone="13812345678", subject="B minutes", description="May."
    )
    editor = client_for(users["editor_a"])
    form = editor.get(url("receptionrecord", "create"))
    assert form.status_code == 200
    fields = form.context["form"].fields
    assert list(fields["catalog"].queryset) == [school_a]
    assert set(fields["disclosure_request"].queryset) == {request_a}

    data = {
        "catalog": school_a.pk,
        "visitor_name": "Zhang",
        "visitor_contact": "13812345678",
        "visited_at": "2026-11-20 14:30",
        "place": "党员活动室",
        "question": "The minutes of May.",
        "received_by": "Li",
        "outcome": "Asked to file a request.",
        "disclosure_request": request_b.pk,
    }
    response = editor.post(url("receptionrecord", "create"), data)
    assert response.status_code == 200  # B's request is not offered
    assert not ReceptionRecord.objects.exists()

    response = editor.post(
        url("receptionrecord", "create"), {**data, "disclosure_request": request_a.pk}
    )
    assert response.status_code == 302
    record = ReceptionRecord.objects.get()
    assert record.disclosure_request == request_a and record.recorded_by == users["editor_a"]
    assert "Zhang" in editor.get(url("receptionrecord", "index")).content.decode()

    response = editor.post(
        url("receptionrecord", "create"), {**data, "visitor_name": "", "place": ""}
    )
    assert response.status_code == 200
    assert ReceptionRecord.objects.count() == 1


# Isolation in every register ------------------------------------------------------------------


@pytest.fixture
def rows_of_b(school_b, users):
    request = DisclosureRequest.objects.receive(
        school_b, name="BREQUESTER", phone="13812345678", subject="BSUBJECT", description="x"
    )
    reception = ReceptionRecord.objects.create(
        catalog=school_b,
        visitor_name="BVISITOR",
        place="B",
        question="BQUESTION",
        received_by="B",
    )
    feedback = Feedback.objects.create(
        catalog=school_b, author=users["member_b"], author_name="BAUTHOR", text="BOPINION"
    )
    return {"disclosurerequest": request, "receptionrecord": reception, "feedback": feedback}


MODELS = ["disclosurerequest", "receptionrecord", "feedback"]
B_WORDS = ["BSUBJECT", "BREQUESTER", "BVISITOR", "BQUESTION", "BAUTHOR", "BOPINION"]


@pytest.mark.parametrize("actor", ["editor_a", "reviewer_a"])
@pytest.mark.parametrize("model", MODELS)
def test_a_school_sees_and_changes_none_of_anothers_rows(users, rows_of_b, actor, model):
    client = client_for(users[actor])
    row = rows_of_b[model]
    index = client.get(url(model, "index"))
    assert index.status_code == 200
    text = index.content.decode()
    for word in B_WORDS:
        assert word not in text
    for action in ("edit", "inspect", "delete", "history"):
        response = client.get(url(model, action, row.pk), follow=True)
        for word in B_WORDS:
            assert word not in response.content.decode(), (action, word)
    client.post(url(model, "delete", row.pk))
    assert type(row).objects.filter(pk=row.pk).exists()
    exported = client.get(url(model, "index") + "?export=csv")
    assert not any(word in b"".join(exported.streaming_content).decode() for word in B_WORDS)


@pytest.mark.parametrize("model", MODELS)
def test_supervisors_read_every_register_and_change_nothing(users, rows_of_b, school_a, model):
    supervisor = client_for(users["supervisor"])
    row = rows_of_b[model]
    assert supervisor.get(url(model, "index")).status_code == 200
    assert supervisor.get(url(model, "inspect", row.pk)).status_code == 200
    assert supervisor.get(url(model, "history", row.pk)).status_code == 200
    response = supervisor.get(url(model, "edit", row.pk))
    assert response.status_code in (302, 403)
    before = type(row).objects.filter(pk=row.pk).values().get()
    supervisor.post(url(model, "edit", row.pk), {"answer": "x", "action": "accept"})
    supervisor.post(url(model, "delete", row.pk))
    assert type(row).objects.filter(pk=row.pk).values().get() == before


def test_members_have_no_register(users, rows_of_b):
    member = client_for(users["member_a"])
    for model in MODELS:
        assert member.get(url(model, "index")).status_code == 302


def test_holidays_are_kept_by_superusers(users):
    superuser = client_for(users["superuser"])
    response = superuser.post(
        url("holiday", "create"), {"date": "2026-10-01", "kind": "holiday", "name": "国庆节"}
    )
    assert response.status_code == 302
    response = superuser.post(
        url("holiday", "create"), {"date": "2026-10-01", "kind": "workday", "name": "dup"}
    )
    assert response.status_code == 200  # one row per date
    editor = client_for(users["editor_a"])
    assert editor.get(url("holiday", "index")).status_code == 200
    assert editor.get(url("holiday", "create")).status_code in (302, 403)


def test_registers_and_member_pages_speak_chinese(school_a, users, rows_of_b):
    from wagtail.users.models import UserProfile

    editor = users["editor_a"]
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "zh-hans"
    profile.save()
    disclosure_request = DisclosureRequest.objects.receive(
        school_a, name="Visitor", phone="13812345678", subject="Minutes", description="May."
    )
    client = client_for(editor)
    text = client.get(url("disclosurerequest", "index")).content.decode()
    assert "<title>公开申请 - Wagtail</title>" in text
    text = client.get(url("disclosurerequest", "edit", disclosure_request.pk)).content.decode()
    assert "下一步" in text and "受理" in text
    text = client.get(url("receptionrecord", "create")).content.decode()
    assert "接待记录" in text

    member = client_for(users["member_a"])
    text = member.get(school_a.subpage_url("mine"), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert "我的申请和意见" in text.decode()

"""The words a school office reads in Chinese: the right term in the right place, and Chinese
punctuation around the add-on's labels."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from dangwu_wagtail.models import DisclosureRequest, Feedback, Timing
from dangwu_wagtail.notifications import notify
from tests.conftest import add_item

CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_annual_summary_counts_are_not_called_times(school_a, items_a, users):
    year = timezone.localdate().year
    DisclosureRequest.objects.receive(
        school_a, name="张三", phone="13812345678", subject="s", description="d"
    )
    url = reverse("dangwu_wagtail_admin:summary", args=(school_a.pk,)) + f"?year={year}"
    client = client_for(users["supervisor"])
    text = client.get(url, **CHINESE).content.decode()
    assert "收到数" in text
    assert "收到时间" not in text and "答复时间" not in text
    response = client.get(url + "&export=xlsx", **CHINESE)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    labels = {row[1] for row in sheet.iter_rows(values_only=True)}
    assert {"收到数", "已答复数"} <= labels
    assert not labels & {"收到时间", "答复时间"}


def test_feedback_register_headers_are_chinese(school_a, users):
    Feedback.objects.create(catalog=school_a, author=users["member_a"], author_name="m", text="t")
    url = reverse("dangwu_wagtail_feedback_modeladmin_index")
    text = client_for(users["editor_a"]).get(url, **CHINESE).content.decode()
    assert "Subject" not in text
    assert "一级目录" not in text
    assert "类别" in text


def test_a_catalog_entrys_due_date_is_not_a_requests_answer_term(
    school_a, users, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "zh-hans"
    entry = school_a.entries.filter(timing=Timing.IMMEDIATE).order_by("sort_order").first()
    add_item(school_a, "Late minutes", entry=entry, live=False, formed_on=datetime.date(2026, 9, 1))
    day = datetime.date(2026, 9, 15)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("dangwu_send_overdue_lists", "--date", "2026-11-30", stdout=io.StringIO())
    body = next(m.body for m in mail.outbox if "reviewer_a@example.com" in m.to)
    line = next(line for line in body.splitlines() if str(entry) in line)
    assert "（公开期限 " in line and "答复期限" not in line
    assert "公开目录：" in body
    school = {"catalog": school_a, "entries": [{"entry": entry, "due": day}], "requests": []}
    with translation.override("zh-hans"):
        district = render_to_string(
            "dangwu_wagtail/emails/overdue_district.txt", {"schools": [school], "day": day}
        )
    assert "A中学党委：1 个条目、0 件申请" in district
    assert f"{entry}（公开期限 2026-09-15）" in district


def test_request_emails_use_chinese_colons(school_a, settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "zh-hans"
    disclosure_request = DisclosureRequest.objects.receive(
        school_a,
        name="张三",
        email="zhang@example.com",
        phone="13812345678",
        subject="食堂账目",
        description="d",
    )
    context = {"disclosure_request": disclosure_request, "catalog": school_a}
    with django_capture_on_commit_callbacks(execute=True):
        notify("request_acknowledged", context, [disclosure_request.email])
    body = next(m.body for m in mail.outbox if "zhang@example.com" in m.to)
    assert "主题：食堂账目" in body
    assert ": " not in body


def test_dashboard_names_an_entrys_due_date(school_a, users):
    entry = school_a.entries.filter(timing=Timing.IMMEDIATE).order_by("sort_order").first()
    add_item(school_a, "Late minutes", entry=entry, live=False, formed_on=datetime.date(2020, 1, 6))
    text = client_for(users["editor_a"]).get(reverse("wagtailadmin_home"), **CHINESE)
    text = text.content.decode()
    assert "公开期限" in text

"""Every CSV and XLSX export read back as Excel would read it: UTF-8 with a byte order mark,
Chinese headers and labels, local times, dates as dates, empty cells empty and a Chinese
file name."""

import csv
import datetime
import io
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangwu_wagtail.models import AnswerType, DisclosureRequest, Feedback, FeedbackCategory

CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
#: 01:30 UTC is 09:30 in Shanghai, the test site's zone.
RECEIVED = datetime.datetime(2026, 3, 2, 1, 30, tzinfo=datetime.UTC)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_csv(response):
    data = content(response)
    assert data.startswith(b"\xef\xbb\xbf"), "no byte order mark: Excel would read GBK"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(response):
    return list(load_workbook(io.BytesIO(content(response))).active.iter_rows(values_only=True))


def assert_chinese_file_name(response, name):
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote(name)}" in disposition, disposition


@pytest.fixture
def requests_a(school_a, users):
    received = DisclosureRequest.objects.receive(
        school_a, name="张三", phone="13812345678", subject="食堂账目", description="请公开。"
    )
    answered = DisclosureRequest.objects.receive(
        school_a, name="李四", phone="13812345679", subject="=1+1", description="d"
    )
    answered.answer(users["editor_a"], AnswerType.DISCLOSED, explanation="已在专栏公开。")
    DisclosureRequest.objects.filter(pk__in=[received.pk, answered.pk]).update(received_at=RECEIVED)
    return received, answered


def register_url(model, export):
    return reverse(f"dangwu_wagtail_{model}_modeladmin_index") + f"?export={export}"


def test_requests_register_csv(requests_a, users):
    response = client_for(users["editor_a"]).get(
        register_url("disclosurerequest", "csv"), **CHINESE
    )
    rows = read_csv(response)
    header, *lines = rows
    assert header[:3] == ["编号", "专栏", "收到时间"]
    assert all(not any("a" <= c <= "z" for c in heading.lower()) for heading in header), header
    by_subject = {line[4]: dict(zip(header, line, strict=True)) for line in lines}
    received, answered = by_subject["食堂账目"], by_subject["'=1+1"]
    assert received["收到时间"] == "2026-03-02 09:30"
    assert received["状态"] == "已收到" and received["答复"] == ""
    assert received["答复日期"] == ""
    assert answered["状态"] == "已答复" and answered["答复"] == "予以公开"
    assert answered["是否按时答复"] == "是"
    today = timezone.localdate().isoformat()
    assert_chinese_file_name(response, f"公开申请-{today}.csv")


def test_requests_register_xlsx(requests_a, users):
    response = client_for(users["editor_a"]).get(
        register_url("disclosurerequest", "xlsx"), **CHINESE
    )
    header, *lines = read_xlsx(response)
    assert header[:3] == ("编号", "专栏", "收到时间")
    by_subject = {line[4]: dict(zip(header, line, strict=True)) for line in lines}
    received, answered = by_subject["食堂账目"], by_subject["=1+1"]
    assert received["收到时间"] == datetime.datetime(2026, 3, 2, 9, 30)  # local, not UTC
    assert isinstance(received["答复期限"], datetime.datetime | datetime.date)
    assert received["答复"] is None and received["答复日期"] is None  # empty cells
    assert answered["状态"] == "已答复" and answered["是否按时答复"] == "是"
    assert_chinese_file_name(response, f"公开申请-{timezone.localdate().isoformat()}.xlsx")


def test_feedback_register_exports(school_a, users):
    feedback = Feedback.objects.create(
        catalog=school_a,
        author=users["member_a"],
        author_name="王五",
        text="建议增加照片。",
        category=FeedbackCategory.SUGGESTION,
    )
    Feedback.objects.filter(pk=feedback.pk).update(created_at=RECEIVED)
    client = client_for(users["editor_a"])
    header, line = read_csv(client.get(register_url("feedback", "csv"), **CHINESE))
    row = dict(zip(header, line, strict=True))
    assert row["收到时间"] == "2026-03-02 09:30"
    assert row["类别"].startswith("建议")
    assert row["答复时间"] == "" and row["所涉内容"] == "整个专栏"
    header, line = read_xlsx(client.get(register_url("feedback", "xlsx"), **CHINESE))
    row = dict(zip(header, line, strict=True))
    assert row["收到时间"] == datetime.datetime(2026, 3, 2, 9, 30)
    assert row["答复时间"] is None and row["答复"] is None


def test_district_report_exports(school_a, school_b, users):
    url = reverse("dangwu_wagtail_admin:catalogs")
    year = timezone.localdate().year
    client = client_for(users["supervisor"])
    response = client.get(url + f"?year={year}&export=csv", **CHINESE)
    header, *lines = read_csv(response)
    assert header[:2] == ["党组织", "党组织类型"]
    assert {line[1] for line in lines} == {"党委", "党支部"}
    assert_chinese_file_name(response, f"各单位党务公开专栏-{year}.csv")
    response = client.get(url + f"?year={year}&export=xlsx", **CHINESE)
    header, *lines = read_xlsx(response)
    assert header[:2] == ("党组织", "党组织类型")
    assert all(isinstance(line[2], int) for line in lines)


def test_annual_summary_exports(school_a, items_a, users):
    year = timezone.localdate().year
    url = reverse("dangwu_wagtail_admin:summary", args=(school_a.pk,)) + f"?year={year}"
    client = client_for(users["supervisor"])
    response = client.get(url + "&export=csv", **CHINESE)
    rows = read_csv(response)
    assert rows[0] == ["A中学党委", str(year)]
    assert rows[1] == ["类别", "项目", "数量"]
    assert ["公开申请", "收到数", "0"] in rows
    assert_chinese_file_name(response, f"A中学党委{year}年党务公开总结.csv")
    response = client.get(url + "&export=xlsx", **CHINESE)
    assert_chinese_file_name(response, f"A中学党委{year}年党务公开总结.xlsx")
    assert read_xlsx(response)[1] == ("类别", "项目", "数量")

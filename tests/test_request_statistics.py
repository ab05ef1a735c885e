"""Statistics of requests (依申请公开), as disclosure annual reports count them: received,
carried over, answered by type and refusals by reason, on time, extended, carried into the
next year, with received + carried over = answered + carried forward; on a public page per
column, on one for the district and in the annual summary. Counts only: nothing of what was
asked, or of an internal item that answered it, reaches a reader."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangwu_wagtail.models import AnswerType, DisclosureRequest, RequestStatus
from dangwu_wagtail.reports import request_statistics

CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
SUBJECT = "SUBJECTWORD食堂账目"


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def seeded(catalog, received_at, answered_on=None, answer_type="", reason="", **fields):
    request = DisclosureRequest.objects.receive(
        catalog,
        name="张三",
        phone="13812345678",
        subject=SUBJECT,
        description="请公开。",
        received_at=received_at,
    )
    if answered_on is not None:
        fields.setdefault("due_when_answered", answered_on + datetime.timedelta(days=20))
        DisclosureRequest.objects.filter(pk=request.pk).update(
            status=RequestStatus.ANSWERED,
            answer_type=answer_type,
            refusal_reason=reason,
            answered_on=answered_on,
            answer_explanation="说明",
            **fields,
        )
    return request


@pytest.fixture
def requests_across_years(school_a, school_b, items_a):
    d = datetime.date
    internal = items_a["internal"]
    return {
        "old": seeded(school_a, at(2024, 5, 1), d(2024, 5, 10), AnswerType.DISCLOSED),
        "r1": seeded(school_a, at(2025, 3, 2), d(2025, 3, 20), AnswerType.DISCLOSED),
        "r2": seeded(
            school_a, at(2025, 12, 20), d(2026, 1, 10), AnswerType.REFUSED, "state_secret"
        ),
        "r3": seeded(school_a, at(2025, 11, 3)),
        # A partial disclosure with an internal item: counted, never named.
        "r4": seeded(
            school_a, at(2026, 2, 2), d(2026, 2, 20), AnswerType.PARTIAL, answer_item=internal
        ),
        "r5": seeded(
            school_a,
            at(2026, 3, 2),
            d(2026, 5, 6),
            AnswerType.NOT_HELD,
            "needs_making",
            extended_on=d(2026, 3, 20),
            due_when_answered=d(2026, 4, 30),
        ),
        "r6": seeded(school_a, at(2026, 12, 30)),
        "b1": seeded(school_b, at(2026, 4, 1), d(2026, 4, 8), AnswerType.DISCLOSED),
    }


def test_the_year_balances_and_counts_each_kind(requests_across_years, school_a):
    statistics = request_statistics(2026, [school_a.pk])
    assert (statistics.received, statistics.carried_over) == (3, 2)
    assert (statistics.answered, statistics.carried_forward) == (3, 2)
    assert statistics.balances
    assert statistics.by_answer == {"refused": 1, "partial": 1, "not_held": 1}
    assert statistics.by_reason == {"state_secret": 1, "needs_making": 1}
    assert (statistics.on_time, statistics.late, statistics.extended) == (2, 1, 1)
    last_year = request_statistics(2025, [school_a.pk])
    assert (last_year.received, last_year.carried_over) == (3, 0)
    assert (last_year.answered, last_year.carried_forward) == (1, 2)
    # What one year carries forward, the next carries over.
    assert last_year.carried_forward == statistics.carried_over


def test_every_year_balances_for_every_column_and_the_district(
    requests_across_years, school_a, school_b
):
    for year in range(2023, 2029):
        for catalogs in ([school_a.pk], [school_b.pk], None):
            statistics = request_statistics(year, catalogs)
            assert statistics.balances, (year, catalogs)
            assert statistics.received + statistics.carried_over == (
                statistics.answered + statistics.carried_forward
            )
    district = request_statistics(2026)
    assert (district.received, district.answered) == (4, 4)
    assert district.by_answer[AnswerType.DISCLOSED] == 1


def test_the_column_page_shows_the_year_and_the_check(requests_across_years, school_a, users):
    url = school_a.subpage_url("statistics") + "?year=2026"
    pages = []
    for user in (None, users["member_b"], users["editor_b"], users["member_a"]):
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url, **CHINESE)
        assert response.status_code == 200
        pages.append(response.content.decode())
    html = pages[0]
    assert "2026年" in html
    assert "收到 3 + 上年结转 2 = 答复 3 + 结转下年 2" in html and "✓" in html
    assert "部分公开" in html and "属于国家秘密" in html and "没有现成信息，需要另行制作" in html
    # Counts only: no request's subject, no internal item's title, to anyone.
    for page in pages:
        assert "SUBJECTWORD" not in page and "SECRETWORD" not in page
    # The same page for every reader: counts of requests only.
    assert pages[0] == pages[1] == pages[2]


def test_the_column_page_counts_its_own_requests_only(requests_across_years, school_b):
    html = Client().get(school_b.subpage_url("statistics") + "?year=2026", **CHINESE)
    assert "收到 1 + 上年结转 0 = 答复 1 + 结转下年 0" in html.content.decode()


def test_the_district_page(requests_across_years):
    response = Client().get(reverse("dangwu_wagtail:statistics") + "?year=2026", **CHINESE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "收到 4 + 上年结转 2 = 答复 4 + 结转下年 2" in html
    assert "SUBJECTWORD" not in html and "SECRETWORD" not in html
    for year in (2024, 2025, 2026):
        assert f'href="?year={year}"' in html


def test_a_year_that_is_not_offered_is_a_clear_error(requests_across_years, school_a):
    for year in ("abc", "1999", "20250"):
        response = Client().get(school_a.subpage_url("statistics") + f"?year={year}", **CHINESE)
        assert response.status_code == 400
        assert "2024" in response.content.decode() and 'role="alert"' in response.content.decode()


def test_the_annual_summary_and_its_exports_carry_the_statistics(
    requests_across_years, school_a, users
):
    client = Client()
    client.force_login(users["supervisor"])
    url = reverse("dangwu_wagtail_admin:summary", args=(school_a.pk,)) + "?year=2026"
    html = client.get(url, **CHINESE).content.decode()
    assert "收到 3 + 上年结转 2 = 答复 3 + 结转下年 2" in html
    assert "SECRETWORD" not in html
    response = client.get(url + "&export=csv", **CHINESE)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    section = "按年度报告统计的公开申请"
    assert [section, "上年结转", "2"] in rows
    assert [section, "结转下年", "2"] in rows
    assert [section, "部分公开", "1"] in rows
    assert [section, "不予公开：属于国家秘密", "1"] in rows
    assert [section, "无法提供：没有现成信息，需要另行制作", "1"] in rows
    assert [section, "延期后答复", "1"] in rows
    response = client.get(url + "&export=xlsx", **CHINESE)
    content = b"".join(response.streaming_content)
    sheet = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert (section, "上年结转", 2) in sheet
    assert (section, "收到 + 上年结转 = 答复 + 结转下年", "是") in sheet
    assert not any("SECRETWORD" in str(cell) for row in sheet for cell in row)


def test_the_column_page_links_to_its_statistics(client, school_a):
    html = client.get(school_a.url).content.decode()
    statistics = school_a.subpage_url("statistics")
    assert html.count(f'href="{statistics}"') == 2
    assert client.get(statistics).status_code == 200

"""The compliance clock, the district report, the annual summary and the weekly lists, with a
fixed clock."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangwu_wagtail.compliance import (
    ComplianceClock,
    State,
    catalog_compliance,
    last_ended_period,
    period_containing,
)
from dangwu_wagtail.models import (
    AnswerType,
    Catalog,
    DayKind,
    DisclosureItem,
    DisclosureRequest,
    Feedback,
    Holiday,
    OrganisationType,
    Period,
    ReceptionRecord,
    Timing,
)
from dangwu_wagtail.models.listing import listing_changed
from dangwu_wagtail.reports import annual_summary, district_report
from dangwu_wagtail.schools import setup_school
from tests.conftest import add_item

D = datetime.date


@pytest.fixture
def national_day(db):
    """国庆 2026: 1–7 October off, Saturday 10 October worked (调休)."""
    for day in range(1, 8):
        Holiday.objects.create(date=D(2026, 10, day), name="国庆节")
    Holiday.objects.create(date=D(2026, 10, 10), kind=DayKind.WORKDAY, name="调休")


@pytest.fixture
def column(home):
    """A fresh committee column, open since 2025, with no items."""
    catalog = setup_school(home, "C中学党委", "committee").catalog
    opened = timezone.make_aware(datetime.datetime(2025, 1, 1))
    Catalog.objects.filter(pk=catalog.pk).update(first_published_at=opened)
    return Catalog.objects.get(pk=catalog.pk)


def entry_of(catalog, timing, period=None):
    entry = catalog.entries.filter(timing=timing).order_by("sort_order").first()
    if period is not None:
        entry.period = period
        entry.save(update_fields=["period"])
    return entry


def state_of(catalog, entry, day):
    [column] = ComplianceClock(day).of_catalogs([catalog])
    return next(state for state in column.entries if state.entry.pk == entry.pk)


# Periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period, day, expected",
    [
        (Period.MONTH, D(2026, 1, 31), (D(2026, 1, 1), D(2026, 1, 31))),
        (Period.MONTH, D(2026, 2, 1), (D(2026, 2, 1), D(2026, 2, 28))),
        (Period.MONTH, D(2028, 2, 29), (D(2028, 2, 1), D(2028, 2, 29))),
        (Period.QUARTER, D(2026, 3, 31), (D(2026, 1, 1), D(2026, 3, 31))),
        (Period.QUARTER, D(2026, 4, 1), (D(2026, 4, 1), D(2026, 6, 30))),
        (Period.QUARTER, D(2026, 12, 31), (D(2026, 10, 1), D(2026, 12, 31))),
        (Period.SEMESTER, D(2026, 1, 31), (D(2025, 8, 1), D(2026, 1, 31))),
        (Period.SEMESTER, D(2026, 2, 1), (D(2026, 2, 1), D(2026, 7, 31))),
        (Period.SEMESTER, D(2026, 8, 1), (D(2026, 8, 1), D(2027, 1, 31))),
        (Period.SCHOOL_YEAR, D(2026, 8, 31), (D(2025, 9, 1), D(2026, 8, 31))),
        (Period.SCHOOL_YEAR, D(2026, 9, 1), (D(2026, 9, 1), D(2027, 8, 31))),
        (Period.YEAR, D(2026, 12, 31), (D(2026, 1, 1), D(2026, 12, 31))),
        (Period.YEAR, D(2027, 1, 1), (D(2027, 1, 1), D(2027, 12, 31))),
    ],
)
def test_period_boundaries(period, day, expected):
    assert period_containing(period, day) == expected


def test_last_ended_period():
    assert last_ended_period(Period.QUARTER, D(2026, 10, 20)) == (D(2026, 7, 1), D(2026, 9, 30))
    assert last_ended_period(Period.SCHOOL_YEAR, D(2026, 9, 1)) == (D(2025, 9, 1), D(2026, 8, 31))
    assert last_ended_period(Period.YEAR, D(2027, 1, 1)) == (D(2026, 1, 1), D(2026, 12, 31))


# Immediate entries ----------------------------------------------------------------------------


def test_immediate_entry_across_a_holiday_and_a_make_up_working_day(column, national_day):
    entry = entry_of(column, Timing.IMMEDIATE)
    add_item(column, "Meeting minutes", entry=entry, live=False, formed_on=D(2026, 9, 25))
    # 10 working days after Fri 25 Sep: 28, 29, 30 Sep, 8, 9, Sat 10, 12, 13, 14, 15 Oct.
    assert state_of(column, entry, D(2026, 10, 9)).state == State.ON_TIME
    due_soon = state_of(column, entry, D(2026, 10, 12))
    assert (due_soon.state, due_soon.due) == (State.DUE_SOON, D(2026, 10, 15))
    assert state_of(column, entry, D(2026, 10, 15)).state == State.DUE_SOON
    assert state_of(column, entry, D(2026, 10, 16)).state == State.OVERDUE


def test_immediate_entry_without_the_holiday_register(column):
    entry = entry_of(column, Timing.IMMEDIATE)
    add_item(column, "Meeting minutes", entry=entry, live=False, formed_on=D(2026, 9, 25))
    # Weekdays only: due Fri 9 Oct.
    assert state_of(column, entry, D(2026, 10, 9)).due == D(2026, 10, 9)
    assert state_of(column, entry, D(2026, 10, 12)).state == State.OVERDUE


def test_immediate_entry_is_on_time_once_published(column):
    entry = entry_of(column, Timing.IMMEDIATE)
    add_item(column, "Meeting minutes", entry=entry, formed_on=D(2026, 9, 25))
    state = state_of(column, entry, D(2026, 12, 1))
    assert (state.state, state.due, state.pending) == (State.ON_TIME, None, 0)


@override_settings(DANGWU_WAGTAIL={"IMMEDIATE_WORKING_DAYS": 5, "DUE_SOON_WORKING_DAYS": 1})
def test_the_immediate_deadline_is_a_setting(column):
    entry = entry_of(column, Timing.IMMEDIATE)
    add_item(column, "Minutes", entry=entry, live=False, formed_on=D(2026, 9, 25))
    assert state_of(column, entry, D(2026, 10, 1)).due == D(2026, 10, 2)
    assert state_of(column, entry, D(2026, 9, 29)).state == State.ON_TIME
    assert state_of(column, entry, D(2026, 10, 1)).state == State.DUE_SOON


# Periodic entries ----------------------------------------------------------------------------


def test_quarterly_entry_across_the_holiday(column, national_day):
    entry = entry_of(column, Timing.PERIODIC, Period.QUARTER)
    # Q3 ends Wed 30 Sep; 10 working days: 8, 9, Sat 10, 12–16, 19, 20 Oct.
    state = state_of(column, entry, D(2026, 10, 19))
    assert (state.state, state.due) == (State.DUE_SOON, D(2026, 10, 20))
    assert state.period == (D(2026, 7, 1), D(2026, 9, 30))
    assert state_of(column, entry, D(2026, 10, 21)).state == State.OVERDUE

    add_item(
        column,
        "Q3 report",
        entry=entry,
        formed_on=D(2026, 10, 9),
        period_start=D(2026, 7, 1),
        period_end=D(2026, 9, 30),
    )
    state = state_of(column, entry, D(2026, 10, 21))
    assert state.state == State.ON_TIME
    assert state.period == (D(2026, 10, 1), D(2026, 12, 31))


@pytest.mark.parametrize(
    "period, day, owed, due",
    [
        # The first working days after each period's end, weekdays only.
        (Period.MONTH, D(2026, 3, 2), (D(2026, 2, 1), D(2026, 2, 28)), D(2026, 3, 13)),
        (Period.SEMESTER, D(2026, 2, 2), (D(2025, 8, 1), D(2026, 1, 31)), D(2026, 2, 13)),
        (Period.SCHOOL_YEAR, D(2026, 9, 1), (D(2025, 9, 1), D(2026, 8, 31)), D(2026, 9, 14)),
        (Period.YEAR, D(2026, 1, 5), (D(2025, 1, 1), D(2025, 12, 31)), D(2026, 1, 14)),
    ],
)
def test_each_period_type_owes_the_period_just_ended(column, period, day, owed, due):
    entry = entry_of(column, Timing.PERIODIC, period)
    state = state_of(column, entry, day)
    assert (state.period, state.due, state.state) == (owed, due, State.ON_TIME)
    assert state_of(column, entry, due + datetime.timedelta(days=1)).state == State.OVERDUE
    # Disclosed, it owes the next period.
    add_item(
        column, "Report", entry=entry, period_start=owed[0], period_end=owed[1], formed_on=owed[1]
    )
    assert state_of(column, entry, due + datetime.timedelta(days=1)).state == State.ON_TIME


def test_a_period_that_ended_before_the_column_opened_is_not_owed(column):
    entry = entry_of(column, Timing.PERIODIC, Period.YEAR)
    opened = timezone.make_aware(datetime.datetime(2026, 3, 1))
    Catalog.objects.filter(pk=column.pk).update(first_published_at=opened)
    column = Catalog.objects.get(pk=column.pk)
    assert state_of(column, entry, D(2026, 6, 1)).state == State.ON_TIME
    assert state_of(column, entry, D(2027, 2, 1)).state == State.OVERDUE


def test_entries_without_timing_are_not_applicable(column):
    open_rows = column.entries.filter(timing="")
    assert open_rows.exists()
    states = {s.entry.pk: s.state for s in catalog_compliance(column, D(2026, 10, 1)).entries}
    assert all(states[entry.pk] == State.NOT_APPLICABLE for entry in open_rows)


# The district report ------------------------------------------------------------------------------


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_district_report_rows_and_filters(school_a, school_b, items_a, users):
    DisclosureRequest.objects.receive(
        school_a, name="x", phone="13812345678", subject="s", description="d"
    ).answer(users["editor_a"], AnswerType.NOT_HELD, explanation="None.")
    year = timezone.localdate().year
    rows = {row.organisation_name: row for row in district_report(year)}
    assert set(rows) == {"A中学党委", "B小学党支部"}
    assert rows["A中学党委"].published == 2  # the internal and the public item
    assert (rows["A中学党委"].requests_answered, rows["A中学党委"].requests_on_time) == (1, 1)
    assert rows["B小学党支部"].published == 0
    only_branches = district_report(year, OrganisationType.BRANCH)
    assert [row.organisation_name for row in only_branches] == ["B小学党支部"]


def test_district_report_page_and_export(school_a, school_b, users):
    supervisor = client_for(users["supervisor"])
    url = reverse("dangwu_wagtail_admin:catalogs")
    response = supervisor.get(url + "?organisation_type=branch")
    assert response.status_code == 200
    text = response.content.decode()
    assert "B小学党支部" in text and "A中学党委" not in text
    assert f'href="{reverse("dangwu_wagtail_admin:catalog", args=(school_b.pk,))}"' in text

    response = supervisor.get(url + "?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["organisation", "organisation type", "entries overdue"]
    assert {row[0] for row in rows[1:]} == {"A中学党委", "B小学党支部"}

    response = supervisor.get(url + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[1]][:2] == ["organisation", "organisation type"]
    assert sheet.max_row == 3


def test_district_report_counts_the_states_the_drill_down_shows(home, school_a, school_b):
    add_schools(home, 4)
    periodic = school_a.entries.filter(timing=Timing.PERIODIC)
    assert periodic.count() >= 2
    add_item(school_a, "Report", entry=periodic.first(), formed_on=D(2026, 10, 9))
    for day in [None, D(2026, 10, 9), D(2027, 1, 20)]:
        rows = district_report(2026, day=day)
        for row in rows:
            states = catalog_compliance(row.catalog, day=day)
            assert (row.overdue, row.due_soon) == (states.overdue, states.due_soon)
        assert any(row.overdue for row in rows)


def test_district_report_shows_the_last_publication_day(school_a, items_a, users):
    last = timezone.make_aware(datetime.datetime(2026, 3, 4, 23, 30))
    DisclosureItem.objects.filter(pk=items_a["public"].pk).update(last_published_at=last)
    DisclosureItem.objects.exclude(pk=items_a["public"].pk).update(last_published_at=None)
    response = client_for(users["supervisor"]).get(reverse("dangwu_wagtail_admin:catalogs"))
    assert '<time datetime="2026-03-04">' in response.content.decode()


def test_drill_down_shows_each_entrys_state(school_a, users):
    entry = entry_of(school_a, Timing.IMMEDIATE)
    add_item(school_a, "Old minutes", entry=entry, live=False, formed_on=D(2020, 1, 6))
    supervisor = client_for(users["supervisor"])
    response = supervisor.get(reverse("dangwu_wagtail_admin:catalog", args=(school_a.pk,)))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Overdue" in text and "Old minutes" in text and "Not applicable" in text


def test_who_reads_the_report(school_a, school_b, users):
    index = reverse("dangwu_wagtail_admin:catalogs")
    assert client_for(users["editor_a"]).get(index).status_code in (302, 403)
    editor = client_for(users["editor_a"])
    own = reverse("dangwu_wagtail_admin:catalog", args=(school_a.pk,))
    other = reverse("dangwu_wagtail_admin:catalog", args=(school_b.pk,))
    assert editor.get(own).status_code == 200
    assert editor.get(other).status_code in (302, 403)
    summary_other = reverse("dangwu_wagtail_admin:summary", args=(school_b.pk,))
    assert editor.get(summary_other).status_code in (302, 403)
    assert client_for(users["member_a"]).get(own).status_code == 302


def add_schools(home, count, start=0):
    for n in range(start, start + count):
        template = "committee" if n % 2 else "branch"
        catalog = setup_school(home, f"School {n:03d}", template).catalog
        entry = catalog.entries.filter(timing=Timing.IMMEDIATE).first()
        add_item(catalog, f"Minutes {n}", entry=entry, live=False, formed_on=D(2026, 9, 1))
        add_item(catalog, f"Notice {n}", entry=entry)
        DisclosureRequest.objects.receive(
            catalog, name="x", phone="13812345678", subject="s", description="d"
        )


def report_queries(year):
    with CaptureQueriesContext(connection) as queries:
        rows = district_report(year)
    return len(queries), rows


def test_district_report_queries_do_not_grow_with_schools(home):
    year = timezone.localdate().year
    add_schools(home, 3)  # five schools with the two of the district fixture
    few, rows = report_queries(year)
    assert len(rows) == 5
    add_schools(home, 45, start=3)
    many, rows = report_queries(year)
    assert len(rows) == 50
    assert few == many
    assert all(row.overdue >= 1 for row in rows if row.organisation_name.startswith("School"))


def test_district_report_page_queries_do_not_grow_with_schools(home, users):
    supervisor = client_for(users["supervisor"])
    url = reverse("dangwu_wagtail_admin:catalogs")
    supervisor.get(url)

    def queries():
        """The page's queries with columns added since it was last asked, then asked again:
        the added columns computed, then every column's figures from the cache."""
        with CaptureQueriesContext(connection) as computed:
            supervisor.get(url)
        with CaptureQueriesContext(connection) as kept:
            response = supervisor.get(url)
        assert response.status_code == 200
        return len(computed), len(kept)

    add_schools(home, 3)
    few = queries()
    add_schools(home, 20, start=3)
    assert queries() == few
    assert few[1] < few[0]


def test_district_report_queries_do_not_grow_with_schools_or_items(home, users):
    from benchmarks.generator import bulk_add_items, plan_items

    year = timezone.localdate().year
    supervisor = client_for(users["supervisor"])
    url = reverse("dangwu_wagtail_admin:catalogs")

    def queries():
        """The report's queries with its columns changed since it was last asked, then again
        (each column's figures kept), and the page's (kept)."""
        computed, rows = report_queries(year)
        kept, rows = report_queries(year)
        with CaptureQueriesContext(connection) as page:
            response = supervisor.get(url)
        assert response.status_code == 200
        return (computed, kept, len(page)), rows

    supervisor.get(url)
    for catalog in Catalog.objects.all():
        listing_changed(catalog.pk)  # as a publication in each column does
    two, rows = queries()
    assert len(rows) == 2
    add_schools(home, 4)
    six, rows = queries()
    assert len(rows) == 6
    live_before = sum(row.public_live + row.internal_live for row in rows)
    planned = plan_items([row.catalog for row in rows], 50, 300)
    bulk_add_items(planned)
    many_items, rows = queries()
    assert sum(row.public_live + row.internal_live for row in rows) == live_before + len(planned)
    assert two == six == many_items


def report_figures(year, day):
    return [
        (
            row.organisation_name,
            row.overdue,
            row.due_soon,
            row.published,
            row.public_live,
            row.internal_live,
            row.not_live,
            row.last_published,
        )
        for row in district_report(year, day=day)
    ]


def test_district_report_keeps_no_figure_a_change_made_stale(home, school_a, school_b):
    """Each column's figures are kept under its listing version: after every kind of change
    the report shows what it computes with nothing kept, and the change shows."""
    year, day = 2026, D(2026, 11, 17)
    add_schools(home, 2)
    computed_afresh = {**getattr(settings, "DANGWU_WAGTAIL", {}), "LISTING_CACHE_SECONDS": 0}

    def report():
        kept = report_figures(year, day)
        assert report_figures(year, day) == kept  # asked again: from the cache
        with override_settings(DANGWU_WAGTAIL=computed_afresh):
            assert report_figures(year, day) == kept
        return {name: figures for name, *figures in kept}

    def school_a_figures():
        overdue, due_soon, published, public_live, internal_live, not_live, last = report()[
            school_a.organisation_name
        ]
        return {"overdue": overdue, "due_soon": due_soon, "live": public_live + internal_live}

    immediate = entry_of(school_a, Timing.IMMEDIATE)
    before = school_a_figures()
    item = add_item(school_a, "A notice", entry=immediate)
    assert school_a_figures()["live"] == before["live"] + 1
    # Formed on Monday 2 November: due ten working days later, on the 16th; overdue on the 17th.
    draft = add_item(school_a, "Minutes", entry=immediate, live=False, formed_on=D(2026, 11, 2))
    assert school_a_figures()["overdue"] == before["overdue"] + 1
    # A holiday in between puts the deadline on the 17th: due soon, no longer overdue.
    Holiday.objects.create(date=D(2026, 11, 10), name="校庆")
    assert school_a_figures() == {
        **before,
        "live": before["live"] + 1,
        "due_soon": before["due_soon"] + 1,
    }
    DisclosureItem.objects.get(pk=item.pk).unpublish()
    assert school_a_figures()["live"] == before["live"]
    draft.delete()
    assert school_a_figures() == before
    # An entry changed outside the column's editor (its draft item, formed on 1 September,
    # makes it overdue): its column is computed again.
    entry = school_a.entries.get(number=8)
    entry.timing = ""
    entry.save(update_fields=["timing"])
    assert school_a_figures()["overdue"] == before["overdue"] - 1


# The annual summary ------------------------------------------------------------------------------


def test_annual_summary_counts_the_year(school_a, items_a, users):
    year = timezone.localdate().year
    editor = users["editor_a"]
    answered = DisclosureRequest.objects.receive(
        school_a, name="x", phone="13812345678", subject="s", description="d"
    )
    answered.answer(editor, AnswerType.REFUSED, explanation="Private.")
    DisclosureRequest.objects.receive(
        school_a, name="y", phone="13812345678", subject="t", description="e"
    )
    ReceptionRecord.objects.create(
        catalog=school_a, visitor_name="v", place="p", question="q", received_by="r"
    )
    Feedback.objects.create(
        catalog=school_a,
        author=users["member_a"],
        author_name="m",
        text="t",
        answer="a",
        answered_at=timezone.now(),
        in_report=True,
    )
    Feedback.objects.create(catalog=school_a, author=users["member_a"], author_name="m", text="u")

    summary = annual_summary(school_a, year)

    assert summary.items_total == 2
    assert sum(internal for _c, _p, internal in summary.items) == 1
    assert summary.requests_received == 2
    assert summary.requests_by_answer == [(AnswerType.REFUSED.label, 1)]
    assert (summary.requests_on_time, summary.requests_late, summary.requests_open) == (1, 0, 1)
    assert summary.receptions == 1
    assert (summary.feedback_received, summary.feedback_answered) == (2, 1)
    assert summary.feedback_reported == 1
    assert annual_summary(school_a, year - 1).items_total == 0


def test_annual_summary_page_and_file(school_a, items_a, users):
    year = timezone.localdate().year
    url = reverse("dangwu_wagtail_admin:summary", args=(school_a.pk,))
    for user in ("supervisor", "editor_a"):
        response = client_for(users[user]).get(url + f"?year={year}")
        assert response.status_code == 200
        text = response.content.decode()
        assert f"A中学党委: Party affairs disclosure in {year}" in text
        assert "@media print" in text and "size: A4" in text
    response = client_for(users["supervisor"]).get(url + f"?year={year}&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][:2] == ("A中学党委", year)
    assert ("Items published", "Total", 2) in values


def test_catalog_adjustments_are_counted(school_a, users):
    year = timezone.localdate().year
    assert annual_summary(school_a, year).adjustments == 0
    school_a.contact_person = "Li"
    school_a.save_revision(user=users["superuser"]).publish(user=users["superuser"])
    assert annual_summary(school_a, year).adjustments == 1


# The weekly lists -------------------------------------------------------------------------------


def test_weekly_overdue_lists(school_a, school_b, users, django_capture_on_commit_callbacks):
    from tests.conftest import make_user

    entry = entry_of(school_a, Timing.IMMEDIATE)
    add_item(school_a, "Late minutes", entry=entry, live=False, formed_on=D(2026, 9, 1))
    make_user("supervisor2", *users["supervisor"].groups.all())
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("dangwu_send_overdue_lists", "--date", "2026-11-30", stdout=out)
    assert "A中学党委" in out.getvalue()
    by_recipient = {address: message for message in mail.outbox for address in message.to}
    assert "Late minutes" not in by_recipient["reviewer_a@example.com"].body  # entries, not items
    assert str(entry) in by_recipient["reviewer_a@example.com"].body
    assert "supervisor@example.com" in by_recipient
    assert "A中学党委" in by_recipient["supervisor@example.com"].body
    assert "editor_b@example.com" not in by_recipient


def test_weekly_lists_refuse_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a date"):
        call_command("dangwu_send_overdue_lists", "--date", "30/11/2026")


def test_dashboard_shows_what_is_due(school_a, users):
    entry = entry_of(school_a, Timing.IMMEDIATE)
    add_item(school_a, "Late minutes", entry=entry, live=False, formed_on=D(2020, 1, 6))
    Feedback.objects.create(catalog=school_a, author=users["member_a"], author_name="m", text="t")
    text = client_for(users["editor_a"]).get(reverse("wagtailadmin_home")).content.decode()
    assert "Disclosures due" in text and str(entry.title) in text
    assert "1 opinion or suggestion is not answered yet." in text
    other = client_for(users["editor_b"]).get(reverse("wagtailadmin_home")).content.decode()
    assert str(entry.title) not in other

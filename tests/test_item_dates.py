"""The item editor's dates: an impossible date, a formation date in the future and a period
that does not fit its entry's are refused with a message, and what was typed is kept."""

import datetime

from django.utils import timezone

from dangwu_wagtail.models import DisclosureItem, Period, Timing
from dangwu_wagtail.widgets import TypedDateInput
from tests.test_admin import add_url, item_form_data

CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def periodic_entry(catalog, period):
    entry = catalog.entries.filter(timing=Timing.PERIODIC).order_by("sort_order").first()
    entry.period = period
    entry.save(update_fields=["period"])
    return entry


def test_an_impossible_date_is_refused_and_kept(client, school_a, users):
    client.force_login(users["editor_a"])
    entry = school_a.entries.get(number=8)
    response = client.post(add_url(school_a), item_form_data(entry, formed_on="2026-13-45"))
    assert response.status_code == 200
    assert "formed_on" in response.context["form"].errors
    assert 'value="2026-13-45"' in response.content.decode()
    assert not DisclosureItem.objects.filter(slug="branch-meeting-minutes").exists()


def test_the_date_picker_keeps_what_was_typed():
    # Wagtail's picker replaces an unreadable date with today's when the field loses focus.
    assert TypedDateInput().get_config()["validateOnBlur"] is False
    form_class = DisclosureItem.get_edit_handler().get_form_class()
    assert isinstance(form_class.base_fields["formed_on"].widget, TypedDateInput)


def test_a_formation_date_in_the_future_is_refused(client, school_a, users):
    client.force_login(users["editor_a"])
    entry = school_a.entries.get(number=8)
    today = timezone.localdate()
    later = (today + datetime.timedelta(days=2)).isoformat()
    response = client.post(add_url(school_a), item_form_data(entry, formed_on=later), **CHINESE)
    assert "信息形成日期不能晚于明天" in str(response.context["form"].errors["formed_on"])
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    response = client.post(add_url(school_a), item_form_data(entry, formed_on=tomorrow))
    assert response.status_code == 302  # a day ahead: a meeting tonight, entered in another zone


def test_a_period_that_does_not_fit_the_entry_is_refused(client, school_a, users):
    client.force_login(users["editor_a"])
    yearly = periodic_entry(school_a, Period.YEAR)
    quarter = item_form_data(
        yearly, formed_on="2026-04-01", period_start="2026-01-01", period_end="2026-03-31"
    )
    response = client.post(add_url(school_a), quarter, **CHINESE)
    assert response.status_code == 200
    errors = str(response.context["form"].errors["period_end"])
    assert "每年公开" in errors and "2026-01-01 – 2026-12-31" in errors
    year = item_form_data(
        yearly, formed_on="2026-04-01", period_start="2026-01-01", period_end="2026-12-31"
    )
    assert client.post(add_url(school_a), year).status_code == 302


def test_a_quarterly_entry_takes_a_quarter(client, school_a, users):
    client.force_login(users["editor_a"])
    quarterly = periodic_entry(school_a, Period.QUARTER)
    data = item_form_data(
        quarterly, formed_on="2026-04-01", period_start="2026-01-01", period_end="2026-03-31"
    )
    assert client.post(add_url(school_a), data).status_code == 302

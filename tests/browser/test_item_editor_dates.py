"""In Chromium, an impossible date typed into the item editor stays as typed and is refused
with a message, instead of becoming today's date when the field loses focus."""

import re

import pytest
from playwright.sync_api import expect

from dangwu_wagtail.models import Catalog

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_impossible_date_is_kept_and_refused(committed_district, page):
    catalog = Catalog.objects.get(organisation_name="A中学党委")
    page.goto("/admin/login/")
    page.locator("#id_username").fill("editor_a")
    page.locator("#id_password").fill("password")
    page.locator("form [type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto(f"/admin/pages/add/dangwu_wagtail/disclosureitem/{catalog.pk}/")
    page.locator("#id_title").fill("日期测试")
    page.locator("#id_entry").select_option(index=8)
    formed_on = page.locator("#id_formed_on")
    formed_on.fill("2026-13-45")
    page.locator("#id_title").click()  # the date field loses focus
    expect(formed_on).to_have_value("2026-13-45")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#id_formed_on")).to_have_value("2026-13-45")
    expect(page.get_by_text("Enter a valid date.")).to_be_visible()

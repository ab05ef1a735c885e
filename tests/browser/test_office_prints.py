"""What a district supervisor prints and reads in Chromium: the annual summary on A4 with
nothing of the screen's controls, and the district report at 1280 px and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from dangwu_wagtail.models import Catalog
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import assert_a4_pages_with_text

pytestmark = pytest.mark.django_db(transaction=True)

SCHOOL_A = "A中学党委"
PASSWORD = "password"
PHONE = {"width": 375, "height": 812}
#: Links, buttons, fields and hints the printed page shows.
PRINTED_CONTROLS = """() => Array.from(document.querySelectorAll('a, button, select, input, nav'))
    .filter((element) => element.checkVisibility()).map((element) => element.outerHTML)"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def supervisor_page(new_context, **options):
    page = new_context(
        locale="zh-CN", extra_http_headers={"Accept-Language": "zh-hans"}, **options
    ).new_page()
    page.goto("/admin/login/")
    page.locator("#id_username").fill("supervisor")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form [type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def test_annual_summary_prints_on_a4_without_its_controls(committed_district, new_context):
    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    page = supervisor_page(new_context)
    page.goto(f"/admin/dangwu/columns/{catalog.pk}/summary/")
    expect(page.get_by_label("年度")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_contain_text(SCHOOL_A)
    expect(page.get_by_label("年度")).to_be_hidden()
    assert page.evaluate(PRINTED_CONTROLS) == []
    assert "A4" not in page.locator("body").inner_text()  # the hint to print it is not printed
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "annual-summary.pdf").write_bytes(pdf)
    # Its items, requests, receptions and opinions, and the statistics of requests by answer
    # and reason that disclosure reporting asks for: two A4 pages, each with text.
    assert_a4_pages_with_text(pdf, count=2)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "phone"])
def test_district_report_fits_the_screen(committed_district, new_context, viewport, shot):
    page = supervisor_page(new_context)
    page.set_viewport_size(viewport)
    page.goto("/admin/dangwu/columns/")
    expect(page.get_by_role("table")).to_be_visible()
    shot(page, f"district-report-{viewport['width']}")
    assert page.evaluate(SIDEWAYS) <= 0, "the district report scrolls sideways"
    # A school's name is on one line, not a character a line; on a phone the table scrolls on
    # its own, and its last column can be reached.
    name = page.get_by_role("link", name=SCHOOL_A, exact=True)
    assert name.bounding_box()["height"] < 2 * 15, name.bounding_box()
    last = page.get_by_role("columnheader").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()


def test_printed_notice_carries_what_a_notice_board_needs(committed_district, new_context, shot):
    from tests.browser.test_accessibility import HOST_CHROME, NOTICE_TITLE, public_notice

    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    catalog.supervision_phone = "021-64001234"
    catalog.save()
    item = public_notice(catalog)
    page = new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-hans"})
    page = page.new_page()
    page.goto(item.url)
    page.evaluate(HOST_CHROME)
    print_button = page.get_by_role("button", name="打印公示")
    expect(print_button).to_be_visible()
    page.emulate_media(media="print")
    expect(print_button).to_be_hidden()
    sign_off = page.locator(".dangwu-notice-signoff")
    expect(sign_off).to_contain_text("公示期：")
    expect(sign_off).to_contain_text("共5个工作日")
    expect(sign_off).to_contain_text("监督电话：021-64001234")
    expect(sign_off.locator(".dangwu-notice-sign")).to_contain_text(SCHOOL_A)
    qr = sign_off.get_by_role("img", name="扫码在线查看")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 80  # large enough to scan from a notice board
    expect(page.get_by_role("heading", level=1)).to_have_text(NOTICE_TITLE)
    shot(page, "notice-print")
    pdf = page.pdf(format="A4")
    (ARTIFACTS / "notice-board.pdf").write_bytes(pdf)
    assert_a4_pages_with_text(pdf, count=1)

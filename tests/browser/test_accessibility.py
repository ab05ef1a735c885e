"""The column's public pages in a real browser: accessible, readable on a phone, printable.

1. axe-core (the copy shipped in the axe-playwright-python package) runs in Chromium on each
   public page, as an anonymous visitor and as a logged-in Party member: no violation of
   impact "serious" or "critical".
2. At a phone's size (375×812 CSS pixels) the column, an item and the request form do not
   scroll sideways.
3. Printed, an item is its notice alone (the article ``.dangwu-notice``) under a header with
   the school's name, on A4; the PDF is saved as test-artifacts/browser/notice.pdf.
"""

import re
import zlib
from pathlib import Path

import axe_playwright_python
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from dangwu_wagtail.models import Catalog, DisclosureItem, DisclosureRequest, Feedback, Scope
from tests.browser.conftest import ARTIFACTS
from tests.conftest import add_item

pytestmark = pytest.mark.django_db(transaction=True)

SCHOOL_A = "A中学党委"
PASSWORD = "password"
AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
#: The impacts that fail a page; "moderate" and "minor" ones are not counted.
FAILING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 375, "height": 812}

#: A Chinese notice as a school posts it, with a long unbroken link, which must wrap too.
NOTICE_TITLE = "关于2026年度党员发展工作计划的公示"
NOTICE_BODY = (
    "<p>经支部委员会研究，现将2026年度党员发展工作计划予以公示。公示期为5个工作日，"
    "如有意见，请向党委办公室反映。</p>"
    '<p>上级文件：<a href="https://www.example.cn/dangjian/wenjian/2026/'
    'dangyuan-fazhan-gongzuo-jihua-tongzhi-0123456789.html">https://www.example.cn/dangjian/'
    "wenjian/2026/dangyuan-fazhan-gongzuo-jihua-tongzhi-0123456789.html</a></p>"
)


# Helpers ---------------------------------------------------------------------------------


def axe_violations(page):
    """Run axe-core on the page the browser is on; return its violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def describe(violation):
    nodes = "; ".join(" ".join(str(part) for part in node["target"]) for node in violation["nodes"])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} -- at {nodes}"


class AxeAudit:
    """Collects the failing violations of every page checked, for one assertion at the end,
    so that a failure lists all the pages' problems rather than the first one's. Every
    violation, of any impact, is also written to test-artifacts/browser/axe-<name>.txt."""

    def __init__(self, name):
        self.failures = []
        self.lines = []
        self.path = ARTIFACTS / f"axe-{name}.txt"

    def check(self, page, where):
        violations = axe_violations(page)
        self.lines.append(f"{where} [{page.url}]: {len(violations)} violation(s)")
        for violation in violations:
            self.lines.append(f"  {describe(violation)}")
            if violation["impact"] in FAILING_IMPACTS:
                self.failures.append(f"{where} [{page.url}]: {describe(violation)}")

    def assert_clean(self):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        assert not self.failures, "axe-core found serious or critical violations:\n" + (
            "\n".join(self.failures)
        )


def log_in(page, username, next_path):
    page.goto(f"/members/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def open_page(page, path, heading=None):
    response = page.goto(path)
    assert response.status == 200, (path, response.status)
    if heading is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    return response


def catalog_a():
    return Catalog.objects.get(organisation_name=SCHOOL_A)


def public_notice(catalog):
    """A public item in Chinese, with tags and a long link, as a school posts it."""
    item = add_item(catalog, NOTICE_TITLE, number=5, body=NOTICE_BODY, live=False)
    item.tags.add("党员发展", "公示")
    item.save_revision().publish()
    item.refresh_from_db()
    assert item.scope == Scope.PUBLIC
    return item


def no_sideways_scroll(page):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["inner"] == PHONE["width"], widths
    assert widths["scroll"] <= widths["inner"], (
        f"{page.url} scrolls sideways at {PHONE['width']}px: {widths}; too wide: "
        + ", ".join(too_wide(page))
    )


def too_wide(page):
    """The elements that reach past the right edge of the viewport, for the failure message."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 10)
            .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""
    )


# 1. axe-core on every public page ----------------------------------------------------------


def test_public_pages_pass_axe_as_anonymous_visitor(committed_district, page, shot):
    catalog = catalog_a()
    item = public_notice(catalog)
    audit = AxeAudit("anonymous")

    open_page(page, catalog.url, catalog.title)
    audit.check(page, "column, anonymous")
    shot(page, "column")

    open_page(page, item.url, NOTICE_TITLE)
    audit.check(page, "public item, anonymous")
    shot(page, "public-item")

    open_page(page, catalog.url + "search/?q=OPENWORD", "Search this column")
    expect(page.get_by_role("link", name="Public OPENWORD plan")).to_be_visible()
    audit.check(page, "search results, anonymous")
    shot(page, "search")

    open_page(page, catalog.url + "search/?q=NOTHINGFOUNDWORD", "Search this column")
    audit.check(page, "search without results, anonymous")

    open_page(page, catalog.url + "guide/", "Disclosure guide")
    audit.check(page, "disclosure guide, anonymous")
    shot(page, "guide")

    open_page(page, catalog.url + "archive/")
    expect(page.get_by_role("link", name="Public OPENWORD plan")).to_be_visible()
    audit.check(page, "archive, anonymous")
    shot(page, "archive")

    open_page(page, "/members/login/", "Log in")
    audit.check(page, "members' login page")
    shot(page, "login")

    # A failed login: the page with its error message.
    page.get_by_label("Username").fill("member_a")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check(page, "members' login page with an error")
    shot(page, "login-error")

    audit.assert_clean()

    # axe really ran: on the same page, an image without a text alternative is reported.
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}


def test_public_pages_pass_axe_as_member(committed_district, page, shot):
    catalog = catalog_a()
    member = get_user_model().objects.get(username="member_a")
    internal = DisclosureItem.objects.get(title="Internal SECRETWORD minutes")
    assert internal.live and internal.scope == Scope.INTERNAL
    DisclosureRequest.objects.receive(
        catalog,
        requester=member,
        name="张老师",
        email=member.email,
        subject="2025年党费收缴情况",
        description="请公开本党委2025年度党费收缴、管理和使用情况。",
    )
    Feedback.objects.create(
        catalog=catalog, author=member, author_name="张老师", text="建议增加党员活动照片。"
    )
    audit = AxeAudit("member")

    log_in(page, "member_a", catalog.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(catalog.title)
    # In the latest items and under its entry.
    expect(page.get_by_role("link", name="Internal SECRETWORD minutes")).to_have_count(2)
    audit.check(page, "column, member")
    shot(page, "column")

    open_page(page, internal.url, internal.title)
    audit.check(page, "internal item, member")
    shot(page, "internal-item")

    open_page(page, catalog.url + "search/?q=SECRETWORD", "Search this column")
    expect(page.get_by_role("link", name="Internal SECRETWORD minutes")).to_be_visible()
    audit.check(page, "search results, member")
    shot(page, "search")

    open_page(page, catalog.url + "request/")
    expect(page.get_by_role("button", name="Send the request")).to_be_visible()
    audit.check(page, "request form")
    shot(page, "request-form")
    # Sent empty: the form again, with an error at each required field.
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check(page, "request form with errors")
    shot(page, "request-form-errors")

    open_page(page, catalog.url + "feedback/")
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_visible()
    audit.check(page, "feedback form")
    shot(page, "feedback-form")

    open_page(page, catalog.url + "mine/", "My requests and opinions")
    expect(page.get_by_text("2025年党费收缴情况")).to_be_visible()
    expect(page.get_by_text("建议增加党员活动照片。")).to_be_visible()
    audit.check(page, "member's page")
    shot(page, "mine")

    audit.assert_clean()


# 2. On a phone -----------------------------------------------------------------------------


def test_pages_fit_a_phone(committed_district, page, shot):
    catalog = catalog_a()
    item = public_notice(catalog)
    page.set_viewport_size(PHONE)

    open_page(page, catalog.url, catalog.title)
    no_sideways_scroll(page)
    shot(page, "column")

    open_page(page, item.url, NOTICE_TITLE)
    no_sideways_scroll(page)
    shot(page, "item")

    log_in(page, "member_a", catalog.url + "request/")
    expect(page.get_by_role("button", name="Send the request")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "request-form")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "request-form-errors")


# 3. Printed --------------------------------------------------------------------------------

#: A host site's header and navigation, as a school's base.html has them (the test site's
#: base.html has none), with a banner and a footer as tall as a school's: printing must leave
#: them out, and they must take no room on paper (a blank page after the notice).
HOST_CHROME = """() => {
  const header = document.createElement('header');
  header.className = 'host-site-header';
  header.innerHTML = '<a href="/">学校网站</a>'
    + '<nav aria-label="Site"><a href="/news/">新闻</a></nav>'
    + '<div style="height: 400px">校园风采</div>';
  document.body.prepend(header);
  const footer = document.createElement('footer');
  footer.className = 'host-site-footer';
  footer.innerHTML = '<p style="height: 1200px">学校网站 版权所有</p>';
  document.body.append(footer);
}"""

#: Every element drawn on the page outside the notice (not the notice's ancestors).
SHOWN_OUTSIDE_NOTICE = """() => {
  const notice = document.querySelector('.dangwu-notice');
  return [...document.querySelectorAll('body *')]
    .filter(el => !notice.contains(el) && !el.contains(notice))
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility === 'visible')
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
}"""

#: A4 is 210×297 mm: 595.3×841.9 points (Chromium's page is whole pixels of 1/96 inch).
A4_POINTS = (595.3, 841.9)


def pdf_pages(pdf):
    """The pages of a PDF that Chromium made: (media box, decompressed content) for each."""
    objects = {
        number: body
        for number, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", pdf, flags=re.DOTALL)
    }

    def content(number):
        stream = re.search(rb"stream\r?\n(.*?)\r?\nendstream", objects[number], re.DOTALL)
        data = stream.group(1)
        return zlib.decompress(data) if b"/FlateDecode" in objects[number] else data

    pages = []
    for body in objects.values():
        if re.search(rb"/Type\s*/Page\b(?!s)", body):
            box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", body)
            contents = re.search(rb"/Contents\s+(\d+) 0 R", body)
            pages.append(
                (
                    (float(box.group(1)), float(box.group(2))),
                    content(contents.group(1)) if contents else b"",
                )
            )
    return pages


def assert_a4_pages_with_text(pdf, count=None):
    """Every page is A4 and draws text (none is blank); ``count`` pages if given."""
    assert pdf.startswith(b"%PDF"), pdf[:20]
    pages = pdf_pages(pdf)
    assert pages, "no page in the PDF"
    if count is not None:
        assert len(pages) == count, f"{len(pages)} pages in the PDF, not {count}"
    for number, ((width, height), content) in enumerate(pages, 1):
        assert abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5, (
            f"page {number} is {width}×{height} points, not A4"
        )
        assert re.search(rb"\bT[Jj]\b", content), f"page {number} of {len(pages)} is blank"
    return pages


def print_item(page, item, title):
    """Open ``item`` with a host's header and footer around it, and switch to print media."""
    page.emulate_media(media="screen")
    open_page(page, item.url, title)
    page.evaluate(HOST_CHROME)
    page.emulate_media(media="print")


def test_item_prints_as_a_notice(committed_district, page, shot):
    catalog = catalog_a()
    item = public_notice(catalog)
    open_page(page, item.url, NOTICE_TITLE)
    page.evaluate(HOST_CHROME)
    print_header = page.locator(".dangwu-print-header")
    host_header = page.locator(".host-site-header")
    host_footer = page.locator(".host-site-footer")
    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    back_link = page.get_by_role("link", name="Back to the catalog")
    tags = page.get_by_role("region", name="Tags")
    # On screen: the page as usual, the print header hidden.
    expect(print_header).to_be_hidden()
    for shown in (host_header, host_footer, breadcrumb, back_link, tags):
        expect(shown).to_be_visible()

    page.emulate_media(media="print")
    expect(print_header).to_be_visible()
    expect(print_header).to_contain_text(SCHOOL_A)
    notice = page.locator(".dangwu-notice")
    expect(notice.get_by_role("heading", level=1)).to_have_text(NOTICE_TITLE)
    expect(notice.get_by_text("现将2026年度党员发展工作计划予以公示")).to_be_visible()
    expect(notice.get_by_role("term").filter(has_text="Date formed")).to_be_visible()
    for outside in (host_header, host_footer, breadcrumb, back_link):
        expect(outside).to_be_hidden()
    expect(tags).to_be_hidden()  # marked dangwu-no-print
    assert page.evaluate(SHOWN_OUTSIDE_NOTICE) == []
    shot(page, "print")

    pdf = page.pdf(format="A4")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "notice.pdf").write_bytes(pdf)
    # A short notice is one page, for all the host's tall header and footer.
    assert_a4_pages_with_text(pdf, count=1)

    # A long notice runs over several pages, none of them blank.
    long_item = add_item(
        catalog,
        "2025年度党费收缴、管理和使用情况",
        number=5,
        body="".join(
            f"<p>第{number}项：全校党员按规定足额交纳党费，党费收缴、管理和使用情况经党委会"
            "审核，收支明细在党员大会上通报，接受党员监督。</p>"
            for number in range(1, 61)
        ),
    )
    print_item(page, long_item, "2025年度党费收缴、管理和使用情况")
    expect(page.get_by_text("第60项")).to_be_visible()
    pages = assert_a4_pages_with_text(page.pdf(format="A4"))
    assert len(pages) >= 2, f"{len(pages)} page for a notice of 60 paragraphs"

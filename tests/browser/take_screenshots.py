"""Take the README's screenshots of the example site in headless Chromium.

Run from the repository root, with the virtualenv that runtests.sh makes::

    .venv/bin/python tests/browser/take_screenshots.py [--axe]

It builds the demo in a temporary directory (a SQLite database and a media folder of its
own: example_site/db.sqlite3 and example_site/media are not touched), gives the demo users a
password of its own, puts one item into the confidentiality review, serves the site with
``runserver`` on a free port of 127.0.0.1 and photographs, in Chinese (zh-CN):

    catalog-anonymous.png  the column, for an anonymous visitor
    catalog-member.png     the column, for a logged-in Party member (internal items too)
    item-public.png        a public item
    catalog-phone.png      the column on a phone (390×844, 2× pixels)
    request-form.png       the request form (依申请公开), for a logged-in member
    guide.png              the column's disclosure guide (公开指南)
    guide-print.png        the disclosure guide as printed: the guide alone, on A4
    statistics.png         the column's statistics of requests for the last year, with the
                           requests this script files and answers across two years
    notice-print.png       an item as printed: the notice alone, with the school's name
    admin-review.png       the reviewer's confidentiality review in Wagtail's admin

``--axe`` also runs axe-core (from the axe-playwright-python package) on each public page
and prints what it finds; it exits non-zero if any is serious or critical.

Chromium is /usr/bin/chromium, or $DANGWU_CHROMIUM, with Debian's fonts-noto-cjk; with
chromium-l10n installed too, the browser's own words (a file input's button) are Chinese.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "example_site"
#: Where the README links them.
OUT = REPO / "docs" / "screenshots"
CHROMIUM = os.environ.get("DANGWU_CHROMIUM", "/usr/bin/chromium")
DESKTOP = {"width": 1100, "height": 1400}
ADMIN = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

#: The settings the demo runs with here: the example site's, with the media folder moved
#: into the temporary directory (the database comes from DATABASE_URL).
SETTINGS = """\
from pathlib import Path

from example_site.settings import *  # noqa: F403

MEDIA_ROOT = Path({media!r})
"""

#: Run in ``manage.py shell`` after load_demo: known passwords, one item awaiting the
#: reviewer, and the addresses to photograph, printed as JSON on the last line.
PREPARE = """\
import json, os
from django.contrib.auth import get_user_model
from dangwu_wagtail.models import Catalog, DisclosureItem
from home.demo import SCHOOLS, USERNAMES

password = os.environ["SCREENSHOT_PASSWORD"]
for user in get_user_model().objects.filter(username__in=USERNAMES.values()):
    user.set_password(password)
    user.save()

catalog = Catalog.objects.get(organisation_name=SCHOOLS[0].name)
editor = get_user_model().objects.get(username=USERNAMES["editor"])
title = "食堂改造项目“三重一大”集体决策情况"
item = DisclosureItem.objects.filter(title=title).first()
if item is None:
    import datetime
    item = DisclosureItem(
        title=title,
        entry=catalog.entries.get(number=3),
        formed_on=datetime.date(2026, 11, 20),
        live=False,
        body="<p>11月20日，学校党政联席会议审议食堂改造项目实施方案，与会人员表决通过。</p>",
    )
    catalog.add_item(item)
    item.save_revision(user=editor)
    catalog.internal_section.get_workflow().start(item, editor)

# Requests across two years, answered in each way the annual report counts, for the
# statistics page: last year's figures, with requests carried over and carried forward.
import datetime
from django.utils import timezone
from dangwu_wagtail.models import AnswerType, DisclosureRequest, RequestStatus

last_year = timezone.localdate().year - 1
if not DisclosureRequest.objects.filter(catalog=catalog, subject__startswith="演示申请").exists():
    answers = [
        (last_year - 1, 12, 18, None, "", ""),
        (last_year - 1, 12, 22, (last_year, 1, 8), AnswerType.DISCLOSED, ""),
        (last_year, 3, 2, (last_year, 3, 16), AnswerType.DISCLOSED, ""),
        (last_year, 4, 8, (last_year, 4, 20), AnswerType.PARTIAL, ""),
        (last_year, 5, 11, (last_year, 5, 22), AnswerType.ALREADY_DISCLOSED, ""),
        (last_year, 6, 3, (last_year, 7, 10), AnswerType.REFUSED, "third_party"),
        (last_year, 9, 14, (last_year, 9, 25), AnswerType.NOT_HELD, "needs_making"),
        (last_year, 10, 9, (last_year, 10, 20), AnswerType.REFUSED, "process"),
        (last_year, 12, 24, None, "", ""),
    ]
    for number, (year, month, day, answered, answer_type, reason) in enumerate(answers):
        request = DisclosureRequest.objects.receive(
            catalog,
            name="张老师",
            phone="13812345678",
            subject=f"演示申请{number}",
            description="演示。",
            received_at=timezone.make_aware(datetime.datetime(year, month, day, 10)),
        )
        if answered:
            answered_on = datetime.date(*answered)
            DisclosureRequest.objects.filter(pk=request.pk).update(
                status=RequestStatus.ANSWERED,
                answer_type=answer_type,
                refusal_reason=reason,
                answer_explanation="演示。",
                answered_on=answered_on,
                due_when_answered=answered_on + datetime.timedelta(days=10 if number != 5 else -5),
                extended_on=answered_on if number == 5 else None,
            )


def url(slug):
    return DisclosureItem.objects.descendant_of(catalog).get(slug=slug).url

print(json.dumps({
    "catalog": catalog.url,
    "item": url("learning-organisation-plan-2026"),
    "notice": url("staff-congress-2025"),
    "review_title": title,
    "statistics": catalog.url + f"statistics/?year={last_year}",
    "users": USERNAMES,
}))
"""

#: The admin's words in Chinese, which the reviewer's admin speaks (the site's language).
AWAITING_REVIEW = "等待你的审查"
ROW_ACTIONS = "动作"
PASS_REVIEW = "通过保密审查"
NOTHING_SECRET = "不涉及国家秘密、工作秘密和个人隐私"
SCOPE_RIGHT = "公开范围正确"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    """Run ``manage.py`` in the example site; return its standard output."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=SITE,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    print(f"  manage.py {args[0]}: {time.monotonic() - started:.1f}s")
    return result.stdout


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class Axe:
    """axe-core, injected into the page; prints each page's violations."""

    def __init__(self):
        import axe_playwright_python

        self.script = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(
            encoding="utf-8"
        )
        self.failing = 0

    def check(self, page, where):
        page.add_script_tag(content=self.script)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        print(f"  axe, {where}: {len(violations)} violation(s)")
        for violation in violations:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
            print(
                f"    {violation['id']} ({violation['impact']}): {violation['help']} -- {targets}"
            )
            self.failing += violation["impact"] in {"serious", "critical"}


def log_in(page, path, username, password):
    page.goto(path)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def photograph(base_url, urls, password, axe=None):
    from playwright.sync_api import expect, sync_playwright

    users = urls["users"]
    taken = []

    def save(page, name, **options):
        page.screenshot(path=str(OUT / name), **options)
        taken.append(name)
        print(f"  {name}")

    def check(page, where):
        if axe is not None:
            axe.check(page, where)

    with sync_playwright() as playwright:
        # The browser's own words (a file input's button) follow LANGUAGE, not --lang.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--lang=zh-CN"],
            env={**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"},
            headless=True,
        )
        common = {"base_url": base_url, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}

        visitor = browser.new_context(viewport=DESKTOP, **common).new_page()
        visitor.goto(urls["catalog"])
        check(visitor, "column, anonymous")
        save(visitor, "catalog-anonymous.png")
        visitor.goto(urls["item"])
        check(visitor, "public item")
        save(visitor, "item-public.png")

        visitor.goto(urls["catalog"] + "guide/")
        check(visitor, "disclosure guide")
        save(visitor, "guide.png")

        # The notice as printed: on white paper as wide as A4 (210 mm at 96 px an inch), with
        # the @page margins (2 cm) that a screenshot leaves out.
        printer = browser.new_context(viewport={"width": 794, "height": 1123}, **common)
        notice = printer.new_page()
        notice.goto(urls["notice"])
        notice.emulate_media(media="print")
        notice.add_style_tag(
            content="@media print { html, body { background: #fff; }"
            " body.dangwu-item .dangwu-notice { left: 2cm; top: 2cm; width: calc(100% - 4cm); } }"
        )
        expect(notice.locator(".dangwu-print-header")).to_be_visible()
        save(notice, "notice-print.png", full_page=True)
        guide = printer.new_page()
        guide.goto(urls["catalog"] + "guide/")
        guide.emulate_media(media="print")
        guide.add_style_tag(
            content="@media print { html, body { background: #fff; }"
            " body.dangwu-guide .dangwu-guide-text"
            " { left: 2cm; top: 2cm; width: calc(100% - 4cm); } }"
        )
        expect(guide.locator(".dangwu-guide-catalog").first).to_be_visible()
        save(guide, "guide-print.png", full_page=True)

        visitor.goto(urls["statistics"])
        check(visitor, "statistics")
        save(visitor, "statistics.png", full_page=True)

        phone = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, **common
        ).new_page()
        phone.goto(urls["catalog"])
        check(phone, "column on a phone")
        save(phone, "catalog-phone.png")

        member = browser.new_context(viewport=DESKTOP, **common).new_page()
        log_in(member, f"/members/login/?next={urls['catalog']}", users["member"], password)
        expect(member).to_have_url(base_url + urls["catalog"])
        check(member, "column, member")
        save(member, "catalog-member.png")
        member.goto(urls["catalog"] + "request/")
        check(member, "request form")
        save(member, "request-form.png")
        if axe is not None:
            for path, where in (
                ("search/?q=%E5%85%9A%E8%B4%B9", "search"),
                ("feedback/", "feedback form"),
                ("mine/", "member's page"),
            ):
                member.goto(urls["catalog"] + path)
                check(member, where)
            member.goto("/members/login/")
            check(member, "members' login page")

        reviewer = browser.new_context(viewport=ADMIN, **common).new_page()
        log_in(reviewer, "/admin/login/", users["reviewer"], password)
        expect(reviewer).to_have_url(base_url + "/admin/")
        panel = reviewer.get_by_role("region", name=AWAITING_REVIEW)
        row = panel.get_by_role("row").filter(
            has=reviewer.get_by_role("link", name=urls["review_title"])
        )
        row.get_by_role("button", name=ROW_ACTIONS).click()
        row.get_by_role("button", name=PASS_REVIEW).click()
        dialog = reviewer.get_by_role("dialog")
        dialog.get_by_label(NOTHING_SECRET).check()
        dialog.get_by_label(SCOPE_RIGHT).check()
        dialog.get_by_role("textbox").first.fill("已核对：不涉及国家秘密、工作秘密和个人隐私。")
        save(reviewer, "admin-review.png")

        browser.close()
    return taken


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--axe", action="store_true", help="also run axe-core on each page")
    options = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dangwu-screenshots-") as tmp:
        tmp = Path(tmp)
        (tmp / "screenshot_settings.py").write_text(
            SETTINGS.format(media=str(tmp / "media")), encoding="utf-8"
        )
        password = secrets.token_urlsafe(12)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "screenshot_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp), str(SITE), str(REPO)]),
            "SCREENSHOT_PASSWORD": password,
            "PYTHONUNBUFFERED": "1",
        }
        print("Building the demo in", tmp)
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        urls = json.loads(manage(env, "shell", "-c", PREPARE).strip().splitlines()[-1])

        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=SITE,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(base_url + urls["catalog"])
            print(f"Photographing {base_url} into {OUT}")
            axe = Axe() if options.axe else None
            taken = photograph(base_url, urls, password, axe)
        finally:
            server.terminate()
            server.wait(10)
    print(f"{len(taken)} screenshots in {time.monotonic() - started:.0f}s")
    if axe is not None and axe.failing:
        sys.exit(f"axe-core: {axe.failing} serious or critical violation(s)")


if __name__ == "__main__":
    main()

"""The add-on's public pages are valid HTML: the Nu Html Checker finds no error in any of them.

Every page in ``PAGES`` is rendered through Django's test client, for the reader it names, in
both interface languages (English and Chinese) and under two hosts' ``base.html``: the test
site's (``tests/templates``) and the example site's, which has a school site's header,
navigation and footer. All the documents go to the checker in one run of ``vnu.jar`` (the
``vnu-jar`` npm package, pinned in ``package.json``: ``npm ci`` installs it in
``node_modules/``, as ``.ci/run`` does), with Java. Any error fails the test, each one listed
with its page; warnings and notes do not. The checker's whole report is written to
``test-artifacts/html-validity.json``.

To check another page, write a function that fetches it and register it with ``@page(...)``
(the disclosure guide and statistics pages, when the column has them, go here).
"""

import datetime
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.documents import get_document_model

from dangwu_wagtail.models import AnswerType, Catalog, DisclosureRequest, Feedback
from tests.conftest import add_item

REPO = Path(__file__).resolve().parent.parent
VNU_JAR = Path(
    os.environ.get(
        "DANGWU_VNU_JAR", REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    )
)
REPORT = REPO / "test-artifacts" / "html-validity.json"
#: The hosts whose base.html the pages extend: (name, template directory).
HOSTS = [
    ("test-site", REPO / "tests" / "templates"),
    ("example-site", REPO / "example_site" / "example_site" / "templates"),
]
LANGUAGES = ["en", "zh-hans"]
#: What the checker reports that fails the test: errors in a document, and a document it
#: could not read.
FAILING = {"error", "non-document-error"}
#: A document with one error the checker must report.
KNOWN_BAD = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Known bad</title></head>'
    '<body><a href="tel:021-6123 4567">021-6123 4567</a></body></html>'
)


# The pages --------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    reader: str | None  # a username, or None for an anonymous reader
    fetch: object  # fetch(client, district) -> response
    status: int = 200


#: Every page checked, in order: an anonymous reader's, then a member's.
PAGES = []


def page(name, reader=None, status=200):
    """Register ``fetch(client, district)`` as the page ``name``, read by ``reader``."""

    def register(fetch):
        PAGES.append(Page(name, reader, fetch, status))
        return fetch

    return register


def rate_limited(action):
    """The rate limit of ``action`` already reached by the next submission."""
    current = getattr(settings, "DANGWU_WAGTAIL", {})
    return override_settings(DANGWU_WAGTAIL={**current, "RATE_LIMITS": {action: "0/h"}})


# An anonymous reader.


@page("column")
def column(client, district):
    return client.get(district.catalog.url)


@page("branch column")
def branch_column(client, district):
    return client.get(district.branch.url)


@page("public item")
def public_item(client, district):
    return client.get(district.notice.url)


@page("entry, first page")
def entry_page(client, district):
    return client.get(district.catalog.subpage_url("entry", district.notice.entry_id))


@page("entry, second page")
def entry_second_page(client, district):
    url = district.catalog.subpage_url("entry", district.notice.entry_id)
    return client.get(url, {"page": 2})


@page("empty entry")
def empty_entry(client, district):
    return client.get(district.branch.subpage_url("entry", district.empty_entry_id))


@page("repealed item")
def repealed_item(client, district):
    return client.get(district.repealed.url)


@page("disclosure guide")
def guide(client, district):
    return client.get(district.catalog.subpage_url("guide"))


@page("branch disclosure guide")
def branch_guide(client, district):
    return client.get(district.branch.subpage_url("guide"))


@page("archive")
def archive(client, district):
    return client.get(district.catalog.subpage_url("archive"))


@page("archive of a year, second page")
def archive_year(client, district):
    return client.get(district.catalog.subpage_url("archive_year", 2026), {"page": 2})


@page("empty archive")
def empty_archive(client, district):
    return client.get(district.branch.subpage_url("archive"))


@page("search form")
def search_form(client, district):
    return client.get(district.catalog.subpage_url("search"))


@page("search results")
def search_results(client, district):
    return client.get(district.catalog.subpage_url("search"), {"q": "学习", "page": 2})


@page("search without results")
def search_nothing(client, district):
    return client.get(district.catalog.subpage_url("search"), {"q": "<不存在>"})


@page("request form, anonymous")
def anonymous_request_form(client, district):
    current = getattr(settings, "DANGWU_WAGTAIL", {})
    with override_settings(DANGWU_WAGTAIL={**current, "ANONYMOUS_REQUESTS": True}):
        return client.get(district.catalog.subpage_url("request"))


@page("request form, members only")
def members_only_request_form(client, district):
    return client.get(district.branch.subpage_url("request"))


@page("request form, public column, with errors")
def public_request_form_errors(client, district):
    district.branch.public_requests = True
    district.branch.save()
    try:
        return client.post(district.branch.subpage_url("request"), {"subject": "预算"})
    finally:
        district.branch.public_requests = False
        district.branch.save()


@page("statistics")
def statistics(client, district):
    return client.get(district.catalog.subpage_url("statistics"))


@page("statistics, a year not offered", status=400)
def statistics_bad_year(client, district):
    return client.get(district.catalog.subpage_url("statistics"), {"year": "1999"})


@page("district statistics")
def district_statistics(client, district):
    return client.get(reverse("dangwu_wagtail:statistics"))


@page("unfollow link")
def unfollow(client, district):
    from dangwu_wagtail.models import Follow

    follow = Follow.objects.get_or_create(
        user=district.member, catalog=district.catalog, entry=None
    )[0]
    return client.get(district.catalog.subpage_url("unfollow", follow.token))


@page("request status, anonymous")
def anonymous_request_status(client, district):
    return client.get(district.anonymous_request_url)


@page("login")
def login(client, district):
    return client.get(reverse("dangwu_wagtail:login"), {"next": district.catalog.url})


@page("login with an error")
def login_error(client, district):
    url = reverse("dangwu_wagtail:login")
    return client.post(url, {"username": "member_a", "password": "wrong"})


@page("login, locked out", status=429)
def locked_out(client, district):
    # Another username than the other pages': django-axes locks this one out from this address.
    url = reverse("dangwu_wagtail:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "guesser", "password": "wrong"})
    return response


@page("password reset")
def password_reset(client, district):
    return client.get(reverse("dangwu_wagtail:password_reset"))


@page("password reset with an error")
def password_reset_error(client, district):
    return client.post(reverse("dangwu_wagtail:password_reset"), {"email": "not an address"})


@page("password reset sent")
def password_reset_sent(client, district):
    url = reverse("dangwu_wagtail:password_reset")
    return client.post(url, {"email": "member_a@example.com"}, follow=True)


@page("new password")
def new_password(client, district):
    return client.get(district.password_reset_url, follow=True)


@page("new password with an error")
def new_password_error(client, district):
    response = client.get(district.password_reset_url, follow=True)
    return client.post(response.redirect_chain[-1][0], {"new_password1": "a", "new_password2": "b"})


@page("new password, link expired")
def new_password_expired(client, district):
    return client.get(
        reverse("dangwu_wagtail:password_reset_confirm", args=("MQ", "expired-token"))
    )


@page("password changed")
def password_changed(client, district):
    return client.get(reverse("dangwu_wagtail:password_reset_complete"))


# A member of the school.


@page("column", "member_a")
def member_column(client, district):
    return client.get(district.catalog.url)


@page("internal item", "member_a")
def internal_item(client, district):
    return client.get(district.internal.url)


@page("internal entry", "member_a")
def internal_entry(client, district):
    return client.get(district.catalog.subpage_url("entry", district.internal.entry_id))


@page("disclosure guide", "member_a")
def member_guide(client, district):
    return client.get(district.catalog.subpage_url("guide"))


@page("archive", "member_a")
def member_archive(client, district):
    return client.get(district.catalog.subpage_url("archive"))


@page("search results", "member_a")
def member_search(client, district):
    return client.get(district.catalog.subpage_url("search"), {"q": "SECRETWORD"})


@page("request form", "member_a")
def request_form(client, district):
    return client.get(district.catalog.subpage_url("request"))


@page("request form with errors", "member_a")
def request_form_errors(client, district):
    return client.post(district.catalog.subpage_url("request"), {"email": "not an address"})


@page("request form, too many", "member_a", status=429)
def request_form_too_many(client, district):
    with rate_limited("request"):
        return client.post(district.catalog.subpage_url("request"), {})


@page("request status, received and extended", "member_a")
def request_received(client, district):
    return client.get(district.request_urls["received"])


@page("request status, clarification asked", "member_a")
def request_clarification(client, district):
    return client.get(district.request_urls["clarification"])


@page("request status, clarification with an error", "member_a")
def request_clarification_error(client, district):
    return client.post(district.request_urls["clarification"], {"answer": ""})


@page("request status, clarification, too many", "member_a", status=429)
def request_clarification_too_many(client, district):
    with rate_limited("clarification"):
        return client.post(district.request_urls["clarification"], {"answer": "2026"})


@page("request status, disclosed", "member_a")
def request_disclosed(client, district):
    return client.get(district.request_urls["disclosed"])


@page("request status, held elsewhere", "member_a")
def request_elsewhere(client, district):
    return client.get(district.request_urls["elsewhere"])


@page("request status, refused", "member_a")
def request_refused(client, district):
    return client.get(district.request_urls["refused"])


@page("entry, followed", "member_a")
def entry_followed(client, district):
    from dangwu_wagtail.models import Follow

    entry = district.catalog.entries.get(pk=district.notice.entry_id)
    Follow.objects.get_or_create(user=district.member, catalog=district.catalog, entry=entry)
    return client.get(district.catalog.subpage_url("entry", entry.pk))


@page("request status, deferred", "member_a")
def request_deferred(client, district):
    return client.get(district.request_urls["deferred"])


@page("feedback form", "member_a")
def feedback_form(client, district):
    return client.get(district.catalog.subpage_url("feedback"))


@page("feedback form on an item", "member_a")
def feedback_on_item(client, district):
    return client.get(district.catalog.subpage_url("feedback"), {"item": district.notice.pk})


@page("feedback form with an error", "member_a")
def feedback_error(client, district):
    return client.post(district.catalog.subpage_url("feedback"), {"text": ""})


@page("feedback form, too many", "member_a", status=429)
def feedback_too_many(client, district):
    with rate_limited("feedback"):
        return client.post(district.catalog.subpage_url("feedback"), {"text": "建议"})


@page("mine", "member_a")
def mine(client, district):
    return client.get(district.catalog.subpage_url("mine"))


@page("mine, after sending an opinion", "member_a")
def mine_after_feedback(client, district):
    url = district.catalog.subpage_url("feedback")
    return client.post(url, {"text": "建议把党员活动照片也公开。"}, follow=True)


@page("logged out", "member_a")
def logged_out(client, district):
    return client.post(reverse("dangwu_wagtail:logout"))


# The district they read ----------------------------------------------------------------------


@dataclass
class District:
    catalog: Catalog
    branch: Catalog
    notice: object
    internal: object
    request_urls: dict
    anonymous_request_url: str
    member: object
    repealed: object
    empty_entry_id: int

    @property
    def password_reset_url(self):
        """The link of a password reset email: good until the member next logs in."""
        self.member.refresh_from_db()
        uid = urlsafe_base64_encode(force_bytes(self.member.pk))
        token = default_token_generator.make_token(self.member)
        return reverse("dangwu_wagtail:password_reset_confirm", args=(uid, token))


@pytest.fixture
def district(school_a, school_b, items_a, users, monkeypatch):
    """School A with what each page shows at its fullest: contact information whose phone
    number has a space, an introduction, items on two pages of an entry, an item with a period,
    attachments, tags and neighbours, requests in every state and answered opinions."""
    # Two items a page, so that an entry and a search have a second page.
    monkeypatch.setattr(Catalog, "items_per_page", 2)
    school_a.intro = "<p>本专栏公开<b>党委</b>的党务信息。</p>"
    school_a.contact_person = "王老师"
    school_a.contact_phone = "021-6123 4567"
    school_a.contact_email = "dangwei@example.com"
    school_a.reception_place = "行政楼 201 室"
    school_a.reception_hours = "每周三 14:00–16:00"
    school_a.supervision_phone = "021-6123 9999"
    school_a.guide_intro = "<p>为便于党员群众了解<b>党务公开</b>工作，编制本指南。</p>"
    school_a.guide_closing = "<p>本指南自发布之日起施行。</p>"
    school_a.save_revision().publish()

    for year in range(2020, 2026):
        add_item(
            school_a,
            f"{year}年度学习计划",
            number=5,
            formed_on=datetime.date(year, 2, 20),
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            body=f"<p>{year}年度理论学习安排。</p>",
        )
    notice = add_item(
        school_a,
        "2026年度学习计划",
        number=5,
        formed_on=datetime.date(2026, 2, 20),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        body='<h2>安排</h2><p>全年<a href="https://www.example.cn/plan">学习</a>十二次。</p>',
    )
    document = get_document_model().objects.create(
        title="学习计划全文", file=ContentFile(b"plan", name="plan.pdf")
    )
    notice.attachments.create(document=document, title="")
    notice.tags.add("学习", "计划")
    notice.document_number = "A党发〔2026〕3号"
    notice.save_revision().publish()
    repealed = add_item(
        school_a,
        "党员学习制度（旧）",
        number=8,
        formed_on=datetime.date(2024, 3, 1),
        document_number="A党发〔2024〕1号",
        publisher="A中学党委办公室",
        validity="repealed",
        repealed_on=datetime.date(2026, 3, 1),
    )

    member = users["member_a"]
    editor = users["editor_a"]

    def receive(subject, **fields):
        return DisclosureRequest.objects.receive(
            school_a,
            requester=fields.pop("requester", member),
            name="张老师",
            email=member.email,
            subject=subject,
            description="请公开相关情况。\n第二行。",
            **fields,
        )

    requests = {key: receive(f"申请：{key}") for key in ["received", "clarification"]}
    requests["received"].extend(editor, "材料较多。")
    requests["clarification"].ask_for_clarification(editor, "请说明年份。")
    for key, answer_type, extra in [
        ("disclosed", AnswerType.DISCLOSED, {"item": notice}),
        ("elsewhere", AnswerType.NOT_THIS_ORGANISATION, {"organisation": "区教育局"}),
        ("deferred", AnswerType.DEFERRED, {"until": datetime.date(2027, 1, 1)}),
        ("refused", AnswerType.REFUSED, {"refusal_reason": "third_party"}),
    ]:
        requests[key] = receive(f"申请：{key}")
        requests[key].answer(editor, answer_type, explanation="说明。\n第二段。", **extra)
    anonymous = receive("匿名申请", requester=None)

    Feedback.objects.create(catalog=school_a, author=member, author_name="张老师", text="建议。")
    answered = Feedback.objects.create(
        catalog=school_a, item=notice, author=member, author_name="张老师", text="问题。\n二。"
    )
    answered.answer = "已答复。"
    answered.answered_at = answered.created_at
    answered.save()

    return District(
        catalog=school_a,
        branch=school_b,
        notice=notice,
        repealed=repealed,
        empty_entry_id=school_b.entries.first().pk,
        internal=items_a["internal"],
        request_urls={
            key: school_a.subpage_url("request_status", request.token)
            for key, request in requests.items()
        },
        anonymous_request_url=school_a.subpage_url("request_status", anonymous.token),
        member=member,
    )


# The checker -------------------------------------------------------------------------------


def vnu_command():
    """``java -jar vnu.jar``, or a failure saying what to install: never a skip."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("no java on PATH: apt-get install default-jre-headless (.ci/run does)")
    if not VNU_JAR.exists():
        pytest.fail(f"no Nu Html Checker at {VNU_JAR}: run `npm ci` in {REPO} (.ci/run does)")
    return [java, "-jar", str(VNU_JAR)]


def check_html(command, documents):
    """Run the checker once on ``{path: page name}``; return its messages, with page names."""
    result = subprocess.run(
        [*command, "--format", "json", "--stdout", "--exit-zero-always", *map(str, documents)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    messages = json.loads(result.stdout)["messages"]
    # The checker names each document by its file: URL; the files' names are unique.
    names = {path.name: name for path, name in documents.items()}
    for message in messages:
        url = message.get("url", "")
        message["page"] = names.get(url.rsplit("/", 1)[-1], url)
    return messages


def describe(message):
    where = f"line {message['lastLine']}" if "lastLine" in message else "document"
    extract = message.get("extract", "").replace("\n", " ")
    return f"{message['page']}, {where}: {message['message']}  [{extract}]"


def test_public_pages_have_no_html_errors(district, users, tmp_path):
    command = vnu_command()
    documents = {}
    for host, template_dir in HOSTS:
        templates = [{**settings.TEMPLATES[0], "DIRS": [template_dir]}]
        with override_settings(TEMPLATES=templates):
            for language in LANGUAGES:
                for number, checked in enumerate(PAGES):
                    cache.clear()  # the rate limits count in the cache
                    client = Client(HTTP_ACCEPT_LANGUAGE=language)
                    if checked.reader:
                        client.force_login(users[checked.reader])
                    response = checked.fetch(client, district)
                    name = f"{checked.name} ({checked.reader or 'anonymous'}, {language}, {host})"
                    assert response.status_code == checked.status, name
                    assert response["Content-Type"].startswith("text/html"), name
                    path = tmp_path / f"{host}-{language}-{number:02d}.html"
                    path.write_bytes(response.content)
                    documents[path] = name
    cache.clear()
    # A page with a known error, checked in the same run: the checker really checks.
    known_bad = tmp_path / "known-bad.html"
    known_bad.write_text(KNOWN_BAD, encoding="utf-8")
    documents[known_bad] = "known bad"

    messages = check_html(command, documents)

    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(messages, ensure_ascii=False, indent=1), encoding="utf-8")
    caught = [(m["type"], m["message"]) for m in messages if m["page"] == "known bad"]
    assert len(caught) == 1 and caught[0][0] == "error" and "tel:" in caught[0][1], caught
    errors = [m for m in messages if m["type"] in FAILING and m["page"] != "known bad"]
    assert not errors, f"the Nu Html Checker found {len(errors)} error(s):\n" + "\n".join(
        describe(message) for message in errors
    )

"""The add-on's main journeys, in a real browser (Playwright driving Chromium).

1-4. An editor drafts an internal item with an attachment in Wagtail's admin and submits it;
     the school's reviewer passes the confidentiality review, which publishes it; an
     anonymous visitor finds no trace of it and is sent to log in; a member logs in, reads it
     and downloads its attachment. One chained test: each step needs the state the previous
     one left, and every live-server test starts from a fresh district.
5.   A member files a request; the editor answers it in the admin register; the member reads
     the answer.
6.   The admin part of 1-2 with the editor's and reviewer's interface in Chinese (zh-hans).

Each key step saves a screenshot into test-artifacts/browser/<test>-<step>.png.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from dangwu_wagtail.models import (
    Catalog,
    DisclosureItem,
    DisclosureRequest,
    RequestStatus,
    ReviewTaskState,
    Scope,
)

pytestmark = pytest.mark.django_db(transaction=True)

SCHOOL_A = "A中学党委"
PASSWORD = "password"


@dataclass(frozen=True)
class AdminLabels:
    """What the admin's controls are called in one interface language."""

    title: str
    entry: str
    body: str
    add_attachment: str
    choose_document: str
    save_draft: str
    more_actions: str
    submit: str
    document_title: str
    document_file: str
    collection: str
    upload: str
    awaiting_review: str
    row_actions: str
    pass_review: str
    nothing_secret: str
    scope_right: str
    comment: str


ENGLISH = AdminLabels(
    title="Title",
    entry="Catalog entry",
    body="Body",
    add_attachment="Add Attachment",
    choose_document="Choose a document",
    save_draft="Save draft",
    more_actions="More actions",
    submit=f"Submit to {SCHOOL_A} publishing",
    document_title="Title",
    document_file="File",
    collection="Collection",
    upload="Upload",
    awaiting_review="Awaiting your review",
    row_actions="Actions",
    pass_review="Pass the confidentiality review",
    nothing_secret="It holds nothing secret",
    scope_right="Its scope is right",
    comment="Comment",
)


# Helpers ---------------------------------------------------------------------------------


def exact(text):
    """A regular expression matching ``text`` alone, with Wagtail's optional required mark."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def admin_login(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def member_login(page, username):
    """Fill in the add-on's member login page, which the browser is on."""
    expect(page).to_have_url(re.compile(r"/members/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def upload_document(page, labels, title, path, collection):
    page.goto("/admin/documents/add/")
    page.get_by_label(exact(labels.document_title)).fill(title)
    page.get_by_label(exact(labels.document_file)).set_input_files(path)
    page.get_by_label(exact(labels.collection)).select_option(label=collection)
    page.get_by_role("button", name=labels.upload).click()
    expect(page).to_have_url(re.compile(r"/admin/documents/(\?.*)?$"))
    expect(page.get_by_role("link", name=title)).to_be_visible()


def draft_item(page, labels, parent, entry, title, body, document_title):
    """Fill in a new item under ``parent`` with one attachment and save it as a draft."""
    page.goto(f"/admin/pages/add/dangwu_wagtail/disclosureitem/{parent.pk}/")
    page.get_by_role("textbox", name=exact(labels.title)).fill(title)
    page.get_by_role("combobox", name=labels.entry).select_option(label=str(entry))
    editor = page.get_by_role("region", name=labels.body).get_by_role("textbox")
    editor.click()
    page.keyboard.type(body)
    expect(editor).to_contain_text(body)

    page.get_by_role("button", name=labels.add_attachment).click()
    page.get_by_role("button", name=labels.choose_document).click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name=document_title).click()
    expect(chooser).to_be_hidden()
    expect(page.locator("[data-chooser-title]").filter(has_text=document_title)).to_be_visible()

    page.get_by_role("button", name=labels.save_draft).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))


def submit_for_review(page, labels):
    """Use the editor footer's action menu to submit the page to the school's workflow."""
    page.get_by_role("button", name=labels.more_actions).click()
    page.get_by_role("button", name=labels.submit).click()
    # Submitting leaves the editor for the parent's page listing.
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/$"))


def pass_review(page, labels, title, comment=""):
    """On the dashboard, pass the confidentiality review of the item called ``title``."""
    page.goto("/admin/")
    panel = page.get_by_role("region", name=labels.awaiting_review)
    row = panel.get_by_role("row").filter(has=page.get_by_role("link", name=title))
    expect(row).to_have_count(1)
    row.get_by_role("button", name=labels.row_actions).click()
    row.get_by_role("button", name=labels.pass_review).click()
    dialog = page.get_by_role("dialog")
    nothing_secret = dialog.get_by_label(labels.nothing_secret)
    scope_right = dialog.get_by_label(labels.scope_right)
    expect(nothing_secret).to_be_visible()
    if comment:
        dialog.get_by_label(exact(labels.comment)).fill(comment)
    nothing_secret.check()
    scope_right.check()
    return dialog, row


def expect_message(page, text):
    """Expect Wagtail's message area to say ``text``."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def write_file(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def item_named(title):
    return DisclosureItem.objects.get(title=title)


# 1-4: an internal item, from the editor's draft to the member who reads it -----------------


def test_internal_item_journey(committed_district, live_server, new_context, shot, tmp_path):
    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    entry = catalog.entries.get(number=1)
    assert entry.scope != Scope.PUBLIC  # the entry makes the item internal
    title = "Committee minutes BROWSERWORD"
    body = "The committee met and agreed the plan."
    document_title = "Minutes BROWSERDOC"
    content = b"Minutes of the committee meeting, 2026.\n"
    document_path = write_file(tmp_path, "minutes.txt", content)

    # 1. The editor logs in, uploads the document, drafts the item and submits it.
    editor = new_context().new_page()
    admin_login(editor, "editor_a")
    upload_document(editor, ENGLISH, document_title, document_path, SCHOOL_A)
    shot(editor, "1-document-uploaded")
    draft_item(editor, ENGLISH, catalog.internal_section, entry, title, body, document_title)
    expect_message(editor, f"Page '{title}' created.")
    shot(editor, "1-draft-saved")
    item = item_named(title)
    assert not item.live
    assert item.get_parent().pk == catalog.internal_section.pk
    draft = item.get_latest_revision_as_object()
    assert draft.scope == Scope.INTERNAL
    assert [a.document.title for a in draft.attachments.all()] == [document_title]

    submit_for_review(editor, ENGLISH)
    expect_message(editor, f"Page '{title}' has been submitted for moderation.")
    shot(editor, "1-submitted")
    item = item_named(title)
    assert item.workflow_in_progress
    assert item.current_workflow_state.workflow.name == f"{SCHOOL_A} publishing"
    assert not item.live

    # 2. The reviewer passes the confidentiality review on the dashboard: it is published.
    reviewer = new_context().new_page()
    admin_login(reviewer, "reviewer_a")
    dialog, row = pass_review(reviewer, ENGLISH, title, comment="Checked: nothing secret.")
    shot(reviewer, "2-review-form")
    with reviewer.expect_navigation():
        dialog.get_by_role("button", name=ENGLISH.pass_review).click()
    expect(row).to_have_count(0)
    # The review ends with a message saying what it did.
    expect_message(reviewer, f"“{title}” was approved at")
    expect_message(reviewer, "and is published.")
    shot(reviewer, "2-reviewed")
    item = item_named(title)
    assert item.live
    assert not item.workflow_in_progress
    assert item.scope == Scope.INTERNAL
    review = ReviewTaskState.objects.get(workflow_state__object_id=str(item.pk))
    assert review.status == ReviewTaskState.STATUS_APPROVED
    assert review.finished_by.username == "reviewer_a"
    assert review.nothing_secret
    assert review.reviewed_scope == Scope.INTERNAL
    assert review.comment == "Checked: nothing secret."
    attachment = item.attachments.get()
    assert attachment.document.title == document_title
    item_path = item.url
    document_path_on_site = attachment.document.url

    # 3. An anonymous visitor finds no trace of it, and is sent to log in at its address.
    visitor_context = new_context()
    visitor = visitor_context.new_page()
    visitor.goto(catalog.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(catalog.title)
    expect(visitor.locator("body")).not_to_contain_text(title)
    expect(visitor.get_by_role("link", name=title)).to_have_count(0)
    shot(visitor, "3-catalog-anonymous")
    visitor.get_by_label("Search this column").fill("BROWSERWORD")
    visitor.get_by_label("Search this column").press("Enter")
    expect(visitor).to_have_url(re.compile(r"/search/\?q=BROWSERWORD"))
    expect(visitor.locator("body")).not_to_contain_text(title)
    shot(visitor, "3-search-anonymous")
    document_response = visitor_context.request.get(document_path_on_site, max_redirects=0)
    assert document_response.status == 302, document_response.status
    assert urlsplit(document_response.headers["location"]).path == "/members/login/"

    visitor.goto(item_path)
    expect(visitor).to_have_url(re.compile(r"/members/login/\?next="))
    next_path = parse_qs(urlsplit(visitor.url).query)["next"][0]
    assert unquote(next_path) == unquote(item_path)
    expect(visitor.locator("body")).not_to_contain_text(title)
    expect(visitor.get_by_text("Log in to read the Party members' disclosures.")).to_be_visible()
    shot(visitor, "3-sent-to-log-in")

    # 4. A member logs in there, reads the item and downloads its attachment.
    member_login(visitor, "member_a")
    expect(visitor).to_have_url(re.compile(re.escape(item_path) + "$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    expect(visitor.get_by_text(body)).to_be_visible()
    link = visitor.get_by_role("link", name=document_title)
    expect(link).to_be_visible()
    shot(visitor, "4-member-reads")
    with visitor.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.failure() is None
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == content
    response = visitor_context.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.body() == content
    visitor.goto(catalog.url)
    # In the latest items and under its entry.
    expect(visitor.get_by_role("link", name=title)).to_have_count(2)
    expect(visitor.locator(".dangwu-latest").get_by_role("link", name=title)).to_be_visible()
    shot(visitor, "4-member-catalog")


# 5: a member's request, answered in the register ---------------------------------------


def test_member_request_answered_in_register(committed_district, live_server, new_context, shot):
    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    subject = "Minutes of the 2025 election REQWORD"
    explanation = "No minutes were kept of that election; the school held none that year."

    # The member asks, from the column's page: requests are for members, and the page says
    # so with the way to log in, which leads back to the form.
    member = new_context().new_page()
    member.goto(catalog.url)
    member.get_by_role("link", name=re.compile("Ask for information")).click()
    expect(member).to_have_url(re.compile(r"/request/$"))
    member.get_by_role("link", name="log in with your member account").click()
    member_login(member, "member_a")
    expect(member).to_have_url(re.compile(r"/request/$"))
    member.get_by_label(exact("Subject")).fill(subject)
    member.get_by_label(exact("Information asked for")).fill(
        "The minutes of the branch election held in 2025."
    )
    member.get_by_label(exact("Purpose")).fill("To know who was elected.")
    expect(member.get_by_label(exact("Name"))).to_have_value("member_a")
    expect(member.get_by_label(exact("Email"))).to_have_value("member_a@example.com")
    member.get_by_label(exact("Phone")).fill("13800138000")
    shot(member, "1-request-form")
    member.get_by_role("button", name="Send the request").click()

    expect(member).to_have_url(re.compile(r"/request/[0-9a-f-]{36}/$"))
    disclosure_request = DisclosureRequest.objects.get(subject=subject)
    assert disclosure_request.requester.username == "member_a"
    assert disclosure_request.status == RequestStatus.RECEIVED
    heading = member.get_by_role("heading", level=1)
    expect(heading).to_contain_text(disclosure_request.reference)
    status_url = member.url
    shot(member, "2-request-received")

    # The editor answers it in the register: the information is not held.
    editor = new_context().new_page()
    admin_login(editor, "editor_a")
    editor.goto("/admin/dangwu_wagtail/disclosurerequest/")
    row = editor.get_by_role("row").filter(has_text=disclosure_request.reference)
    expect(row).to_have_count(1)
    shot(editor, "3-register")
    row.get_by_role("link", name=re.compile(re.escape(disclosure_request.reference))).first.click()
    expect(editor).to_have_url(
        re.compile(rf"/admin/dangwu_wagtail/disclosurerequest/edit/{disclosure_request.pk}/$")
    )
    editor.get_by_role("radio", name="Answer").check()
    editor.get_by_role("combobox", name="Answer").select_option(label="not held (信息不存在)")
    # 无法提供, classified by its reason, as disclosure reporting counts it.
    editor.get_by_role("combobox", name=exact("Reason")).select_option(
        label="no such information exists; it would have to be made (没有现成信息需要另行制作)"
    )
    editor.get_by_role("textbox", name=exact("Explanation")).fill(explanation)
    shot(editor, "4-answer-form")
    editor.get_by_role("button", name="Save").click()
    expect(editor).to_have_url(re.compile(r"/admin/dangwu_wagtail/disclosurerequest/(\?.*)?$"))
    shot(editor, "5-answered")
    disclosure_request.refresh_from_db()
    assert disclosure_request.status == RequestStatus.ANSWERED
    assert disclosure_request.answer_explanation == explanation

    # The member reads the answer on the request's page.
    member.goto(status_url)
    answer = member.get_by_role("region", name=re.compile("^Answer"))
    expect(answer.get_by_role("heading")).to_have_text("Answer: not held (信息不存在)")
    expect(answer).to_contain_text(explanation)
    shot(member, "6-member-reads-answer")


# 6: the admin journey in Chinese -----------------------------------------------------------


CHINESE = AdminLabels(
    title="标题",
    entry="目录条目",
    body="正文",
    add_attachment="增加 附件",
    choose_document="选择一个文档",
    save_draft="保存草稿",
    more_actions="更多动作",
    submit=f"提交给{SCHOOL_A} publishing",
    document_title="标题",
    document_file="文件",
    collection="集合",
    upload="上传",
    awaiting_review="等待你的审查",
    row_actions="动作",
    pass_review="通过保密审查",
    nothing_secret="不涉及国家秘密、工作秘密和个人隐私",
    scope_right="公开范围正确",
    comment="意见",
)


def use_chinese(*usernames):
    from wagtail.users.models import UserProfile

    for user in get_user_model().objects.filter(username__in=usernames):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "zh-hans"
        profile.save()


def test_admin_journey_in_chinese(committed_district, live_server, new_context, shot, tmp_path):
    use_chinese("editor_a", "reviewer_a")
    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    entry = catalog.entries.get(number=1)
    title = "党委会议纪要 浏览器测试"
    body = "会议研究了工作计划。"
    document_title = "会议纪要附件"
    document_path = write_file(tmp_path, "jiyao.txt", "党委会议纪要\n".encode())

    # The editor's admin speaks Chinese: Wagtail's own words and the add-on's.
    editor = new_context().new_page()
    admin_login(editor, "editor_a")
    expect(editor.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(editor.get_by_role("button", name="党务公开台账")).to_be_visible()  # the registers
    upload_document(editor, CHINESE, document_title, document_path, SCHOOL_A)
    draft_item(editor, CHINESE, catalog.internal_section, entry, title, body, document_title)
    expect_message(editor, f"页面'{title}'已创建")
    expect(editor.get_by_role("combobox", name="公开范围")).to_have_value("internal")
    shot(editor, "1-draft-saved")
    submit_for_review(editor, CHINESE)
    expect_message(editor, f"页面 '{title}' 已经提交进行审核。")
    row = editor.get_by_role("row").filter(has=editor.get_by_role("link", name=title))
    expect(row).to_contain_text("审核中")  # Wagtail's “In Moderation”
    shot(editor, "2-submitted")
    assert item_named(title).workflow_in_progress

    reviewer = new_context().new_page()
    admin_login(reviewer, "reviewer_a")
    dialog, row = pass_review(reviewer, CHINESE, title)
    expect(dialog.get_by_role("heading", name=CHINESE.pass_review)).to_be_visible()
    shot(reviewer, "3-review-form")
    with reviewer.expect_navigation():
        dialog.get_by_role("button", name=CHINESE.pass_review).click()
    expect(row).to_have_count(0)
    expect_message(reviewer, f"“{title}”已通过")
    expect_message(reviewer, "，已发布。")
    shot(reviewer, "4-reviewed")
    item = item_named(title)
    assert item.live
    assert not item.workflow_in_progress
    assert item.scope == Scope.INTERNAL
    assert item.attachments.get().document.title == document_title

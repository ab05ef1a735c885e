"""The editor's day in the admin: a sent-back item's edit screen shows the reviewer's reason,
approving and sending back end with a message that says what happened, the catalog editor's
entry panels are headed by their number and title, and the explorer shows each item's entry
and scope."""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import rich_text

from dangwu_wagtail.models import DisclosureItem
from tests.test_admin import edit_item_data
from tests.test_moderation import CONFIRM, TITLE, edit_url, submitted_item

CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
REASON = "请删去会议记录中的电话号码。"


@pytest.fixture(autouse=True)
def chinese_admin(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def messages_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text(" ", strip=True).split()) for li in soup.select(".messages li")]


def modal_form_action(client, item, action):
    """The form action of the review modal the dashboard opens for ``action``."""
    task_state = item.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(item.pk, action, task_state.pk))
    response = client.get(url, **CHINESE)
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    return BeautifulSoup(html, "html.parser").form["action"]


def item_now():
    return DisclosureItem.objects.get(title=TITLE)


def test_sending_back_says_so_and_the_editor_reads_the_reason(school_a, users):
    editor = client_for(users["editor_a"])
    reviewer = client_for(users["reviewer_a"])
    item = submitted_item(editor, school_a)

    action = modal_form_action(reviewer, item, "reject")
    assert action == reverse(
        "dangwu_wagtail_admin:review_action",
        args=(item.pk, "reject", item.current_workflow_task_state.pk),
    )
    response = reviewer.post(action, {"comment": REASON}, follow=True, **CHINESE)

    assert response.status_code == 200
    assert item_now().current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert f"“{TITLE}”已退回编辑，编辑会看到退回理由：{REASON}" in messages_of(response)

    # The editor opens the item: the reason, who gave it and at which step, on top.
    page = editor.get(edit_url(item), **CHINESE)
    assert page.status_code == 200
    (notice,) = [m for m in messages_of(page) if REASON in m]
    assert re.fullmatch(
        rf"reviewer_a于\d{{4}}-\d\d-\d\d \d\d:\d\d在“.+”环节退回。理由：{REASON}",
        notice,
    ), notice
    # Once submitted again, the notice is gone.
    editor.post(edit_url(item), edit_item_data(item_now(), **{"action-submit": "1"}))
    assert not [m for m in messages_of(editor.get(edit_url(item), **CHINESE)) if REASON in m]


def test_approving_says_it_is_published(school_a, users):
    editor = client_for(users["editor_a"])
    reviewer = client_for(users["reviewer_a"])
    item = submitted_item(editor, school_a)

    action = modal_form_action(reviewer, item, "approve")
    response = reviewer.post(action, CONFIRM, follow=True, **CHINESE)

    assert item_now().live
    (message,) = [m for m in messages_of(response) if TITLE in m]
    assert re.fullmatch(rf"“{TITLE}”已通过“.+”，已发布。", message), message


def test_approving_a_scheduled_item_says_when_it_goes_live(school_a, users):
    editor = client_for(users["editor_a"])
    reviewer = client_for(users["reviewer_a"])
    go_live = timezone.localtime() + datetime.timedelta(days=2)
    item = submitted_item(editor, school_a, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))

    response = reviewer.post(modal_form_action(reviewer, item, "approve"), CONFIRM, follow=True)

    assert not item_now().live
    expected = f"将于{go_live:%Y-%m-%d %H:%M}发布。"
    assert any(m.endswith(expected) for m in messages_of(response)), messages_of(response)


def test_a_refused_approval_says_nothing_happened(school_a, users):
    editor = client_for(users["editor_a"])
    reviewer = client_for(users["reviewer_a"])
    item = submitted_item(editor, school_a)

    # Without the confirmations the form is shown again, and nothing is said to be done.
    action = modal_form_action(reviewer, item, "approve")
    response = reviewer.post(
        action, {"comment": ""}, HTTP_X_REQUESTED_WITH="XMLHttpRequest", **CHINESE
    )
    assert json.loads(response.content)["step"] == "action"
    assert not item_now().live
    # An editor is no reviewer: Wagtail's permission check refuses them here too.
    assert editor.post(action, CONFIRM).status_code in (302, 403)
    assert not item_now().live
    dashboard = reviewer.get(reverse("wagtailadmin_home"), **CHINESE)
    assert not [m for m in messages_of(dashboard) if TITLE in m]


def test_reviewing_in_the_editor_says_what_happened(school_a, users):
    editor = client_for(users["editor_a"])
    reviewer = client_for(users["reviewer_a"])
    item = submitted_item(editor, school_a)

    response = reviewer.post(
        edit_url(item),
        edit_item_data(
            item,
            **{
                "action-workflow-action": "1",
                "workflow-action-name": "reject",
                "workflow-action-extra-data": json.dumps({"comment": REASON}),
            },
        ),
        follow=True,
        **CHINESE,
    )

    assert item_now().current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert f"“{TITLE}”已退回编辑，编辑会看到退回理由：{REASON}" in messages_of(response)


def test_approving_a_catalog_adjustment_says_what_comes_next(school_a, users):
    from tests.test_admin import catalog_form_data

    editor = client_for(users["editor_a"])
    reviewer = client_for(users["reviewer_a"])
    intro = rich_text("<p>新的说明。</p>")
    data = catalog_form_data(school_a, intro=intro, **{"action-submit": "1"})
    assert editor.post(edit_url(school_a), data).status_code == 302
    catalog = type(school_a).objects.get(pk=school_a.pk)

    response = reviewer.post(
        modal_form_action(reviewer, catalog, "approve"), CONFIRM, follow=True, **CHINESE
    )

    assert any("现等待“" in m and catalog.title in m for m in messages_of(response)), messages_of(
        response
    )


# The catalog editor's entry panels ---------------------------------------------------------


def entry_headings(forms, text=True):
    """The heading of each entry panel (not of the panels inside it)."""
    headings = [
        forms.find(id=f"{child['id']}-panel-heading")
        for child in forms.select("[data-inline-panel-child]")
    ]
    if not text:
        return headings
    return [" ".join(h.get_text(" ", strip=True).split()) for h in headings]


def test_entry_panels_are_headed_by_number_and_title(school_a, users):
    editor = client_for(users["editor_a"])

    response = editor.get(edit_url(school_a), **CHINESE)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    forms = soup.find(id="id_entries-FORMS")
    headings = entry_headings(forms)
    entries = list(school_a.entries.all())
    assert len(headings) == len(entries) > 30
    expected = [f"{e.number}. {e.title}" if e.number else e.title for e in entries]
    assert [h for h in headings] == expected
    assert not [h for h in headings if re.fullmatch(r"目录条目\s*\d*", h)]
    # An entry added in the editor is headed by Wagtail's label and its position.
    template = soup.find(id="id_entries-EMPTY_FORM_TEMPLATE")
    new_child = BeautifulSoup(template.decode_contents(), "html.parser")
    (new_heading,) = entry_headings(new_child, text=False)
    assert new_heading.find(attrs={"data-inline-panel-child-count": True}) is not None
    assert new_heading.get_text(strip=True) == "目录条目"


def test_entry_panels_shown_back_with_errors_keep_what_was_typed(school_a, users):
    from tests.test_admin import catalog_form_data

    editor = client_for(users["editor_a"])
    entry = school_a.entries.get(number=5)
    data = catalog_form_data(school_a)
    index = list(school_a.entries.all()).index(entry)
    data[f"entries-{index}-title"] = "改过的标题"
    data["title"] = ""  # refused: the page has no title

    response = editor.post(edit_url(school_a), data, **CHINESE)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    headings = entry_headings(soup.find(id="id_entries-FORMS"))
    assert "5. 改过的标题" in headings


# The explorer ------------------------------------------------------------------------------


def test_the_explorer_shows_each_items_entry_and_scope(
    school_a, items_a, users, django_assert_max_num_queries
):
    editor = client_for(users["editor_a"])
    url = reverse("wagtailadmin_explore", args=(school_a.pk,))

    response = editor.get(url, **CHINESE)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    header = [th.get_text(" ", strip=True) for th in soup.select("table thead th")]
    assert "目录条目" in header and "公开范围" in header
    rows = [
        [" ".join(td.get_text(" ", strip=True).split()) for td in row.select("td")]
        for row in soup.select("table tbody tr")
    ]

    def row_of(title):
        (cells,) = [cells for cells in rows if any(c.startswith(title) for c in cells)]
        return cells

    public = items_a["public"]
    cells = row_of(public.title)
    assert f"{public.entry.number}. {public.entry.title}" in cells
    assert "党内外" in cells
    # The internal section is listed too, with no entry and no scope.
    section_cells = row_of(school_a.internal_section.title)
    assert section_cells[-3:-1] == ["", ""], section_cells  # before the navigate column

    # The internal section's listing: its items, internal.
    section_url = reverse("wagtailadmin_explore", args=(school_a.internal_section_id,))
    section = BeautifulSoup(editor.get(section_url, **CHINESE).content, "html.parser")
    text = section.select_one("table tbody").get_text(" ", strip=True)
    assert items_a["internal"].title in text and "党内" in text


def test_the_explorer_reads_entries_in_one_query(school_a, users, django_assert_num_queries):
    from tests.conftest import add_item

    editor = client_for(users["editor_a"])
    url = reverse("wagtailadmin_explore", args=(school_a.pk,))
    editor.get(url)  # warm caches (content types, site root paths)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert editor.get(url).status_code == 200
    for number in (2, 3, 4, 6, 7):
        add_item(school_a, f"又一项 {number}", number=number)
    with CaptureQueriesContext(connection) as more:
        assert editor.get(url).status_code == 200
    assert len(more) == len(few)


def test_the_review_action_shows_nothing_of_another_schools_page(school_a, items_a, users):
    editor = client_for(users["editor_a"])
    item = submitted_item(editor, school_a, number=1)  # internal
    task_state = item.current_workflow_task_state
    url = reverse("dangwu_wagtail_admin:review_action", args=(item.pk, "approve", task_state.pk))
    outsider = client_for(users["editor_b"])

    for response in (
        outsider.get(url, **CHINESE),
        outsider.post(url, CONFIRM, follow=True, **CHINESE),
    ):
        assert response.status_code == 404
        assert TITLE not in response.content.decode()
    assert not item_now().live
    # A step of another page is not found either.
    other = reverse(
        "dangwu_wagtail_admin:review_action",
        args=(items_a["public"].pk, "approve", task_state.pk),
    )
    assert client_for(users["reviewer_a"]).get(other).status_code == 404

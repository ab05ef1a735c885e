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

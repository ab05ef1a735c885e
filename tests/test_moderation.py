"""Editorial moderation: the confidentiality review, sending back with a reason, the catalog
adjustment workflow, scheduled publishing, the dashboard, emails and the audit log."""

import datetime
from unittest import mock

import pytest
import swapper
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision, WorkflowState
from wagtail.test.utils.form_data import rich_text

from dangwu_wagtail.models import DisclosureItem, ReviewTaskState, Scope
from dangwu_wagtail.moderation import notify_reviewers
from tests.test_admin import add_url, catalog_form_data, edit_item_data, item_form_data

Page = swapper.load_model("wagtailcore", "Page")

CONFIRM = {"comment": "", "nothing_secret": "on", "scope_confirmed": "on"}
TITLE = "Branch meeting minutes"


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def act(client, page, action, data):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    return client.post(url, data)


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def item_by_title():
    return DisclosureItem.objects.get(title=TITLE)


class Watchers:
    """What the public, a member, the editor and the reviewer see of the item."""

    def __init__(self, users, catalog):
        self.catalog = catalog
        self.public = client_for(None)
        self.member = client_for(users["member_a"])
        self.editor = client_for(users["editor_a"])
        self.reviewer = client_for(users["reviewer_a"])

    def catalog_shows(self, client):
        response = client.get(self.catalog.url)
        assert response.status_code == 200
        return TITLE in response.content.decode()

    def item_status(self, client):
        item = item_by_title()
        return client.get(item.url).status_code

    def check(self, *, live, awaiting_review, sent_back=None):
        assert not self.catalog_shows(self.public)
        assert self.item_status(self.public) == (302 if live else 404)
        assert self.catalog_shows(self.member) is live
        assert self.item_status(self.member) == (200 if live else 404)
        editor_dashboard = dashboard(self.editor)
        assert ("Sent back to you" in editor_dashboard) is bool(sent_back)
        if sent_back:
            assert sent_back in editor_dashboard
        # The editor can always open the item in the admin.
        assert self.editor.get(edit_url(item_by_title())).status_code == 200
        reviewer_dashboard = dashboard(self.reviewer)
        assert ("Awaiting your review" in reviewer_dashboard) is awaiting_review
        assert (TITLE in reviewer_dashboard) is awaiting_review


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def test_internal_item_walk_through(users, school_a, django_capture_on_commit_callbacks):
    watchers = Watchers(users, school_a)
    section = school_a.internal_section
    internal_entry = school_a.entries.get(number=1)
    add = reverse("wagtailadmin_pages:add", args=("dangwu_wagtail", "disclosureitem", section.pk))

    # 1. The editor drafts.
    response = watchers.editor.post(add, item_form_data(internal_entry))
    assert response.status_code == 302
    item = item_by_title()
    assert item.scope == Scope.INTERNAL and not item.live
    watchers.check(live=False, awaiting_review=False)

    # 2. The editor submits: the school's reviewers are emailed, not another school's.
    with django_capture_on_commit_callbacks(execute=True):
        response = watchers.editor.post(
            edit_url(item), edit_item_data(item, **{"action-submit": "1"})
        )
    assert response.status_code == 302
    recipients = {address for message in mail.outbox for address in message.to}
    assert "reviewer_a@example.com" in recipients
    assert not recipients & {"editor_a@example.com", "editor_b@example.com", "member_a@example.com"}
    assert any(TITLE in message.body for message in mail.outbox)
    watchers.check(live=False, awaiting_review=True)

    # 3. The reviewer cannot send it back without a reason, then sends it back with one.
    item = item_by_title()
    act(watchers.reviewer, item, "reject", {"comment": "  "})
    assert item_by_title().current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    response = act(watchers.reviewer, item, "reject", {"comment": "Remove the phone numbers."})
    assert response.status_code == 302
    assert item_by_title().current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    watchers.check(live=False, awaiting_review=False, sent_back="Remove the phone numbers.")

    # 4. The editor changes it and submits again.
    item = item_by_title()
    response = watchers.editor.post(
        edit_url(item),
        edit_item_data(
            item, body=rich_text("<p>Minutes, without numbers.</p>"), **{"action-submit": "1"}
        ),
    )
    assert response.status_code == 302
    watchers.check(live=False, awaiting_review=True)

    # 5. Approval needs both confirmations; then it is published, into the internal section.
    item = item_by_title()
    act(watchers.reviewer, item, "approve", {"comment": "", "nothing_secret": "on"})
    assert not item_by_title().live
    response = act(watchers.reviewer, item, "approve", {**CONFIRM, "comment": "Fine now."})
    assert response.status_code == 302
    item = item_by_title()
    assert item.live and item.get_parent().pk == section.pk
    watchers.check(live=True, awaiting_review=False)

    # The review recorded what the reviewer confirmed.
    review = ReviewTaskState.objects.get(workflow_state__object_id=str(item.pk), status="approved")
    assert review.nothing_secret and review.reviewed_scope == Scope.INTERNAL
    assert review.finished_by == users["reviewer_a"]

    # Every step is in Wagtail's audit log, with who.
    entries = list(PageLogEntry.objects.filter(page=item).order_by("timestamp", "pk"))
    actions = [(entry.action, entry.user.username if entry.user else None) for entry in entries]
    assert ("wagtail.workflow.start", "editor_a") in actions
    assert ("wagtail.workflow.reject", "reviewer_a") in actions
    assert ("wagtail.workflow.resume", "editor_a") in actions
    assert ("wagtail.workflow.approve", "reviewer_a") in actions
    assert ("wagtail.publish", "reviewer_a") in actions
    reject = next(entry for entry in entries if entry.action == "wagtail.workflow.reject")
    assert reject.data["comment"] == "Remove the phone numbers."


def submitted_item(client, catalog, number=8, **fields):
    response = client.post(
        add_url(catalog),
        item_form_data(catalog.entries.get(number=number), **{"action-submit": "1"}, **fields),
    )
    assert response.status_code == 302
    return item_by_title()


def test_editor_cannot_publish_even_with_a_crafted_post(client, school_a, items_a, users):
    client.force_login(users["editor_a"])
    entry = school_a.entries.get(number=8)
    client.post(add_url(school_a), item_form_data(entry, **{"action-publish": "1"}))
    item = item_by_title()
    assert not item.live

    client.post(edit_url(item), edit_item_data(item, **{"action-publish": "1"}))
    assert not item_by_title().live

    draft = items_a["draft"]
    response = client.post(
        reverse(
            "wagtail_bulk_action", args=(Page._meta.app_label, Page._meta.model_name, "publish")
        )
        + f"?id={draft.pk}&id={item.pk}",
        {"include_descendants": ""},
    )
    assert response.status_code in (200, 302, 403)
    assert not DisclosureItem.objects.get(pk=draft.pk).live
    assert not item_by_title().live

    # An editor is not a reviewer: no workflow action either.
    item = submitted_item(client, school_a, title="Other", slug="other")
    item = DisclosureItem.objects.get(slug="other")
    act(client, item, "approve", CONFIRM)
    assert not DisclosureItem.objects.get(slug="other").live


def test_reviewer_publishes_only_through_the_review(client, school_a, items_a, users):
    client.force_login(users["reviewer_a"])
    draft = items_a["draft"]
    response = client.post(edit_url(draft), edit_item_data(draft, **{"action-publish": "1"}))
    assert response.status_code in (200, 302, 403)
    assert not DisclosureItem.objects.get(pk=draft.pk).live

    # The reviewer may still withdraw a live item.
    public = items_a["public"]
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(public.pk,)))
    assert response.status_code == 302
    assert not DisclosureItem.objects.get(pk=public.pk).live
    assert PageLogEntry.objects.filter(
        page=public, action="wagtail.unpublish", user=users["reviewer_a"]
    ).exists()


def test_a_crafted_approval_without_confirmations_is_refused(client, school_a, users):
    editor = client_for(users["editor_a"])
    item = submitted_item(editor, school_a)
    client.force_login(users["reviewer_a"])
    # Wagtail's editor lets a reviewer approve while editing, with data collected earlier.
    response = client.post(
        edit_url(item),
        edit_item_data(
            item,
            **{
                "action-workflow-action": "1",
                "workflow-action-name": "approve",
                "workflow-action-extra-data": '{"comment": "ok"}',
            },
        ),
    )
    assert response.status_code in (302, 403)
    assert not item_by_title().live


def test_publishing_a_scope_change_is_logged(client, school_a, items_a, users):
    item = items_a["public"]
    editor = client_for(users["editor_a"])
    editor.post(edit_url(item), edit_item_data(item, scope="internal", **{"action-submit": "1"}))
    client.force_login(users["reviewer_a"])
    item = DisclosureItem.objects.get(pk=item.pk)
    act(client, item, "approve", CONFIRM)

    item = DisclosureItem.objects.get(pk=item.pk)
    assert item.scope == Scope.INTERNAL and item.get_parent().pk == school_a.internal_section_id
    entry = PageLogEntry.objects.get(page=item, action="dangwu_wagtail.change_scope")
    assert entry.user == users["reviewer_a"]
    assert entry.data["scope"] == {"old": "public", "new": "internal"}
    assert entry.timestamp is not None
    history = client.get(reverse("wagtailadmin_pages:history", args=(item.pk,)))
    assert "Scope changed from" in history.content.decode()


def test_reviewers_of_another_school_are_not_emailed(
    client, school_a, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted_item(client_for(users["editor_a"]), school_a)
    recipients = {address for message in mail.outbox for address in message.to}
    assert "reviewer_a@example.com" in recipients
    assert "editor_b@example.com" not in recipients


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_reviewers_are_emailed_from_the_task_worker(
    school_a, users, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item = submitted_item(client_for(users["editor_a"]), school_a)
    # Submitting only queued the reviewers' email.
    assert "reviewer_a@example.com" not in {a for message in mail.outbox for a in message.to}
    mail.outbox.clear()
    [queued] = [r for r in default_task_backend.results if r.task.name == notify_reviewers.name]
    # The worker sends it.
    assert notify_reviewers.call(*queued.args, **queued.kwargs) == "sent"
    assert "reviewer_a@example.com" in {a for message in mail.outbox for a in message.to}
    assert item.title in mail.outbox[0].subject + mail.outbox[0].body


def test_scheduled_publication_waits_for_its_time(client, school_a, users):
    editor = client_for(users["editor_a"])
    go_live = timezone.localtime() + datetime.timedelta(hours=2)
    item = submitted_item(editor, school_a, number=1, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    item = DisclosureItem.objects.get(pk=item.pk)
    client.force_login(users["reviewer_a"])
    act(client, item, "approve", CONFIRM)

    item = DisclosureItem.objects.get(pk=item.pk)
    assert not item.live
    assert Revision.page_revisions.filter(
        object_id=str(item.pk), approved_go_live_at__isnull=False
    ).exists()
    # Not yet: the command publishes nothing.
    call_command("publish_scheduled")
    assert not DisclosureItem.objects.get(pk=item.pk).live

    # Two hours later, cron has not run the command: the dashboard warns the school's people.
    later = go_live + datetime.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "Scheduled publishing is overdue" in dashboard(editor)
        assert "Scheduled publishing is overdue" not in dashboard(client_for(users["editor_b"]))

        call_command("publish_scheduled")
        item = DisclosureItem.objects.get(pk=item.pk)
        assert item.live and item.scope == Scope.INTERNAL
        assert item.get_parent().pk == school_a.internal_section_id
        assert "Scheduled publishing is overdue" not in dashboard(editor)
    assert client_for(None).get(item.url).status_code == 302
    assert client_for(users["member_a"]).get(item.url).status_code == 200


def test_scheduled_expiry_takes_an_item_down(client, school_a, items_a, users):
    item = items_a["public"]
    item.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    item.save(update_fields=["expire_at"])
    call_command("publish_scheduled")
    item = DisclosureItem.objects.get(pk=item.pk)
    assert not item.live and item.expired
    assert "Public OPENWORD plan" not in client_for(None).get(school_a.url).content.decode()


# Catalog adjustments ------------------------------------------------------------------------


def entry_field(data, entry, name):
    """The form field name of ``entry``'s ``name`` in catalog editor ``data``."""
    index = next(i for i in range(100) if data.get(f"entries-{i}-id") == str(entry.pk))
    return f"entries-{index}-{name}"


def test_catalog_adjustment_needs_the_superior_organisations_approval(
    school_a, users, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from dangwu_wagtail.moderation import approvers_group_name
    from tests.conftest import make_user

    approver = make_user("approver", Group.objects.get(name=approvers_group_name()))
    reviewer = client_for(users["reviewer_a"])
    url = edit_url(school_a)
    entry_31 = school_a.entries.get(number=31)
    data = catalog_form_data(school_a, delete={31}, **{"action-submit": "1"})
    data[entry_field(data, school_a.entries.get(number=5), "scope")] = Scope.INTERNAL

    # A direct publication is refused: the adjustment goes through the workflow.
    direct = catalog_form_data(school_a, delete={31}, **{"action-publish": "1"})
    reviewer.post(url, direct)
    assert school_a.entries.filter(pk=entry_31.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(url, data)
    assert response.status_code == 302
    catalog = type(school_a).objects.get(pk=school_a.pk)
    assert catalog.workflow_in_progress
    assert catalog.current_workflow_state.workflow.name == "A中学党委 catalog adjustment"
    # Still the old catalog until approved.
    assert catalog.entries.filter(pk=entry_31.pk).exists()
    assert catalog.entries.get(number=5).scope == Scope.PUBLIC

    # Step 1: the school's confidentiality review; the superior organisation is told.
    with django_capture_on_commit_callbacks(execute=True):
        act(reviewer, catalog, "approve", CONFIRM)
    assert "approver@example.com" in {a for message in mail.outbox for a in message.to}
    catalog = type(school_a).objects.get(pk=school_a.pk)
    assert catalog.entries.filter(pk=entry_31.pk).exists()
    assert catalog.current_workflow_task.name == "Superior Party organisation approval"

    # Step 2: the superior organisation first sends it back, with a reason.
    superior = client_for(approver)
    assert "Awaiting your review" in dashboard(superior)
    assert superior.get(url).status_code == 200
    act(superior, catalog, "reject", {"comment": "Entry 5 stays public: the plan says so."})
    catalog = type(school_a).objects.get(pk=school_a.pk)
    assert catalog.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert catalog.entries.filter(pk=entry_31.pk).exists()
    assert "Entry 5 stays public" in dashboard(reviewer)

    # The school edits its proposal (entry 5 back to public) and submits it again; once
    # reviewed and approved, the adjustment takes effect.
    proposal = catalog.get_latest_revision_as_object()
    assert entry_31.pk not in {entry.pk for entry in proposal.entries.all()}
    data = catalog_form_data(proposal, **{"action-submit": "1"})
    data[entry_field(data, school_a.entries.get(number=5), "scope")] = Scope.PUBLIC
    assert reviewer.post(url, data).status_code == 302
    catalog = type(school_a).objects.get(pk=school_a.pk)
    act(reviewer, catalog, "approve", CONFIRM)
    catalog = type(school_a).objects.get(pk=school_a.pk)
    assert catalog.entries.filter(pk=entry_31.pk).exists()
    act(superior, catalog, "approve", {"comment": ""})
    catalog = type(school_a).objects.get(pk=school_a.pk)
    assert not catalog.workflow_in_progress
    assert not catalog.entries.filter(pk=entry_31.pk).exists()
    assert catalog.entries.get(number=5).scope == Scope.PUBLIC
    assert catalog.entries.count() == 32
    actions = set(PageLogEntry.objects.filter(page=catalog).values_list("action", "user__username"))
    assert ("wagtail.workflow.approve", "approver") in actions
    assert ("wagtail.workflow.reject", "approver") in actions
    assert ("wagtail.publish", "approver") in actions


@pytest.mark.parametrize("reader", ["editor_a", "reviewer_a"])
def test_school_cannot_remove_move_or_withdraw_its_column(client, school_a, users, reader):
    client.force_login(users[reader])
    for name in ("delete", "unpublish"):
        response = client.post(reverse(f"wagtailadmin_pages:{name}", args=(school_a.pk,)))
        assert response.status_code in (302, 403)
    response = client.post(
        reverse("wagtailadmin_pages:move_confirm", args=(school_a.pk, school_a.get_parent().pk))
    )
    assert response.status_code in (302, 403)
    catalog = type(school_a).objects.get(pk=school_a.pk)
    assert catalog.live and catalog.get_parent().pk == school_a.get_parent().pk
    section = school_a.internal_section
    assert client.get(edit_url(section)).status_code in (302, 403)
    assert client.post(reverse("wagtailadmin_pages:delete", args=(section.pk,))).status_code in (
        302,
        403,
    )
    assert type(section).objects.filter(pk=section.pk, live=True).exists()


def test_superuser_keeps_direct_publishing(client, school_a, items_a, users):
    client.force_login(users["superuser"])
    draft = items_a["draft"]
    response = client.post(edit_url(draft), edit_item_data(draft, **{"action-publish": "1"}))
    assert response.status_code == 302
    assert DisclosureItem.objects.get(pk=draft.pk).live


def test_adjustment_removing_an_entry_that_got_items_is_sent_back(school_a, users):
    from django.contrib.auth.models import Group

    from dangwu_wagtail.moderation import approvers_group_name
    from tests.conftest import add_item, make_user

    approver = make_user("approver", Group.objects.get(name=approvers_group_name()))
    reviewer = client_for(users["reviewer_a"])
    data = catalog_form_data(school_a, delete={31}, **{"action-submit": "1"})
    assert reviewer.post(edit_url(school_a), data).status_code == 302
    catalog = type(school_a).objects.get(pk=school_a.pk)
    act(reviewer, catalog, "approve", CONFIRM)
    # Meanwhile an item is filed under entry 31.
    add_item(school_a, "Filed meanwhile", number=31)

    response = act(client_for(approver), catalog, "approve", {"comment": ""})

    assert response.status_code == 302
    catalog = type(school_a).objects.get(pk=school_a.pk)
    assert catalog.entries.filter(number=31).exists()
    state = catalog.current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert "cannot be removed: 1 item is filed under it" in state.current_task_state.comment
    assert "cannot be removed" in dashboard(reviewer)

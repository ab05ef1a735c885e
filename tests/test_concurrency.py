"""Two reviewers acting on the same step at the same moment leave one consistent outcome.

Each reviewer's request runs in its own thread with its own database connection. Both pass
Wagtail's checks while the step is still open, then meet at a barrier and decide at once.
"""

import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from dangwu_wagtail.models import Catalog, ConfidentialityReviewTask, DisclosureItem
from tests.conftest import SCHOOL_A, add_item, make_user

CONFIRM = {"comment": "", "nothing_secret": "on", "scope_confirmed": "on"}
REASON = {"comment": "Not yet."}


def decide_at_once(item, decisions):
    """Post each (user, action, data) of ``decisions`` in its own thread, at the same moment."""
    task_state = item.current_workflow_task_state
    barrier = threading.Barrier(len(decisions), timeout=30)
    original = ConfidentialityReviewTask.on_action
    responses = [None] * len(decisions)
    errors = []

    def on_action(self, *args, **kwargs):
        barrier.wait()  # both requests have passed Wagtail's checks: now decide together
        return original(self, *args, **kwargs)

    def run(index, user, action, data):
        try:
            client = Client()
            client.force_login(user)
            url = reverse(
                "wagtailadmin_pages:workflow_action", args=(item.pk, action, task_state.pk)
            )
            responses[index] = client.post(url, data)
        except Exception as error:  # noqa: BLE001 - reported below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(ConfidentialityReviewTask, "on_action", on_action):
        threads = [
            threading.Thread(target=run, args=(index, *decision))
            for index, decision in enumerate(decisions)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not errors, errors
    return responses


def submitted_item(title):
    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    editor = catalog.editors_group.user_set.get(username="editor_a")
    item = add_item(catalog, title, number=8, live=False)
    item.save_revision(user=editor)
    catalog.internal_section.get_workflow().start(item, editor)
    return DisclosureItem.objects.get(pk=item.pk), catalog


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_two_reviewers_decide_the_same_step_at_once(committed_district, second):
    item, catalog = submitted_item(f"Concurrent {second}")
    first_reviewer = catalog.reviewers_group.user_set.get(username="reviewer_a")
    second_reviewer = make_user(f"reviewer_a2_{second}", catalog.reviewers_group)

    responses = decide_at_once(
        item,
        [
            (first_reviewer, "approve", CONFIRM),
            (second_reviewer, second, CONFIRM if second == "approve" else REASON),
        ],
    )

    # Neither reviewer saw a server error; one decided, the other was told it was decided.
    assert all(response.status_code in (302, 403) for response in responses)
    states = TaskState.objects.filter(workflow_state__object_id=str(item.pk))
    assert states.count() == 1
    [state] = states
    assert state.status in (TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)
    decisions = PageLogEntry.objects.filter(
        page=item, action__in=["wagtail.workflow.approve", "wagtail.workflow.reject"]
    )
    assert decisions.count() == 1
    assert decisions.get().user == state.finished_by
    workflow_state = WorkflowState.objects.get(object_id=str(item.pk))
    item = DisclosureItem.objects.get(pk=item.pk)
    publications = PageLogEntry.objects.filter(page=item, action="wagtail.publish").count()
    if state.status == TaskState.STATUS_APPROVED:
        assert workflow_state.status == WorkflowState.STATUS_APPROVED
        assert item.live and publications == 1
    else:
        assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
        assert not item.live and publications == 0


def test_requests_filed_at_once_each_get_a_reference_of_their_own(committed_district):
    """Readers submitting to one column at the same moment: every request is saved, each
    under a reference of its own, after a deleted one."""
    from django.core.cache import cache

    from dangwu_wagtail.forms import DisclosureRequestForm
    from dangwu_wagtail.models import DisclosureRequest

    cache.clear()
    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    for _ in range(2):
        DisclosureRequest.objects.receive(
            catalog, name="Earlier", phone="13812345678", subject="S", description="D"
        )
    DisclosureRequest.objects.order_by("pk").first().delete()
    readers = [make_user(f"reader_at_once_{index}", catalog.members_group) for index in range(4)]
    barrier = threading.Barrier(len(readers), timeout=30)
    original = DisclosureRequestForm.is_valid
    responses, errors = [None] * len(readers), []

    def is_valid(self):
        barrier.wait()  # every form is checked: now all of them save together
        return original(self)

    def run(index, user):
        try:
            client = Client(REMOTE_ADDR=f"10.0.1.{index}")
            client.force_login(user)
            responses[index] = client.post(
                catalog.subpage_url("request"),
                {
                    "subject": f"At once {index}",
                    "description": "D",
                    "name": "R",
                    "phone": "13812345678",
                },
            )
        except Exception as error:  # noqa: BLE001 - reported below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(DisclosureRequestForm, "is_valid", is_valid):
        threads = [threading.Thread(target=run, args=pair) for pair in enumerate(readers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not errors, errors
    assert [response.status_code for response in responses] == [302] * len(readers)
    references = list(
        DisclosureRequest.objects.filter(subject__startswith="At once").values_list(
            "reference", flat=True
        )
    )
    assert len(references) == len(set(references)) == len(readers)
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in references)
    assert numbers == [3, 4, 5, 6]


def test_items_published_at_once_get_different_index_numbers(committed_district):
    """Eight drafts of one entry published at the same moment, each by its own connection:
    on PostgreSQL they wait on the index sequence's row lock, on SQLite on the database's."""
    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    drafts = [add_item(catalog, f"Published at once {n}", number=8, live=False) for n in range(8)]
    barrier = threading.Barrier(len(drafts), timeout=30)
    errors = []

    def publish(item):
        try:
            barrier.wait()
            DisclosureItem.objects.get(pk=item.pk).save_revision().publish()
        except Exception as error:  # noqa: BLE001 - reported below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(item,)) for item in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    numbers = sorted(
        DisclosureItem.objects.filter(pk__in=[item.pk for item in drafts]).values_list(
            "index_number", flat=True
        )
    )
    prefix = f"{catalog.reference_code}-2026-08-"
    assert numbers == [f"{prefix}{n:04d}" for n in range(1, 9)]

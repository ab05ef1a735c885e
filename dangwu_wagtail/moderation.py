"""Editorial moderation: each school's workflows, who is told, and what is logged.

* Items go through the school's publishing workflow: one confidentiality review (保密审查)
  by the school's reviewers; its approval publishes.
* The column's own page (its catalog, contacts and details) goes through the school's catalog
  adjustment workflow: the same review, then the superior Party organisation's approval
  (上级党组织审批), shared by every school of the district.
* The reviewers of the next step are told by email: queued with the submission when the
  site's emails are queued (``mail.QueuedEmailBackend``), else through Django's task
  framework.
* A published change of an item's scope is written to Wagtail's audit log.
* What the people in the workflow read: the reviewer's reason on a sent-back page's edit
  screen, and after each review what it did (``sent_back_notice``, ``review_outcome``).
"""

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django_tasks import task
from wagtail.log_actions import LogFormatter, log
from wagtail.models import TaskState, Workflow, WorkflowPage, WorkflowState, WorkflowTask

from .conf import dangwu_settings
from .models import ConfidentialityReviewTask, Scope, SuperiorApprovalTask
from .permissions import grant_district_permissions

logger = logging.getLogger(__name__)

DEFAULT_APPROVERS_GROUP = gettext_noop("Superior Party organisation")
SCOPE_CHANGE_ACTION = "dangwu_wagtail.change_scope"


def approvers_group_name():
    """The name of the district group that approves catalog adjustments, in the site's
    language."""
    if dangwu_settings.APPROVERS_GROUP:
        return dangwu_settings.APPROVERS_GROUP
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(DEFAULT_APPROVERS_GROUP)


def setup_workflows(catalog, name):
    """Give ``catalog``'s school its publishing and catalog adjustment workflows.

    Runs inside ``setup_school``'s transaction, in the site's language. Without a workflow
    of its own the column would fall under Wagtail's default one, whose task belongs to the
    site-wide Moderators group: the school's own reviewers could not approve.
    """
    review = ConfidentialityReviewTask.objects.create(
        name=gettext("%(name)s confidentiality review") % {"name": name}
    )
    review.groups.set([catalog.reviewers_group])
    publishing = _workflow(gettext("%(name)s publishing") % {"name": name}, [review])
    WorkflowPage.objects.update_or_create(page=catalog, defaults={"workflow": publishing})

    approvers, _created = Group.objects.get_or_create(name=approvers_group_name())
    grant_district_permissions(approvers)
    approval = SuperiorApprovalTask.objects.filter(groups=approvers, active=True).first()
    if approval is None:
        approval = SuperiorApprovalTask.objects.create(
            name=gettext("Superior Party organisation approval")
        )
        approval.groups.set([approvers])
    catalog.adjustment_workflow = _workflow(
        gettext("%(name)s catalog adjustment") % {"name": name}, [review, approval]
    )
    catalog.save(update_fields=["adjustment_workflow"])


def _workflow(name, tasks):
    workflow = Workflow.objects.create(name=name)
    for position, workflow_task in enumerate(tasks):
        WorkflowTask.objects.create(workflow=workflow, task=workflow_task, sort_order=position)
    return workflow


# What the editor and the reviewer read ---------------------------------------------------


def sent_back_notice(page):
    """The reviewer's reason for sending ``page`` back, as its edit screen shows it; ``None``
    unless the page's workflow waits for changes."""
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_REJECTED:
        return None
    reviewer = task_state.finished_by
    values = {
        "task": task_state.task.name,
        "reviewer": (reviewer.get_full_name() or reviewer.get_username()) if reviewer else "",
        "when": _local_time(task_state.finished_at),
        "reason": task_state.comment or gettext("no reason given"),
    }
    if reviewer is None:
        return gettext("Sent back at “%(task)s” on %(when)s. Reason: %(reason)s") % values
    return (
        gettext("%(reviewer)s sent this back at “%(task)s” on %(when)s. Reason: %(reason)s")
        % values
    )


def decided_by(task_state_id, user):
    """The review step ``task_state_id`` if ``user`` has just approved it or sent it back;
    ``None`` if it is undecided or someone else decided it."""
    return (
        TaskState.objects.filter(
            pk=task_state_id,
            finished_by=user,
            status__in=(TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED),
        )
        .select_related("task", "workflow_state")
        .first()
    )


def review_outcome(page, task_state):
    """What deciding ``task_state`` did to ``page``, in one sentence for the reviewer."""
    title = page.get_admin_display_title()
    if task_state.status == TaskState.STATUS_REJECTED:
        return gettext(
            "“%(title)s” was sent back to its editor, who reads the reason: %(reason)s"
        ) % {"title": title, "reason": task_state.comment}
    workflow_state = task_state.workflow_state
    workflow_state.refresh_from_db()
    if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        next_step = workflow_state.current_task_state
        return gettext("“%(title)s” was approved at “%(task)s”; it now awaits “%(next)s”.") % {
            "title": title,
            "task": task_state.task.name,
            "next": next_step.task.name if next_step is not None else "",
        }
    revision = page.revisions.filter(approved_go_live_at__isnull=False).first()
    if revision is not None:
        return gettext(
            "“%(title)s” was approved at “%(task)s” and will be published on %(when)s."
        ) % {
            "title": title,
            "task": task_state.task.name,
            "when": _local_time(revision.approved_go_live_at),
        }
    return gettext("“%(title)s” was approved at “%(task)s” and is published.") % {
        "title": title,
        "task": task_state.task.name,
    }


def _local_time(moment):
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


# Telling the next reviewers ------------------------------------------------------------


def review_started(sender, instance, user=None, **kwargs):
    """``task_submitted`` receiver for the add-on's steps.

    With the site's emails queued (``QueuedEmailBackend``) the reviewers' emails are written
    now, in the submission's transaction: they are kept, or not, with it. Otherwise the
    email is a task, queued once committed.
    """
    from .mail import QUEUED_BACKEND

    if settings.EMAIL_BACKEND == QUEUED_BACKEND:
        try:
            with transaction.atomic():
                email_reviewers(instance, user)
        except Exception:
            logger.exception("Could not queue the reviewers' email of task state %s", instance.pk)
        return
    task_state_id = instance.pk
    user_id = getattr(user, "pk", None)
    transaction.on_commit(
        lambda: notify_reviewers.enqueue(task_state_id=task_state_id, user_id=user_id)
    )


def email_reviewers(task_state, user=None):
    """Email the reviewers of ``task_state``, a step that has just started, with Wagtail's own
    message; ``False`` when some could not be emailed."""
    from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier

    class Notifier(GroupApprovalTaskStateSubmissionEmailNotifier):
        def get_template_base_prefix(self, instance, **kwargs):
            return "task_state_"  # Wagtail's own message, for any kind of task state

    return Notifier()(instance=task_state.specific, user=user)


@task()
def notify_reviewers(task_state_id, user_id=None):
    """Email the reviewers of a step that has just started, with Wagtail's own message.

    Runs in the task framework's worker (or at once with its immediate backend). Raises when
    an email could not be sent, so the worker records the failure.
    """
    from django.contrib.auth import get_user_model
    from wagtail.models import TaskState

    task_state = TaskState.objects.filter(pk=task_state_id).first()
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return "nothing to tell"
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if email_reviewers(task_state, user) is False:
        raise RuntimeError(f"Some reviewers of task state {task_state_id} were not emailed.")
    return "sent"


# The audit log ----------------------------------------------------------------------------


def register_log_actions(actions):
    """``register_log_actions`` hook: how the audit log shows a change of scope."""

    @actions.register_action(SCOPE_CHANGE_ACTION)
    class ScopeChangeFormatter(LogFormatter):
        label = gettext_lazy("Change scope")

        def format_message(self, log_entry):
            labels = dict(Scope.choices)
            try:
                change = log_entry.data["scope"]
                return gettext("Scope changed from %(old)s to %(new)s") % {
                    "old": labels.get(change["old"], change["old"]),
                    "new": labels.get(change["new"], change["new"]),
                }
            except (KeyError, TypeError):
                return gettext("Scope changed")


def log_scope_change(item, revision=None):
    """Write a published change of ``item``'s scope to Wagtail's audit log.

    The user is the one acting in the admin (Wagtail's log context), or none for a
    scheduled publication.
    """
    previous = getattr(item, "_dangwu_previous_live_scope", None)
    item._dangwu_previous_live_scope = None
    if not previous or previous == item.scope:
        return
    log(
        instance=item,
        action=SCOPE_CHANGE_ACTION,
        revision=revision,
        data={"scope": {"old": previous, "new": item.scope}},
    )

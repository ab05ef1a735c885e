"""Panels of the Wagtail dashboard for a school's people.

Reviewers find what awaits them in Wagtail's own “Awaiting your review” panel. These add
what Wagtail does not show: the items sent back to an editor, with the reviewer's reason;
scheduled publications that are overdue because ``publish_scheduled`` is not running (the
task worker, or cron); emails the mail server has not taken yet (for superusers); the
catalog entries overdue or due soon and the opinions not answered (``compliance``); and the
disclosure requests near or past their deadline.

Each panel is added for the people it is for only (``is_for``), decided from what Wagtail has
already loaded for the request: a host editor's dashboard costs no query more with the add-on.
"""

import datetime

import swapper
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Revision, WorkflowState, get_default_page_content_type

from .isolation import staff_catalog_paths
from .models.access import access_for

Page = swapper.load_model("wagtailcore", "Page")

#: A scheduled publication this late is reported: the worker (or cron) runs
#: ``publish_scheduled`` more often.
SCHEDULE_GRACE = datetime.timedelta(minutes=15)


def school_tree_filter(user, field="path"):
    """A ``Q`` over pages for the trees of the columns ``user`` works on; ``None`` for all."""
    if user.is_superuser:
        return None
    condition = Q(pk__in=[])
    for path in staff_catalog_paths(user):
        condition |= Q(**{f"{field}__startswith": path})
    return condition


class SchoolPanel(Component):
    """A panel for a school's editors and reviewers (and superusers)."""

    @staticmethod
    def is_for(user):
        """Whether the panel is for ``user``: no query, so it costs nothing for others."""
        return access_for(user).may_work_on_a_catalog


def page_ids(pages):
    """``pages``' ids as text, to match the ``object_id`` of revisions and workflow states."""
    return pages.annotate(text_id=Cast("pk", CharField())).values("text_id")


class SentBackPanel(SchoolPanel):
    """Items the user submitted (or owns) that a reviewer sent back, with the reason."""

    name = "dangwu_sent_back"
    template_name = "dangwu_wagtail/admin/sent_back_panel.html"
    order = 205

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        user = request.user
        states = list(
            WorkflowState.objects.filter(
                status=WorkflowState.STATUS_NEEDS_CHANGES,
                base_content_type=get_default_page_content_type(),
            )
            .filter(
                Q(requested_by=user) | Q(object_id__in=page_ids(Page.objects.filter(owner=user)))
            )
            .select_related("current_task_state__finished_by", "current_task_state__task")
            .order_by("-current_task_state__finished_at")[:20]
        )
        pages = Page.objects.in_bulk([int(state.object_id) for state in states])
        rows = [
            {
                "page": pages[int(state.object_id)],
                "task_state": state.current_task_state,
            }
            for state in states
            if int(state.object_id) in pages
        ]
        return {**super().get_context_data(parent_context), "rows": rows, "request": request}


def overdue_scheduled(user, now=None):
    """Revisions approved to go live more than ``SCHEDULE_GRACE`` ago and still waiting, on
    the pages ``user`` works on."""
    now = now or timezone.now()
    revisions = Revision.page_revisions.filter(approved_go_live_at__lt=now - SCHEDULE_GRACE)
    tree = school_tree_filter(user)
    if tree is not None:
        revisions = revisions.filter(object_id__in=page_ids(Page.objects.filter(tree)))
    return revisions.order_by("approved_go_live_at")


class OverdueSchedulePanel(SchoolPanel):
    """A warning when scheduled publications are overdue: cron is not running the command."""

    name = "dangwu_overdue_schedule"
    template_name = "dangwu_wagtail/admin/overdue_schedule_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        revisions = list(overdue_scheduled(request.user)[:20])
        pages = Page.objects.in_bulk(
            [int(revision.object_id) for revision in revisions if revision.object_id.isdigit()]
        )
        rows = [
            {"revision": revision, "page": pages.get(int(revision.object_id))}
            for revision in revisions
            if revision.object_id.isdigit()
        ]
        return {**super().get_context_data(parent_context), "rows": rows, "request": request}


class RequestsDuePanel(SchoolPanel):
    """Open disclosure requests that are overdue or due within ``DUE_SOON`` working days."""

    name = "dangwu_requests_due"
    template_name = "dangwu_wagtail/admin/requests_due_panel.html"
    order = 60
    DUE_SOON = 3

    @staticmethod
    def is_for(user):
        """Those who read the register of requests: a school's people, the supervisors and
        superusers (a permission, which Wagtail's menu has already loaded)."""
        return user.has_perm("dangwu_wagtail.view_disclosurerequest")

    def get_context_data(self, parent_context):
        from .models import DisclosureRequest, RequestStatus
        from .models.deadlines import add_working_days, today

        request = parent_context["request"]
        open_requests = (
            DisclosureRequest.objects.exclude(
                status__in=[RequestStatus.ANSWERED, RequestStatus.CLARIFICATION]
            )
            .select_related("catalog")
            .filter(access_for(request.user).register_rows())
        )
        soon = add_working_days(today(), self.DUE_SOON)
        # The database picks the rows: a supervisor's register holds every school's requests.
        rows = sorted(
            open_requests.due_by(soon),
            key=lambda disclosure_request: disclosure_request.due_date,
        )
        return {**super().get_context_data(parent_context), "rows": rows, "request": request}


class DisclosuresDuePanel(SchoolPanel):
    """For a school's editors and reviewers: catalog entries overdue or due soon, and
    opinions not answered yet."""

    name = "dangwu_disclosures_due"
    template_name = "dangwu_wagtail/admin/disclosures_due_panel.html"
    order = 55

    def get_context_data(self, parent_context):
        from .compliance import ComplianceClock, State
        from .isolation import staff_catalogs
        from .models import Feedback

        request = parent_context["request"]
        catalogs = list(staff_catalogs(request.user))
        rows = []
        for compliance in ComplianceClock().of_catalogs(catalogs) if catalogs else []:
            for state in compliance.entries:
                if state.state in (State.OVERDUE, State.DUE_SOON):
                    rows.append((compliance.catalog, state))
        rows.sort(key=lambda row: (row[1].state != State.OVERDUE, row[1].due))
        unanswered = (
            Feedback.objects.filter(catalog__in=catalogs, answered_at__isnull=True).count()
            if catalogs
            else 0
        )
        return {
            **super().get_context_data(parent_context),
            "rows": rows,
            "unanswered": unanswered,
            "request": request,
        }


class EmailProblemsPanel(Component):
    """For superusers: emails the mail server has refused so far (waiting for their next
    attempt) or that were given up, with the last error."""

    name = "dangwu_email_problems"
    template_name = "dangwu_wagtail/admin/email_problems_panel.html"
    order = 45
    SHOWN = 20
    GIVEN_UP_DAYS = 30

    @staticmethod
    def is_for(user):
        # Emails name what they are about, internal items included: superusers only.
        return user.is_superuser

    def get_context_data(self, parent_context):
        from .models import EmailStatus, OutgoingEmail

        since = timezone.now() - datetime.timedelta(days=self.GIVEN_UP_DAYS)
        problems = OutgoingEmail.objects.filter(
            Q(status=EmailStatus.QUEUED, attempts__gt=0)
            | Q(status=EmailStatus.FAILED, created_at__gte=since)
        ).order_by("status", "-created_at")
        rows = list(problems[: self.SHOWN])
        return {
            **super().get_context_data(parent_context),
            "rows": rows,
            "count": len(rows) if len(rows) < self.SHOWN else problems.count(),
            "request": parent_context["request"],
        }


PANELS = [
    EmailProblemsPanel,
    OverdueSchedulePanel,
    DisclosuresDuePanel,
    RequestsDuePanel,
    SentBackPanel,
]


def construct_homepage_panels(request, panels):
    panels.extend(panel() for panel in PANELS if panel.is_for(request.user))

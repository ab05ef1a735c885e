"""The two steps of a school's workflows, as Wagtail ``Task`` types.

* ``ConfidentialityReviewTask`` (保密审查): the school's reviewers confirm that an item holds
  nothing secret and that its scope is right, or send it back with a written reason.
* ``SuperiorApprovalTask`` (上级党组织审批): the district's approvers accept a school's catalog
  adjustment, or send it back with a written reason.

Both record what the reviewer confirmed on their ``ReviewTaskState``, take a row lock so that
two reviewers acting at the same moment leave one outcome, and tell the next reviewers by
email through Django's task framework.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState

from ..inputs import join_sentences
from .choices import Scope
from .permission_testers import publishing_by_approval


class RejectionForm(forms.Form):
    """Sending back needs a written reason: the editor reads it on their dashboard."""

    comment = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("What must change before this can be approved. The editor reads it."),
        error_messages={"required": _("Write why it is sent back.")},
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Write why it is sent back."))
        return comment


class ApprovalForm(forms.Form):
    comment = forms.CharField(
        label=pgettext_lazy("review", "Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )


class ConfidentialityApprovalForm(ApprovalForm):
    """Passing the confidentiality review (保密审查) means confirming both statements."""

    nothing_secret = forms.BooleanField(
        label=_("It holds nothing secret (不涉及国家秘密、工作秘密和个人隐私)"),
        error_messages={"required": _("Confirm that it holds nothing secret.")},
    )
    scope_confirmed = forms.BooleanField(
        label=_("Its scope is right"),
        error_messages={"required": _("Confirm that its scope is right.")},
    )


class ReviewTaskState(TaskState):
    """A step of a school workflow, with what its reviewer confirmed."""

    nothing_secret = models.BooleanField(
        verbose_name=_("holds nothing secret"),
        default=False,
        help_text=_("The reviewer confirmed that it holds nothing secret."),
    )
    reviewed_scope = models.CharField(
        verbose_name=_("reviewed scope"),
        max_length=10,
        choices=Scope.choices,
        blank=True,
        help_text=_("The scope the reviewer confirmed as right."),
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")


class ReviewTask(AbstractGroupApprovalTask):
    """A group approval that needs a reason to send back and is safe against double action."""

    task_state_class = ReviewTaskState
    approval_form_class = ApprovalForm
    approve_label = pgettext_lazy("review action", "Approve")
    #: The approve action of the workflow's last step, which publishes: Wagtail would show
    #: “%(label)s and Publish”, which zh_Hans renders with a stray space (“通过 和发布”).
    approve_and_publish_label = pgettext_lazy("review action", "Approve and publish")

    class Meta:
        abstract = True

    def _user_in_groups(self, user):
        # Wagtail asks this of every task, one query each: the dashboard's review panel asks
        # it of the district's every school's review (200 queries at 200 schools). One query
        # a user and a kind of task gives the tasks their groups review, kept on the user as
        # Django keeps their permissions.
        if not user.is_authenticated:
            return False
        key = f"_dangwu_review_tasks_{type(self)._meta.label_lower}"
        if key not in user.__dict__:
            user.__dict__[key] = set(
                type(self).objects.filter(groups__in=user.groups.all()).values_list("pk", flat=True)
            )
        return self.pk in user.__dict__[key]

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            # Both open a form: a plain “approve” button would skip the confirmation.
            return [
                ("reject", gettext("Send back with a reason"), True),
                ("approve", str(self.approve_label), True),
            ]
        return []

    def get_form_for_action(self, action):
        if action == "reject":
            return RejectionForm
        return self.approval_form_class

    def get_template_for_action(self, action):
        # Wagtail's modal, posting to the add-on's action view, which says what was done.
        return "dangwu_wagtail/admin/review_action_modal.html"

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        # The edit view passes data it collected earlier: check it here, where it counts.
        form = self.get_form_for_action(action_name)(data=kwargs)
        if action_name not in ("approve", "reject") or not form.is_valid():
            raise PermissionDenied
        # Two reviewers acting at the same moment: the second waits for the first, then
        # finds the step finished and changes nothing.
        locked = (
            TaskState.objects.select_for_update().filter(pk=task_state.pk).values("status").get()
        )
        if locked["status"] != TaskState.STATUS_IN_PROGRESS:
            # The other reviewer decided first: change nothing; the page shows their outcome.
            return None
        task_state = task_state.specific
        data = dict(form.cleaned_data)
        if action_name == "approve" and (problems := self.approval_problems(task_state)):
            # Publishing would fail: send it back, saying why, rather than fail.
            action_name = "reject"
            data = {"comment": join_sentences(problems)}
        self.record_confirmation(task_state, data)
        if action_name == "approve":
            with publishing_by_approval():
                task_state.approve(user=user, comment=data.get("comment", ""))
        else:
            task_state.reject(user=user, comment=data["comment"])

    def record_confirmation(self, task_state, data):
        """Store what the reviewer confirmed on ``task_state`` before it is decided."""

    def approval_problems(self, task_state):
        """Messages saying why approving would fail; approval sends it back with them."""
        content = task_state.workflow_state.content_object.specific
        check = getattr(content, "adjustment_problems", None)
        return check() if check is not None else []


class ConfidentialityReviewTask(ReviewTask):
    """保密审查: the school's reviewers confirm an item holds nothing secret and its scope."""

    approval_form_class = ConfidentialityApprovalForm
    approve_label = _("Pass the confidentiality review")
    approve_and_publish_label = pgettext_lazy(
        "review action", "Pass the confidentiality review and publish"
    )

    class Meta:
        verbose_name = _("confidentiality review")
        verbose_name_plural = _("confidentiality reviews")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups confirm that an item holds nothing secret and that "
            "its scope is right, or send it back with a reason (保密审查)."
        )

    def record_confirmation(self, task_state, data):
        if data.pop("nothing_secret", False) and data.pop("scope_confirmed", False):
            task_state.nothing_secret = True
            # What approval publishes: the latest revision.
            content = task_state.workflow_state.content_object.get_latest_revision_as_object()
            task_state.reviewed_scope = getattr(content, "scope", "")
            task_state.save(update_fields=["nothing_secret", "reviewed_scope"])


class SuperiorApprovalTask(ReviewTask):
    """上级党组织审批: the district's approvers accept a school's catalog adjustment."""

    approve_label = _("Approve the catalog adjustment")
    approve_and_publish_label = pgettext_lazy(
        "review action", "Approve the catalog adjustment and publish"
    )

    class Meta:
        verbose_name = _("superior organisation approval")
        verbose_name_plural = _("superior organisation approvals")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups, the superior Party organisation, approve a change "
            "to a school's catalog or send it back with a reason (上级党组织审批)."
        )

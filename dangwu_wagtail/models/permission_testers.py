"""What a school's people may do to the pages of its column, beyond Wagtail's permissions.

Nothing is published without review: items are published when their workflow's last step is
approved, the column's page when the superior organisation approves a catalog adjustment.
The school's reviewers keep Wagtail's *publish* permission on their column, which lets them
unpublish (withdraw) an item, and only that; superusers keep every power.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from wagtail.models import PagePermissionTester

_approving = ContextVar("dangwu_wagtail_approving", default=False)


@contextmanager
def publishing_by_approval():
    """Within this block, publishing is the outcome of an approved workflow step: Wagtail
    publishes in the approver's name, and the approval is the permission."""
    token = _approving.set(True)
    try:
        yield
    finally:
        _approving.reset(token)


class ReviewedPagePermissionTester(PagePermissionTester):
    """Direct publishing is for superusers; everyone else goes through the workflow.

    The permissions a user holds on a column's page are those the school boundary lets reach
    it (``policies.SchoolPagePermissionPolicy``): Wagtail's own tester would count a grant on
    any ancestor, the host's root page included.
    """

    def __init__(self, user, page):
        super().__init__(user, page)
        actions_for = getattr(self.permission_policy, "actions_for", None)
        if self.user.is_active and not self.user.is_superuser:
            self.permissions = actions_for(user, page) if actions_for else set()

    def is_superuser(self):
        return self.user.is_active and self.user.is_superuser

    def can_publish(self):
        if _approving.get():
            return self.user.is_active and not self.page_is_root
        return self.is_superuser() and super().can_publish()

    def can_publish_subpage(self):
        return self.is_superuser() and super().can_publish_subpage()

    def can_set_view_restrictions(self):
        # The column's privacy is set by the add-on (privacy.sync_view_restrictions).
        return self.is_superuser()


class ItemPermissionTester(ReviewedPagePermissionTester):
    def can_copy_to(self, destination, recursive=False):
        return self.page.specific.copy_problem(destination) is None and super().can_copy_to(
            destination, recursive=recursive
        )

    def can_delete(self, ignore_bulk=False):
        # An item is a leaf: the live descendants Wagtail looks for, for someone who may
        # change but not publish, are the item itself, known without a query (the explorer
        # asks for every row of a column of hundreds of items).
        if (
            self.user.is_active
            and not self.user.is_superuser
            and self.page.is_leaf()
            and "change" in self.permissions
            and "publish" not in self.permissions
        ):
            return not self.page.live
        return super().can_delete(ignore_bulk=ignore_bulk)

    def can_unschedule(self):
        # Cancelling a scheduled publication withdraws, it does not publish.
        return self.user.is_active and (self.user.is_superuser or "publish" in self.permissions)


class CatalogPermissionTester(ReviewedPagePermissionTester):
    """The column's page changes only through a catalog adjustment; it is never removed,
    moved, copied or withdrawn by the school."""

    def can_unpublish(self):
        return self.is_superuser() and super().can_unpublish()

    def can_delete(self, ignore_bulk=False):
        return self.is_superuser() and super().can_delete(ignore_bulk=ignore_bulk)

    def can_copy(self):
        return self.is_superuser() and super().can_copy()


class SectionPermissionTester(CatalogPermissionTester):
    """The internal section is structure: its items are edited, the section is not."""

    def can_edit(self):
        return self.is_superuser() and super().can_edit()

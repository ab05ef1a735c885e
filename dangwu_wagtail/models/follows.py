"""``Follow``: a member follows a column, or one of its entries, and is emailed when a new
item appears there (``notifications.notify_followers``).

Following says nothing about what the follower may read: each email is sent only to
followers who may read the item at the time it is published (``privacy.can_view_item``), so
a follower who has left the school's groups gets its public items only.
"""

import uuid

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .catalog import Catalog
from .entries import CatalogEntry


class FollowQuerySet(models.QuerySet):
    def of_item(self, item):
        """The follows an item published under ``item``'s entry answers: its column's and
        its entry's."""
        return self.filter(catalog_id=item.entry.catalog_id).filter(
            Q(entry__isnull=True) | Q(entry_id=item.entry_id)
        )

    def toggle(self, user, catalog, entry=None):
        """Follow ``catalog`` (or its ``entry``) for ``user``, or stop following it when they
        do: whether they follow it now."""
        follows = self.filter(user=user, catalog=catalog, entry=entry)
        if follows.delete()[0]:
            return False
        try:
            with transaction.atomic():
                self.create(user=user, catalog=catalog, entry=entry)
        except IntegrityError:
            pass  # followed at the same moment, in another tab
        return True


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follower"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    catalog = models.ForeignKey(
        Catalog, verbose_name=_("column"), on_delete=models.CASCADE, related_name="follows"
    )
    entry = models.ForeignKey(
        CatalogEntry,
        verbose_name=_("catalog entry"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
        help_text=_("Empty: the whole column is followed."),
    )
    #: The key of the unfollow link in every email, which works without logging in.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("followed since"), default=timezone.now)

    objects = FollowQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "catalog"],
                condition=Q(entry__isnull=True),
                name="dangwu_follow_column_once",
            ),
            models.UniqueConstraint(
                fields=["user", "entry"],
                condition=Q(entry__isnull=False),
                name="dangwu_follow_entry_once",
            ),
        ]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")

    def __str__(self):
        return f"{self.user_id} → {self.entry_id or self.catalog_id}"

    @property
    def followed(self):
        """What is followed: the entry, or the column."""
        return self.entry if self.entry_id else self.catalog

"""``ListingVersion``: a token that changes whenever what a column lists changes.

The column's page caches its catalog listing (the entries and their newest items) under a key
that holds this token, so a cached listing is never served once an item of the column was
published, withdrawn, moved or deleted, or the catalog itself changed: the key is then new.
The token lives in the database, in its own table (never in a page revision, which a publish
would copy back over it), so every server of a site reads the same one whatever its cache. It
is random rather than a counter, so a database restored from a backup never meets a cached
listing of another state under the same key.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingVersion(models.Model):
    """The current version of what ``catalog`` lists; no row: its listing is not cached."""

    catalog = models.OneToOneField(
        "dangwu_wagtail.Catalog",
        verbose_name=_("disclosure column"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    version = models.UUIDField(verbose_name=_("version"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("listing version")
        verbose_name_plural = _("listing versions")

    def __str__(self):
        return f"{self.catalog_id}: {self.version}"

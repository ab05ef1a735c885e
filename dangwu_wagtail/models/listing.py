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

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .entries import CatalogEntry


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


class SitemapVersion(models.Model):
    """The current version of the site's pages as its sitemap lists them: one row, renewed
    once a change to a page, a view restriction or a site commits (``pages_changed``)."""

    version = models.UUIDField(verbose_name=_("version"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("sitemap version")
        verbose_name_plural = _("sitemap versions")

    def __str__(self):
        return str(self.version)


def sitemap_version():
    """The current ``SitemapVersion`` (one query; the row is made at the first ask)."""
    version = SitemapVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    if version is None:
        version = SitemapVersion.objects.get_or_create(pk=1)[0].version
    return version


def _renew_sitemap():
    SitemapVersion.objects.update_or_create(pk=1, defaults={"version": uuid.uuid4()})


def pages_changed():
    """Record that what the sitemap lists may have changed: once the change commits (as
    the frontend cache is purged), its kept files go. Renewed after the commit, not within
    the transaction: one row that every page's save wrote would hold each saving transaction
    up behind the others. A renewal that fails (the database gone after the commit) is
    logged, and the kept files expire after ``PAGE_CACHE_SECONDS``."""
    transaction.on_commit(_renew_sitemap, robust=True)


#: Fields of an item that its column's listing shows or depends on: a save that touches
#: none of them (a draft revision's bookkeeping) leaves the listing as it is.
LISTED_FIELDS = frozenset(
    {"title", "slug", "url_path", "path", "depth", "live", "scope", "formed_on", "entry"}
)


def listing_changed(catalog_id, *, create=False):
    """Record that what column ``catalog_id`` lists has changed: its cached listings go.

    A column without a ``ListingVersion`` has no cached listing, so there is nothing to renew;
    ``create`` (when the column is published) gives it one.
    """
    if catalog_id is None:
        return
    if create:
        ListingVersion.objects.update_or_create(
            catalog_id=catalog_id, defaults={"version": uuid.uuid4()}
        )
    else:
        ListingVersion.objects.filter(catalog_id=catalog_id).update(version=uuid.uuid4())


def every_listing_changed():
    """Record that what every column shows has changed (the working calendar its items'
    notice periods are counted with): every cached listing and page goes."""
    ListingVersion.objects.update(version=uuid.uuid4())


def restriction_changed(page):
    """A view restriction on ``page`` was added, changed or removed: the columns at, above or
    below it get a new version, so that no page kept for anonymous readers outlives it."""
    import swapper
    from django.db.models import Q

    Page = swapper.load_model("wagtailcore", "Page")

    steplen = Page.steplen
    ancestors = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    ids = list(
        Page.objects.filter(Q(path__startswith=page.path) | Q(path__in=ancestors))
        .filter(pk__in=ListingVersion.objects.values("catalog_id"))
        .values_list("pk", flat=True)
    )
    for catalog_id in ids:
        listing_changed(catalog_id)


def item_listing_changed(item, update_fields=None):
    """``listing_changed`` for ``item``'s column, unless the save touched nothing listed."""
    if update_fields is not None and not LISTED_FIELDS & {
        field.removesuffix("_id") for field in update_fields
    }:
        return
    # Wagtail's move signal sends the base page, which has no entry.
    entry_id = getattr(item, "entry_id", None)
    entries = CatalogEntry.objects.filter(**({"pk": entry_id} if entry_id else {"items": item.pk}))
    listing_changed(entries.values_list("catalog_id", flat=True).first())

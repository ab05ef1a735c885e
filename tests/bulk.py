"""Fast creation of many live items for tests that need a large column.

Page.save() (tree checks, full_clean, revisions) costs tens of milliseconds an item; here each
item is one insert into the page table and one into the item table, with the tree's paths
computed as treebeard would. The items are live, without revisions, each where its scope puts
it: public ones under the column, internal ones under its internal section.
"""

import datetime
from contextlib import contextmanager

import swapper
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.search.signal_handlers import post_save_signal_handler

from dangwu_wagtail.models import DisclosureItem, Scope
from dangwu_wagtail.models.listing import listing_changed

Page = swapper.load_model("wagtailcore", "Page")


@contextmanager
def search_index_paused():
    """Skip indexing while loading: tests of query counts don't search the index."""
    post_save.disconnect(post_save_signal_handler, sender=DisclosureItem)
    try:
        yield
    finally:
        post_save.connect(post_save_signal_handler, sender=DisclosureItem)


def bulk_add_items(catalog, count, *, start=0):
    """Add ``count`` live items to ``catalog``, spread over its entries, alternating scope."""
    entries = list(catalog.entries.all())
    content_type = ContentType.objects.get_for_model(DisclosureItem)
    now = timezone.now()
    parents = {
        Scope.PUBLIC: Page.objects.get(pk=catalog.pk),
        Scope.INTERNAL: Page.objects.get(pk=catalog.internal_section_id),
    }
    steps = {}
    for scope, parent in parents.items():
        last = parent.get_last_child()
        steps[scope] = Page._str2int(last.path[-Page.steplen :]) if last else 0
    added = {Scope.PUBLIC: 0, Scope.INTERNAL: 0}
    for n in range(start, start + count):
        scope = Scope.PUBLIC if n % 2 else Scope.INTERNAL
        parent = parents[scope]
        steps[scope] += 1
        slug = f"bulk-item-{n}"
        item = DisclosureItem(
            title=f"Item {n}",
            draft_title=f"Item {n}",
            slug=slug,
            path=Page._get_path(parent.path, parent.depth + 1, steps[scope]),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{slug}/",
            content_type=content_type,
            locale_id=parent.locale_id,
            live=True,
            first_published_at=now,
            last_published_at=now,
            entry=entries[n % len(entries)],
            scope=scope,
            formed_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            body=f"<p>Body of item {n}</p>",
        )
        # save_base() inserts the page row and the item row, skipping Page.save().
        with search_index_paused():
            item.save_base()
        added[scope] += 1
    for scope, parent in parents.items():
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + added[scope])
    # As publishing would: the column's cached listings go.
    listing_changed(catalog.pk)

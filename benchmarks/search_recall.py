r"""Recall and precision of Chinese search, the index's size and the time to index 1,000 items.

Run it from the repository root, on SQLite (the default) or PostgreSQL::

    .venv/bin/python benchmarks/search_recall.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangwu_bench \
        .venv/bin/python benchmarks/search_recall.py

It creates its own test database (and drops it) and sets up one committee column.

**Recall and precision.** One public item for each paragraph of the district plan's
appendices (附件一 to 三, which the search tests never use; ``tests/search_corpus.py``): a
short one as the item's title, a longer one as its body. The words are every substring of
that text of two to seven Chinese characters that CC-CEDICT lists (not a segmenter's
words). Each word is searched three ways: the host's stock search view
(``Page.objects.live().search``), the admin's page search (``page_filter_search``,
autocomplete) and the column's search. Recall counts the (word, item) pairs found; a result
is precise when its text holds the word as written. Queries of two words typed without a
space (an item's longest word and another of its words, not next to it) should find the
items holding both, and only them. It is measured with the add-on's backend
(``dangwu_wagtail.search_backend``), then with Wagtail's own database backend on the same
index, which is what a site gets that keeps Wagtail's backend.

**Size and time.** 1,000 public items whose bodies are four paragraphs of the plan each;
each is indexed again (``index.insert_or_update_object``, as a publish does), timed; the
index's size is the growth of the database (SQLite) or of the index table (PostgreSQL).
Then the same without the add-on's two fields, which is Wagtail's own indexing.
"""

import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"

ITEMS_FOR_SIZE = 1000


def index_size():
    """Bytes the search index takes: the database (SQLite) or the index table (PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('wagtailsearch_indexentry')")
            return cursor.fetchone()[0]
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return pages * cursor.fetchone()[0]


def reindex(items):
    """Seconds to index ``items`` again, one at a time, and the index's growth in bytes."""
    from django.db import connection
    from wagtail.search import index
    from wagtail.search.models import IndexEntry

    def compact():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM FULL wagtailsearch_indexentry")
            else:
                cursor.execute("VACUUM")

    IndexEntry.objects.filter(object_id__in=[str(item.pk) for item in items]).delete()
    compact()
    before = index_size()
    start = time.perf_counter()
    for item in items:
        index.insert_or_update_object(item)
    seconds = time.perf_counter() - start
    compact()
    return seconds, index_size() - before


def size_items(catalog):
    from dangwu_wagtail.models import DisclosureItem
    from tests.search_corpus import paragraphs

    texts = paragraphs("body") + paragraphs("appendices")
    entry = catalog.entries.get(number=8)
    items = []
    for number in range(ITEMS_FOR_SIZE):
        body = "".join(f"<p>{texts[(number * 4 + k) % len(texts)]}</p>" for k in range(4))
        item = DisclosureItem(title=f"公开事项{number}", entry=entry, body=body, live=True)
        items.append(catalog.add_item(item))
    return items


def main():
    import django

    django.setup()

    from django.db import connection
    from django.test.utils import override_settings

    from benchmarks.privacy_scale import Databases, make_site
    from dangwu_wagtail.models import DisclosureItem
    from dangwu_wagtail.schools import setup_school
    from tests.search_corpus import (
        admin_search,
        catalog_search,
        file_paragraphs,
        measure,
        measure_pairs,
        paragraphs,
        stock_search,
    )

    stock_backend = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    databases = Databases()
    lines = []
    try:
        databases.create_base()
        databases.use(databases.base_name)
        vendor = connection.vendor
        home = make_site()
        catalog = setup_school(home, "检索测试中学党委", "committee").catalog
        texts = paragraphs("appendices")
        items = file_paragraphs(catalog, texts)
        lines.append(
            f"{len(items)} items from {len(texts)} paragraphs of the appendices, "
            f"{sum(len(t) for t in items.values())} characters, on {vendor}"
        )
        searches = {"stock search": stock_search, "admin search": admin_search}
        for backend_name, backends in (
            ("dangwu_wagtail.search_backend", None),
            ("wagtail.search.backends.database", stock_backend),
        ):
            lines.append(f"with {backend_name}:")
            with override_settings(**({"WAGTAILSEARCH_BACKENDS": backends} if backends else {})):
                for name, search in searches.items():
                    result = measure(items, search)
                    lines.append(f"  {name:<14} {result}")
                    if result.missed:
                        lines.append(f"      not found: {' '.join(result.missed[:25])}")
                    if result.imprecise:
                        lines.append(f"      imprecise: {' '.join(result.imprecise[:25])}")
                    result = measure_pairs(items, search)
                    lines.append(f"  {name:<14} two words without a space: {result}")
        result = measure(items, catalog_search)
        lines.append(f"column search (the database, either backend): {result}")
        if result.missed:
            lines.append(f"      not found: {' '.join(result.missed[:25])}")
        result = measure_pairs(items, catalog_search)
        lines.append(f"column search, two words without a space: {result}")

        DisclosureItem.objects.all().delete()
        created = size_items(catalog)
        chars = sum(len(item.body) for item in created)
        seconds, size = reindex(created)
        lines.append(
            f"{len(created)} items of {chars // len(created)} characters of HTML each: indexing "
            f"{seconds:.1f} s, index {size / 1e6:.1f} MB with the add-on's fields"
        )
        DisclosureItem.search_bigrams = lambda self: ""
        DisclosureItem.search_words = lambda self: ""
        seconds, size = reindex(created)
        lines.append(
            f"{len(created)} items, Wagtail's own fields only: indexing {seconds:.1f} s, "
            f"index {size / 1e6:.1f} MB"
        )
    finally:
        databases.drop_all()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The column's pages cost the same number of queries whatever the number of items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangwu_wagtail.models import DisclosureItem
from tests.bulk import bulk_add_items


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("reader", ["anonymous", "member_a", "supervisor"])
def test_catalog_page_queries_do_not_grow_with_items(client, school_a, users, reader):
    if reader != "anonymous":
        client.force_login(users[reader])
    # The second entry gets a public item among the first ten: its list is never empty.
    entry = list(school_a.entries.all())[1]
    entry_url = school_a.subpage_url("entry", entry.pk)
    search_url = school_a.subpage_url("search") + "?q=Item"
    urls = [school_a.url, entry_url, search_url, school_a.subpage_url("feed")]

    bulk_add_items(school_a, 10)
    small = [queries_for(client, url) for url in urls]
    small_cached = queries_for(client, school_a.url)
    bulk_add_items(school_a, 490, start=10)
    large = [queries_for(client, url) for url in urls]
    large_cached = queries_for(client, school_a.url)

    assert large == small
    # Once the column's listing is cached, its page reads no item at all.
    assert large_cached == small_cached < small[0]


@pytest.mark.parametrize("reader", ["anonymous", "member_a"])
def test_item_page_queries_do_not_grow_with_items(client, school_a, users, reader):
    if reader != "anonymous":
        client.force_login(users[reader])
    bulk_add_items(school_a, 10)
    item = DisclosureItem.objects.get(slug="bulk-item-5")
    urls = [item.url, "/sitemap.xml"]
    small = [queries_for(client, url) for url in urls]
    bulk_add_items(school_a, 490, start=10)
    assert [queries_for(client, url) for url in urls] == small


@pytest.mark.parametrize("reader", ["anonymous", "member_a"])
def test_feeds_export_and_sitemap_queries_do_not_grow_with_items(client, school_a, users, reader):
    if reader != "anonymous":
        client.force_login(users[reader])
    urls = ["/members/feed/", school_a.subpage_url("feed"), "/sitemap.xml"]

    bulk_add_items(school_a, 10)
    small = [queries_for(client, url) for url in urls]
    bulk_add_items(school_a, 490, start=10)
    large = [queries_for(client, url) for url in urls]

    assert large == small


def test_export_queries_do_not_grow_with_items(client, school_a):
    # The export lists every public item with its tags and attachments, prefetched.
    bulk_add_items(school_a, 10)
    small = queries_for(client, school_a.subpage_url("export"))
    bulk_add_items(school_a, 490, start=10)
    large = queries_for(client, school_a.subpage_url("export"))
    assert large == small


@pytest.mark.parametrize("reader", ["editor_a", "reviewer_a", "supervisor"])
def test_dashboard_queries_do_not_grow_with_items(client, school_a, users, reader):
    from django.urls import reverse

    client.force_login(users[reader])
    bulk_add_items(school_a, 10)
    queries_for(client, reverse("wagtailadmin_home"))  # the first request fills caches
    small = queries_for(client, reverse("wagtailadmin_home"))
    bulk_add_items(school_a, 490, start=10)
    large = queries_for(client, reverse("wagtailadmin_home"))
    assert large == small

"""A host site's own page types built on the add-on's (``tests.testapp.HostDisclosureItem``):
the add-on's receivers and privacy serve them as they serve its own."""

import datetime
from urllib.parse import unquote

from wagtail.search.backends import get_search_backend

from dangwu_wagtail.models import ListingVersion, Scope
from tests.test_caching import purged_paths
from tests.testapp.frontend_cache import PURGED
from tests.testapp.models import HostDisclosureItem


def add_host_item(catalog, title, scope, number):
    item = HostDisclosureItem(
        title=title,
        entry=catalog.entries.get(number=number),
        scope=scope,
        formed_on=datetime.date(2026, 9, 1),
        source_note="host",
    )
    catalog.add_item(item)
    item.save_revision().publish()
    return item


def version(catalog):
    return ListingVersion.objects.get(catalog=catalog).version


def test_an_internal_host_item_is_refused_to_outsiders(client, school_a, users):
    item = add_host_item(school_a, "HOSTINTERNAL", Scope.INTERNAL, 1)
    anonymous = client.get(item.url)
    assert anonymous.status_code == 302 and "HOSTINTERNAL" not in anonymous.content.decode()
    client.force_login(users["member_b"])
    assert client.get(item.url).status_code == 404
    client.force_login(users["member_a"])
    response = client.get(item.url)
    assert response.status_code == 200 and "HOSTINTERNAL" in response.content.decode()


def test_publishing_and_unpublishing_a_host_item_renew_the_listing_and_purge(
    school_a, django_capture_on_commit_callbacks
):
    PURGED.clear()
    before = version(school_a)
    with django_capture_on_commit_callbacks(execute=True):
        item = add_host_item(school_a, "HOSTPUBLIC", Scope.PUBLIC, 5)
    after_publish = version(school_a)
    assert after_publish != before
    # The frontend cache is asked to forget the item and its column.
    assert {unquote(item.url), unquote(school_a.url)} <= purged_paths(PURGED)
    PURGED.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item.unpublish()
    assert version(school_a) != after_publish
    assert {unquote(item.url), unquote(school_a.url)} <= purged_paths(PURGED)


def test_a_host_item_made_internal_leaves_the_search_index(school_a):
    item = add_host_item(school_a, "HOSTWORD", Scope.PUBLIC, 5)
    backend = get_search_backend()
    assert [page.pk for page in backend.search("HOSTWORD", HostDisclosureItem)] == [item.pk]
    item.scope = Scope.INTERNAL
    item.save(update_fields=["scope"])
    assert list(backend.search("HOSTWORD", HostDisclosureItem)) == []

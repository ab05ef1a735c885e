"""Caching that is safe with privacy: anonymous pages may be shared, members' never, and a
change of an item purges what it changes from the frontend cache."""

from urllib.parse import unquote

import pytest
from django.test import Client

from tests.conftest import add_item
from tests.test_admin import edit_item_data
from tests.testapp.frontend_cache import PURGED


@pytest.fixture
def purged(django_capture_on_commit_callbacks):
    PURGED.clear()
    yield PURGED
    PURGED.clear()


def test_anonymous_pages_may_be_shared_members_pages_never(school_a, items_a, users):
    anonymous = Client()
    for url in (
        school_a.url,
        items_a["public"].url,
        school_a.subpage_url("entry", items_a["public"].entry_id),
    ):
        response = anonymous.get(url)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
    member = Client()
    member.force_login(users["member_a"])
    for url in (school_a.url, items_a["public"].url, items_a["internal"].url):
        response = member.get(url)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
    # The column's search gives every anonymous reader the same results.
    response = anonymous.get(school_a.url + "search/?q=x")
    assert "public" in response["Cache-Control"]
    # The way to the login page is not kept: the address answers a member with the item.
    response = anonymous.get(items_a["internal"].url)
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]


def purged_paths(purged):
    return {unquote(url.replace("http://localhost", "")) for url in purged}


def test_publishing_an_item_purges_its_column(school_a, purged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = add_item(school_a, "New notice", number=8)
    paths = purged_paths(purged)
    expected = [item.url, school_a.url, school_a.subpage_url("entry", item.entry_id)]
    expected += [school_a.subpage_url("feed"), school_a.subpage_url("export"), "/members/feed/"]
    assert {unquote(url) for url in expected} <= paths


def test_unpublishing_purges_too(school_a, items_a, purged, django_capture_on_commit_callbacks):
    item = items_a["public"]
    with django_capture_on_commit_callbacks(execute=True):
        item.unpublish()
    assert {unquote(item.url), unquote(school_a.url)} <= purged_paths(purged)


def test_a_scope_change_purges_the_old_public_address(
    client, school_a, items_a, users, purged, django_capture_on_commit_callbacks
):
    item = items_a["public"]
    old_url = item.url
    client.force_login(users["superuser"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/pages/{item.pk}/edit/",
            edit_item_data(item, scope="internal", **{"action-publish": "1"}),
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.url != old_url and "/internal/" in item.url
    assert {unquote(url) for url in (old_url, item.url, school_a.url)} <= purged_paths(purged)
    # And the anonymous reader no longer finds it at the old address.
    assert Client().get(old_url).status_code == 404

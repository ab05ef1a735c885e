"""Caching that is safe with privacy: anonymous pages may be shared, members' never, and a
change of an item purges what it changes from the frontend cache."""

import datetime
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import USERNAMES, add_item
from tests.test_admin import edit_item_data
from tests.test_privacy import INSIDERS
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


def test_publishing_an_item_purges_its_entrys_feed_and_the_archive(
    school_a, purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = add_item(school_a, "New notice", number=8, formed_on=datetime.date(2025, 6, 1))
    expected = [
        school_a.subpage_url("entry_feed", item.entry_id),
        school_a.subpage_url("archive"),
        school_a.subpage_url("archive_year", 2025),
    ]
    assert {unquote(url) for url in expected} <= purged_paths(purged)


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


# The column's listing in Django's cache: per audience, and new the moment anything listed
# changes, whichever reader filled the cache.


def page_html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def listing_queries(client, catalog):
    """The queries of one request of the column's page, and those that read its items."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(catalog.url)
    queries = [query["sql"] for query in context.captured_queries]
    return len(queries), [sql for sql in queries if "dangwu_wagtail_disclosureitem" in sql]


def test_the_listing_is_cached_and_costs_no_item_query(client, school_a, items_a):
    from django.core.cache import cache

    cache.clear()
    cold, cold_item_queries = listing_queries(client, school_a)
    warm, warm_item_queries = listing_queries(client, school_a)
    assert cold_item_queries and not warm_item_queries
    assert warm < cold


def test_the_listing_is_not_cached_when_switched_off(client, school_a, items_a, settings):
    settings.DANGWU_WAGTAIL = {"LISTING_CACHE_SECONDS": 0}
    client.get(school_a.url)  # Wagtail's own cache (the sites' root paths) filled
    first = listing_queries(client, school_a)
    second = listing_queries(client, school_a)
    assert second == first and second[1]


#: The school's own people: offered the opinion form on its items' pages.
OWN_PEOPLE = {"member_a", "editor_a", "reviewer_a"}


def client_of(users, reader):
    client = Client()
    if reader != "anonymous":
        client.force_login(users[reader])
    return client


@pytest.mark.parametrize("warmed_by", ["anonymous", *USERNAMES])
def test_a_kept_item_page_shows_each_reader_what_they_may_see(school_a, items_a, users, warmed_by):
    """The item's notice is kept per audience, as the column's listing: whoever filled the
    cache, every reader then gets the neighbours their audience may see, and only the
    school's own people the opinion form."""
    from django.core.cache import cache

    from dangwu_wagtail.models import Scope

    public = items_a["public"]
    add_item(
        school_a,
        "Internal NEIGHBOURWORD note",
        entry=public.entry,
        scope=Scope.INTERNAL,
        formed_on=public.formed_on + datetime.timedelta(days=1),
    )
    cache.clear()
    page_html(client_of(users, warmed_by), public)
    for reader in ["anonymous", *USERNAMES]:
        html = page_html(client_of(users, reader), public)
        assert ("NEIGHBOURWORD" in html) == (reader in INSIDERS), reader
        assert (f"?item={public.pk}" in html) == (reader in OWN_PEOPLE), reader
        assert public.title in html


def test_a_kept_item_page_follows_its_neighbours_calendar_and_attachments(school_a, items_a):
    """What the item's page shows besides the item is kept with it, and renewed when it
    changes: a new neighbour, a holiday in its notice period, its attachment's title."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from dangwu_wagtail.models import DisclosureItemAttachment, Holiday
    from dangwu_wagtail.models.deadlines import add_working_days
    from dangwu_wagtail.templatetags.dangwu_wagtail_tags import notice_period

    document = get_document_model().objects.create(
        title="OLDTITLE", file=ContentFile(b"minutes", name="minutes.txt")
    )
    item = add_item(
        school_a,
        "Notice with an attachment",
        number=5,
        attachments=[DisclosureItemAttachment(document=document)],
    )
    item = type(item).objects.get(pk=item.pk)
    client = Client()
    html = page_html(client, item)
    assert page_html(client, item) == html and "OLDTITLE" in html
    add_item(school_a, "NEWERWORD notice", number=5, formed_on=item.formed_on)
    assert "NEWERWORD" in page_html(client, item)
    start, end, _days = notice_period(item)
    Holiday.objects.create(date=add_working_days(start, 1), name="校庆")
    later = notice_period(item)[1]
    assert later > end and later.isoformat() in page_html(client, item)
    document.title = "NEWTITLE"
    document.save()
    assert "NEWTITLE" in page_html(client, item)


@pytest.mark.parametrize("warmed_by", ["anonymous", *USERNAMES])
def test_a_cached_listing_shows_each_reader_what_they_may_see(school_a, items_a, users, warmed_by):
    """Whoever filled the cache, every reader then gets their own audience's listing."""
    from django.core.cache import cache

    cache.clear()
    page_html(client_of(users, warmed_by), school_a)
    for reader in ["anonymous", *USERNAMES]:
        html = page_html(client_of(users, reader), school_a)
        assert (items_a["internal"].title in html) == (reader in INSIDERS), reader
        assert items_a["public"].title in html
        assert items_a["draft"].title not in html


def test_every_change_of_what_a_column_lists_shows_at_once(client, school_a, items_a, users):
    """With the listing cached before each step, each step is seen on the next request."""
    from wagtail.actions.move_page import MovePageAction

    from dangwu_wagtail.models import DisclosureItem, Scope

    member = Client()
    member.force_login(users["member_a"])
    page_html(client, school_a)

    item = add_item(school_a, "Fresh NEWWORD notice", number=5)
    assert "NEWWORD" in page_html(client, school_a)

    item.title = "Renamed RENAMEDWORD notice"
    item.save_revision().publish()
    html = page_html(client, school_a)
    assert "RENAMEDWORD" in html and "NEWWORD" not in html

    item.scope = Scope.INTERNAL
    item.save_revision().publish()
    assert "RENAMEDWORD" not in page_html(client, school_a)
    assert "RENAMEDWORD" in page_html(member, school_a)

    item = DisclosureItem.objects.get(pk=item.pk)
    item.unpublish()
    assert "RENAMEDWORD" not in page_html(member, school_a)

    public = DisclosureItem.objects.get(pk=items_a["public"].pk)
    old_url = public.url
    MovePageAction(public, school_a.internal_section, pos="last-child").execute()
    public = DisclosureItem.objects.get(pk=public.pk)
    html = page_html(client, school_a)
    assert public.url != old_url and public.url in html and old_url not in html

    public.delete()
    assert items_a["public"].title not in page_html(client, school_a)

    # Scheduled expiry: publish_scheduled unpublishes the base page.
    expiring = add_item(school_a, "Expiring EXPIREWORD notice", number=5)
    assert "EXPIREWORD" in page_html(client, school_a)
    expiring.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    expiring.save(update_fields=["expire_at"])
    call_command("publish_scheduled")
    assert "EXPIREWORD" not in page_html(client, school_a)

    catalog = school_a.get_latest_revision_as_object()
    entries = list(catalog.entries.all())
    next(entry for entry in entries if entry.number == 5).title = "Renamed ENTRYWORD entry"
    catalog.entries = entries
    catalog.save_revision().publish()
    assert "ENTRYWORD" in page_html(client, school_a)


def test_a_draft_leaves_the_cached_listing_in_place(client, school_a, items_a):
    page_html(client, school_a)
    item = items_a["public"]
    item.title = "Draft DRAFTTITLE"
    item.save_revision()
    queries, item_queries = listing_queries(client, school_a)
    assert not item_queries
    assert "DRAFTTITLE" not in page_html(client, school_a)


def test_a_preview_neither_reads_nor_fills_the_cache(client, school_a, items_a):
    page_html(client, school_a)
    catalog = school_a.get_latest_revision_as_object()
    entries = list(catalog.entries.all())
    next(entry for entry in entries if entry.number == 5).title = "Previewed PREVIEWWORD entry"
    catalog.entries = entries
    preview = catalog.make_preview_request()
    assert "PREVIEWWORD" in preview.content.decode()
    assert "PREVIEWWORD" not in page_html(client, school_a)

"""The anonymous page cache (``PageCacheMiddleware``): an anonymous reader's page of a column
or of a public item is kept whole and served again, and nobody else ever gets it; whatever
renews the column's listing renews it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dangwu_wagtail.caching import PAGE_CACHE_PREFIX
from tests.conftest import USERNAMES, add_item
from tests.test_privacy import INSIDERS

MIDDLEWARE_AFTER = "django.middleware.locale.LocaleMiddleware"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The test settings' middleware with the page cache where the README puts it."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index(MIDDLEWARE_AFTER) + 1, "dangwu_wagtail.caching.PageCacheMiddleware"
    )
    settings.MIDDLEWARE = middleware
    cache.clear()
    yield
    cache.clear()


def get(client, url):
    """The response to ``url`` and the number of queries it cost."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response, len(context.captured_queries)


def client_of(users, reader):
    client = Client()
    if reader != "anonymous":
        client.force_login(users[reader])
    return client


def reading_urls(school, items):
    return [
        school.url,
        school.subpage_url("entry", items["public"].entry_id),
        school.subpage_url("search") + "?q=plan",
        items["public"].url,
    ]


def test_an_anonymous_page_is_served_again_from_the_cache(client, school_a, items_a):
    for url in reading_urls(school_a, items_a):
        first, rendered = get(client, url)
        again, kept = get(client, url)
        assert first.status_code == again.status_code == 200
        assert again.content == first.content
        # One query: the column's listing version, to know the kept page is current.
        assert kept == 1 < rendered, url
        assert "public" in again["Cache-Control"] and "Cookie" in again["Vary"]


@pytest.mark.parametrize("first", ["anonymous", *USERNAMES])
def test_nobody_gets_a_page_kept_for_someone_else(school_a, items_a, users, first):
    """Whoever came first, each reader then gets their own page: an insider never the
    anonymous one, an outsider never an insider's."""
    urls = [school_a.url, items_a["public"].url]
    for url in urls:
        get(client_of(users, first), url)
    for reader in ["anonymous", *USERNAMES]:
        for url in urls:
            response, queries = get(client_of(users, reader), url)
            assert response.status_code == 200
            html = response.content.decode()
            if url == school_a.url:
                assert (items_a["internal"].title in html) == (reader in INSIDERS), reader
            if reader != "anonymous":
                # A logged-in reader's page is rendered for them, never taken from the cache.
                assert queries > 1, (reader, url)
                assert "private" in response["Cache-Control"]


def test_a_logged_in_readers_page_is_not_kept(school_a, items_a, users):
    for reader in USERNAMES:
        get(client_of(users, reader), school_a.url)
    _response, queries = get(Client(), school_a.url)
    assert queries > 1  # nothing was kept: the anonymous page is rendered


def test_an_internal_item_is_never_kept(school_a, items_a, users):
    for reader in ["anonymous", *USERNAMES]:
        client = client_of(users, reader)
        for url in [*reading_urls(school_a, items_a), items_a["internal"].url]:
            client.get(url)
            client.get(url)
    response, _queries = get(Client(), items_a["internal"].url)
    assert response.status_code == 302  # to the login page, as without the cache
    # The page cache's entries (the same cache also holds the insiders' listings, under
    # keys of their own that name the audience).
    kept = [value for key, value in cache._cache.items() if PAGE_CACHE_PREFIX in key]
    assert kept
    assert not any(b"SECRETWORD" in value for value in kept)


def test_publishing_unpublishing_and_a_scope_change_renew_the_kept_pages(client, school_a, items_a):
    from dangwu_wagtail.models import DisclosureItem, Scope

    def html(url):
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    assert "NEWWORD" not in html(school_a.url)
    item = add_item(school_a, "Fresh NEWWORD notice", number=5, scope=Scope.PUBLIC)
    assert "NEWWORD" in html(school_a.url)
    assert "NEWWORD" in html(item.url)

    item.title = "Renamed RENAMEDWORD notice"
    item.save_revision().publish()
    assert "RENAMEDWORD" in html(school_a.url) and "RENAMEDWORD" in html(item.url)

    old_url = item.url
    item = DisclosureItem.objects.get(pk=item.pk)
    item.scope = Scope.INTERNAL
    item.save_revision().publish()
    assert "RENAMEDWORD" not in html(school_a.url)
    assert client.get(old_url).status_code == 404

    public = DisclosureItem.objects.get(pk=items_a["public"].pk)
    assert public.title in html(public.url)
    public.unpublish()
    assert public.title not in html(school_a.url)
    assert client.get(public.url).status_code == 404


def test_a_page_with_a_form_is_not_kept(client, school_a, settings):
    settings.DANGWU_WAGTAIL = {"ANONYMOUS_REQUESTS": True}
    url = school_a.subpage_url("request")
    first, rendered = get(client, url)
    assert first.status_code == 200 and "csrfmiddlewaretoken" in first.content.decode()
    again, queries = get(Client(), url)
    assert again.status_code == 200 and queries > 1
    assert "csrftoken" in again.cookies


def test_the_page_cache_switched_off(client, school_a, settings):
    settings.DANGWU_WAGTAIL = {"PAGE_CACHE_SECONDS": 0}
    get(client, school_a.url)  # the listing cached
    _again, rendered = get(client, school_a.url)
    _once_more, queries = get(client, school_a.url)
    # Rendered each time: the page's own queries, not the page cache's one.
    assert queries == rendered > 1


def test_a_column_restricted_to_logged_in_readers_is_no_longer_served_from_the_cache(
    client, school_a, items_a
):
    from wagtail.models import PageViewRestriction

    for url in (school_a.url, items_a["public"].url):
        assert client.get(url).status_code == 200
        assert get(client, url)[1] == 1  # kept
    restriction = PageViewRestriction.objects.create(
        page=school_a, restriction_type=PageViewRestriction.LOGIN
    )
    for url in (school_a.url, items_a["public"].url):
        assert client.get(url).status_code == 302, url
    restriction.delete()
    for url in (school_a.url, items_a["public"].url):
        assert client.get(url).status_code == 200, url

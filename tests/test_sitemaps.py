"""The add-on's sitemap (``dangwu_wagtail.sitemaps.Sitemap``) and ``exclude_private_pages``.

``exclude_private_pages`` must leave out exactly the pages Wagtail's ``.public()`` leaves out,
whatever the restrictions; the sitemap must list what Wagtail's own lists, file after file,
never an internal item, and cost the same number of queries however many items and schools
the district has. tests/urls.py serves it at /paged-sitemap.xml (1,000 pages a file) and at
/small-sitemap.xml (five a file); /sitemap.xml is Wagtail's own sitemap.
"""

import datetime
import math
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import swapper
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from dangwu_wagtail.models import DisclosureItem, InternalSection, Scope
from dangwu_wagtail.privacy import exclude_private_pages
from dangwu_wagtail.schools import setup_school
from tests.bulk import bulk_add_items
from tests.testapp.models import HomePage

Page = swapper.load_model("wagtailcore", "Page")

NS = {"sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def get(client, url):
    """GET ``url`` (absolute, as an index lists it, or a path) and return the response."""
    parts = urlsplit(url)
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""))


def index_files(client, url):
    response = get(client, url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert not root.findall("sitemap:sitemap/sitemap:lastmod", NS)
    return [loc.text for loc in root.findall("sitemap:sitemap/sitemap:loc", NS)]


def entries(response):
    """The (loc, lastmod) of each URL of a sitemap file, in order."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    return [
        (url.findtext("sitemap:loc", namespaces=NS), url.findtext("sitemap:lastmod", namespaces=NS))
        for url in root.findall("sitemap:url", NS)
    ]


def paged_entries(client, index_url):
    """Every entry of every file the sitemap index at ``index_url`` lists, in order."""
    return [entry for url in index_files(client, index_url) for entry in entries(get(client, url))]


def add_page(parent, title, *, restriction=None, password=""):
    page = parent.add_child(instance=HomePage(title=title, slug=title.lower().replace(" ", "-")))
    if restriction:
        PageViewRestriction.objects.create(
            page=page, restriction_type=restriction, password=password
        )
    return page


@pytest.fixture
def host_pages(home, school_a, users):
    """Host pages around the columns, with view restrictions at depths 3, 4 and 5 besides the
    internal sections' (depth 4): a password-protected host page, a login-only page inside a
    public one, a group-only page deeper down, and a restriction inside an internal section."""
    staff = add_page(home, "Staff room", restriction=PageViewRestriction.PASSWORD, password="x")
    add_page(add_page(staff, "Staff rota"), "Staff rota 2026")
    notices = add_page(home, "Notices")
    add_page(notices, "Open notice")
    closed = add_page(notices, "Closed notice", restriction=PageViewRestriction.LOGIN)
    add_page(closed, "Closed annex")
    open_annex = add_page(notices, "Open annex")
    teachers = add_page(open_annex, "Teachers only", restriction=PageViewRestriction.GROUPS)
    PageViewRestriction.objects.get(page=teachers).groups.set([Group.objects.first()])
    internal_item = DisclosureItem.objects.child_of(school_a.internal_section).first()
    PageViewRestriction.objects.create(
        page=internal_item, restriction_type=PageViewRestriction.LOGIN
    )
    return {"staff": staff, "notices": notices, "closed": closed, "teachers": teachers}


def querysets(home):
    return {
        "all pages": Page.objects.all(),
        "live pages": Page.objects.live(),
        "home's children": home.get_children().live(),
        "the site": home.get_descendants(inclusive=True).live(),
        "disclosure items": DisclosureItem.objects.all(),
    }


def assert_same_as_public(home):
    for name, queryset in querysets(home).items():
        expected = list(queryset.public().order_by("path").values_list("pk", flat=True))
        got = list(exclude_private_pages(queryset).order_by("path").values_list("pk", flat=True))
        assert got == expected, name


@pytest.mark.parametrize("scenario", ["the schools' sections", "several depths", "whole site"])
def test_exclude_private_pages_is_public(home, host_pages, scenario):
    if scenario == "the schools' sections":
        PageViewRestriction.objects.exclude(page__in=InternalSection.objects.all()).delete()
    elif scenario == "whole site":
        PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    depths = set(PageViewRestriction.objects.values_list("page__depth", flat=True))
    assert {
        "the schools' sections": {4},
        "several depths": {3, 4, 5},
        "whole site": {2, 3, 4, 5},
    }[scenario] == depths
    assert_same_as_public(home)


def test_exclude_private_pages_without_restrictions(home, host_pages):
    PageViewRestriction.objects.all().delete()
    assert_same_as_public(home)
    assert exclude_private_pages(Page.objects.all()).count() == Page.objects.count()


def test_exclude_private_pages_reads_the_restrictions_in_one_query(
    home, host_pages, django_assert_num_queries
):
    with django_assert_num_queries(1):
        pages = exclude_private_pages(home.get_descendants())
    titles = set(pages.values_list("title", flat=True))
    assert {"Notices", "Open notice", "Open annex", "Public OPENWORD plan"} <= titles
    hidden = {"Staff room", "Staff rota", "Staff rota 2026", "Closed notice", "Closed annex"}
    assert not hidden & titles
    assert "Teachers only" not in titles
    assert "Internal SECRETWORD minutes" not in titles


@pytest.mark.parametrize("reader", ["anonymous", "member_a", "superuser"])
def test_sitemap_lists_public_pages_only(client, users, items_a, host_pages, reader):
    if reader != "anonymous":
        client.force_login(users[reader])
    locations = [loc for loc, _lastmod in paged_entries(client, "/paged-sitemap.xml")]
    xml = "\n".join(locations)
    assert items_a["public"].full_url in locations
    assert host_pages["notices"].full_url in locations
    assert items_a["internal"].full_url not in xml
    assert items_a["draft"].full_url not in xml
    assert "/internal/" not in xml
    assert "SECRETWORD" not in xml
    for key in ("staff", "closed", "teachers"):
        # Neither the restricted page nor anything under it.
        assert host_pages[key].full_url not in xml


def test_sitemap_files_list_what_wagtails_sitemap_lists(client, school_a, school_b, host_pages):
    bulk_add_items(school_a, 23)
    bulk_add_items(school_b, 8)
    wagtails = entries(client.get("/sitemap.xml"))
    assert len(wagtails) > 20
    files = index_files(client, "/small-sitemap.xml")
    assert len(files) == math.ceil(len(wagtails) / 5)
    assert [entry for url in files for entry in entries(get(client, url))] == wagtails
    assert entries(client.get("/paged-sitemap-pages.xml")) == wagtails
    # Written without Django's template, the file is the bytes Django's template writes.
    assert client.get("/paged-sitemap-pages.xml").content == client.get("/sitemap.xml").content
    assert index_files(client, "/paged-sitemap.xml") == [
        "http://testserver/paged-sitemap-pages.xml"
    ]


def test_sitemap_last_modified_is_wagtails(client, items_a):
    Page.objects.filter(last_published_at=None).update(
        last_published_at=timezone.make_aware(datetime.datetime(2026, 1, 2, 3, 4))
    )
    wagtails = client.get("/sitemap.xml")
    ours = client.get("/paged-sitemap-pages.xml")
    assert entries(ours) == entries(wagtails)
    assert ours["Last-Modified"] == wagtails["Last-Modified"]
    assert all(lastmod for _loc, lastmod in entries(ours))


def test_item_made_internal_in_place_is_not_listed(client, items_a):
    """Should an internal item ever sit outside its internal section, its own
    get_sitemap_urls() keeps it out of Wagtail's sitemap: it stays out of ours too."""
    public = items_a["public"]
    DisclosureItem.objects.filter(pk=public.pk).update(scope=Scope.INTERNAL)
    assert public.full_url not in client.get("/sitemap.xml").content.decode()
    locations = [loc for loc, _lastmod in paged_entries(client, "/paged-sitemap.xml")]
    assert public.full_url not in locations
    assert locations == [loc for loc, _lastmod in entries(client.get("/sitemap.xml"))]


def test_sitemap_file_past_the_end_or_not_a_number_is_not_found(client, school_a):
    bulk_add_items(school_a, 12)
    files = index_files(client, "/small-sitemap.xml")
    assert len(files) >= 2
    last = int(urlsplit(files[-1]).query.removeprefix("p="))
    assert get(client, files[-1]).status_code == 200
    for page in [last + 1, 0, -1, "x", 2.5]:
        response = client.get("/small-sitemap-pages.xml", {"p": page})
        assert response.status_code == 404, page


SITEMAP_URLS = ["/paged-sitemap.xml", "/paged-sitemap-pages.xml"]


def sitemap_queries(client):
    """Queries of the sitemap index and of its first file, asked after a change (the file
    computed), then again (kept), with the number of URLs the file lists."""
    counts = []
    for url in SITEMAP_URLS:
        with CaptureQueriesContext(connection) as computed:
            client.get(url)
        with CaptureQueriesContext(connection) as kept:
            response = client.get(url)
        assert response.status_code == 200
        counts.append((len(computed), len(kept)))
    return counts, response.content.count(b"<url>")


def test_sitemap_queries_do_not_grow_with_items_or_schools(
    client, home, school_a, school_b, django_capture_on_commit_callbacks
):
    for url in SITEMAP_URLS:
        client.get(url)  # Wagtail's own caches (the sites' root paths) filled
    with django_capture_on_commit_callbacks(execute=True):
        bulk_add_items(school_a, 10)
    small, small_urls = sitemap_queries(client)

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            catalog = setup_school(home, f"C{n}中学党委", "committee").catalog
            bulk_add_items(catalog, 20)
        bulk_add_items(school_a, 290, start=10)
    large, large_urls = sitemap_queries(client)

    assert PageViewRestriction.objects.count() == 6
    assert large_urls >= small_urls + 4 * 10 + 140
    assert large == small
    assert all(kept < computed for computed, kept in small)


def test_kept_sitemap_files_follow_every_change(
    client, home, school_a, items_a, host_pages, django_capture_on_commit_callbacks
):
    """The index and its files are kept until a change to a page, a view restriction or a
    site commits: after each, what they list is what Wagtail's sitemap lists."""
    from django.test import override_settings
    from wagtail.models import Site

    def listed():
        kept = paged_entries(client, "/small-sitemap.xml")
        assert paged_entries(client, "/small-sitemap.xml") == kept
        assert kept == entries(client.get("/sitemap.xml"))
        with override_settings(DANGWU_WAGTAIL={"PAGE_CACHE_SECONDS": 0}):
            assert paged_entries(client, "/small-sitemap.xml") == kept
        return [loc for loc, _lastmod in kept]

    def changed(change):
        before = listed()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        after = listed()
        assert after != before
        return after

    notices = host_pages["notices"]
    new = HomePage(title="New notice", slug="new-notice")
    changed(lambda: notices.add_child(instance=new).save_revision().publish())
    moved = changed(lambda: Page.objects.get(pk=new.pk).move(home, "last-child"))
    assert Page.objects.get(pk=new.pk).full_url in moved
    changed(lambda: Page.objects.get(pk=new.pk).unpublish())
    changed(
        lambda: PageViewRestriction.objects.create(
            page=notices, restriction_type=PageViewRestriction.LOGIN
        )
    )
    changed(lambda: PageViewRestriction.objects.filter(page=notices).delete())
    changed(lambda: Page.objects.get(pk=items_a["public"].pk).delete())
    site = Site.objects.get(is_default_site=True)
    site.port = 8080
    changed(site.save)


URLSETS = {
    "a datetime, a date, none": [
        {"location": "http://a.test/x/", "lastmod": timezone.now()},
        {"location": "http://a.test/y/", "lastmod": datetime.date(2026, 2, 3)},
        {"location": "http://a.test/z/", "lastmod": None},
    ],
    "late in the evening UTC": [
        {
            "location": "http://a.test/late/",
            "lastmod": datetime.datetime(2026, 3, 4, 22, 30, tzinfo=datetime.UTC),
        }
    ],
    "what needs escaping": [
        {"location": 'http://a.test/?a=1&b="2"<3>', "lastmod": None, "changefreq": "daily & more"}
    ],
    "Django's own keys": [
        {
            "item": object(),
            "location": "http://a.test/",
            "lastmod": None,
            "changefreq": "weekly",
            "priority": "0.5",
            "alternates": [
                {"location": "http://a.test/en/", "lang_code": "en"},
                {"location": "http://a.test/zh/", "lang_code": "zh-hans"},
            ],
        }
    ],
    "a float priority, spaces": [
        {"location": " http://a.test/ ", "lastmod": None, "priority": 0.25, "changefreq": " "}
    ],
    "a key missing": [{"lastmod": "not a date"}],
    "nothing": [],
}


@pytest.mark.parametrize("urlset", URLSETS.values(), ids=URLSETS.keys())
@pytest.mark.parametrize("language", ["en", "zh-hans", "de"])
def test_urlset_writes_what_djangos_template_writes(urlset, language):
    from django.template.loader import render_to_string
    from django.utils import translation

    from dangwu_wagtail.sitemaps import URLSET

    with translation.override(language):
        assert URLSET.render({"urlset": urlset}) == render_to_string(
            "sitemap.xml", {"urlset": urlset}
        )

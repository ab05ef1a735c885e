"""Fixtures: a small district, built once per test database and rolled back after each test.

Every worker's test database gets a host site's home page, two schools (A, a committee; B, a
branch), one user of each kind the privacy rule names and three items of school A. Each test
runs in a transaction that is rolled back, so tests change this district freely.
"""

import datetime

import pytest
import swapper
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Site

from dangwu_wagtail.models import Catalog, DisclosureItem, Scope
from dangwu_wagtail.privacy import supervisors_group_name
from dangwu_wagtail.schools import setup_school
from tests.testapp.models import HomePage

Page = swapper.load_model("wagtailcore", "Page")

SCHOOL_A = "A中学党委"
SCHOOL_B = "B小学党支部"
USERNAMES = [
    "member_a",
    "editor_a",
    "reviewer_a",
    "member_b",
    "editor_b",
    "supervisor",
    "superuser",
]
#: School A's items: (key, title, entry number, scope, live, body). Each title and body
#: carries a word of its own, so a search for it finds that item or nothing.
ITEMS_A = [
    ("internal", "Internal SECRETWORD minutes", 1, "", True, "<p>SECRETWORD body</p>"),
    ("public", "Public OPENWORD plan", 5, "", True, "<p>OPENWORD body</p>"),
    ("draft", "Draft DRAFTWORD notice", 8, Scope.PUBLIC, False, "<p>DRAFTWORD body</p>"),
]


def make_user(username, *groups, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="password", email=f"{username}@example.com", **extra
    )
    user.groups.add(*groups)
    return user


def add_item(catalog, title, *, number=None, entry=None, scope=None, live=True, **fields):
    """File an item under ``catalog``'s entry ``number`` (or ``entry``), published if ``live``."""
    entry = entry or catalog.entries.get(number=number)
    item = DisclosureItem(
        title=title,
        entry=entry,
        scope=scope or "",
        formed_on=fields.pop("formed_on", datetime.date(2026, 9, 1)),
        live=live,
        **fields,
    )
    catalog.add_item(item)
    if live:
        item.save_revision().publish()
    return item


def build_district():
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Home", slug="home-page"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost"}
    )
    school_a = setup_school(home, SCHOOL_A, "committee").catalog
    school_b = setup_school(home, SCHOOL_B, "branch").catalog
    make_user("member_a", school_a.members_group)
    make_user("editor_a", school_a.editors_group)
    make_user("reviewer_a", school_a.reviewers_group)
    make_user("member_b", school_b.members_group)
    make_user("editor_b", school_b.editors_group)
    make_user("supervisor", Group.objects.get(name=supervisors_group_name()))
    make_user("superuser", is_superuser=True, is_staff=True)
    for _key, title, number, scope, live, body in ITEMS_A:
        add_item(school_a, title, number=number, scope=scope, live=live, body=body)


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with empty caches: the district is built once per test database, so
    its columns' listing versions are the same in every test, and what one test kept under
    them (after changing rows as no editor can, with ``update()``) must not reach the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request in another language (a reader's
    Accept-Language) leaves it active in the thread."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_district()


@pytest.fixture
def home(db):
    """The host site's home page, as a fresh site has it."""
    return HomePage.objects.get(slug="home-page")


@pytest.fixture
def school_a(db):
    return Catalog.objects.get(organisation_name=SCHOOL_A)


@pytest.fixture
def school_b(db):
    return Catalog.objects.get(organisation_name=SCHOOL_B)


@pytest.fixture
def users(db):
    """One reader of each kind the privacy rule names, fresh from the database."""
    User = get_user_model()
    return {username: User.objects.get(username=username) for username in USERNAMES}


@pytest.fixture
def items_a(school_a):
    """School A's items: internal (entry 1), public (entry 5) and a draft (entry 8)."""
    return {key: DisclosureItem.objects.get(title=title) for key, title, *_rest in ITEMS_A}


@pytest.fixture
def committed_district(transactional_db):
    """The district, committed, for tests whose threads need their own connections.

    pytest-django runs these tests after all the others of a worker; each ends by emptying
    the database, so the next one builds the district again.
    """
    if not Catalog.objects.filter(organisation_name=SCHOOL_A).exists():
        restore_wagtail_base()
        build_district()


def restore_wagtail_base():
    """Recreate what Wagtail's migrations put in an empty database: a locale, the root
    page and the root collection."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def pytest_terminal_summary(terminalreporter):
    """Print the admin crawl's figures (tests/test_admin_crawler.py): how many routes it
    found and crawled, and how many requests it made, per person."""
    rows = [
        value
        for report in terminalreporter.stats.get("passed", [])
        + terminalreporter.stats.get("failed", [])
        if report.when == "call"
        for name, value in report.user_properties
        if name == "admin_crawl"
    ]
    if not rows:
        return
    terminalreporter.section("admin crawl")
    for row in sorted(rows, key=lambda row: (row["kind"], row["person"])):
        terminalreporter.write_line(
            f"{row['kind']:5} as {row['person']:15} {row['crawled']:4} of {row['routes']} "
            f"routes, {row['probes']:5} requests"
        )
    terminalreporter.write_line(
        f"total: {sum(row['probes'] for row in rows)} requests, "
        f"{len({row['person'] for row in rows})} people"
    )

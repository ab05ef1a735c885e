import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from dangwu_wagtail.models import DisclosureItem, Scope
from dangwu_wagtail.privacy import supervisors_group_name
from dangwu_wagtail.schools import setup_school
from tests.testapp.models import HomePage


@pytest.fixture
def home(db):
    """The host site's home page, as a fresh site has it."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Home", slug="home-page"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost"}
    )
    return home


@pytest.fixture
def school_a(home):
    return setup_school(home, "A中学党委", "committee").catalog


@pytest.fixture
def school_b(home):
    return setup_school(home, "B小学党支部", "branch").catalog


def make_user(username, *groups, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="password", email=f"{username}@example.com", **extra
    )
    user.groups.add(*groups)
    return user


@pytest.fixture
def users(school_a, school_b):
    """One reader of each kind the privacy rule names."""
    supervisors = Group.objects.get(name=supervisors_group_name())
    return {
        "member_a": make_user("member_a", school_a.members_group),
        "editor_a": make_user("editor_a", school_a.editors_group),
        "reviewer_a": make_user("reviewer_a", school_a.reviewers_group),
        "member_b": make_user("member_b", school_b.members_group),
        "editor_b": make_user("editor_b", school_b.editors_group),
        "supervisor": make_user("supervisor", supervisors),
        "superuser": make_user("superuser", is_superuser=True, is_staff=True),
    }


def add_item(catalog, title, *, number=None, entry=None, scope=None, live=True, **fields):
    """File a published item under ``catalog``'s entry ``number`` (or ``entry``)."""
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


@pytest.fixture
def items_a(school_a):
    """School A's items: internal (entry 1), public (entry 5) and a draft (entry 8)."""
    return {
        "internal": add_item(school_a, "Internal decision of A", number=1),
        "public": add_item(school_a, "Study group of A", number=5, body="<p>Open to all</p>"),
        "draft": add_item(school_a, "Draft of A", number=8, scope=Scope.PUBLIC, live=False),
    }

"""The column's pages cost the same number of queries whatever the number of items, and the
add-on's admin menu items and dashboard panels cost nothing for the host's own editors."""

import datetime
import types
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import admin_menu, settings_menu

from dangwu_wagtail.models import DisclosureItem, DisclosureRequest, Holiday
from dangwu_wagtail.models.deadlines import add_working_days
from dangwu_wagtail.panels import RequestsDuePanel
from tests.bulk import bulk_add_items
from tests.conftest import make_user


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
    # The disclosure guide, the archive (its newest year, and 2020, of every bulk item so far)
    # and the entry's own feed.
    urls += [
        school_a.subpage_url("guide"),
        school_a.subpage_url("archive"),
        school_a.subpage_url("archive_year", 2020),
        school_a.subpage_url("entry_feed", entry.pk),
    ]

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


# The add-on's admin menu items and dashboard panels ------------------------------------------

#: The hooks through which the add-on adds menu items and dashboard panels.
MENU_AND_PANEL_HOOKS = [
    "register_admin_menu_item",
    "register_settings_menu_item",
    "construct_main_menu",
    "construct_settings_menu",
    "construct_homepage_panels",
]


def defined_by_addon(value):
    if not isinstance(value, type | types.FunctionType | types.MethodType):
        value = type(value)
    return (getattr(value, "__module__", None) or "").startswith("dangwu_wagtail")


def is_addon_hook(fn):
    """Whether ``fn`` is the add-on's: defined in it, or defined by wagtail-modeladmin for one
    of the add-on's registers (a closure over the add-on's ``ModelAdminGroup``)."""
    cells = []
    for cell in fn.__closure__ or ():
        try:
            cells.append(cell.cell_contents)
        except ValueError:  # an empty cell
            pass
    return defined_by_addon(fn) or any(defined_by_addon(value) for value in cells)


@contextmanager
def without_addon_menu_items_and_panels():
    """Wagtail's admin as it is without the add-on's menu items and dashboard panels: the
    add-on's hooks taken out, the menus built again from the others."""
    for name in MENU_AND_PANEL_HOOKS:
        hooks.get_hooks(name)  # Wagtail finds every app's hooks on the first call
    others = {
        name: [(fn, order) for fn, order in hooks._hooks.get(name, []) if not is_addon_hook(fn)]
        for name in MENU_AND_PANEL_HOOKS
    }
    removed = sum(len(hooks._hooks.get(name, [])) - len(others[name]) for name in others)
    assert removed >= 4  # the columns, the registers, Import members, the panels
    menus = [admin_menu, settings_menu]
    # Menu.registered_menu_items is a cached_property: built once from the hooks.
    built = [menu.__dict__.pop("registered_menu_items", None) for menu in menus]
    try:
        with mock.patch.dict(hooks._hooks, others):
            yield
    finally:
        for menu, items in zip(menus, built, strict=True):
            menu.__dict__.pop("registered_menu_items", None)
            if items is not None:
                menu.__dict__["registered_menu_items"] = items


@pytest.fixture
def host_editor(db):
    """One of the host site's own editors: in Wagtail's stock Editors group, which holds
    permissions on the root page, and nothing to do with a column."""
    return make_user("host_editor", Group.objects.get(name="Editors"))


@pytest.mark.parametrize("view", ["dashboard", "host page editor"])
def test_addon_menu_items_and_panels_cost_a_host_editor_no_query(client, home, host_editor, view):
    url = {
        "dashboard": reverse("wagtailadmin_home"),
        "host page editor": reverse("wagtailadmin_pages:edit", args=[home.pk]),
    }[view]
    client.force_login(host_editor)
    queries_for(client, url)  # the first request fills caches
    with_addon = queries_for(client, url)
    with without_addon_menu_items_and_panels():
        queries_for(client, url)
        without_addon = queries_for(client, url)
    assert with_addon == without_addon


def test_import_members_is_in_the_menu_of_a_schools_people_only(client, users, host_editor):
    def menu_of(user):
        client.force_login(user)
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        return response.content.decode()

    for username in ("editor_a", "reviewer_a", "superuser"):
        assert "Import members" in menu_of(users[username])
    for user in (host_editor, users["supervisor"]):
        assert "Import members" not in menu_of(user)


# The admin pages a school's people and the supervisors open -----------------------------------


def add_requests(catalog, count, *, start=0):
    """``count`` requests to ``catalog``, received over the last 40 days: some are overdue,
    some due soon, some not yet."""
    now = timezone.now()
    for n in range(start, start + count):
        DisclosureRequest.objects.receive(
            catalog,
            name=f"Requester {n}",
            phone="13812345678",
            subject=f"Subject {n}",
            description="Minutes of May.",
            received_at=now - datetime.timedelta(days=n * 7 % 40),
        )


def holiday_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query for query in context.captured_queries if "_holiday" in query["sql"]]


@pytest.fixture
def holidays(db):
    today = timezone.localdate()
    for days in (-20, -3, 2, 9):
        Holiday.objects.create(date=today + datetime.timedelta(days=days), name="节日")


def admin_urls(school, item):
    register = "dangwu_wagtail_disclosurerequest_modeladmin_index"
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "register of requests": reverse(register),
        "overdue requests": reverse(register) + "?deadline=overdue",
        "open requests": reverse(register) + "?deadline=open",
        "column in the explorer": reverse("wagtailadmin_explore", args=[school.pk]),
        "item editor": reverse("wagtailadmin_pages:edit", args=[item.pk]),
    }


@pytest.mark.parametrize("reader", ["editor_a", "reviewer_a", "supervisor"])
def test_admin_page_queries_do_not_grow_with_requests_and_items(
    client, school_a, items_a, users, holidays, reader
):
    client.force_login(users[reader])
    urls = admin_urls(school_a, items_a["public"])
    if reader == "supervisor":
        # Supervisors read the dashboard and the registers; the columns' pages they read as
        # readers do.
        del urls["item editor"], urls["column in the explorer"]
    add_requests(school_a, 10)
    bulk_add_items(school_a, 10)
    for url in urls.values():
        queries_for(client, url)  # the first request fills caches
    small = {name: queries_for(client, url) for name, url in urls.items()}
    add_requests(school_a, 50, start=10)
    bulk_add_items(school_a, 190, start=10)
    large = {name: queries_for(client, url) for name, url in urls.items()}
    assert large == small


@pytest.mark.parametrize("reader", ["editor_a", "supervisor"])
def test_due_dates_on_a_page_read_the_holidays_once(client, school_a, users, holidays, reader):
    client.force_login(users[reader])
    add_requests(school_a, 30)
    register = reverse("dangwu_wagtail_disclosurerequest_modeladmin_index")
    for url in (reverse("wagtailadmin_home"), register, register + "?deadline=overdue"):
        assert len(holiday_queries(client, url)) <= 1, url


def test_overdue_filter_and_panel_list_what_the_due_dates_say(client, school_a, users, holidays):
    add_requests(school_a, 40)
    today = timezone.localdate()
    requests = list(DisclosureRequest.objects.filter(catalog=school_a))
    overdue = {r.reference for r in requests if r.is_overdue}
    not_overdue = {r.reference for r in requests} - overdue
    assert overdue and not_overdue
    client.force_login(users["editor_a"])
    register = reverse("dangwu_wagtail_disclosurerequest_modeladmin_index")
    listed = client.get(register + "?deadline=overdue").content.decode()
    assert all(reference in listed for reference in overdue)
    assert not any(reference in listed for reference in not_overdue)

    soon = add_working_days(today, RequestsDuePanel.DUE_SOON)
    due = {r.reference for r in requests if r.due_date and r.due_date <= soon}
    assert due - overdue  # some are due soon, not overdue yet
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert all(reference in dashboard for reference in due)
    assert not any(reference in dashboard for reference in {r.reference for r in requests} - due)


@pytest.mark.parametrize("reader", ["editor_a", "reviewer_a", "supervisor"])
def test_admin_page_queries_do_not_grow_with_schools(
    client, home, school_a, items_a, users, holidays, reader
):
    """Each school brings its own review workflow and tasks: Wagtail asks every task
    whether the reader reviews it (the dashboard's review panel), which must not cost a
    query a school."""
    from dangwu_wagtail.schools import setup_school

    client.force_login(users[reader])
    urls = admin_urls(school_a, items_a["public"])
    if reader == "supervisor":
        del urls["item editor"], urls["column in the explorer"]
    add_requests(school_a, 5)
    for url in urls.values():
        queries_for(client, url)  # the first request fills caches
    few = {name: queries_for(client, url) for name, url in urls.items()}
    for n in range(4):
        setup_school(home, f"S{n}中学党委", "committee" if n % 2 else "branch")
    many = {name: queries_for(client, url) for name, url in urls.items()}
    assert many == few

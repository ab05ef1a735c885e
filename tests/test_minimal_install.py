"""A site with the add-on in INSTALLED_APPS only, before step 3 of the README's install steps
(no members' pages in its URLs, no login settings): readers of internal items log in on
Wagtail's own login page, not on Django's default ``/accounts/login/`` (a 404 there), and
check ``dangwu_wagtail.W006`` says what to add."""

import urllib.parse

import pytest
from django.conf import global_settings
from django.core.checks import run_checks
from django.test import Client

from dangwu_wagtail.checks import MEMBERS_PAGES_HINT


@pytest.fixture
def minimal_install(settings):
    settings.ROOT_URLCONF = "tests.minimal_urls"
    settings.LOGIN_URL = global_settings.LOGIN_URL
    if hasattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL"):
        del settings.WAGTAIL_FRONTEND_LOGIN_URL
    return settings


def w006():
    return [message for message in run_checks(tags=["urls"]) if message.id.endswith("W006")]


def test_an_internal_item_sends_readers_to_wagtails_login_page(minimal_install, items_a, users):
    item = items_a["internal"]
    client = Client()

    response = client.get(item.url)

    assert response.status_code == 302
    location = urllib.parse.urlsplit(response["Location"])
    assert location.path == "/_util/login/"
    assert urllib.parse.parse_qs(location.query)["next"] == [item.url]
    # /accounts/login/ is a 404 in such a site; Wagtail's login page is there.
    assert client.get(global_settings.LOGIN_URL).status_code == 404
    login_page = client.get(response["Location"])
    assert login_page.status_code == 200
    assert 'name="username"' in login_page.content.decode()
    assert item.title not in login_page.content.decode()

    # The member logs in there and comes back to the item.
    logged_in = client.post(
        response["Location"],
        {"username": "member_a", "password": "password", "next": item.url},
    )
    assert logged_in.status_code == 302 and logged_in["Location"] == item.url
    page = client.get(item.url)
    assert page.status_code == 200 and item.title in page.content.decode()


def test_the_check_says_what_to_add(minimal_install):
    warnings = w006()

    assert len(warnings) == 1
    assert "/_util/login/" in warnings[0].msg
    assert warnings[0].hint == MEMBERS_PAGES_HINT
    assert 'include("dangwu_wagtail.urls")' in warnings[0].hint
    assert "WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL" in warnings[0].hint


def test_no_warning_once_the_members_pages_are_added(settings, items_a):
    # The test site's URLs include the members' pages, as step 3 adds them.
    settings.LOGIN_URL = global_settings.LOGIN_URL
    assert w006() == []
    response = Client().get(items_a["internal"].url)
    assert response.status_code == 302
    assert response["Location"].startswith("/members/login/?next=")


def test_no_warning_for_a_site_with_its_own_login_page(minimal_install):
    minimal_install.WAGTAIL_FRONTEND_LOGIN_URL = "/sso/login/"
    assert w006() == []
    del minimal_install.WAGTAIL_FRONTEND_LOGIN_URL
    minimal_install.LOGIN_URL = "/sso/login/"
    assert w006() == []

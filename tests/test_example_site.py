"""The example site: its demo loader (``manage.py load_demo``), run against the test database,
and how it serves pages (a favicon, robots.txt, compressed pages and static files, error pages
in Chinese, no Gravatar avatars).

The loader's logic lives in ``example_site/home/demo.py`` and needs the add-on, not the example
site's settings, so it runs here under the test home page. The serving tests use the example
site's URLs, middleware, templates and static storage over the test database.
"""

import functools
import gzip
import importlib
import re
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import swapper
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model
from wagtail.models import Revision, Site

from dangwu_wagtail.models import (
    Catalog,
    CatalogEntry,
    DisclosureItem,
    DisclosureRequest,
    Feedback,
    Holiday,
    ReceptionRecord,
    RequestStatus,
    Scope,
    Timing,
)
from dangwu_wagtail.moderation import approvers_group_name
from dangwu_wagtail.privacy import supervisors_group_name

Page = swapper.load_model("wagtailcore", "Page")

EXAMPLE_SITE_DIR = Path(__file__).resolve().parent.parent / "example_site"


@pytest.fixture
def load_demo(monkeypatch):
    """``load_demo()`` from the example site's ``home`` app."""
    monkeypatch.syspath_prepend(str(EXAMPLE_SITE_DIR))
    from home.demo import load_demo

    return load_demo


@pytest.fixture
def demo(home, load_demo):
    return load_demo(parent_page=home, stdout=StringIO())


def footprint():
    """Counts of everything the loader creates."""
    return {
        "pages": Page.objects.count(),
        "entries": CatalogEntry.objects.count(),
        "revisions": Revision.objects.count(),
        "documents": get_document_model().objects.count(),
        "groups": Group.objects.count(),
        "users": get_user_model().objects.count(),
        "requests": DisclosureRequest.objects.count(),
        "receptions": ReceptionRecord.objects.count(),
        "feedback": Feedback.objects.count(),
        "holidays": Holiday.objects.count(),
    }


def test_two_columns_with_published_items_of_both_scopes(home, demo):
    catalogs = (
        Catalog.objects.child_of(home)
        .filter(organisation_name__in=["徐汇实验中学党委", "平江路小学党支部"])
        .order_by("path")
    )
    assert [(c.organisation_name, c.organisation_type) for c in catalogs] == [
        ("徐汇实验中学党委", "committee"),
        ("平江路小学党支部", "branch"),
    ]
    for catalog in catalogs:
        assert catalog.live
        assert catalog.contact_person and catalog.contact_phone and catalog.contact_email
        assert catalog.reception_place and catalog.reception_hours
        items = DisclosureItem.objects.descendant_of(catalog)
        assert set(items.values_list("scope", flat=True)) == {Scope.INTERNAL, Scope.PUBLIC}
        assert len({item.entry_id for item in items}) >= 3
        for item in items:
            assert item.live and item.entry.catalog_id == catalog.pk
            assert item.tags.exists()
            periodic = item.entry.timing == Timing.PERIODIC
            assert (item.period_start is not None) == periodic
            assert (item.period_end is not None) == periodic

    documents = get_document_model().objects.filter(collection=catalogs[0].collection)
    assert documents.exists()
    assert DisclosureItem.objects.filter(attachments__document__in=documents).exists()


def test_users_have_their_schools_groups(demo):
    catalog = Catalog.objects.get(organisation_name="徐汇实验中学党委")
    users = {row["username"]: row for row in demo["users"]}
    User = get_user_model()
    expected_groups = {
        "demo_member": [catalog.members_group],
        "demo_editor": [catalog.editors_group],
        "demo_reviewer": [catalog.reviewers_group],
        "demo_supervisor": [Group.objects.get(name=supervisors_group_name())],
        "demo_approver": [Group.objects.get(name=approvers_group_name())],
        "demo_admin": [],
    }
    assert set(users) == set(expected_groups)
    for username, groups in expected_groups.items():
        user = User.objects.get(username=username)
        assert list(user.groups.all()) == groups
        assert user.check_password(users[username]["password"])
        assert user.is_superuser == (username == "demo_admin")


def test_anonymous_reader_sees_public_items_only(client, demo):
    catalog = Catalog.objects.get(organisation_name="徐汇实验中学党委")
    items = DisclosureItem.objects.descendant_of(catalog)

    response = client.get(catalog.url)

    assert response.status_code == 200
    page = response.content.decode()
    for item in items:
        assert (item.title in page) == (item.scope == Scope.PUBLIC)


def test_running_again_adds_nothing_and_resets_passwords(home, demo, load_demo):
    before = footprint()

    output = StringIO()
    again = load_demo(parent_page=home, stdout=output)

    assert footprint() == before
    assert [row["created"] for row in again["catalogs"]] == [False, False]
    assert all(row["items_created"] == 0 for row in again["catalogs"])
    assert not any(row["created"] for row in again["users"])
    User = get_user_model()
    for first, second in zip(demo["users"], again["users"], strict=True):
        user = User.objects.get(username=second["username"])
        assert first["password"] != second["password"]
        assert user.check_password(second["password"])
    assert "already there" in output.getvalue()


def test_registers_have_demo_rows(demo):
    catalog = Catalog.objects.get(organisation_name="徐汇实验中学党委")
    requests = DisclosureRequest.objects.filter(catalog=catalog)
    assert {r.status for r in requests} == {RequestStatus.ANSWERED, RequestStatus.RECEIVED}
    assert ReceptionRecord.objects.get(catalog=catalog).disclosure_request in requests
    assert Feedback.objects.get(catalog=catalog).answer
    assert Holiday.objects.filter(date__year=2026).count() == 8


# The example site as it serves pages: favicon, robots.txt, compression ------------------------

ADDON_STATIC = Path(__file__).resolve().parent.parent / "dangwu_wagtail" / "static"


@pytest.fixture
def example_site(db, settings, monkeypatch, tmp_path):
    """The example site's URLs, middleware, templates and static storage over the test
    database, its static files collected (the example site's and the add-on's, which its
    pages link to) as ``collectstatic`` collects them for its server."""
    monkeypatch.syspath_prepend(str(EXAMPLE_SITE_DIR))
    example = importlib.import_module("example_site.settings")
    settings.ROOT_URLCONF = "example_site.urls"
    settings.MIDDLEWARE = example.MIDDLEWARE
    settings.TEMPLATES = example.TEMPLATES
    settings.STORAGES = example.STORAGES
    settings.WHITENOISE_ROOT = example.WHITENOISE_ROOT
    settings.LOCALE_PATHS = example.LOCALE_PATHS
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = example.WAGTAIL_GRAVATAR_PROVIDER_URL
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATICFILES_DIRS = [*example.STATICFILES_DIRS, ADDON_STATIC]
    call_command("collectstatic", interactive=False, verbosity=0)
    return example


def head_links(response, rel):
    soup = BeautifulSoup(response.content, "html.parser")
    return [link["href"] for link in soup.find_all("link", rel=rel)]


def test_example_site_serves_a_favicon(example_site, client, school_a):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO

    icons = head_links(client.get(school_a.url), "icon")
    assert icons and "/favicon.ico" in icons
    for icon in icons:
        assert client.get(icon).status_code == 200, icon


def test_robots_txt_names_the_sitemap(example_site, client, school_a):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and b"<sitemapindex" in sitemap.content


def test_pages_are_compressed_for_browsers_that_accept_it(example_site, client, school_a):
    compressed = client.get(school_a.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    page = gzip.decompress(compressed.content).decode()
    assert school_a.title in page

    plain = client.get(school_a.url)
    assert not plain.has_header("Content-Encoding")
    assert len(compressed.content) < len(plain.content) / 3


def test_static_files_are_compressed_and_kept_for_long(example_site, client, school_a):
    stylesheets = head_links(client.get(school_a.url), "stylesheet")
    assert len(stylesheets) == 2
    for url in stylesheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", url), url  # named after their content
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "gzip", url
        assert "immutable" in response["Cache-Control"], url
        css = gzip.decompress(b"".join(response.streaming_content)).decode()
        assert "{" in css, url


def test_load_demo_serves_the_default_site_at_the_base_url(home, load_demo, monkeypatch):
    from home.management.commands import load_demo as command

    monkeypatch.setattr(command, "load_demo", functools.partial(load_demo, parent_page=home))
    output = StringIO()

    call_command(command.Command(), base_url="http://127.0.0.1:8765/", stdout=output)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8765)
    assert "http://127.0.0.1:8765/accounts/login/" in output.getvalue()
    with pytest.raises(CommandError, match="--base-url"):
        call_command(command.Command(), base_url="127.0.0.1:8765", stdout=StringIO())


def test_a_missing_page_is_in_chinese(example_site, client, school_a):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "zh-hans"
    assert soup.h1.get_text(strip=True) == "页面不存在"
    assert "此地址没有页面" in soup.main.get_text()
    assert "Not Found" not in response.content.decode()


def test_a_server_error_is_in_chinese(example_site, rf):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("zh-hans"):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == "服务器出错"
    assert "请过几分钟再试" in soup.main.get_text()
    assert "Server Error" not in response.content.decode()


def test_the_admin_shows_no_gravatar(example_site, settings, client, users):
    # Wagtail's admin static files are not among those the fixture collects.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client.force_login(users["superuser"])
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    html = response.content.decode()
    assert "gravatar" not in html
    avatars = BeautifulSoup(html, "html.parser").select("img.avatar, .avatar img")
    assert avatars and all("default-user-avatar" in img["src"] for img in avatars)


def test_the_sitemap_names_the_base_urls_host(example_site, client, school_a, monkeypatch, home):
    from home.management.commands import load_demo as command

    # The default site as load_demo leaves it for run_demo.sh's address.
    command.Command().serve_default_site_at(urlsplit("http://127.0.0.1:8765"))

    index = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:8765").content.decode()
    assert "<loc>http://127.0.0.1:8765/sitemap-pages.xml</loc>" in index
    pages = client.get("/sitemap-pages.xml", HTTP_HOST="127.0.0.1:8765").content.decode()
    assert f"<loc>http://127.0.0.1:8765{school_a.url}</loc>" in pages
    assert "localhost" not in pages

"""Contract: the add-on works in a Wagtail site it did not create.

Builds a wheel of the working tree, installs it into a directory of its own, creates a
site with ``wagtail start``, adds the add-on to INSTALLED_APPS the way the README tells a
webmaster to, migrates, sets up a school with ``dangwu_setup_school`` and serves the
school's column with ``runserver``. Every step runs in a subprocess with the host site's
own settings and SQLite database; nothing here touches the test database.

The host also enables what a webmaster commonly adds (the sitemap and the Wagtail API v2)
and keeps ``wagtail start``'s stock search view. With one public and one internal item
published in the column, an anonymous visitor finds the public item through each of those
channels and nothing of the internal one.

Slow (a wheel build and a full ``migrate``), and needs nothing beyond the virtualenv:
no network, no downloads.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html import escape
from importlib.metadata import version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent

SCHOOL_NAME = "测试中学党委"
# Two of 附件二's entries, as the committee reference catalog words them.
REFERENCE_ENTRY_TITLES = [
    "贯彻落实上级党组织重大决策、重要部署、指示精神的情况",
    "党费收缴、管理和使用",
]
# The entry (创建学习型党组织) both test items are filed under, and the items: each with a
# word found nowhere else, in its title and its body.
ITEM_ENTRY_NUMBER = 5
PUBLIC_WORD = "PUBLICWORD"
SECRET_WORD = "SECRETWORD"
TEST_ITEMS = {
    "public": {
        "title": f"公开测试事项 {PUBLIC_WORD}",
        "scope": "public",
        "body": f"<p>党内外公开的测试正文 {PUBLIC_WORD}</p>",
    },
    "internal": {
        "title": f"党内测试事项 {SECRET_WORD}",
        "scope": "internal",
        "body": f"<p>仅在党内公开的测试正文 {SECRET_WORD}</p>",
    },
}
# Filed the way the add-on tells code to (Catalog.add_item), then published.
ADD_ITEMS_SCRIPT = """\
import json
from dangwu_wagtail.models import Catalog, DisclosureItem
catalog = Catalog.objects.get(pk={catalog_id})
filed = {{}}
for key, fields in {items!r}.items():
    item = DisclosureItem(
        title=fields["title"],
        entry=catalog.entries.get(number={entry_number}),
        scope=fields["scope"],
        body=fields["body"],
    )
    catalog.add_item(item)
    item.save_revision().publish()
    item = DisclosureItem.objects.get(pk=item.pk)
    filed[key] = {{"id": item.pk, "path": item.get_url_parts()[2], "live": item.live}}
print(json.dumps(filed))
"""

# Not copied into the build tree: VCS data, the virtualenv, build leftovers, local databases,
# the example site (with its collected static files and media).
ROOT_IGNORED = {
    ".git",
    "example_site",
    ".venv",
    "build",
    "dist",
    ".pytest_cache",
    ".ruff_cache",
    "test-artifacts",
}
IGNORED_ANYWHERE = ("__pycache__", "*.pyc", "*.egg-info", "*.sqlite3")


def run(args, *, cwd=None, env=None, expect_ok=True, timeout=600):
    """Run ``args``; on an unexpected exit status, fail showing the command's output."""
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )
    if expect_ok is not None and (result.returncode == 0) != expect_ok:
        raise AssertionError(
            f"`{' '.join(str(arg) for arg in args)}` exited with {result.returncode}"
            f" (expected {'0' if expect_ok else 'non-zero'})\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        )
    return result


def last_line(output):
    return output.strip().splitlines()[-1]


def host_env(site_packages):
    """The host site's environment: the wheel's copy of the add-on first, none of ours."""
    env = os.environ.copy()
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
        env.pop(name, None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site_packages), env.get("PYTHONPATH")]))
    env["DJANGO_SETTINGS_MODULE"] = "hostsite.settings.dev"
    env["PYTHONUTF8"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def copy_working_tree(destination):
    """Copy the checkout so the build neither writes ``build/`` and ``*.egg-info`` into it
    nor picks up files a previous build left in ``build/lib``."""

    def ignore(directory, names):
        ignored = set(shutil.ignore_patterns(*IGNORED_ANYWHERE)(directory, names))
        if Path(directory) == REPO_ROOT:
            ignored |= ROOT_IGNORED & set(names)
        return ignored

    shutil.copytree(REPO_ROOT, destination, ignore=ignore)


def build_and_install_wheel(tmp_path):
    """Build the working tree's wheel and install only its content into ``tmp_path/site``."""
    setuptools_version = version("setuptools")
    assert int(setuptools_version.split(".")[0]) >= 77, (
        f"setuptools {setuptools_version} in {sys.prefix} cannot build this project "
        "(pyproject's SPDX `license` string needs setuptools>=77): install the test extras"
    )
    source = tmp_path / "source"
    copy_working_tree(source)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    wheel_dir = tmp_path / "wheel"
    run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", wheel_dir, source])
    (wheel,) = wheel_dir.glob("dangwu_wagtail-*.whl")
    site_packages = tmp_path / "site"
    run([*pip, "install", "--no-deps", "--no-index", "--target", site_packages, wheel])
    return site_packages


def start_host_site(tmp_path):
    """``wagtail start hostsite``, then the README's one settings edit: INSTALLED_APPS."""
    project = tmp_path / "hostsite"
    project.mkdir()
    wagtail = BIN_DIR / "wagtail"
    assert wagtail.exists(), f"no `wagtail` script next to {sys.executable}"
    env = os.environ.copy()
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run([wagtail, "start", "hostsite", project], env=env)

    settings = project / "hostsite" / "settings" / "base.py"
    text = settings.read_text(encoding="utf-8")
    installed_apps = re.search(r"^INSTALLED_APPS = \[\n(.*?)^\]", text, re.MULTILINE | re.DOTALL)
    assert installed_apps, f"no INSTALLED_APPS list in the generated {settings}:\n{text}"
    for app in ("taggit", "modelcluster"):
        assert f'"{app}"' in installed_apps[1], f"`wagtail start` no longer installs {app}"
    # After the site's own apps, before Wagtail's, as the README shows.
    first_wagtail_app = re.search(r'^    "wagtail', installed_apps[1], re.MULTILINE)
    assert first_wagtail_app, f"no Wagtail app in the generated INSTALLED_APPS:\n{text}"
    at = installed_apps.start(1) + first_wagtail_app.start()
    addition = '    "dangwu_wagtail",\n    "wagtail_modeladmin",\n'
    settings.write_text(text[:at] + addition + text[at:], encoding="utf-8")
    return project


def enable_host_channels(project):
    """Enable, as a webmaster would, the sitemap and the Wagtail API v2 (pages endpoint).

    ``wagtail start`` already routes ``/search/`` to its stock search view, which searches
    ``Page.objects.live()`` without ``.public()``."""
    settings = project / "hostsite" / "settings" / "base.py"
    text = settings.read_text(encoding="utf-8")
    installed_apps = re.search(r"^INSTALLED_APPS = \[\n(.*?)^\]", text, re.MULTILINE | re.DOTALL)
    assert installed_apps, f"no INSTALLED_APPS list in {settings}:\n{text}"
    apps = (
        "wagtail.contrib.sitemaps",
        "django.contrib.sitemaps",
        "wagtail.api.v2",
        "rest_framework",
    )
    addition = "".join(f'    "{app}",\n' for app in apps)
    settings.write_text(
        text[: installed_apps.end(1)] + addition + text[installed_apps.end(1) :], encoding="utf-8"
    )

    (project / "hostsite" / "api.py").write_text(
        "from wagtail.api.v2.router import WagtailAPIRouter\n"
        "from wagtail.api.v2.views import PagesAPIViewSet\n"
        "\n"
        'api_router = WagtailAPIRouter("wagtailapi")\n'
        'api_router.register_endpoint("pages", PagesAPIViewSet)\n',
        encoding="utf-8",
    )

    urls = project / "hostsite" / "urls.py"
    text = urls.read_text(encoding="utf-8")
    import_anchor = "from search import views as search_views\n"
    search_route = '    path("search/", search_views.search, name="search"),\n'
    catch_all = 'path("", include(wagtail_urls))'
    for anchor in (import_anchor, search_route, catch_all):
        assert text.count(anchor) == 1, f"`wagtail start`'s {urls} changed: {anchor!r}\n{text}"
    text = text.replace(
        import_anchor,
        import_anchor
        + "from wagtail.contrib.sitemaps.views import sitemap\n\nfrom .api import api_router\n",
    ).replace(
        search_route,
        search_route + '    path("sitemap.xml", sitemap),\n    path("api/v2/", api_router.urls),\n',
    )
    # Before Wagtail's catch-all, or the page router would answer these addresses.
    assert text.index('path("api/v2/"') < text.index(catch_all), text
    urls.write_text(text, encoding="utf-8")


def add_member_accounts(project):
    """The README's steps 3 and 4: the members' pages in urls.py, and the login settings."""
    urls = project / "hostsite" / "urls.py"
    text = urls.read_text(encoding="utf-8")
    anchor = '    path("documents/", include(wagtaildocs_urls)),\n'
    assert text.count(anchor) == 1, f"`wagtail start`'s {urls} changed:\n{text}"
    text = text.replace(anchor, anchor + '    path("members/", include("dangwu_wagtail.urls")),\n')
    urls.write_text(text, encoding="utf-8")
    settings = project / "hostsite" / "settings" / "base.py"
    with settings.open("a", encoding="utf-8") as file:
        file.write('\nLOGIN_URL = "dangwu_wagtail:login"\nWAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL\n')
        file.write(LOGIN_THROTTLING)


#: The README's login throttling (step 4), appended to the site's settings as it shows.
LOGIN_THROTTLING = """
import datetime

INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dangwu_wagtail.accounts.lockout_response"
"""


MEMBERS_CSV = "姓名,用户名,电子邮箱\n王芳,wangfang,wangfang@example.com\n"


class Browser:
    """A visitor with cookies (and so a session), talking straight to the server."""

    def __init__(self, base_url):
        import http.cookiejar

        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirects(),
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        url = path if path.startswith("http") else self.base_url + path
        try:
            with self.opener.open(url, data=body, timeout=10) as response:
                return response.status, response.headers, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", errors="replace")

    def csrf_token(self, html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # urllib then reports the redirect itself as an HTTPError


def http_get_response(url, *, follow_redirects=True):
    """GET ``url`` directly (never through a proxy), as an anonymous visitor: no cookie is
    ever sent. Return (status, headers, body)."""
    handlers = [urllib.request.ProxyHandler({})]
    if not follow_redirects:
        handlers.append(NoRedirects())
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", errors="replace")


def http_get(url):
    """GET ``url`` directly (never through a proxy); return (status, body)."""
    status, _, body = http_get_response(url)
    return status, body


def excerpt(body, around=None, width=2000):
    """Up to ``width`` characters of ``body`` for a failure message, around ``around`` if
    it occurs."""
    at = body.find(around) if around else -1
    start = max(0, at - width // 2) if at >= 0 else 0
    return body[start : start + width]


def wait_until_serving(server, url, log, *, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(
                f"runserver exited with {server.returncode}:\n{log.read_text(encoding='utf-8')}"
            )
        try:
            return http_get(url)
        except OSError:  # connection refused or reset: not listening yet
            time.sleep(0.5)
    raise AssertionError(
        f"runserver did not answer {url} within {timeout}s:\n{log.read_text(encoding='utf-8')}"
    )


def test_addon_works_in_a_fresh_wagtail_site(tmp_path):
    site_packages = build_and_install_wheel(tmp_path)
    project = start_host_site(tmp_path)
    enable_host_channels(project)
    env = host_env(site_packages)
    python = sys.executable

    def manage(*args, **kwargs):
        return run([python, "manage.py", *args], cwd=project, env=env, **kwargs)

    # Before the README's step 3, the system check says what to add.
    checked = manage("check")
    assert "dangwu_wagtail.W006" in checked.stdout + checked.stderr, checked.stderr
    add_member_accounts(project)
    checked = manage("check")
    assert "dangwu_wagtail.W006" not in checked.stdout + checked.stderr, checked.stderr

    def shell(code):
        return last_line(manage("shell", "--verbosity", "0", "--command", code).stdout)

    # The host imports the wheel's copy, so templates, static files and reference
    # catalogs below come from what the wheel ships, not from the source tree.
    imported = run(
        [python, "-c", "import dangwu_wagtail; print(dangwu_wagtail.__file__)"],
        cwd=project,
        env=env,
    )
    module_file = Path(last_line(imported.stdout)).resolve()
    assert module_file.is_relative_to(site_packages.resolve()), imported.stdout

    manage("migrate", "--noinput")
    manage("makemigrations", "dangwu_wagtail", "--check", "--dry-run")

    home_id = shell("from home.models import HomePage; print(HomePage.objects.get().pk)")
    setup_args = ["--parent", home_id, "--name", SCHOOL_NAME, "--template", "committee"]
    created = manage("dangwu_setup_school", *setup_args).stdout
    match = re.search(r"^Catalog id: (\d+)$", created.strip().splitlines()[-1])
    assert match, f"no `Catalog id: <id>` final line in:\n{created}"
    catalog_id = int(match[1])

    # Running it again changes nothing.
    again = manage("dangwu_setup_school", *setup_args).stdout
    assert "Nothing changed." in again, again
    assert last_line(again) == f"Catalog id: {catalog_id}", again

    # A parent that does not exist fails clearly and creates nothing.
    bad_args = ["--parent", "99999", "--name", "别的中学党委", "--template", "branch"]
    bad = manage("dangwu_setup_school", *bad_args, expect_ok=False)
    assert "There is no page with id 99999" in bad.stderr, bad.stderr
    assert "Nothing was created." in bad.stderr, bad.stderr

    # The README's step 7: the school's members, from a file.
    members_file = tmp_path / "members.csv"
    members_file.write_text(MEMBERS_CSV, encoding="utf-8")
    imported = manage("dangwu_import_members", "--catalog", catalog_id, members_file).stdout
    assert "1 accounts created" in imported, imported

    catalog = json.loads(
        shell(
            "import json; from dangwu_wagtail.models import Catalog; "
            f"c = Catalog.objects.get(pk={catalog_id}); "
            "print(json.dumps({'count': Catalog.objects.count(), 'title': c.title, "
            "'path': c.get_url_parts()[2]}))"
        )
    )
    assert catalog["count"] == 1, catalog

    items = json.loads(
        shell(
            ADD_ITEMS_SCRIPT.format(
                catalog_id=catalog_id, items=TEST_ITEMS, entry_number=ITEM_ENTRY_NUMBER
            )
        )
    )
    public, internal = items["public"], items["internal"]
    assert public["live"] and internal["live"], items
    print(f"public item: {public['path']}\ninternal item: {internal['path']}")
    public_title, internal_title = TEST_ITEMS["public"]["title"], TEST_ITEMS["internal"]["title"]

    port = free_port()
    log = tmp_path / "runserver.log"
    with log.open("w", encoding="utf-8") as log_file:
        server = subprocess.Popen(
            [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        status, body = wait_until_serving(server, base_url + catalog["path"], log)
        assert status == 200, f"GET {catalog['path']} -> {status}:\n{body}"
        for text in [catalog["title"], *REFERENCE_ENTRY_TITLES, public_title]:
            assert escape(text) in body, f"{text!r} is not on the catalog page:\n{body}"
        for text in (SECRET_WORD, internal["path"]):
            assert text not in body, (
                f"the catalog page shows {text!r} to an anonymous visitor:\n" + excerpt(body, text)
            )

        # The add-on's stylesheet comes out of the wheel through the host's staticfiles.
        css = "/static/dangwu_wagtail/css/dangwu.css"
        assert css in body
        status, _ = http_get(base_url + css)
        assert status == 200, f"GET {css} -> {status}"

        # The internal item's own address sends an anonymous visitor to log in.
        status, headers, body = http_get_response(
            base_url + internal["path"], follow_redirects=False
        )
        assert status == 302, f"GET {internal['path']} -> {status}:\n{excerpt(body, SECRET_WORD)}"
        assert "login" in headers.get("Location", ""), headers.get("Location")
        assert SECRET_WORD not in body, excerpt(body, SECRET_WORD)

        # The host's stock search view, fed by the index as items are saved, then as
        # `update_index` rebuilds it.
        for index_state in ("indexed on save", "after update_index"):
            if index_state == "after update_index":
                manage("update_index")
            url = base_url + "/search/?query=" + PUBLIC_WORD
            status, body = http_get(url)
            assert status == 200, f"GET {url} -> {status} ({index_state}):\n{excerpt(body)}"
            assert escape(public_title) in body, (
                f"the stock search does not find the public item ({index_state}), so it "
                f"proves nothing about the internal one:\n{excerpt(body, '<h1>')}"
            )
            url = base_url + "/search/?query=" + SECRET_WORD
            status, body = http_get(url)
            assert status == 200, f"GET {url} -> {status} ({index_state}):\n{excerpt(body)}"
            # The form repeats the query; nothing else on the page may name the word.
            results = body.replace(f'value="{SECRET_WORD}"', "", 1)
            for text in (SECRET_WORD, internal_title, internal["path"]):
                assert text not in results, (
                    f"the stock search shows {text!r} to an anonymous visitor ({index_state}):"
                    f"\n{excerpt(results, text)}"
                )
            assert "No results found" in body, excerpt(body, "<h1>")

        # The sitemap.
        status, body = http_get(base_url + "/sitemap.xml")
        assert status == 200, f"GET /sitemap.xml -> {status}:\n{excerpt(body)}"
        assert public["path"] in body, f"{public['path']} is not in the sitemap:\n{body}"
        for text in (internal["path"], SECRET_WORD):
            assert text not in body, f"the sitemap lists {text!r}:\n{excerpt(body, text)}"

        # The Wagtail API v2: listings (all pages, the add-on's type, a search), the internal
        # item's detail and its address. WAGTAILAPI_LIMIT_MAX is left at Wagtail's 20.
        listings = [
            "/api/v2/pages/?limit=20",
            "/api/v2/pages/?type=dangwu_wagtail.DisclosureItem&limit=20",
            f"/api/v2/pages/?search={PUBLIC_WORD}&limit=20",
        ]
        for listing in listings:
            status, body = http_get(base_url + listing)
            assert status == 200, f"GET {listing} -> {status}:\n{excerpt(body)}"
            data = json.loads(body)
            listed = {page["id"]: page["title"] for page in data["items"]}
            assert data["meta"]["total_count"] == len(listed), f"{listing} is paged:\n{body}"
            assert listed.get(public["id"]) == public_title, f"{listing}:\n{body}"
            assert internal["id"] not in listed, f"{listing} lists the internal item:\n{body}"
            for text in (SECRET_WORD, internal["path"]):
                assert text not in body, f"{listing} shows {text!r}:\n{excerpt(body, text)}"
        status, body = http_get(base_url + f"/api/v2/pages/?search={SECRET_WORD}")
        assert status == 200, f"GET /api/v2/pages/?search={SECRET_WORD} -> {status}:\n{body}"
        assert json.loads(body)["items"] == [], f"the API search finds the internal item:\n{body}"
        # The public item's detail, and `find` by its address (a redirect to the detail, on
        # the Site's hostname), so that the internal item's 404s below mean something.
        detail = f"/api/v2/pages/{public['id']}/"
        status, body = http_get(base_url + detail)
        assert status == 200, f"GET {detail} -> {status}:\n{excerpt(body)}"
        assert json.loads(body)["title"] == public_title, f"GET {detail}:\n{body}"
        find = f"/api/v2/pages/find/?html_path={public['path']}"
        status, headers, body = http_get_response(base_url + find, follow_redirects=False)
        location = headers.get("Location", "")
        assert status == 302, f"GET {find} -> {status}:\n{excerpt(body)}"
        assert urllib.parse.urlsplit(location).path == detail, f"GET {find} -> {location}"
        for url in (
            f"/api/v2/pages/{internal['id']}/",
            f"/api/v2/pages/find/?html_path={internal['path']}",
        ):
            status, headers, body = http_get_response(base_url + url, follow_redirects=False)
            assert status == 404, (
                f"GET {url} -> {status} {headers.get('Location', '')}:\n"
                + excerpt(body, SECRET_WORD)
            )
            assert SECRET_WORD not in body, f"GET {url}:\n{excerpt(body, SECRET_WORD)}"

        # The imported member chooses a password (the reset email is on the console of
        # `wagtail start`'s dev settings), logs in on the add-on's login page, where the
        # internal item sends them, and reads it.
        member = Browser(base_url)
        status, headers, body = member.request(internal["path"])
        assert status == 302, f"GET {internal['path']} -> {status}"
        login_location = headers["Location"]
        assert login_location.startswith("/members/login/?next="), login_location
        status, _, body = member.request("/members/password-reset/")
        assert status == 200, f"GET /members/password-reset/ -> {status}:\n{excerpt(body)}"
        status, headers, _ = member.request(
            "/members/password-reset/",
            {"csrfmiddlewaretoken": member.csrf_token(body), "email": "wangfang@example.com"},
        )
        assert status == 302, (
            f"POST /members/password-reset/ -> {status}:\n{log.read_text('utf-8')}"
        )
        reset_link = None
        deadline = time.monotonic() + 10
        while reset_link is None and time.monotonic() < deadline:
            found = re.search(r"(/members/password-reset/[^/\s]+/[^/\s]+/)", log.read_text("utf-8"))
            reset_link = found and found[1]
            time.sleep(0.2)
        assert reset_link, f"no reset link in the console email:\n{log.read_text('utf-8')}"
        status, headers, body = member.request(reset_link)
        assert status == 302, f"GET {reset_link} -> {status}"
        set_password = headers["Location"]
        status, _, body = member.request(set_password)
        assert status == 200, f"GET {set_password} -> {status}:\n{excerpt(body)}"
        new_password = "党务公开-2026-fresh"
        status, headers, _ = member.request(
            set_password,
            {
                "csrfmiddlewaretoken": member.csrf_token(body),
                "new_password1": new_password,
                "new_password2": new_password,
            },
        )
        assert status == 302, f"POST {set_password} -> {status}"
        status, _, body = member.request(login_location)
        assert status == 200 and 'name="username"' in body, f"login page:\n{excerpt(body)}"
        assert "<html" in body, body
        next_url = urllib.parse.parse_qs(urllib.parse.urlsplit(login_location).query)["next"][0]
        status, headers, body = member.request(
            "/members/login/",
            {
                "csrfmiddlewaretoken": member.csrf_token(body),
                "username": "wangfang",
                "password": new_password,
                "next": next_url,
            },
        )
        assert status == 302, f"POST /members/login/ -> {status}:\n{excerpt(body)}"
        assert urllib.parse.unquote(headers["Location"]) == urllib.parse.unquote(
            internal["path"]
        ), headers["Location"]
        status, _, body = member.request(internal["path"])
        assert status == 200, f"the member's GET {internal['path']} -> {status}"
        assert SECRET_WORD in body, excerpt(body)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

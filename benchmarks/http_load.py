r"""Requests per second at district scale: the example site under gunicorn, driven by wrk.

Run it from the repository root (needs Debian's ``wrk``; PostgreSQL at 127.0.0.1:5432)::

    .venv/bin/python benchmarks/http_load.py

It creates a PostgreSQL database of its own (``dangwu_http_load``, dropped at the end unless
``--keep``; ``--reuse`` measures again on the database a ``--keep`` run left), migrates the
example site there, loads its demo, generates the district (``benchmarks/generate_district.py``:
``--schools`` schools, ``--items`` items) plus two more committees, one with 50 items and one
with 5,000, and starts gunicorn with 2 sync workers and persistent
database connections (``CONN_MAX_AGE=600``), ``DEBUG`` off. wrk then drives each address over
loopback for ``--seconds`` seconds with ``--connections`` connections, one after another:

* a hello-world Django view of the same project (``/hello/``, the limit on this machine),
* a plain Wagtail page (a page of the example site's home page type, with no children), for
  an anonymous reader and for a logged-in one (what a session costs Django and Wagtail),
* a Catalog page of the generated district (第03中学党委, a committee with the district's
  average number of items) for an anonymous reader and for a logged-in member of the school
  (a session cookie), and a public item page of that column for both,
* the column with 50 items and the column with ``--large-column`` items (anonymous),
* ``/sitemap.xml`` (the example site's sitemap index) and one of its files of 1,000 pages,
* the district report (*Disclosure columns*) for a supervisor,
* the admin pages: the dashboard of an editor of the school and of a supervisor, the register
  of requests (``--requests`` a school: 20,000 at 200 schools) for both and with its
  *overdue* filter for the supervisor, the column in the explorer and the item editor,
  each also with one connection (*one at a time*: what one supervisor or editor waits);

all from a server as the example site runs (the anonymous page cache and the listing cache
on); then, from a second server without the page cache (``PAGE_CACHE_SECONDS`` 0), the
anonymous Catalog and item pages; then, from a third without the page cache and the listing
cache (``LISTING_CACHE_SECONDS`` 0 too: what the first reader after a change pays), the
Catalog and column rows again.

It prints req/s, p50 and p99 latency (ms) and each one's ratio to the plain Wagtail page,
then each target of issue 19 with its figure and whether it is met: ratios of req/s in the
same run (anonymous column and item ≥ 0.3 × hello-world; the item without the page cache
≥ 1.0 × the plain page; the member's column ≥ 1.0 × a member's plain page; the first reader
after a change ≥ 0.5 × the warm page of the same reader), a sitemap file ≥ 50 req/s, the
district report ≥ 10 req/s (eight connections), and a p50 under 300 ms for the district
report and the admin pages one at a time. Small runs (``--schools 4 --items 400
--large-column 2400 --requests 50 --seconds 3``) check that it works; the figures mean
something at district scale on a quiet machine.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SITE = REPO_ROOT / "example_site"
PYTHON = sys.executable
GUNICORN = Path(PYTHON).parent / "gunicorn"

SETUP_SCRIPT = r"""
import json
import os
from django.contrib.auth import get_user_model
from django.urls import reverse
from benchmarks.district_report import load_requests
from dangwu_wagtail.models import DisclosureRequest
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from wagtail.models import Page
from benchmarks.generator import bulk_add_items, plan_items
from dangwu_wagtail.schools import setup_school
from dangwu_wagtail.models import Catalog, DisclosureItem
from dangwu_wagtail.privacy import supervisors_group_name, visible_items
from home.models import HomePage

home = HomePage.objects.order_by("path").first()
# A plain Wagtail page: the example site's page type, with no children to list.
plain = HomePage.objects.filter(slug="plain-page").first()
if plain is None:
    plain = home.add_child(instance=HomePage(title="Plain page", slug="plain-page"))
    plain.save_revision().publish()
# Two committees of their own (make_schools would hand back the district's first two).
LARGE = int(os.environ.get("DANGWU_LARGE_COLUMN", 5000))
for name, count in (("五十事项中学党委", 25), ("五千事项中学党委", LARGE // 2)):
    school = setup_school(home, name, "committee")
    if school.created:
        bulk_add_items(plan_items([school.catalog], count, count))
small = Catalog.objects.get(organisation_name="五十事项中学党委")
large = Catalog.objects.get(organisation_name="五千事项中学党委")

def session_for(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

User = get_user_model()
member, _ = User.objects.get_or_create(username="load_member")
# A school of the generated district (第03中学党委, a committee): about as many items as the
# district's average (items / schools), not one of the demo's small columns.
catalog = Catalog.objects.get(organisation_name="第03中学党委")
member.groups.add(catalog.members_group)
supervisor, _ = User.objects.get_or_create(username="load_supervisor")
supervisor.groups.add(Group.objects.get(name=supervisors_group_name()))
editor, _ = User.objects.get_or_create(username="load_editor")
editor.groups.add(catalog.editors_group)
item = DisclosureItem.objects.live().filter(entry__catalog=catalog, scope="public").first()
# The register of requests: REQUESTS_PER_SCHOOL a school, over the last year, 1 in 5 open.
if not DisclosureRequest.objects.exists():
    load_requests(
        list(Catalog.objects.order_by("pk")), int(os.environ.get("DANGWU_REQUESTS_PER_SCHOOL", 100))
    )
register = reverse("dangwu_wagtail_disclosurerequest_modeladmin_index")
print(json.dumps({
    "plain": plain.url, "catalog": catalog.url, "item": item.url,
    "small": small.url, "large": large.url,
    "member": session_for(member), "supervisor": session_for(supervisor),
    "editor": session_for(editor),
    "dashboard": reverse("wagtailadmin_home"), "register": register,
    "explore": reverse("wagtailadmin_explore", args=[catalog.pk]),
    "item_editor": reverse("wagtailadmin_pages:edit", args=[item.pk]),
    "requests": DisclosureRequest.objects.count(),
    "public_pages": Page.objects.live().public().count(),
    "catalog_items": visible_items(member, catalog).count(),
    "items": DisclosureItem.objects.count(), "schools": Catalog.objects.count(),
}))
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--database", default="dangwu_http_load")
    parser.add_argument(
        "--large-column", type=int, default=5000, help="items of the large column (5,000)"
    )
    parser.add_argument(
        "--requests", type=int, default=100, help="disclosure requests a school (100)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the database a run with --keep left (migrated, nothing generated again)",
    )
    return parser.parse_args()


def run(args, env, **kwargs):
    return subprocess.run(
        [str(a) for a in args],
        cwd=SITE,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def psql(sql):
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql], check=True
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url, seconds, connections, cookie=None):
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "60s",
        "--latency",
        url,
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])

    def latency(percent):
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    errors = (int(non_2xx[1]) if non_2xx else 0) + (int(timeouts[1]) if timeouts else 0)
    return rate, latency(50), latency(99), errors


def start_server(env):
    """gunicorn with 2 sync workers serving the example site; its address once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{port}", "example_site.wsgi"],
        cwd=SITE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/hello/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    return server, base


def stop_server(server):
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=20)


def generate_district(args, env):
    """The example site's demo, then ``--schools`` schools and ``--items`` items under it."""
    run([PYTHON, "manage.py", "load_demo"], env)
    home = run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from home.models import HomePage; print(HomePage.objects.order_by('path').first().pk)",
        ],
        env,
    ).stdout.split()[-1]
    run(
        [
            PYTHON,
            str(REPO_ROOT / "benchmarks" / "generate_district.py"),
            "--parent",
            home,
            "--schools",
            args.schools,
            "--items",
            args.items,
        ],
        env,
        timeout=3600,
    )


#: The issue's targets: (row, the row it is compared with, least ratio). A ratio of req/s in
#: the same run, so that the machine's speed and load cancel out.
RATIO_TARGETS = [
    ("Catalog, anonymous", "hello-world view", 0.3),
    ("item page", "hello-world view", 0.3),
    ("item page, page cache off", "plain Wagtail page", 1.0),
    ("Catalog, member", "plain Wagtail page, member", 1.0),
    ("Catalog, anonymous, after a change", "Catalog, anonymous", 0.5),
    ("Catalog, anonymous, after a change", "Catalog, anonymous, page cache off", 0.5),
    ("Catalog, member, after a change", "Catalog, member", 0.5),
    ("column of 5,000 items", "column of 50 items", 0.9),
]
#: The rows measured a second time with one connection, and what their names get: the p50
#: that one supervisor or editor waits, where eight connections on two workers queue each
#: request behind some three others.
ONE_AT_A_TIME_ROWS = (
    "district report",
    "admin: dashboard, editor",
    "admin: dashboard, supervisor",
    "admin: requests, editor",
    "admin: requests, supervisor",
    "admin: overdue requests, supervisor",
    "admin: the column, editor",
    "admin: item editor, editor",
)
ONE_AT_A_TIME = ", one at a time"
#: Rows with a floor in req/s, and rows with a ceiling on the p50 latency in ms.
RATE_TARGETS = {"a sitemap file (1,000 pages)": 50, "district report": 10}
P50_TARGETS = {f"{name}{ONE_AT_A_TIME}": 300 for name in ONE_AT_A_TIME_ROWS}


def print_results(results):
    """Every row with its ratio to the plain page, then every target with its figure."""
    plain = results["plain Wagtail page"][0]
    print(f"\n{'address':<52} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'× plain':>8}")
    for name, (rate, p50, p99, errors) in results.items():
        flag = f"  ({errors} errors or timeouts)" if errors else ""
        print(f"{name:<52} {rate:>8.0f} {p50:>8.1f} {p99:>8.1f} {rate / plain:>8.2f}{flag}")
    print(f"\n{'target':<80} {'figure':>8}  met")
    for name, reference, least in RATIO_TARGETS:
        if name in results and reference in results:
            ratio = results[name][0] / results[reference][0]
            line = f"{name} / {reference} ≥ {least}"
            print(f"{line:<80} {ratio:>8.2f}  {'yes' if ratio >= least else 'NO'}")
    for name, least in RATE_TARGETS.items():
        if name in results:
            rate = results[name][0]
            line = f"{name}: req/s ≥ {least}"
            print(f"{line:<80} {rate:>8.0f}  {'yes' if rate >= least else 'NO'}")
    for name, most in P50_TARGETS.items():
        if name in results:
            rate, p50 = results[name][:2]
            line = f"{name}: p50 < {most} ms"
            if not rate:
                # No request finished within the run: wrk has no latency to give.
                print(f"{line:<80} {'-':>8}  NO (no request finished)")
            else:
                print(f"{line:<80} {p50:>8.1f}  {'yes' if p50 < most else 'NO'}")


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        print("Needs wrk: apt-get install wrk", file=sys.stderr)
        return 1
    database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        "PYTHONPATH": f"{SITE}:{REPO_ROOT}",
        "DANGWU_LARGE_COLUMN": str(args.large_column),
        "DANGWU_REQUESTS_PER_SCHOOL": str(args.requests),
    }
    if not args.reuse:
        psql(f"DROP DATABASE IF EXISTS {args.database}")
        psql(f"CREATE DATABASE {args.database}")
    server = None
    try:
        start = time.monotonic()
        run([PYTHON, "manage.py", "migrate", "--noinput"], env)
        if not args.reuse:
            generate_district(args, env)
        output = run([PYTHON, "manage.py", "shell", "-c", SETUP_SCRIPT], env).stdout
        setup = json.loads(output.strip().splitlines()[-1])
        run([PYTHON, "manage.py", "collectstatic", "--noinput"], env)
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", args.database, "-qc", "ANALYZE"],
            check=True,
        )
        print(
            f"{setup['schools']} columns and {setup['items']} items, ready in "
            f"{time.monotonic() - start:.0f} s; the measured column lists "
            f"{setup['catalog_items']} items to its members",
            flush=True,
        )
        quote = urllib.parse.quote
        # Each server runs with the caches named: the first as a site runs, the second
        # without the anonymous page cache, the third without it and without the column's
        # listing cache (what the first reader after a change pays).
        warm = [
            ("hello-world view", "/hello/", None),
            ("plain Wagtail page", setup["plain"], None),
            # What any logged-in reader costs Django and Wagtail: session, user, userbar.
            ("plain Wagtail page, member", setup["plain"], setup["member"]),
            ("Catalog, anonymous", setup["catalog"], None),
            ("Catalog, member", setup["catalog"], setup["member"]),
            ("item page", setup["item"], None),
            ("item page, member", setup["item"], setup["member"]),
            ("column of 50 items", setup["small"], None),
            ("column of 5,000 items", setup["large"], None),
            ("sitemap index", "/sitemap.xml", None),
            (
                "a sitemap file (1,000 pages)",
                # The second file, past the demo's pages, when the site has one.
                "/sitemap-pages.xml?p=2" if setup["public_pages"] > 2000 else "/sitemap-pages.xml",
                None,
            ),
            ("district report", "/admin/dangwu/columns/", setup["supervisor"]),
            ("admin: dashboard, editor", setup["dashboard"], setup["editor"]),
            ("admin: dashboard, supervisor", setup["dashboard"], setup["supervisor"]),
            ("admin: requests, editor", setup["register"], setup["editor"]),
            ("admin: requests, supervisor", setup["register"], setup["supervisor"]),
            (
                "admin: overdue requests, supervisor",
                setup["register"] + "?deadline=overdue",
                setup["supervisor"],
            ),
            ("admin: the column, editor", setup["explore"], setup["editor"]),
            ("admin: item editor, editor", setup["item_editor"], setup["editor"]),
        ]
        # What one supervisor or editor waits: the same addresses with one connection.
        warm += [
            (f"{name}{ONE_AT_A_TIME}", path, cookie, 1)
            for name, path, cookie in warm
            if name in ONE_AT_A_TIME_ROWS
        ]
        no_page_cache = [
            ("Catalog, anonymous, page cache off", setup["catalog"], None),
            ("item page, page cache off", setup["item"], None),
        ]
        after_a_change = [
            ("Catalog, anonymous, after a change", setup["catalog"], None),
            ("Catalog, member, after a change", setup["catalog"], setup["member"]),
            ("column of 50 items, after a change", setup["small"], None),
            ("column of 5,000 items, after a change", setup["large"], None),
        ]
        results = {}
        for server_env, server_targets in (
            (env, warm),
            ({**env, "DANGWU_PAGE_CACHE_SECONDS": "0"}, no_page_cache),
            (
                {**env, "DANGWU_PAGE_CACHE_SECONDS": "0", "DANGWU_LISTING_CACHE_SECONDS": "0"},
                after_a_change,
            ),
        ):
            server, base = start_server(server_env)
            for name, path, cookie, *one in server_targets:
                connections = one[0] if one else args.connections
                url = base + quote(path, safe="/?=&%")
                status = urllib.request.urlopen(
                    urllib.request.Request(
                        url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {}
                    )
                ).status
                assert status == 200, f"{name}: {status}"
                wrk(url, 3, connections, cookie)  # warm up
                results[name] = wrk(url, args.seconds, connections, cookie)
                print(f"  {name}: {results[name][0]:.0f} req/s", flush=True)
            stop_server(server)
            server = None
    finally:
        if server is not None:
            stop_server(server)
        if not (args.keep or args.reuse):
            psql(f"DROP DATABASE IF EXISTS {args.database}")

    print_results(results)
    print(
        f"\nCommand: .venv/bin/python benchmarks/http_load.py --schools {args.schools} "
        f"--items {args.items} --seconds {args.seconds} --connections {args.connections} "
        f"--large-column {args.large_column} --requests {args.requests}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
  (a session cookie),
* a public item page of that column,
* the column with 50 items and the column with 5,000 items (anonymous),
* ``/sitemap.xml`` (the example site's sitemap index) and one of its files of 1,000 pages,
* the district report (*Disclosure columns*) for a supervisor;

then, from a second server with the column's listing cache off (``LISTING_CACHE_SECONDS`` 0,
what the first reader after a change pays), the Catalog and column rows again.

It prints req/s, p50 and p99 latency (ms) and each one's ratio to the plain Wagtail page.
Targets (issue: district scale): anonymous Catalog ≥ 0.7 × the plain page; member ≥ 0.8 × the
anonymous Catalog; the 50- and 5,000-item columns within noise of each other.
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
from django.contrib.auth import get_user_model
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
for name, count in (("五十事项中学党委", 25), ("五千事项中学党委", 2500)):
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
item = DisclosureItem.objects.live().filter(entry__catalog=catalog, scope="public").first()
print(json.dumps({
    "plain": plain.url, "catalog": catalog.url, "item": item.url,
    "small": small.url, "large": large.url,
    "member": session_for(member), "supervisor": session_for(supervisor),
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
        "-t2",
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
        targets = [
            ("hello-world view", "/hello/", None),
            ("plain Wagtail page", setup["plain"], None),
            # What any logged-in reader costs Django and Wagtail: session, user, userbar.
            ("plain Wagtail page, member", setup["plain"], setup["member"]),
            ("Catalog, anonymous", setup["catalog"], None),
            ("Catalog, member", setup["catalog"], setup["member"]),
            ("item page", setup["item"], None),
            ("column of 50 items", setup["small"], None),
            ("column of 5,000 items", setup["large"], None),
            ("sitemap index", "/sitemap.xml", None),
            ("a sitemap file (1,000 pages)", "/sitemap-pages.xml?p=2", None),
            ("district report", "/admin/dangwu/columns/", setup["supervisor"]),
        ]
        # The same columns with the listing cache off (LISTING_CACHE_SECONDS = 0): what the
        # first reader after a change pays.
        uncached = [
            (f"{name}, listing not cached", path, cookie)
            for name, path, cookie in targets
            if name.startswith(("Catalog", "column"))
        ]
        results = {}
        for server_env, server_targets in (
            (env, targets),
            ({**env, "DANGWU_LISTING_CACHE_SECONDS": "0"}, uncached),
        ):
            server, base = start_server(server_env)
            for name, path, cookie in server_targets:
                url = base + quote(path, safe="/?=&%")
                status = urllib.request.urlopen(
                    urllib.request.Request(
                        url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {}
                    )
                ).status
                assert status == 200, f"{name}: {status}"
                wrk(url, 3, args.connections, cookie)  # warm up
                results[name] = wrk(url, args.seconds, args.connections, cookie)
                print(f"  {name}: {results[name][0]:.0f} req/s", flush=True)
            stop_server(server)
            server = None
    finally:
        if server is not None:
            stop_server(server)
        if not (args.keep or args.reuse):
            psql(f"DROP DATABASE IF EXISTS {args.database}")

    plain = results["plain Wagtail page"][0]
    print(f"\n{'address':<30} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'× plain':>8}")
    for name, (rate, p50, p99, errors) in results.items():
        flag = f"  ({errors} errors or timeouts)" if errors else ""
        print(f"{name:<30} {rate:>8.0f} {p50:>8.1f} {p99:>8.1f} {rate / plain:>8.2f}{flag}")
    anonymous = results["Catalog, anonymous"][0]
    member = results["Catalog, member"][0]
    plain_member = results["plain Wagtail page, member"][0]
    small, large = results["column of 50 items"][0], results["column of 5,000 items"][0]
    print(
        f"\nanonymous Catalog / plain page: {anonymous / plain:.2f} (target ≥ 0.7)\n"
        f"member / anonymous Catalog: {member / anonymous:.2f} (target ≥ 0.8); "
        f"on the plain page: {plain_member / plain:.2f}\n"
        f"5,000-item column / 50-item column: {large / small:.2f} (target: within noise)"
    )
    print(
        f"\nCommand: .venv/bin/python benchmarks/http_load.py --schools {args.schools} "
        f"--items {args.items} --seconds {args.seconds} --connections {args.connections}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

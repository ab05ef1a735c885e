r"""Privacy checks at scale: does the cost of Wagtail's channels grow with internal items?

Run it from the repository root, on PostgreSQL (one command; ``--help`` lists the options)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangwu_bench \
        .venv/bin/python benchmarks/privacy_scale.py

It never touches real data: like Django's test runner it creates its own database
(``test_<name>``, here ``test_dangwu_bench``), migrates it and sets up the schools there, then
clones it once per scenario (``test_dangwu_bench_a``, ``test_dangwu_bench_b``) and drops every
database it created when it ends, also on error. The database named in ``DATABASE_URL`` need not
exist. It takes about 5 to 10 minutes.

Data. 50 schools (``setup_school``, committees and branches alternately) under a home page,
20 public items per school (1,000 in all) and internal items spread evenly over the schools:
100 in all in scenario A, 10,000 in scenario B. Items are loaded in bulk (``bulk_add_items``)
in the order they were formed, so public and internal page ids interleave as on a real site.

Measurements. With Django's test ``Client`` (no server), for an anonymous reader and for a
logged-in member of one school: that school's ``Catalog`` page, ``/sitemap.xml``,
``/api/v2/pages/`` (default limit) and ``/api/v2/pages/?type=dangwu_wagtail.DisclosureItem``.
Each request is warmed up, then timed ``--repeat`` times in each scenario, alternating between
the scenarios' databases run by run so that a busy moment on the machine hits both alike. The
table gives the median and p90 in milliseconds; the number of SQL queries and their total time
(median), from further runs under ``CaptureQueriesContext`` so that recording queries does not
slow the timed runs; ``rows``, what the response lists (item links on the catalog page, URLs in
the sitemap, the API's ``total_count``); and the ratio of B's median to A's. The goal (issue:
privacy checks at scale) is a ratio of at most 1.3. After the table, for each request, the
query whose time grew most from A to B.

Sanity checks, which make the script exit with status 1: the loaded tree is valid
(treebeard's ``Page.find_problems()`` finds nothing; counts, ``numchild``, ``url_path`` and
placement are right; sample items are served or refused as they should be); no anonymous
response contains an internal item's title (every internal title carries the marker
``INTERNAL-``) or an address inside an internal section; the sitemap and the API list exactly
the pages each reader may see. ``--check`` also exits with status 2 when a ratio exceeds
``--goal``. ``--explain`` runs ``EXPLAIN (ANALYZE, BUFFERS)``, in B's database, on the query of
each request that grew most.

Not collected by pytest: it lives outside ``tests/`` (``testpaths``) and its name does not
match ``test_*.py``.
"""

import argparse
import datetime
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import swapper

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"

from benchmarks.generator import (  # noqa: E402 (after the path is set)
    INTERNAL_MARKER,
    PUBLIC_MARKER,
    bulk_add_items,
    make_schools,
    plan_items,
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--schools", type=int, default=50, help="schools (default 50)")
    parser.add_argument(
        "--public-per-school", type=int, default=20, help="public items per school (default 20)"
    )
    parser.add_argument(
        "--internal",
        type=int,
        nargs="+",
        default=[100, 10_000],
        metavar="TOTAL",
        help="internal items in all, one scenario each; the first is the baseline "
        "(default: 100 10000)",
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per request")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per request first")
    parser.add_argument(
        "--capture", type=int, default=5, help="runs per request under CaptureQueriesContext"
    )
    parser.add_argument("--goal", type=float, default=1.3, help="largest acceptable ratio")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 2 when a ratio exceeds --goal"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN (ANALYZE, BUFFERS) of the query of each request whose time grew "
        "most (in the last scenario's database)",
    )
    args = parser.parse_args(argv)
    if args.schools < 1 or args.public_per_school < 1 or args.repeat < 1 or args.capture < 1:
        parser.error("--schools, --public-per-school, --repeat and --capture must be positive")
    return args


class SanityError(Exception):
    """The benchmark's data or a response is wrong: its numbers would mean nothing."""


def check(condition, message):
    if not condition:
        raise SanityError(message)


# --------------------------------------------------------------------------------------------
# Data


def make_site():
    """A home page under Wagtail's root and the default site on it, as tests/conftest.py does."""
    from wagtail.models import Site

    Page = swapper.load_model("wagtailcore", "Page")

    from tests.testapp.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Home", slug="home-page"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost"}
    )
    return home


def make_member(catalog):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="bench_member", password="unused")
    user.groups.add(catalog.members_group)
    return user


def verify_tree(catalogs, planned):
    """Check the loaded tree as treebeard and Wagtail would have built it."""
    Page = swapper.load_model("wagtailcore", "Page")

    from dangwu_wagtail.models import DisclosureItem, InternalSection

    problems = Page.find_problems()
    names = ("evil chars", "bad steplen", "orphans", "wrong depth", "wrong numchild")
    check(
        not any(problems),
        "treebeard finds problems: "
        + ", ".join(
            f"{name}: {ids[:10]}" for name, ids in zip(names, problems, strict=True) if ids
        ),
    )
    check(
        DisclosureItem.objects.live().count() == len(planned),
        f"{DisclosureItem.objects.live().count()} live items, expected {len(planned)}",
    )
    expected = {}
    for plan in planned:
        expected[plan.parent_id] = expected.get(plan.parent_id, 0) + 1
    for catalog in catalogs:
        expected[catalog.pk] = expected.get(catalog.pk, 0) + 1  # its InternalSection
    actual_children = {}
    for parent in Page.objects.filter(pk__in=expected):
        actual_children[parent.pk] = (parent.numchild, parent.get_children().count())
    for parent_id, count in expected.items():
        numchild, children = actual_children[parent_id]
        check(
            numchild == children == count,
            f"page {parent_id}: numchild {numchild}, {children} children, expected {count}",
        )
    # Internal items under their own school's section, public ones directly under the catalog;
    # url_path as Wagtail's set_url_path() makes it. One query, not one per item.
    pages = {row[0]: row[1:] for row in Page.objects.values_list("path", "pk", "url_path")}
    sections = {c.internal_section_id: c.pk for c in catalogs}
    for path, catalog_id, scope, slug, url_path in DisclosureItem.objects.values_list(
        "path", "entry__catalog_id", "scope", "slug", "url_path"
    ):
        parent_id, parent_url_path = pages[path[: -Page.steplen]]
        if scope == "public":
            check(parent_id == catalog_id, f"public item {path} is not under its catalog")
        else:
            check(
                sections.get(parent_id) == catalog_id,
                f"internal item {path} is not in its school's internal section",
            )
        check(url_path == f"{parent_url_path}{slug}/", f"item {path}: wrong url_path")
    check(
        InternalSection.objects.count() == len(catalogs),
        "expected one internal section per school",
    )


def verify_serving(clients, member_catalog_id):
    """A public item is served to all, an internal one to its school's members only."""
    from dangwu_wagtail.models import DisclosureItem
    from dangwu_wagtail.privacy import login_url

    internal = DisclosureItem.objects.exclude(scope="public")
    public = DisclosureItem.objects.filter(scope="public").order_by("pk").first()
    anonymous, member = clients["anonymous"], clients["member"]
    check(anonymous.get(public.url).status_code == 200, "a public item is not served")
    last_internal = internal.order_by("-pk").first()
    if last_internal is not None:
        response = anonymous.get(last_internal.url)
        check(
            response.status_code == 302 and login_url() in response["Location"],
            f"anonymous: an internal item answers {response.status_code}, not a login redirect",
        )
    own = internal.filter(entry__catalog_id=member_catalog_id).first()
    if own is not None:
        response = member.get(own.url)
        check(response.status_code == 200, "an internal item is not served to its member")
    other = internal.exclude(entry__catalog_id=member_catalog_id).first()
    if other is not None:
        response = member.get(other.url)
        check(response.status_code == 404, "another school's internal item reached a member")


# --------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Measurement:
    """One request in one scenario: wall-clock times, query counts and SQL time."""

    reader: str
    label: str
    url: str
    times_ms: list = field(default_factory=list)
    query_counts: list = field(default_factory=list)
    sql_ms: list = field(default_factory=list)
    queries_run: list = field(default_factory=list)  # [(ms, sql)] of the last captured run
    rows: int = 0  # items listed: links on a catalog page, sitemap URLs, the API's total_count

    @property
    def median(self):
        return statistics.median(self.times_ms)

    @property
    def p90(self):
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]

    @property
    def queries(self):
        counts = sorted(set(self.query_counts))
        return str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"

    @property
    def sql_median(self):
        return statistics.median(self.sql_ms)


@dataclass
class Scenario:
    name: str
    internal_total: int
    database: str = ""
    catalog_url: str = ""
    expected: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)
    results: list = field(default_factory=list)


READERS = ("anonymous", "member")


def requests_for(catalog_url):
    pages = [
        ("Catalog page", catalog_url),
        ("sitemap.xml", "/sitemap.xml"),
        ("API pages", "/api/v2/pages/"),
        ("API items", "/api/v2/pages/?type=dangwu_wagtail.DisclosureItem"),
    ]
    return [(reader, label, url) for reader in READERS for label, url in pages]


class QueryTimer:
    """A database execute wrapper that times every query with ``perf_counter``.

    Django's own query log rounds durations to the millisecond; this does not."""

    def __init__(self):
        self.times_ms = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times_ms.append((time.perf_counter() - start) * 1000)


def measure_all(scenarios, databases, args):
    """Measure every request in every scenario, alternating scenarios run by run.

    The scenarios' databases exist side by side, so run ``i`` of a request is timed in A, then
    in B (the order flips on every run): a busy moment on the machine hits both alike.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for index, (reader, label, _) in enumerate(requests_for(scenarios[0].catalog_url)):
        runs = []
        for scenario in scenarios:
            url = requests_for(scenario.catalog_url)[index][2]
            measurement = Measurement(reader, label, url)
            scenario.results.append(measurement)
            runs.append((scenario, measurement))
        for scenario, measurement in runs:
            databases.use(scenario.database)
            for _ in range(args.warmup):
                response = scenario.clients[reader].get(measurement.url)
                check(
                    response.status_code == 200,
                    f"{scenario.name}: {reader} GET {measurement.url}: {response.status_code}",
                )
        for run in range(args.repeat):
            for scenario, measurement in runs if run % 2 == 0 else reversed(runs):
                databases.use(scenario.database)
                client = scenario.clients[reader]
                start = time.perf_counter()
                client.get(measurement.url)
                measurement.times_ms.append((time.perf_counter() - start) * 1000)
        for scenario, measurement in runs:
            databases.use(scenario.database)
            for _ in range(args.capture):
                timer = QueryTimer()
                with (
                    CaptureQueriesContext(connection) as captured,
                    connection.execute_wrapper(timer),
                ):
                    response = scenario.clients[reader].get(measurement.url)
                check(
                    len(timer.times_ms) == len(captured.captured_queries),
                    "the query timer and Django's query log disagree",
                )
                measurement.query_counts.append(len(timer.times_ms))
                measurement.sql_ms.append(sum(timer.times_ms))
                measurement.queries_run = list(
                    zip(timer.times_ms, (q["sql"] for q in captured.captured_queries), strict=True)
                )
            measurement.rows = check_response(measurement, response, scenario.expected)
        print(
            f"  {reader:9} {label:12} "
            + ", ".join(
                f"{scenario.name} {measurement.median:7.1f} ms ({measurement.queries} queries)"
                for scenario, measurement in runs
            ),
            flush=True,
        )


def check_response(measurement, response, expected):
    """Privacy (anonymous) and coverage checks on one response."""
    import json

    text = response.content.decode()
    if measurement.reader == "anonymous":
        leaked = re.findall(rf"{INTERNAL_MARKER}\d+-\d+", text)
        check(
            not leaked,
            f"anonymous {measurement.label} shows internal item titles: {leaked[:5]}",
        )
        check(
            "/internal/" not in text,
            f"anonymous {measurement.label} shows an address inside an internal section",
        )
    if measurement.label == "Catalog page":
        check(PUBLIC_MARKER in text, "the catalog page shows no public item")
        if measurement.reader == "member" and expected["member_internal"]:
            check(INTERNAL_MARKER in text, "the member's catalog page shows no internal item")
        return len(re.findall(rf"(?:{PUBLIC_MARKER}|{INTERNAL_MARKER})\d+-\d+", text))
    if measurement.label == "sitemap.xml":
        count = text.count("<loc>")
        check(
            count == expected["sitemap"],
            f"sitemap.xml lists {count} addresses, expected {expected['sitemap']}",
        )
        return count
    total = json.loads(text)["meta"]["total_count"]
    key = ("api_items" if measurement.label == "API items" else "api_pages", measurement.reader)
    check(
        total == expected[key],
        f"{measurement.reader} {measurement.label}: total_count {total}, expected {expected[key]}",
    )
    return total


# --------------------------------------------------------------------------------------------
# Scenarios and databases


def prepare_scenario(scenario, catalog_ids, member, args):
    """Load a scenario's items into its (current) database and check them."""
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client

    from dangwu_wagtail.models import Catalog

    print(f"Scenario {scenario.name}: {scenario.internal_total:,} internal items", flush=True)
    cache.clear()
    catalogs = list(Catalog.objects.filter(pk__in=catalog_ids).order_by("pk"))
    planned = plan_items(catalogs, args.public_per_school, scenario.internal_total)
    start = time.perf_counter()
    with transaction.atomic():
        bulk_add_items(planned)
    loaded = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  loaded {len(planned):,} items in {loaded:.1f} s", flush=True)
    start = time.perf_counter()
    verify_tree(catalogs, planned)
    print(f"  tree verified in {time.perf_counter() - start:.1f} s", flush=True)

    member_groups = set(member.groups.values_list("pk", flat=True))
    member_catalog = next(c for c in catalogs if c.members_group_id in member_groups)
    member_internal = sum(
        1 for p in planned if p.catalog_id == member_catalog.pk and not p.is_public
    )
    public_items = len(catalogs) * args.public_per_school
    public_pages = 1 + len(catalogs) + public_items  # the home page, the columns, the items
    scenario.catalog_url = member_catalog.get_url()
    scenario.expected = {
        "member_internal": member_internal,
        "sitemap": public_pages,
        ("api_pages", "anonymous"): public_pages,
        ("api_items", "anonymous"): public_items,
        # Wagtail's API admits a member into the own school's internal section.
        ("api_pages", "member"): public_pages + 1 + member_internal,
        ("api_items", "member"): public_items + member_internal,
    }
    scenario.clients = {"anonymous": Client(), "member": Client()}
    scenario.clients["member"].force_login(member)  # a session in this scenario's database
    verify_serving(scenario.clients, member_catalog.pk)


class Databases:
    """The benchmark's own databases: a migrated base with the schools, one clone a scenario."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.original_name = connection.settings_dict["NAME"]
        self.base_name = None
        self.clones = []

    def create_base(self):
        # Known before creating, so that a failed migration still drops the database.
        self.base_name = self.connection.creation._get_test_db_name()
        self.connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=False
        )

    def clone(self, suffix):
        """Copy the base (PostgreSQL: CREATE DATABASE … TEMPLATE) and return the copy's name."""
        self.use(self.base_name)
        self.connection.close()
        self.connection.creation.clone_test_db(suffix, verbosity=0, autoclobber=True)
        self.clones.append(suffix)
        return self.connection.creation.get_test_db_clone_settings(suffix)["NAME"]

    def use(self, name):
        """Point the default connection at database ``name``, connected."""
        if self.connection.settings_dict["NAME"] != name:
            self.connection.close()
            self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()

    def drop_all(self):
        if self.base_name is None:
            return
        self.connection.close()
        self.connection.settings_dict["NAME"] = self.base_name
        for suffix in list(self.clones):
            try:
                self.connection.creation.destroy_test_db(verbosity=0, suffix=suffix)
            except Exception as error:  # keep dropping the others
                print(f"Could not drop the clone {suffix!r}: {error}", file=sys.stderr)
            self.clones.remove(suffix)
        self.connection.creation.destroy_test_db(self.original_name, verbosity=0)
        self.base_name = None


# --------------------------------------------------------------------------------------------
# Report


def machine_description():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "postgresql": server_version,
        "django": __import__("django").get_version(),
        "wagtail": __import__("wagtail").__version__,
    }


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average():
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def report(scenarios, goal):
    """The results as a Markdown table; the first scenario is the baseline."""
    base, *others = scenarios
    header = ["reader", "request"]
    for scenario in scenarios:
        name = scenario.name
        header += [
            f"{name} median ms",
            f"{name} p90 ms",
            f"{name} queries",
            f"{name} SQL ms",
            f"{name} rows",
        ]
    header += [f"{scenario.name}/{base.name}" for scenario in others]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] * 2 + ["---:"] * (len(header) - 2)) + "|",
    ]
    ratios = []
    for row, baseline in enumerate(base.results):
        cells = [baseline.reader, baseline.label]
        for scenario in scenarios:
            m = scenario.results[row]
            cells += [
                f"{m.median:.1f}",
                f"{m.p90:.1f}",
                m.queries,
                f"{m.sql_median:.1f}",
                f"{m.rows:,}",
            ]
        for scenario in others:
            ratio = scenario.results[row].median / baseline.median
            cells.append(f"{ratio:.2f}" + (" ✗" if ratio > goal else ""))
            ratios.append((ratio, baseline.reader, baseline.label, scenario.name))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), ratios


def grown_queries(scenarios):
    """For each request: the query whose time grew most from the first scenario to the last.

    Queries are matched by position in the last captured run (both scenarios run the same
    sequence; when the counts differ, the slowest query of the last scenario is taken).
    Yields ``(measurement in the last scenario, first ms, last ms, sql)``.
    """
    first, last = scenarios[0], scenarios[-1]
    for row, end in enumerate(last.results):
        start = first.results[row]
        if not end.queries_run:
            continue
        if len(start.queries_run) == len(end.queries_run):
            pairs = [
                (b_ms - a_ms, a_ms, b_ms, sql)
                for (a_ms, _), (b_ms, sql) in zip(start.queries_run, end.queries_run, strict=True)
            ]
        else:
            pairs = [(b_ms, math.nan, b_ms, sql) for b_ms, sql in end.queries_run]
        _, a_ms, b_ms, sql = max(pairs, key=lambda pair: pair[0])
        yield end, a_ms, b_ms, sql


def print_grown(scenarios):
    first, last = scenarios[0].name, scenarios[-1].name
    print(f"\nThe query that grew most from {first} to {last}, per request (last captured run):")
    for m, a_ms, b_ms, sql in grown_queries(scenarios):
        times = f"{first} {a_ms:6.1f} ms, {last} {b_ms:6.1f} ms"
        print(f"  {m.reader:9} {m.label:12} {times}: {sql[:90]}…")


CURSOR_PREFIX = re.compile(r"^DECLARE .+? CURSOR (?:WITH|WITHOUT) HOLD FOR ", re.DOTALL)


def explain(scenarios):
    """EXPLAIN (ANALYZE, BUFFERS), in the last scenario's database, the queries that grew."""
    from django.db import connection

    print(f"\nEXPLAIN (ANALYZE, BUFFERS) of those queries, scenario {scenarios[-1].name}:")
    seen = set()
    for m, _, b_ms, sql in grown_queries(scenarios):
        # The sitemap iterates with a server-side cursor: explain the query it declares.
        sql = CURSOR_PREFIX.sub("", sql)
        if sql in seen or not sql.lstrip().upper().startswith("SELECT"):
            continue
        seen.add(sql)
        print(f"\n-- {m.reader} {m.label}: {b_ms:.1f} ms\n{sql}\n")
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            for (line,) in cursor.fetchall():
                print(f"   {line}")


def main(argv=None):
    args = parse_args(argv)

    import django

    django.setup()

    from django.db import connection

    if connection.vendor != "postgresql":
        print(
            "This benchmark measures PostgreSQL: set DATABASE_URL, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangwu_bench "
            ".venv/bin/python benchmarks/privacy_scale.py",
            file=sys.stderr,
        )
        return 1

    databases = Databases()
    scenarios = [
        Scenario(chr(ord("A") + position), total) for position, total in enumerate(args.internal)
    ]
    load_before = load_average()
    try:
        start = time.perf_counter()
        databases.create_base()
        print(f"Created and migrated {databases.base_name} in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        home = make_site()
        catalogs = make_schools(home, args.schools)
        member = make_member(catalogs[len(catalogs) // 2])
        print(f"Set up {len(catalogs)} schools in {time.perf_counter() - start:.1f} s")
        machine = machine_description()
        for scenario in scenarios:
            scenario.database = databases.clone(scenario.name.lower())
        for scenario in scenarios:
            databases.use(scenario.database)
            prepare_scenario(scenario, [c.pk for c in catalogs], member, args)
        print(f"Measuring ({args.repeat} runs per request and scenario)", flush=True)
        measure_all(scenarios, databases, args)
        if args.explain:
            databases.use(scenarios[-1].database)
            explain(scenarios)
    except SanityError as error:
        print(f"\nSANITY CHECK FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        databases.drop_all()

    table, ratios = report(scenarios, args.goal)
    if len(scenarios) > 1:
        print_grown(scenarios)
    given = sys.argv[1:] if argv is None else argv
    print(
        "\nCommand: DATABASE_URL=postgres://postgres@127.0.0.1:5432/"
        f"{databases.original_name} .venv/bin/python benchmarks/privacy_scale.py " + " ".join(given)
    )
    print(
        f"Machine: {machine['date']}; nproc {machine['nproc']} ({machine['cpu']}); "
        f"Python {machine['python']}; PostgreSQL {machine['postgresql']}; "
        f"Django {machine['django']}; Wagtail {machine['wagtail']}; git {git_revision()}; "
        f"load average before {load_before}, after {load_average()}"
    )
    print(
        f"Data: {args.schools} schools, {args.public_per_school} public items each; internal "
        "items: "
        + ", ".join(f"{s.name} {s.internal_total:,}" for s in scenarios)
        + f". {args.repeat} timed runs per request and scenario, alternating scenarios, after "
        f"{args.warmup} warm-up runs; queries and SQL ms (median) from {args.capture} further "
        "runs.\n"
    )
    print(table)
    if ratios:
        ratio, reader, label, name = max(ratios)
        verdict = "met" if ratio <= args.goal else "NOT met"
        print(
            f"\nGoal (ratio ≤ {args.goal}): {verdict}; largest ratio {ratio:.2f} "
            f"({reader} {label}, scenario {name})."
        )
        if args.check and ratio > args.goal:
            return 2
    return 0


def git_revision():
    try:
        return subprocess.run(
            ["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())

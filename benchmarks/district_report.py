r"""The district report at district scale: 200 schools and 100,000 items, on PostgreSQL.

Run it from the repository root (``--help`` lists the options)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangwu_bench \
        .venv/bin/python benchmarks/district_report.py

Like ``privacy_scale.py`` (whose loaders it uses) it creates its own database
(``test_<name>``), migrates it, loads the district and drops the database when it ends.

Data. ``--schools`` schools (``setup_school``, committees and branches alternately) and
``--items`` live items spread evenly over them, half public and half internal, formed over ten
years and published on the day formed; ``--requests`` disclosure requests a school, received
over the last year, four in five of them answered.

Measurements, each ``--repeat`` times after a warm-up: ``district_report()`` for this year
(the compliance clock of every entry of every school, items published and requests answered
in the year); the *Disclosure columns* admin page that shows it, for a supervisor, with
Django's test ``Client``; its CSV export. The table gives the median and p90 in milliseconds
and the number of SQL queries. The target (issue: supervision and evaluation) is a district
report under 2 seconds at 200 schools and 100,000 items, with a number of queries that does not
depend on the number of schools; ``--check`` exits with status 2 when the report's median
misses ``--target`` milliseconds.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--schools", type=int, default=200, help="schools (default 200)")
    parser.add_argument("--items", type=int, default=100_000, help="items in all (100,000)")
    parser.add_argument("--requests", type=int, default=10, help="requests a school (10)")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per measurement")
    parser.add_argument("--target", type=float, default=2000, help="report target, ms (2000)")
    parser.add_argument("--check", action="store_true", help="exit 2 when the target is missed")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="print the N functions of most cumulative time in the page (cProfile)",
    )
    args = parser.parse_args(argv)
    if min(args.schools, args.items, args.repeat) < 1 or args.requests < 0:
        parser.error("--schools, --items and --repeat must be positive")
    return args


def load_requests(catalogs, per_school):
    """``per_school`` requests a school over the last year, four in five answered."""
    from django.utils import timezone

    from dangwu_wagtail.models import AnswerType, DisclosureRequest, RequestStatus
    from dangwu_wagtail.models.deadlines import WorkingCalendar

    calendar = WorkingCalendar()
    now = timezone.now()
    rows = []
    for catalog in catalogs:
        for number in range(per_school):
            received_at = now - datetime.timedelta(days=365 * number // max(per_school, 1))
            received_on = timezone.localdate(received_at)
            due = calendar.add_working_days(received_on, 15)
            answered = number % 5 != 0
            answered_on = calendar.add_working_days(received_on, 10 + number % 10)
            rows.append(
                DisclosureRequest(
                    catalog=catalog,
                    reference=f"{received_on.year}-{catalog.pk}-{number + 1:04d}",
                    name="申请人",
                    phone="13800000000",
                    subject=f"申请 {number}",
                    description="请公开。",
                    received_at=received_at,
                    clock_started_on=received_on,
                    working_days_allowed=15,
                    status=RequestStatus.ANSWERED if answered else RequestStatus.RECEIVED,
                    answer_type=AnswerType.NOT_HELD if answered else "",
                    answer_explanation="不存在。" if answered else "",
                    answered_on=answered_on if answered else None,
                    due_when_answered=due if answered else None,
                )
            )
    DisclosureRequest.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def measure(function, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm up
    with CaptureQueriesContext(connection) as queries:
        function()
    query_count = len(queries)  # now: a later request empties the connection's query log
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p90 = timings[min(len(timings) - 1, round(0.9 * (len(timings) - 1)))]
    return statistics.median(timings), p90, query_count


def main(argv=None):
    args = parse_args(argv)

    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from benchmarks.generator import bulk_add_items, make_schools, plan_items
    from benchmarks.privacy_scale import Databases, git_revision, machine_description, make_site
    from dangwu_wagtail.privacy import supervisors_group_name
    from dangwu_wagtail.reports import district_report

    if connection.vendor != "postgresql":
        print("This benchmark measures PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 1
    databases = Databases()
    try:
        start = time.perf_counter()
        databases.create_base()
        databases.use(databases.base_name)
        home = make_site()
        catalogs = make_schools(home, args.schools)
        print(f"Set up {len(catalogs)} schools in {time.perf_counter() - start:.1f} s", flush=True)
        start = time.perf_counter()
        public_per_school = args.items // 2 // args.schools
        internal_total = args.items - public_per_school * args.schools
        planned = plan_items(catalogs, public_per_school, internal_total)
        with transaction.atomic():
            bulk_add_items(planned)
            requests = load_requests(catalogs, args.requests)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"Loaded {len(planned)} items and {requests} requests in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )
        supervisor = get_user_model().objects.create_user("bench_supervisor", password="x")
        supervisor.groups.add(Group.objects.get(name=supervisors_group_name()))
        client = Client()
        client.force_login(supervisor)
        url = reverse("dangwu_wagtail_admin:catalogs")
        year = timezone.localdate().year

        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        def export():
            response = client.get(url + "?export=csv")
            assert response.status_code == 200
            b"".join(response.streaming_content)

        rows = district_report(year)
        assert len(rows) == args.schools
        results = [
            ("district_report()", measure(lambda: district_report(year), args.repeat)),
            ("Disclosure columns page", measure(page, args.repeat)),
            ("CSV export", measure(export, args.repeat)),
        ]
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(page)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
        machine = machine_description()
    finally:
        databases.drop_all()

    print(f"\n{args.schools} schools, {args.items} items, {requests} requests")
    print(f"{'measurement':<26} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for name, (median, p90, queries) in results:
        print(f"{name:<26} {median:>10.1f} {p90:>8.1f} {queries:>8}")
    given = sys.argv[1:] if argv is None else argv
    print(
        "\nCommand: DATABASE_URL=postgres://postgres@127.0.0.1:5432/"
        f"{databases.original_name} .venv/bin/python benchmarks/district_report.py "
        + " ".join(given)
    )
    print(
        f"Machine: {machine['date']}; nproc {machine['nproc']} ({machine['cpu']}); "
        f"Python {machine['python']}; PostgreSQL {machine['postgresql']}; "
        f"Django {machine['django']}; Wagtail {machine['wagtail']}; git {git_revision()}"
    )
    report_median = results[0][1][0]
    verdict = "met" if report_median <= args.target else "MISSED"
    print(f"Target: district report median ≤ {args.target:.0f} ms: {verdict}")
    if args.check and report_median > args.target:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Wagtail's own test suite, with and without the add-on: the peer-suite job.

Runs the modules of Wagtail's test suite that touch what the add-on changes (``MODULES``)
against Wagtail's test project twice: with ``wagtail.test.settings`` as shipped (the
baseline), and with ``tests.peer.settings`` (the same, with the add-on installed as the README
tells a host to install it). It prints both runs' counts and fails on any test that passes in
the baseline and does not pass with the add-on, except the few in ``EXPECTED_DIFFERENCES``.

    ./tests/peer/run.sh                       # both runs, then the comparison
    ./tests/peer/run.sh --addon-only          # the add-on's run against the last baseline
    ./tests/peer/run.sh --addon-only wagtail.admin.tests.test_privacy   # some modules only
    ./tests/peer/run.sh --keepdb ...          # keep each run's migrated database for the next

Each run's outcomes go to ``test-artifacts/peer/<run>.json`` and its output to
``<run>.log``; the baseline is reused by ``--addon-only`` when Wagtail, Django, the database
engine and the modules asked for are the same.

The database is Wagtail's test default, SQLite in memory, as Wagtail's own ``runtests.py``
uses it; ``DATABASE_ENGINE`` and the other variables ``wagtail.test.settings`` reads are passed
through to both runs, so ``DATABASE_ENGINE=django.db.backends.postgresql DATABASE_HOST=...``
runs both on PostgreSQL, each run in a database of its own (``<DATABASE_NAME>_baseline``,
``<DATABASE_NAME>_addon``).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
ARTIFACTS = REPOSITORY / "test-artifacts" / "peer"

RUNS = {"baseline": "wagtail.test.settings", "addon": "tests.peer.settings"}

#: Wagtail's test modules that exercise what the add-on hooks into or adds to: page
#: permissions and privacy, the explorer, choosers, page views and bulk actions, workflows,
#: search, sitemaps, the APIs, documents, reports, the audit log, the dashboard and menus,
#: users, and the page-type assertions: 3,156 tests, about what CI's time allows (the README's
#: testing section has the figures).
MODULES = [
    # privacy
    "wagtail.admin.tests.test_privacy",
    "wagtail.tests.test_page_privacy",
    # (documents' collection privacy: under "wagtail.documents")
    # permissions and permission policies
    "wagtail.tests.test_page_permissions",
    "wagtail.tests.test_permissions",
    "wagtail.tests.permission_policies",
    "wagtail.images.tests.test_permissions",
    "wagtail.users.tests.test_permissions",
    # the explorer, page views, bulk actions and choosers
    "wagtail.admin.tests.pages",
    "wagtail.admin.tests.test_page_chooser",
    # (the document chooser: under "wagtail.documents")
    # workflows
    "wagtail.admin.tests.test_workflows",
    "wagtail.tests.test_workflow",
    "wagtail.tests.test_workflow_model",
    # search
    "wagtail.admin.tests.test_admin_search",
    "wagtail.tests.test_page_search",
    # sitemaps
    "wagtail.contrib.sitemaps",
    # the APIs: v2 (and the admin's) and v3
    "wagtail.api.v2",
    "wagtail.admin.tests.api",
    "wagtail.api.v3",
    # documents
    "wagtail.documents",
    # reports, the audit log, the dashboard and menus
    "wagtail.admin.tests.test_reports_views",
    "wagtail.admin.tests.test_audit_log",
    "wagtail.tests.test_audit_log",
    "wagtail.admin.tests.test_dashboard",
    "wagtail.admin.tests.test_menu",
    "wagtail.admin.tests.ui.test_sidebar",
    # users
    "wagtail.users",
    # the page-type assertions
    "wagtail.tests.test_tests",
]

#: Tests that list every page type the project has: they differ with the add-on because its
#: page types (Catalog, DisclosureItem, InternalSection) exist. Matched by exact test id.
EXPECTED_DIFFERENCES = {
    # assertAllowedSubpageTypes(Page, <all of the test project's page types but four>):
    # the add-on's Catalog may also go under Page.
    "wagtail.tests.test_tests.TestWagtailPageTests.test_assert_allowed_subpage_types": (
        "enumerates every page type allowed under Page; the add-on's Catalog is one more"
    ),
    # assertAllowedParentPageTypes(BusinessIndex, <all of the test project's page types but
    # six>): the add-on's page types are among the possible parents.
    "wagtail.tests.test_tests.TestWagtailPageTests.test_assert_allowed_parent_page_types": (
        "enumerates every page type that may be a parent; the add-on's page types are more"
    ),
    # The OpenAPI schema of API v3 against Wagtail's stored snapshot: every page type gets
    # its schemas and operations, the add-on's included.
    "wagtail.api.v3.tests.test_openapi_snapshot.TestOpenAPISnapshot"
    ".test_openapi_schema_matches_snapshot": (
        "compares API v3's OpenAPI schema, which lists every page type, with a snapshot"
    ),
}

#: Outcomes that count as passing.
PASSING = {"passed", "expected failure"}


def under(test_id, labels):
    """Whether ``test_id`` (or the module named in a failed import's id) is under a label."""
    name = test_id
    for prefix in ("unittest.loader._FailedTest.", "unittest.loader.ModuleImportFailure."):
        name = name.removeprefix(prefix)
    if name.endswith(")") and " (" in name:  # "setUpClass (wagtail.x.TestY)"
        name = name[name.index(" (") + 2 : -1]
    return any(name == label or name.startswith(f"{label}.") for label in labels)


def environment():
    """What a baseline must share with a run to be compared with it."""
    return {
        "wagtail": version("wagtail"),
        "django": version("django"),
        "database_engine": os.environ.get("DATABASE_ENGINE", "django.db.backends.sqlite3"),
    }


def run(name, labels, parallel, keepdb):
    """Run Wagtail's tests ``labels`` with run ``name``'s settings; return its outcomes."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    results = ARTIFACTS / f"{name}.json"
    log = ARTIFACTS / f"{name}.log"
    results.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY), "PYTHONUNBUFFERED": "1"}
    if environment()["database_engine"] != "django.db.backends.sqlite3":
        # One database for each run, named after DATABASE_NAME (wagtail.test's default).
        env["DATABASE_NAME"] = f"{os.environ.get('DATABASE_NAME', 'wagtail')}_{name}"
    elif keepdb:
        # Django reuses kept clones as they are: copy them afresh from the migrated database.
        for clone in ARTIFACTS.glob(f"{name}_*.sqlite3"):
            clone.unlink()
        env["DATABASE_NAME"] = str(ARTIFACTS / f"{name}.sqlite3")
    command = [
        sys.executable,
        "-m",
        "django",
        "test",
        f"--settings={RUNS[name]}",
        "--testrunner=tests.peer.runner.RecordingRunner",
        f"--results={results}",
        f"--parallel={parallel}",
        "--noinput",
        *(["--keepdb"] if keepdb else []),
        *labels,
    ]
    print(f"== {name}: {RUNS[name]}, {len(labels)} labels, log in {log.relative_to(REPOSITORY)}")
    started = time.monotonic()
    with log.open("w") as output:
        process = subprocess.run(
            command, cwd=REPOSITORY, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    elapsed = time.monotonic() - started
    if not results.exists():
        sys.exit(f"The {name} run wrote no results (exit {process.returncode}): see {log}")
    outcome = json.loads(results.read_text())
    if not outcome.get("completed"):
        sys.exit(f"The {name} run stopped before its tests finished: see {log}")
    outcome.update(environment=environment(), labels=labels, seconds=round(elapsed))
    results.write_text(json.dumps(outcome, indent=1, ensure_ascii=False))
    return outcome


def cached_baseline(path, labels):
    if not path.exists():
        sys.exit(f"No baseline at {path}: run without --addon-only first.")
    baseline = json.loads(path.read_text())
    if baseline.get("environment") != environment():
        sys.exit(
            f"The baseline at {path} was run with {baseline.get('environment')}, "
            f"not {environment()}: run without --addon-only."
        )
    missing = [label for label in labels if not under(label, baseline["labels"])]
    if missing:
        sys.exit(f"The baseline at {path} did not run {', '.join(missing)}.")
    return baseline


def counts(tests):
    tally = Counter(tests.values())
    return (
        f"{len(tests)} run, {tally['passed']} passed, {tally['failed']} failed, "
        f"{tally['error']} errors, {tally['skipped']} skipped"
        + "".join(
            f", {tally[outcome]} {outcome}s"
            for outcome in ("expected failure", "unexpected success")
            if tally[outcome]
        )
    )


def compare(baseline, addon, labels):
    """Print both runs' counts and their differences; return whether the add-on passes."""
    before = {key: value for key, value in baseline["tests"].items() if under(key, labels)}
    after = addon["tests"]
    print(f"baseline:      {counts(before)} ({baseline['seconds']}s)")
    print(f"with add-on:   {counts(after)} ({addon['seconds']}s)")

    differing = sorted(
        test_id
        for test_id in before.keys() | after.keys()
        if (before.get(test_id) in PASSING and after.get(test_id) not in PASSING)
        or (test_id not in before and after[test_id] in ("failed", "error"))
    )
    regressions = [test_id for test_id in differing if test_id not in EXPECTED_DIFFERENCES]
    expected = [test_id for test_id in differing if test_id in EXPECTED_DIFFERENCES]
    stale = sorted(
        test_id
        for test_id in EXPECTED_DIFFERENCES
        if before.get(test_id) in PASSING and after.get(test_id) in PASSING
    )
    fixed = sorted(
        test_id
        for test_id, outcome in after.items()
        if outcome in PASSING and test_id in before and before[test_id] not in PASSING
    )

    print(f"\nexpected differences ({len(expected)} of {len(EXPECTED_DIFFERENCES)} listed):")
    for test_id in expected:
        print(f"  {after.get(test_id, 'not run')}: {test_id}")
        print(f"    ({EXPECTED_DIFFERENCES[test_id]})")
    if fixed:
        print(f"\nfailing in the baseline, passing with the add-on ({len(fixed)}):")
        for test_id in fixed:
            print(f"  {test_id}")
    if stale:
        print(f"\nlisted as expected differences but passing with the add-on ({len(stale)}):")
        for test_id in stale:
            print(f"  {test_id}: remove it from EXPECTED_DIFFERENCES")
    print(f"\nregressions: passing in the baseline, not with the add-on ({len(regressions)}):")
    for test_id in regressions:
        print(f"  {after.get(test_id, 'not run')}: {test_id}")
    for test_id in regressions:
        detail = addon.get("details", {}).get(test_id)
        if detail:
            print(f"\n-- {test_id}\n{detail}")
    return not regressions and not stale


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "labels", nargs="*", help="Wagtail test modules, classes or tests (default: MODULES)"
    )
    parser.add_argument(
        "--addon-only",
        action="store_true",
        help="run with the add-on only, against the baseline of an earlier run",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=ARTIFACTS / "baseline.json",
        help="with --addon-only, the baseline's results (default: %(default)s)",
    )
    parser.add_argument(
        "--parallel", type=int, default=int(os.environ.get("PEER_SUITE_PROCESSES", "2"))
    )
    parser.add_argument(
        "--keepdb",
        action="store_true",
        help="keep each run's migrated SQLite database in test-artifacts/peer for the next run",
    )
    args = parser.parse_args(argv)
    labels = args.labels or MODULES
    started = time.monotonic()

    if args.addon_only:
        baseline = cached_baseline(args.baseline, labels)
    else:
        baseline = run("baseline", labels, args.parallel, args.keepdb)
    addon = run("addon", labels, args.parallel, args.keepdb)

    passed = compare(baseline, addon, labels)
    verdict = "passed" if passed else "FAILED"
    print(f"\n== peer suite {verdict} in {time.monotonic() - started:.0f}s")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

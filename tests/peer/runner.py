"""A Django test runner that writes each test's outcome to a JSON file.

``manage.py test --testrunner tests.peer.runner.RecordingRunner --results FILE`` runs tests as
Django's own runner does (``--parallel`` included: the workers' outcomes are replayed in the
main process, where they are recorded) and writes::

    {"completed": true,
     "tests": {"<test id>": "passed" | "failed" | "error" | "skipped"
                            | "expected failure" | "unexpected success", ...},
     "details": {"<test id>": "<traceback of a failure or error>", ...}}

A class or module that fails to set up is recorded under the id unittest gives it
(``setUpClass (wagtail.x.tests.TestY)``, ``unittest.loader._FailedTest.wagtail.x``), so that
tests which never ran are not silently missing.
"""

import json
import shutil
import unittest
from pathlib import Path

from django.test.runner import DiscoverRunner

#: Characters of a failure's traceback kept in the results (an OpenAPI schema's diff is
#: megabytes); the run's output has all of it.
DETAIL_LIMIT = 20_000

#: When a test reports more than one outcome (a failing subtest, an error in
#: ``tearDownClass`` reported on the last test of its class), the worst one is kept.
SEVERITY = ["skipped", "expected failure", "passed", "unexpected success", "failed", "error"]


def recording_result_class(base, outcomes, details):
    class RecordingResult(base):
        def record(self, test, outcome, err=None):
            test_id = test.id()
            previous = outcomes.get(test_id)
            if previous is None or SEVERITY.index(outcome) > SEVERITY.index(previous):
                outcomes[test_id] = outcome
            if err is not None:
                text = details.get(test_id, "") + self._exc_info_to_string(err, test)
                if len(text) > DETAIL_LIMIT:
                    text = text[:DETAIL_LIMIT] + "\n[... cut here: the run's log has it all]\n"
                details[test_id] = text

        def addSuccess(self, test):
            super().addSuccess(test)
            self.record(test, "passed")

        def addError(self, test, err):
            super().addError(test, err)
            self.record(test, "error", err)

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self.record(test, "failed", err)

        def addSubTest(self, test, subtest, err):
            super().addSubTest(test, subtest, err)
            if err is not None:
                failed = issubclass(err[0], test.failureException)
                self.record(test, "failed" if failed else "error", err)

        def addSkip(self, test, reason):
            super().addSkip(test, reason)
            self.record(test, "skipped")

        def addExpectedFailure(self, test, err):
            super().addExpectedFailure(test, err)
            self.record(test, "expected failure")

        def addUnexpectedSuccess(self, test):
            super().addUnexpectedSuccess(test)
            self.record(test, "unexpected success")

    return RecordingResult


class RecordingRunner(DiscoverRunner):
    def __init__(self, results=None, **kwargs):
        super().__init__(**kwargs)
        self.results_path = Path(results) if results else None
        self.outcomes = {}
        self.details = {}

    @classmethod
    def add_arguments(cls, parser):
        super().add_arguments(parser)
        parser.add_argument("--results", help="Write each test's outcome to this JSON file.")

    def get_resultclass(self):
        return recording_result_class(
            super().get_resultclass() or unittest.TextTestResult, self.outcomes, self.details
        )

    def run_tests(self, test_labels, **kwargs):
        completed = False
        try:
            failures = super().run_tests(test_labels, **kwargs)
            completed = True
            return failures
        finally:
            if self.results_path is not None:
                self.results_path.parent.mkdir(parents=True, exist_ok=True)
                results = {
                    "completed": completed,
                    "tests": dict(sorted(self.outcomes.items())),
                    "details": dict(sorted(self.details.items())),
                }
                self.results_path.write_text(json.dumps(results, indent=1, ensure_ascii=False))
            # As Wagtail's runtests.py does: the test project writes these inside the package.
            from django.conf import settings

            shutil.rmtree(settings.STATIC_ROOT, ignore_errors=True)
            shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)

"""Settings of the task workers started by tests/test_worker.py: the test settings, on the
test database the suite created, with django-tasks-db's queue and a local SMTP server."""

import importlib
import os

# The settings the suite runs with (tests.settings, or tests.swapped_page_settings), as the
# test that starts this process passes them on.
_suite = importlib.import_module(os.environ.get("DANGWU_TEST_SUITE_SETTINGS", "tests.settings"))
globals().update({name: value for name, value in vars(_suite).items() if name.isupper()})
DATABASES = _suite.DATABASES

DATABASES["default"]["NAME"] = os.environ["DANGWU_TEST_DATABASE"]
DATABASES["default"].pop("TEST", None)
if os.environ.get("DANGWU_TEST_DATABASE_PORT"):
    # Through the test's proxy, which it stops to make the database unavailable.
    DATABASES["default"]["HOST"] = "127.0.0.1"
    DATABASES["default"]["PORT"] = os.environ["DANGWU_TEST_DATABASE_PORT"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A locked database fails fast, as an unavailable one would.
    DATABASES["default"]["OPTIONS"]["timeout"] = 1

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "dangwu_wagtail.mail.QueuedEmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["DANGWU_SMTP_PORT"])
EMAIL_TIMEOUT = 5
DEFAULT_FROM_EMAIL = "dangwu@example.com"
DANGWU_WAGTAIL = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_RETRY_SECONDS": 1,
    "EMAIL_CLAIM_SECONDS": 2,
    # Cron lines with seconds, so that the tests need not wait for minutes.
    "SCHEDULES": {
        "publish_scheduled": "* * * * * */2",
        "overdue_lists": os.environ.get("DANGWU_OVERDUE_LISTS") or None,
        "email_retries": "* * * * * *",
        "prune": None,
    },
}

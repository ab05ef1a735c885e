"""Settings of the app servers started by tests/test_multinode.py: the test settings, on the
test database the suite created, with the cache in Redis (127.0.0.1:6379) and the emails
queued in the database for a task worker (tests/worker_settings.py)."""

import importlib
import os

# The settings the suite runs with (tests.settings, or tests.swapped_page_settings), as the
# test that starts this process passes them on.
_suite = importlib.import_module(os.environ.get("DANGWU_TEST_SUITE_SETTINGS", "tests.settings"))
globals().update({name: value for name, value in vars(_suite).items() if name.isupper()})
DATABASES = _suite.DATABASES

DATABASES["default"]["NAME"] = os.environ["DANGWU_TEST_DATABASE"]
DATABASES["default"].pop("TEST", None)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("DANGWU_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": os.environ["DANGWU_CACHE_PREFIX"],
    }
}
DANGWU_WAGTAIL = {"ANONYMOUS_REQUESTS": True}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "dangwu_wagtail.mail.QueuedEmailBackend"

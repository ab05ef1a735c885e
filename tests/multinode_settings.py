"""Settings of the app servers started by tests/test_multinode.py: the test settings, on the
test database the suite created, with the cache in Redis (127.0.0.1:6379) and the emails
queued in the database for a task worker (tests/worker_settings.py)."""

import os

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

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

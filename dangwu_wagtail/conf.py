"""The add-on's settings: one namespaced dict, ``DANGWU_WAGTAIL``, in the host's settings.

Every key is optional::

    DANGWU_WAGTAIL = {
        # Name of the one group whose members read every school's column (监督小组).
        # None: "District supervisors", translated into the site's LANGUAGE_CODE.
        "SUPERVISORS_GROUP": None,
        # Name of the group that approves catalog adjustments for the district
        # (上级党组织审批). None: "Superior Party organisation", translated.
        "APPROVERS_GROUP": None,
        # Disclosure on request (依申请公开): working days to answer, and by how many
        # working days the deadline may be extended, once.
        "REQUEST_WORKING_DAYS": 15,
        "REQUEST_EXTENSION_DAYS": 15,
        # The compliance clock: working days after the event (immediate entries) or after
        # the period's end (periodic entries) to publish; "due soon" this many days ahead.
        "IMMEDIATE_WORKING_DAYS": 10,
        "DUE_SOON_WORKING_DAYS": 3,
        # Whether anyone who leaves contact details may file a request (else members only).
        "ANONYMOUS_REQUESTS": False,
        # Seconds a shared cache (CDN, frontend cache) may keep what anonymous readers get
        # of a column and its items; 0: not at all. Logged-in readers' pages are never kept.
        "ANONYMOUS_CACHE_SECONDS": 300,
        # Seconds Django's cache keeps a column's catalog listing, per audience (the public,
        # the school's insiders) and language; 0: not at all. A change to the column or its
        # items makes a new listing at once, on every server.
        "LISTING_CACHE_SECONDS": 3600,
        # With dangwu_wagtail.caching.PageCacheMiddleware in MIDDLEWARE: seconds Django's
        # cache (the alias PAGE_CACHE) keeps whole anonymous pages of a column and its public
        # items; 0: not at all. A change to the column or its items renews them at once.
        "PAGE_CACHE_SECONDS": 300,
        "PAGE_CACHE": "default",
        # Submissions per user and per address: "<count>/<s|m|h|d>", or None for no limit.
        # Password-reset emails: "password_reset" per email address asked for,
        # "password_reset_address" per client address (a school behind one NAT shares it).
        "RATE_LIMITS": {
            "request": "5/h",
            "feedback": "20/h",
            "clarification": "10/h",
            "password_reset": "3/h",
            "password_reset_address": "20/h",
        },
        # Uploads with a request: largest size in bytes, and the extensions accepted (each
        # checked by its content; of doc, docx, xls, xlsx, pdf, jpg, jpeg, png and txt).
        "MAX_UPLOAD_SIZE": 10 * 1024 * 1024,
        "UPLOAD_EXTENSIONS": ["doc", "docx", "xls", "xlsx", "pdf", "jpg", "jpeg", "png", "txt"],
        # Period given to periodic reference entries; the district plan leaves it open.
        "DEFAULT_PERIOD": "year",
        # Emails are queued (``OutgoingEmail``) and delivered by the task worker with this
        # backend. None: EMAIL_BACKEND, or Django's SMTP backend when EMAIL_BACKEND is the
        # add-on's queue ("dangwu_wagtail.mail.QueuedEmailBackend").
        "EMAIL_BACKEND": None,
        # Attempts before an email is given up (and shown as not sent); the pause after
        # the first failure, in seconds, doubles after each one up to an hour.
        "EMAIL_ATTEMPTS": 10,
        "EMAIL_RETRY_SECONDS": 60,
        # Seconds a worker may take to deliver one email; past them, a worker that died
        # while sending is taken to have failed, and the email is tried again.
        "EMAIL_CLAIM_SECONDS": 300,
        # What the worker (``manage.py dangwu_worker``) runs on its own, as cron lines in
        # the site's TIME_ZONE; a name set to None is not run.
        "SCHEDULES": {
            "publish_scheduled": "*/5 * * * *",
            "overdue_lists": "0 8 * * 1",
            "email_retries": "* * * * *",
            # Emails sent and finished tasks are deleted after 30 days.
            "prune": "30 3 * * *",
        },
        # Search: the site's own terms for the segmenter, kept whole in queries (the Party
        # terms of dangwu_wagtail/data/party_terms.txt always are).
        "SEARCH_TERMS": [],
        # Text of attached PDF, DOCX and XLSX files for search: files larger than this many
        # bytes are not read; at most this many characters are kept per file; reading one
        # file stops after this many seconds.
        "ATTACHMENT_TEXT_MAX_BYTES": 20 * 1024 * 1024,
        "ATTACHMENT_TEXT_MAX_CHARS": 100_000,
        "ATTACHMENT_TEXT_SECONDS": 10,
    }

Read a value as ``dangwu_settings.DEFAULT_PERIOD``. Values are reloaded when Django's
``setting_changed`` signal fires, so ``override_settings`` works in tests.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTING_NAME = "DANGWU_WAGTAIL"

DEFAULTS = {
    "SUPERVISORS_GROUP": None,
    "APPROVERS_GROUP": None,
    "DEFAULT_PERIOD": "year",
    "REQUEST_WORKING_DAYS": 15,
    "REQUEST_EXTENSION_DAYS": 15,
    "ANONYMOUS_REQUESTS": False,
    "IMMEDIATE_WORKING_DAYS": 10,
    "DUE_SOON_WORKING_DAYS": 3,
    "ANONYMOUS_CACHE_SECONDS": 300,
    "LISTING_CACHE_SECONDS": 3600,
    "PAGE_CACHE_SECONDS": 300,
    "PAGE_CACHE": "default",
    "RATE_LIMITS": {
        "request": "5/h",
        "feedback": "20/h",
        "clarification": "10/h",
        "password_reset": "3/h",
        "password_reset_address": "20/h",
    },
    "MAX_UPLOAD_SIZE": 10 * 1024 * 1024,
    "UPLOAD_EXTENSIONS": ["doc", "docx", "xls", "xlsx", "pdf", "jpg", "jpeg", "png", "txt"],
    "EMAIL_BACKEND": None,
    "EMAIL_ATTEMPTS": 10,
    "EMAIL_RETRY_SECONDS": 60,
    "EMAIL_CLAIM_SECONDS": 300,
    "SCHEDULES": {
        "publish_scheduled": "*/5 * * * *",
        "overdue_lists": "0 8 * * 1",
        "email_retries": "* * * * *",
        "prune": "30 3 * * *",
    },
    "SEARCH_TERMS": [],
    "ATTACHMENT_TEXT_MAX_BYTES": 20 * 1024 * 1024,
    "ATTACHMENT_TEXT_MAX_CHARS": 100_000,
    "ATTACHMENT_TEXT_SECONDS": 10,
}


class DangwuSettings:
    """Attribute access to ``DANGWU_WAGTAIL`` with the defaults filled in."""

    def __init__(self):
        self._values = None

    def _load(self):
        user_settings = getattr(settings, SETTING_NAME, None) or {}
        unknown = set(user_settings) - set(DEFAULTS)
        if unknown:
            raise ImproperlyConfigured(
                f"{SETTING_NAME} has unknown keys: {', '.join(sorted(unknown))}. "
                f"Known keys: {', '.join(sorted(DEFAULTS))}."
            )
        values = {**DEFAULTS, **user_settings}
        for name, default in DEFAULTS.items():
            # A dict (RATE_LIMITS, SCHEDULES) is merged key by key: a host that changes one
            # limit or schedule keeps the others, and None for a key turns that one off.
            if isinstance(default, dict) and name in user_settings:
                given = user_settings[name]
                if not isinstance(given, dict):
                    raise ImproperlyConfigured(
                        f"{SETTING_NAME}[{name!r}] must be a dict, like its default: {default}."
                    )
                unknown = set(given) - set(default)
                if unknown:
                    raise ImproperlyConfigured(
                        f"{SETTING_NAME}[{name!r}] has unknown keys: "
                        f"{', '.join(sorted(unknown))}. Known keys: {', '.join(sorted(default))}."
                    )
                values[name] = {**default, **given}
        return values

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        if self._values is None:
            self._values = self._load()
        return self._values[name]

    def reload(self):
        self._values = None


dangwu_settings = DangwuSettings()


def reload_settings(*, setting, **kwargs):
    """``setting_changed`` receiver, connected in ``signal_handlers``."""
    if setting == SETTING_NAME:
        dangwu_settings.reload()

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
    "RATE_LIMITS": {
        "request": "5/h",
        "feedback": "20/h",
        "clarification": "10/h",
        "password_reset": "3/h",
        "password_reset_address": "20/h",
    },
    "MAX_UPLOAD_SIZE": 10 * 1024 * 1024,
    "UPLOAD_EXTENSIONS": ["doc", "docx", "xls", "xlsx", "pdf", "jpg", "jpeg", "png", "txt"],
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
        return {**DEFAULTS, **user_settings}

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

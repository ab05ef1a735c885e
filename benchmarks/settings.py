"""Settings for the benchmarks: the test settings, with Wagtail's API v2 and the sitemap app.

Adds ``wagtail.api.v2`` and ``rest_framework`` unless the test settings already have them.
"""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [
    *INSTALLED_APPS,
    *(
        app
        for app in ("wagtail.api.v2", "rest_framework", "wagtail.contrib.sitemaps")
        if app not in INSTALLED_APPS
    ),
]

ROOT_URLCONF = "benchmarks.urls"

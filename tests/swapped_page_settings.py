"""The test settings with Wagtail's page model swapped (``WAGTAIL_PAGE_MODEL``), as a host site
with its own base page has it. The core of the suite runs with them in CI:

    ./runtests.sh --ds=tests.swapped_page_settings tests/test_privacy.py …

Wagtail's own test app for this (``wagtail.test.basepage``, shipped in Wagtail's wheel) gives
the base page, as Wagtail's own suite uses it with ``USE_CUSTOM_PAGE_MODEL``.
"""

from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS[:2], "wagtail.test.basepage", *INSTALLED_APPS[2:]]
WAGTAIL_PAGE_MODEL = "basepage.BasePage"

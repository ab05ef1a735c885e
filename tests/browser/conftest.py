"""Real-browser fixtures: Playwright driving the system's Chromium against pytest-django's
live server.

Playwright's sync API keeps an asyncio event loop running in the test thread for as long as
it is started, and Django refuses ORM calls from a thread with a running loop. The browser
therefore lives for one module only, and Django's guard is lifted just while it does.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DANGWU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
#: How long an auto-waiting locator or expectation waits before failing, in milliseconds.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser():
    # Never skipped: a machine without them fails here, saying what to install.
    from playwright import sync_api

    assert os.path.exists(CHROMIUM), (
        f"no Chromium at {CHROMIUM}: apt-get install chromium fonts-noto-cjk (.ci/run does)"
    )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox"], headless=True
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


class Screenshots:
    """Saves ``<test>-<step>.png`` into test-artifacts/browser/."""

    def __init__(self, test_name):
        self.prefix = re.sub(r"[^\w.-]+", "_", test_name)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob(f"{self.prefix}-*.png"):  # an earlier run's
            old.unlink()

    def __call__(self, page, step):
        page.screenshot(path=str(ARTIFACTS / f"{self.prefix}-{step}.png"), full_page=True)


@pytest.fixture
def shot(request):
    return Screenshots(request.node.name)


@pytest.fixture
def new_context(browser, live_server, request, shot):
    """Open a fresh browser context (its own cookies) on the live server; pages of every
    context opened are photographed when the test fails."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    contexts = []

    def open_context(**options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    failed = getattr(request.node, "browser_failed", False)
    for number, context in enumerate(contexts):
        if failed:
            for page_number, page in enumerate(context.pages):
                try:
                    shot(page, f"failure-{number}-{page_number}")
                except Exception:  # the page may be gone; the test's error says more
                    pass
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh browser context."""
    return new_context().new_page()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The live server shares this process's cache, where the forms' rate limits count."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

"""Beyond one machine: two app servers (gunicorn) on one database and one Redis cache, and one
task worker.

A change made through one server is served by the other at once, and what the servers share
(the columns' cached listings, rate limits, Wagtail's cached site roots) lives in Redis, not in
a process. The emails either server queues are sent by the worker, once.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from dangwu_wagtail.models import Catalog, DisclosureItem
from tests.conftest import SCHOOL_A
from tests.test_admin import edit_item_data
from tests.test_fresh_site import NoRedirects, free_port

REPO_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


class Visitor:
    """A browser of one server: cookies, no redirects followed."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirects(),
        )

    def go(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        url = self.base_url + urllib.parse.quote(path, safe="/?=&%:")
        try:
            with self.opener.open(url, data=body, timeout=20) as response:
                return response.status, response.headers, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", errors="replace")

    def token(self, html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


class Servers(list):
    """The servers' addresses, and the key prefix of their shared cache."""

    cache_prefix = ""


def listing_keys(servers):
    """The column listings the servers keep in Redis (Django's template fragment keys)."""
    import redis

    client = redis.Redis.from_url(os.environ.get("DANGWU_REDIS_URL", "redis://127.0.0.1:6379/0"))
    return client.keys(f"{servers.cache_prefix}:*dangwu_catalog_listing*")


@pytest.fixture
def servers(committed_district, tmp_path):
    cache_prefix = f"dangwu-test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.multinode_settings",
        "DANGWU_TEST_SUITE_SETTINGS": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings"),
        "DANGWU_TEST_DATABASE": str(connection.settings_dict["NAME"]),
        "DANGWU_CACHE_PREFIX": cache_prefix,
        "PYTHONPATH": str(REPO_ROOT),
    }
    processes, urls = [], []
    for name in ("one", "two"):
        port = free_port()
        log = (tmp_path / f"{name}.log").open("w")
        processes.append(
            subprocess.Popen(
                [
                    GUNICORN,
                    "--workers",
                    "1",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "tests.multinode_wsgi:application",
                ],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for process, url in zip(processes, urls, strict=True):
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None, (tmp_path / "one.log").read_text()
                try:
                    urllib.request.urlopen(url + "/admin/login/", timeout=2)
                    break
                except OSError:
                    assert time.monotonic() < deadline, f"{url} did not start"
                    time.sleep(0.3)
        urls = Servers(urls)
        urls.cache_prefix = cache_prefix
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def test_a_change_through_one_server_is_served_by_the_other(servers):
    one, two = (Visitor(url) for url in servers)
    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    item = DisclosureItem.objects.get(title="Public OPENWORD plan")
    old_url = item.url

    status, _, body = two.go(catalog.url)
    assert status == 200 and "Public OPENWORD plan" in body
    # Server two kept the column's listing in Redis, where server one finds it too.
    assert listing_keys(servers)
    status, _, body = one.go(catalog.url)
    assert status == 200 and "Public OPENWORD plan" in body

    # The superuser logs in on server one and makes the item internal.
    status, _, body = one.go("/admin/login/")
    status, _, _ = one.go(
        "/admin/login/",
        {"csrfmiddlewaretoken": one.token(body), "username": "superuser", "password": "password"},
    )
    assert status == 302
    status, _, body = one.go(f"/admin/pages/{item.pk}/edit/")
    assert status == 200
    data = edit_item_data(item, scope="internal", **{"action-publish": "1"})
    data["csrfmiddlewaretoken"] = one.token(body)
    status, _, body = one.go(f"/admin/pages/{item.pk}/edit/", data)
    assert status == 302, body[:2000]

    # Server two serves the change at once, to an anonymous visitor; so does server one.
    status, _, body = two.go(catalog.url)
    assert status == 200 and "OPENWORD" not in body
    assert "OPENWORD" not in Visitor(servers[0]).go(catalog.url)[2]
    assert two.go(old_url)[0] == 404
    item.refresh_from_db()
    status, headers, _ = two.go(item.url)
    assert status == 302 and "/members/login/" in headers["Location"]


def test_rate_limits_are_shared_through_redis(servers):
    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    one, two = (Visitor(url) for url in servers)
    form = {
        "subject": "Budget",
        "description": "The budget.",
        "purpose": "",
        "name": "Visitor",
        "email": "",
        "phone": "13812345678",
    }
    for visitor in (one, one, one, two, two):
        _, _, body = visitor.go(catalog.url + "request/")
        status, _, _ = visitor.go(
            catalog.url + "request/", {**form, "csrfmiddlewaretoken": visitor.token(body)}
        )
        assert status == 302
    _, _, body = one.go(catalog.url + "request/")
    status, _, body = one.go(
        catalog.url + "request/", {**form, "csrfmiddlewaretoken": one.token(body)}
    )
    assert status == 429, "the sixth request from this address, across both servers"


def test_an_item_approved_through_one_server_is_emailed_by_the_worker_once(servers, tmp_path):
    from django.urls import reverse

    from tests.test_moderation import CONFIRM
    from tests.test_worker import MailServer, Workers, wait_for, worker_env

    smtp = MailServer()
    smtp.start()
    worker = Workers(tmp_path, worker_env(smtp))
    worker.start()
    try:
        one, two = (Visitor(url) for url in servers)
        for visitor, username in ((two, "editor_a"), (one, "reviewer_a")):
            _, _, body = visitor.go("/admin/login/")
            status, _, _ = visitor.go(
                "/admin/login/",
                {
                    "csrfmiddlewaretoken": visitor.token(body),
                    "username": username,
                    "password": "password",
                },
            )
            assert status == 302
        item = DisclosureItem.objects.get(title="Draft DRAFTWORD notice")

        # The editor submits through server two.
        _, _, body = two.go(f"/admin/pages/{item.pk}/edit/")
        data = edit_item_data(item, **{"action-submit": "1"})
        status, _, body = two.go(
            f"/admin/pages/{item.pk}/edit/", {**data, "csrfmiddlewaretoken": two.token(body)}
        )
        assert status == 302, body[:2000]
        wait_for(
            lambda: any("reviewer_a@example.com" in m["to"] for m in smtp.messages),
            "the reviewers' email",
            logs=worker.logs,
        )

        # The reviewer approves through server one.
        item = DisclosureItem.objects.get(pk=item.pk)
        task_state = item.current_workflow_task_state
        _, _, body = one.go(f"/admin/pages/{item.pk}/edit/")
        status, _, body = one.go(
            reverse("wagtailadmin_pages:workflow_action", args=(item.pk, "approve", task_state.pk)),
            {**CONFIRM, "csrfmiddlewaretoken": one.token(body)},
        )
        assert status in (200, 302), body[:2000]
        assert DisclosureItem.objects.get(pk=item.pk).live
        wait_for(
            lambda: any("editor_a@example.com" in m["to"] for m in smtp.messages),
            "Wagtail's email to the editor: approved",
            logs=worker.logs,
        )
        from dangwu_wagtail.models import EmailStatus, OutgoingEmail

        wait_for(
            lambda: not OutgoingEmail.objects.exclude(status=EmailStatus.SENT).exists(),
            "every email recorded as sent",
            logs=worker.logs,
        )
        time.sleep(1.5)
        ids = smtp.message_ids()
        assert len(ids) == len(set(ids)) == OutgoingEmail.objects.count()
        to_editor = [m for m in smtp.messages if "editor_a@example.com" in m["to"]]
        assert len(to_editor) == 1 and "approved" in to_editor[0]["subject"].lower()
    finally:
        worker.stop_all()
        smtp.stop()

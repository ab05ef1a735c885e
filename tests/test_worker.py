"""The task worker as a site runs it: ``manage.py dangwu_worker`` (django-tasks-db's worker) in
a process of its own, a real SMTP server (aiosmtpd) on a local port, and real faults: the mail
server down, the worker killed in the middle of a batch, the database unavailable. Whatever
happens, every email accepted is delivered, and none twice.
"""

import asyncio
import datetime
import email
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dangwu_wagtail.conf import DEFAULTS
from dangwu_wagtail.mail import QUEUED_BACKEND
from dangwu_wagtail.models import (
    Catalog,
    DisclosureItem,
    EmailStatus,
    OutgoingEmail,
    ScheduledRun,
)
from tests.conftest import SCHOOL_A
from tests.test_fresh_site import free_port
from tests.test_moderation import CONFIRM, act, submitted_item

REPO_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60
pytestmark = pytest.mark.usefixtures("committed_district")


def wait_for(condition, what, timeout=TIMEOUT, logs=()):
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds with the logs."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            text = "\n".join(Path(log).read_text()[-3000:] for log in logs if Path(log).exists())
            pytest.fail(f"Timed out waiting for {what}\n{text}")
        time.sleep(0.1)


class MailServer:
    """An SMTP server on ``port`` that records each message it accepts. It can be stopped and
    started again, and hold the conversation of the ``hold_at``-th message before its
    content is sent (the sender is then in the middle of sending)."""

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.controller = None
        self.mail_commands = 0
        self.hold_at = None
        self.holding = threading.Event()
        self.release = threading.Event()

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mail_commands += 1
        if self.mail_commands == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        self.messages.append(
            {
                "message_id": message["Message-ID"],
                "subject": str(
                    email.header.make_header(email.header.decode_header(message["Subject"]))
                ),
                "to": list(envelope.rcpt_tos),
                "body": message.get_payload(decode=True) or b"",
            }
        )
        return "250 Message accepted for delivery"

    def message_ids(self):
        return [message["message_id"] for message in self.messages]


class Workers:
    """Starts ``manage.py dangwu_worker`` processes on the test database."""

    def __init__(self, tmp_path, env):
        self.tmp_path = tmp_path
        self.env = env
        self.processes = []
        self.logs = []

    def start(self, *args):
        log_path = self.tmp_path / f"worker-{len(self.processes)}.log"
        self.logs.append(log_path)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "django",
                "dangwu_worker",
                "--interval",
                "0.2",
                "--no-startup-delay",
                "--no-reload",
                "--schedule-interval",
                "0.5",
                "--verbosity",
                "2",
                *args,
            ],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=log_path.open("w"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self.processes.append(process)
        return process

    def kill(self, process):
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.kill(process)


@pytest.fixture
def smtp():
    server = MailServer()
    server.start()
    yield server
    server.release.set()
    server.stop()


@pytest.fixture
def site_queue(settings):
    """This process is the site: it queues emails in the database for the workers."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = QUEUED_BACKEND
    settings.DANGWU_WAGTAIL = {
        "ANONYMOUS_REQUESTS": True,
        "RATE_LIMITS": dict.fromkeys(DEFAULTS["RATE_LIMITS"]),
    }
    mail.outbox = []
    yield
    assert not mail.outbox, "the site itself sent no email"


def worker_env(smtp, **extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DANGWU_TEST_SUITE_SETTINGS": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings"),
        "DANGWU_TEST_DATABASE": str(connection.settings_dict["NAME"]),
        "DANGWU_SMTP_PORT": str(smtp.port),
        "PYTHONPATH": str(REPO_ROOT),
        **extra,
    }


@pytest.fixture
def workers(smtp, tmp_path):
    running = Workers(tmp_path, worker_env(smtp))
    yield running
    running.stop_all()


def queue_batch(count, prefix="Batch"):
    """``count`` emails, one recipient each, sent as Wagtail and Django send theirs (through
    the site's ``EMAIL_BACKEND``); their Message-IDs."""
    messages = [
        EmailMessage(f"{prefix} {n}", f"Message {n}.", None, [f"person{n}@example.com"])
        for n in range(count)
    ]
    connection = mail.get_connection()
    assert connection.send_messages(messages) == count
    return {message.extra_headers["Message-ID"] for message in messages}


def client_for(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def delivered_once(smtp, ids):
    received = smtp.message_ids()
    return sorted(received) == sorted(ids)


def test_the_site_queues_and_the_worker_delivers_once(smtp, site_queue, workers):
    # A reader files a request through the site: the school's staff and the reader are told.
    catalog_url = Catalog.objects.get(organisation_name=SCHOOL_A).url
    client = Client()
    response = client.post(
        catalog_url + "request/",
        {
            "subject": "Budget",
            "description": "The budget.",
            "purpose": "",
            "name": "Visitor",
            "email": "visitor@example.com",
            "phone": "13812345678",
        },
    )
    assert response.status_code == 302
    queued = list(OutgoingEmail.objects.all())
    assert len(queued) == 2 and all(row.status == EmailStatus.QUEUED for row in queued)
    assert not smtp.messages, "nothing is sent during the request"

    workers.start()
    wait_for(lambda: len(smtp.messages) >= 2, "the two emails", logs=workers.logs)
    wait_for(
        lambda: not OutgoingEmail.objects.exclude(status=EmailStatus.SENT).exists(),
        "the emails recorded as sent",
        logs=workers.logs,
    )
    recipients = {address for message in smtp.messages for address in message["to"]}
    assert "visitor@example.com" in recipients and "editor_a@example.com" in recipients
    # Idle for a few schedule rounds: nothing is sent again.
    time.sleep(1.5)
    assert len(smtp.messages) == 2
    assert len(set(smtp.message_ids())) == 2


def test_a_worker_killed_in_the_middle_of_a_batch(smtp, site_queue, workers):
    ids = queue_batch(12)
    smtp.hold_at = 5  # the worker is killed while it sends the fifth email
    first = workers.start()
    wait_for(smtp.holding.is_set, "the fifth email", logs=workers.logs)
    workers.kill(first)
    smtp.release.set()
    assert len(smtp.messages) == 4

    workers.start()
    wait_for(lambda: len(smtp.messages) >= 12, "the whole batch", logs=workers.logs)
    wait_for(
        lambda: OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 12,
        "the batch recorded as sent",
        logs=workers.logs,
    )
    time.sleep(1.5)  # a few more schedule rounds
    assert delivered_once(smtp, ids), smtp.message_ids()
    # The killed worker's email was claimed, then tried again once its claim expired.
    assert OutgoingEmail.objects.filter(attempts=2).count() == 1


def test_the_mail_server_down_then_up(smtp, site_queue, workers):
    smtp.stop()
    workers.start()
    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    editor, reviewer, superuser = (
        client_for(name) for name in ("editor_a", "reviewer_a", "superuser")
    )

    # The editor submits an item; the worker writes the reviewers' email, and cannot send it.
    item = submitted_item(editor, catalog)
    wait_for(
        lambda: OutgoingEmail.objects.filter(attempts__gte=2).exists(),
        "two failed attempts at the reviewers' email",
        logs=workers.logs,
    )
    # The reviewer approves: the approval neither waits for the mail server nor fails.
    started = time.monotonic()
    response = act(reviewer, item, "approve", CONFIRM)
    assert response.status_code == 302
    assert time.monotonic() - started < 5
    assert DisclosureItem.objects.get(pk=item.pk).live
    # Wagtail's own email (to the editor: approved) is queued, not sent.
    assert OutgoingEmail.objects.filter(recipients__contains="editor_a@example.com").exists()
    ids = queue_batch(3, prefix="While down")
    wait_for(
        lambda: not OutgoingEmail.objects.filter(attempts__lt=2).exists(),
        "two failed attempts of each email",
        logs=workers.logs,
    )
    rows = list(OutgoingEmail.objects.all())
    assert all(row.status == EmailStatus.QUEUED for row in rows)
    assert all("Connection refused" in row.last_error for row in rows), rows[0].last_error
    # Backoff: each row waits for its next attempt.
    assert all(row.next_attempt_at is not None for row in rows)
    # Staff see it on the dashboard.
    dashboard = superuser.get(reverse("wagtailadmin_home")).content.decode()
    assert "Emails not sent yet" in dashboard and "Connection refused" in dashboard

    smtp.start()
    ids |= {row.email_message().extra_headers["Message-ID"] for row in rows}
    wait_for(
        lambda: (
            not OutgoingEmail.objects.exclude(status=EmailStatus.SENT).exists()
            and len(smtp.messages) >= len(ids)
        ),
        "every email, once the server is back",
        logs=workers.logs,
    )
    time.sleep(1.5)
    assert delivered_once(smtp, ids), smtp.message_ids()
    recipients = {address for message in smtp.messages for address in message["to"]}
    assert {"reviewer_a@example.com", "editor_a@example.com"} <= recipients
    dashboard = superuser.get(reverse("wagtailadmin_home")).content.decode()
    assert "Emails not sent yet" not in dashboard


class Proxy:
    """A TCP proxy to PostgreSQL that can be stopped (every connection cut, new ones
    refused) and started again on the same port."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server = None
        self.writers = set()

    async def _pipe(self, reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _handle(self, reader, writer):
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self.writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _start(self):
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _stop(self):
        self.server.close()
        for writer in self.writers:
            writer.transport.abort()
        self.writers.clear()
        await self.server.wait_closed()

    def start(self):
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    def stop(self):
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(10)


def test_the_database_unavailable_for_a_while(smtp, site_queue, tmp_path):
    """On PostgreSQL the worker's connection goes through a proxy that is stopped; on SQLite
    another process holds the database's write lock."""
    settings_dict = connection.settings_dict
    extra = {}
    proxy = None
    if connection.vendor == "postgresql":
        proxy = Proxy(int(settings_dict["PORT"] or 5432))
        proxy.start()
        extra["DANGWU_TEST_DATABASE_PORT"] = str(proxy.port)
    workers = Workers(tmp_path, worker_env(smtp, **extra))
    lock = None
    try:
        ids = queue_batch(8, prefix="Outage")
        smtp.hold_at = 5
        workers.start()
        wait_for(smtp.holding.is_set, "the fifth email", logs=workers.logs)
        # The database goes away while the worker sends the fifth email: the mail server
        # accepts it, and the worker cannot record it yet.
        if proxy is not None:
            proxy.stop()
        else:
            lock = sqlite3.connect(settings_dict["NAME"], timeout=20)
            lock.execute("BEGIN EXCLUSIVE")
        smtp.release.set()
        wait_for(
            lambda: "Could not record email" in workers.logs[0].read_text(),
            "the worker to meet the unavailable database",
            logs=workers.logs,
        )
        time.sleep(1)
        assert workers.processes[0].poll() is None, "the worker outlives the outage"
        if proxy is not None:
            proxy.start()
        else:
            lock.rollback()
            lock.close()
            lock = None

        wait_for(lambda: len(smtp.messages) >= 8, "every email", logs=workers.logs)
        wait_for(
            lambda: OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 8,
            "every email recorded as sent",
            logs=workers.logs,
        )
        time.sleep(1.5)
        assert delivered_once(smtp, ids), smtp.message_ids()
    finally:
        if lock is not None:
            lock.close()
        workers.stop_all()
        if proxy is not None:
            proxy.loop.call_soon_threadsafe(proxy.loop.stop)


def test_schedules_run_in_the_worker_without_cron(smtp, site_queue, workers):
    # An item approved to go live a minute ago, waiting for publish_scheduled.
    item = DisclosureItem.objects.filter(live=False).first()
    assert item is not None
    revision = item.save_revision(user=get_user_model().objects.get(username="superuser"))
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])

    # Two workers: each schedule's time is run once between them.
    workers.start()
    workers.start()
    wait_for(
        lambda: DisclosureItem.objects.get(pk=item.pk).live,
        "the scheduled item published by the worker",
        logs=workers.logs,
    )
    wait_for(
        lambda: ScheduledRun.objects.filter(schedule="publish_scheduled").count() >= 3,
        "three runs of publish_scheduled",
        logs=workers.logs,
    )
    runs = ScheduledRun.objects.filter(schedule="publish_scheduled").count()
    tasks = DBTaskResult.objects.filter(task_path="dangwu_wagtail.schedules.publish_scheduled")
    # Each run claimed by one worker is queued once (a run may be claimed after the count).
    assert runs <= tasks.count() <= runs + 1
    due_times = list(
        ScheduledRun.objects.filter(schedule="publish_scheduled").values_list("due_at", flat=True)
    )
    assert len(due_times) == len(set(due_times))


def test_the_weekly_lists_are_emailed_by_the_worker(smtp, site_queue, tmp_path):
    workers = Workers(tmp_path, worker_env(smtp, DANGWU_OVERDUE_LISTS="* * * * * */30"))
    # Every 30 seconds here: the lists' latest time is started as soon as the worker starts.
    try:
        workers.start()
        wait_for(
            lambda: any("overdue" in m["subject"].lower() for m in smtp.messages),
            "an overdue list",
            logs=workers.logs,
        )
    finally:
        workers.stop_all()

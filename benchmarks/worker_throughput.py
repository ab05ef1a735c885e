r"""The task worker's email throughput, and what a mail server that does not answer costs a
request with and without the queue.

Run it from the repository root (``--help`` lists the options)::

    .venv/bin/python benchmarks/worker_throughput.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangwu_bench \
        .venv/bin/python benchmarks/worker_throughput.py

It makes a database of its own (a temporary SQLite file, or ``<name>_worker`` on PostgreSQL,
dropped at the end), migrates it with ``tests.worker_settings``, and starts a local SMTP
server (aiosmtpd).

Measurements:

* **Throughput**: ``--emails`` emails queued at once (``QueuedEmailBackend``), then one
  ``manage.py dangwu_worker`` process started: seconds from its start until the last email
  is recorded as sent, and emails per second (the worker's start-up included).
* **A request's email with the mail server silent** (it accepts the connection and never
  answers, as a server behind a dead link does): the time ``send_mail`` takes in the request
  with Django's SMTP backend (``EMAIL_TIMEOUT`` seconds, then an error) and with the
  add-on's queue (the median of ``--repeat`` calls).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def silent_server():
    """A TCP server that accepts connections and never says anything."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return listener


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--emails", type=int, default=200, help="emails queued (default 200)")
    parser.add_argument("--repeat", type=int, default=20, help="queued sends timed (default 20)")
    parser.add_argument("--timeout", type=float, default=5, help="EMAIL_TIMEOUT (default 5)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="dangwu-worker-bench-"))
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1] + "_worker"
        base = url.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        database = name
    else:
        database = str(workdir / "bench.sqlite3")

    from aiosmtpd.controller import Controller

    class Handler:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Handler.count += 1
            return "250 OK"

    smtp_port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DANGWU_TEST_DATABASE": database,
        "DANGWU_SMTP_PORT": str(smtp_port),
        "PYTHONPATH": str(REPO_ROOT),
    }
    os.environ.update(env)
    worker = None
    try:
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "-v0"], env=env, cwd=REPO_ROOT, check=True
        )
        import django

        django.setup()
        from django.core import mail
        from django.core.mail import EmailMessage

        from dangwu_wagtail.models import EmailStatus, OutgoingEmail

        messages = [
            EmailMessage(f"Email {n}", "Body.", None, [f"p{n}@example.com"])
            for n in range(args.emails)
        ]
        mail.get_connection().send_messages(messages)

        started = time.monotonic()
        worker = subprocess.Popen(
            [sys.executable, "-m", "django", "dangwu_worker", "--no-reload", "-v0"],
            env=env,
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() < args.emails:
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        print(f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}")
        print(
            f"throughput: {args.emails} emails in {elapsed:.1f} s, "
            f"{args.emails / elapsed:.1f} emails/s (one worker, start-up included); "
            f"received by the SMTP server: {Handler.count}"
        )

        silent = silent_server()
        silent_port = silent.getsockname()[1]
        smtp = mail.get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host="127.0.0.1",
            port=silent_port,
            timeout=args.timeout,
        )
        started = time.monotonic()
        try:
            EmailMessage("Direct", "Body.", None, ["x@example.com"], connection=smtp).send()
            outcome = "sent"
        except OSError as error:
            outcome = type(error).__name__
        direct = time.monotonic() - started
        times = []
        for n in range(args.repeat):
            started = time.monotonic()
            EmailMessage(f"Queued {n}", "Body.", None, ["x@example.com"]).send()
            times.append(time.monotonic() - started)
        print(
            f"a request's email, mail server silent: SMTP backend {direct:.2f} s ({outcome}); "
            f"queued {statistics.median(times) * 1000:.1f} ms (median of {args.repeat})"
        )
        silent.close()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        controller.stop()
        if url.startswith("postgres"):
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{base}/postgres", autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{database}"')


if __name__ == "__main__":
    main()

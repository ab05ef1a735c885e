import logging
import threading
import time

from django.db import DatabaseError, close_old_connections
from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("dangwu_wagtail.worker")


class Worker(db_worker.Worker):
    """django-tasks-db's worker, which also outlives a database that is briefly unavailable
    (it waits and connects again instead of exiting)."""

    def run(self):
        pause = 1.0
        while self.running:
            try:
                return super().run()
            except DatabaseError as error:
                logger.warning(
                    "The database is unavailable (%s); trying again in %ss", error, pause
                )
                close_old_connections()
                time.sleep(pause)
                pause = min(pause * 2, 30.0)


class Scheduler(threading.Thread):
    """Queues the schedules that are due (``dangwu_wagtail.schedules``) every ``interval``
    seconds, beside the worker's loop."""

    def __init__(self, interval):
        super().__init__(name="dangwu-scheduler", daemon=True)
        self.interval = interval

    def run(self):
        from dangwu_wagtail.schedules import enqueue_due_schedules

        while True:
            try:
                enqueue_due_schedules()
            except Exception:
                logger.exception("Could not queue the schedules; trying again")
            finally:
                close_old_connections()
            time.sleep(self.interval)


class Command(db_worker.Command):
    help = _(
        "Run the task worker: send the queued emails, and run the schedules (scheduled "
        "publishing, the weekly overdue lists, email retries) without cron. django-tasks-db's "
        "db_worker, with the same options."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedules",
            action="store_false",
            dest="schedules",
            help=_("Do not run the schedules in this worker (another worker runs them)."),
        )
        parser.add_argument(
            "--schedule-interval",
            type=db_worker.valid_interval,
            default=5.0,
            help=_("Seconds between two checks for due schedules (default: 5)."),
        )

    def handle(self, *args, schedules=True, schedule_interval=5.0, **options):
        # The worker's class is looked up in db_worker's module when its command runs.
        original = db_worker.Worker
        db_worker.Worker = Worker
        try:
            if schedules:
                Scheduler(schedule_interval).start()
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original

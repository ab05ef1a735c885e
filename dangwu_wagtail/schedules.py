"""What the task worker runs on its own, without the system's cron.

``DANGWU_WAGTAIL["SCHEDULES"]`` maps each schedule to a cron line (read by croniter, in the
site's ``TIME_ZONE``; a sixth field gives seconds). ``manage.py dangwu_worker`` calls
``enqueue_due_schedules()`` every few seconds: for each schedule, the latest time its line
names is claimed in ``ScheduledRun`` (unique per schedule and time, so two workers start it
once) and its task is queued, in the same transaction. A worker that was stopped over a due
time runs the schedule once when it starts again, however late; a schedule's very first
time is skipped when it is more than ``FIRST_RUN_GRACE`` late, so that installing the add-on
on a Wednesday does not send Monday's lists.
"""

import datetime
import logging

from croniter import croniter
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .conf import dangwu_settings
from .models import ScheduledRun

logger = logging.getLogger(__name__)

FIRST_RUN_GRACE = datetime.timedelta(hours=1)


@task()
def publish_scheduled():
    """Wagtail's ``publish_scheduled``: items scheduled to go live or expire do so."""
    call_command("publish_scheduled")
    return "done"


@task()
def send_overdue_lists():
    """The weekly overdue lists (``dangwu_send_overdue_lists``)."""
    call_command("dangwu_send_overdue_lists")
    return "done"


@task()
def prune():
    """Forget what is done: emails sent (or given up) and finished tasks more than
    ``KEEP_DAYS`` days ago. The emails name requesters and what they asked."""
    from .mail import prune_emails

    deleted = prune_emails(KEEP_DAYS)
    if apps.is_installed("django_tasks_db"):
        from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
        from django_tasks_db.backend import DatabaseBackend

        if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            call_command("prune_db_task_results", min_age_days=KEEP_DAYS, queue_name="*")
    return deleted


#: Days the outbox and django-tasks-db's results keep what is done.
KEEP_DAYS = 30

#: The schedules the add-on knows by name; any other name is a task's dotted path.
TASKS = {
    "publish_scheduled": "dangwu_wagtail.schedules.publish_scheduled",
    "overdue_lists": "dangwu_wagtail.schedules.send_overdue_lists",
    "email_retries": "dangwu_wagtail.mail.retry_emails",
    "prune": "dangwu_wagtail.schedules.prune",
}


def schedules():
    """``(name, cron line, task)`` for each schedule that is turned on."""
    for name, line in dangwu_settings.SCHEDULES.items():
        if line:
            yield name, line, import_string(TASKS.get(name, name))


def latest_due(line, now):
    """The latest time at or before ``now`` that the cron ``line`` names, in the site's
    time zone."""
    # croniter's previous time is strictly before its start: start a second later.
    start = timezone.localtime(now).replace(microsecond=0) + datetime.timedelta(seconds=1)
    return croniter(line, start).get_prev(datetime.datetime)


def enqueue_due_schedules(now=None):
    """Queue each schedule whose latest time has not been started yet. Returns the names
    queued."""
    now = now or timezone.now()
    started = []
    for name, line, scheduled_task in schedules():
        due = latest_due(line, now)
        previous = ScheduledRun.objects.filter(schedule=name).order_by("-due_at").first()
        if previous is not None and previous.due_at >= due:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(schedule=name, due_at=due)
                if previous is None and now - due > FIRST_RUN_GRACE:
                    logger.info("Schedule %s starts at its next time, after %s", name, due)
                    continue
                # In the transaction: with the database backend the task is queued with the
                # claim, or neither is.
                scheduled_task.enqueue()
        except IntegrityError:
            continue  # another worker started it
        started.append(name)
        logger.info("Queued schedule %s for %s", name, due)
    # Keep a few weeks of runs: enough to see what ran.
    ScheduledRun.objects.filter(started_at__lt=now - datetime.timedelta(days=35)).delete()
    return started

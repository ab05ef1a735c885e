"""The worker's schedules (``dangwu_wagtail.schedules``), without a worker: which times are
queued, and once."""

import datetime

import pytest
from django.utils import timezone
from django_tasks import default_task_backend

from dangwu_wagtail.models import ScheduledRun
from dangwu_wagtail.schedules import enqueue_due_schedules

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def queued(queue):
    return sorted(result.task.name for result in queue.results)


def at(day, hour, minute=0):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_each_time_is_queued_once(queue):
    # Wednesday 2 December 2026, 10:03 in the site's time zone (Asia/Shanghai).
    assert enqueue_due_schedules(at(2, 10, 3)) == ["publish_scheduled", "email_retries"]
    # Monday's lists are two days late on a new site: skipped, not sent on a Wednesday.
    assert ScheduledRun.objects.get(schedule="overdue_lists").due_at == datetime.datetime(
        2026, 11, 30, 8, tzinfo=SHANGHAI
    )
    assert queued(queue) == ["publish_scheduled", "retry_emails"]
    # Asked again within the same times, nothing more; a second worker would get the same.
    assert enqueue_due_schedules(at(2, 10, 4)) == ["email_retries"]
    assert enqueue_due_schedules(at(2, 10, 4)) == []
    assert enqueue_due_schedules(at(2, 10, 5)) == ["publish_scheduled", "email_retries"]


@pytest.mark.django_db
def test_a_worker_stopped_over_monday_morning_sends_the_lists_once_when_back(queue):
    enqueue_due_schedules(at(6, 20))  # Sunday evening
    queue.clear()
    # Stopped from Sunday evening to Monday 11:00: Monday 8:00's lists are sent once.
    assert "overdue_lists" in enqueue_due_schedules(at(7, 11))
    assert "overdue_lists" not in enqueue_due_schedules(at(7, 11, 1))
    assert queued(queue).count("send_overdue_lists") == 1


@pytest.mark.django_db
def test_a_schedule_can_be_changed_or_turned_off(queue, settings):
    settings.DANGWU_WAGTAIL = {
        "SCHEDULES": {"overdue_lists": None, "publish_scheduled": None, "prune": None}
    }
    assert enqueue_due_schedules(timezone.now()) == ["email_retries"]


def test_the_deploy_check_warns_until_emails_wait_for_the_worker(settings):
    from dangwu_wagtail.checks import check_task_worker

    assert [warning.id for warning in check_task_worker(None)] == ["dangwu_wagtail.W004"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "dangwu_wagtail.mail.QueuedEmailBackend"
    assert check_task_worker(None) == []


@pytest.mark.django_db
def test_prune_forgets_what_is_done_after_30_days(queue):
    from django.core.mail import EmailMessage

    from dangwu_wagtail.mail import queue_messages
    from dangwu_wagtail.models import EmailStatus, OutgoingEmail
    from dangwu_wagtail.schedules import prune

    old, recent, waiting = queue_messages(
        [EmailMessage(subject, "Body.", None, ["a@example.com"]) for subject in "ABC"]
    )
    OutgoingEmail.objects.filter(pk__in=[old.pk, recent.pk]).update(status=EmailStatus.SENT)
    OutgoingEmail.objects.filter(pk__in=[old.pk, waiting.pk]).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert prune.call() == 1
    assert set(OutgoingEmail.objects.values_list("subject", flat=True)) == {"B", "C"}

"""When something is due: working days, counted with the ``Holiday`` register.

A working day is a Monday to Friday that is not a registered holiday, or a registered make-up
working day (调休上班). A deadline of N working days from a date is the N-th working day
after it: the day something arrives does not count.
"""

import datetime

from django.utils import timezone

from ..conf import dangwu_settings
from .calendar import DayKind, Holiday
from .choices import Period


class WorkingCalendar:
    """Working days between two dates, with the register's exceptions loaded once."""

    def __init__(self, start=None, end=None):
        days = Holiday.objects.all()
        if start is not None:
            days = days.filter(date__gte=start)
        if end is not None:
            days = days.filter(date__lte=end)
        self.exceptions = {day.date: day.kind == DayKind.WORKDAY for day in days}
        self.start, self.end = start, end

    def is_working_day(self, day):
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def add_working_days(self, start, count):
        """The ``count``-th working day after ``start`` (``start`` itself if count is 0)."""
        day = start
        while count > 0:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start, end):
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def calendar_for(start, days):
    """A calendar loaded for the stretch a deadline of ``days`` working days can reach."""
    # Long holidays (春节, 国庆) add at most a couple of weeks to any stretch of this length.
    return WorkingCalendar(start, start + datetime.timedelta(days=days * 2 + 30))


def add_working_days(start, count):
    return calendar_for(start, count).add_working_days(start, count)


def working_days_between(start, end):
    return WorkingCalendar(start, end).working_days_between(start, end)


def today():
    return timezone.localdate()


def request_limit():
    """Working days a school has to answer a request (``REQUEST_WORKING_DAYS``)."""
    return dangwu_settings.REQUEST_WORKING_DAYS


def request_extension():
    """Working days a request's deadline may be extended by, once (``REQUEST_EXTENSION_DAYS``)."""
    return dangwu_settings.REQUEST_EXTENSION_DAYS


def request_due_date(request):
    """When ``request`` must be answered; ``None`` while its clock is stopped."""
    if request.clock_stopped_on is not None:
        return None
    remaining = request.working_days_allowed - request.working_days_spent
    return add_working_days(request.clock_started_on, max(remaining, 0))


# Periods -------------------------------------------------------------------------------------


def _month_start(year, month):
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    return datetime.date(year, month, 1)


#: Period → (first month of a period, months per period).
PERIOD_SHAPES = {
    Period.MONTH: (1, 1),
    Period.QUARTER: (1, 3),
    Period.SEMESTER: (2, 6),
    Period.SCHOOL_YEAR: (9, 12),
    Period.YEAR: (1, 12),
}


def period_containing(period, day):
    """The ``(start, end)`` dates of the ``period`` that contains ``day``."""
    first_month, length = PERIOD_SHAPES[Period(period)]
    offset = first_month - 1
    months_since = day.year * 12 + day.month - 1 - offset
    start_index = months_since - months_since % length + offset
    start = _month_start(start_index // 12, start_index % 12 + 1)
    next_start = _month_start(start.year, start.month + length)
    return start, next_start - datetime.timedelta(days=1)


def last_ended_period(period, day):
    """The last ``period`` that ended before ``day``."""
    start, _end = period_containing(period, day)
    return period_containing(period, start - datetime.timedelta(days=1))

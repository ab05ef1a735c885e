"""When something is due: working days, counted with the ``Holiday`` register.

A working day is a Monday to Friday that is not a registered holiday, or a registered make-up
working day (调休上班). A deadline of N working days from a date is the N-th working day
after it: the day something arrives does not count.

Within one unit of work (an HTTP request, between the add-on's ``request_started`` and
``request_finished`` receivers; or a ``calendar_unit`` block) every deadline is counted with
one ``WorkingCalendar``, the register read once: a page that shows the due dates of a hundred
requests reads the ``Holiday`` table once, not a hundred times. A change to the register
within the unit makes it read the register again (``holidays_changed``).
"""

import contextlib
import contextvars
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
        # The compliance clock asks for the same deadlines over and over (every item formed
        # on one day, every entry of one period): each is counted once.
        self._deadlines = {}

    def is_working_day(self, day):
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def add_working_days(self, start, count):
        """The ``count``-th working day after ``start`` (``start`` itself if count is 0)."""
        key = (start, count)
        if key not in self._deadlines:
            day = start
            while count > 0:
                day += datetime.timedelta(days=1)
                if self.is_working_day(day):
                    count -= 1
            self._deadlines[key] = day
        return self._deadlines[key]

    def working_days_between(self, start, end):
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


class _Unit:
    """One unit of work's calendar, read from the register when first asked for."""

    calendar = None


#: The current unit of work, if one is open (``calendar_unit``).
_unit = contextvars.ContextVar("dangwu_calendar_unit", default=None)


def open_calendar_unit():
    """Start a unit of work whose deadlines share one calendar; a unit still open (one a
    request that failed early left) is replaced, never reused."""
    _unit.set(_Unit())


def close_calendar_unit():
    _unit.set(None)


@contextlib.contextmanager
def calendar_unit():
    """Count every deadline in the block with one calendar (a command, a task, a test)."""
    token = _unit.set(_Unit())
    try:
        yield
    finally:
        _unit.reset(token)


def holidays_changed():
    """The register changed: the current unit reads it again when next asked."""
    unit = _unit.get()
    if unit is not None:
        unit.calendar = None


def working_calendar():
    """The whole register's calendar: the current unit's, read once for it, or (outside a
    unit) a new one."""
    unit = _unit.get()
    if unit is None:
        return WorkingCalendar()
    if unit.calendar is None:
        unit.calendar = WorkingCalendar()
    return unit.calendar


def add_working_days(start, count):
    return working_calendar().add_working_days(start, count)


def working_days_between(start, end):
    return working_calendar().working_days_between(start, end)


def latest_start_due_by(count, day, calendar=None):
    """The latest day something may arrive on and still be due, ``count`` working days
    later, on or before ``day``: a deadline grows with its start, so everything that arrived
    on or before it is due by ``day``, and nothing that arrived after."""
    calendar = calendar or working_calendar()
    start = day
    while calendar.add_working_days(start, count) > day:
        start -= datetime.timedelta(days=1)
    return start


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

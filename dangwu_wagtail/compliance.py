"""The compliance clock: for every entry of every catalog, when its next disclosure is due.

* An **immediate** (即时) entry must see each of its items published within
  ``IMMEDIATE_WORKING_DAYS`` working days (10) of the date the information was formed. An item
  not yet published past that date makes the entry overdue.
* A **periodic** (定期) entry must be disclosed once per period: an item covering the last
  period that has ended must be published within ``IMMEDIATE_WORKING_DAYS`` working days of
  the period's end. Periods: calendar months, quarters and years; semesters from 1 February to
  31 July and from 1 August to 31 January; school years from 1 September to 31 August.
  A period that ended before the column was first published is not owed.
* An entry with no timing (the plan's open “other” rows) is not applicable.

States: on time, due soon (due within ``DUE_SOON_WORKING_DAYS`` working days), overdue, not
applicable. Working days come from ``deadlines`` (the ``Holiday`` register). One call computes
the states of any number of columns with a fixed number of queries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .conf import dangwu_settings
from .models import CatalogEntry, DisclosureItem, Timing
from .models.deadlines import last_ended_period, period_containing, today, working_calendar


class State(models.TextChoices):
    ON_TIME = "on_time", _("on time")
    DUE_SOON = "due_soon", _("due soon")
    OVERDUE = "overdue", _("overdue")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


# States -----------------------------------------------------------------------------------


@dataclass
class EntryState:
    """Where one entry stands: its ``state``, when its next disclosure is ``due`` (if known)
    and, for a periodic entry, the ``period`` owed."""

    entry: CatalogEntry
    state: str
    due: datetime.date | None = None
    period: tuple | None = None
    pending: int = 0

    @property
    def label(self):
        return State(self.state).label


@dataclass
class CatalogCompliance:
    catalog: object
    entries: list = field(default_factory=list)

    def count(self, state):
        return sum(1 for entry in self.entries if entry.state == state)

    @property
    def overdue(self):
        return self.count(State.OVERDUE)

    @property
    def due_soon(self):
        return self.count(State.DUE_SOON)


class ComplianceClock:
    """Computes entry states on ``day`` (today by default)."""

    def __init__(self, day=None):
        self.day = day or today()
        self.calendar = working_calendar()
        self.limit = dangwu_settings.IMMEDIATE_WORKING_DAYS
        self.soon = self.calendar.add_working_days(self.day, dangwu_settings.DUE_SOON_WORKING_DAYS)

    def due_after(self, day):
        return self.calendar.add_working_days(day, self.limit)

    def _state(self, due):
        if due is None:
            return State.ON_TIME
        if self.day > due:
            return State.OVERDUE
        if due <= self.soon:
            return State.DUE_SOON
        return State.ON_TIME

    def of_catalogs(self, catalogs, *, rows=False):
        """A ``CatalogCompliance`` for each of ``catalogs``, in their order.

        With ``rows``, each state's ``entry`` is a row of the entry's ``pk``, ``catalog_id``,
        ``timing`` and ``period``, not the model: enough to count the states, as the
        district report does for every entry of the district."""
        catalogs = list(catalogs)
        by_catalog = {catalog.pk: CatalogCompliance(catalog) for catalog in catalogs}
        entries = CatalogEntry.objects.filter(catalog_id__in=by_catalog).order_by(
            "catalog_id", "sort_order", "pk"
        )
        if rows:
            entries = entries.values_list("pk", "catalog_id", "timing", "period", named=True)
        entries = list(entries)
        immediate = [e.pk for e in entries if e.timing == Timing.IMMEDIATE]
        periodic = {e.pk for e in entries if e.timing == Timing.PERIODIC and e.period}

        # Immediate entries: items formed but not published yet.
        pending = defaultdict(list)
        for entry_id, formed_on in DisclosureItem.objects.filter(
            entry_id__in=immediate, live=False, expired=False, first_published_at__isnull=True
        ).values_list("entry_id", "formed_on"):
            pending[entry_id].append(formed_on)

        # Periodic entries: which of them has a published item covering the last period
        # ended. Entries of one kind of period owe the same period, so one query asks it for
        # all of them and reads one row an entry, however many items the entries hold.
        by_period = defaultdict(list)
        for entry in entries:
            if entry.pk in periodic:
                by_period[entry.period].append(entry.pk)
        owed = {}
        covering = models.Q(pk__in=[])
        for period, ids in by_period.items():
            start, end = last_ended_period(period, self.day)
            owed[period] = _Owed(
                start, end, self.due_after(end), period_containing(period, self.day)
            )
            dated = models.Q(period_start__isnull=False, period_end__isnull=False)
            covering |= models.Q(entry_id__in=ids) & (
                (dated & models.Q(period_start__lte=end, period_end__gte=start))
                | (~dated & models.Q(formed_on__gte=start, formed_on__lte=owed[period].due))
            )
        covered = (
            set(
                DisclosureItem.objects.filter(first_published_at__isnull=False)
                .filter(covering)
                .order_by()
                .values_list("entry_id", flat=True)
                .distinct()
            )
            if owed
            else set()
        )

        opened = {
            catalog.pk: catalog.first_published_at
            and timezone.localdate(catalog.first_published_at)
            for catalog in catalogs
        }
        for entry in entries:
            compliance = by_catalog[entry.catalog_id]
            if entry.timing == Timing.IMMEDIATE:
                dues = sorted(self.due_after(formed) for formed in pending[entry.pk])
                due = dues[0] if dues else None
                compliance.entries.append(
                    EntryState(entry, self._state(due), due, pending=len(dues))
                )
            elif entry.pk in periodic:
                compliance.entries.append(
                    self._periodic(entry, opened[entry.catalog_id], owed[entry.period], covered)
                )
            else:
                compliance.entries.append(EntryState(entry, State.NOT_APPLICABLE))
        return [by_catalog[catalog.pk] for catalog in catalogs]

    def _periodic(self, entry, opened, owed, covered):
        # Owed only from the first period that ends after the column opened; once disclosed,
        # the next disclosure is owed after the current period.
        if (opened and owed.end < opened) or entry.pk in covered:
            return EntryState(entry, State.ON_TIME, self.due_after(owed.current[1]), owed.current)
        return EntryState(entry, self._state(owed.due), owed.due, (owed.start, owed.end))


@dataclass(frozen=True)
class _Owed:
    """For one kind of period: the last period ended (``start``, ``end``), when its
    disclosure is ``due``, and the ``current`` period."""

    start: datetime.date
    end: datetime.date
    due: datetime.date
    current: tuple


def catalog_compliance(catalog, day=None):
    return ComplianceClock(day).of_catalogs([catalog])[0]

"""What supervisors and schools report: the district report and a school's annual summary.

``district_report`` makes a fixed number of queries whatever the number of schools and of
items: the compliance clock's (one row an entry, whatever the items), one aggregate of the
columns' items and one of the requests. Each column's figures (its items' counts and its
entries' states on the day) are kept in Django's cache for ``LISTING_CACHE_SECONDS`` under the
column's ``ListingVersion``, which whatever changes them renews (an item created, published,
withdrawn, moved or deleted, the column published): the report computes only the columns
changed since it was last asked, on any server whatever its cache.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone

from .compliance import ComplianceClock
from .conf import dangwu_settings
from .models import (
    CANNOT_PROVIDE_ANSWERS,
    CANNOT_PROVIDE_REASONS,
    REFUSAL_REASONS,
    AnswerType,
    Catalog,
    DisclosureItem,
    DisclosureRequest,
    Feedback,
    ListingVersion,
    ReceptionRecord,
    RequestStatus,
    Scope,
)
from .models.requests import answered_in_time


def year_bounds(year):
    """Aware datetimes of the start of ``year`` and of the next one, in the site's zone."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


@dataclass
class SchoolRow:
    """One school's line in the district report."""

    catalog: Catalog
    overdue: int = 0
    due_soon: int = 0
    published: int = 0
    requests_answered: int = 0
    requests_on_time: int = 0
    public_live: int = 0
    internal_live: int = 0
    not_live: int = 0
    last_published: datetime.datetime | None = None

    @property
    def organisation_name(self):
        return self.catalog.organisation_name

    @property
    def organisation_type(self):
        return self.catalog.get_organisation_type_display()

    @property
    def requests_late(self):
        return self.requests_answered - self.requests_on_time


#: What ``column_counts`` gives a column without items.
_NO_ITEMS = {
    "public_live": 0,
    "internal_live": 0,
    "not_live": 0,
    "last_published": None,
    "published": 0,
}


def column_counts(catalog_ids, year):
    """For each of ``catalog_ids``, its items: ``public_live``, ``internal_live``,
    ``not_live``, ``last_published`` (when it last published one) and ``published`` (first
    published in ``year``), in one aggregate that returns a row a column."""
    start, end = year_bounds(year)
    live = Q(live=True)
    public = Q(scope=Scope.PUBLIC)
    counts = {catalog_id: dict(_NO_ITEMS) for catalog_id in catalog_ids}
    for row in (
        DisclosureItem.objects.filter(entry__catalog_id__in=counts)
        .order_by()
        .values("entry__catalog_id")
        .annotate(
            public_live=Count("pk", filter=live & public),
            internal_live=Count("pk", filter=live & ~public),
            not_live=Count("pk", filter=~live),
            last_published=Max("last_published_at"),
            published=Count(
                "pk", filter=Q(first_published_at__gte=start, first_published_at__lt=end)
            ),
        )
    ):
        counts[row.pop("entry__catalog_id")] = row
    return counts


#: Prefix of the keys under which the district report keeps each column's figures.
FIGURES_CACHE_PREFIX = "dangwu_wagtail.report"


def column_figures(catalogs, year, day=None):
    """For each of ``catalogs``: ``column_counts`` for ``year`` and how many of its entries are
    ``overdue`` and ``due_soon`` on ``day`` (today by default).

    A column with a ``ListingVersion`` keeps its figures in Django's cache under a key that
    names that version, the year, the day and the deadlines' settings: what changes a
    column's items or entries renews its version (a change to the ``Holiday`` register,
    every column's), so only the columns changed since are computed, in one batch."""
    clock = ComplianceClock(day)
    deadlines = f"{dangwu_settings.IMMEDIATE_WORKING_DAYS}.{dangwu_settings.DUE_SOON_WORKING_DAYS}"
    seconds = dangwu_settings.LISTING_CACHE_SECONDS
    versions = (
        dict(
            ListingVersion.objects.filter(catalog_id__in=[c.pk for c in catalogs]).values_list(
                "catalog_id", "version"
            )
        )
        if seconds
        else {}
    )
    keys = {
        catalog_id: f"{FIGURES_CACHE_PREFIX}.{catalog_id}.{version.hex}.{year}."
        f"{clock.day.isoformat()}.{deadlines}"
        for catalog_id, version in versions.items()
    }
    kept = cache.get_many(list(keys.values())) if keys else {}
    figures = {catalog_id: kept[key] for catalog_id, key in keys.items() if key in kept}
    missing = [catalog for catalog in catalogs if catalog.pk not in figures]
    if missing:
        counts = column_counts([catalog.pk for catalog in missing], year)
        fresh = {}
        for compliance in clock.of_catalogs(missing, rows=True):
            catalog_id = compliance.catalog.pk
            figures[catalog_id] = {
                **counts[catalog_id],
                "overdue": compliance.overdue,
                "due_soon": compliance.due_soon,
            }
            if catalog_id in keys:
                fresh[keys[catalog_id]] = figures[catalog_id]
        if fresh:
            cache.set_many(fresh, seconds)
    return figures


def district_report(year, organisation_type=None, day=None):
    """A ``SchoolRow`` per column, most overdue first: states today (or on ``day``), items
    published and requests answered in ``year``, live items and the last publication."""
    catalogs = Catalog.objects.only(
        "title", "organisation_name", "organisation_type", "first_published_at", "url_path"
    ).order_by("organisation_name")
    if organisation_type:
        catalogs = catalogs.filter(organisation_type=organisation_type)
    catalogs = list(catalogs)
    ids = [catalog.pk for catalog in catalogs]
    figures = column_figures(catalogs, year, day)
    answered = defaultdict(lambda: [0, 0])
    for catalog_id, answered_on, due in DisclosureRequest.objects.filter(
        catalog_id__in=ids, status=RequestStatus.ANSWERED, answered_on__year=year
    ).values_list("catalog_id", "answered_on", "due_when_answered"):
        answered[catalog_id][0] += 1
        answered[catalog_id][1] += int(answered_in_time(answered_on, due))
    rows = [
        SchoolRow(
            catalog=catalog,
            requests_answered=answered[catalog.pk][0],
            requests_on_time=answered[catalog.pk][1],
            **figures[catalog.pk],
        )
        for catalog in catalogs
    ]
    rows.sort(key=lambda row: (-row.overdue, -row.due_soon, row.organisation_name))
    return rows


@dataclass
class RequestStatistics:
    """A year of requests (依申请公开), as disclosure annual reports count them: counts of
    requests only, never what was asked or what answered it.

    ``received + carried_over == answered + carried_forward`` holds (``balances``): every
    request is counted once as coming in (this year, or still open from before) and once as
    going out (answered this year, or still open at the year's end).
    """

    year: int
    received: int = 0
    carried_over: int = 0
    answered: int = 0
    carried_forward: int = 0
    on_time: int = 0
    late: int = 0
    extended: int = 0
    by_answer: dict = field(default_factory=dict)  # answer type → count
    by_reason: dict = field(default_factory=dict)  # refusal reason → count

    @property
    def balances(self):
        return self.received + self.carried_over == self.answered + self.carried_forward

    @property
    def answers(self):
        """(label, count) of every answer type, in ``AnswerType``'s order."""
        return [(label, self.by_answer.get(value, 0)) for value, label in AnswerType.choices]

    @property
    def refusals(self):
        """(label, count) of every refusal reason."""
        return [(reason.label, self.by_reason.get(reason.value, 0)) for reason in REFUSAL_REASONS]

    @property
    def refused(self):
        return self.by_answer.get(AnswerType.REFUSED, 0)

    @property
    def cannot_provide(self):
        return sum(self.by_answer.get(answer, 0) for answer in CANNOT_PROVIDE_ANSWERS)

    @property
    def cannot_provide_reasons(self):
        """(label, count) of every reason information could not be provided."""
        return [
            (reason.label, self.by_reason.get(reason.value, 0)) for reason in CANNOT_PROVIDE_REASONS
        ]


def request_statistics(year, catalogs=None):
    """``RequestStatistics`` of ``year`` for the columns ``catalogs`` (a queryset or ids;
    every column when ``None``), in one query."""
    start, end = year_bounds(year)
    first_day, next_first_day = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    requests = DisclosureRequest.objects.filter(received_at__lt=end).filter(
        Q(answered_on__isnull=True) | Q(answered_on__gte=first_day)
    )
    if catalogs is not None:
        requests = requests.filter(catalog__in=catalogs)
    statistics = RequestStatistics(year=year)
    by_answer, by_reason = Counter(), Counter()
    rows = requests.order_by().values_list(
        "received_at",
        "answered_on",
        "answer_type",
        "refusal_reason",
        "due_when_answered",
        "extended_on",
    )
    for received_at, answered_on, answer_type, reason, due, extended_on in rows:
        if received_at >= start:
            statistics.received += 1
        else:
            statistics.carried_over += 1
        if answered_on is not None and answered_on < next_first_day:
            statistics.answered += 1
            by_answer[answer_type] += 1
            if reason:
                by_reason[reason] += 1
            if answered_in_time(answered_on, due):
                statistics.on_time += 1
            else:
                statistics.late += 1
            if extended_on is not None:
                statistics.extended += 1
        else:
            statistics.carried_forward += 1
    statistics.by_answer = dict(by_answer)
    statistics.by_reason = dict(by_reason)
    return statistics


@dataclass
class AnnualSummary:
    """A school's year (书面总结): what it published, answered, received and adjusted."""

    catalog: Catalog
    year: int
    items: list = field(default_factory=list)  # (category, public count, internal count)
    requests_by_answer: list = field(default_factory=list)  # (answer label, count)
    requests_received: int = 0
    requests_on_time: int = 0
    requests_late: int = 0
    requests_open: int = 0
    receptions: int = 0
    feedback_received: int = 0
    feedback_answered: int = 0
    feedback_reported: int = 0
    adjustments: int = 0
    request_statistics: RequestStatistics = None

    @property
    def items_total(self):
        return sum(public + internal for _category, public, internal in self.items)


def annual_summary(catalog, year):
    start, end = year_bounds(year)
    summary = AnnualSummary(catalog=catalog, year=year)
    counts = (
        DisclosureItem.objects.filter(
            entry__catalog=catalog, first_published_at__gte=start, first_published_at__lt=end
        )
        .order_by()
        .values_list("entry__category")
        .annotate(
            public=Count("pk", filter=Q(scope=Scope.PUBLIC)),
            internal=Count("pk", filter=~Q(scope=Scope.PUBLIC)),
        )
        .values_list("entry__category", "public", "internal")
    )
    order = {}
    for entry in catalog.entries.all():
        order.setdefault(entry.category, len(order))
    summary.items = sorted(counts, key=lambda row: order.get(row[0], len(order)))

    requests = DisclosureRequest.objects.filter(catalog=catalog)
    summary.requests_received = requests.filter(received_at__gte=start, received_at__lt=end).count()
    answered = list(
        requests.filter(status=RequestStatus.ANSWERED, answered_on__year=year).values_list(
            "answer_type", "answered_on", "due_when_answered"
        )
    )
    by_answer = Counter(answer_type for answer_type, _on, _due in answered)
    summary.requests_by_answer = [
        (label, by_answer[value]) for value, label in AnswerType.choices if by_answer[value]
    ]
    summary.requests_on_time = sum(1 for _t, on, due in answered if answered_in_time(on, due))
    summary.requests_late = len(answered) - summary.requests_on_time
    summary.requests_open = requests.exclude(status=RequestStatus.ANSWERED).count()
    summary.request_statistics = request_statistics(year, [catalog.pk])
    summary.receptions = ReceptionRecord.objects.filter(
        catalog=catalog, visited_at__gte=start, visited_at__lt=end
    ).count()
    feedback = Feedback.objects.filter(catalog=catalog, created_at__gte=start, created_at__lt=end)
    summary.feedback_received = feedback.count()
    summary.feedback_answered = feedback.filter(answered_at__isnull=False).count()
    summary.feedback_reported = feedback.filter(in_report=True).count()
    summary.adjustments = catalog_adjustments(catalog, start, end)
    return summary


def catalog_adjustments(catalog, start, end):
    """Publications of the column's page after its first: each is an approved adjustment."""
    from wagtail.models import PageLogEntry

    publications = PageLogEntry.objects.filter(page=catalog, action="wagtail.publish")
    first = publications.order_by("timestamp", "pk").first()
    adjusted = publications.filter(timestamp__gte=start, timestamp__lt=end)
    if first is not None:
        adjusted = adjusted.exclude(pk=first.pk)
    return adjusted.count()

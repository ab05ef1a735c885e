"""Generating a district for trying the add-on at scale (``benchmarks/generate_district.py``).

Schools are set up with ``setup_school`` (committees and branches alternately); items are
loaded in bulk, the fast path of ``parent.add_child(instance=item)`` and publishing: live,
without revisions or search-index entries (run ``update_index`` afterwards if the search is
to find them). Titles carry a marker (``PUBLIC-``/``INTERNAL-``) and the school's and item's
numbers, so a page shows at once what it lists.
"""

import datetime
import uuid
from dataclasses import dataclass

import swapper

INTERNAL_MARKER = "INTERNAL-"
PUBLIC_MARKER = "PUBLIC-"
FIRST_DAY = datetime.date(2016, 1, 1)
SPAN_DAYS = 10 * 365


def make_schools(home, count):
    """``count`` columns under ``home``, named 第01中学党委, 第02中学党支部, …"""
    from dangwu_wagtail.schools import setup_school

    catalogs = []
    for number in range(1, count + 1):
        template = "committee" if number % 2 else "branch"
        suffix = "党委" if template == "committee" else "党支部"
        catalogs.append(setup_school(home, f"第{number:02d}中学{suffix}", template).catalog)
    return catalogs


@dataclass
class PlannedItem:
    """One item to load: where it goes and what it says."""

    school: int
    catalog_id: int
    parent_id: int
    entry_id: int
    scope: str
    index: int
    formed_on: datetime.date

    @property
    def is_public(self):
        return self.scope == "public"

    @property
    def title(self):
        if self.is_public:
            return f"公开事项 {PUBLIC_MARKER}{self.school:02d}-{self.index:05d}"
        return f"党内事项 {INTERNAL_MARKER}{self.school:02d}-{self.index:05d}"

    @property
    def slug(self):
        return f"{'p' if self.is_public else 'i'}-{self.school:02d}-{self.index:05d}"


def spread(total, parts):
    """``total`` split into ``parts`` near-equal whole numbers."""
    return [total // parts + (1 if part < total % parts else 0) for part in range(parts)]


def plan_items(
    catalogs, public_per_school, internal_total, first_day=FIRST_DAY, span_days=SPAN_DAYS
):
    """The items of one scenario, in the order they were formed (all schools interleaved)."""
    from dangwu_wagtail.models import Scope

    planned = []
    for school, (catalog, internal_count) in enumerate(
        zip(catalogs, spread(internal_total, len(catalogs)), strict=True), start=1
    ):
        entries = list(catalog.entries.order_by("sort_order"))
        public_entries = [e.pk for e in entries if e.scope == Scope.PUBLIC]
        internal_entries = [e.pk for e in entries if e.scope != Scope.PUBLIC]
        for scope, count, parent_id, entry_ids in (
            (Scope.PUBLIC, public_per_school, catalog.pk, public_entries),
            (Scope.INTERNAL, internal_count, catalog.internal_section_id, internal_entries),
        ):
            for index in range(count):
                planned.append(
                    PlannedItem(
                        school=school,
                        catalog_id=catalog.pk,
                        parent_id=parent_id,
                        entry_id=entry_ids[index % len(entry_ids)],
                        scope=str(scope),
                        index=index,
                        formed_on=first_day + datetime.timedelta(days=index * span_days // count),
                    )
                )
    planned.sort(key=lambda item: (item.formed_on, item.school, item.scope, item.index))
    return planned


def bulk_add_items(planned, batch_size=2000):
    """Create ``planned`` as live ``DisclosureItem`` pages, without revisions or signals.

    The fast path of ``parent.add_child(instance=item)`` + ``save_revision().publish()``: each
    item is appended as the last child of its parent with the materialised path treebeard would
    give it (``parent.path`` + the next step, ``depth``, ``numchild=0``), the ``url_path``
    Wagtail would give it, the parent's locale, a fresh translation key, and the published
    state of a page published once (``live``, ``first/last_published_at``, no unpublished
    changes). Items get no revision, no search-index entry and no reference-index entry: the
    channels measured here read none of those. The columns' listings get a new version, as
    publishing gives them.

    Django's ``bulk_create`` refuses multi-table models, so this inserts the ``wagtailcore_page``
    rows with ``Page.objects.bulk_create`` (PostgreSQL returns their ids, in order) and then the
    ``DisclosureItem`` table's own columns (``page_ptr_id``, entry, scope, dates, body) with
    ``QuerySet._insert`` over ``DisclosureItem._meta.local_concrete_fields``, the call
    ``bulk_create`` itself makes. Finally each parent's ``numchild`` grows by the number of
    children it got. Run it inside a transaction.
    """
    from django.db.models import F
    from django.utils import timezone

    Page = swapper.load_model("wagtailcore", "Page")

    from dangwu_wagtail.models import DisclosureItem
    from dangwu_wagtail.models.listing import listing_changed, pages_changed

    parents = {page.pk: page for page in Page.objects.filter(pk__in={i.parent_id for i in planned})}
    next_step = {}
    for parent in parents.values():
        last_child = parent.get_last_child()
        next_step[parent.pk] = 1 + (
            Page._str2int(last_child.path[-Page.steplen :]) if last_child else 0
        )
    added = dict.fromkeys(parents, 0)

    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    pages, items = [], []
    for plan in planned:
        parent = parents[plan.parent_id]
        step = next_step[parent.pk]
        next_step[parent.pk] += 1
        added[parent.pk] += 1
        published_at = timezone.make_aware(
            datetime.datetime.combine(plan.formed_on, datetime.time(12, 0))
        )
        item = DisclosureItem(
            title=plan.title,
            draft_title=plan.title,
            slug=plan.slug,
            path=Page._get_path(parent.path, parent.depth + 1, step),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{plan.slug}/",
            locale_id=parent.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            first_published_at=published_at,
            last_published_at=published_at,
            latest_revision_created_at=published_at,
            entry_id=plan.entry_id,
            scope=plan.scope,
            formed_on=plan.formed_on,
            body=f"<p>{plan.title}: 会议纪要、决定和说明。</p>",
        )
        items.append(item)
        pages.append(Page(**{f.attname: getattr(item, f.attname) for f in page_fields}))

    Page.objects.bulk_create(pages, batch_size=batch_size)
    for item, page in zip(items, pages, strict=True):
        if page.pk is None:
            raise RuntimeError("bulk_create returned no page id: use PostgreSQL or SQLite")
        item.id = page.pk
        setattr(item, DisclosureItem._meta.pk.attname, page.pk)
    fields = DisclosureItem._meta.local_concrete_fields
    for start in range(0, len(items), batch_size):
        DisclosureItem._base_manager._insert(items[start : start + batch_size], fields=fields)
    for parent_id, count in added.items():
        Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + count)
    # As publishing would: the columns' cached listings go, and the sitemap's files.
    for catalog_id in {plan.catalog_id for plan in planned}:
        listing_changed(catalog_id)
    pages_changed()
    return items

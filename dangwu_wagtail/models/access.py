"""Who may see what: the school boundary, in one place, with the models.

A school's column is its ``Catalog`` page with everything below it (its ``InternalSection``
and its ``DisclosureItem`` pages), its collection of documents and images (with the internal
collection inside it) and its register rows. The rule (BRIEF.md) has two halves:

* **Reading** (the site, feeds, exports, search): a live public (党内外) item is read by
  everyone; a live internal (党内) item by the school's members, editors and reviewers, the
  district supervisors and superusers. Drafts are read by nobody.
* **The admin** (explorer, choosers, reports, bulk actions, registers, APIs): a school's
  editors and reviewers see and act on their own column only; the host site's groups keep the
  host's pages and collections and see nothing of any column; supervisors read everything and
  change nothing; superusers do everything.

``access_for(user)`` answers both for one user and keeps the answer on the user object for
the request, so a page asks the database for a user's schools once. Querysets
(``DisclosureItem.objects.visible_to(user)``), the permission policies (``policies``), the
privacy decisions (``privacy``), the views and the registers all ask it; nothing else tests
school groups.
"""

from dataclasses import dataclass

import swapper
from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_noop

from ..conf import dangwu_settings
from .choices import Scope
from .workflows import ReviewTask

DEFAULT_SUPERVISORS_GROUP = gettext_noop("District supervisors")


def supervisors_group_name():
    """The name of the district supervisors' group (监督小组), in the site's language."""
    if dangwu_settings.SUPERVISORS_GROUP:
        return dangwu_settings.SUPERVISORS_GROUP
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(DEFAULT_SUPERVISORS_GROUP)


def catalog_page_models():
    """The page models a column is made of: the column, its section and its items,
    including a host site's own subclasses of the add-on's mixins. Each of these
    (``CatalogMixin``, ``InternalSection``, ``DisclosureItemMixin``) names its
    ``catalog_part``: this module sits below them, and asks no more of them."""
    from wagtail.models import get_page_models

    return [model for model in get_page_models() if getattr(model, "catalog_part", None)]


def models_built_on(mixin):
    """The installed concrete models built on ``mixin``: the add-on's own and a host site's
    subclasses, which the add-on's receivers and searches serve alike."""
    return [model for model in apps.get_models() if issubclass(model, mixin)]


def catalog_content_type_ids():
    """Content type ids of ``catalog_page_models()``: a page of one of these types is inside
    a column. Django's content type cache answers after the first call."""
    from django.contrib.contenttypes.models import ContentType

    content_types = ContentType.objects.get_for_models(*catalog_page_models())
    return frozenset(content_type.pk for content_type in content_types.values())


def is_catalog_page(page):
    """Whether ``page`` (specific or not) is part of a column."""
    return page.content_type_id in catalog_content_type_ids()


@dataclass(frozen=True)
class CatalogBounds:
    """What the boundary needs to know of one school's column."""

    pk: int
    path: str
    collection_path: str | None
    members_group_id: int | None
    editors_group_id: int | None
    reviewers_group_id: int | None

    @property
    def staff_group_ids(self):
        return {self.editors_group_id, self.reviewers_group_id} - {None}

    @property
    def reader_group_ids(self):
        return {self.members_group_id, *self.staff_group_ids} - {None}


def catalog_bounds(*conditions, **filters):
    """The columns matching a ``Catalog`` queryset filter, as ``CatalogBounds``."""
    rows = (
        apps.get_model("dangwu_wagtail", "Catalog")
        .objects.filter(*conditions, **filters)
        .values_list(
            "pk",
            "path",
            "collection__path",
            "members_group_id",
            "editors_group_id",
            "reviewers_group_id",
        )
    )
    return [CatalogBounds(*row) for row in rows]


class SchoolAccess:
    """One user's place in the district: which schools they read and which they work on.

    Built by ``access_for``; every attribute is computed once, when first asked.
    """

    def __init__(self, user):
        self.user = user
        self.active = bool(user.is_authenticated and user.is_active)

    @cached_property
    def group_ids_by_name(self):
        if not self.active:
            return {}
        return dict(self.user.groups.values_list("name", "id"))

    @cached_property
    def is_superuser(self):
        return self.active and self.user.is_superuser

    @cached_property
    def is_supervisor(self):
        return self.active and supervisors_group_name() in self.group_ids_by_name

    @cached_property
    def reads_every_catalog(self):
        """Superusers and district supervisors read every school's column."""
        return self.is_superuser or self.is_supervisor

    @cached_property
    def own_catalogs(self):
        """The columns in whose groups (members, editors, reviewers) the user is."""
        group_ids = list(self.group_ids_by_name.values())
        if not group_ids:
            return []
        return catalog_bounds(
            Q(members_group__in=group_ids)
            | Q(editors_group__in=group_ids)
            | Q(reviewers_group__in=group_ids)
        )

    @cached_property
    def staff_catalog_bounds(self):
        """The columns the user works on: those in whose editors or reviewers group they
        are."""
        group_ids = set(self.group_ids_by_name.values())
        return [bounds for bounds in self.own_catalogs if bounds.staff_group_ids & group_ids]

    @cached_property
    def staff_catalog_ids(self):
        return frozenset(bounds.pk for bounds in self.staff_catalog_bounds)

    @cached_property
    def reader_catalog_ids(self):
        """The columns whose internal items the user reads (superusers and supervisors
        read every column's: see ``reads_every_catalog``)."""
        return frozenset(bounds.pk for bounds in self.own_catalogs)

    # Reading -------------------------------------------------------------------------------

    def is_of_catalog(self, catalog):
        """Whether the user is one of ``catalog``'s school's own people (members, editors or
        reviewers): they may send it an opinion."""
        group_ids = set(self.group_ids_by_name.values())
        return bool(
            group_ids
            & {catalog.members_group_id, catalog.editors_group_id, catalog.reviewers_group_id}
        )

    def reads_internal(self, catalog_id):
        """Whether the user reads the internal items of the column ``catalog_id``."""
        return self.reads_every_catalog or catalog_id in self.reader_catalog_ids

    def readable_items(self):
        """A ``Q`` over disclosure items for those the user may read (live or not)."""
        if self.reads_every_catalog:
            return Q()
        public = Q(scope=Scope.PUBLIC)
        if not self.reader_catalog_ids:
            return public
        # Through the entries' ids rather than a join, so the database can use the index on
        # the items' entry_id instead of scanning every item of the district.
        return public | Q(
            entry__in=apps.get_model("dangwu_wagtail", "CatalogEntry").objects.filter(
                catalog_id__in=self.reader_catalog_ids
            )
        )

    # The admin -----------------------------------------------------------------------------

    def is_staff_of(self, catalog_id):
        """Whether the user works on the column ``catalog_id`` (or is a superuser)."""
        return self.is_superuser or catalog_id in self.staff_catalog_ids

    def sees_catalog_in_admin(self, catalog_id):
        """Whether the add-on's admin views show the user the column ``catalog_id``: its
        staff and superusers work on it, supervisors read it."""
        return self.reads_every_catalog or catalog_id in self.staff_catalog_ids

    def admin_search_items(self):
        """A ``Q`` over disclosure items for those the admin's search may find for the user
        beyond the public index (``models.item_search``): every item, internal or a draft, of
        the columns the user works on; every item for superusers and supervisors. Where the
        admin lists the user's results, its own bounds (``admin_pages``) apply as well."""
        if self.reads_every_catalog:
            return Q()
        if not self.staff_catalog_ids:
            return Q(pk__in=[])
        return Q(
            entry__in=apps.get_model("dangwu_wagtail", "CatalogEntry").objects.filter(
                catalog_id__in=self.staff_catalog_ids
            )
        )

    @cached_property
    def page_grants(self):
        """The user's page permissions that count (``GroupPagePermission``s), as Wagtail's
        page permission policy holds them for the request: the boundary asks no more of the
        database for the host's pages than Wagtail does."""
        import swapper
        from wagtail.permissions import policy_registry

        if not self.active or self.is_superuser:
            return []
        policy = policy_registry.get_by_type(swapper.load_model("wagtailcore", "Page"))
        return list(policy.get_cached_permissions_for_user(self.user))

    @cached_property
    def may_work_on_a_catalog(self):
        """Whether the user may be one of a school's editors or reviewers, decided without a
        query: a superuser, or a user with a page permission inside a column (a school's
        setup grants its editors and reviewers theirs on the column's page,
        ``permissions.grant_school_permissions``). The host's groups (Wagtail's Editors and
        Moderators), members and the district's groups hold none there, so that the add-on's
        menu items and dashboard panels cost them nothing; ``staff_catalog_bounds`` then says
        which."""
        return self.is_superuser or any(is_catalog_page(grant.page) for grant in self.page_grants)

    def counts_page_grant(self, grant):
        """Whether a ``GroupPagePermission`` of the user's counts: one on a host page does;
        one inside a column only if its group is that column's editors or reviewers group."""
        if not is_catalog_page(grant.page):
            return True
        for bounds in self.staff_catalog_bounds:
            if grant.page.path.startswith(bounds.path):
                return grant.group_id in bounds.staff_group_ids
        return False

    def admin_pages(self, prefix=""):
        """A ``Q`` over pages for those Wagtail's admin may list to the user: the host site's
        pages, and the pages of the columns where the user's groups hold permissions (every
        page for superusers). ``prefix`` names the relation from the queried model to the
        page."""
        if self.is_superuser:
            return Q()
        shown = ~Q(**{f"{prefix}content_type_id__in": catalog_content_type_ids()})
        for grant in self.page_grants:
            if is_catalog_page(grant.page):
                shown |= Q(**{f"{prefix}path__startswith": grant.page.path})
        return shown

    def sees_page_in_admin(self, page):
        """Whether Wagtail's admin may show the user ``page``: a host page, a page of a column
        the user works on, or a column's page whose review step is the user's (the superior
        organisation's approval of a catalog adjustment)."""
        if self.is_superuser or not is_catalog_page(page):
            return True
        if any(
            page.path.startswith(grant.page.path)
            for grant in self.page_grants
            if is_catalog_page(grant.page)
        ):
            return True
        return page.pk in self.reviewed_page_ids

    @cached_property
    def reviewed_page_ids(self):
        """Pages of columns with a review step in progress that belongs to the user's
        groups."""
        from wagtail.models import TaskState

        if not self.group_ids_by_name:
            return frozenset()
        tasks = [
            model.objects.filter(groups__in=self.group_ids_by_name.values())
            for model in ReviewTask.__subclasses__()
        ]
        ids = set()
        for task_ids in tasks:
            ids.update(
                TaskState.objects.filter(
                    status=TaskState.STATUS_IN_PROGRESS, task__in=task_ids.values("pk")
                ).values_list("workflow_state__object_id", flat=True)
            )
        return frozenset(int(pk) for pk in ids)

    def hidden_page_ids(self):
        """Ids (as text, like Wagtail's generic ``object_id``) of the columns' pages Wagtail's
        admin may not list to the user, as a subquery."""
        from django.db.models import CharField
        from django.db.models.functions import Cast

        Page = swapper.load_model("wagtailcore", "Page")

        return (
            Page.objects.filter(content_type_id__in=catalog_content_type_ids())
            .exclude(self.admin_pages())
            .annotate(text_pk=Cast("pk", CharField()))
            .values("text_pk")
        )

    @cached_property
    def school_collections(self):
        """Every column with a collection, for the collection policies."""
        return school_collections()

    def admin_collections(self, prefix=""):
        """A ``Q`` over collections for those the admin may show the user: the host site's
        collections and those of the columns the user works on (all for superusers and
        supervisors)."""
        if self.reads_every_catalog:
            return Q()
        allowed = Q()
        for bounds in self.school_collections:
            if bounds.pk not in self.staff_catalog_ids and bounds.collection_path:
                allowed &= ~Q(**{f"{prefix}path__startswith": bounds.collection_path})
        return allowed

    def register_rows(self, prefix=""):
        """A ``Q`` over register rows (requests, receptions, opinions) for those the user
        reads in the admin: their columns' rows, or every row for superusers and
        supervisors."""
        if self.reads_every_catalog:
            return Q()
        return Q(**{f"{prefix}catalog_id__in": self.staff_catalog_ids})


def school_collections():
    """Every column with a collection of its own."""
    return catalog_bounds(collection__isnull=False)


def access_for(user):
    """``user``'s ``SchoolAccess``, kept on the user object for the rest of the request."""
    access = getattr(user, "_dangwu_access", None)
    if access is None or access.user is not user:
        access = SchoolAccess(user)
        try:
            user._dangwu_access = access
        except AttributeError:  # AnonymousUser of some auth backends has __slots__
            pass
    return access

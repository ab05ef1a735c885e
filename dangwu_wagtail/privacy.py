"""Who may read what. Every channel that shows a disclosure item asks this module.

The rule (BRIEF.md): a public (党内外) item is read by everyone once it is live; an internal
(党内) item only by logged-in users in its school's members, editors or reviewers group, by
district supervisors and by superusers. Drafts and expired items are read by nobody here;
editors see them through Wagtail's admin and preview.
"""

import functools
import operator
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.db.models.functions import Substr
from django.db.models.lookups import In
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, gettext_noop

from .conf import dangwu_settings
from .models import Catalog, CatalogEntry, DisclosureItem, Scope

DEFAULT_SUPERVISORS_GROUP = gettext_noop("District supervisors")

ALL_SCHOOLS = object()


def supervisors_group_name():
    """The name of the district supervisors' group (监督小组), in the site's language."""
    if dangwu_settings.SUPERVISORS_GROUP:
        return dangwu_settings.SUPERVISORS_GROUP
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(DEFAULT_SUPERVISORS_GROUP)


def user_groups(user):
    """``{name: id}`` of ``user``'s groups, cached on the user object for the request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_dangwu_groups", None)
    if cached is None:
        cached = user._dangwu_groups = dict(user.groups.values_list("name", "id"))
    return cached


def reads_every_school(user):
    """Whether ``user`` (logged in) reads every school's internal items: superusers and the
    district supervisors do."""
    return user.is_superuser or supervisors_group_name() in user_groups(user)


def is_of_school(user, catalog):
    """Whether ``user`` is in one of ``catalog``'s school groups (members, editors,
    reviewers): the school's own people."""
    school = {catalog.members_group_id, catalog.editors_group_id, catalog.reviewers_group_id}
    return bool(school & set(user_groups(user).values()))


def internal_catalog_ids(user):
    """The catalogs whose internal items ``user`` may read: a set of ids, or ``ALL_SCHOOLS``.

    Cached on the user object, so one request asks the database once.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_dangwu_internal_catalog_ids", None)
    if cached is not None:
        return cached
    if reads_every_school(user):
        result = ALL_SCHOOLS
    else:
        ids = list(user_groups(user).values())
        result = frozenset(
            Catalog.objects.filter(
                Q(members_group__in=ids) | Q(editors_group__in=ids) | Q(reviewers_group__in=ids)
            ).values_list("pk", flat=True)
            if ids
            else ()
        )
    user._dangwu_internal_catalog_ids = result
    return result


def readable_filter(user):
    """A ``Q`` over ``DisclosureItem`` for the items ``user`` may read (live or not)."""
    catalog_ids = internal_catalog_ids(user)
    if catalog_ids is ALL_SCHOOLS:
        return Q()
    public = Q(scope=Scope.PUBLIC)
    if not catalog_ids:
        return public
    # Through the entries' ids rather than a join, so the database can use the index on
    # the items' entry_id instead of scanning every item of the district.
    return public | Q(entry__in=CatalogEntry.objects.filter(catalog_id__in=catalog_ids))


def visible_items(user, catalog=None):
    """Live disclosure items that ``user`` may read, optionally of one catalog only."""
    items = DisclosureItem.objects.live().filter(readable_filter(user))
    if catalog is not None:
        items = items.filter(entry__in=CatalogEntry.objects.filter(catalog_id=catalog.pk))
    return items


def can_read_internal(user, catalog):
    """Whether ``user`` may read the internal items of ``catalog``."""
    if not user.is_authenticated or not user.is_active:
        return False
    # One school's question needs the user's groups only, not every school's ids.
    return reads_every_school(user) or is_of_school(user, catalog)


def can_view_document(user, document):
    """Whether ``user`` may download ``document``.

    A document attached to an internal item is served only to those who may read one of the
    internal items it is attached to; any other document is left to Wagtail's own checks.
    """
    from .models import DisclosureItemAttachment

    catalog_ids = set(
        DisclosureItemAttachment.objects.filter(document=document)
        .exclude(item__scope=Scope.PUBLIC)
        .values_list("item__entry__catalog_id", flat=True)
    )
    if not catalog_ids:
        return True
    readable = internal_catalog_ids(user)
    return readable is ALL_SCHOOLS or bool(catalog_ids & readable)


def reader_groups(catalog):
    """The groups a Wagtail view restriction on ``catalog``'s internal part admits."""
    from django.contrib.auth.models import Group

    groups = [
        group
        for group in (catalog.members_group, catalog.editors_group, catalog.reviewers_group)
        if group is not None
    ]
    supervisors, _ = Group.objects.get_or_create(name=supervisors_group_name())
    return [*groups, supervisors]


def sync_view_restrictions(catalog):
    """Make the Wagtail view restrictions of ``catalog``'s internal section and internal
    collection admit exactly its school's groups and the district supervisors."""
    from wagtail.models import CollectionViewRestriction, PageViewRestriction

    groups = reader_groups(catalog)
    targets = []
    if catalog.internal_section_id:
        targets.append((PageViewRestriction, {"page_id": catalog.internal_section_id}))
    if catalog.internal_collection_id:
        targets.append(
            (CollectionViewRestriction, {"collection_id": catalog.internal_collection_id})
        )
    for model, lookup in targets:
        restriction = model.objects.filter(**lookup).first()
        if restriction is None or restriction.restriction_type != model.GROUPS:
            model.objects.filter(**lookup).delete()
            restriction = model.objects.create(restriction_type=model.GROUPS, **lookup)
        restriction.groups.set(groups)


def exclude_private_pages(queryset):
    """``queryset`` (of pages) without the pages in a private section, as Wagtail's
    ``.public()`` leaves it, at a cost that does not grow with the number of restrictions.

    ``.public()`` ORs one ``descendant_of`` clause (``path__startswith`` and ``depth__gte``)
    per ``PageViewRestriction``. Django builds and compiles those clauses in Python, some
    0.3 ms each: with one restriction per school, every ``.public()`` call of a 200-school
    district spends about 65 ms before the database sees the query, and the database then
    matches each page against 200 patterns.

    Treebeard's materialised paths give the same answer with one clause per distinct depth of
    the restricted pages (one in practice, that of the internal sections): a page lies in the
    section of a restricted page of depth ``d`` exactly when the first ``steplen * d``
    characters of its path are that page's path. The restricted pages' paths are read in one
    query. With no restriction at all the queryset comes back unchanged.
    """
    from wagtail.models import PageViewRestriction

    restricted_paths = defaultdict(set)
    for path, depth in PageViewRestriction.objects.values_list("page__path", "page__depth"):
        restricted_paths[depth].add(path)
    if not restricted_paths:
        return queryset
    steplen = queryset.model.steplen
    private = functools.reduce(
        operator.or_,
        (
            Q(In(Substr("path", 1, steplen * depth), sorted(paths)))
            for depth, paths in sorted(restricted_paths.items())
        ),
    )
    return queryset.exclude(private)


def can_view_item(user, item):
    """Whether ``user`` may read ``item``'s page. Liveness is the page router's concern."""
    if item.scope == Scope.PUBLIC:
        return True
    catalog_ids = internal_catalog_ids(user)
    return catalog_ids is ALL_SCHOOLS or item.entry.catalog_id in catalog_ids


def login_url():
    """Where readers log in: ``WAGTAIL_FRONTEND_LOGIN_URL`` if the site sets it, else the
    add-on's member login page when the site includes ``dangwu_wagtail.urls``, else
    ``LOGIN_URL``."""
    from django.urls import NoReverseMatch, reverse

    configured = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None)
    if configured:
        return configured
    try:
        return reverse("dangwu_wagtail:login")
    except NoReverseMatch:
        return settings.LOGIN_URL


def login_redirect(request):
    """Send an anonymous reader to log in and come back."""
    return redirect_to_login(request.get_full_path(), login_url())


def refuse(request):
    """Answer a reader who may not see what they asked for: an anonymous one is sent to log
    in; anyone else gets a 404, never a page that confirms the thing exists."""
    if not request.user.is_authenticated:
        response = login_redirect(request)
        # Never kept by a shared cache: the same address answers a member with the item.
        patch_cache_control(response, private=True, no_store=True)
        return response
    raise Http404

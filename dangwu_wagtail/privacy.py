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
from django.utils.cache import patch_cache_control

from .checks import default_login_url_unserved
from .models import Catalog, DisclosureItem, DisclosureItemAttachment, Scope
from .models.access import (  # noqa: F401 (the privacy module's own names, re-exported)
    DEFAULT_SUPERVISORS_GROUP,
    access_for,
    supervisors_group_name,
)


def reads_every_catalog(user):
    """Whether ``user`` (logged in) reads every school's internal items: superusers and the
    district supervisors do."""
    return access_for(user).reads_every_catalog


def is_of_catalog(user, catalog):
    """Whether ``user`` is in one of ``catalog``'s school groups (members, editors,
    reviewers): the school's own people."""
    return access_for(user).is_of_catalog(catalog)


def readable_filter(user):
    """A ``Q`` over ``DisclosureItem`` for the items ``user`` may read (live or not)."""
    return access_for(user).readable_items()


def visible_items(user, catalog=None):
    """Live disclosure items that ``user`` may read, optionally of one catalog only."""
    return DisclosureItem.objects.visible_to(user, catalog=catalog)


def can_read_internal(user, catalog):
    """Whether ``user`` may read the internal items of ``catalog``."""
    return access_for(user).reads_internal(catalog.pk)


def can_view_document(user, document):
    """Whether ``user`` may download ``document``.

    A document attached to an internal item, or kept in a column's internal collection (where
    the documents linked from internal items' bodies are), is served only to those who may
    read that column's internal items; any other document is left to Wagtail's own checks.
    """
    catalog_ids = set(
        DisclosureItemAttachment.objects.filter(document=document)
        .exclude(item__scope=Scope.PUBLIC)
        .values_list("item__entry__catalog_id", flat=True)
    )
    catalog_ids.update(
        Catalog.objects.filter(internal_collection_id=document.collection_id).values_list(
            "pk", flat=True
        )
    )
    access = access_for(user)
    return not catalog_ids or any(access.reads_internal(pk) for pk in catalog_ids)


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
    return item.scope == Scope.PUBLIC or access_for(user).reads_internal(item.entry.catalog_id)


def login_url():
    """Where readers log in: ``WAGTAIL_FRONTEND_LOGIN_URL`` if the site sets it, else the
    add-on's member login page when the site includes ``dangwu_wagtail.urls``, else
    ``LOGIN_URL``.

    A site that has only added the apps (a ``wagtail start`` site before step 3 of the
    install guide) has Django's default ``LOGIN_URL``, ``/accounts/login/``, which nothing
    serves there but Wagtail's page router, with a 404: readers are sent to Wagtail's own
    login page (``/_util/login/``) instead, and check ``dangwu_wagtail.W006`` says what to
    add.
    """
    from django.urls import NoReverseMatch, reverse

    configured = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None)
    if configured:
        return configured
    try:
        return reverse("dangwu_wagtail:login")
    except NoReverseMatch:
        pass
    if default_login_url_unserved():
        try:
            return reverse("wagtailcore_login")
        except NoReverseMatch:
            pass
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

"""Wagtail's permission policies with the school boundary, registered in Wagtail's
``policy_registry`` so that the admin, API v3 and any code that asks Wagtail who may do what
get the same answer.

The boundary (``models.access``): a permission granted on a page or collection outside every
column does not reach into a column, and inside a column only the permissions of that
column's own editors and reviewers groups count. So the host site's groups (Wagtail's stock
Editors and Moderators, with permissions on the root page and the root collection) keep the
host's pages and collections and get nothing of any column; a school's staff get their own
column and nothing of another's. Everything else is Wagtail's own policy, unchanged: for a
site without columns, or for a superuser, these policies answer exactly as Wagtail's do and
ask the database nothing more.
"""

import swapper
from django.contrib.auth import get_user_model
from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef, Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission
from wagtail.permission_policies.collections import (
    CollectionManagementPermissionPolicy,
    CollectionOwnershipPermissionPolicy,
)
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models.access import (
    access_for,
    catalog_bounds,
    catalog_content_type_ids,
    is_catalog_page,
    school_collections,
)
from .models.catalog import Catalog


def _catalog_containing(catalog_list, path):
    for bounds in catalog_list:
        if path.startswith(bounds.path):
            return bounds
    return None


class SchoolPagesMixin:
    """The boundary for Wagtail's page permission policy (see the module's docstring)."""

    def get_all_permissions_for_user(self, user):
        grants = super().get_all_permissions_for_user(user)
        # Only a column's own editors and reviewers groups hold permissions inside it; a
        # grant on a column to any other group is ignored.
        access = access_for(user)
        return [grant for grant in grants if access.counts_page_grant(grant)]

    @staticmethod
    def grant_reaches(grant, page):
        """Whether a counted ``GroupPagePermission`` applies to ``page``: ``page`` is the
        granted page or below it, and inside a column only a grant made inside it applies."""
        if page.pk != grant.page_id and not page.path.startswith(grant.page.path):
            return False
        return is_catalog_page(grant.page) or not is_catalog_page(page)

    def actions_for(self, user, page):
        """The actions (``add``, ``change``, ``publish``…) ``user``'s groups hold on
        ``page``: what ``PagePermissionTester.permissions`` holds, bounded by schools.

        Worked out once a page (at its path) for the grants Wagtail keeps on the user: the
        explorer asks for each of its rows some ten times, once a button."""
        grants = self.get_cached_permissions_for_user(user)
        kept_for, actions = user.__dict__.get("_dangwu_page_actions", (None, None))
        if kept_for is not grants:
            actions = {}
            user.__dict__["_dangwu_page_actions"] = (grants, actions)
        key = (page.pk, page.path, page.content_type_id)
        if key not in actions:
            actions[key] = frozenset(
                grant.permission.codename.rsplit("_", maxsplit=1)[0]
                for grant in grants
                if self.grant_reaches(grant, page)
            )
        return set(actions[key])

    def _grant_scope(self, grant, pages):
        if is_catalog_page(grant.page):
            return pages
        return pages.exclude(content_type_id__in=catalog_content_type_ids())

    def user_has_any_permission_for_instance(self, user, actions, instance):
        base_permission = self._base_user_has_permission(user)
        if base_permission is not None:
            return base_permission
        add = self._get_permission_codename("add")
        permissions = set()
        for grant in self.get_cached_permissions_for_user(user):
            if self.grant_reaches(grant, instance):
                permissions.add(grant.permission.codename)
                if grant.permission.codename == add and instance.owner_id == user.pk:
                    permissions.add(self._get_permission_codename("change"))
        return bool(self._get_permission_codenames(actions) & permissions)

    def instances_user_has_any_permission_for(self, user, actions):
        base_queryset = self._base_queryset_for_user(user)
        if base_queryset is not None:
            return base_queryset
        manager = self.model._default_manager
        add = self._get_permission_codename("add")
        codenames = self._get_permission_codenames(actions)
        pages = manager.none()
        for grant in self.get_cached_permissions_for_user(user):
            below = manager.descendant_of(grant.page, inclusive=True)
            if grant.permission.codename == add and "add" not in actions and "change" in actions:
                pages |= self._grant_scope(grant, below.filter(owner=user))
            elif grant.permission.codename in codenames:
                pages |= self._grant_scope(grant, below)
        return pages

    def users_with_any_permission_for_instance(self, actions, instance, include_superusers=True):
        if not is_catalog_page(instance):
            users = super().users_with_any_permission_for_instance(
                actions, instance, include_superusers=include_superusers
            )
            # A grant above the page reaches it; one inside a column reaches nothing here.
            return users
        ancestors = instance.get_ancestors(inclusive=True)
        bounds = _catalog_containing(
            catalog_bounds(path__in=ancestors.values_list("path", flat=True)), instance.path
        )
        staff_groups = bounds.staff_group_ids if bounds else set()
        in_catalog = ancestors.filter(content_type_id__in=catalog_content_type_ids())
        grants = GroupPagePermission.objects.filter(page__in=in_catalog, group__in=staff_groups)
        q = Q(
            groups__in=grants.filter(
                permission__codename__in=self._get_permission_codenames(actions)
            ).values_list("group", flat=True)
        )
        if include_superusers:
            q |= Q(is_superuser=True)
        if "change" in actions and "add" not in actions:
            add_groups = grants.filter(
                permission__codename=self._get_permission_codename("add")
            ).values_list("group", flat=True)
            q |= Q(groups__in=add_groups) & Q(pk=instance.owner_id)
        return get_user_model()._default_manager.filter(is_active=True).filter(q).distinct()


class SchoolCollectionsMixin:
    """The boundary for Wagtail's collection-based policies (documents, images, and the
    collections themselves): a school's collection, with its internal collection, is reached
    only by the school's editors and reviewers groups' grants made on it."""

    def _catalogs_for(self, user):
        return access_for(user).school_collections

    @staticmethod
    def _catalog_of(catalogs, collection):
        for bounds in catalogs:
            if bounds.collection_path and collection.path.startswith(bounds.collection_path):
                return bounds
        return None

    def get_all_permissions_for_user(self, user):
        # A grant on a school's collection, or inside it, counts only for the school's
        # editors and reviewers groups: decided in Wagtail's own query, at no extra cost.
        in_another_school = Catalog.objects.annotate(
            granted_path=ExpressionWrapper(OuterRef("collection__path"), output_field=CharField())
        ).filter(
            ~Q(editors_group=OuterRef("group")),
            ~Q(reviewers_group=OuterRef("group")),
            collection__isnull=False,
            granted_path__startswith=F("collection__path"),
        )
        return super().get_all_permissions_for_user(user).exclude(Exists(in_another_school))

    def _grant_reaches(self, user, grant, collection):
        if collection.pk != grant.collection_id and not collection.path.startswith(
            grant.collection.path
        ):
            return False
        catalogs = self._catalogs_for(user)
        catalog = self._catalog_of(catalogs, collection)
        return catalog is None or self._catalog_of(catalogs, grant.collection) == catalog

    def _check_perm(self, user, actions, collection=None):
        if collection is None or not (user.is_active and user.is_authenticated):
            return super()._check_perm(user, actions, collection=collection)
        if user.is_superuser:
            return True
        return any(
            self._grant_reaches(user, grant, collection)
            for grant in self._get_user_permission_objects_for_actions(user, actions)
        )

    def _collections_with_perm(self, user, actions):
        catalogs = self._catalogs_for(user)
        collections = Collection.objects.none()
        for grant in self._get_user_permission_objects_for_actions(user, actions):
            below = Collection.objects.descendant_of(grant.collection, inclusive=True)
            if self._catalog_of(catalogs, grant.collection) is None:
                for other in catalogs:
                    if other.collection_path:
                        below = below.exclude(path__startswith=other.collection_path)
            collections |= below
        return collections

    def _users_with_perm_filter(self, actions, collection=None):
        users = super()._users_with_perm_filter(actions, collection=collection)
        if collection is None:
            return users
        catalog = self._catalog_of(school_collections(), collection)
        if catalog is None:
            return users
        grants = GroupCollectionPermission.objects.filter(
            permission__in=self._get_permission_objects_for_actions(actions),
            collection__in=collection.get_ancestors(inclusive=True).filter(
                path__startswith=catalog.collection_path
            ),
            group__in=catalog.staff_group_ids,
        )
        return Q(is_active=True) & (
            Q(is_superuser=True) | Q(groups__in=grants.values_list("group", flat=True))
        )


class SchoolPagePermissionPolicy(SchoolPagesMixin, PagePermissionPolicy):
    """Wagtail's page permission policy, bounded by schools."""


class SchoolCollectionOwnershipPermissionPolicy(
    SchoolCollectionsMixin, CollectionOwnershipPermissionPolicy
):
    """Wagtail's policy for documents and images, bounded by schools."""


class SchoolCollectionManagementMixin(SchoolCollectionsMixin):
    """The boundary for Wagtail's policy for managing collections: nobody outside a school
    renames, deletes or changes the privacy of its collections."""

    def _descendants_with_perm(self, user, action):
        return (
            super()
            ._descendants_with_perm(user, action)
            .filter(access_for(user).admin_collections())
        )


class SchoolCollectionManagementPermissionPolicy(
    SchoolCollectionManagementMixin, CollectionManagementPermissionPolicy
):
    """Wagtail's policy for managing collections, bounded by schools."""


def bound(policy, mixin):
    """Give a policy instance the school boundary in place: its class becomes ``mixin``
    over its own class, and every holder of the instance (Wagtail's registry, its
    ``wagtail.permissions.page_permission_policy``) keeps the same object."""
    if not isinstance(policy, mixin):
        cls = type(policy)
        policy.__class__ = BOUNDED_CLASSES.get(cls) or type(
            f"School{cls.__name__}", (mixin, cls), {"__module__": __name__}
        )
    return policy


BOUNDED_CLASSES = {
    PagePermissionPolicy: SchoolPagePermissionPolicy,
    CollectionManagementPermissionPolicy: SchoolCollectionManagementPermissionPolicy,
    CollectionOwnershipPermissionPolicy: SchoolCollectionOwnershipPermissionPolicy,
}


def register_permission_policies():
    """Bound the policies in Wagtail's ``policy_registry``; called from ``ready()``.

    The policies Wagtail registered for pages and collections are bounded in place, so they
    stay Wagtail's objects (and a host's own policy keeps its rules, under the boundary).
    Documents and images get bounded policies registered for their exact models, which take
    precedence over the policies their apps register in their own ``ready()``, later.
    """
    from wagtail.documents import get_document_model, get_document_model_string
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    bound(policy_registry.get_by_type(swapper.load_model("wagtailcore", "Page")), SchoolPagesMixin)
    bound(policy_registry.get_by_type(Collection), SchoolCollectionManagementMixin)
    policy_registry.register(
        get_document_model(),
        SchoolCollectionOwnershipPermissionPolicy(
            get_document_model_string(),
            auth_model="wagtaildocs.Document",
            owner_field_name="uploaded_by_user",
        ),
        exact_class=True,
    )
    policy_registry.register(
        get_image_model(),
        SchoolCollectionOwnershipPermissionPolicy(
            get_image_model(), auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )

"""What a school's groups may do. The setup of a school and later checks ask this module.

Members (党员) get no admin access: they read internal items on the site. Editors draft under
their own column and keep its registers; reviewers also pass the confidentiality review and
may withdraw items. Both work with documents and images in
the school's own collection only. No school group is given user-management permissions.
"""

import swapper
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import GroupCollectionPermission, GroupPagePermission

ADMIN_ACCESS = ("wagtailadmin", "access_admin")

PAGE_PERMISSIONS = {
    "editors": ("add", "change"),
    "reviewers": ("add", "change", "publish"),
}

COLLECTION_PERMISSIONS = {
    role: (
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
    )
    for role in ("editors", "reviewers")
}


#: The registers (disclosure requests, receptions, opinions): a school's editors and reviewers
#: keep their school's; the rows of other schools are filtered out by ``registers``.
REGISTER_PERMISSIONS = (
    ("dangwu_wagtail", "add_disclosurerequest"),
    ("dangwu_wagtail", "change_disclosurerequest"),
    ("dangwu_wagtail", "view_disclosurerequest"),
    ("dangwu_wagtail", "add_receptionrecord"),
    ("dangwu_wagtail", "change_receptionrecord"),
    ("dangwu_wagtail", "view_receptionrecord"),
    ("dangwu_wagtail", "change_feedback"),
    ("dangwu_wagtail", "view_feedback"),
    ("dangwu_wagtail", "view_holiday"),
)

#: Supervisors read every register and change none.
REGISTER_READ_PERMISSIONS = tuple(
    permission for permission in REGISTER_PERMISSIONS if permission[1].startswith("view_")
)


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(permission_type):
    # The base page model may be swapped (WAGTAIL_PAGE_MODEL): its permissions follow it.
    page_model = swapper.load_model("wagtailcore", "Page")
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(page_model),
        codename=f"{permission_type}_{page_model._meta.model_name}",
    )


def grant_school_permissions(catalog):
    """Give ``catalog``'s groups their permissions on its page subtree and its collection.

    Safe to call again: existing permissions are kept, missing ones added.
    """
    groups = {"editors": catalog.editors_group, "reviewers": catalog.reviewers_group}
    admin_access = _permission(*ADMIN_ACCESS)
    registers = [_permission(*permission) for permission in REGISTER_PERMISSIONS]
    for role, group in groups.items():
        group.permissions.add(admin_access, *registers)
        for permission_type in PAGE_PERMISSIONS[role]:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=catalog,
                permission=_page_permission(permission_type),
            )
        # Collection permissions apply to child collections: the internal one included.
        if catalog.collection is not None:
            for app_label, codename in COLLECTION_PERMISSIONS[role]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=catalog.collection,
                    permission=_permission(app_label, codename),
                )


#: District groups read every column in the admin's read-only “Disclosure columns” view.
VIEW_COLUMNS = ("dangwu_wagtail", "view_catalog")


def grant_district_permissions(group, registers=False):
    """Supervisors and the superior organisation's approvers reach the admin and read every
    column there; they hold no page permission, so they change nothing. Wagtail's workflow
    opens a column's editor to the approvers while a catalog adjustment awaits them.
    With ``registers``, the group also reads every school's registers (supervisors)."""
    permissions = [ADMIN_ACCESS, VIEW_COLUMNS, *(REGISTER_READ_PERMISSIONS if registers else ())]
    group.permissions.add(*(_permission(*permission) for permission in permissions))

"""Each school's people act on their own column only.

Wagtail's permissions already keep an editor's explorer, admin search, edit, history and
workflow views to the pages they hold permissions on. Wagtail's page chooser shows every page,
so a hook hides the other schools' columns there; pages outside any column (the host site's)
stay choosable for links.
"""

from django.db.models import Q

from .models import Catalog


def staff_catalogs(user):
    """The columns ``user`` works on as an editor or reviewer."""
    if not user.is_authenticated:
        return Catalog.objects.none()
    groups = user.groups.all()
    return Catalog.objects.filter(Q(editors_group__in=groups) | Q(reviewers_group__in=groups))


def staff_catalog_paths(user):
    """Tree paths of the columns ``user`` works on, cached on the user for the request."""
    cached = getattr(user, "_dangwu_staff_catalog_paths", None)
    if cached is None:
        cached = list(staff_catalogs(user).values_list("path", flat=True))
        user._dangwu_staff_catalog_paths = cached
    return cached


def without_other_schools(pages, user):
    """``pages`` less those inside a column ``user`` does not work on, for a school's staff.

    A plain ``path`` filter, so that it also applies to the chooser's search results.
    """
    if user.is_superuser or not staff_catalog_paths(user):
        return pages
    other_paths = Catalog.objects.exclude(pk__in=staff_catalogs(user).values("pk")).values_list(
        "path", flat=True
    )
    inside_others = Q(pk__in=[])
    for path in other_paths:
        inside_others |= Q(path__startswith=path)
    return pages.exclude(inside_others)


def construct_page_chooser_queryset(pages, request):
    return without_other_schools(pages, request.user)


def register_catalog_ids(user):
    """The columns whose register rows ``user`` reads: ``ALL_SCHOOLS`` for superusers and
    district supervisors, else the ids of the columns they work on."""
    from .privacy import ALL_SCHOOLS, internal_catalog_ids

    if internal_catalog_ids(user) is ALL_SCHOOLS:
        return ALL_SCHOOLS
    return set(staff_catalogs(user).values_list("pk", flat=True))

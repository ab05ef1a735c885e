"""Each school's people act on their own column only: what the admin shows a user, for the
admin's listings that do not ask a permission policy.

Wagtail's explorer, page search, reports, revisions and history ask the page permission policy,
which ``policies`` bounds by schools. Wagtail's page chooser lists every page, for links: a
hook keeps the other schools' columns out of it, and the same filter serves the explorer's
search hook. Pages outside any column (the host site's) stay choosable.
"""

from .admin_boundary import refuse_hidden_pages
from .models import Catalog
from .models.access import access_for


def staff_catalogs(user):
    """The columns ``user`` works on as an editor or reviewer."""
    return Catalog.objects.filter(pk__in=access_for(user).staff_catalog_ids)


def staff_catalog_paths(user):
    """Tree paths of the columns ``user`` works on."""
    return [bounds.path for bounds in access_for(user).staff_catalog_bounds]


def without_other_schools(pages, user):
    """``pages`` less those of the columns the admin does not show ``user``.

    A plain filter on the page's own fields, so that it also applies to search results.
    """
    return pages.filter(access_for(user).admin_pages())


def construct_page_chooser_queryset(pages, request):
    return without_other_schools(pages, request.user)


def construct_explorer_page_queryset(parent_page, pages, request):
    """The explorer lists the children of any page below the user's explorable root, which
    is the root page for the host's groups: a page they may not see is not found."""
    refuse_hidden_pages(request.user, parent_page)
    return without_other_schools(pages, request.user)

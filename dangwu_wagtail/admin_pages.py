"""Wagtail's own page screens, as the add-on extends them: the review action that says what it
did, and the explorer's listing of a column with each item's entry and scope."""

import swapper
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet

from .admin_boundary import refuse_hidden_pages
from .models import Catalog, DisclosureItem, DisclosureItemMixin, InternalSection
from .moderation import decided_by, review_outcome

Page = swapper.load_model("wagtailcore", "Page")


class ReviewActionView(WorkflowActionView):
    """Wagtail's workflow action (approve, send back), ending with a message that says
    what it did. The review steps' modal form posts here (``ReviewTask``'s template); the
    action itself is Wagtail's, with its permission checks."""

    submit_url_name = "dangwu_wagtail_admin:review_action"

    def dispatch(self, request, *args, **kwargs):
        # A page the boundary hides is not found, and so is a step of another page.
        refuse_hidden_pages(request.user, self.object)
        if self.task_state.workflow_state.object_id != str(self.object.pk):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if (task_state := decided_by(self.task_state.pk, request.user)) is not None:
            messages.success(request, review_outcome(self.object, task_state))
        return response


# The explorer's listing of a catalog --------------------------------------------------------


def item_entry_display(page):
    """What the explorer shows in an item's entry column: the entry's number and title."""
    entry = getattr(page, "entry", None) if isinstance(page, DisclosureItemMixin) else None
    if entry is None:
        return ""
    if entry.number is None:
        return entry.title
    return pgettext("catalog entry heading", "%(number)s. %(title)s") % {
        "number": entry.number,
        "title": entry.title,
    }


def item_scope_display(page):
    return page.get_scope_display() if isinstance(page, DisclosureItemMixin) else ""


class CatalogListingView(ExplorableIndexView):
    """Wagtail's explorer listing of a column's pages (its items and its internal section),
    with each item's entry and scope. The entries are read in one query for the page of
    results, not one an item."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = [page for page in context["object_list"] if isinstance(page, DisclosureItemMixin)]
        prefetch_related_objects(items, "entry")
        return context


class DisclosureItemViewSet(PageViewSet):
    """The pages of a column in the explorer: the listing of a ``Catalog``'s and an
    ``InternalSection``'s children shows each item's entry and scope. Every other view of
    an item is Wagtail's own."""

    model = DisclosureItem
    index_view_class = CatalogListingView
    columns = [
        *CatalogListingView.base_columns,
        Column("entry", label=_("Entry"), accessor=item_entry_display, width="25%"),
        Column("scope", label=_("Scope"), accessor=item_scope_display, width="10%"),
    ]

    @cached_property
    def parent_models(self):
        return [Catalog, InternalSection]

    def get_index_view_kwargs(self, **kwargs):
        # A column holds its internal section as well as its items: list every child page.
        return super().get_index_view_kwargs(model=Page, **kwargs)

"""The school boundary where Wagtail's admin lists what it is given.

Most of the admin asks Wagtail's permission policies, which ``policies`` bounds by schools, or
offers a hook, which ``wagtail_hooks`` uses. A few places ask neither: they list every object
of a kind, and only then check a permission (or none). For those, and only those, the add-on
wraps one function of Wagtail's here, once, from ``AppConfig.ready()``; each wrapper keeps
Wagtail's behaviour and removes what the boundary (``models.access``) does not give the user:

* bulk-action confirmation pages list the objects a user may not act on by title;
* the page types usage report counts every page of every type and names the last edited;
* the audit log shows deleted pages' entries to anyone who may add pages at the root, and
  the registers' entries to anyone with a permission on their model;
* the tag autocomplete offers every tag of the site;
* the workflow reports list every workflow state of the pages and objects of a type the user
  may edit;
* the page chooser names the page it is opened at, the chosen-pages step any page asked
  for, the move confirmation both pages, and a workflow step's preview the page it refuses,
  before any permission is checked.

The admin's three page searches (the page search, the explorer's search within a page and the
page chooser's) run ``searching_as`` their user, so that the add-on's search backend finds
that user's own schools' internal items and drafts in them (``models.item_search``), and in
no other search.

The admin crawler (``tests/test_admin_crawler.py``) requests every route of the admin as every
kind of outsider; it is what tells whether this list is complete.
"""

import functools

import swapper
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from .models.access import access_for, catalog_content_type_ids
from .models.item_search import searching_as


def wrap(owner, name):
    """Replace ``owner.name`` with the decorated function, which receives the original."""

    def decorate(replacement):
        original = getattr(owner, name)
        if getattr(original, "_dangwu_boundary", False):
            return original  # applied already

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            return replacement(original, *args, **kwargs)

        wrapper._dangwu_boundary = True
        setattr(owner, name, wrapper)
        return wrapper

    return decorate


def refuse_hidden_pages(user, *pages):
    """404 for a page Wagtail's admin may not show ``user``: as if it did not exist."""
    from django.http import Http404

    access = access_for(user)
    if not all(access.sees_page_in_admin(page) for page in pages):
        raise Http404


def boundary_filter(user, model):
    """A ``Q`` over ``model`` for the objects the admin may show ``user``, or ``None`` when
    the boundary says nothing about that model."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    Page = swapper.load_model("wagtailcore", "Page")

    access = access_for(user)
    if issubclass(model, Page):
        return access.admin_pages()
    if issubclass(model, get_document_model() | get_image_model()):
        return access.admin_collections(prefix="collection__")
    if issubclass(model, Collection):
        return access.admin_collections()
    return None


def register_rows_filter(user):
    """A ``Q`` over model log entries: those of the registers' rows ``user`` reads, and every
    entry of other models."""
    from django.contrib.contenttypes.models import ContentType

    from .models import DisclosureRequest, Feedback, ReceptionRecord

    access = access_for(user)
    if access.reads_every_catalog:
        return Q()
    condition = Q()
    for model in (DisclosureRequest, Feedback, ReceptionRecord):
        content_type = ContentType.objects.get_for_model(model)
        readable = (
            model.objects.filter(access.register_rows())
            .annotate(text_pk=Cast("pk", CharField()))
            .values("text_pk")
        )
        condition &= ~Q(content_type=content_type) | Q(object_id__in=readable)
    return condition


def apply_admin_boundary():
    """Wrap the few functions of Wagtail's admin that list without asking; called from
    ``ready()``, before the admin's URLs are loaded."""
    from wagtail.admin.views import chooser, tags
    from wagtail.admin.views.bulk_action.base_bulk_action import BulkAction
    from wagtail.admin.views.pages.listing import PageListingMixin
    from wagtail.admin.views.pages.move import MoveConfirmView
    from wagtail.admin.views.pages.search import SearchView as PageSearchView
    from wagtail.admin.views.pages.workflow import PreviewRevisionForTaskView
    from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
    from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
    from wagtail.models import ModelLogEntry, PageLogEntry, get_default_page_content_type

    Page = swapper.load_model("wagtailcore", "Page")

    @wrap(BulkAction, "get_actionable_objects")
    def get_actionable_objects(original, self):
        objects, extra = original(self)
        condition = boundary_filter(self.request.user, self.model)
        if condition is None:
            return objects, extra
        candidates = [*objects, *extra.get("items_with_no_access", [])]
        shown = set(
            self.model._default_manager.filter(pk__in=[obj.pk for obj in candidates])
            .filter(condition)
            .values_list("pk", flat=True)
        )
        extra = {
            **extra,
            "items_with_no_access": [
                obj for obj in extra.get("items_with_no_access", []) if obj.pk in shown
            ],
        }
        return [obj for obj in objects if obj.pk in shown], extra

    @wrap(PageTypesUsageReportView, "get_queryset")
    def page_types_usage(original, self):
        queryset = original(self)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_superuser:
            return queryset
        # Its counts and its "last edited" page span every school.
        return queryset.exclude(pk__in=catalog_content_type_ids())

    @wrap(type(PageLogEntry.objects), "viewable_by_user")
    def page_log_entries(original, self, user):
        entries = original(self, user)
        if user.is_superuser:
            return entries
        # A deleted page's entries are shown to those who may add pages at the root:
        # not those of a column's page, whichever the user may no longer see.
        return entries.filter(
            ~Q(content_type_id__in=catalog_content_type_ids())
            | Q(page__in=Page.objects.filter(access_for(user).admin_pages()).values("pk"))
        )

    @wrap(type(ModelLogEntry.objects), "viewable_by_user")
    def model_log_entries(original, self, user):
        return original(self, user).filter(register_rows_filter(user))

    @wrap(WorkflowView, "get_queryset")
    def workflow_states(original, self):
        return original(self).exclude(
            base_content_type=get_default_page_content_type(),
            object_id__in=access_for(self.request.user).hidden_page_ids(),
        )

    @wrap(WorkflowTasksView, "get_queryset")
    def workflow_task_states(original, self):
        return original(self).exclude(
            workflow_state__base_content_type=get_default_page_content_type(),
            workflow_state__object_id__in=access_for(self.request.user).hidden_page_ids(),
        )

    @wrap(chooser.BrowseView, "get_object_list")
    def chooser_children(original, self):
        refuse_hidden_pages(self.request.user, self.parent_page)
        return original(self)

    @wrap(chooser.ChosenMultipleView, "get")
    def chosen_pages(original, self, request):
        ids = [pk for pk in request.GET.getlist("id") if pk.isdecimal()]
        refuse_hidden_pages(request.user, *Page.objects.filter(pk__in=ids))
        return original(self, request)

    @wrap(MoveConfirmView, "dispatch")
    def move_confirm(original, self, request, page_to_move_id, destination_id, *args, **kw):
        pages = Page.objects.filter(pk__in=[page_to_move_id, destination_id])
        refuse_hidden_pages(request.user, *pages)
        return original(self, request, page_to_move_id, destination_id, *args, **kw)

    @wrap(PreviewRevisionForTaskView, "get")
    def task_preview(original, self, request, *args, **kwargs):
        # Its refusal names the page.
        refuse_hidden_pages(request.user, self.object)
        return original(self, request, *args, **kwargs)

    @wrap(PageSearchView, "get_queryset")
    def page_search(original, self):
        with searching_as(self.request.user):
            return original(self)

    @wrap(PageListingMixin, "search_queryset")
    def explorer_search(original, self, queryset):
        with searching_as(self.request.user):
            return original(self, queryset)

    @wrap(chooser.SearchView, "get")
    def chooser_search(original, self, request, *args, **kwargs):
        with searching_as(request.user):
            return original(self, request, *args, **kwargs)

    @wrap(tags, "autocomplete")
    def autocomplete(original, request, app_name=None, model_name=None):
        response = original(request, app_name=app_name, model_name=model_name)
        return without_hidden_tags(request.user, response)


def without_hidden_tags(user, response):
    """The tag autocomplete's answer, less the tags that only the column pages the admin does
    not show ``user`` carry."""
    import json

    from django.http import JsonResponse
    from taggit.models import TaggedItem

    from .models import DisclosureItem, DisclosureItemTag

    names = json.loads(response.content)
    if not names or access_for(user).reads_every_catalog:
        return response
    on_items = DisclosureItemTag.objects.filter(tag__name__in=names)
    shown = set(
        on_items.filter(content_object__in=DisclosureItem.objects.in_admin_for(user)).values_list(
            "tag__name", flat=True
        )
    )
    elsewhere = set(
        TaggedItem.objects.filter(tag__name__in=names).values_list("tag__name", flat=True)
    )
    hidden = set(on_items.values_list("tag__name", flat=True)) - shown - elsewhere
    return JsonResponse([name for name in names if name not in hidden], safe=False)


def bounded_api_endpoint(viewset):
    """A subclass of one of the admin API's endpoints for documents or images that lists the
    objects of the collections the admin shows the user, only."""

    class BoundedEndpoint(viewset):
        def get_queryset(self):
            queryset = super().get_queryset()
            return queryset.filter(access_for(self.request.user).admin_collections("collection__"))

    BoundedEndpoint.__name__ = BoundedEndpoint.__qualname__ = f"Bounded{viewset.__name__}"
    return BoundedEndpoint


def construct_admin_api(router):
    """``construct_admin_api`` hook, run after Wagtail's own: the documents and images
    endpoints of the admin's API, bounded by schools."""
    for name in ("documents", "images"):
        viewset = router._endpoints.get(name)
        if viewset is not None:
            router.register_endpoint(name, bounded_api_endpoint(viewset))

"""Where Wagtail's own serving, moving and copying ask the privacy module."""

import swapper
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.admin.menu import MenuItem

from .admin_boundary import construct_admin_api
from .admin_views import reads_every_catalog_in_admin
from .inputs import object_id
from .isolation import construct_explorer_page_queryset, construct_page_chooser_queryset
from .models import DisclosureItemMixin, InternalSection, Scope
from .models.access import access_for
from .models.placement import catalog_of, copy_problem
from .models.requests import REQUEST_LOG_ACTIONS
from .moderation import decided_by, review_outcome, sent_back_notice
from .moderation import register_log_actions as register_scope_log_actions
from .panels import construct_homepage_panels
from .privacy import can_read_internal, can_view_document, can_view_item, refuse
from .registers import register_registers
from .wagtail_gaps import script_translations


@hooks.register("before_serve_page", order=-100)
def check_item_privacy(page, request, serve_args, serve_kwargs):
    """Decide before Wagtail's view restrictions do: a reader of another school gets a 404
    (not a login page that would confirm the item exists)."""
    if isinstance(page, DisclosureItemMixin):
        if can_view_item(request.user, page):
            if page.scope == Scope.PUBLIC and isinstance(
                page.get_parent().specific, InternalSection
            ):
                # A public item moved into the section by hand: Wagtail's restriction
                # would ask for a login, but the item is public.
                return page.serve(request, *serve_args, **serve_kwargs)
            return None
        return refuse(request)
    if isinstance(page, InternalSection) and not can_read_internal(request.user, catalog_of(page)):
        return refuse(request)
    return None


@hooks.register("before_serve_document", order=-100)
def check_document_privacy(document, request):
    if not can_view_document(request.user, document):
        return refuse(request)
    return None


@hooks.register("before_copy_page")
def keep_copies_in_their_column(request, page):
    """Say why a copy is refused (the item's permission tester refuses it in any case)."""
    if not isinstance(page.specific, DisclosureItemMixin) or request.method != "POST":
        return None
    Page = swapper.load_model("wagtailcore", "Page")

    destination = Page.objects.filter(pk=object_id(request.POST.get("new_parent_page"))).first()
    if destination is None:
        # Wagtail's copy view would fail on it (Page.objects.get): say what is missing instead.
        messages.error(request, _("Choose the page to copy the item to."))
        return redirect("wagtailadmin_pages:copy", page.pk)
    problem = copy_problem(page.specific, destination)
    if problem:
        messages.error(request, problem)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """How the audit log shows a change of scope and the steps of a disclosure request."""
    register_scope_log_actions(actions)
    for action, (label, message) in REQUEST_LOG_ACTIONS.items():
        actions.register_action(action, label, message)


hooks.register("construct_page_chooser_queryset", construct_page_chooser_queryset)
hooks.register("construct_explorer_page_queryset", construct_explorer_page_queryset)
# After Wagtail's documents and images apps have added their endpoints.
hooks.register("construct_admin_api", construct_admin_api, order=100)
hooks.register("construct_homepage_panels", construct_homepage_panels)


@hooks.register("insert_global_admin_js")
def fill_wagtails_script_translations():
    return script_translations()


@hooks.register("register_admin_viewset")
def register_item_viewset():
    from .admin_pages import DisclosureItemViewSet

    return DisclosureItemViewSet("dangwu_wagtail_items")


@hooks.register("register_admin_urls")
def register_admin_urls():
    from django.urls import include, path

    return [path("dangwu/", include("dangwu_wagtail.admin_urls"))]


class CatalogsMenuItem(MenuItem):
    def is_shown(self, request):
        return reads_every_catalog_in_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_columns_menu_item():
    return CatalogsMenuItem(
        gettext_lazy("Disclosure columns"),
        reverse("dangwu_wagtail_admin:catalogs"),
        icon_name="list-ul",
        order=250,
    )


register_registers()


@hooks.register("construct_page_action_menu")
def name_the_approve_and_publish_action(menu_items, request, context):
    """Wagtail labels the last step's approve action “%(label)s and Publish” around the
    task's label; the add-on's review tasks name that action in one phrase of their own."""
    approve = [item for item in menu_items if isinstance(item, WorkflowMenuItem)]
    approve = [item for item in approve if item.name == "approve"]
    if not approve or context.get("page") is None:
        return
    task = context["page"].current_workflow_task.specific
    label = getattr(task, "approve_and_publish_label", None)
    for item in approve:
        if label is not None and str(item.label) != str(task.approve_label):
            item.label = label  # Wagtail made it the publishing approval


class MemberImportMenuItem(MenuItem):
    """For a school's editors and reviewers (and superusers); no query for anyone else."""

    def is_shown(self, request):
        access = access_for(request.user)
        return access.may_work_on_a_catalog and (
            access.is_superuser or bool(access.staff_catalog_bounds)
        )


@hooks.register("register_settings_menu_item")
def register_member_import_menu_item():
    return MemberImportMenuItem(
        gettext_lazy("Import members"),
        reverse("dangwu_wagtail_admin:member_import"),
        icon_name="group",
        order=610,
    )


@hooks.register("before_edit_page")
def show_the_reason_for_sending_back(request, page):
    """A sent-back page's edit screen opens with the reviewer's reason. Before a review
    action from the editor, note the step it decides, for ``say_what_the_review_did``."""
    if request.method == "GET":
        if notice := sent_back_notice(page):
            messages.warning(request, notice)
    elif request.POST.get("action-workflow-action"):
        task_state = page.current_workflow_task_state
        request.dangwu_reviewed_task_state_id = task_state.pk if task_state else None


@hooks.register("after_edit_page")
def say_what_the_review_did(request, page):
    """Approving or sending back from the editor ends with a message saying what it did
    (from the dashboard, ``admin_pages.ReviewActionView`` says it)."""
    task_state_id = getattr(request, "dangwu_reviewed_task_state_id", None)
    if task_state_id and (task_state := decided_by(task_state_id, request.user)):
        messages.success(request, review_outcome(page, task_state))

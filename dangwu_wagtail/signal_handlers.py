from django.apps import apps
from django.core.signals import request_finished, request_started, setting_changed
from django.db.models.signals import post_delete, post_save
from wagtail.models import AbstractPage, PageViewRestriction, Site
from wagtail.search import index
from wagtail.search.backends import get_search_backends
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    pre_page_move,
    task_submitted,
)

from .caching import purge_item
from .conf import reload_settings
from .models import (
    CatalogEntry,
    CatalogMixin,
    DisclosureItemMixin,
    Holiday,
    InternalSection,
    ReviewTaskState,
    Scope,
)
from .models.access import models_built_on
from .models.deadlines import close_calendar_unit, holidays_changed, open_calendar_unit
from .models.listing import (
    every_listing_changed,
    item_listing_changed,
    listing_changed,
    pages_changed,
    restriction_changed,
)
from .models.placement import check_move, protect_documents, refuse_redirect_into_section
from .models.requests import request_updated
from .moderation import log_scope_change, review_started
from .notifications import notify, notify_followers
from .privacy import sync_view_restrictions
from .search import reset_segmenter


def item_published(sender, instance, revision=None, **kwargs):
    protect_documents(instance)
    log_scope_change(instance, revision)
    previous = getattr(instance, "_dangwu_previous_url_path", None)
    instance._dangwu_previous_url_path = None
    purge_item(instance, previous_url_path=previous)
    if first_publication(instance):
        # A new item: its followers are told.
        notify_followers(instance)


def first_publication(page):
    """Whether the publication being signalled is ``page``'s first: Wagtail logs a
    publication after it sends ``page_published``."""
    from wagtail.models import PageLogEntry

    return not PageLogEntry.objects.filter(page=page, action="wagtail.publish").exists()


def item_unpublished(sender, instance, **kwargs):
    # Scheduled expiry (publish_scheduled) unpublishes the base page, whose save is not the
    # item's: the signal is where every unpublishing shows.
    item_listing_changed(instance)
    purge_item(instance)


def item_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # The public index keeps public items only (DisclosureItem.get_indexed_objects); an
    # item that stopped being public leaves it at once. A save that does not write the scope
    # (a draft revision, whose object holds the draft's scope) leaves the live one as it was.
    if raw or (update_fields is not None and "scope" not in update_fields):
        return
    if instance.scope != Scope.PUBLIC:
        index.remove_object(instance)
    index_every_item(instance)


def index_every_item(instance):
    """Index ``instance`` at once, as its row holds it, in the backends that index every item
    (the add-on's database backend: ``search_backend.EveryItemIndexMixin``): an internal item,
    which Wagtail's own receiver leaves out, and an item made public again, whose internal
    version must not wait for a task worker to leave the index."""
    backends = [
        backend
        for backend in get_search_backends(with_auto_update=True)
        if getattr(backend, "indexes_every_item", False)
    ]
    if not backends:
        return
    # The row, not the object saved, as Wagtail's own index updates read it.
    row = type(instance)._default_manager.filter(pk=instance.pk).first()
    if row is None:
        return
    for backend in backends:
        backend.add(row)


def item_deleted_or_moved(sender, instance, **kwargs):
    item_listing_changed(instance)


def catalog_published(sender, instance, **kwargs):
    # The school's groups may have changed in the column's settings.
    sync_view_restrictions(instance)
    # And its entries: the listing shows them.
    listing_changed(instance.pk, create=True)


def entry_saved_or_deleted(sender, instance, raw=False, **kwargs):
    # An entry changed otherwise than by publishing its column (a script, the shell): what
    # the column lists and owes changed all the same.
    if not raw:
        listing_changed(instance.catalog_id)


def document_saved(sender, instance, raw=False, **kwargs):
    from .models import DisclosureItemAttachment

    # A document given a new file: its attachments' text is read again, and their items
    # indexed with it.
    if raw:
        return
    attachments = DisclosureItemAttachment.objects.filter(document=instance)
    stale = attachments.exclude(text_source=instance.file.name)
    for attachment in stale.select_related("item"):
        attachment.document = instance
        attachment.save(update_fields=["text", "text_source"])
        index.insert_or_update_object(attachment.item)
    # The items' pages name and link their attachments: their columns' kept pages go.
    for catalog_id in set(attachments.values_list("item__entry__catalog_id", flat=True)):
        listing_changed(catalog_id)


def section_published(sender, instance, **kwargs):
    # The section's address is part of its items' addresses.
    listing_changed(instance.get_parent().pk)


def email_requester(sender, disclosure_request, step, **kwargs):
    # A step of the school's (clarify, extend, answer): the requester is told.
    notify(
        "request_updated",
        {"disclosure_request": disclosure_request, "catalog": disclosure_request.catalog},
        [disclosure_request.email],
    )


def request_began(sender, **kwargs):
    # One working calendar for the request's deadlines: the Holiday register read once.
    open_calendar_unit()


def request_ended(sender, **kwargs):
    close_calendar_unit()


def view_restriction_saved_or_deleted(sender, instance, raw=False, **kwargs):
    # A column restricted to logged-in readers (or no longer): no anonymous page kept
    # before stays served.
    if not raw:
        restriction_changed(instance.page)


def page_saved_or_deleted(sender, instance, raw=False, **kwargs):
    # Any page of the site (a draft saved too: a page never published is listed with its
    # latest revision's date): the sitemap's kept files go once it commits.
    if not raw and isinstance(instance, AbstractPage):
        pages_changed()


def sitemap_source_changed(sender, raw=False, **kwargs):
    # A view restriction (which leaves pages out of the sitemap), a site (its root and
    # address), a page moved.
    if not raw:
        pages_changed()


def holiday_saved_or_deleted(sender, **kwargs):
    holidays_changed()
    # Every item's page counts its notice period in working days: every column's kept
    # pages go.
    every_listing_changed()


def register_signal_handlers():
    """Connect the add-on's receivers; called once from ``AppConfig.ready()``."""
    setting_changed.connect(reload_settings, dispatch_uid="dangwu_wagtail_reload_settings")
    setting_changed.connect(reset_segmenter, dispatch_uid="dangwu_wagtail_reset_segmenter")
    connect_redirect_handlers()
    request_started.connect(request_began, dispatch_uid="dangwu_calendar_unit_open")
    request_finished.connect(request_ended, dispatch_uid="dangwu_calendar_unit_close")
    post_save.connect(holiday_saved_or_deleted, sender=Holiday, dispatch_uid="dangwu_holiday")
    connect_sitemap_handlers()
    for signal in (post_save, post_delete):
        signal.connect(
            view_restriction_saved_or_deleted,
            sender=PageViewRestriction,
            dispatch_uid=f"dangwu_restriction_{'saved' if signal is post_save else 'deleted'}",
        )
    post_delete.connect(
        holiday_saved_or_deleted, sender=Holiday, dispatch_uid="dangwu_holiday_deleted"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            entry_saved_or_deleted,
            sender=CatalogEntry,
            dispatch_uid=f"dangwu_entry_{'saved' if signal is post_save else 'deleted'}",
        )
    for item_model in models_built_on(DisclosureItemMixin):
        page_published.connect(item_published, sender=item_model, dispatch_uid="dangwu_item_pub")
        page_unpublished.connect(
            item_unpublished, sender=item_model, dispatch_uid="dangwu_item_unpub"
        )
        post_save.connect(item_saved, sender=item_model, dispatch_uid="dangwu_item_saved")
        post_delete.connect(
            item_deleted_or_moved, sender=item_model, dispatch_uid="dangwu_item_deleted"
        )
        post_page_move.connect(
            item_deleted_or_moved, sender=item_model, dispatch_uid="dangwu_item_moved"
        )
    # Every move, whatever its sender: Wagtail sends the moved page's specific class.
    pre_page_move.connect(check_move, dispatch_uid="dangwu_check_move")
    for catalog_model in models_built_on(CatalogMixin):
        page_published.connect(
            catalog_published, sender=catalog_model, dispatch_uid="dangwu_catalog_pub"
        )
    page_published.connect(
        section_published, sender=InternalSection, dispatch_uid="dangwu_section_pub"
    )
    # Wagtail emails the reviewers of its own group approval steps at once; the add-on's
    # steps (whose task states are ReviewTaskState) are emailed through the task framework.
    task_submitted.connect(review_started, sender=ReviewTaskState, dispatch_uid="dangwu_review")
    request_updated.connect(email_requester, dispatch_uid="dangwu_email_requester")
    from wagtail.documents import get_document_model

    post_save.connect(
        document_saved, sender=get_document_model(), dispatch_uid="dangwu_document_saved"
    )


def connect_sitemap_handlers():
    """Whatever the sitemap lists renews its version: a page saved, deleted or moved, a view
    restriction, a site."""
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        # Every model's signal: the pages are of any type, a host site's too.
        signal.connect(page_saved_or_deleted, dispatch_uid=f"dangwu_sitemap_page_{name}")
        for model in (PageViewRestriction, Site):
            signal.connect(
                sitemap_source_changed,
                sender=model,
                dispatch_uid=f"dangwu_sitemap_{model.__name__}_{name}",
            )
    post_page_move.connect(sitemap_source_changed, dispatch_uid="dangwu_sitemap_page_moved")


def connect_redirect_handlers():
    """When the site uses wagtail.contrib.redirects: no redirect leads into an internal
    section."""

    if not apps.is_installed("wagtail.contrib.redirects"):
        return
    from wagtail.contrib.redirects.models import Redirect

    post_save.connect(
        refuse_redirect_into_section, sender=Redirect, dispatch_uid="dangwu_redirect_saved"
    )

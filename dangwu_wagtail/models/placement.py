"""Keeps every live disclosure item where its scope puts it.

A column has two parts: public items live directly under the ``Catalog``, internal items under
its ``InternalSection``, whose Wagtail view restriction keeps them out of Wagtail's own
channels. An item is moved when its live version changes scope, in the same transaction as
the save that publishes it: into the section *before* internal content is written, out of it
*after* public content is written. Drafts move nothing, so a public item stays fully public
while an internal draft of it awaits approval.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .catalog import Catalog, CatalogMixin
from .choices import Scope
from .sections import InternalSection


def catalog_of(page):
    """The ``Catalog`` that ``page`` (a column, its internal section, or an item) belongs to."""
    if page is None:
        return None
    page = page.specific
    if isinstance(page, CatalogMixin):
        return page
    if isinstance(page, InternalSection):
        return catalog_of(page.get_parent())
    if getattr(page, "catalog_part", None) == "item":
        return page.entry.catalog
    return None


LOCATION_FIELDS = ("path", "depth", "url_path", "numchild")
#: Saves that touch none of these leave the item where it is (e.g. saving a draft revision).
PLACING_FIELDS = {"live", "scope", "path"}


def _move(item, parent):
    # Move a fresh copy: treebeard reloads the node it moves from the database, and ``item``
    # holds the content being saved. Then give ``item`` its new place in the tree only.
    type(item)._base_manager.get(pk=item.pk).move(parent, pos="last-child")
    location = type(item)._base_manager.filter(pk=item.pk).values(*LOCATION_FIELDS).get()
    for field, value in location.items():
        setattr(item, field, value)
    item._cached_parent_obj = parent


@contextmanager
def saving_in_place(item, update_fields=None):
    """Wrap the save of ``item`` so that, once saved, it sits where its live scope puts it."""
    if not item.path or (update_fields is not None and not PLACING_FIELDS & set(update_fields)):
        yield
        return
    in_section = isinstance(item.get_parent().specific, InternalSection)
    live_internal = item.live and item.scope != Scope.PUBLIC
    if item.pk is None:
        # Being created: there is nothing to move yet.
        if live_internal and not in_section:
            raise ValidationError(
                _(
                    "A live internal item must be filed under its column's internal "
                    "section. Create items with Catalog.add_item()."
                )
            )
        yield
        return
    catalog = Catalog.objects.select_related("internal_section").get(pk=item.entry.catalog_id)
    with transaction.atomic():
        if live_internal and not in_section and catalog.internal_section is not None:
            _move(item, catalog.internal_section)
            # Wagtail's redirects app has just made one from the old public address.
            drop_redirects_into(item)
        yield
        if item.live and item.scope == Scope.PUBLIC and in_section:
            _move(item, catalog)


def drop_redirects_into(page):
    """Delete wagtail.contrib.redirects' redirects to ``page`` and the pages under it.

    A redirect to a page in an internal section answers anyone who asks its old address with
    a 301 to a restricted one, which tells outsiders the item exists and is now internal:
    the old address must answer as one that never existed, a 404.
    """
    from django.apps import apps

    if not apps.is_installed("wagtail.contrib.redirects"):
        return
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.filter(redirect_page__path__startswith=page.path).delete()


def in_internal_section(page):
    """Whether ``page`` is an internal section or lies under one."""
    steplen = type(page).steplen
    ancestors = [page.path[: steplen * depth] for depth in range(1, page.depth + 1)]
    return InternalSection.objects.filter(path__in=ancestors).exists()


def refuse_redirect_into_section(sender, instance, raw=False, **kwargs):
    """``post_save`` receiver of ``Redirect``: one made (in the admin, or by a site's code) to
    a page in an internal section is deleted at once. Wagtail's own, made when an item moves
    into its section, are created in bulk: ``saving_in_place`` deletes those."""
    if raw or instance.redirect_page_id is None:
        return
    if in_internal_section(instance.redirect_page):
        type(instance).objects.filter(pk=instance.pk).delete()


def item_documents(item):
    """The ids of the documents ``item``'s content uses: attached, or linked from its body.

    ``item`` may hold a draft's content (a revision's object): its attachments are read from
    the object, not the database.
    """
    from wagtail.documents import get_document_model
    from wagtail.rich_text import extract_references_from_rich_text

    ids = {
        attachment.document_id
        for attachment in item.attachments.all()
        if attachment.document_id is not None
    }
    for model, object_id, *_rest in extract_references_from_rich_text(item.body or ""):
        if issubclass(model, get_document_model()) and str(object_id).isdecimal():
            ids.add(int(object_id))
    return ids


def protect_documents(item):
    """Keep the documents of an internal item, attached or linked from its body, in its
    column's internal collection, whose Wagtail view restriction admits only the school's
    groups and the supervisors. Called on every save of an internal item's content (a draft
    revision included) and when it is published."""
    if item.scope == Scope.PUBLIC or item.entry_id is None:
        return
    catalog = item.entry.catalog
    if catalog.internal_collection_id is None:
        return
    from wagtail.documents import get_document_model

    get_document_model().objects.filter(pk__in=item_documents(item)).exclude(
        collection_id=catalog.internal_collection_id
    ).update(collection_id=catalog.internal_collection_id)


def placement_problem(item, parent):
    """Why ``item`` may not live under ``parent``, or ``None``: an item stays in its own
    column, and a live internal item lives in that column's internal section."""
    catalog = catalog_of(parent)
    if catalog is None or item.entry_id is None or catalog.pk != item.entry.catalog_id:
        return _("An item stays in the column whose catalog it is filed under.")
    if (
        item.live
        and item.scope != Scope.PUBLIC
        and not isinstance(parent.specific, InternalSection)
    ):
        return _("A live internal item stays in its column's internal section.")
    return None


def copy_problem(item, destination):
    """Why ``item`` may not be copied under ``destination``, or ``None``: a copy stays in its
    column, and the copy of an internal item, live or not, goes into its internal section."""
    catalog = catalog_of(destination)
    if catalog is None or catalog.pk != item.entry.catalog_id:
        return _("An item can only be copied within its own column.")
    if item.scope != Scope.PUBLIC and not isinstance(destination.specific, InternalSection):
        return _("An internal item can only be copied into its column's internal section.")
    return None


def check_move(sender, instance, parent_page_after, **kwargs):
    """``pre_page_move`` receiver: refuse any move, from any code, that would break the
    placement of an item or of a column's internal section."""
    from wagtail.actions.move_page import MovePagePermissionError

    page = instance.specific
    if getattr(page, "catalog_part", None) == "item":
        problem = placement_problem(page, parent_page_after)
    elif isinstance(page, InternalSection):
        problem = (
            None
            if page.get_parent().pk == parent_page_after.pk
            else _("An internal section stays in its own column.")
        )
    else:
        problem = None
    if problem:
        raise MovePagePermissionError(problem)

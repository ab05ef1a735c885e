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

from .models import Catalog, InternalSection, Scope

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
        yield
        if item.live and item.scope == Scope.PUBLIC and in_section:
            _move(item, catalog)


def protect_attachments(item):
    """Keep the documents of an internal item in its column's internal collection, whose
    Wagtail view restriction admits only the school's groups and the supervisors."""
    if item.scope == Scope.PUBLIC:
        return
    catalog = item.entry.catalog
    if catalog.internal_collection_id is None:
        return
    from wagtail.documents import get_document_model

    get_document_model().objects.filter(
        pk__in=item.attachments.values_list("document_id", flat=True)
    ).exclude(collection_id=catalog.internal_collection_id).update(
        collection_id=catalog.internal_collection_id
    )

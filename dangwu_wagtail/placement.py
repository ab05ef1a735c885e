"""Keeps every disclosure item where its scope puts it.

A column has two parts: public items live directly under the ``Catalog``, internal items under
its ``InternalSection``, whose Wagtail view restriction keeps them out of Wagtail's own
channels. An item moves in *before* internal content can go live (when a revision that makes
it internal is saved) and moves out only *after* public content has gone live (when it is
published), so there is no moment at which internal content is live outside the section.
"""

from .models import Catalog, DisclosureItem, InternalSection, Scope
from .models.items import default_scope_for

LOCATION_FIELDS = ("path", "depth", "url_path", "numchild")


def _move(item, parent):
    item.move(parent, pos="last-child")
    # The caller may still hold ``item`` and save it: give it its new place in the tree.
    item.refresh_from_db(fields=LOCATION_FIELDS)
    item._cached_parent_obj = parent


def _parent_of(item):
    return item.get_parent().specific


def _column_parts(item):
    catalog = Catalog.objects.select_related("internal_section").get(pk=item.entry.catalog_id)
    return catalog, catalog.internal_section


def revision_scope(revision):
    """The scope a saved revision of an item gives it."""
    content = revision.content or {}
    if content.get("scope"):
        return content["scope"]
    from .models import CatalogEntry

    entry = CatalogEntry.objects.filter(pk=content.get("entry")).first()
    return default_scope_for(entry) if entry else Scope.INTERNAL


def protect_attachments(catalog, document_ids):
    """Keep the documents of internal items in the column's internal collection, whose
    Wagtail view restriction admits only the school's groups and the supervisors."""
    if catalog.internal_collection_id is None or not document_ids:
        return
    from wagtail.documents import get_document_model

    get_document_model().objects.filter(pk__in=document_ids).exclude(
        collection_id=catalog.internal_collection_id
    ).update(collection_id=catalog.internal_collection_id)


def place_for_revision(revision):
    """A revision making an item internal was saved: move the item into the section now."""
    item = revision.content_object
    if not isinstance(item, DisclosureItem) or item.pk is None:
        return
    if revision_scope(revision) == Scope.PUBLIC:
        return
    catalog, section = _column_parts(item)
    if section is not None and not isinstance(_parent_of(item), InternalSection):
        _move(item, section)
    protect_attachments(
        catalog,
        [a.get("document") for a in (revision.content or {}).get("attachments", [])],
    )


def place_after_publish(item):
    """An item was published: an internal one belongs in the section, a public one out of it.

    Moving out is safe only now that the public content is live."""
    catalog, section = _column_parts(item)
    in_section = isinstance(_parent_of(item), InternalSection)
    if item.scope == Scope.PUBLIC and in_section:
        _move(item, catalog)
    elif item.scope != Scope.PUBLIC:
        if not in_section and section is not None:
            _move(item, section)
        protect_attachments(catalog, list(item.attachments.values_list("document_id", flat=True)))

from django.core.signals import setting_changed
from django.db.models.signals import post_save
from wagtail.models import Revision
from wagtail.search import index
from wagtail.signals import page_published

from .conf import reload_settings


def item_revision_saved(sender, instance, created, raw=False, **kwargs):
    from .models import DisclosureItem
    from .placement import place_for_revision

    if created and not raw and isinstance(instance.content_object, DisclosureItem):
        place_for_revision(instance)


def item_published(sender, instance, **kwargs):
    from .placement import place_after_publish

    place_after_publish(instance)


def item_saved(sender, instance, raw=False, **kwargs):
    from .models import Scope

    # The search index keeps public items only (DisclosureItem.get_indexed_objects); an
    # item that stopped being public leaves it at once.
    if not raw and instance.scope != Scope.PUBLIC:
        index.remove_object(instance)


def catalog_published(sender, instance, **kwargs):
    from .privacy import sync_view_restrictions

    # The school's groups may have changed in the column's settings.
    sync_view_restrictions(instance)


def register_signal_handlers():
    """Connect the add-on's receivers; called once from ``AppConfig.ready()``."""
    from .models import Catalog, DisclosureItem

    setting_changed.connect(reload_settings, dispatch_uid="dangwu_wagtail_reload_settings")
    post_save.connect(item_revision_saved, sender=Revision, dispatch_uid="dangwu_item_revision")
    page_published.connect(item_published, sender=DisclosureItem, dispatch_uid="dangwu_item_pub")
    post_save.connect(item_saved, sender=DisclosureItem, dispatch_uid="dangwu_item_saved")
    page_published.connect(catalog_published, sender=Catalog, dispatch_uid="dangwu_catalog_pub")

from django.core.signals import setting_changed
from django.db.models.signals import post_save
from wagtail.search import index
from wagtail.signals import page_published

from .conf import reload_settings


def item_published(sender, instance, **kwargs):
    from .placement import protect_attachments

    protect_attachments(instance)


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
    page_published.connect(item_published, sender=DisclosureItem, dispatch_uid="dangwu_item_pub")
    post_save.connect(item_saved, sender=DisclosureItem, dispatch_uid="dangwu_item_saved")
    page_published.connect(catalog_published, sender=Catalog, dispatch_uid="dangwu_catalog_pub")

from .catalog import Catalog, CatalogEntry, CatalogMixin
from .choices import Channel, OrganisationType, Period, Scope, Timing
from .items import (
    DisclosureItem,
    DisclosureItemAttachment,
    DisclosureItemMixin,
    DisclosureItemTag,
)
from .sections import InternalSection

__all__ = [
    "Catalog",
    "CatalogEntry",
    "CatalogMixin",
    "Channel",
    "DisclosureItem",
    "DisclosureItemAttachment",
    "DisclosureItemMixin",
    "DisclosureItemTag",
    "InternalSection",
    "OrganisationType",
    "Period",
    "Scope",
    "Timing",
]

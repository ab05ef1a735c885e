from .catalog import Catalog, CatalogEntry, CatalogMixin
from .choices import Channel, OrganisationType, Period, Scope, Timing
from .items import (
    DisclosureItem,
    DisclosureItemAttachment,
    DisclosureItemMixin,
    DisclosureItemTag,
)
from .sections import InternalSection
from .workflows import (
    ConfidentialityReviewTask,
    ReviewTaskState,
    SuperiorApprovalTask,
)

__all__ = [
    "Catalog",
    "CatalogEntry",
    "CatalogMixin",
    "Channel",
    "ConfidentialityReviewTask",
    "DisclosureItem",
    "DisclosureItemAttachment",
    "DisclosureItemMixin",
    "DisclosureItemTag",
    "InternalSection",
    "OrganisationType",
    "Period",
    "ReviewTaskState",
    "Scope",
    "SuperiorApprovalTask",
    "Timing",
]

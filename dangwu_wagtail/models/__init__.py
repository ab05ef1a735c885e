from .calendar import DayKind, Holiday
from .catalog import Catalog, CatalogMixin
from .choices import Channel, OrganisationType, Period, Scope, Timing, Validity
from .entries import CatalogEntry
from .items import (
    DisclosureItem,
    DisclosureItemAttachment,
    DisclosureItemMixin,
    DisclosureItemTag,
)
from .listing import ListingVersion
from .metadata import IndexSequence
from .outbox import EmailStatus, OutgoingEmail, ScheduledRun
from .records import Feedback, FeedbackCategory, ReceptionRecord
from .requests import (
    ANSWERS_WITH_ITEM,
    AnswerType,
    DisclosureRequest,
    RequestError,
    RequestSequence,
    RequestStatus,
)
from .sections import InternalSection
from .workflows import (
    ConfidentialityReviewTask,
    ReviewTaskState,
    SuperiorApprovalTask,
)

__all__ = [
    "ANSWERS_WITH_ITEM",
    "AnswerType",
    "DayKind",
    "DisclosureRequest",
    "EmailStatus",
    "Feedback",
    "FeedbackCategory",
    "Holiday",
    "IndexSequence",
    "ReceptionRecord",
    "RequestError",
    "RequestSequence",
    "RequestStatus",
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
    "ListingVersion",
    "OrganisationType",
    "OutgoingEmail",
    "Period",
    "ReviewTaskState",
    "ScheduledRun",
    "Scope",
    "SuperiorApprovalTask",
    "Timing",
    "Validity",
]

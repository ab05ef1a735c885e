from .attachments import DisclosureItemAttachment
from .calendar import DayKind, Holiday
from .catalog import Catalog, CatalogMixin
from .choices import Channel, OrganisationType, Period, Scope, Timing, Validity
from .entries import CatalogEntry
from .follows import Follow
from .items import (
    DisclosureItem,
    DisclosureItemMixin,
    DisclosureItemTag,
)
from .listing import ListingVersion, SitemapVersion
from .metadata import IndexSequence
from .outbox import EmailStatus, OutgoingEmail, ScheduledRun
from .records import Feedback, FeedbackCategory, ReceptionRecord
from .requests import (
    ANSWERS_WITH_ITEM,
    CANNOT_PROVIDE_ANSWERS,
    CANNOT_PROVIDE_REASONS,
    REASONS_BY_ANSWER,
    REFUSAL_REASONS,
    AnswerType,
    DisclosureRequest,
    RefusalReason,
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
    "CANNOT_PROVIDE_ANSWERS",
    "CANNOT_PROVIDE_REASONS",
    "REASONS_BY_ANSWER",
    "REFUSAL_REASONS",
    "AnswerType",
    "DayKind",
    "DisclosureRequest",
    "EmailStatus",
    "Feedback",
    "Follow",
    "FeedbackCategory",
    "Holiday",
    "IndexSequence",
    "ReceptionRecord",
    "RefusalReason",
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
    "SitemapVersion",
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

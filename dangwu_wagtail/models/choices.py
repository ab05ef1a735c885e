from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Scope(models.TextChoices):
    """公开范围: who may read a disclosure item."""

    INTERNAL = "internal", pgettext_lazy("disclosure scope", "Party members only")
    PUBLIC = "public", pgettext_lazy("disclosure scope", "Public")


class Timing(models.TextChoices):
    """公开时限: when an entry must be disclosed."""

    IMMEDIATE = "immediate", pgettext_lazy("disclosure timing", "Immediate")
    PERIODIC = "periodic", pgettext_lazy("disclosure timing", "Periodic")


class Period(models.TextChoices):
    """How often a periodic entry is disclosed."""

    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    SEMESTER = "semester", _("Each semester")
    SCHOOL_YEAR = "school_year", _("Each school year")
    YEAR = "year", _("Yearly")


class Channel(models.TextChoices):
    """公开形式: where a disclosure is made. Not called "form": Django has forms."""

    MEETING = "meeting", pgettext_lazy("disclosure channel", "Meeting")
    DOCUMENT = "document", pgettext_lazy("disclosure channel", "Document")
    RESTRICTED_PLATFORM = "restricted_platform", _("Restricted platform")
    NOTICE_BOARD = "notice_board", _("Notice board")
    MEDIA = "media", pgettext_lazy("disclosure channel", "Media")
    WEBSITE = "website", _("Website column")
    OFFICE_SYSTEM = "office_system", _("Electronic office system")


class OrganisationType(models.TextChoices):
    """党委 / 党总支 / 党支部; picks the reference catalog."""

    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General Party branch")
    BRANCH = "branch", _("Party branch")

    @property
    def reference_template(self):
        """The reference catalog this type of organisation starts from."""
        return "committee" if self is OrganisationType.COMMITTEE else "branch"


class Validity(models.TextChoices):
    """有效性: whether what an item discloses (a rule, a decision) is still in force."""

    IN_FORCE = "in_force", pgettext_lazy("validity of a document", "In force")
    REPEALED = "repealed", pgettext_lazy("validity of a document", "Repealed")

"""``Holiday``: the public holidays and make-up working days (调休) that deadlines count with."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday (no work)")
    WORKDAY = "workday", _("make-up working day (调休上班)")


class Holiday(models.Model):
    """One day that is not what its weekday says: a weekday off, or a weekend day worked."""

    date = models.DateField(verbose_name=_("date"), unique=True)
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=10,
        choices=DayKind.choices,
        default=DayKind.HOLIDAY,
        help_text=_(
            "A holiday is not a working day even on a weekday; a make-up working day is one "
            "even on a weekend."
        ),
    )
    name = models.CharField(
        verbose_name=pgettext_lazy("holiday", "name"),
        max_length=50,
        blank=True,
        help_text=_("E.g. “国庆节”."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")

    def __str__(self):
        return f"{self.date.isoformat()} {self.name or self.get_kind_display()}"

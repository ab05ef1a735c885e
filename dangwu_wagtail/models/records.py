"""``ReceptionRecord`` (接待记录) and ``Feedback`` (意见和建议)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .catalog import Catalog


class ReceptionRecord(models.Model):
    """Someone came to ask in person: who, when, where, what, who received them, the outcome."""

    catalog = models.ForeignKey(
        Catalog, verbose_name=_("column"), on_delete=models.PROTECT, related_name="receptions"
    )
    visitor_name = models.CharField(verbose_name=_("visitor"), max_length=50)
    visitor_contact = models.CharField(
        verbose_name=_("visitor's contact"), max_length=100, blank=True
    )
    visited_at = models.DateTimeField(verbose_name=_("when"), default=timezone.now)
    place = models.CharField(verbose_name=_("where"), max_length=100)
    question = models.TextField(verbose_name=_("what they asked"), max_length=5000)
    received_by = models.CharField(verbose_name=_("received by"), max_length=50)
    outcome = models.TextField(verbose_name=_("outcome"), max_length=5000, blank=True)
    disclosure_request = models.ForeignKey(
        "dangwu_wagtail.DisclosureRequest",
        verbose_name=_("disclosure request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="receptions",
        help_text=_("The request the visit led to, if one followed."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-visited_at", "-pk"]
        verbose_name = _("reception record")
        verbose_name_plural = _("reception records")

    def __str__(self):
        return f"{timezone.localtime(self.visited_at):%Y-%m-%d %H:%M} {self.visitor_name}"


class FeedbackCategory(models.TextChoices):
    OPINION = "opinion", _("opinion (意见)")
    SUGGESTION = "suggestion", _("suggestion (建议)")
    QUESTION = "question", _("question (询问)")
    CRITICISM = "criticism", _("criticism (批评)")
    PRAISE = "praise", _("praise (表扬)")
    OTHER = "other", _("other")


class Feedback(models.Model):
    """A member's opinion or suggestion on an item or on the column."""

    catalog = models.ForeignKey(
        Catalog, verbose_name=_("column"), on_delete=models.PROTECT, related_name="feedback"
    )
    item = models.ForeignKey(
        "dangwu_wagtail.DisclosureItem",
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when it is about the column as a whole."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(verbose_name=_("author's name"), max_length=150)
    text = models.TextField(verbose_name=_("opinion or suggestion"), max_length=3000)
    created_at = models.DateTimeField(verbose_name=_("received at"), default=timezone.now)
    category = models.CharField(
        verbose_name=pgettext_lazy("opinion", "category"),
        max_length=12,
        choices=FeedbackCategory.choices,
        blank=True,
    )
    answer = models.TextField(
        verbose_name=_("answer"),
        max_length=5000,
        blank=True,
        help_text=_("The member reads it on their page."),
    )
    answered_at = models.DateTimeField(verbose_name=_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    in_report = models.BooleanField(
        verbose_name=_("in the report to the superior organisation"),
        default=False,
        help_text=_("Include it in the report exported for the superior Party organisation."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("opinion or suggestion")
        verbose_name_plural = _("opinions and suggestions")

    def __str__(self):
        return f"{timezone.localtime(self.created_at):%Y-%m-%d} {self.author_name}"

    @property
    def subject(self):
        """What it is about: the item's title, or the column."""
        return self.item.title if self.item_id else str(_("the column as a whole"))

"""``CatalogEntry``: one row of a column's catalog (公开目录), and what its entries decide for
the items filed under them."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from .choices import Channel, Period, Scope, Timing
from .fields import MultipleChoiceJSONField


def default_scope_for(entry):
    """An item takes its entry's scope; an entry that names none makes it internal."""
    return entry.scope or Scope.INTERNAL


class CatalogEntry(Orderable):
    """One row of a catalog: category, subcategory, number, title and how it is disclosed."""

    catalog = ParentalKey(
        "dangwu_wagtail.Catalog",
        verbose_name=_("catalog"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    category = models.CharField(
        verbose_name=_("category"), max_length=100, help_text=_("First level (一级目录).")
    )
    subcategory = models.CharField(
        verbose_name=_("subcategory"),
        max_length=100,
        blank=True,
        help_text=_("Second level (二级目录); a branch catalog leaves it empty."),
    )
    number = models.PositiveSmallIntegerField(
        verbose_name=_("number"), null=True, blank=True, help_text=_("序号 in the catalog.")
    )
    title = models.CharField(verbose_name=_("title"), max_length=200)
    channels = MultipleChoiceJSONField(
        verbose_name=_("channels"),
        choices_enum=Channel,
        help_text=_("Where it is disclosed (公开形式)."),
    )
    scope = models.CharField(
        verbose_name=_("scope"),
        max_length=10,
        choices=Scope.choices,
        blank=True,
        help_text=_("Who may read its items (公开范围). Items default to this scope."),
    )
    timing = models.CharField(
        verbose_name=_("timing"),
        max_length=10,
        choices=Timing.choices,
        blank=True,
        help_text=_("When it must be disclosed (公开时限)."),
    )
    period = models.CharField(
        verbose_name=_("period"),
        max_length=12,
        choices=Period.choices,
        blank=True,
        help_text=_("For periodic entries: how often."),
    )

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("subcategory")]),
        FieldRowPanel([FieldPanel("number"), FieldPanel("title")]),
        FieldPanel("channels", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("scope"), FieldPanel("timing"), FieldPanel("period")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("catalog entry")
        verbose_name_plural = _("catalog entries")

    def __str__(self):
        if self.number is not None:
            return f"{self.number}. {self.title}"
        return self.title

    def clean(self):
        super().clean()
        if self.timing == Timing.PERIODIC and not self.period:
            raise ValidationError({"period": _("A periodic entry needs a period.")})
        if self.timing != Timing.PERIODIC and self.period:
            raise ValidationError({"period": _("Only a periodic entry has a period.")})

    def get_channels_display(self):
        labels = dict(Channel.choices)
        return [labels.get(value, value) for value in self.channels]


def entries_in_use(entry_ids):
    """Messages for those of ``entry_ids`` that still have items filed under them: such an
    entry cannot be removed."""
    in_use = (
        CatalogEntry.objects.filter(pk__in=entry_ids)
        .annotate(item_count=Count("items"))
        .filter(item_count__gt=0)
    )
    return [
        ngettext(
            "The entry “%(entry)s” cannot be removed: %(count)d item is "
            "filed under it. Move or delete the item first.",
            "The entry “%(entry)s” cannot be removed: %(count)d items are "
            "filed under it. Move or delete them first.",
            entry.item_count,
        )
        % {"entry": entry, "count": entry.item_count}
        for entry in in_use
    ]


def entry_heading(form):
    """The heading of an entry's panel in the catalog editor, from its form: its number
    and title (“5. 创建学习型党组织”); ``None`` while it has no title yet."""
    title = " ".join(str(form["title"].value() or "").split())
    if not title:
        return None
    number = str(form["number"].value() or "").strip()
    if not number:
        return title
    return pgettext("catalog entry heading", "%(number)s. %(title)s") % {
        "number": number,
        "title": title,
    }

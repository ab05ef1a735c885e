"""A disclosure item's attachments: Wagtail documents, with their text read for search."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable


class DisclosureItemAttachment(Orderable):
    """A Wagtail document attached to a disclosure item."""

    item = ParentalKey(
        "dangwu_wagtail.DisclosureItem",
        verbose_name=_("disclosure item"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(
        verbose_name=_("title"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to use the document's own title."),
    )

    text = models.TextField(
        verbose_name=_("file text"),
        blank=True,
        editable=False,
        help_text=_("The text of the attached PDF, DOCX or XLSX file, for search."),
    )
    text_source = models.CharField(
        verbose_name=_("text read from file"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("The name of the file whose text is kept."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def save(self, *args, **kwargs):
        self.read_text()
        return super().save(*args, **kwargs)

    def read_text(self):
        """Read the document's text unless it is the file read last time."""
        from ..attachment_text import document_text

        if self.document_id is None:
            return
        name = self.document.file.name
        if name != self.text_source:
            self.text = document_text(self.document)
            self.text_source = name

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title

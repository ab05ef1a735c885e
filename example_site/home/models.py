from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class HomePage(Page):
    """The school site's home page; the disclosure columns live under it."""

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from dangwu_wagtail.privacy import exclude_private_pages


class HomePage(Page):
    """The school site's home page; the disclosure columns live under it."""

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Not .public(): with one view restriction per school it costs tens of milliseconds.
        context["child_pages"] = exclude_private_pages(self.get_children().live())
        return context

"""The register of holidays and working weekends, which the deadlines count by."""

from django.utils.translation import gettext_lazy as _

from ..models import (
    Holiday,
)
from .base import RegisterAdmin


class HolidayAdmin(RegisterAdmin):
    model = Holiday
    menu_label = _("Holidays")
    menu_icon = "date"
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]

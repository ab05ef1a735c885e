"""The admin registers, through wagtail-modeladmin: requests, receptions, opinions, holidays.

This module is the only one that knows about wagtail-modeladmin. Each register shows a school's
people their own school's rows only, and district supervisors every row; a school's people
change their own rows, supervisors none. Nothing accepted is deleted from a register.
"""

from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from .feedback import FeedbackAdmin
from .holidays import HolidayAdmin
from .receptions import ReceptionRecordAdmin
from .requests import DisclosureRequestAdmin


class RegistersGroup(ModelAdminGroup):
    menu_label = _("Disclosure registers")
    menu_icon = "folder-open-inverse"
    menu_order = 260
    items = [DisclosureRequestAdmin, ReceptionRecordAdmin, FeedbackAdmin, HolidayAdmin]


def register_registers():
    """Register the registers with Wagtail's admin (from ``wagtail_hooks``), through
    wagtail-modeladmin, which no module outside this package imports."""
    modeladmin_register(RegistersGroup)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DangwuWagtailAppConfig(AppConfig):
    name = "dangwu_wagtail"
    label = "dangwu_wagtail"
    verbose_name = _("Party-affairs disclosure")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .checks import register_checks
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        register_checks()

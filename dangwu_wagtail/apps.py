from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DangwuWagtailAppConfig(AppConfig):
    name = "dangwu_wagtail"
    label = "dangwu_wagtail"
    verbose_name = _("Party-affairs disclosure")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .accounts import limit_admin_password_resets
        from .admin_boundary import apply_admin_boundary
        from .checks import register_checks
        from .policies import register_permission_policies
        from .signal_handlers import register_signal_handlers
        from .wagtail_gaps import fill_wagtail_gaps

        register_permission_policies()
        apply_admin_boundary()
        limit_admin_password_resets()
        register_signal_handlers()
        register_checks()
        fill_wagtail_gaps()

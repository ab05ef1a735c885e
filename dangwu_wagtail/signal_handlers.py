from django.core.signals import setting_changed

from .conf import reload_settings


def register_signal_handlers():
    """Connect the add-on's receivers; called once from ``AppConfig.ready()``."""
    setting_changed.connect(reload_settings, dispatch_uid="dangwu_wagtail_reload_settings")

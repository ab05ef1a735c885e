"""System checks: settings of the host site that would let private content out."""

from django.conf import settings
from django.core.checks import Warning, register


def check_document_serving(app_configs, **kwargs):
    """Documents of internal items are protected only when Wagtail's serve view serves them.

    With ``WAGTAILDOCS_SERVE_METHOD = "direct"`` links point at the storage, and with
    ``"redirect"`` the view redirects to a storage URL that anyone who has it can fetch;
    left unset, Wagtail redirects for remote storages. Either way the file itself is public.
    """
    method = getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None)
    if method == "serve_view":
        return []
    if method is None:
        from wagtail.documents import get_document_model

        storage = get_document_model()._meta.get_field("file").storage
        try:
            storage.path("dangwu-check")
        except NotImplementedError:
            method = "redirect (the default for a storage without local paths)"
        else:
            return []
    return [
        Warning(
            f"WAGTAILDOCS_SERVE_METHOD is {method}: documents attached to internal (党内) "
            "items can be downloaded by anyone who has their storage URL.",
            hint='Set WAGTAILDOCS_SERVE_METHOD = "serve_view" so that every download goes '
            "through Wagtail's view, where dangwu_wagtail checks who may read it.",
            id="dangwu_wagtail.W001",
        )
    ]


def register_checks():
    """Register the add-on's system checks; called once from ``AppConfig.ready()``."""
    register(check_document_serving, "security")

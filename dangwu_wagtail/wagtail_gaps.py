"""Wagtail's own gaps on the screens a school's office uses, filled once at start-up.

Wagtail 8.0's page search (``wagtail.admin.views.pages.search.SearchView``) names no model,
so its results' heading reads "1-1 of 1 None" in every language; it is given the page
model's names, as Wagtail's other listings have. A gap is filled only while Wagtail leaves
it open. So are strings of Wagtail's admin scripts that its zh_Hans catalog leaves in
English (``script_translations``).
"""

import json

from django.utils.translation import gettext


def fill_wagtail_gaps():
    """Called from ``AppConfig.ready()``."""
    from wagtail.admin.views.pages.search import SearchView

    if SearchView.verbose_name is None and SearchView.verbose_name_plural is None:
        # The page model's own names, which Wagtail's catalogs translate.
        SearchView.verbose_name = SearchView.model._meta.verbose_name
        SearchView.verbose_name_plural = SearchView.model._meta.verbose_name_plural


def script_translations():
    """A script giving Wagtail's admin scripts the add-on's translations of their strings
    that Wagtail's own script catalog (``/admin/jsi18n/``) leaves untranslated
    (``wagtail_js_translations``); ``""`` when there are none in the active language.

    Wagtail's catalog is loaded before and its scripts look the strings up when they draw
    (the sidebar once the page is loaded): a string that catalog has is left as it is."""
    from .wagtail_js_translations import MESSAGES

    catalog = {message: gettext(message) for message in MESSAGES}
    catalog = {message: text for message, text in catalog.items() if text != message}
    if not catalog:
        return ""
    data = json.dumps(catalog, ensure_ascii=False).replace("<", "\\u003c")
    return (
        "<script>(function () {"
        "var django = window.django = window.django || {};"
        "var catalog = django.catalog = django.catalog || {};"
        f"var missing = {data};"
        "for (var key in missing) { if (!(key in catalog)) { catalog[key] = missing[key]; } }"
        "})();</script>"
    )

"""Wagtail's own gaps on the screens a school's office uses, filled once at start-up.

Wagtail 8.0's page search (``wagtail.admin.views.pages.search.SearchView``) names no model,
so its results' heading reads "1-1 of 1 None" in every language; it is given the page
model's names, as Wagtail's other listings have. A gap is filled only while Wagtail leaves
it open.
"""


def fill_wagtail_gaps():
    """Called from ``AppConfig.ready()``."""
    from wagtail.admin.views.pages.search import SearchView

    if SearchView.verbose_name is None and SearchView.verbose_name_plural is None:
        # The page model's own names, which Wagtail's catalogs translate.
        SearchView.verbose_name = SearchView.model._meta.verbose_name
        SearchView.verbose_name_plural = SearchView.model._meta.verbose_name_plural

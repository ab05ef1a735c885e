"""Test-only page types: a host site's own pages, under which a Catalog may live."""

from wagtail.models import Page


class HomePage(Page):
    """Stands in for a host site's home page."""

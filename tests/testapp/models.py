"""Test-only page types: a host site's own pages, under which a Catalog may live."""

import swapper

Page = swapper.load_model("wagtailcore", "Page", require_ready=False)


class HomePage(Page):
    """Stands in for a host site's home page."""

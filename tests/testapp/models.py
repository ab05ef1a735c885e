"""Test-only page types: a host site's own pages, under which a Catalog may live."""

import swapper
from django.db import models

from dangwu_wagtail.models import DisclosureItem

Page = swapper.load_model("wagtailcore", "Page", require_ready=False)


class HomePage(Page):
    """Stands in for a host site's home page."""


class HostDisclosureItem(DisclosureItem):
    """A host site's own kind of disclosure item, built on the add-on's: the add-on's receivers
    and privacy serve it as they serve ``DisclosureItem``."""

    source_note = models.CharField("source note", max_length=100, blank=True)

    parent_page_types = DisclosureItem.parent_page_types
    template = "dangwu_wagtail/disclosure_item.html"

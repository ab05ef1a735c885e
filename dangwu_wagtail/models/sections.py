"""``InternalSection``: the part of a column that holds its internal (党内) items.

Every ``Catalog`` has one, created with it. It carries one Wagtail ``PageViewRestriction`` for
the school's groups and the district supervisors, so Wagtail's own channels (``.public()``,
sitemaps, the API, the page router) keep internal items away from everyone else. One
restriction per school, not per item: the cost of those checks grows with the number of
schools, never with the number of internal items.
"""

import swapper
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .permission_testers import SectionPermissionTester

Page = swapper.load_model("wagtailcore", "Page", require_ready=False)


class InternalSection(Page):
    """Holds a column's internal items. Created by ``setup_school``, never by hand."""

    parent_page_types = ["dangwu_wagtail.Catalog"]
    subpage_types = ["dangwu_wagtail.DisclosureItem"]
    max_count_per_parent = 1
    #: The part of a column this page is (``access.catalog_page_models``).
    catalog_part = "section"
    is_creatable = False
    content_panels = Page.content_panels

    class Meta:
        verbose_name = _("internal disclosures")
        verbose_name_plural = _("internal disclosures")

    def serve(self, request, *args, **kwargs):
        # The column's own page lists the internal items a reader may see.
        return redirect(self.get_parent().get_url(request=request))

    def permissions_for_user(self, user):
        return SectionPermissionTester(user, self)

    def get_sitemap_urls(self, request=None):
        return []

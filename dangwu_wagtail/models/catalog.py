"""The ``Catalog`` page (党务公开专栏), a school's column; its entries are in ``entries``."""

import swapper
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string

from ..conf import dangwu_settings
from ..widgets import TitledInlinePanel
from .access import access_for
from .catalog_routes import CatalogRoutes
from .choices import OrganisationType, Scope
from .entries import entries_in_use, entry_heading
from .permission_testers import CatalogPermissionTester
from .reference_codes import REFERENCE_CODE_LENGTH, available_reference_code

Page = swapper.load_model("wagtailcore", "Page", require_ready=False)


class CatalogForm(WagtailAdminPageForm):
    """Refuses to drop an entry that still has disclosure items under it."""

    def clean(self):
        cleaned_data = super().clean()
        entries = self.formsets.get("entries")
        if entries is not None:
            removed = [form.instance.pk for form in entries.deleted_forms if form.instance.pk]
            for message in entries_in_use(removed):
                self.add_error(None, message)
        return cleaned_data


class CatalogMixin(CatalogRoutes, models.Model):
    """A school organisation's disclosure column: its catalog, contacts and groups.

    Page behaviour lives here so that a site with its own base page model can reuse it;
    ``Catalog`` below is the concrete page type.
    """

    #: The part of a column this page is (``access.catalog_page_models``).
    catalog_part = "catalog"

    intro = RichTextField(
        verbose_name=_("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("A few words shown above the catalog."),
    )
    organisation_name = models.CharField(
        verbose_name=_("organisation name"),
        max_length=100,
        help_text=_("The Party organisation that discloses, e.g. “XX中学党委”."),
    )
    organisation_type = models.CharField(
        verbose_name=_("organisation type"),
        max_length=20,
        choices=OrganisationType.choices,
        default=OrganisationType.BRANCH,
    )
    organisation_code = models.CharField(
        verbose_name=_("organisation code"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9A-Za-z]+$", _("Use letters A–Z and digits only, without spaces."))
        ],
        help_text=_(
            "The first part of each item's index number (索引号), e.g. the organisation's "
            "unified social credit code; the column's reference code when empty. Index "
            "numbers already given do not change."
        ),
    )
    contact_person = models.CharField(verbose_name=_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(verbose_name=_("contact phone"), max_length=50, blank=True)
    contact_email = models.EmailField(verbose_name=_("contact email"), blank=True)
    supervision_phone = models.CharField(
        verbose_name=_("supervision telephone"),
        max_length=50,
        blank=True,
        help_text=_("Printed on every notice (监督电话); the contact phone when empty."),
    )
    notice_period = models.PositiveSmallIntegerField(
        verbose_name=_("notice period (working days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("How long a printed notice stays on the notice board (公示期)."),
    )
    reception_place = models.CharField(
        verbose_name=_("reception place"),
        max_length=200,
        blank=True,
        help_text=_("Where members can come to consult the disclosures (接待场所)."),
    )
    reception_hours = models.CharField(
        verbose_name=_("reception hours"),
        max_length=200,
        blank=True,
        help_text=_("When the reception place is open, e.g. “每周三 14:00–16:00”."),
    )
    guide_intro = RichTextField(
        verbose_name=_("guide introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("The school's own words at the top of its disclosure guide (公开指南)."),
    )
    guide_closing = RichTextField(
        verbose_name=_("guide closing"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("The school's own words at the end of its disclosure guide."),
    )
    share_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("share image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown on the card of a link to the column or its public items shared in WeChat "
            "or elsewhere; the add-on's own image when empty. Use a public image."
        ),
    )
    members_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("members group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Party members of this organisation: they read its internal items."),
    )
    editors_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("editors group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewers_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("reviewers group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where this school's documents and images are kept."),
    )
    internal_collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("internal collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Where the documents of internal items are kept; only the school's groups and "
            "the district supervisors may download them."
        ),
    )
    adjustment_workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("catalog adjustment workflow"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Changes to this column's catalog and details go through this workflow, which "
            "ends with the superior Party organisation's approval (上级党组织审批). Its items "
            "go through the workflow assigned to the column in Wagtail's workflow settings."
        ),
    )
    public_requests = models.BooleanField(
        verbose_name=_("accept requests from the public"),
        default=False,
        help_text=_(
            "Let people who are not members ask for information (依申请公开), leaving their "
            "name and an email address or phone number. Off: only logged-in readers may ask."
        ),
    )
    reference_code = models.CharField(
        verbose_name=_("reference code"),
        max_length=REFERENCE_CODE_LENGTH,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9]{2,10}$",
                _("Use 2 to 10 capital letters and digits, e.g. “AZXDW”."),
            )
        ],
        help_text=_(
            "Begins the reference of each request to this column, as in “AZXDW-2026-0003”. "
            "Made from the initials of the organisation's name when left empty."
        ),
    )
    internal_section = models.ForeignKey(
        "dangwu_wagtail.InternalSection",
        verbose_name=_("internal section"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    #: Items shown under each entry on the column's page; the rest are on the entry's page.
    items_per_entry = 5
    #: Items per page on an entry's page and in search results.
    items_per_page = 20
    #: Items in the column page's list of the newest (最新公开).
    latest_count = 8

    def save(self, *args, **kwargs):
        if not self.reference_code:
            self.reference_code = available_reference_code(
                type(self).objects.all(), self.organisation_name, exclude_key=self.translation_key
            )
        return super().save(*args, **kwargs)

    def add_item(self, item):
        """File a new ``DisclosureItem`` under this column, where its scope puts it.

        Internal items go under the column's internal section, public ones under the column.
        Returns the saved item. Use this rather than ``add_child`` in code that creates items.
        """
        item.fill_default_scope()
        parent = self if item.scope == Scope.PUBLIC else self.internal_section
        return parent.add_child(instance=item)

    def adjustment_problems(self):
        """Why the latest revision of this column cannot be published now, if anything can
        stop it: entries it removes that have had items filed under them since."""
        proposed = {entry.pk for entry in self.get_latest_revision_as_object().entries.all()}
        live = set(type(self).objects.get(pk=self.pk).entries.values_list("pk", flat=True))
        return entries_in_use(live - proposed)

    def get_workflow(self):
        # The column's own page goes through the catalog adjustment workflow; the workflow
        # assigned to it in Wagtail's settings applies to its items.
        if self.adjustment_workflow_id and getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            if self.adjustment_workflow.active:
                return self.adjustment_workflow
        return super().get_workflow()

    def permissions_for_user(self, user):
        return CatalogPermissionTester(user, self)

    def clean(self):
        super().clean()
        duplicates = (
            type(self)
            .objects.filter(organisation_name=self.organisation_name)
            .exclude(pk=self.pk)
            .exclude(translation_key=self.translation_key)
        )
        if self.organisation_name and duplicates.exists():
            raise ValidationError(
                {
                    "organisation_name": _(
                        "Another disclosure column already belongs to this organisation."
                    )
                }
            )
        same_code = (
            type(self)
            .objects.filter(reference_code=self.reference_code)
            .exclude(pk=self.pk)
            .exclude(translation_key=self.translation_key)
        )
        if self.reference_code and same_code.exists():
            raise ValidationError(
                {"reference_code": _("Another disclosure column has this reference code.")}
            )

    def accepts_public_requests(self):
        """Whether people who are not logged in may ask this column for information: the
        column says so, or ``ANONYMOUS_REQUESTS`` does for every column."""
        return self.public_requests or dangwu_settings.ANONYMOUS_REQUESTS

    def may_comment(self, user):
        """Whether ``user`` may send this column an opinion: its own people do."""
        return access_for(user).is_of_catalog(self)

    def may_follow(self, user):
        """Whether ``user`` may follow this column or its entries: its own people do."""
        return access_for(user).is_of_catalog(self)

    def subpage_url(self, name, *args):
        """The address of one of the column's own pages (``entry``, ``search``, ``feed``)."""
        return (self.url or "") + self.reverse_subpage(name, args=args)


class Catalog(CatalogMixin, Page):
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldRowPanel([FieldPanel("organisation_type"), FieldPanel("organisation_code")]),
            ],
            heading=_("Organisation"),
        ),
        TitledInlinePanel(
            "entries",
            heading=_("Catalog entries"),
            label=_("Entry"),
            child_heading=entry_heading,
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("contact_person"), FieldPanel("contact_phone")]),
                FieldRowPanel([FieldPanel("supervision_phone"), FieldPanel("notice_period")]),
                FieldPanel("contact_email"),
                FieldPanel("reception_place"),
                FieldPanel("reception_hours"),
            ],
            heading=_("Contact information"),
        ),
        MultiFieldPanel(
            [FieldPanel("guide_intro"), FieldPanel("guide_closing")],
            heading=_("Disclosure guide"),
        ),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("share_image")]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [
                FieldPanel("members_group", permission="auth.change_group"),
                FieldPanel("editors_group", permission="auth.change_group"),
                FieldPanel("reviewers_group", permission="auth.change_group"),
                FieldPanel("collection", permission="auth.change_group"),
                FieldPanel("internal_collection", permission="auth.change_group"),
                FieldPanel("adjustment_workflow", permission="auth.change_group"),
            ],
            heading=_("School groups"),
        ),
        MultiFieldPanel(
            [FieldPanel("public_requests"), FieldPanel("reference_code")],
            heading=_("Disclosure on request"),
        ),
    ]

    base_form_class = CatalogForm
    subpage_types = ["dangwu_wagtail.DisclosureItem", "dangwu_wagtail.InternalSection"]
    template = "dangwu_wagtail/catalog.html"

    class Meta:
        verbose_name = _("disclosure column")
        verbose_name_plural = _("disclosure columns")

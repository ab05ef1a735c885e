"""Creating a school's disclosure column: ``setup_school()``, run by ``dangwu_setup_school``."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Collection

from .models import Catalog, CatalogEntry, InternalSection, OrganisationType
from .moderation import setup_workflows
from .permissions import grant_district_permissions, grant_school_permissions
from .privacy import supervisors_group_name, sync_view_restrictions
from .reference import TEMPLATES, reference_entries

ORGANISATION_NAME_MAX_LENGTH = Catalog._meta.get_field("organisation_name").max_length


class SchoolSetupError(ValueError):
    """The school could not be set up as asked; nothing was created."""


@dataclass
class SchoolSetup:
    """What ``setup_school`` did: the school's ``catalog`` and whether it was ``created``."""

    catalog: Catalog
    created: bool


def setup_school(parent, name, template, *, organisation_type=None, title=None):
    """Create a school's disclosure column under ``parent`` from a reference catalog.

    ``parent`` is any page of the host site that may hold a ``Catalog`` (not a Catalog or
    one of its items). ``name`` is the organisation's name (“XX中学党委”), ``template`` is
    ``"committee"`` (附件二) or ``"branch"`` (附件三). ``organisation_type`` defaults to the
    template's (a ``"general_branch"`` uses the branch template). ``title`` defaults to
    “<name>党务公开专栏”.

    Creates, in one transaction: the live ``Catalog`` page with the reference entries, a
    collection for the school's documents and images, the school's members, editors and
    reviewers groups with permissions on that page subtree and collection only, and the
    district supervisors' group if it does not exist yet.

    Creates too the school's workflows (see ``moderation``): its publishing workflow,
    whose confidentiality review (保密审查) belongs to its reviewers, and its catalog
    adjustment workflow, which ends with the superior organisation's approval.

    Running it again for an organisation that already has a column returns
    ``SchoolSetup(catalog, created=False)`` and changes nothing, except to add what an
    earlier version of the add-on did not create (the workflows, the district groups'
    permissions). Raises ``SchoolSetupError`` when the
    arguments are wrong; nothing is created then.
    """
    name = (name or "").strip()
    if not name:
        raise SchoolSetupError(_("The organisation name is empty."))
    if len(name) > ORGANISATION_NAME_MAX_LENGTH:
        raise SchoolSetupError(
            _("The organisation name is longer than %(max)d characters.")
            % {"max": ORGANISATION_NAME_MAX_LENGTH}
        )
    if template not in TEMPLATES:
        raise SchoolSetupError(
            _("Unknown template “%(template)s”; choose one of: %(choices)s.")
            % {"template": template, "choices": ", ".join(TEMPLATES)}
        )
    if organisation_type is None:
        organisation_type = (
            OrganisationType.COMMITTEE if template == "committee" else OrganisationType.BRANCH
        )
    try:
        organisation_type = OrganisationType(organisation_type)
    except ValueError:
        raise SchoolSetupError(
            _("Unknown organisation type “%(type)s”; choose one of: %(choices)s.")
            % {"type": organisation_type, "choices": ", ".join(OrganisationType.values)}
        ) from None
    if organisation_type.reference_template != template:
        raise SchoolSetupError(
            _("A %(type)s uses the “%(expected)s” template, not “%(template)s”.")
            % {
                "type": organisation_type.label,
                "expected": organisation_type.reference_template,
                "template": template,
            }
        )

    existing = Catalog.objects.filter(organisation_name=name).first()
    if existing is not None:
        if existing.organisation_type != organisation_type:
            raise SchoolSetupError(
                _(
                    "“%(name)s” already has a disclosure column (id %(id)d) for a %(type)s; "
                    "nothing changed."
                )
                % {
                    "name": name,
                    "id": existing.pk,
                    "type": existing.get_organisation_type_display(),
                }
            )
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            _complete(existing)
        return SchoolSetup(existing, created=False)

    parent = parent.specific
    if not Catalog.can_create_at(parent):
        raise SchoolSetupError(
            _("A disclosure column cannot be placed under “%(page)s” (a %(type)s).")
            % {"page": parent.title, "type": parent.specific_class._meta.verbose_name}
        )

    # Group and page titles are data: write them in the site's language, not the shell's.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        collection = _child_collection(Collection.get_first_root_node(), name)
        internal_collection = _child_collection(collection, _("Internal"))
        catalog = Catalog(
            title=title or _("%(name)s Party affairs disclosure") % {"name": name},
            slug=find_available_slug(parent, slugify(name, allow_unicode=True) or "dangwu"),
            organisation_name=name,
            organisation_type=organisation_type,
            members_group=Group.objects.get_or_create(name=_("%(name)s members") % {"name": name})[
                0
            ],
            editors_group=Group.objects.get_or_create(name=_("%(name)s editors") % {"name": name})[
                0
            ],
            reviewers_group=Group.objects.get_or_create(
                name=_("%(name)s reviewers") % {"name": name}
            )[0],
            collection=collection,
            internal_collection=internal_collection,
        )
        catalog.entries = [
            CatalogEntry(sort_order=position, **row)
            for position, row in enumerate(reference_entries(template))
        ]
        parent.add_child(instance=catalog)
        section = catalog.add_child(
            instance=InternalSection(title=_("Internal disclosures"), slug="internal")
        )
        catalog.internal_section = section
        catalog.save_revision(log_action=True).publish()
        grant_school_permissions(catalog)
        sync_view_restrictions(catalog)
        grant_district_permissions(Group.objects.get(name=supervisors_group_name()), registers=True)
        setup_workflows(catalog, name)
    return SchoolSetup(catalog, created=True)


def _complete(catalog):
    """Give a column set up by an earlier version what this version's setup creates."""
    if catalog.adjustment_workflow_id is None:
        setup_workflows(catalog, catalog.organisation_name)
    grant_school_permissions(catalog)
    supervisors = Group.objects.get_or_create(name=supervisors_group_name())[0]
    grant_district_permissions(supervisors, registers=True)


def _child_collection(parent, name):
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(name=name)

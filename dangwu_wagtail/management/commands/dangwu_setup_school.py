import swapper
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangwu_wagtail.models import OrganisationType
from dangwu_wagtail.reference import TEMPLATES
from dangwu_wagtail.schools import SchoolSetupError, setup_school


class Command(BaseCommand):
    help = _(
        "Create a school's disclosure column (党务公开专栏) from a reference catalog, with its "
        "members, editors and reviewers groups. Prints the new column's page id."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--parent",
            required=True,
            type=int,
            help=_("Id of the page the column goes under, e.g. the school's home page."),
        )
        parser.add_argument(
            "--name",
            required=True,
            help=_("The Party organisation's name, e.g. “XX中学党委”."),
        )
        parser.add_argument(
            "--template",
            required=True,
            choices=TEMPLATES,
            help=_(
                "Reference catalog: committee (附件二) or branch (附件三, also for general "
                "branches)."
            ),
        )
        parser.add_argument(
            "--organisation-type",
            choices=OrganisationType.values,
            help=_("Defaults to the template's: committee or branch."),
        )
        parser.add_argument(
            "--title",
            help=_(
                "Page title; defaults to “<name> Party affairs disclosure” in the site's language."
            ),
        )

    def handle(self, *args, parent, name, template, organisation_type, title, **options):
        Page = swapper.load_model("wagtailcore", "Page")
        try:
            parent_page = Page.objects.get(pk=parent)
        except Page.DoesNotExist:
            raise CommandError(
                _("There is no page with id %(id)d. Nothing was created.") % {"id": parent}
            ) from None
        try:
            result = setup_school(
                parent_page,
                name,
                template,
                organisation_type=organisation_type,
                title=title,
            )
        except SchoolSetupError as error:
            raise CommandError(f"{error} " + _("Nothing was created.")) from None

        catalog = result.catalog
        if not result.created:
            self.stdout.write(
                _(
                    "“%(name)s” already has a disclosure column: “%(title)s” (id %(id)d) "
                    "at %(path)s. Nothing changed."
                )
                % {
                    "name": catalog.organisation_name,
                    "title": catalog.title,
                    "id": catalog.pk,
                    "path": catalog.url_path,
                }
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Created “%(title)s” (id %(id)d) under “%(parent)s” with %(count)d "
                        "catalog entries."
                    )
                    % {
                        "title": catalog.title,
                        "id": catalog.pk,
                        "parent": parent_page.title,
                        "count": catalog.entries.count(),
                    }
                )
            )
            for group in (catalog.members_group, catalog.editors_group, catalog.reviewers_group):
                self.stdout.write("  " + _("Group: %(name)s") % {"name": group.name})
        self.stdout.write(_("Catalog id: %(id)d") % {"id": catalog.pk})

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangwu_wagtail.members import MemberFileError, import_members, read_rows
from dangwu_wagtail.models import Catalog


class Command(BaseCommand):
    help = _(
        "Import a school's Party members from a CSV or XLSX file (name, username, email) into "
        "its members group. A rerun adds nobody twice; refused rows are listed with the reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("--catalog", required=True, type=int, help=_("The column's page id."))
        parser.add_argument("file", help=_("A .csv or .xlsx file."))

    def handle(self, *args, catalog, file, **options):
        column = Catalog.objects.filter(pk=catalog).first()
        if column is None:
            raise CommandError(_("There is no disclosure column with id %(id)d.") % {"id": catalog})
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(file)s.") % {"file": file})
        try:
            report = import_members(column, read_rows(path.read_bytes(), path.name))
        except MemberFileError as error:
            raise CommandError(f"{error} {_('Nobody was imported.')}") from None
        self.stdout.write(
            _(
                "%(school)s: %(created)d accounts created, %(added)d added to the members "
                "group, %(unchanged)d already members, %(refused)d rows refused."
            )
            % {
                "school": column.organisation_name,
                "created": len(report.created),
                "added": len(report.added),
                "unchanged": len(report.unchanged),
                "refused": len(report.refused),
            }
        )
        for line, username, reason in report.refused:
            self.stdout.write(
                _("Line %(line)d (%(username)s): %(reason)s")
                % {"line": line, "username": username or "—", "reason": reason}
            )
        if report.created:
            self.stdout.write(
                _("New members choose their password with “Forgotten your password?”.")
            )

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dangwu_wagtail.compliance import ComplianceClock, State
from dangwu_wagtail.models import Catalog, DisclosureRequest, RequestStatus
from dangwu_wagtail.notifications import group_emails, notify
from dangwu_wagtail.privacy import supervisors_group_name


class Command(BaseCommand):
    help = _(
        "Email each school's reviewers its overdue catalog entries and disclosure requests, "
        "and the district supervisors the list of every school's, through the task framework. "
        "The task worker runs it on Monday mornings; without the worker, run it weekly from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help=_("Compute the lists as on this day (YYYY-MM-DD) instead of today."),
        )

    def handle(self, *args, date=None, **options):
        day = None
        if date:
            day = parse_date(date) if len(date) == 10 else None
            if day is None:
                raise CommandError(_("“%(date)s” is not a date (YYYY-MM-DD).") % {"date": date})
        clock = ComplianceClock(day)
        catalogs = list(
            Catalog.objects.select_related("reviewers_group").order_by("organisation_name")
        )
        open_requests = {}
        for disclosure_request in DisclosureRequest.objects.exclude(
            status__in=[RequestStatus.ANSWERED, RequestStatus.CLARIFICATION]
        ):
            due = disclosure_request.due_date
            if due is not None and clock.day > due:
                open_requests.setdefault(disclosure_request.catalog_id, []).append(
                    disclosure_request
                )
        schools = []
        for compliance in clock.of_catalogs(catalogs):
            entries = [state for state in compliance.entries if state.state == State.OVERDUE]
            requests = open_requests.get(compliance.catalog.pk, [])
            if not entries and not requests:
                continue
            schools.append(
                {"catalog": compliance.catalog, "entries": entries, "requests": requests}
            )
            reviewer_groups = [compliance.catalog.reviewers_group_id]
            reviewers = group_emails([g for g in reviewer_groups if g])
            notify("overdue_school", {"school": schools[-1], "day": clock.day}, reviewers)
            self.stdout.write(
                _(
                    "%(school)s: %(entries)d entries and %(requests)d requests overdue, "
                    "%(count)d reviewers told."
                )
                % {
                    "school": compliance.catalog.organisation_name,
                    "entries": len(entries),
                    "requests": len(requests),
                    "count": len(reviewers),
                }
            )
        if schools:
            supervisors = group_emails(Group.objects.filter(name=supervisors_group_name()))
            notify("overdue_district", {"schools": schools, "day": clock.day}, supervisors)
            self.stdout.write(
                _("District list: %(count)d schools, %(supervisors)d supervisors told.")
                % {"count": len(schools), "supervisors": len(supervisors)}
            )
        else:
            self.stdout.write(_("Nothing is overdue; no email sent."))

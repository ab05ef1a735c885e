import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from dangwu_wagtail.generator import bulk_add_items, make_schools, plan_items


class Command(BaseCommand):
    help = _(
        "Generate a district for trying the add-on at scale: N schools with their columns and "
        "M years of live items, half public and half internal (default: 200 schools, 100,000 "
        "items over 10 years). Meant for PostgreSQL and a database of its own."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--parent", required=True, type=int, help=_("Id of the page the columns go under.")
        )
        parser.add_argument("--schools", type=int, default=200, help=_("Schools (200)."))
        parser.add_argument("--items", type=int, default=100_000, help=_("Items in all (100,000)."))
        parser.add_argument("--years", type=int, default=10, help=_("Years of items (10)."))

    def handle(self, *args, parent, schools, items, years, **options):
        if schools < 1 or items < 0 or years < 1:
            raise CommandError(_("--schools and --years must be positive, --items not negative."))
        if connection.vendor not in ("postgresql", "sqlite"):
            raise CommandError(_("This command loads items in bulk on PostgreSQL or SQLite only."))
        page = Page.objects.filter(pk=parent).first()
        if page is None:
            raise CommandError(_("There is no page with id %(id)d.") % {"id": parent})
        if connection.vendor != "postgresql":
            self.stderr.write(_("Warning: a district this size is meant for PostgreSQL."))
        started = time.monotonic()
        catalogs = make_schools(page, schools)
        self.stdout.write(
            _("%(count)d schools set up in %(seconds).0f s.")
            % {"count": len(catalogs), "seconds": time.monotonic() - started}
        )
        started = time.monotonic()
        public_per_school = items // 2 // schools
        internal_total = items - public_per_school * schools
        span = years * 365
        first_day = timezone.localdate() - datetime.timedelta(days=span)
        planned = plan_items(catalogs, public_per_school, internal_total, first_day, span)
        with transaction.atomic():
            bulk_add_items(planned)
        self.stdout.write(
            _("%(count)d items loaded in %(seconds).0f s. Run update_index to search them.")
            % {"count": len(planned), "seconds": time.monotonic() - started}
        )

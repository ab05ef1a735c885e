from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from wagtail.models import Site

from dangwu_wagtail.schools import SchoolSetupError

from ...demo import load_demo


class Command(BaseCommand):
    # Not gettext_lazy: argparse needs a real string for the description, and a command module
    # is only imported once Django is set up, so the translation is ready.
    help = _(
        "Load the demo content: the home page, two schools' disclosure columns with items of "
        "both scopes, and demo users. Safe to run again: nothing is added twice, and the demo "
        "users get new passwords, which are printed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            help=_(
                "Where the site is served, for the printed links and the default site's "
                "host name and port (the sitemap's and the pages' canonical addresses); "
                "defaults to WAGTAILADMIN_BASE_URL (http://127.0.0.1:8000 in this demo)."
            ),
        )

    def handle(self, *args, base_url, **options):
        base_url = (base_url or getattr(settings, "WAGTAILADMIN_BASE_URL", "")).rstrip("/")
        address = urlsplit(base_url)
        if base_url and (address.scheme not in ("http", "https") or not address.hostname):
            raise CommandError(_("--base-url must be an http or https address: %s") % base_url)
        try:
            result = load_demo(stdout=self.stdout)
        except SchoolSetupError as error:
            raise CommandError(f"{error} " + _("The demo content was not loaded.")) from None
        if base_url:
            self.serve_default_site_at(address)

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Disclosure columns")))
        for row in result["catalogs"]:
            catalog = row["catalog"]
            self.stdout.write(f"  {catalog.title}")
            self.stdout.write(f"    {base_url}{catalog.get_url()}")

        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(_("Demo accounts (new passwords on every run)"))
        )
        width = max(len(user["username"]) for user in result["users"])
        for user in result["users"]:
            self.stdout.write(
                "  "
                + _("%(username)s  password: %(password)s  %(role)s")
                % {
                    "username": user["username"].ljust(width),
                    "password": user["password"],
                    "role": user["role"],
                }
            )

        self.stdout.write("")
        self.stdout.write(
            _("Log in to the admin at %(admin)s, or as a member at %(login)s.")
            % {
                "admin": f"{base_url}/admin/",
                "login": f"{base_url}{resolve_url(settings.LOGIN_URL)}",
            }
        )
        self.stdout.write(self.style.SUCCESS(_("The demo content is loaded.")))

    def serve_default_site_at(self, address):
        """Give the default site the host name and port of ``address`` (a split URL)."""
        site = Site.objects.get(is_default_site=True)
        site.hostname = address.hostname
        site.port = address.port or (443 if address.scheme == "https" else 80)
        site.save()

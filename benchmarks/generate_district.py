"""Generate a district for trying the add-on at scale: N schools with their columns and M years
of live items, half public and half internal (default: 200 schools, 100,000 items over 10
years). Meant for PostgreSQL and a database of its own.

Run it from a checkout, with the site's settings and the repository on the path:

    PYTHONPATH=/path/to/checkout:. DJANGO_SETTINGS_MODULE=mysite.settings \\
        python /path/to/checkout/benchmarks/generate_district.py --parent 3

It loads items in bulk through treebeard's and Django's private APIs (``benchmarks.generator``),
which is why it lives with the benchmarks and not in the add-on.
"""

import argparse
import datetime
import sys
import time
from pathlib import Path


class GenerationError(Exception):
    """Input the generator cannot use; the message says why."""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--parent", required=True, type=int, help="Id of the page the columns go under."
    )
    parser.add_argument("--schools", type=int, default=200, help="Schools (200).")
    parser.add_argument("--items", type=int, default=100_000, help="Items in all (100,000).")
    parser.add_argument("--years", type=int, default=10, help="Years of items (10).")
    return parser.parse_args(argv)


def generate_district(parent, schools=200, items=100_000, years=10, out=sys.stdout):
    """Set up ``schools`` columns under the page ``parent`` and load ``items`` items."""
    import swapper
    from django.db import connection, transaction
    from django.utils import timezone

    from benchmarks.generator import bulk_add_items, make_schools, plan_items

    if schools < 1 or items < 0 or years < 1:
        raise GenerationError("--schools and --years must be positive, --items not negative.")
    if connection.vendor not in ("postgresql", "sqlite"):
        raise GenerationError("Items are loaded in bulk on PostgreSQL or SQLite only.")
    page = swapper.load_model("wagtailcore", "Page").objects.filter(pk=parent).first()
    if page is None:
        raise GenerationError(f"There is no page with id {parent}.")
    if connection.vendor != "postgresql":
        print("Warning: a district this size is meant for PostgreSQL.", file=sys.stderr)
    started = time.monotonic()
    catalogs = make_schools(page, schools)
    print(f"{len(catalogs)} schools set up in {time.monotonic() - started:.0f} s.", file=out)
    started = time.monotonic()
    public_per_school = items // 2 // schools
    internal_total = items - public_per_school * schools
    span = years * 365
    first_day = timezone.localdate() - datetime.timedelta(days=span)
    planned = plan_items(catalogs, public_per_school, internal_total, first_day, span)
    with transaction.atomic():
        bulk_add_items(planned)
    print(
        f"{len(planned)} items loaded in {time.monotonic() - started:.0f} s. "
        "Run update_index to search them.",
        file=out,
    )


def main(argv=None):
    args = parse_args(argv)
    # The repository, for ``benchmarks.generator``.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    try:
        generate_district(args.parent, args.schools, args.items, args.years)
    except GenerationError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

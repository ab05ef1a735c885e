r"""The sitemap and ``.public()`` at district scale, timed with Django's test ``Client``.

Run it from ``example_site/`` against an already loaded database (for example the one
``benchmarks/http_load.py --keep`` leaves behind); it only reads, and the ``options`` part of
the address makes PostgreSQL refuse any write::

    cd example_site
    READ_ONLY='options=-c%20default_transaction_read_only%3Don'
    DATABASE_URL="postgres://postgres@127.0.0.1:5432/dangwu_http_load?$READ_ONLY" \
        DJANGO_DEBUG=0 ../.venv/bin/python ../benchmarks/sitemap_timing.py

It loads the example site's settings (``ALLOWED_HOSTS`` opened to the test client's host) and
times, each ``--runs`` times after one untimed run, giving the median and the spread in ms:

* ``/sitemap.xml`` (the example site's sitemap index), its first file, a file from the middle
  of the index and its last file (1,000 pages each);
* the home page (``/``), whose template lists its children;
* building and compiling (``str(queryset.query)``) ``Page.objects.live().public()`` and
  ``privacy.exclude_private_pages(Page.objects.live())``, then counting each (the same query
  plus the database's work).

``--save DIR`` writes every sitemap file to ``DIR``; ``--compare DIR`` checks that every file
served now is byte for byte the one saved there, so that a change can be shown to leave the
sitemap as it was.

Not collected by pytest: it lives outside ``tests/`` and its name does not match
``test_*.py``.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

import swapper

SITE_DIR = Path(__file__).resolve().parent.parent / "example_site"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--save", type=Path, metavar="DIR", help="write every sitemap file here")
    parser.add_argument(
        "--compare", type=Path, metavar="DIR", help="check every sitemap file against DIR"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be positive")
    return args


def setup_django():
    sys.path.insert(0, str(SITE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["*"]


def timed(function, runs):
    """Median and range of ``runs`` calls of ``function``, in ms, after one untimed call."""
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def report(label, figures, extra=""):
    median, low, high = figures
    print(f"{label:<62} {median:9.1f} {low:9.1f} {high:9.1f}  {extra}")


def main(argv=None):
    args = parse_args(argv)
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import PageViewRestriction

    Page = swapper.load_model("wagtailcore", "Page")

    from dangwu_wagtail.privacy import exclude_private_pages

    client = Client()

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return response

    index = get("/sitemap.xml").content.decode()
    files = re.findall(r"<loc>https?://[^/<]+(/[^<]*)</loc>", index)
    if not files:
        raise SystemExit("the sitemap index lists no file")
    print(
        f"{Page.objects.count()} pages, {PageViewRestriction.objects.count()} view "
        f"restrictions, {len(files)} sitemap files; median, min and max of {args.runs} runs (ms)"
    )
    print(f"{'':<62} {'median':>9} {'min':>9} {'max':>9}")

    urls = {
        "GET /sitemap.xml (index)": "/sitemap.xml",
        "GET first sitemap file": files[0],
        "GET middle sitemap file": files[len(files) // 2],
        "GET last sitemap file": files[-1],
        "GET / (home page)": "/",
    }
    for label, url in urls.items():
        figures = timed(lambda url=url: get(url), args.runs)
        # Counted after the timed runs, with the caches as warm as theirs.
        with CaptureQueriesContext(connection) as queries:
            response = get(url)
        urls_listed = response.content.count(b"<url>")
        extra = f"{len(queries)} queries" + (f", {urls_listed} URLs" if urls_listed else "")
        report(label, figures, f"{url}: {extra}")

    filters = {
        ".public()": lambda queryset: queryset.public(),
        "exclude_private_pages()": exclude_private_pages,
    }
    counts = {}
    for name, apply in filters.items():
        report(
            f"{name} on Page.objects.live(): build and compile",
            timed(lambda apply=apply: str(apply(Page.objects.live()).query), args.runs),
        )
        counts[name] = apply(Page.objects.live()).count()
        report(
            f"{name} on Page.objects.live(): .count()",
            timed(lambda apply=apply: apply(Page.objects.live()).count(), args.runs),
            f"{counts[name]} pages",
        )
    if len(set(counts.values())) > 1:
        raise SystemExit(f"the filters disagree: {counts}")

    if args.save or args.compare:
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
        differ = []
        for number, url in enumerate(files, start=1):
            body = get(url).content
            name = f"sitemap-{number:03}.xml"
            if args.save:
                (args.save / name).write_bytes(body)
            if args.compare and (args.compare / name).read_bytes() != body:
                differ.append(url)
        if args.save:
            print(f"{len(files)} sitemap files written to {args.save}")
        if args.compare:
            saved = len(list(args.compare.glob("sitemap-*.xml")))
            if differ or saved != len(files):
                raise SystemExit(
                    f"{len(differ)} of {len(files)} files differ from {args.compare} "
                    f"({saved} saved there): {differ[:5]}"
                )
            print(f"all {len(files)} sitemap files are identical to those in {args.compare}")


if __name__ == "__main__":
    main()

"""A school's annual summary (年度总结) as a file: the lines of the summary, in XLSX and in a
CSV that Excel on Chinese Windows opens as it is (UTF-8 with a BOM)."""

import csv
import io

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, pgettext

from .exports import BOM, spreadsheet_safe


def summary_lines(summary):
    """The summary as (section, label, value) lines, for the spreadsheet."""
    items = gettext("Items published")
    requests = gettext("Disclosure requests")
    lines = [
        (items, category, f"{public} / {internal}") for category, public, internal in summary.items
    ]
    lines.append((items, gettext("Total"), summary.items_total))
    lines += [
        (requests, pgettext("number of requests", "Received"), summary.requests_received),
        *((requests, str(label), count) for label, count in summary.requests_by_answer),
        (requests, gettext("Answered on time"), summary.requests_on_time),
        (requests, gettext("Answered late"), summary.requests_late),
        (requests, gettext("Not answered yet"), summary.requests_open),
        *request_statistics_lines(summary.request_statistics),
        (gettext("Reception records"), gettext("Visits"), summary.receptions),
        (
            gettext("Opinions and suggestions"),
            pgettext("number of opinions", "Received"),
            summary.feedback_received,
        ),
        (
            gettext("Opinions and suggestions"),
            pgettext("number of opinions", "Answered"),
            summary.feedback_answered,
        ),
        (
            gettext("Opinions and suggestions"),
            gettext("In the report to the superior organisation"),
            summary.feedback_reported,
        ),
        (gettext("Catalog"), gettext("Adjustments approved"), summary.adjustments),
    ]
    return lines


def request_statistics_lines(statistics):
    """The year's requests as the annual report counts them, as (section, label, value)."""
    section = gettext("Requests as the annual report counts them")
    refused = pgettext("statistics", "Refused: %(reason)s")
    cannot = pgettext("statistics", "Cannot be provided: %(reason)s")
    return [
        (section, gettext("Received this year"), statistics.received),
        (section, gettext("Carried over from last year"), statistics.carried_over),
        (section, pgettext("number of requests", "Answered"), statistics.answered),
        *((section, str(label), count) for label, count in statistics.answers),
        *((section, refused % {"reason": label}, count) for label, count in statistics.refusals),
        *(
            (section, cannot % {"reason": label}, count)
            for label, count in statistics.cannot_provide_reasons
        ),
        (section, gettext("Answered on time"), statistics.on_time),
        (section, gettext("Answered late"), statistics.late),
        (section, gettext("Answered after an extension"), statistics.extended),
        (section, gettext("Carried into next year"), statistics.carried_forward),
        (
            section,
            gettext("Received + carried over = answered + carried into next year"),
            pgettext("statistics check", "yes")
            if statistics.balances
            else pgettext("statistics check", "no"),
        ),
    ]


def summary_filename(summary):
    """“A中学党委2026年党务公开总结”: the file name of a summary."""
    return gettext("%(organisation)s Party affairs disclosure summary %(year)s") % {
        "organisation": summary.catalog.organisation_name,
        "year": summary.year,
    }


def summary_workbook(summary):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(summary.year)
    sheet.append([spreadsheet_safe(summary.catalog.organisation_name), summary.year])
    sheet.append([pgettext("annual summary", "Section"), gettext("What"), gettext("Count")])
    for section, label, value in summary_lines(summary):
        sheet.append([spreadsheet_safe(section), spreadsheet_safe(label), value])
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=summary_filename(summary) + ".xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def summary_csv(summary):
    """The summary as a CSV file for Excel: UTF-8 with a byte order mark."""

    output = io.StringIO()
    output.write(BOM)
    writer = csv.writer(output)
    writer.writerow([spreadsheet_safe(summary.catalog.organisation_name), summary.year])
    writer.writerow([pgettext("annual summary", "Section"), gettext("What"), gettext("Count")])
    for section, label, value in summary_lines(summary):
        writer.writerow([spreadsheet_safe(section), spreadsheet_safe(label), value])
    response = HttpResponse(output.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, summary_filename(summary) + ".csv"
    )
    return response

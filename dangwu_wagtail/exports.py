"""Spreadsheet exports (CSV and XLSX) that a spreadsheet program cannot be tricked by.

Wagtail's ``SpreadsheetExportMixin`` writes XLSX cells as text; its CSV cells are written as
given, so a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
run as a formula when opened. ``SafeSpreadsheetExportMixin`` quotes them.
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

#: A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet shows as text: a leading formula character is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: spreadsheet_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

"""Reads the reference catalogs (附件二, 附件三) out of the district plan in ``tests/data``.

The plan was extracted from a table layout: every cell starts with a tab, a line without a
tab continues the cell above it, and a blank first- or second-level cell repeats the one
above. The test of the shipped reference catalogs compares them with what this reads.
"""

from pathlib import Path

SEED = Path(__file__).parent / "data" / "xujiaowei_2011_11.txt"

SECTIONS = {
    # appendix heading: (template, columns in the order the table gives them)
    "附件二：": (
        "committee",
        ("category", "subcategory", "number", "title", "channels", "scope", "timing"),
    ),
    "附件三：": ("branch", ("category", "number", "title", "channels", "scope", "timing")),
}


def _cells(lines):
    cells = []
    for line in lines:
        if line.startswith("\t"):
            cells.append(line[1:].strip())
        elif line.strip() and cells:
            cells[-1] += line.strip()
    return cells


def read_reference_rows():
    """Return ``{template: [row, ...]}`` with each row a dict of the table's raw cell texts."""
    text = SEED.read_text(encoding="utf-8")
    headings = [h for h in SECTIONS if h in text]
    result = {}
    for i, heading in enumerate(headings):
        start = text.index(heading)
        end = text.index(headings[i + 1]) if i + 1 < len(headings) else len(text)
        template, columns = SECTIONS[heading]
        cells = _cells(text[start:end].splitlines()[1:])
        width = len(columns)
        header, body = cells[:width], cells[width:]
        assert header[0] == "一级目录", header
        body += [""] * (-len(body) % width)
        rows, previous = [], {}
        for offset in range(0, len(body), width):
            row = dict(zip(columns, body[offset : offset + width], strict=True))
            for level in ("category", "subcategory"):
                if level in row and not row[level] and previous.get(level):
                    # A blank cell repeats the category (or, inside a numbered run, the
                    # subcategory) above it.
                    if level == "category" or row["number"]:
                        row[level] = previous[level]
            previous = row
            rows.append(row)
        result[template] = rows
    return result

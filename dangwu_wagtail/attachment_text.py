"""The text of attached files, for search: PDF (pypdf), DOCX (python-docx), XLSX (openpyxl).

Reading is bounded: a file larger than ``ATTACHMENT_TEXT_MAX_BYTES`` is not read, at most
``ATTACHMENT_TEXT_MAX_CHARS`` characters are kept, and reading stops between two pages,
paragraphs or rows once ``ATTACHMENT_TEXT_SECONDS`` have passed (what was read is kept). A
file that cannot be read (broken, encrypted, not what its name says) gives no text and a
warning in the ``dangwu_wagtail.search`` log; it never stops the item's save.
"""

import io
import logging
import time
from pathlib import PurePath

from .conf import dangwu_settings

logger = logging.getLogger("dangwu_wagtail.search")


class Budget:
    """Collects text until the characters or the seconds run out."""

    def __init__(self):
        self.parts = []
        self.length = 0
        self.max_chars = dangwu_settings.ATTACHMENT_TEXT_MAX_CHARS
        self.deadline = time.monotonic() + dangwu_settings.ATTACHMENT_TEXT_SECONDS
        self.stopped = None

    def add(self, text):
        """Keep ``text``; False once no more is wanted."""
        if text:
            text = text[: self.max_chars - self.length]
            self.parts.append(text)
            self.length += len(text)
        if self.length >= self.max_chars:
            self.stopped = "length"
        elif time.monotonic() > self.deadline:
            self.stopped = "time"
        return self.stopped is None

    @property
    def text(self):
        return "\n".join(self.parts)[: self.max_chars]


def pdf_text(data, budget):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ValueError("the PDF is encrypted")
    for page in reader.pages:
        if not budget.add(page.extract_text() or ""):
            return


def docx_text(data, budget):
    import docx

    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if not budget.add(paragraph.text):
            return
    for table in document.tables:
        for row in table.rows:
            if not budget.add(" ".join(cell.text for cell in row.cells)):
                return


def xlsx_text(data, budget):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            if not budget.add(sheet.title):
                return
            for row in sheet.iter_rows(values_only=True):
                cells = [str(value) for value in row if value is not None]
                if not budget.add(" ".join(cells)):
                    return
    finally:
        workbook.close()


READERS = {".pdf": pdf_text, ".docx": docx_text, ".xlsx": xlsx_text}


def can_read(name):
    """Whether the text of a file called ``name`` is read for search."""
    return PurePath(name or "").suffix.lower() in READERS


def document_text(document):
    """The text of a Wagtail document's file, as ``extract_text`` reads it."""
    name = document.file.name
    if not can_read(name):
        return ""
    try:
        size = document.file.size
        if size > dangwu_settings.ATTACHMENT_TEXT_MAX_BYTES:
            logger.warning(
                "Not reading the text of document %s (%s): %d bytes, more than %d.",
                document.pk,
                name,
                size,
                dangwu_settings.ATTACHMENT_TEXT_MAX_BYTES,
            )
            return ""
        with document.file.open("rb") as file:
            data = file.read()
    except OSError as error:
        logger.warning(
            "Cannot open document %s (%s) to read its text: %s", document.pk, name, error
        )
        return ""
    return extract_text(data, name, label=f"document {document.pk} ({name})")


def extract_text(data, name, label=None):
    """The text of the file ``name`` whose bytes are ``data``: "" when it cannot be read."""
    reader = READERS.get(PurePath(name or "").suffix.lower())
    if reader is None:
        return ""
    budget = Budget()
    try:
        reader(data, budget)
    except Exception as error:  # any failure of a third-party parser on a bad file
        logger.warning(
            "Cannot read the text of %s: %s: %s", label or name, type(error).__name__, error
        )
        return ""
    if budget.stopped:
        logger.info("Read part of the text of %s: stopped by %s.", label or name, budget.stopped)
    return budget.text

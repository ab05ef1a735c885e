"""What the add-on accepts from the address and the forms: ids, search words, single lines.

Python's ``str.isdigit()`` and ``int()`` take more than a database does: ``"²".isdigit()`` is
true and ``int("²")`` fails; ``int("٣")`` is 3; ``int("9" * 30)`` is a number no integer
column holds, which SQLite refuses with an ``OverflowError``. PostgreSQL refuses a NUL
character in any text it is given. Every id and word the add-on reads from a reader goes
through here first, so that such input gets a 404 or a form error, never a 500.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

#: The largest value of a 64-bit signed integer column (``BigAutoField``), the widest id.
MAX_ID = 2**63 - 1


def object_id(value):
    """``value`` (text from the address or a form) as a database id, or ``None`` when it is
    no id: only ASCII digits, no larger than ``MAX_ID``."""
    text = str(value) if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class IdConverter:
    """A path converter for ids: ASCII digits that fit an integer column (``<dangwu_id:pk>``).

    Django's ``int`` converter matches any run of digits, and a lookup of a page's id (a
    one-to-one key, which Django's overflow check does not cover) with a number no column
    holds fails on SQLite; this one does not match, and the address is a 404.
    """

    regex = "[0-9]+"

    def to_python(self, value):
        number = object_id(value)
        if number is None:
            raise ValueError(value)  # no match: Django answers 404
        return number

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "dangwu_id")


def is_control_character(character):
    """Whether ``character`` is a control character (``Cc``: NUL, CR, LF, tab, ESC…) or a line
    or paragraph separator, which a single line of text never holds."""
    return unicodedata.category(character) in ("Cc", "Zl", "Zp")


def search_words(text, length=100):
    """A search query as typed, without control characters, at most ``length`` characters."""
    return "".join(
        " " if is_control_character(character) else character for character in text or ""
    ).strip()[:length]


def one_line(text):
    """``text`` on one line: control characters and line breaks (CR, LF, NEL, U+2028) become
    spaces, runs of spaces one. For an email's subject and its one-line fields, so that what
    a reader typed never starts a line of its own."""
    text = "".join(" " if is_control_character(character) else character for character in text)
    return " ".join(text.split())


#: Chinese punctuation that ends a sentence or clause: no space follows it.
FULL_WIDTH_STOP = re.compile(r"(?<=[。！？；：，、）」』”])\s+")


def join_sentences(sentences):
    """``sentences`` on one line, a space between two of them but after a Chinese full stop
    (or other full-width punctuation), which carries its own space."""
    return FULL_WIDTH_STOP.sub("", " ".join(" ".join(str(s).split()) for s in sentences if s))


def indented(text, prefix="    "):
    """``text`` as a block whose every line starts with ``prefix``: free text in an email's
    body, where no line a reader wrote may look like one of the email's own fields."""
    return "\n".join(prefix + line for line in str(text).splitlines())


def validate_single_line(value):
    """Refuse a control character (a line break, a tab, NUL) in a one-line field."""
    if any(is_control_character(character) for character in value):
        raise ValidationError(
            _("Write this on one line, without line breaks or control characters."),
            code="control_character",
        )

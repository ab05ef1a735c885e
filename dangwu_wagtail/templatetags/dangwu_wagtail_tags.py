import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .. import inputs
from ..models import Scope

register = template.Library()


@register.filter
def one_line(value):
    """The value on one line (``inputs.one_line``): for the one-line fields of an email."""
    return inputs.one_line(str(value))


@register.filter
def indented(value):
    """The value as an indented block (``inputs.indented``): for free text in an email."""
    return inputs.indented(value)


@register.simple_tag
def scope_label(scope):
    """A badge naming the scope; an item of any unknown scope reads as internal."""
    scope = Scope.PUBLIC if scope == Scope.PUBLIC else Scope.INTERNAL
    return format_html(
        '<span class="dangwu-scope dangwu-scope--{}">{}</span>', scope.value, scope.label
    )


#: A telephone number in free text: digits, perhaps a leading "+", and spaces, dots, hyphens
#: or brackets between them.
PHONE_NUMBER = re.compile(r"\+?\(?\d[\d\s().\-]*\d")
#: Fewer digits than this is an extension (“转801”) or a room number, not a number to call.
PHONE_MIN_DIGITS = 5


@register.filter
def phone_links(text):
    """``text`` (a column's contact phone, as its editor wrote it) with each telephone number
    in it linked as ``tel:``. A ``tel:`` address allows no space: its digit groups are joined
    with hyphens (“021-6123 4567” calls ``tel:021-6123-4567``); the text reads as written."""
    text = str(text or "")
    pieces = []
    end = 0
    for match in PHONE_NUMBER.finditer(text):
        number = match.group()
        if sum(character.isdigit() for character in number) < PHONE_MIN_DIGITS:
            continue
        address = re.sub(r"[\s().\-]+", "-", number).strip("-")
        pieces.append(escape(text[end : match.start()]))
        pieces.append(format_html('<a href="tel:{}">{}</a>', address, number))
        end = match.end()
    pieces.append(escape(text[end:]))
    return mark_safe("".join(pieces))

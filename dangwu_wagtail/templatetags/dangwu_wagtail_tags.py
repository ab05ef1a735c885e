from django import template
from django.utils.html import format_html

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

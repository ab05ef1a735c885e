from django import template
from django.utils.html import format_html

from ..models import Scope

register = template.Library()


@register.simple_tag
def scope_label(scope):
    """A badge naming the scope; an item of any unknown scope reads as internal."""
    scope = Scope.PUBLIC if scope == Scope.PUBLIC else Scope.INTERNAL
    return format_html(
        '<span class="dangwu-scope dangwu-scope--{}">{}</span>', scope.value, scope.label
    )

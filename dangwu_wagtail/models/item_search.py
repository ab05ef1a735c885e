"""The column's search, in the database: items that hold every word of a query, best first.

The words come from ``dangwu_wagtail.search``, which cuts a query as the index is cut.
"""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from ..search import query_terms
from .catalog import ITEM_ORDER
from .items import DisclosureItemAttachment


def holds(word):
    """Items whose title, body or an attachment's text holds ``word``."""
    in_attachment = DisclosureItemAttachment.objects.filter(
        item=OuterRef("pk"), text__icontains=word
    )
    return Q(title__icontains=word) | Q(body__icontains=word) | Q(Exists(in_attachment))


def search_items(items, query):
    """``items`` that hold every term of ``query``, best first: the most words in the title,
    then in the body; the newest first among equals. Answers ``items.none()`` for a query
    without a word."""
    terms = query_terms(query)
    if not terms:
        return items.none()
    score = Value(0, output_field=IntegerField())
    for term in terms:
        condition = holds(term.text)
        if term.words:
            all_words = Q()
            for word in term.words:
                all_words &= holds(word)
            condition |= all_words
        items = items.filter(condition)
        for word in [term.text, *term.words]:
            weight = 4 if word == term.text else 1
            score += Case(
                When(title__icontains=word, then=Value(3 * weight)),
                When(body__icontains=word, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
    return items.annotate(search_score=score).order_by("-search_score", *ITEM_ORDER)

"""Search, in the database: the column's own search (items that hold every word of a query,
best first), and which items a search of Wagtail's index may return.

The words come from ``dangwu_wagtail.search``, which cuts a query as the index is cut.

Two indexes, in one:

* the *public index*: what ``DisclosureItem.get_indexed_objects`` gives every search backend,
  public items (live or not). Elasticsearch and OpenSearch, and Wagtail's own backends, hold
  this and nothing more.
* the add-on's database backend (``dangwu_wagtail.search_backend``) also holds the internal
  items (``get_admin_indexed_objects``), so that their schools' editors and reviewers find
  them in Wagtail's admin. Every search it answers is bounded by ``index_filter``: outside
  the admin's page searches (the stock search view, the API, a host's own search) no search
  returns an internal item or a draft, whatever the index holds; inside them, only the
  user's own schools' (``searching_as``).
"""

import contextlib
import contextvars

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from ..search import query_terms
from .access import access_for, models_built_on
from .attachments import DisclosureItemAttachment
from .catalog_routes import ITEM_ORDER
from .choices import Scope
from .items import DisclosureItemMixin

#: The user of Wagtail's admin whose page search is under way, or ``None``.
admin_searcher = contextvars.ContextVar("dangwu_wagtail_admin_searcher", default=None)


@contextlib.contextmanager
def searching_as(user):
    """Within the block, searches of Wagtail's index are ``user``'s searches in the admin:
    they may find the items ``SchoolAccess.admin_search_items`` gives the user."""
    token = admin_searcher.set(user)
    try:
        yield
    finally:
        admin_searcher.reset(token)


def indexed_item_models():
    """The concrete item models whose rows the index holds: the add-on's and a host's own,
    each once (a subclass's rows are its parent's)."""
    models = [model for model in models_built_on(DisclosureItemMixin) if not model._meta.proxy]
    return [m for m in models if not any(p in models for p in m._meta.get_parent_list())]


def index_filter(model, user=None):
    """A ``Q`` over ``model`` (any page model, or none of them) that keeps out of a search's
    results the items outside the public index, internal items and drafts, except, for
    ``user`` searching in the admin, those ``SchoolAccess.admin_search_items`` gives them."""
    found = access_for(user).admin_search_items() if user is not None else Q(pk__in=[])
    condition = Q()
    if not found:
        return condition  # Q(): every item, for superusers and supervisors
    for item_model in indexed_item_models():
        if not (issubclass(item_model, model) or issubclass(model, item_model)):
            continue
        hidden = item_model._default_manager.exclude(live=True, scope=Scope.PUBLIC)
        condition &= ~Q(pk__in=hidden.exclude(found).values("pk"))
    return condition


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

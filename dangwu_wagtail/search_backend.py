"""Wagtail's database search backend, asking for Chinese words the way the index holds them.

Use it as the site's search backend::

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "dangwu_wagtail.search_backend"}}

It is Wagtail's own database backend (SQLite FTS5, PostgreSQL, MySQL or the fallback, as the
default database is), with one change: before a query reaches the database, each word of
Chinese is turned into the phrase of its character pairs, which is how ``search_bigrams``
(``dangwu_wagtail.search``) indexes the column's items. A query typed without spaces
(民主生活会廉政建设) is cut into words, each of which must be found; items holding the query as
typed rank first. The terms of a query are all required unless the caller asks for
``operator="or"``.

It also indexes the column's internal items, which Wagtail's own backends never receive, so
that a school's editors and reviewers find them, and the school's drafts, in the admin's page
search, the explorer's search and the page chooser. Every search it answers is bounded by
``models.item_search.index_filter``: no search returns an internal item or a draft outside
those admin searches, whatever the index holds, and in them only to the item's own school's
staff, superusers and supervisors. Everything else (filters, ordering, ``update_index``) is
Wagtail's.
"""

import functools

from wagtail.search.backends.database import SearchBackend as database_backend
from wagtail.search.query import And, Boost, Not, Or, Phrase, PlainText, SearchQuery

from .search import query_terms, run_tokens


def phrase(tokens):
    """The query for ``tokens`` found one after the other."""
    if len(tokens) == 1:
        return PlainText(tokens[0], operator="and")
    return Phrase(" ".join(tokens))


def term_query(term):
    """The query for one ``Term``: its text as written, or each of its words."""
    as_written = phrase(term.tokens)
    if not term.words:
        return as_written
    return Or([as_written, And([phrase(run_tokens(word)) for word in term.words])])


def combine(queries, operator):
    if len(queries) == 1:
        return queries[0]
    return Or(queries) if operator == "or" else And(queries)


def chinese_query(query, operator=None):
    """``query`` (a string or Wagtail search query) with its text as index tokens."""
    if isinstance(query, str):
        query = PlainText(query, operator=operator or "and")
    if isinstance(query, PlainText):
        queries = [term_query(term) for term in query_terms(query.query_string)]
        if not queries:
            return query
        # A plain text's boost is left out: the SQLite backend compiles no Boost.
        return combine(queries, query.operator if operator is None else operator)
    if isinstance(query, Phrase):
        terms = query_terms(query.query_string)
        if not terms:
            return query
        # Each run of the phrase as written; runs apart are each required.
        return combine([phrase(term.tokens) for term in terms], "and")
    if isinstance(query, And):
        return And([chinese_query(q) for q in query.subqueries])
    if isinstance(query, Or):
        return Or([chinese_query(q) for q in query.subqueries])
    if isinstance(query, Not):
        return Not(chinese_query(query.subquery))
    if isinstance(query, Boost):
        return Boost(chinese_query(query.subquery), query.boost)
    return query


class ChineseQueriesMixin:
    """Rewrites the query of ``search()`` and ``autocomplete()`` with ``chinese_query``."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(query, str | SearchQuery) and query != "":
            query = chinese_query(query, kwargs.get("operator"))
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


class WholeQueryRankMixin:
    """SQLite: rank by the match expression's BM25 score, whatever the query's shape.

    FTS5's ``bm25()`` already scores the whole ``MATCH`` expression (lower is better);
    Wagtail's compiler multiplies and adds it per ``And`` and ``Or`` as if it were a positive
    score, which puts the weakest matches of a composed query first.
    """

    def build_tsrank(self, vector, query, config=None, boost=1.0):
        from modelsearch.backends.database.sqlite.query import BM25

        return BM25() * boost if boost != 1.0 else BM25()


class EveryItemIndexMixin:
    """Indexes the objects of ``get_admin_indexed_objects`` too, and bounds every search with
    ``index_filter``: only the admin's page searches (``searching_as``) may find them."""

    #: Read by the add-on's receivers, which add an internal item to such a backend's index.
    indexes_every_item = True

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        from django.db.models import QuerySet

        from .models.item_search import admin_searcher, index_filter

        if isinstance(model_or_queryset, QuerySet):
            queryset = model_or_queryset
        else:
            queryset = model_or_queryset._default_manager.all()
        condition = index_filter(queryset.model, admin_searcher.get())
        if condition:
            queryset = queryset.filter(condition)
        return super()._search(query_compiler_class, query, queryset, **kwargs)


def admin_indexed_chunks(chunk_size=1000):
    """``(model, objects)`` for the objects of each indexed model's
    ``get_admin_indexed_objects``, ``chunk_size`` at a time."""
    from wagtail.search.index import get_indexed_models

    for model in get_indexed_models():
        if not hasattr(model, "get_admin_indexed_objects"):
            continue
        objects = model.get_admin_indexed_objects().order_by("pk")
        last_pk = None
        while True:
            chunk = objects if last_pk is None else objects.filter(pk__gt=last_pk)
            chunk = list(chunk[:chunk_size])
            if not chunk:
                break
            yield model, chunk
            last_pk = chunk[-1].pk


def every_item_rebuilder(rebuilder_class):
    """``rebuilder_class``, adding the objects of ``get_admin_indexed_objects`` when
    ``update_index`` has added the others."""

    class EveryItemRebuilder(rebuilder_class):
        def finish(self):
            for model, chunk in admin_indexed_chunks():
                self.index.add_items(model, chunk)
            super().finish()

    EveryItemRebuilder.__name__ = EveryItemRebuilder.__qualname__ = rebuilder_class.__name__
    return EveryItemRebuilder


@functools.cache
def chinese_backend_class(backend_class):
    attributes = {}
    for name in ("rebuilder_class", "atomic_rebuilder_class"):
        rebuilder = getattr(backend_class, name, None)
        if rebuilder is not None:
            attributes[name] = every_item_rebuilder(rebuilder)
    if backend_class.__module__.endswith(".sqlite.sqlite"):
        for name in ("query_compiler_class", "autocomplete_query_compiler_class"):
            compiler = getattr(backend_class, name)
            attributes[name] = type(compiler.__name__, (WholeQueryRankMixin, compiler), {})
    mixins = (EveryItemIndexMixin, ChineseQueriesMixin, backend_class)
    return type(backend_class.__name__, mixins, attributes)


def SearchBackend(params):  # noqa: N802 -- the name Wagtail looks up in a backend module
    """Wagtail's database backend for the default database, with ``ChineseQueriesMixin``."""
    backend = database_backend(params)
    return chinese_backend_class(type(backend))(params)

"""Wagtail's database search backend, asking for Chinese words the way the index holds them.

Use it as the site's search backend::

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "dangwu_wagtail.search_backend"}}

It is Wagtail's own database backend (SQLite FTS5, PostgreSQL, MySQL or the fallback, as the
default database is), with one change: before a query reaches the database, each word of
Chinese is turned into the phrase of its character pairs, which is how ``search_bigrams``
(``dangwu_wagtail.search``) indexes the column's items. A query typed without spaces
(民主生活会廉政建设) is cut into words, each of which must be found; items holding the query as
typed rank first. The terms of a query are all required unless the caller asks for
``operator="or"``. Everything else (indexing, filters, ordering, ``update_index``) is
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


@functools.cache
def chinese_backend_class(backend_class):
    attributes = {}
    if backend_class.__module__.endswith(".sqlite.sqlite"):
        for name in ("query_compiler_class", "autocomplete_query_compiler_class"):
            compiler = getattr(backend_class, name)
            attributes[name] = type(compiler.__name__, (WholeQueryRankMixin, compiler), {})
    return type(backend_class.__name__, (ChineseQueriesMixin, backend_class), attributes)


def SearchBackend(params):  # noqa: N802 -- the name Wagtail looks up in a backend module
    """Wagtail's database backend for the default database, with ``ChineseQueriesMixin``."""
    backend = database_backend(params)
    return chinese_backend_class(type(backend))(params)

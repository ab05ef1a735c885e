"""Search that finds Chinese words, on SQLite and PostgreSQL, with Wagtail's own backend."""

import pytest
import rjieba
from django.test import Client
from wagtail.models import Page

from dangwu_wagtail.reference import reference_entries
from dangwu_wagtail.search import CJK, words
from tests.conftest import add_item


def titles():
    """Every title of both reference catalogs, once."""
    seen = {}
    for template in ("committee", "branch"):
        for row in reference_entries(template):
            if row["title"] and CJK.search(row["title"]):
                seen.setdefault(row["title"], None)
    return list(seen)


def title_words(title):
    """The words of two or four Chinese characters in ``title``."""
    return sorted(
        {w for w in rjieba.cut(title) if len(w) in (2, 4) and all(CJK.match(c) for c in w)}
    )


def found(query, item):
    return item.pk in {page.pk for page in Page.objects.live().search(query)}


def test_words_of_a_title():
    assert {"党费", "收缴", "党费收缴", "管理", "使用"} <= set(words("党费收缴、管理和使用"))
    assert {"党组织", "党组", "组织"} <= set(words("创建学习型党组织"))
    assert "OPENWORD" in words("<p>正文 OPENWORD</p>")


@pytest.mark.parametrize("query", ["党费", "收缴", "党费收缴", "管理", "使用"])
def test_stock_search_finds_a_word_of_a_public_item(school_a, query):
    item = add_item(school_a, "党费收缴、管理和使用", number=8, body="<p>2026年度。</p>")
    assert found(query, item)
    response = Client().get("/search/", {"query": query})
    assert "党费收缴、管理和使用" in response.content.decode()


def test_a_word_of_the_body_finds_the_item(school_a):
    item = add_item(
        school_a, "Notice", number=8, body="<p>召开党员大会，选举产生新一届支部委员会。</p>"
    )
    for query in ("党员大会", "选举", "支部委员会", "委员会"):
        assert found(query, item), query


def test_internal_items_are_never_found(school_a):
    internal = add_item(school_a, "党内机密会议纪要", number=1, body="<p>党内机密讨论内容</p>")
    assert internal.scope == "internal" and internal.live
    for query in ("机密", "会议纪要", "机密讨论"):
        assert not found(query, internal), query
        text = Client().get("/search/", {"query": query}).content.decode()
        assert "党内机密会议纪要" not in text


def test_recall_over_the_reference_catalogs_titles(school_a):
    """At least 95% of the two- and four-character words of the reference titles find their
    item through Wagtail's stock search (the figures are in docs/benchmarks.md)."""
    items = {title: add_item(school_a, title, number=8) for title in titles()}
    pairs = [(word, item) for title, item in items.items() for word in title_words(title)]
    assert len(pairs) > 150
    hits = sum(found(word, item) for word, item in pairs)
    assert hits / len(pairs) >= 0.95, f"recall {hits}/{len(pairs)}"

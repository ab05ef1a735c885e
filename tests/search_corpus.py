"""Real text and a real dictionary, for measuring search: what the tests and the benchmark use.

The words are not the segmenter's: they are every substring of the text, of two to seven
Chinese characters, that CC-CEDICT (the community Chinese-English dictionary, as the
pypinyin-dict package ships it) lists as a word. The text is the district plan of
``tests/data``: its body (sections 一 to 六) for the tests, its appendices (附件一 to 三),
which the search tests never use, for the benchmark (``benchmarks/search_recall.py``).
"""

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import swapper
from django.utils.html import strip_tags

PLAN = Path(__file__).parent / "data" / "xujiaowei_2011_11.txt"
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
#: A paragraph this long or shorter is filed as an item's title, a longer one as its body.
TITLE_LENGTH = 40


@functools.cache
def dictionary():
    """CC-CEDICT's words of two to seven Chinese characters."""
    from pypinyin_dict.phrase_pinyin_data.cc_cedict import phrases_dict

    return frozenset(
        word for word in phrases_dict if 2 <= len(word) <= 7 and HAN_RUN.fullmatch(word)
    )


def paragraphs(part):
    """The plan's paragraphs with Chinese text: ``"body"`` (before 附件一) or
    ``"appendices"`` (from 附件一 on; a table cell per line), each once."""
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("附件一"))
    chosen = lines[:start] if part == "body" else lines[start:]
    cleaned = [" ".join(line.split()) for line in chosen]
    return list(dict.fromkeys(line for line in cleaned if HAN_RUN.search(line)))


def dictionary_words(text):
    """Every dictionary word that is a substring of ``text``'s Chinese runs."""
    words = dictionary()
    found = set()
    for run in HAN_RUN.findall(text):
        for length in range(2, 8):
            for start in range(len(run) - length + 1):
                if run[start : start + length] in words:
                    found.add(run[start : start + length])
    return found


def item_fields(index, paragraph):
    """``(title, body)`` of the item that files ``paragraph``."""
    if len(paragraph) <= TITLE_LENGTH:
        return paragraph, ""
    return f"第{index + 1}段", f"<p>{paragraph}</p>"


def file_paragraphs(catalog, texts, number=8):
    """One public item of ``catalog`` per paragraph; ``{item pk: its text}``."""
    from tests.conftest import add_item

    items = {}
    for index, paragraph in enumerate(texts):
        title, body = item_fields(index, paragraph)
        item = add_item(catalog, title, number=number, body=body)
        items[item.pk] = f"{title} {strip_tags(body)}"
    return items


@dataclass
class Measure:
    """What a search found for each word: recall over (word, item) pairs, precision over
    the results."""

    words: int = 0
    pairs: int = 0
    found: int = 0
    results: int = 0
    precise: int = 0
    missed: list = field(default_factory=list)
    imprecise: list = field(default_factory=list)

    @property
    def recall(self):
        return self.found / self.pairs if self.pairs else 1.0

    @property
    def precision(self):
        return self.precise / self.results if self.results else 1.0

    def __str__(self):
        return (
            f"{self.words} words, recall {self.found}/{self.pairs} = {100 * self.recall:.2f}%, "
            f"precision {self.precise}/{self.results} = {100 * self.precision:.2f}%"
        )


def measure(items, search, words=None):
    """Search each dictionary word of ``items`` (``{pk: text}``) with ``search`` (a query →
    the pks found); a result is precise when its text holds the word as written."""
    holders = {}
    for pk, text in items.items():
        for word in dictionary_words(text):
            holders.setdefault(word, set()).add(pk)
    result = Measure()
    for word in sorted(holders) if words is None else words:
        expected = holders.get(word, set())
        found = set(search(word)) & set(items)
        result.words += 1
        result.pairs += len(expected)
        result.found += len(expected & found)
        result.results += len(found)
        precise = {pk for pk in found if word in items[pk]}
        result.precise += len(precise)
        if expected - found:
            result.missed.append(word)
        if found - precise:
            result.imprecise.append(word)
    return result


def stock_search(query):
    """What ``wagtail start``'s search view finds."""
    Page = swapper.load_model("wagtailcore", "Page")

    return [page.pk for page in Page.objects.live().search(query)]


def admin_search(query):
    """What the admin's page search finds (``page_filter_search``, autocomplete)."""
    from wagtail.admin.views.pages.search import page_filter_search

    Page = swapper.load_model("wagtailcore", "Page")

    pages, _all = page_filter_search(query, Page.objects.all())
    return [page.pk for page in pages]


def catalog_search(query):
    """What the column's search finds (``search_items``), for a reader of public items."""
    from django.contrib.auth.models import AnonymousUser

    from dangwu_wagtail.models.item_search import search_items
    from dangwu_wagtail.privacy import visible_items

    return list(search_items(visible_items(AnonymousUser()), query).values_list("pk", flat=True))


def word_pairs(items):
    """Queries of two words typed without a space: for each item, its longest dictionary word
    and the longest other one that neither overlaps it in the text nor follows it at once."""
    pairs = {}
    for text in items.values():
        words = sorted(dictionary_words(text), key=lambda w: (-len(w), w))
        if not words:
            continue
        first = words[0]
        for second in words[1:]:
            if first not in second and second not in first and first + second not in text:
                pairs.setdefault(first + second, (first, second))
                break
    return pairs


def measure_pairs(items, search):
    """Search each ``word_pairs`` query: the items holding both words should be found, and
    every result should hold both."""
    result = Measure()
    for query, (first, second) in sorted(word_pairs(items).items()):
        expected = {pk for pk, text in items.items() if first in text and second in text}
        found = set(search(query)) & set(items)
        result.words += 1
        result.pairs += len(expected)
        result.found += len(expected & found)
        result.results += len(found)
        result.precise += len({pk for pk in found if first in items[pk] and second in items[pk]})
        if expected - found:
            result.missed.append(query)
        if found - expected:
            result.imprecise.append(query)
    return result

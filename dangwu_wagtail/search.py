"""Chinese text for Wagtail's search index, and Chinese queries for it.

PostgreSQL's and SQLite's full-text search split text on spaces and punctuation, so a run of
Chinese characters is one token: searching 党费 would not find “党费收缴、管理和使用”. An item
therefore gives the index two more fields:

* ``search_bigrams``: every run of Chinese characters as its overlapping character pairs, in
  order (电子办公系统 → 电子 子办 办公 公系 系统). A word of any length is then a *phrase* of
  its pairs, found by any database search backend with positions (SQLite FTS5, PostgreSQL),
  whatever a segmenter makes of it: this is what Elasticsearch's ``cjk_bigram`` does.
* ``search_words``: the words and sub-words rjieba (the Rust jieba segmenter) finds, and
  neighbouring words run together, so that a site whose search backend is Wagtail's own,
  unchanged, still finds most words of two to four characters.

The add-on's search backend (``dangwu_wagtail.search_backend``) turns a query into those
phrases: each word becomes the phrase of its pairs, and a query typed without spaces is cut
into words (rjieba, with the Party terms of ``data/party_terms.txt``), each of which must be
found. The column's own search asks the database with the same words (``query_terms``).
"""

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.html import strip_tags

#: A token worth indexing: letters or digits of any script, at least one character.
WORD = re.compile(r"\w+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK = re.compile(f"[{_HAN}]")
#: A run of Chinese characters, or a run of other letters and digits.
CHUNK = re.compile(f"[{_HAN}]+|[^\\W{_HAN}]+")
#: Written between two runs of text in ``search_bigrams``, so that a phrase never joins the
#: end of one sentence to the start of the next (工作，作风 does not hold 工作风).
SEPARATOR = "dwsep"

TERMS_FILE = Path(__file__).parent / "data" / "party_terms.txt"


def normalise(text):
    """Plain text of ``text`` (HTML or not): tags dropped, entities decoded, full-width
    letters and digits made half-width (NFKC), lower case."""
    text = strip_tags(str(text or ""))
    return unicodedata.normalize("NFKC", html.unescape(text)).lower()


def is_chinese(chunk):
    return bool(CJK.match(chunk))


def chunk_tokens(chunk):
    """The index tokens of one chunk: a Chinese run's character pairs, or the word itself."""
    if not is_chinese(chunk) or len(chunk) == 1:
        return [chunk]
    return [chunk[i : i + 2] for i in range(len(chunk) - 1)]


def run_tokens(run):
    """The tokens of a run of letters and digits (2026年度 → 2026 年度), in order."""
    return [token for chunk in CHUNK.findall(run) for token in chunk_tokens(chunk)]


def bigram_text(*texts):
    """``texts`` as ``search_bigrams``: each distinct run's tokens, runs apart."""
    runs = dict.fromkeys(WORD.findall(normalise(" ".join(str(t or "") for t in texts))))
    return f" {SEPARATOR} ".join(" ".join(run_tokens(run)) for run in runs)


# The segmenter, with the Party terms ------------------------------------------------------------


def load_terms(path=TERMS_FILE):
    """The terms of a terms file: one a line, ``#`` starting a comment."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


@functools.cache
def party_terms():
    """The package's Party terms and the site's own (``DANGWU_WAGTAIL["SEARCH_TERMS"]``)."""
    from .conf import dangwu_settings

    return tuple(dict.fromkeys([*load_terms(), *dangwu_settings.SEARCH_TERMS]))


@functools.cache
def segmenter():
    """rjieba's segmenter, knowing the Party terms as words."""
    import rjieba

    jieba = rjieba.Jieba()
    for term in party_terms():
        jieba.add_word(term, 100000, None)
    return jieba


def reset_segmenter(*, setting=None, **kwargs):
    """Forget the terms; connected to ``setting_changed`` in ``signal_handlers``."""
    if setting not in (None, "DANGWU_WAGTAIL"):
        return
    party_terms.cache_clear()
    segmenter.cache_clear()


def words(text):
    """Search words of ``text``: segmented words, their sub-words and neighbouring pairs."""
    jieba = segmenter()
    text = normalise(text)
    found = []
    for run in WORD.findall(text):
        if not CJK.search(run):
            found.append(run)
            continue
        segments = [word for word in jieba.cut(run, True) if WORD.fullmatch(word)]
        found.extend(word for word in jieba.cut_for_search(run, True) if WORD.fullmatch(word))
        found.extend(a + b for a, b in zip(segments, segments[1:], strict=False))
    return list(dict.fromkeys(found))


def search_text(*texts):
    """``texts`` as search words for a ``SearchField``: apart, so that no phrase of the
    add-on's backend matches two neighbouring words of this list."""
    return f" {SEPARATOR} ".join(words(" ".join(str(text or "") for text in texts)))


# Queries -----------------------------------------------------------------------------------------


@dataclass
class Term:
    """One thing a query asks for: a run of its text typed without spaces or punctuation.

    ``text`` is found when it is in an item as written; when it holds several words
    (民主生活会廉政建设), it is also found where each of ``words`` is, apart.
    """

    text: str
    words: list = field(default_factory=list)

    @property
    def tokens(self):
        return run_tokens(self.text)


#: Single characters that join words rather than make them (的, 和, 与…): a query typed
#: without spaces is searched without them.
PARTICLES = frozenset("的地得和与及或在了是对把被从向为以于等并之也就都而且")


def join_single_characters(cut):
    """The words of a cut query. Single characters next to each other run together (不在);
    a single particle alone (的, 和) is dropped; any other single character belongs to the
    word after it (副 主任 → 副主任), or before it at the end."""
    words, pending = [], ""
    for index, word in enumerate(cut):
        if len(word) > 1:
            words.append(pending + word)
            pending = ""
            continue
        alone = (index == 0 or len(cut[index - 1]) > 1) and (
            index == len(cut) - 1 or len(cut[index + 1]) > 1
        )
        if alone and word in PARTICLES:
            continue
        pending += word
        if not alone:
            continue
        if index == len(cut) - 1 and words:
            words[-1] += pending
            pending = ""
    if pending:
        words.append(pending)
    return words


def query_terms(query):
    """The terms of a search query as typed (``Term``), in order, none twice."""
    jieba = segmenter()
    terms = []
    for run in dict.fromkeys(WORD.findall(normalise(query))):
        chunks = CHUNK.findall(run)
        parts = []
        for chunk in chunks:
            if is_chinese(chunk) and len(chunk) > 2 and not jieba.has_word(chunk):
                cut = [word for word in jieba.cut(chunk, False) if WORD.fullmatch(word)]
                parts.extend(join_single_characters(cut) or [chunk])
            else:
                parts.append(chunk)
        parts = list(dict.fromkeys(parts))
        terms.append(Term(run, parts if parts != [run] else []))
    return terms


def query_words(query):
    """Every word a result must hold (for highlighting): the terms and their words."""
    found = []
    for term in query_terms(query):
        found.extend(term.words or [term.text])
        if term.words:
            found.append(term.text)
    return sorted(dict.fromkeys(found), key=len, reverse=True)


#: Characters of context a snippet shows on each side of the first word found.
SNIPPET_CONTEXT = 40


def highlight(text, words):
    """``text``, escaped, with each of ``words`` in it marked (``<mark>``)."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    pieces, end = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[end : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        end = match.end()
    pieces.append(escape(text[end:]))
    return mark_safe("".join(pieces))


def plain(text):
    """``text`` (rich text or a file's text) as one line of plain text."""
    text = re.sub(r"<[^>]+>", " ", str(text or ""))
    return " ".join(html.unescape(text).split())


def snippet_of(text, words, context=SNIPPET_CONTEXT):
    """The part of ``text`` around the first of ``words`` in it, highlighted; None if none
    of them is in it."""
    lowered = text.lower()
    starts = [lowered.find(w.lower()) for w in words if w and w.lower() in lowered]
    if not starts:
        return None
    start = min(starts)
    begin, end = max(0, start - context), start + context * 2
    part = text[begin:end]
    return {
        "html": highlight(part, words),
        "cut_before": begin > 0,
        "cut_after": end < len(text),
    }


def search_snippet(item, query):
    """Where ``item`` holds the words of ``query``: ``{"html", "cut_before", "cut_after",
    "attachment"}``, with the snippet from the body, or else from the first attachment that
    holds a word (``attachment``: its title), or else ``None``."""
    words = query_words(query)
    if not words:
        return None
    found = snippet_of(plain(item.body), words)
    if found:
        return {**found, "attachment": None}
    for attachment in item.attachments.all():
        found = snippet_of(plain(attachment.text), words)
        if found:
            return {**found, "attachment": attachment.display_title}
    return None


# Elasticsearch and OpenSearch --------------------------------------------------------------------


def elasticsearch_index_settings(ik=False):
    """``INDEX_SETTINGS`` for Wagtail's Elasticsearch and OpenSearch backends: text analysed
    as Chinese. By default Elasticsearch's own ``cjk_bigram`` filter, with unigrams (so that a
    single character is found too); with ``ik=True``, the IK analysis plugin
    (``ik_max_word`` when indexing, ``ik_smart`` when searching), which must be installed
    on the server. ``WAGTAILSEARCH_BACKENDS["default"]["INDEX_SETTINGS"]`` takes it."""
    if ik:
        index_analyzer = {"type": "custom", "tokenizer": "ik_max_word", "filter": ["lowercase"]}
        search_analyzer = {"type": "custom", "tokenizer": "ik_smart", "filter": ["lowercase"]}
        autocomplete_filters = ["lowercase", "edgengram"]
        autocomplete_tokenizer = "ik_max_word"
    else:
        filters = ["cjk_width", "lowercase", "dangwu_cjk_bigram"]
        index_analyzer = {"type": "custom", "tokenizer": "standard", "filter": filters}
        search_analyzer = index_analyzer
        autocomplete_filters = ["cjk_width", "asciifolding", "lowercase", "dangwu_cjk_bigram"]
        autocomplete_filters.append("edgengram")
        autocomplete_tokenizer = "standard"
    return {
        "settings": {
            "analysis": {
                "filter": {
                    "dangwu_cjk_bigram": {"type": "cjk_bigram", "output_unigrams": True},
                },
                "analyzer": {
                    # Wagtail's text fields name no analyzer: these are theirs.
                    "default": index_analyzer,
                    "default_search": search_analyzer,
                    # Wagtail's autocomplete fields (the admin's page search).
                    "edgengram_analyzer": {
                        "type": "custom",
                        "tokenizer": autocomplete_tokenizer,
                        "filter": autocomplete_filters,
                    },
                },
            }
        }
    }

"""Words for Wagtail's search index from Chinese text.

PostgreSQL's and SQLite's full-text search split text on spaces and punctuation, so a run of
Chinese characters is one token: searching 党费 would not find “党费收缴、管理和使用”. An item
therefore gives the index its title and body also as words, segmented with rjieba (the Rust
jieba segmenter): every word and every sub-word jieba finds for search (党组织 → 党组, 组织,
党组织), and every two neighbouring words run together (党费收缴), so that a search for a word of
two, three or four characters finds the item with any of Wagtail's search backends.

Only public items are indexed (``DisclosureItem.get_indexed_objects``): internal ones are found
by the column's own search, which asks the privacy module.
"""

import re

from django.utils.html import strip_tags

#: A token worth indexing: letters or digits of any script, at least one character.
WORD = re.compile(r"\w+")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def words(text):
    """Search words of ``text``: segmented words, their sub-words and neighbouring pairs."""
    import rjieba

    text = strip_tags(text or "")
    found = []
    for run in WORD.findall(text):
        if not CJK.search(run):
            found.append(run)
            continue
        segments = [word for word in rjieba.cut(run) if WORD.fullmatch(word)]
        found.extend(word for word in rjieba.cut_for_search(run) if WORD.fullmatch(word))
        found.extend(a + b for a, b in zip(segments, segments[1:], strict=False))
    return list(dict.fromkeys(found))


def search_text(*texts):
    """``texts`` as one space-separated string of search words, for a ``SearchField``."""
    return " ".join(words(" ".join(text or "" for text in texts)))

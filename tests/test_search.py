"""Search that finds Chinese words, on SQLite and PostgreSQL: the host's stock search, the
admin's page search and the column's own search.

The recall and precision are measured with words the segmenter did not make: every
substring of the district plan's body that CC-CEDICT lists as a word (``search_corpus``).
"""

import io
import logging

import pytest
import swapper
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail.documents import get_document_model

from dangwu_wagtail.models import DisclosureItem, DisclosureItemAttachment
from dangwu_wagtail.search import bigram_text, load_terms, query_terms, query_words, words
from tests.conftest import add_item
from tests.search_corpus import (
    admin_search,
    catalog_search,
    file_paragraphs,
    measure,
    paragraphs,
    stock_search,
)

Page = swapper.load_model("wagtailcore", "Page")

SEARCHES = {"stock": stock_search, "admin": admin_search, "column": catalog_search}
LONG_WORDS = ["电子办公系统", "长效工作机制", "民主生活会", "廉政建设"]


def found(query, item):
    return item.pk in set(stock_search(query))


def catalog_html(client, catalog, query):
    return client.get(catalog.subpage_url("search"), {"q": query}).content.decode()


# Recall and precision over a dictionary's words ------------------------------------------------


@pytest.mark.parametrize("search", SEARCHES, ids=str)
def test_every_dictionary_word_of_the_plan_finds_its_items(school_a, search):
    """≥ 99% of the (word, item) pairs are found, and every result holds the word as written
    (docs/benchmarks.md has the figures for the appendices, which these tests do not use)."""
    items = file_paragraphs(school_a, paragraphs("body"))
    result = measure(items, SEARCHES[search])
    assert result.words > 300 and result.pairs > 600, result
    assert result.recall >= 0.99, f"{result}; missed: {' '.join(result.missed)}"
    assert result.precision == 1.0, f"{result}; imprecise: {' '.join(result.imprecise)}"


@pytest.mark.parametrize("word", LONG_WORDS)
def test_long_words_of_a_title_and_a_body(school_a, users, word):
    in_title = add_item(school_a, f"关于完善{word}的通知", number=8)
    in_body = add_item(school_a, "工作安排", number=8, body=f"<p>学校将进一步{word}。</p>")
    assert found(word, in_title) and found(word, in_body)
    html = Client().get("/search/", {"query": word}).content.decode()
    assert f"关于完善{word}的通知" in html
    editor = Client()
    editor.force_login(users["editor_a"])
    html = editor.get(reverse("wagtailadmin_pages:search"), {"q": word}).content.decode()
    assert f"关于完善{word}的通知" in html
    assert in_body.pk in set(admin_search(word))
    html = catalog_html(Client(), school_a, word)
    assert f"关于完善{word}的通知" in html and "工作安排" in html


# Queries of several words without spaces -------------------------------------------------------


@pytest.fixture
def three_items(school_a):
    apart = add_item(
        school_a, "召开民主生活会", number=8, body="<p>会上讨论了廉政建设的长效工作机制。</p>"
    )
    one = add_item(school_a, "民主生活会的安排", number=8, body="<p>时间另行通知。</p>")
    together = add_item(school_a, "民主生活会廉政建设专题", number=8)
    return apart, one, together


@pytest.mark.parametrize("search", SEARCHES, ids=str)
def test_words_typed_without_spaces_find_the_items_holding_all_of_them(three_items, search):
    apart, one, together = three_items
    results = SEARCHES[search]("民主生活会廉政建设")
    assert set(results) == {apart.pk, together.pk}
    if search != "admin":  # the admin orders by relevance within its own columns
        assert results[0] == together.pk  # as typed, in the title: best first
    assert set(SEARCHES[search]("廉政建设民主生活会长效工作机制")) == {apart.pk}


def test_words_apart_by_a_space(three_items):
    apart, one, together = three_items
    assert set(stock_search("民主生活会 廉政建设")) == {apart.pk, together.pk}
    assert set(stock_search("民主生活会")) == {apart.pk, one.pk, together.pk}


def test_party_terms_are_kept_whole(school_a):
    terms = load_terms()
    assert {"三会一课", "组织生活会", "民主生活会", "三重一大"} <= set(terms)
    (term,) = query_terms("落实三会一课和三重一大制度")
    assert {"三会一课", "三重一大"} <= set(term.words)
    assert {"民主生活会", "廉政建设"} == set(query_terms("民主生活会廉政建设")[0].words)


# Precision: no match on a shared character -----------------------------------------------------


@pytest.mark.parametrize("search", SEARCHES, ids=str)
def test_no_match_on_single_shared_characters(school_a, search):
    dues = add_item(school_a, "党费收缴", number=8)
    parts = add_item(school_a, "党员经费", number=8, body="<p>工作，作风；党的建设</p>")
    assert set(SEARCHES[search]("党费")) == {dues.pk}
    # The end of one sentence and the start of the next are not a word.
    assert SEARCHES[search]("工作风") == []
    assert SEARCHES[search]("的建") == [parts.pk]


def test_a_single_character_in_the_column_search(school_a):
    add_item(school_a, "党风建设", number=8, body="<p>廉洁。</p>")
    html = catalog_html(Client(), school_a, "廉")
    assert "党风建设" in html and "<mark>廉</mark>" in html


def test_the_column_search_ranks_title_matches_first(school_a):
    in_body = add_item(school_a, "工作安排", number=8, body="<p>加强廉政建设。</p>")
    in_title = add_item(school_a, "廉政建设情况", number=8, formed_on=in_body.formed_on)
    assert catalog_search("廉政建设")[:2] == [in_title.pk, in_body.pk]


# Privacy -----------------------------------------------------------------------------------------


def test_internal_items_and_drafts_are_never_found_by_the_stock_search(school_a, users):
    internal = add_item(school_a, "党内机密会议纪要", number=1, body="<p>党内机密讨论内容</p>")
    draft = add_item(school_a, "未发布草稿公告", number=8, live=False, body="<p>草稿内容</p>")
    assert internal.scope == "internal" and internal.live and not draft.live
    for query in ("机密", "会议纪要", "机密讨论", "草稿", "未发布草稿"):
        assert not found(query, internal) and not found(query, draft), query
        text = Client().get("/search/", {"query": query}).content.decode()
        assert "党内机密会议纪要" not in text and "未发布草稿公告" not in text
    # The column's search shows the internal item to the school's members only.
    member = Client()
    member.force_login(users["member_a"])
    assert "党内机密会议纪要" in catalog_html(member, school_a, "机密讨论")
    assert "党内机密会议纪要" not in catalog_html(Client(), school_a, "机密讨论")
    assert "未发布草稿公告" not in catalog_html(member, school_a, "草稿")


def test_the_snippet_tag_shows_nothing_of_an_item_the_reader_may_not_read(school_a, users):
    internal = add_item(school_a, "党内纪要", number=1, body="<p>机密讨论内容</p>")
    public = add_item(school_a, "公开事项", number=8, body="<p>公开讨论内容</p>")
    template = Template(
        "{% load dangwu_wagtail_tags %}{% search_snippet page query as snippet %}"
        '{% include "dangwu_wagtail/includes/search_snippet.html" %}'
    )
    request = RequestFactory().get("/search/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    page = Page.objects.get(pk=internal.pk)
    assert "机密" not in template.render(
        Context({"request": request, "page": page, "query": "讨论"})
    )
    html = template.render(Context({"request": request, "page": public, "query": "讨论"}))
    assert "<mark>讨论</mark>" in html
    request.user = users["member_a"]
    html = template.render(Context({"request": request, "page": page, "query": "讨论"}))
    assert "<mark>讨论</mark>" in html


# Snippets ----------------------------------------------------------------------------------------


def test_the_column_search_shows_a_highlighted_snippet(school_a):
    add_item(
        school_a,
        "工作安排",
        number=8,
        body="<p>为进一步加强廉政建设，<b>学校</b>召开民主生活会 &amp; 座谈会。</p>",
    )
    html = catalog_html(Client(), school_a, "民主生活会廉政建设")
    assert "<mark>廉政建设</mark>" in html and "<mark>民主生活会</mark>" in html
    assert "&amp; 座谈会" in html and "<b>" not in html


def test_highlighted_text_is_escaped(school_a):
    add_item(school_a, "通知", number=8, body="<p>&lt;script&gt;廉政建设&lt;/script&gt;</p>")
    html = catalog_html(Client(), school_a, "廉政建设")
    assert "&lt;script&gt;<mark>廉政建设</mark>&lt;/script&gt;" in html


# Attachments -------------------------------------------------------------------------------------


def make_pdf(text):
    """A one-page PDF whose text (through its ToUnicode map) is ``text``."""
    hex_text = text.encode("utf-16-be").hex().upper()
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
        "/CMapName /Dangwu def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> "
        "endcodespacerange 1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap "
        "CMapName currentdict /CMap defineresource pop end end"
    )
    content = f"BT /F1 12 Tf 72 720 Td <{hex_text}> Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /Dangwu /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Dangwu "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return out


def make_docx(text):
    import docx

    document = docx.Document()
    document.add_paragraph("会议纪要")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "议题"
    table.cell(0, 1).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx(text):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "党费"
    workbook.active.append(["序号", text, 2026])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def encrypted_pdf(text):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(text))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attach(catalog, item_title, name, data, **fields):
    document = get_document_model().objects.create(
        title=name, file=ContentFile(data, name=name), collection=catalog.collection
    )
    return add_item(
        catalog,
        item_title,
        number=8,
        attachments=[DisclosureItemAttachment(document=document, **fields)],
    )


@pytest.mark.parametrize(
    "name, make",
    [("minutes.pdf", make_pdf), ("minutes.docx", make_docx), ("dues.xlsx", make_xlsx)],
)
def test_a_word_in_an_attached_file_finds_the_item(school_a, users, name, make):
    item = attach(
        school_a, "附件通知", name, make("召开组织生活会，落实三会一课制度"), title="会议材料"
    )
    attachment = DisclosureItem.objects.get(pk=item.pk).attachments.get()
    assert "组织生活会" in attachment.text
    for search in SEARCHES.values():
        assert item.pk in search("组织生活会"), search
        assert item.pk in search("三会一课组织生活会"), search
    html = catalog_html(Client(), school_a, "三会一课")
    assert "附件通知" in html and "<mark>三会一课</mark>" in html
    assert "In the attachment “会议材料”" in html


@pytest.mark.parametrize(
    "name, data",
    [
        ("broken.pdf", b"%PDF-1.4 not really a PDF"),
        ("broken.docx", b"PK\x03\x04 not a zip"),
        ("broken.xlsx", b"not a workbook"),
        ("secret.pdf", encrypted_pdf("组织生活会")),
    ],
)
def test_a_broken_or_encrypted_file_is_skipped_with_a_log_line(school_a, caplog, name, data):
    with caplog.at_level(logging.WARNING, logger="dangwu_wagtail.search"):
        item = attach(school_a, "附件损坏的通知", name, data)
    assert DisclosureItem.objects.get(pk=item.pk).live
    assert [r for r in caplog.records if r.name == "dangwu_wagtail.search" and name in r.message]
    assert found("附件损坏", item)


def test_attachment_text_is_bounded(school_a, settings):
    settings.DANGWU_WAGTAIL = {"ATTACHMENT_TEXT_MAX_CHARS": 10}
    item = attach(school_a, "长附件", "long.docx", make_docx("廉政建设" * 100))
    text = DisclosureItem.objects.get(pk=item.pk).attachments.get().text
    assert len(text) == 10
    settings.DANGWU_WAGTAIL = {"ATTACHMENT_TEXT_MAX_BYTES": 100}
    item = attach(school_a, "大附件", "big.docx", make_docx("廉政建设"))
    assert DisclosureItem.objects.get(pk=item.pk).attachments.get().text == ""


# The index's text --------------------------------------------------------------------------------


def test_the_index_text_of_an_item():
    assert bigram_text("<p>电子办公系统</p>") == "电子 子办 办公 公系 系统"
    assert bigram_text("工作，作风") == "工作 dwsep 作风"
    assert bigram_text("２０２６年度 OPENWORD") == "2026 年度 dwsep openword"
    assert {"党费", "收缴", "党费收缴", "管理", "使用"} <= set(words("党费收缴、管理和使用"))
    assert query_words("民主生活会廉政建设") == ["民主生活会廉政建设", "民主生活会", "廉政建设"]


@pytest.mark.parametrize("search", SEARCHES, ids=str)
def test_two_dictionary_words_without_a_space(school_a, search):
    from tests.search_corpus import measure_pairs

    items = file_paragraphs(school_a, paragraphs("body"))
    result = measure_pairs(items, SEARCHES[search])
    assert result.words > 20, result
    assert result.recall >= 0.99, f"{result}; missed: {' '.join(result.missed)}"
    assert result.precision == 1.0, f"{result}; imprecise: {' '.join(result.imprecise)}"


def test_a_system_check_asks_for_the_add_ons_backend(settings):
    from django.core.checks import run_checks

    assert "dangwu_wagtail.W005" not in {m.id for m in run_checks()}
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    assert "dangwu_wagtail.W005" in {m.id for m in run_checks()}


def test_a_document_given_a_new_file_is_read_again(school_a):
    item = attach(school_a, "附件更新的通知", "minutes.docx", make_docx("组织生活会"))
    assert found("组织生活会", item) and not found("三重一大", item)
    document = DisclosureItem.objects.get(pk=item.pk).attachments.get().document
    document.file = ContentFile(make_docx("落实三重一大制度"), name="minutes-v2.docx")
    document.save()
    assert found("三重一大", item) and not found("组织生活会", item)

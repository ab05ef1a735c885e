"""What a page says about itself to search engines, browsers and screen readers: its title,
its description, its canonical address, whether to index it, and the language of its text."""

import datetime

import pytest
import swapper
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.conftest import add_item

SITE = "http://localhost"  # the test site's root_url


def parse(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def title(soup):
    return soup.title.get_text(" ", strip=True)


def descriptions(soup):
    return [meta["content"] for meta in soup.find_all("meta", attrs={"name": "description"})]


def canonical(soup):
    links = soup.find_all("link", rel="canonical")
    assert len(links) == 1, links
    return links[0]["href"]


def robots(soup):
    meta = soup.find("meta", attrs={"name": "robots"})
    return meta["content"] if meta else None


@pytest.fixture
def notice(school_a):
    return add_item(
        school_a,
        "2026年度学习计划",
        number=5,
        formed_on=datetime.date(2026, 2, 20),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        body=(
            "<h2>安排</h2><p>全年集中学习&amp;研讨<b>十二次</b>。</p>"
            + "<p>"
            + "每月一次专题学习。" * 20
            + "</p>"
        ),
    )


# The column ------------------------------------------------------------------------------------


def test_column_describes_itself_from_its_introduction(client, school_a):
    school_a.intro = "<p>本专栏公开<b>党委</b>的党务信息。</p><p>欢迎监督。</p>"
    school_a.save_revision().publish()

    soup = parse(client.get(school_a.url))

    assert school_a.title in title(soup)
    assert descriptions(soup) == ["本专栏公开党委的党务信息。欢迎监督。"]
    assert canonical(soup) == SITE + school_a.url
    assert robots(soup) is None


def test_column_without_introduction_is_described_by_its_organisation(client, school_a):
    assert not school_a.intro
    soup = parse(client.get(school_a.url))
    [description] = descriptions(soup)
    assert description.startswith("The Party affairs disclosure column of A中学党委")

    soup = parse(client.get(school_a.url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    [description] = descriptions(soup)
    assert "A中学党委" in description and "党务公开专栏" in description


def test_an_editors_search_description_is_the_only_one(client, school_a, notice):
    """Wagtail's promote tab has the last word; the host's base.html writes it, once. A base
    page model of the host's own may have no such field: the add-on's description is then
    the only one."""
    page_model = swapper.load_model("wagtailcore", "Page")
    promoted = any(field.name == "search_description" for field in page_model._meta.get_fields())
    for page in (school_a, notice):
        page.search_description = "编辑写的摘要"
        page.save_revision().publish()
        written = descriptions(parse(client.get(page.url)))
        assert len(written) == 1
        assert (written == ["编辑写的摘要"]) == promoted


# An item ---------------------------------------------------------------------------------------


def test_item_title_names_its_column(client, school_a, notice):
    soup = parse(client.get(notice.url))
    assert title(soup) == f"2026年度学习计划 · {school_a.title}"


def test_item_is_described_by_the_start_of_its_body(client, notice):
    [description] = descriptions(parse(client.get(notice.url)))
    assert description.startswith("安排 全年集中学习&研讨十二次。每月一次专题学习。")
    assert len(description) == 120 and description.endswith("…")


def test_item_without_body_is_described_by_its_title_and_entry(client, school_a):
    item = add_item(school_a, "Study plan", number=5, period_start=None, period_end=None)
    item.period_start, item.period_end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    item.save_revision().publish()
    [description] = descriptions(parse(client.get(item.url)))
    assert description == "Study plan: disclosed by A中学党委 under 5. 创建学习型党组织."


def test_public_item_is_indexed_at_its_canonical_address(client, notice):
    soup = parse(client.get(notice.url, {"utm_source": "wechat"}))
    assert canonical(soup) == SITE + notice.url
    assert robots(soup) is None


def test_internal_item_is_not_indexed(client, items_a, users):
    client.force_login(users["member_a"])
    soup = parse(client.get(items_a["internal"].url))
    assert robots(soup) == "noindex"
    assert canonical(soup) == SITE + items_a["internal"].url
    assert descriptions(soup) == ["SECRETWORD body"]


# The column's other pages ----------------------------------------------------------------------


def test_entry_pages_have_their_own_description_and_address(client, school_a, notice, monkeypatch):
    from dangwu_wagtail.models import Catalog

    monkeypatch.setattr(Catalog, "items_per_page", 1)
    add_item(school_a, "Older plan", number=5, formed_on=datetime.date(2025, 2, 1), **period(2025))
    url = school_a.subpage_url("entry", notice.entry_id)

    first = parse(client.get(url, {"page": 1}))
    second = parse(client.get(url, {"page": 2, "utm_source": "x"}))

    assert title(first) == f"创建学习型党组织 · {school_a.title}"
    assert descriptions(first) == [
        "Items disclosed by A中学党委 under 5. 创建学习型党组织 (党的思想建设情况)."
    ]
    assert canonical(first) == SITE + url
    assert canonical(second) == SITE + url + "?page=2"
    assert robots(first) is None


def test_the_guide_describes_itself(client, school_a):
    url = school_a.subpage_url("guide")
    soup = parse(client.get(url, {"utm_source": "wechat"}))
    assert title(soup) == f"Disclosure guide · {school_a.title}"
    assert descriptions(soup) == [
        "The disclosure guide of A中学党委: what it discloses and to whom, how to ask for "
        "information, and whom to contact."
    ]
    assert canonical(soup) == SITE + url
    assert robots(soup) is None
    chinese = parse(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert title(chinese) == f"公开指南 · {school_a.title}"
    assert lang_of(chinese.find("main")) == "zh-Hans"
    assert lang_of(chinese.find("caption")) == "zh-Hans"
    english = parse(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert lang_of(english.find("h1")) == "en"
    assert lang_of(english.find("caption")) == "zh-Hans"  # a category of the catalog


def test_the_archive_describes_each_year(client, school_a, notice, monkeypatch):
    from dangwu_wagtail.models import Catalog

    monkeypatch.setattr(Catalog, "items_per_page", 1)
    add_item(
        school_a, "Second of 2026", number=5, formed_on=datetime.date(2026, 3, 1), **period(2026)
    )
    add_item(school_a, "Older plan", number=5, formed_on=datetime.date(2025, 2, 1), **period(2025))
    newest = parse(client.get(school_a.subpage_url("archive")))
    assert canonical(newest) == SITE + school_a.subpage_url("archive")
    assert descriptions(newest) == ["Items disclosed by A中学党委 in 2026."]

    url = school_a.subpage_url("archive_year", 2025)
    soup = parse(client.get(url, {"x": "1"}))
    assert title(soup) == f"Items of 2025 · {school_a.title}"
    assert descriptions(soup) == ["Items disclosed by A中学党委 in 2025."]
    assert canonical(soup) == SITE + url
    assert robots(soup) is None
    second = parse(client.get(school_a.subpage_url("archive_year", 2026), {"page": 2}))
    assert canonical(second) == SITE + school_a.subpage_url("archive_year", 2026) + "?page=2"
    chinese = parse(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert title(chinese) == f"2025年公开事项 · {school_a.title}"
    assert descriptions(chinese) == ["A中学党委2025年公开的事项。"]


def test_the_cards_address_is_the_canonical_one(client, school_a, notice):
    for url in (school_a.url, notice.url, school_a.subpage_url("guide")):
        soup = parse(client.get(url, {"utm_source": "wechat"}))
        og_url = soup.find("meta", attrs={"property": "og:url"})["content"]
        assert og_url == canonical(soup)


def period(year):
    return {
        "period_start": datetime.date(year, 1, 1),
        "period_end": datetime.date(year, 12, 31),
    }


def test_search_results_are_not_indexed(client, school_a, items_a):
    soup = parse(client.get(school_a.subpage_url("search"), {"q": "OPENWORD", "x": "1"}))
    assert robots(soup) == "noindex"
    assert canonical(soup) == SITE + school_a.subpage_url("search") + "?q=OPENWORD"
    assert descriptions(soup) == ["Search the items disclosed by A中学党委."]
    assert school_a.title in title(soup)


def test_a_readers_own_pages_are_not_indexed(client, school_a, users):
    from dangwu_wagtail.models import DisclosureRequest

    member = users["member_a"]
    client.force_login(member)
    disclosure_request = DisclosureRequest.objects.receive(
        school_a, requester=member, name="A", email=member.email, subject="S", description="D"
    )
    for url in [
        school_a.subpage_url("request"),
        school_a.subpage_url("request_status", disclosure_request.token),
        school_a.subpage_url("feedback"),
        school_a.subpage_url("mine"),
    ]:
        soup = parse(client.get(url))
        assert robots(soup) == "noindex", url
        assert canonical(soup) == SITE + url, url
        [description] = descriptions(soup)
        assert "A中学党委" in description, url
        assert school_a.title in title(soup), url


def test_statistics_pages_are_described_and_indexed_at_their_address(client, school_a):
    from dangwu_wagtail.models import DisclosureRequest

    DisclosureRequest.objects.receive(
        school_a,
        name="A",
        phone="13812345678",
        subject="S",
        description="D",
        received_at=datetime.datetime(2025, 3, 2, 10, 0, tzinfo=datetime.UTC),
    )
    this_year = datetime.date.today().year
    column = school_a.subpage_url("statistics")
    district = reverse("dangwu_wagtail:statistics")
    for url, name in [(column, "A中学党委"), (district, None)]:
        soup = parse(client.get(url, {"utm_source": "x"}, HTTP_ACCEPT_LANGUAGE="zh-hans"))
        assert robots(soup) is None, url
        assert canonical(soup) == SITE + url, url
        [description] = descriptions(soup)
        assert str(this_year) in description and "公开申请" in description, url
        assert str(this_year) in title(soup), url
        assert lang_of(soup.find("main")) == "zh-Hans"
        if name:
            assert name in description and school_a.title in title(soup)
        # Another year's statistics are a page of their own.
        soup = parse(client.get(url, {"year": "2025"}))
        assert canonical(soup) == SITE + url + "?year=2025", url
        assert "2025" in title(soup) and "2025" in descriptions(soup)[0], url


def test_the_members_only_request_page_is_described_and_not_indexed(client, school_a):
    url = school_a.subpage_url("request")
    soup = parse(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert robots(soup) == "noindex"
    assert canonical(soup) == SITE + url
    [description] = descriptions(soup)
    assert "A中学党委" in description
    assert school_a.title in title(soup)
    assert lang_of(soup.find("main")) == "zh-Hans"


@pytest.mark.parametrize(
    "name", ["login", "password_reset", "password_reset_done", "password_reset_complete"]
)
def test_account_pages_are_described_and_not_indexed(client, db, name):
    url = reverse(f"dangwu_wagtail:{name}")
    soup = parse(client.get(url, {"next": "/somewhere/"}))
    assert robots(soup) == "noindex"
    assert canonical(soup) == SITE + url
    [description] = descriptions(soup)
    assert description


def test_lockout_page_is_described_and_not_indexed(client, db, settings):
    url = reverse("dangwu_wagtail:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "guesser", "password": "wrong"})
    assert response.status_code == 429
    soup = BeautifulSoup(response.content, "html.parser")
    assert robots(soup) == "noindex"
    assert descriptions(soup) == ["Too many failed attempts"]


# Languages -------------------------------------------------------------------------------------


def lang_of(element):
    """The language an element is in: its own ``lang`` or its nearest ancestor's."""
    while element is not None:
        if element.has_attr("lang"):
            return element["lang"]
        element = element.parent
    return None


def test_chinese_content_is_marked_chinese_in_an_english_interface(client, school_a, notice):
    school_a.intro = "<p>本专栏公开党务信息。</p>"
    school_a.contact_person = "王老师"
    school_a.save_revision().publish()

    column = parse(client.get(school_a.url, HTTP_ACCEPT_LANGUAGE="en"))

    assert lang_of(column.find("main")) == "en"
    assert lang_of(column.find("h2", string="Disclosure catalog")) == "en"
    assert lang_of(column.find("h1")) == "zh-Hans"
    assert lang_of(column.find(class_="dangwu-intro").p) == "zh-Hans"
    assert lang_of(column.find("h3", string="党组织的决议、决定及执行情况")) == "zh-Hans"
    entry = column.find(id=f"entry-{notice.entry_id}")
    assert lang_of(entry.find(class_="dangwu-entry-title")) == "zh-Hans"
    assert lang_of(entry.find("a", string="2026年度学习计划")) == "zh-Hans"
    assert lang_of(entry.find("dt", string="Scope")) == "en"
    assert lang_of(column.find("dd", string="王老师")) == "zh-Hans"

    item = parse(client.get(notice.url, HTTP_ACCEPT_LANGUAGE="en"))
    assert lang_of(item.find("h1")) == "zh-Hans"
    assert lang_of(item.find("h2", string="安排")) == "zh-Hans"
    assert lang_of(item.find("dt", string="Date formed")) == "en"
    assert lang_of(item.find("span", string="党的思想建设情况")) == "zh-Hans"


def test_the_interface_is_marked_in_its_own_language(client, school_a):
    soup = parse(client.get(school_a.url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert lang_of(soup.find("main")) == "zh-Hans"
    assert lang_of(soup.find("h2", string="公开目录")) == "zh-Hans"

    soup = parse(client.get(reverse("dangwu_wagtail:login"), HTTP_ACCEPT_LANGUAGE="en"))
    assert lang_of(soup.find("main")) == "en"


def test_with_wagtail_i18n_the_content_is_in_its_pages_locale(client, school_a, settings):
    """A site that translates its columns says which language each tree is in."""
    settings.WAGTAIL_I18N_ENABLED = True
    assert school_a.locale.language_code == "en"
    soup = parse(client.get(school_a.url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert lang_of(soup.find("main")) == "zh-Hans"
    assert lang_of(soup.find("h1")) == "en"

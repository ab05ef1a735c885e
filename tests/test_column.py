"""The column page a Chinese reader expects (issue 18): the newest items, the categories as
tabs, the date of the last update, empty entries marked, a disclosure guide, an archive by
year, a feed per entry, and the cards of shared links; each for insiders and outsiders."""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from dangwu_wagtail.models import DisclosureItem, Scope
from tests.conftest import add_item

#: Readers who may not read school A's internal items.
OUTSIDERS = ["anonymous", "member_b", "editor_b"]
#: Readers who may.
INSIDERS = ["member_a", "supervisor"]


def client_for(users, reader):
    client = Client()
    if reader != "anonymous":
        client.force_login(users[reader])
    return client


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def latest_titles(soup):
    section = soup.find("section", class_="dangwu-latest")
    return [link.get_text(strip=True) for link in section.select("ul.dangwu-items > li > a")]


def og(soup):
    return {
        meta["property"]: meta["content"]
        for meta in soup.find_all("meta", attrs={"property": re.compile("^og:")})
    }


# The newest items ---------------------------------------------------------------------------


@pytest.mark.parametrize("reader", OUTSIDERS)
def test_an_outsiders_latest_list_never_holds_an_internal_item(
    client, school_a, items_a, users, reader
):
    add_item(school_a, "Newest internal HIDDENWORD", number=2)
    soup = soup_of(client_for(users, reader).get(school_a.url))
    titles = latest_titles(soup)
    assert titles == ["Public OPENWORD plan"]
    text = str(soup)
    for word in ("SECRETWORD", "HIDDENWORD", "DRAFTWORD"):
        assert word not in text


@pytest.mark.parametrize("reader", INSIDERS)
def test_an_insiders_latest_list_holds_internal_items_newest_first(
    school_a, items_a, users, reader
):
    add_item(school_a, "Newest internal HIDDENWORD", number=2)
    soup = soup_of(client_for(users, reader).get(school_a.url))
    assert latest_titles(soup) == [
        "Newest internal HIDDENWORD",
        "Public OPENWORD plan",
        "Internal SECRETWORD minutes",
    ]


def test_latest_list_is_cached_apart_for_each_audience(school_a, items_a, users):
    from dangwu_wagtail.conf import dangwu_settings

    assert dangwu_settings.LISTING_CACHE_SECONDS  # the listing is cached
    # A member's listing first, so that an anonymous reader's would hit it if it were shared.
    assert "Internal SECRETWORD minutes" in latest_titles(
        soup_of(client_for(users, "member_a").get(school_a.url))
    )
    for reader in OUTSIDERS:
        soup = soup_of(client_for(users, reader).get(school_a.url))
        assert latest_titles(soup) == ["Public OPENWORD plan"]
    # A new item renews the cached listing.
    add_item(school_a, "Fresh public FRESHWORD", number=8)
    assert latest_titles(soup_of(Client().get(school_a.url)))[0] == "Fresh public FRESHWORD"


def test_latest_list_says_when_nothing_is_disclosed(school_b):
    soup = soup_of(Client().get(school_b.url))
    assert latest_titles(soup) == []
    assert (
        "Nothing has been disclosed here yet."
        in soup.find("section", class_="dangwu-latest").get_text()
    )


# Navigation, the date, the entries ------------------------------------------------------------


def test_categories_are_tabs_that_lead_to_their_section(client, school_a):
    soup = soup_of(client.get(school_a.url))
    nav = soup.find("nav", class_="dangwu-category-nav")
    links = {a.get_text(strip=True): a["href"] for a in nav.find_all("a")}
    categories = list(dict.fromkeys(school_a.entries.values_list("category", flat=True)))
    assert len(categories) > 3
    for category in categories:
        anchor = links[category]
        assert anchor.startswith("#")
        heading = soup.find(id=anchor[1:])
        assert heading is not None and heading.get_text(strip=True) == category
    assert links["Disclosure guide"] == school_a.subpage_url("guide")
    assert links["Archive by year"] == school_a.subpage_url("archive")


def last_updated(soup):
    time = soup.find(class_="dangwu-last-updated")
    return time.time["datetime"] if time else None


@pytest.mark.parametrize("reader", OUTSIDERS)
def test_an_internal_item_does_not_move_an_outsiders_last_updated_date(
    school_a, items_a, users, reader
):
    client = client_for(users, reader)
    before = last_updated(soup_of(client.get(school_a.url)))
    assert before is not None
    item = add_item(school_a, "Later internal", number=2)
    later = datetime.datetime(2030, 5, 6, 12, tzinfo=datetime.UTC)
    DisclosureItem.objects.filter(pk=item.pk).update(last_published_at=later)
    assert last_updated(soup_of(client.get(school_a.url))) == before
    assert last_updated(soup_of(client_for(users, "member_a").get(school_a.url))) == "2030-05-06"


def test_every_entry_title_links_to_its_page(client, school_a):
    soup = soup_of(client.get(school_a.url))
    entries = list(school_a.entries.all())
    for entry in entries:
        title = soup.find(id=f"entry-{entry.pk}").find(class_="dangwu-entry-title")
        assert title.a["href"] == school_a.subpage_url("entry", entry.pk)
        assert title.a.get_text(strip=True) == entry.title


def test_entries_with_nothing_to_read_are_marked(client, school_a, items_a, users):
    public_empty = school_a.entries.get(number=8)  # public, only a draft
    public_full = school_a.entries.get(number=5)
    internal_full = school_a.entries.get(number=1)

    def entry_text(soup, entry):
        return soup.find(id=f"entry-{entry.pk}")

    soup = soup_of(client.get(school_a.url))
    assert "dangwu-entry--empty" in entry_text(soup, public_empty)["class"]
    assert "Nothing disclosed yet." in entry_text(soup, public_empty).get_text()
    assert "dangwu-entry--empty" not in entry_text(soup, public_full)["class"]
    # An internal entry says the same to an outsider whether it has items or not.
    internal_empty = school_a.entries.get(number=2)
    assert entry_text(soup, internal_full).find(class_="dangwu-empty").get_text() == (
        entry_text(soup, internal_empty).find(class_="dangwu-empty").get_text()
    )
    assert "Party members only" in entry_text(soup, internal_full).get_text()

    member = soup_of(client_for(users, "member_a").get(school_a.url))
    assert "dangwu-entry--empty" not in entry_text(member, internal_full)["class"]
    assert "Nothing disclosed yet." in entry_text(member, internal_empty).get_text()

    chinese = soup_of(client.get(school_a.url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "暂无公开内容" in entry_text(chinese, public_empty).get_text()


def test_an_empty_entry_page_says_so(client, school_a, items_a, users):
    entry = school_a.entries.get(number=8)
    soup = soup_of(client.get(school_a.subpage_url("entry", entry.pk)))
    assert "Nothing disclosed yet." in soup.main.get_text()
    assert not soup.select("main ul.dangwu-items li")
    chinese = client.get(school_a.subpage_url("entry", entry.pk), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "暂无公开内容" in chinese.content.decode()

    internal = school_a.entries.get(number=1)
    outsider = soup_of(client.get(school_a.subpage_url("entry", internal.pk)))
    assert "SECRETWORD" not in str(outsider) and "Party members only" in outsider.main.get_text()


# The disclosure guide ---------------------------------------------------------------------------


@pytest.fixture
def described(school_a):
    school_a.guide_intro = "<p>本指南由GUIDEINTRO编写。</p>"
    school_a.guide_closing = "<p>GUIDECLOSING：欢迎监督。</p>"
    school_a.reception_place = "行政楼201室"
    school_a.reception_hours = "每周三 14:00–16:00"
    school_a.contact_person = "王老师"
    school_a.contact_phone = "021-61234567"
    school_a.supervision_phone = "021-61239999"
    school_a.save_revision().publish()
    return school_a


@pytest.mark.parametrize("reader", [*OUTSIDERS, *INSIDERS])
def test_guide_says_what_is_disclosed_to_whom_and_how_to_ask(described, items_a, users, reader):
    response = client_for(users, reader).get(described.subpage_url("guide"))
    soup = soup_of(response)
    text = soup.main.get_text(" ")
    for words in ("GUIDEINTRO", "GUIDECLOSING", "行政楼201室", "每周三 14:00–16:00", "王老师"):
        assert words in text
    assert "021-61239999" in text  # the supervision telephone
    assert "15 working days" in text  # REQUEST_WORKING_DAYS and REQUEST_EXTENSION_DAYS
    rows = soup.select("table.dangwu-guide-catalog tbody tr:has(td)")
    assert len(rows) == described.entries.count()
    first = rows[0].find_all("td")
    assert first[1].get_text(strip=True) == described.entries.first().title
    assert first[2].get_text(strip=True) == "Party members only"
    assert "Meeting" in first[3].get_text()
    assert soup.find("a", href=described.subpage_url("request"))
    # The catalog, not the items: no item of any scope is named.
    for word in ("SECRETWORD", "OPENWORD", "DRAFTWORD"):
        assert word not in response.content.decode()


def test_guide_is_in_chinese_and_printable(client, described):
    response = client.get(described.subpage_url("guide"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    soup = soup_of(response)
    assert soup.h1.get_text(strip=True) == "公开指南"
    assert "15个工作日" in soup.main.get_text()
    assert soup.find("body")["class"] == ["dangwu-guide"]  # the print rules' hook
    assert soup.find("button", class_="dangwu-print-button")


def test_column_page_links_its_guide_and_archive(client, school_a):
    soup = soup_of(client.get(school_a.url))
    links = {a["href"] for a in soup.select(".dangwu-open-data a")}
    assert {school_a.subpage_url("guide"), school_a.subpage_url("archive")} <= links


def test_guide_texts_are_edited_in_the_columns_editor(client, school_a, users):
    from django.urls import reverse

    client.force_login(users["superuser"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[school_a.pk])).content.decode()
    assert 'name="guide_intro"' in html and 'name="guide_closing"' in html
    assert 'name="organisation_code"' in html and 'name="share_image"' in html


# Item metadata ---------------------------------------------------------------------------------


def test_index_number_is_given_at_first_publish_and_kept(school_a, items_a):
    assert items_a["draft"].index_number == ""
    code = school_a.reference_code
    assert items_a["internal"].index_number == f"{code}-2026-01-0001"
    assert items_a["public"].index_number == f"{code}-2026-05-0001"

    second = add_item(school_a, "Second of entry 5", number=5)
    assert second.index_number == f"{code}-2026-05-0002"
    # Another year starts again; an edited and republished item keeps its number.
    earlier = add_item(school_a, "Of 2025", number=5, formed_on=datetime.date(2025, 4, 1))
    assert earlier.index_number == f"{code}-2025-05-0001"
    item = DisclosureItem.objects.get(pk=second.pk)
    item.title = "Second, edited"
    item.formed_on = datetime.date(2024, 1, 1)
    item.save_revision().publish()
    assert DisclosureItem.objects.get(pk=second.pk).index_number == f"{code}-2026-05-0002"
    # A deleted item's number is not given again.
    DisclosureItem.objects.get(pk=second.pk).delete()
    assert add_item(school_a, "Third", number=5).index_number == f"{code}-2026-05-0003"


def test_index_number_uses_the_organisation_code(school_a, items_a):
    school_a.organisation_code = "12310000MB0123456X"
    school_a.save_revision().publish()
    item = add_item(school_a, "Coded", number=8)
    assert item.index_number == "12310000MB0123456X-2026-08-0001"
    # Numbers already given stay as they are.
    assert DisclosureItem.objects.get(pk=items_a["public"].pk).index_number.startswith(
        f"{school_a.reference_code}-"
    )


def test_a_draft_published_later_gets_its_number_then(school_a, items_a):
    draft = DisclosureItem.objects.get(pk=items_a["draft"].pk)
    draft.save_revision().publish()
    assert DisclosureItem.objects.get(pk=draft.pk).index_number == (
        f"{school_a.reference_code}-2026-08-0001"
    )


def test_a_copy_gets_a_number_of_its_own(school_a, items_a):
    item = DisclosureItem.objects.get(pk=items_a["public"].pk)
    copy = item.copy(update_attrs={"slug": "copied", "title": "Copied"}, keep_live=False)
    copy = DisclosureItem.objects.get(pk=copy.pk)
    assert copy.index_number == ""
    copy.save_revision().publish()
    assert (
        DisclosureItem.objects.get(pk=copy.pk).index_number
        == f"{school_a.reference_code}-2026-05-0002"
    )


def test_metadata_is_validated(school_a):
    from django.core.exceptions import ValidationError

    entry = school_a.entries.get(number=5)
    cases = [
        ({"validity": "repealed"}, "repealed_on"),
        ({"repealed_on": datetime.date(2026, 10, 1)}, "repealed_on"),
        ({"validity": "repealed", "repealed_on": datetime.date(2020, 1, 1)}, "repealed_on"),
    ]
    for fields, field in cases:
        item = DisclosureItem(
            title="Bad", slug="bad", entry=entry, formed_on=datetime.date(2026, 9, 1), **fields
        )
        with pytest.raises(ValidationError) as error:
            item.clean()
        assert field in error.value.message_dict


@pytest.fixture
def repealed(school_a):
    return add_item(
        school_a,
        "Repealed rules",
        number=8,
        document_number="A党发〔2026〕3号",
        publisher="A中学党委办公室",
        validity="repealed",
        repealed_on=datetime.date(2026, 11, 30),
    )


def test_item_page_shows_its_metadata(client, school_a, repealed, items_a):
    soup = soup_of(client.get(repealed.url))
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in soup.select("dl.dangwu-item-facts dt")
    }
    assert facts["Index number"] == f"{school_a.reference_code}-2026-08-0001"
    assert facts["Document number"] == "A党发〔2026〕3号"
    assert facts["Publishing organisation"] == "A中学党委办公室"
    assert facts["Validity"] == "Repealed on 2026-11-30"
    public = soup_of(client.get(items_a["public"].url))
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in public.select("dl.dangwu-item-facts dt")
    }
    assert facts["Publishing organisation"] == "A中学党委"  # the column's, by default
    assert facts["Validity"] == "In force"
    chinese = client.get(repealed.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for words in ("索引号", "文号", "发布机构", "已于2026-11-30废止"):
        assert words in chinese


def test_entry_list_shows_index_and_document_numbers(client, school_a, repealed):
    pages = [
        (school_a.url, f"entry-{repealed.entry_id}"),
        (school_a.subpage_url("entry", repealed.entry_id), "main"),
    ]
    for url, listing in pages:
        soup = soup_of(client.get(url))
        entry_item = soup.find(id=listing).find("a", string="Repealed rules").parent
        meta = entry_item.find(class_="dangwu-item-meta").get_text(" ", strip=True)
        assert repealed.index_number in meta and "A党发〔2026〕3号" in meta and "Repealed" in meta


def test_json_export_and_feeds_carry_the_metadata(client, school_a, repealed, items_a):
    data = json.loads(client.get(school_a.subpage_url("export")).content)
    [row] = [item for item in data["items"] if item["title"] == "Repealed rules"]
    assert row["index_number"] == repealed.index_number
    assert row["document_number"] == "A党发〔2026〕3号"
    assert row["publisher"] == "A中学党委办公室"
    assert row["validity"] == "repealed" and row["repealed_on"] == "2026-11-30"
    [public] = [item for item in data["items"] if item["title"] == "Public OPENWORD plan"]
    assert public["publisher"] == "A中学党委" and public["validity"] == "in_force"
    assert public["document_number"] == "" and public["repealed_on"] is None

    for url in (
        school_a.subpage_url("feed"),
        school_a.subpage_url("entry_feed", repealed.entry_id),
        "/members/feed/",
    ):
        text = client.get(url).content.decode()
        assert f"<dangwu:indexNumber>{repealed.index_number}</dangwu:indexNumber>" in text
        assert "<dangwu:documentNumber>A党发〔2026〕3号</dangwu:documentNumber>" in text
        assert "<dangwu:validity>repealed</dangwu:validity>" in text
        assert "<dangwu:repealedOn>2026-11-30</dangwu:repealedOn>" in text
        assert "<name>A中学党委办公室</name>" in text


# The archive by year ---------------------------------------------------------------------------


@pytest.fixture
def years(school_a, items_a):
    add_item(school_a, "Public of 2024", number=5, formed_on=datetime.date(2024, 5, 1))
    add_item(school_a, "Internal of 2023 HIDDENYEAR", number=1, formed_on=datetime.date(2023, 5, 1))


def year_links(soup):
    return [a.get_text(strip=True) for a in soup.select("nav.dangwu-years a")]


@pytest.mark.parametrize("reader", OUTSIDERS)
def test_an_outsiders_archive_has_public_items_and_their_years(school_a, years, users, reader):
    client = client_for(users, reader)
    soup = soup_of(client.get(school_a.subpage_url("archive")))
    assert year_links(soup) == ["2026", "2024"]
    assert [a.get_text() for a in soup.select("main ul.dangwu-items > li > a")] == [
        "Public OPENWORD plan"
    ]
    soup = soup_of(client.get(school_a.subpage_url("archive_year", 2024)))
    assert [a.get_text() for a in soup.select("main ul.dangwu-items > li > a")] == [
        "Public of 2024"
    ]
    # A year with internal items only is as unknown as a year without any.
    hidden = client.get(school_a.subpage_url("archive_year", 2023))
    unknown = client.get(school_a.subpage_url("archive_year", 1999))
    assert hidden.status_code == unknown.status_code == 404
    assert "HIDDENYEAR" not in hidden.content.decode()
    for year in (2026, 2024):
        text = client.get(school_a.subpage_url("archive_year", year)).content.decode()
        assert "SECRETWORD" not in text and "HIDDENYEAR" not in text and "2023" not in text


def test_an_insiders_archive_has_every_year(school_a, years, users):
    client = client_for(users, "member_a")
    soup = soup_of(client.get(school_a.subpage_url("archive_year", 2023)))
    assert year_links(soup) == ["2026", "2024", "2023"]
    assert "Internal of 2023 HIDDENYEAR" in soup.main.get_text()
    soup = soup_of(client.get(school_a.subpage_url("archive")))
    assert {"Public OPENWORD plan", "Internal SECRETWORD minutes"} <= {
        a.get_text() for a in soup.select("main ul.dangwu-items > li > a")
    }


def test_an_empty_archive_says_so(client, school_b):
    soup = soup_of(client.get(school_b.subpage_url("archive")))
    assert year_links(soup) == []
    assert "Nothing disclosed yet." in soup.main.get_text()


# A feed per entry ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", [*OUTSIDERS, *INSIDERS])
def test_each_entry_has_a_feed_of_its_public_items(school_a, items_a, users, reader):
    client = client_for(users, reader)
    add_item(school_a, "Second public of 5", number=5)
    add_item(school_a, "Internal filed under 5 HIDDENFIVE", number=5, scope=Scope.INTERNAL)
    public = school_a.entries.get(number=5)
    response = client.get(school_a.subpage_url("entry_feed", public.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert "Public OPENWORD plan" in text and "Second public of 5" in text
    assert "HIDDENFIVE" not in text and "SECRETWORD" not in text

    internal = school_a.entries.get(number=1)
    text = client.get(school_a.subpage_url("entry_feed", internal.pk)).content.decode()
    assert "<entry>" not in text and "SECRETWORD" not in text


def test_entry_page_links_its_feed(client, school_a):
    entry = school_a.entries.get(number=5)
    soup = soup_of(client.get(school_a.subpage_url("entry", entry.pk)))
    feed = school_a.subpage_url("entry_feed", entry.pk)
    assert soup.find("link", rel="alternate", type="application/atom+xml")["href"] == feed
    assert soup.find("a", href=feed)


def test_an_unknown_entrys_feed_is_not_found(client, school_a, school_b):
    other = school_b.entries.first()
    assert client.get(school_a.subpage_url("entry_feed", other.pk)).status_code == 404


# Open Graph ---------------------------------------------------------------------------------------


def test_column_and_public_item_pages_carry_a_card(client, school_a, items_a):
    tags = og(soup_of(client.get(school_a.url)))
    assert tags["og:title"] == school_a.title
    assert tags["og:type"] == "website"
    assert tags["og:url"] == "http://localhost" + school_a.url
    assert tags["og:image"].startswith("http://localhost/")
    assert tags["og:image"].endswith("dangwu_wagtail/img/share.png")
    assert "A中学党委" in tags["og:description"]

    item = items_a["public"]
    tags = og(soup_of(client.get(item.url)))
    assert tags["og:title"] == item.title
    assert tags["og:type"] == "article"
    assert tags["og:description"] == "OPENWORD body"
    assert tags["og:url"] == "http://localhost" + item.url


def test_a_columns_own_share_image(client, school_a):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Badge", file=get_test_image_file())
    school_a.share_image = image
    school_a.save_revision().publish()
    tags = og(soup_of(client.get(school_a.url)))
    assert tags["og:image"].startswith("http://localhost/")
    assert "/images/" in tags["og:image"] and "share.png" not in tags["og:image"]


@pytest.mark.parametrize("reader", OUTSIDERS)
def test_an_internal_items_card_is_never_shown_to_an_outsider(school_a, items_a, users, reader):
    response = client_for(users, reader).get(items_a["internal"].url)
    assert response.status_code in (302, 403, 404)
    text = response.content.decode()
    assert "SECRETWORD" not in text and "og:title" not in text


@pytest.mark.parametrize("reader", INSIDERS)
def test_an_internal_items_card_is_for_insiders_and_never_kept_by_a_shared_cache(
    school_a, items_a, users, reader
):
    response = client_for(users, reader).get(items_a["internal"].url)
    tags = og(soup_of(response))
    assert tags["og:title"] == "Internal SECRETWORD minutes"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_editors_give_the_metadata_in_the_items_form(client, school_a, users):
    from django.urls import reverse

    from tests.test_admin import item_form_data

    client.force_login(users["superuser"])
    entry = school_a.entries.get(number=8)
    url = reverse("wagtailadmin_pages:add", args=("dangwu_wagtail", "disclosureitem", school_a.pk))
    fields = {"document_number": "A党发〔2026〕9号", "validity": "repealed", "repealed_on": ""}
    response = client.post(url, item_form_data(entry, **fields))
    assert response.status_code == 200
    assert "repealed_on" in response.context["form"].errors
    assert not DisclosureItem.objects.filter(title="Branch meeting minutes").exists()

    fields["repealed_on"] = "2026-10-30"
    response = client.post(url, item_form_data(entry, **fields, **{"action-publish": "1"}))
    assert response.status_code == 302
    item = DisclosureItem.objects.get(title="Branch meeting minutes")
    assert (
        item.document_number == "A党发〔2026〕9号" and item.repealed_on.isoformat() == "2026-10-30"
    )
    assert item.publisher == "A中学党委"
    assert item.index_number == f"{school_a.reference_code}-2026-08-0001"
    # A form without the field keeps the item in force.
    response = client.post(url, item_form_data(entry, slug="second", **{"action-publish": "1"}))
    assert response.status_code == 302
    assert DisclosureItem.objects.get(slug="second").validity == "in_force"


def test_the_migration_numbers_the_items_already_published(school_a, items_a):
    import importlib

    from django.apps import apps

    from dangwu_wagtail.models import IndexSequence

    migration = importlib.import_module("dangwu_wagtail.migrations.0012_column_item_metadata")
    older = add_item(school_a, "Published before", number=5, formed_on=datetime.date(2026, 1, 5))
    # As a site upgraded from 0011 has them: published, without number or publisher.
    DisclosureItem.objects.update(index_number="", publisher="")
    IndexSequence.objects.all().delete()

    migration.number_published_items(apps, None)

    code = school_a.reference_code
    numbers = dict(DisclosureItem.objects.values_list("title", "index_number"))
    # In the order they were first published, whatever their dates.
    assert numbers["Public OPENWORD plan"] == f"{code}-2026-05-0001"
    assert numbers[older.title] == f"{code}-2026-05-0002"
    assert numbers["Internal SECRETWORD minutes"] == f"{code}-2026-01-0001"
    assert numbers["Draft DRAFTWORD notice"] == ""
    assert set(DisclosureItem.objects.filter(live=True).values_list("publisher", flat=True)) == {
        "A中学党委"
    }
    # Items published afterwards go on from there.
    assert add_item(school_a, "After", number=5).index_number == f"{code}-2026-05-0003"

"""The public pages: what a reader sees on a Catalog and on a DisclosureItem."""

import datetime

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from dangwu_wagtail.models import Scope
from tests.conftest import add_item


def test_catalog_page_shows_the_catalog_and_contact_information(client, school_a):
    school_a.contact_person = "王老师"
    school_a.contact_phone = "021-12345678"
    school_a.reception_place = "行政楼 201 室"
    school_a.reception_hours = "每周三 14:00–16:00"
    school_a.save_revision().publish()

    response = client.get(school_a.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and school_a.title in html
    # Categories, subcategories, numbered entries with their scope and timing.
    for text in [
        "党组织的决议、决定及执行情况",
        "执行中央方针政策，上级党组织决议、决定和工作部署等情况",
        "贯彻落实上级党组织重大决策、重要部署、指示精神的情况",
        "党费收缴、管理和使用",
        "其他自选公开事项",
        "Party members only",
        "Public",
        "Immediate",
        "Periodic",
        "Periodic (Yearly)",
        "Meeting, Document, Restricted platform",
    ]:
        assert text in html, text
    for text in ["王老师", "021-12345678", "行政楼 201 室", "每周三 14:00–16:00"]:
        assert text in html, text
    # The host's base template is used.
    assert 'class="dangwu-catalog"' in html


def test_catalog_page_lists_only_items_the_reader_may_see(client, school_a, items_a, users):
    anonymous = client.get(school_a.url).content.decode()
    assert items_a["public"].title in anonymous
    assert items_a["internal"].title not in anonymous
    assert items_a["draft"].title not in anonymous

    client.force_login(users["member_a"])
    member = client.get(school_a.url).content.decode()
    assert items_a["public"].title in member
    assert items_a["internal"].title in member
    assert items_a["draft"].title not in member

    client.force_login(users["member_b"])
    other_school = client.get(school_a.url).content.decode()
    assert items_a["public"].title in other_school
    assert items_a["internal"].title not in other_school


def test_items_are_listed_under_their_entry_newest_first(client, school_a):
    add_item(school_a, "Older study", number=5, formed_on=datetime.date(2025, 3, 1))
    add_item(school_a, "Newer study", number=5, formed_on=datetime.date(2026, 3, 1))
    html = client.get(school_a.url).content.decode()
    # The catalog, after the list of the newest items.
    html = html[html.index('id="catalog-heading"') :]
    entry_5 = html.index("创建学习型党组织")
    assert entry_5 < html.index("Newer study") < html.index("Older study")
    assert html.index("Older study") < html.index("党内各项主题实践活动")


def test_item_page_shows_item_entry_dates_attachments_and_tags(client, school_a):
    document = get_document_model().objects.create(
        title="Study plan", file=ContentFile(b"plan", name="plan.pdf")
    )
    item = add_item(
        school_a,
        "2026 study plan",
        number=5,
        body="<p>The plan for the year.</p>",
        formed_on=datetime.date(2026, 2, 20),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    item.attachments.create(document=document, title="")
    item.tags.add("学习")
    item.save_revision().publish()

    response = client.get(item.url)

    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "2026 study plan",
        "5. 创建学习型党组织",
        "Public",
        "2026-02-20",
        "2026-01-01",
        "2026-12-31",
        "The plan for the year.",
        "Study plan",
        document.url,
        "学习",
        school_a.title,
    ]:
        assert text in html, text


def test_internal_item_page_sends_anonymous_readers_to_log_in(client, items_a):
    response = client.get(items_a["internal"].url)
    assert response.status_code == 302
    assert response["Location"].startswith("/members/login/?next=")
    assert items_a["internal"].title not in response.content.decode()


@pytest.mark.parametrize(
    "reader, status",
    [
        ("member_a", 200),
        ("editor_a", 200),
        ("reviewer_a", 200),
        ("supervisor", 200),
        ("superuser", 200),
        ("member_b", 404),
        ("editor_b", 404),
    ],
)
def test_internal_item_page_by_reader(client, items_a, users, reader, status):
    client.force_login(users[reader])
    response = client.get(items_a["internal"].url)
    assert response.status_code == status
    assert (items_a["internal"].title in response.content.decode()) == (status == 200)


def test_draft_item_page_is_not_found(client, items_a, users):
    client.force_login(users["superuser"])
    assert items_a["draft"].url and client.get(items_a["draft"].url).status_code == 404


def test_item_scope_defaults_to_its_entrys(school_a):
    internal_entry = school_a.entries.get(number=1)
    public_entry = school_a.entries.get(number=5)
    open_entry = school_a.entries.get(title="其他自选公开事项")
    assert add_item(school_a, "i", entry=internal_entry).scope == Scope.INTERNAL
    assert add_item(school_a, "p", entry=public_entry).scope == Scope.PUBLIC
    # An entry that names no scope makes its items internal: the safe default.
    assert add_item(school_a, "o", entry=open_entry).scope == Scope.INTERNAL
    assert add_item(school_a, "x", entry=internal_entry, scope=Scope.PUBLIC).scope == Scope.PUBLIC

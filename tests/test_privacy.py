"""The privacy rule over the full matrix: reader × item scope × channel.

Readers: anonymous, a member, editor and reviewer of school A, a member and an editor of
school B, a district supervisor, a superuser. Items of school A: internal, public, draft.
Channels: the item's URL, the column's page, its entry pages and search, its feed, the host's
stock search, sitemap.xml, the Wagtail API v2, documents, and HTTP caching.
"""

import datetime
import json

import pytest
import swapper
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model

from dangwu_wagtail.models import DisclosureItem, Scope
from tests.conftest import USERNAMES, add_item

Page = swapper.load_model("wagtailcore", "Page")

READERS = ["anonymous", *USERNAMES]
#: Who may read school A's internal items.
INSIDERS = {"member_a", "editor_a", "reviewer_a", "supervisor", "superuser"}
SCOPES = ["internal", "public", "draft"]


def may_see(reader, scope):
    if scope == "draft":
        return False
    return scope == "public" or reader in INSIDERS


@pytest.fixture
def words(items_a):
    return items_a


WORD = {"internal": "SECRETWORD", "public": "OPENWORD", "draft": "DRAFTWORD"}


@pytest.fixture
def reader_client(client, users):
    def login(reader):
        if reader != "anonymous":
            client.force_login(users[reader])
        return client

    return login


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("scope", SCOPES)
def test_item_url(reader_client, words, reader, scope):
    item = words[scope]
    response = reader_client(reader).get(item.url)
    if may_see(reader, scope):
        assert response.status_code == 200
        assert item.title in response.content.decode()
    else:
        assert item.title not in response.content.decode()
        assert WORD[scope] not in response.content.decode()
        if reader == "anonymous" and scope == "internal":
            assert response.status_code == 302
            assert response["Location"].startswith("/members/login/?next=")
        else:
            assert response.status_code == 404


@pytest.mark.parametrize("reader", READERS)
def test_catalog_page_and_entry_pages(reader_client, school_a, words, reader):
    client = reader_client(reader)
    catalog = client.get(school_a.url)
    assert catalog.status_code == 200
    html = catalog.content.decode()
    for scope in SCOPES:
        assert (words[scope].title in html) == may_see(reader, scope), scope
    # Nothing of a hidden item in the <title> or meta tags either: they name the column only.
    assert "SECRETWORD" not in html.split("</head>")[0]

    for scope in SCOPES:
        entry_url = school_a.subpage_url("entry", words[scope].entry_id)
        response = client.get(entry_url)
        assert response.status_code == 200
        assert (words[scope].title in response.content.decode()) == may_see(reader, scope)


@pytest.mark.parametrize("reader", READERS)
def test_counts_pagination_and_neighbours_hide_internal_items(reader_client, school_a, reader):
    """Seven items under one entry: four internal, three public, interleaved by date."""
    entry = school_a.entries.get(number=2)
    items = [
        add_item(
            school_a,
            f"{'Hidden' if n % 2 == 0 else 'Shown'} item {n}",
            entry=entry,
            scope=Scope.INTERNAL if n % 2 == 0 else Scope.PUBLIC,
            formed_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(7)
    ]
    client = reader_client(reader)
    insider = reader in INSIDERS
    visible = [i for i in items if insider or i.scope == Scope.PUBLIC]

    catalog_html = client.get(school_a.url).content.decode()
    more = f"All {len(visible)} items of"
    # The count and the "all items" link tell of the items this reader may see only.
    assert (more in catalog_html) == (len(visible) > school_a.items_per_entry)
    assert "All 7 items" not in catalog_html or insider
    for item in items:
        if item not in visible:
            assert item.title not in catalog_html

    # Newer/older links on a public item lead only to items this reader may see.
    middle = items[3]  # public
    html = client.get(middle.url).content.decode()
    assert (items[2].title in html) == insider
    assert (items[4].title in html) == insider
    if not insider:
        assert items[1].title in html and items[5].title in html


@pytest.mark.parametrize("reader", READERS)
def test_column_search(reader_client, school_a, words, reader):
    client = reader_client(reader)
    for scope in SCOPES:
        url = school_a.subpage_url("search") + f"?q={WORD[scope]}"
        html = client.get(url).content.decode()
        assert (words[scope].title in html) == may_see(reader, scope), scope


@pytest.mark.parametrize("reader", READERS)
def test_host_stock_search_finds_public_items_only(reader_client, words, reader):
    client = reader_client(reader)
    for scope in SCOPES:
        html = client.get(f"/search/?query={WORD[scope]}").content.decode()
        # The stock view searches Page.objects.live() without .public(): only the index
        # keeps internal items out of it, for every reader.
        assert (words[scope].title in html) == (scope == "public"), scope
    assert not Page.objects.live().search("SECRETWORD")


@pytest.mark.parametrize("reader", READERS)
def test_sitemap_lists_public_items_only(reader_client, words, reader):
    xml = reader_client(reader).get("/sitemap.xml").content.decode()
    assert words["public"].url in xml
    assert words["internal"].url not in xml
    assert words["draft"].url not in xml
    assert "/internal/" not in xml


@pytest.mark.parametrize("reader", READERS)
def test_api_v2(reader_client, words, reader):
    """The API applies the section's view restriction: it lists an internal item to those
    the rule lets read it, and to nobody else."""
    client = reader_client(reader)
    for url in ["/api/v2/pages/?limit=100", "/api/v2/pages/?type=dangwu_wagtail.DisclosureItem"]:
        response = client.get(url)
        assert response.status_code == 200
        ids = {row["id"] for row in json.loads(response.content)["items"]}
        assert words["public"].pk in ids
        assert words["draft"].pk not in ids
        assert (words["internal"].pk in ids) == may_see(reader, "internal")
        assert ("SECRETWORD" in response.content.decode()) == may_see(reader, "internal")
    internal_status = 200 if may_see(reader, "internal") else 404
    assert client.get(f"/api/v2/pages/{words['internal'].pk}/").status_code == internal_status
    assert client.get(f"/api/v2/pages/{words['public'].pk}/").status_code == 200


@pytest.mark.parametrize("reader", READERS)
def test_feed_carries_public_items_only(reader_client, school_a, words, reader):
    response = reader_client(reader).get(school_a.subpage_url("feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert words["public"].title in xml
    assert "SECRETWORD" not in xml and "DRAFTWORD" not in xml


@pytest.fixture
def attachments(school_a, words):
    """A document attached to the internal item and one attached to the public item."""
    Document = get_document_model()
    documents = {}
    for scope in ("internal", "public"):
        document = Document.objects.create(
            title=f"{scope} attachment",
            collection=school_a.collection,
            file=ContentFile(f"{WORD[scope]} file".encode(), name=f"{scope}.txt"),
        )
        item = words[scope]
        item.attachments.create(document=document)
        item.save_revision().publish()
        documents[scope] = Document.objects.get(pk=document.pk)
    return documents


@pytest.mark.parametrize("reader", READERS)
def test_documents(reader_client, attachments, school_a, reader):
    client = reader_client(reader)
    # An internal item's document was moved into the school's internal collection.
    assert attachments["internal"].collection_id == school_a.internal_collection_id
    response = client.get(attachments["internal"].url)
    if reader in INSIDERS:
        assert response.status_code == 200
        assert b"SECRETWORD" in b"".join(response.streaming_content)
    else:
        assert response.status_code in (302, 404)
        assert b"SECRETWORD" not in response.content
    public = client.get(attachments["public"].url)
    assert public.status_code == 200


def test_document_of_an_internal_item_is_refused_even_outside_the_internal_collection(
    client, attachments, school_a, users
):
    # Moved back by hand: the add-on's own check still refuses it.
    document = attachments["internal"]
    document.collection = school_a.collection
    document.save()
    assert client.get(document.url).status_code == 302
    client.force_login(users["member_b"])
    assert client.get(document.url).status_code == 404


@pytest.mark.parametrize("reader", READERS)
def test_cache_headers(reader_client, school_a, words, reader):
    client = reader_client(reader)
    catalog = client.get(school_a.url)
    assert "Cookie" in catalog["Vary"]
    # Shared caches keep the anonymous version only; every logged-in reader's is private.
    logged_in = reader != "anonymous"
    assert ("public" in catalog["Cache-Control"]) == (not logged_in)
    assert ("no-store" in catalog["Cache-Control"]) == logged_in
    if reader in INSIDERS:
        item = client.get(words["internal"].url)
        assert "private" in item["Cache-Control"] and "no-store" in item["Cache-Control"]


def anonymous_traces(client, school_a, item, word):
    """Every channel on which an anonymous visitor could learn of ``item``."""
    traces = []
    if client.get(item.url).status_code == 200:
        traces.append("item url")
    checks = {
        "catalog": school_a.url,
        "column search": school_a.subpage_url("search") + f"?q={word}",
        "feed": school_a.subpage_url("feed"),
        "stock search": f"/search/?query={word}",
        "sitemap": "/sitemap.xml",
        "api": "/api/v2/pages/?limit=100",
    }
    for channel, url in checks.items():
        body = client.get(url).content.decode()
        if item.title in body or (channel == "sitemap" and item.url in body):
            traces.append(channel)
    return traces


def test_turning_a_public_item_internal_takes_effect_at_once(client, school_a, words):
    item = words["public"]
    assert len(anonymous_traces(client, school_a, item, "OPENWORD")) == 7

    item.scope = Scope.INTERNAL
    item.save_revision().publish()
    item = DisclosureItem.objects.get(pk=item.pk)

    assert item.get_parent().specific == school_a.internal_section
    assert anonymous_traces(client, school_a, item, "OPENWORD") == []
    response = client.get(item.url)
    assert response.status_code == 302


def test_turning_an_internal_item_public_moves_it_out_after_publishing(client, school_a, words):
    item = words["internal"]
    item.scope = Scope.PUBLIC
    revision = item.save_revision()
    # A draft that makes it public changes nothing yet.
    assert anonymous_traces(client, school_a, item, "SECRETWORD") == []
    revision.publish()
    item = DisclosureItem.objects.get(pk=item.pk)
    assert item.get_parent().pk == school_a.pk
    assert len(anonymous_traces(client, school_a, item, "SECRETWORD")) == 7


def test_a_draft_making_a_public_item_internal_changes_nothing_until_published(
    client, school_a, words
):
    item = words["public"]
    item.scope = Scope.INTERNAL
    item.save_revision()  # submitted, not yet published
    item = DisclosureItem.objects.get(pk=item.pk)
    # The live version is public and stays where it is, on every channel.
    assert item.get_parent().pk == school_a.pk and item.scope == Scope.PUBLIC
    assert len(anonymous_traces(client, school_a, item, "OPENWORD")) == 7


def test_unpublishing_takes_effect_at_once(client, school_a, words):
    item = words["public"]
    item.unpublish()
    item = DisclosureItem.objects.get(pk=item.pk)
    assert anonymous_traces(client, school_a, item, "OPENWORD") == []
    assert client.get(item.url).status_code == 404


def test_expiry_takes_effect_when_publish_scheduled_runs(client, school_a, words):
    item = words["public"]
    item.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    item.save()
    call_command("publish_scheduled")
    item = DisclosureItem.objects.get(pk=item.pk)
    assert item.expired and not item.live
    assert anonymous_traces(client, school_a, item, "OPENWORD") == []


def test_items_cannot_move_to_another_school(school_a, school_b, words):
    for item in (words["internal"], words["public"]):
        assert not item.can_move_to(school_b)
        assert not item.can_move_to(school_b.internal_section)
    assert words["public"].can_move_to(school_a.internal_section)


def test_admin_move_to_another_school_is_refused(client, school_a, school_b, words, users):
    from django.urls import reverse

    client.force_login(users["superuser"])
    item = words["internal"]
    url = reverse("wagtailadmin_pages:move_confirm", args=(item.pk, school_b.pk))
    client.post(url)
    assert DisclosureItem.objects.get(pk=item.pk).get_parent().pk == school_a.internal_section_id


@pytest.mark.parametrize(
    "item_scope, destination, allowed",
    [
        ("internal", "b_catalog", False),
        ("internal", "b_section", False),
        ("internal", "a_catalog", False),
        ("internal", "a_section", True),
        ("public", "b_catalog", False),
        ("public", "a_catalog", True),
    ],
)
def test_admin_copy_keeps_items_in_their_column(
    client, school_a, school_b, words, users, item_scope, destination, allowed
):
    from django.urls import reverse

    targets = {
        "a_catalog": school_a,
        "a_section": school_a.internal_section,
        "b_catalog": school_b,
        "b_section": school_b.internal_section,
    }
    client.force_login(users["superuser"])
    item = words[item_scope]
    before = DisclosureItem.objects.count()
    client.post(
        reverse("wagtailadmin_pages:copy", args=(item.pk,)),
        {
            "new_title": "Copy",
            "new_slug": "copy-of-item",
            "new_parent_page": str(targets[destination].pk),
            "publish_copies": "on",
        },
    )
    assert (DisclosureItem.objects.count() == before + 1) == allowed
    copies = DisclosureItem.objects.filter(slug="copy-of-item")
    for copy in copies:
        assert copy.scope == item.scope
        assert copy.get_parent().pk in (school_a.pk, school_a.internal_section_id)


def test_live_internal_item_cannot_be_created_outside_the_section(school_a):
    from django.core.exceptions import ValidationError

    item = DisclosureItem(title="Misfiled", entry=school_a.entries.get(number=1), live=True)
    with pytest.raises(ValidationError, match="internal section"):
        school_a.add_child(instance=item)


@pytest.mark.parametrize(
    "method, warned", [("serve_view", False), ("direct", True), ("redirect", True)]
)
def test_system_check_warns_when_documents_bypass_the_serve_view(settings, method, warned):
    from dangwu_wagtail.checks import check_document_serving

    settings.WAGTAILDOCS_SERVE_METHOD = method
    warnings = check_document_serving(None)
    assert [w.id for w in warnings] == (["dangwu_wagtail.W001"] if warned else [])


def test_changing_a_schools_groups_updates_its_view_restrictions(school_a, users):
    from django.contrib.auth.models import Group
    from wagtail.models import CollectionViewRestriction, PageViewRestriction

    new_members = Group.objects.create(name="A new members")
    school_a.members_group = new_members
    school_a.save_revision().publish()

    for restriction in (
        PageViewRestriction.objects.get(page=school_a.internal_section),
        CollectionViewRestriction.objects.get(collection=school_a.internal_collection),
    ):
        names = set(restriction.groups.values_list("name", flat=True))
        assert "A new members" in names
        assert school_a.editors_group.name in names
        assert all(name != f"{school_a.organisation_name} members" for name in names)

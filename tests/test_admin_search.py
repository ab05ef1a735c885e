"""Internal items and drafts in Wagtail's admin search, on SQLite and PostgreSQL.

A school's editors and reviewers (and superusers, supervisors where the admin lets them
search) find their own school's internal items and drafts, by any Chinese word of the title
or body, in the admin's page search, the explorer's search within a page and the page
chooser. No one else finds them there, and no search outside those three (the stock search
view, ``Page.objects.search()``, autocomplete outside the admin, API v2 and v3) finds an
internal item or a draft, whatever the index holds.
"""

import pytest
import swapper
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import APIToken

from dangwu_wagtail.models import DisclosureItem, Scope
from tests.conftest import add_item, make_user

Page = swapper.load_model("wagtailcore", "Page")

INTERNAL_TITLE = "党内组织生活会安排"
INTERNAL_BODY = "<p>本次会议专题研究廉政风险防控措施。</p>"
DRAFT_TITLE = "拟定党员发展计划草案"
DRAFT_BODY = "<p>草案列出入党积极分子培养考察的步骤。</p>"
PUBLIC_DRAFT_TITLE = "校园文化建设方案征求意见稿"
PUBLIC_DRAFT_BODY = "<p>征求师生对书香校园活动的意见。</p>"

#: A word of each item's body (none of it in its title) and of its title.
BODY_WORDS = {"internal": "风险防控", "draft": "积极分子", "public_draft": "书香校园"}
TITLE_WORDS = {"internal": "组织生活会", "draft": "发展计划", "public_draft": "文化建设"}
TITLES = {"internal": INTERNAL_TITLE, "draft": DRAFT_TITLE, "public_draft": PUBLIC_DRAFT_TITLE}
BODIES = {
    key: body[3:-4]
    for key, body in {
        "internal": INTERNAL_BODY,
        "draft": DRAFT_BODY,
        "public_draft": PUBLIC_DRAFT_BODY,
    }.items()
}

STAFF = ["editor_a", "reviewer_a", "superuser"]
OUTSIDERS = ["anonymous", "member_a", "member_b", "editor_b", "host_editor", "host_moderator"]


@pytest.fixture
def hidden_items(school_a):
    """School A's internal item (live), internal draft (never published) and public draft."""
    items = {
        "internal": add_item(school_a, INTERNAL_TITLE, number=1, body=INTERNAL_BODY),
        "draft": add_item(school_a, DRAFT_TITLE, number=1, live=False, body=DRAFT_BODY),
        "public_draft": add_item(
            school_a, PUBLIC_DRAFT_TITLE, number=8, live=False, body=PUBLIC_DRAFT_BODY
        ),
    }
    assert items["internal"].live and items["internal"].scope == Scope.INTERNAL
    assert not items["draft"].live and items["draft"].scope == Scope.INTERNAL
    assert not items["public_draft"].live and items["public_draft"].scope == Scope.PUBLIC
    return items


def person(request, users, name):
    """A logged-in client for ``name`` (``anonymous``: none)."""
    client = Client()
    if name == "anonymous":
        return client
    if name in ("host_editor", "host_moderator"):
        group = {"host_editor": "Editors", "host_moderator": "Moderators"}[name]
        user = make_user(name, Group.objects.get(name=group))
    else:
        user = users[name]
    client.force_login(user)
    return client


def admin_searches(client, school, query):
    """The admin's three page searches' answers to ``query``: (name, status, html)."""
    answers = []
    for name, url in [
        ("page search", reverse("wagtailadmin_pages:search")),
        ("page search results", reverse("wagtailadmin_pages:search_results")),
        ("explorer", reverse("wagtailadmin_explore", args=[school.pk])),
        ("chooser", reverse("wagtailadmin_choose_page_search")),
    ]:
        response = client.get(url, {"q": query})
        answers.append((name, response.status_code, response.content.decode()))
    return answers


def stock_results(query):
    """What searches outside the admin find: the stock view's, the host's own."""
    pages = Page.objects
    return {
        "live": {p.pk for p in pages.live().search(query)},
        "live public": {p.pk for p in pages.live().public().search(query)},
        "all": {p.pk for p in pages.search(query)},
        "items": {p.pk for p in DisclosureItem.objects.search(query)},
        "autocomplete": {p.pk for p in pages.live().autocomplete(query)},
        "autocomplete all": {p.pk for p in pages.autocomplete(query)},
    }


# Staff find their own school's internal items and drafts ---------------------------------------


@pytest.mark.parametrize("name", STAFF)
@pytest.mark.parametrize("key", ["internal", "draft", "public_draft"])
@pytest.mark.parametrize("where", ["body", "title"])
def test_a_schools_staff_find_its_internal_items_and_drafts(
    request, users, school_a, hidden_items, name, key, where
):
    client = person(request, users, name)
    word = (BODY_WORDS if where == "body" else TITLE_WORDS)[key]
    for search, status, html in admin_searches(client, school_a, word):
        assert status == 200, search
        assert TITLES[key] in html, (search, word)


def test_the_admin_search_finds_only_items_holding_the_words(request, users, hidden_items):
    client = person(request, users, "editor_a")
    html = client.get(reverse("wagtailadmin_pages:search"), {"q": "风险防控"}).content.decode()
    assert INTERNAL_TITLE in html
    assert DRAFT_TITLE not in html and PUBLIC_DRAFT_TITLE not in html
    # Two words typed without a space: only the item holding both.
    html = client.get(reverse("wagtailadmin_pages:search"), {"q": "廉政措施"}).content.decode()
    assert INTERNAL_TITLE in html and DRAFT_TITLE not in html
    # A single shared character is no match.
    html = client.get(reverse("wagtailadmin_pages:search"), {"q": "险控"}).content.decode()
    assert INTERNAL_TITLE not in html


def test_a_supervisor_finds_what_the_admin_lets_them_search(request, users, hidden_items):
    """Supervisors read every column and change nothing: where Wagtail's admin lets them
    search pages, the internal items are among the results; no other school's staff's."""
    client = person(request, users, "supervisor")
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "风险防控"})
    if response.status_code == 200:
        assert INTERNAL_TITLE in response.content.decode()
    else:
        assert response.status_code in (302, 403)
        assert INTERNAL_TITLE not in response.content.decode()


# Outsiders never do ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_find_nothing_of_another_schools_hidden_items(
    request, users, school_a, school_b, hidden_items, name
):
    client = person(request, users, name)
    for key in hidden_items:
        for word in (BODY_WORDS[key], TITLE_WORDS[key]):
            for school in (school_a, school_b):
                for search, status, html in admin_searches(client, school, word):
                    assert TITLES[key] not in html, (search, status, word)
                    assert BODIES[key] not in html, (search, word)


def test_another_schools_editor_finds_their_own_school_only(request, users, school_b):
    own = add_item(school_b, "B校党内学习安排", number=1, body="<p>学习红色家书。</p>")
    assert own.scope == Scope.INTERNAL
    html = person(request, users, "editor_b").get(
        reverse("wagtailadmin_pages:search"), {"q": "红色家书"}
    )
    assert "B校党内学习安排" in html.content.decode()
    html = person(request, users, "editor_a").get(
        reverse("wagtailadmin_pages:search"), {"q": "红色家书"}
    )
    assert "B校党内学习安排" not in html.content.decode()


# No search outside the admin's finds them -------------------------------------------------------


def test_no_search_outside_the_admin_finds_an_internal_item_or_a_draft(
    request, users, hidden_items
):
    hidden = {item.pk for item in hidden_items.values()}
    for key in hidden_items:
        for word in (BODY_WORDS[key], TITLE_WORDS[key]):
            for search, found in stock_results(word).items():
                assert not found & hidden, (search, word)
            for name in ("anonymous", "member_a", "editor_a", "superuser"):
                html = person(request, users, name).get("/search/", {"query": word})
                assert TITLES[key] not in html.content.decode(), (name, word)


def test_no_api_search_finds_an_internal_item_or_a_draft(users, school_a, hidden_items):
    token = APIToken.create_token(user=users["editor_a"], name="t")[1]
    public = add_item(school_a, "书香校园读书月活动", number=8, body="<p>风险防控 积极分子</p>")
    hidden = {item.pk for item in hidden_items.values()}
    for key in hidden_items:
        word = BODY_WORDS[key]
        v2 = Client().get("/api/v2/pages/", {"search": word})
        v3 = Client().get("/api/v3/pages/", {"search": word}, HTTP_AUTHORIZATION=f"Bearer {token}")
        for api, response in (("v2", v2), ("v3", v3)):
            assert response.status_code == 200, api
            found = {page["id"] for page in response.json()["items"]}
            # The search works (the public item holding the word is found), and finds
            # nothing hidden, even for the school's own editor (v3).
            assert public.pk in found, (api, word)
            assert not found & hidden, (api, word)


def test_the_public_words_are_found_as_before(school_a):
    public = add_item(school_a, "关于廉政建设的通知", number=8, body="<p>完善长效工作机制。</p>")
    for word in ("廉政建设", "长效工作机制"):
        results = stock_results(word)
        assert public.pk in results["live"] and public.pk in results["live public"], word


# An item whose scope changes ------------------------------------------------------------------


def publish(item, **fields):
    for name, value in fields.items():
        setattr(item, name, value)
    item.save_revision().publish()
    return DisclosureItem.objects.get(pk=item.pk)


def editor_finds(client, word, item):
    """Whether the admin's page search lists ``item`` (a link to its editor) for ``word``."""
    html = client.get(reverse("wagtailadmin_pages:search"), {"q": word}).content.decode()
    return reverse("wagtailadmin_pages:edit", args=[item.pk]) in html


def test_an_item_made_internal_and_public_again(request, users, school_a):
    editor_a = person(request, users, "editor_a")
    editor_b = person(request, users, "editor_b")
    item = add_item(school_a, "教职工大会通知", number=8, body="<p>审议绩效工资方案。</p>")
    assert item.scope == Scope.PUBLIC
    assert item.pk in stock_results("绩效工资")["live"]
    assert editor_finds(editor_a, "绩效工资", item)

    item = publish(item, scope=Scope.INTERNAL, title="党内通报", body="<p>通报违纪问题处理。</p>")
    assert item.scope == Scope.INTERNAL and item.live
    for word in ("违纪问题", "党内通报", "绩效工资"):
        assert item.pk not in set().union(*stock_results(word).values()), word
    assert editor_finds(editor_a, "违纪问题", item)
    assert not editor_finds(editor_b, "违纪问题", item)
    assert not editor_finds(editor_a, "绩效工资", item)

    item = publish(item, scope=Scope.PUBLIC, title="教代会决议", body="<p>通过校园安全制度。</p>")
    assert item.scope == Scope.PUBLIC
    assert item.pk in stock_results("校园安全")["live"]
    # The internal version's words left the index with it.
    for word in ("违纪问题", "党内通报"):
        assert item.pk not in set().union(*stock_results(word).values()), word
        assert not editor_finds(editor_a, word, item)


def test_an_internal_draft_of_a_public_item(request, users, school_a):
    """The draft of a live item is found as Wagtail's admin search finds any draft: by the
    live version's words, which the index holds; its draft words reach no search."""
    editor_a = person(request, users, "editor_a")
    item = add_item(school_a, "学生资助公示", number=8, body="<p>公示助学金名单。</p>")
    item.title = "党内草稿"
    item.body = "<p>讨论干部任免事项。</p>"
    item.scope = Scope.INTERNAL
    item.save_revision()
    assert DisclosureItem.objects.get(pk=item.pk).scope == Scope.PUBLIC
    # Listed as Wagtail's admin lists a page with a draft: under the draft's title.
    html = editor_a.get(reverse("wagtailadmin_pages:search"), {"q": "助学金"}).content.decode()
    assert "党内草稿" in html
    assert editor_finds(editor_a, "助学金", item)
    assert item.pk in stock_results("助学金")["live"]
    for word in ("干部任免", "党内草稿"):
        assert item.pk not in set().union(*stock_results(word).values()), word
        assert not editor_finds(editor_a, word, item)


def test_rebuilding_the_index_keeps_the_internal_items(request, users, hidden_items):
    from io import StringIO

    call_command("update_index", stdout=StringIO(), stderr=StringIO())
    editor_a = person(request, users, "editor_a")
    hidden = {item.pk for item in hidden_items.values()}
    for key in hidden_items:
        assert editor_finds(editor_a, BODY_WORDS[key], hidden_items[key]), key
        for search, found in stock_results(BODY_WORDS[key]).items():
            assert not found & hidden, (search, key)

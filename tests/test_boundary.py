"""The school boundary's rules, one by one: the host site's groups, moves out of the internal
section, documents linked from an internal item's body, the superior organisation's approvers
and Wagtail's API v3. The admin crawler (test_admin_crawler.py) asks every route; these tests
say what each rule means for the person it is about."""

import json

import pytest
import swapper
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.actions.move_page import MovePagePermissionError
from wagtail.documents import get_document_model
from wagtail.models import APIToken

from dangwu_wagtail.models import DisclosureItem, InternalSection, Scope
from dangwu_wagtail.moderation import approvers_group_name
from tests.conftest import add_item, make_user

Page = swapper.load_model("wagtailcore", "Page")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def host_editor(db):
    return make_user("host_editor", Group.objects.get(name="Editors"))


@pytest.fixture
def host_moderator(db):
    return make_user("host_moderator", Group.objects.get(name="Moderators"))


# The host site's own groups -------------------------------------------------------------------


@pytest.mark.parametrize("person", ["host_editor", "host_moderator"])
def test_host_groups_keep_the_host_pages_and_get_nothing_of_a_column(
    person, request, home, school_a, items_a
):
    client = client_for(request.getfixturevalue(person))
    # The host's own pages: explored and edited as before.
    response = client.get(reverse("wagtailadmin_explore", args=(home.pk,)))
    assert response.status_code == 200
    assert reverse("wagtailadmin_pages:edit", args=(home.pk,)) in response.content.decode()
    assert client.get(reverse("wagtailadmin_pages:edit", args=(home.pk,))).status_code == 200
    # The columns below the home page are not listed, nor found.
    assert school_a.title not in response.content.decode()
    for page in [school_a, school_a.internal_section, *items_a.values()]:
        assert client.get(reverse("wagtailadmin_explore", args=(page.pk,))).status_code == 404
        for name in ("edit", "history", "revisions_index", "usage", "copy", "move", "delete"):
            response = client.get(reverse(f"wagtailadmin_pages:{name}", args=(page.pk,)))
            assert response.status_code in (302, 403, 404), (name, page)
            assert page.title not in response.content.decode()
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "minutes"})
    assert "SECRETWORD" not in response.content.decode()


def test_host_moderators_publish_host_pages_and_not_items(home, host_moderator, items_a):
    home_perms = home.permissions_for_user(host_moderator)
    assert home_perms.can_publish() and home_perms.can_edit()
    item_perms = items_a["public"].permissions_for_user(host_moderator)
    assert not (item_perms.can_edit() or item_perms.can_publish() or item_perms.can_unpublish())
    assert not item_perms.can_move() and not item_perms.can_delete()


def test_host_groups_are_not_told_of_a_columns_reviews(home, host_moderator, school_a):
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(Page)
    reviewers = policy.users_with_permission_for_instance("publish", school_a.internal_section)
    assert host_moderator not in reviewers
    assert school_a.reviewers_group.user_set.get() in reviewers


def test_a_grant_on_a_column_to_another_group_counts_for_nothing(school_a, items_a):
    from wagtail.models import GroupPagePermission

    from dangwu_wagtail.permissions import _page_permission

    outsiders = Group.objects.create(name="Outsiders")
    GroupPagePermission.objects.create(
        group=outsiders, page=school_a, permission=_page_permission("change")
    )
    user = make_user("outsider", outsiders)
    assert not items_a["draft"].permissions_for_user(user).can_edit()
    client = client_for(user)
    assert client.get(
        reverse("wagtailadmin_pages:edit", args=(items_a["draft"].pk,))
    ).status_code in (
        302,
        403,
        404,
    )


# Moving out of the internal section ----------------------------------------------------------


def test_no_move_takes_a_live_internal_item_out_of_its_section(school_a, items_a, users):
    internal = items_a["internal"]
    assert isinstance(internal.get_parent().specific, InternalSection)
    # Wagtail's admin, as the school's reviewer.
    client = client_for(users["reviewer_a"])
    url = reverse("wagtailadmin_pages:move_confirm", args=(internal.pk, school_a.pk))
    assert client.post(url).status_code in (302, 403)
    # A bulk move.
    bulk = reverse(
        "wagtail_bulk_action", args=(Page._meta.app_label, Page._meta.model_name, "move")
    )
    client.post(f"{bulk}?id={internal.pk}", {"chooser": str(school_a.pk)})
    # Code calling Wagtail's move, with or without a user; a superuser's too.
    for user in (None, users["superuser"]):
        with pytest.raises(MovePagePermissionError):
            DisclosureItem.objects.get(pk=internal.pk).move(school_a, "last-child", user=user)
    internal = DisclosureItem.objects.get(pk=internal.pk)
    assert isinstance(internal.get_parent().specific, InternalSection)
    assert not Page.objects.public().filter(pk=internal.pk).exists()
    # An item never leaves its column, and a section never leaves its column.
    other = Page.objects.get(pk=school_a.get_parent().pk)
    with pytest.raises(MovePagePermissionError):
        DisclosureItem.objects.get(pk=items_a["public"].pk).move(other, "last-child")
    with pytest.raises(MovePagePermissionError):
        school_a.internal_section.move(other, "last-child")


def test_copies_of_an_internal_item_stay_in_its_section(school_a, school_b, items_a, users):
    internal = items_a["internal"]
    perms = internal.permissions_for_user(users["superuser"])
    assert not perms.can_copy_to(school_a)
    assert not perms.can_copy_to(school_b.internal_section)
    assert perms.can_copy_to(school_a.internal_section)


# Documents linked from an internal item's body ------------------------------------------------


def test_documents_linked_from_an_internal_body_are_kept_for_insiders(school_a, users):
    document = get_document_model().objects.create(
        title="Linked report",
        file=ContentFile(b"linked", name="linked.txt"),
        collection=school_a.collection,
    )
    item = add_item(
        school_a,
        "Internal with a link",
        number=1,
        scope=Scope.INTERNAL,
        live=False,
        body=f'<p>See <a linktype="document" id="{document.pk}">the report</a>.</p>',
    )
    # Saving the draft already keeps the document away from outsiders.
    item.save_revision(user=users["editor_a"])
    document.refresh_from_db()
    assert document.collection_id == school_a.internal_collection_id
    url = document.url
    assert Client().get(url).status_code == 302  # to the login page
    assert client_for(users["member_b"]).get(url).status_code in (403, 404)
    assert client_for(users["member_a"]).get(url).status_code == 200


# The superior organisation's approvers -------------------------------------------------------


@pytest.fixture
def approver(db):
    return make_user("approver", Group.objects.get(name=approvers_group_name()))


def test_approvers_read_no_column_or_item(approver, school_a, items_a):
    client = client_for(approver)
    # Wagtail's admin answers a refusal with its dashboard and a message.
    assert client.get(reverse("dangwu_wagtail_admin:catalogs")).status_code in (302, 403)
    response = client.get(reverse("dangwu_wagtail_admin:catalog", args=(school_a.pk,)))
    assert response.status_code in (302, 403)
    assert "SECRETWORD" not in response.content.decode()
    for page in [school_a, *items_a.values()]:
        response = client.get(reverse("wagtailadmin_choose_page_child", args=(page.pk,)))
        assert response.status_code == 404
    response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "minutes"})
    assert "SECRETWORD" not in response.content.decode()


# API v3 ---------------------------------------------------------------------------------------


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=user, name='t')[1]}"}


def api(client, method, path, user, body=None):
    kwargs = bearer(user)
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api/v3/{path}", **kwargs)


@pytest.mark.parametrize("person", ["editor_b", "host_editor", "host_moderator", "approver"])
def test_api_v3_lists_and_reads_nothing_of_another_school(person, request, users, items_a):
    user = users.get(person) or request.getfixturevalue(person)
    client = Client()
    listed = api(client, "get", "pages/?limit=1000", user).json()
    titles = {page["title"] for page in listed.get("items", [])}
    assert not {"Internal SECRETWORD minutes", "Draft DRAFTWORD notice"} & titles
    for item in items_a.values():
        for query in ("", "?version=draft"):
            response = api(client, "get", f"pages/{item.pk}/{query}", user)
            assert response.status_code in (403, 404), (item, query)
        response = api(client, "get", f"pages/{item.pk}/revisions/", user)
        assert response.status_code in (403, 404)


def test_api_v3_lists_the_schools_own_items_to_its_editor(users, items_a):
    listed = api(Client(), "get", "pages/?limit=1000", users["editor_a"]).json()
    titles = {page["title"] for page in listed["items"]}
    assert {"Internal SECRETWORD minutes", "Draft DRAFTWORD notice"} <= titles


def test_api_v3_publishes_an_item_for_a_superuser_only(users, items_a, school_a):
    client = Client()
    draft = items_a["draft"]
    for person in ("editor_a", "reviewer_a"):
        response = api(client, "post", f"pages/{draft.pk}/actions/publish/", users[person])
        assert response.status_code == 403, person
        response = api(
            client,
            "patch",
            f"pages/{draft.pk}/",
            users[person],
            {"meta": {"type": "dangwu_wagtail.DisclosureItem", "action": "publish"}},
        )
        assert response.status_code == 403, person
        response = api(
            client,
            "post",
            "pages/",
            users[person],
            {
                "meta": {
                    "type": "dangwu_wagtail.DisclosureItem",
                    "parent_id": school_a.pk,
                    "action": "publish",
                },
                "title": "Published directly",
                "slug": "published-directly",
                "entry_id": school_a.entries.get(number=5).pk,
            },
        )
        assert response.status_code == 403, (person, response.content)
    assert not DisclosureItem.objects.get(pk=draft.pk).live
    assert not DisclosureItem.objects.filter(title="Published directly", live=True).exists()
    response = api(client, "post", f"pages/{draft.pk}/actions/publish/", users["superuser"])
    assert response.status_code == 200
    assert DisclosureItem.objects.get(pk=draft.pk).live


def test_api_v3_keeps_internal_items_in_their_section(users, items_a, school_a):
    client = Client()
    internal = items_a["internal"]
    for person in ("reviewer_a", "superuser"):
        response = api(
            client,
            "post",
            f"pages/{internal.pk}/actions/move/",
            users[person],
            {"destination_id": school_a.pk, "position": "last-child"},
        )
        assert response.status_code == 403, person
        response = api(
            client,
            "post",
            f"pages/{internal.pk}/actions/copy/",
            users[person],
            {"destination_id": school_a.pk, "slug": "copied-out"},
        )
        assert response.status_code == 403, person
    # A live internal item created under the column is refused with a reason, not a 500.
    response = api(
        client,
        "post",
        "pages/",
        users["superuser"],
        {
            "meta": {
                "type": "dangwu_wagtail.DisclosureItem",
                "parent_id": school_a.pk,
                "action": "publish",
            },
            "title": "Created outside",
            "slug": "created-outside",
            "entry_id": school_a.entries.get(number=1).pk,
            "scope": Scope.INTERNAL,
        },
    )
    assert response.status_code in (201, 400, 422), response.content
    created = DisclosureItem.objects.filter(title="Created outside", live=True).first()
    if created is not None:
        assert isinstance(created.get_parent().specific, InternalSection)
    internal = DisclosureItem.objects.get(pk=internal.pk)
    assert isinstance(internal.get_parent().specific, InternalSection)
    assert not DisclosureItem.objects.filter(slug="copied-out").exists()
    assert not Page.objects.public().live().filter(title__contains="SECRETWORD").exists()

"""Each school's people act on their own tree only, through Wagtail's own admin URLs.

An editor and a reviewer of school A try every admin view on school B's column, items,
documents and images: each is denied or shows nothing of B. District supervisors read every
school's column and change nothing.
"""

import json
from urllib.parse import unquote, urlsplit

import pytest
import swapper
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageLogEntry

from dangwu_wagtail.models import DisclosureItem
from tests.conftest import add_item

Page = swapper.load_model("wagtailcore", "Page")

ACTORS = ["editor_a", "reviewer_a"]
#: Words that appear only in school B's things.
B_ITEM_WORDS = ["BPUBLICWORD", "BINTERNALWORD", "BDRAFTWORD", "BDOCWORD", "BIMAGEWORD"]
B_WORDS = [*B_ITEM_WORDS, "B小学"]


class SchoolB:
    """School B's column with a public, an internal and an in-review item, a document and an
    image in its collections."""

    def __init__(self, school_b, users):
        self.catalog = school_b
        self.public = add_item(school_b, "BPUBLICWORD notice", number=8)
        self.internal = add_item(school_b, "BINTERNALWORD minutes", number=1)
        self.draft = add_item(school_b, "BDRAFTWORD draft", number=8, live=False)
        editor_b = users["editor_b"]
        self.draft.save_revision(user=editor_b)
        revision = self.draft.save_revision(user=editor_b)
        school_b.get_workflow()  # the column page's own workflow is the adjustment one
        school_b.internal_section.get_workflow().start(self.draft, editor_b)
        self.draft = DisclosureItem.objects.get(pk=self.draft.pk)
        self.revision = revision
        self.task_state = self.draft.current_workflow_task_state
        self.document = get_document_model().objects.create(
            title="BDOCWORD report",
            file=ContentFile(b"B", name="b.txt"),
            collection=school_b.collection,
        )
        self.image = get_image_model().objects.create(
            title="BIMAGEWORD photo",
            file=get_test_image_file(),
            collection=school_b.collection,
        )


@pytest.fixture
def b(school_b, users):
    return SchoolB(school_b, users)


def shown_text(response):
    """What the user is shown: the page, or the HTML inside a modal's JSON."""
    content = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content


#: What a redirect answers with; a followed response ends on something else.
REDIRECTS = (301, 302, 303, 307, 308)


def assert_shows_nothing_of_b(response, words=B_WORDS, denied=False):
    """``response`` tells the actor nothing of school B, at every step.

    A response fetched with ``follow=True`` is checked along its redirect chain: no address on
    the way names any of B's words, the actor is still logged in where it ends (a login page
    shows nothing of anyone, and would test nothing), and the final response is a refusal
    (403, 404) or a page (200) that shows none of B's words. With ``denied``, the view asked
    for must not answer itself: the final response is a refusal, or a redirect took the
    actor elsewhere.
    """
    for address, status in getattr(response, "redirect_chain", []):
        assert status in REDIRECTS, (address, status)
        for word in words:
            assert word not in unquote(address), (address, word)
    final = response.wsgi_request
    assert final.user.is_authenticated, final.path
    assert final.path != reverse("wagtailadmin_login"), final.path
    if response.status_code in REDIRECTS:  # fetched without follow=True
        for word in words:
            assert word not in unquote(response["Location"]), (response["Location"], word)
        return
    assert response.status_code in (200, 403, 404), (final.path, response.status_code)
    if denied and response.status_code == 200:
        asked_for = urlsplit(response.asked_for).path
        assert response.redirect_chain and final.path != asked_for, (asked_for, "answered")
    text = shown_text(response)
    # A search page repeats its query: that is not B's content.
    query = final.GET.get("q")
    if query:
        for echo in (f'value="{query}"', f"q={query}", f"<em>{query}</em>", f"“{query}”"):
            text = text.replace(echo, "")
    for word in words:
        assert word not in text, word


def get(client, name, *args, query=""):
    """``name``'s page, followed through its redirects, remembering the address asked for."""
    address = reverse(name, args=args) + query
    response = client.get(address, follow=True)
    response.asked_for = address
    return response


@pytest.fixture(params=ACTORS)
def actor(request, users):
    client = Client()
    client.force_login(users[request.param])
    client.username = request.param
    return client


def test_explorer_and_search_show_nothing_of_b(actor, b, home):
    for response in [
        get(actor, "wagtailadmin_explore_root"),
        get(actor, "wagtailadmin_explore", home.pk),
        get(actor, "wagtailadmin_explore", b.catalog.pk),
        get(actor, "wagtailadmin_explore", b.catalog.internal_section_id),
        get(actor, "wagtailadmin_pages:search", query="?q=BPUBLICWORD"),
        get(actor, "wagtailadmin_pages:search", query="?q=BDRAFTWORD"),
        get(actor, "wagtailadmin_pages:search_results", query="?q=B"),
    ]:
        assert_shows_nothing_of_b(response)


def test_page_chooser_shows_nothing_of_b(actor, b, home):
    for response in [
        get(actor, "wagtailadmin_choose_page"),
        get(actor, "wagtailadmin_choose_page_child", home.pk),
        get(actor, "wagtailadmin_choose_page_search", query="?q=BPUBLICWORD"),
        get(actor, "wagtailadmin_choose_page_search", query="?q=B"),
    ]:
        assert_shows_nothing_of_b(response)
    # Asked for B's column by its id, Wagtail's chooser names the column it was asked for
    # (a public page) but lists none of its pages.
    for parent in (b.catalog.pk, b.catalog.internal_section_id):
        response = get(actor, "wagtailadmin_choose_page_child", parent)
        assert_shows_nothing_of_b(response, words=B_ITEM_WORDS)
    # Their own column and the host site's pages stay choosable.
    text = shown_text(get(actor, "wagtailadmin_choose_page_child", home.pk))
    assert "A中学党委" in text


def test_page_views_of_b_are_denied(actor, b):
    item = b.draft
    for response in [
        get(actor, "wagtailadmin_pages:edit", item.pk),
        get(actor, "wagtailadmin_pages:edit", b.public.pk),
        get(actor, "wagtailadmin_pages:edit", b.catalog.pk),
        get(actor, "wagtailadmin_pages:preview_on_edit", item.pk),
        get(actor, "wagtailadmin_pages:view_draft", item.pk),
        get(actor, "wagtailadmin_pages:revisions_index", item.pk),
        get(actor, "wagtailadmin_pages:revisions_view", item.pk, b.revision.pk),
        get(actor, "wagtailadmin_pages:revisions_compare", item.pk, "earliest", "latest"),
        get(actor, "wagtailadmin_pages:history", item.pk),
        get(actor, "wagtailadmin_pages:workflow_history", item.pk),
        get(actor, "wagtailadmin_pages:copy", b.public.pk),
        get(actor, "wagtailadmin_pages:move", b.public.pk),
        get(actor, "wagtailadmin_pages:delete", b.public.pk),
        get(actor, "wagtailadmin_pages:unpublish", b.public.pk),
        get(actor, "wagtailadmin_pages:add_subpage", b.catalog.pk),
        get(actor, "wagtailadmin_pages:workflow_preview", item.pk, b.task_state.task_id),
        get(actor, "wagtailadmin_pages:usage", item.pk),
    ]:
        assert_shows_nothing_of_b(response, denied=True)


def test_page_actions_on_b_change_nothing(actor, b, school_a):
    posts = [
        ("wagtailadmin_pages:delete", (b.public.pk,), {}),
        ("wagtailadmin_pages:unpublish", (b.public.pk,), {}),
        ("wagtailadmin_pages:move_confirm", (b.public.pk, school_a.pk), {}),
        (
            "wagtailadmin_pages:copy",
            (b.public.pk,),
            {"new_title": "Stolen", "new_slug": "stolen", "new_parent_page": str(school_a.pk)},
        ),
        ("wagtailadmin_pages:lock", (b.public.pk,), {}),
        ("wagtailadmin_pages:revisions_revert", (b.draft.pk, b.revision.pk), {}),
        (
            "wagtailadmin_pages:workflow_action",
            (b.draft.pk, "approve", b.task_state.pk),
            {"comment": "", "nothing_secret": "on", "scope_confirmed": "on"},
        ),
        (
            "wagtailadmin_pages:workflow_action",
            (b.draft.pk, "reject", b.task_state.pk),
            {"comment": "No."},
        ),
        ("wagtailadmin_pages:confirm_workflow_cancellation", (b.draft.pk,), {}),
    ]
    for name, args, data in posts:
        response = actor.post(reverse(name, args=args), data)
        assert response.status_code in (200, 302, 403, 404), name
    public = DisclosureItem.objects.get(pk=b.public.pk)
    assert public.live and not public.locked and public.get_parent().pk == b.catalog.pk
    assert not Page.objects.filter(slug="stolen").exists()
    draft = DisclosureItem.objects.get(pk=b.draft.pk)
    assert not draft.live and draft.current_workflow_task_state.pk == b.task_state.pk
    assert not PageLogEntry.objects.filter(
        page__in=[b.public, b.draft], user__username=actor.username
    ).exists()


def test_documents_and_images_of_b_are_hidden(actor, b):
    for response in [
        get(actor, "wagtaildocs:index"),
        get(actor, "wagtaildocs:index", query="?q=BDOCWORD"),
        get(actor, "wagtaildocs:edit", b.document.pk),
        get(actor, "wagtaildocs:delete", b.document.pk),
        get(actor, "wagtaildocs:document_usage", b.document.pk),
        get(actor, "wagtaildocs_chooser:choose"),
        get(actor, "wagtaildocs_chooser:choose_results", query="?q=BDOCWORD"),
        get(actor, "wagtailimages:index"),
        get(actor, "wagtailimages:index", query="?q=BIMAGEWORD"),
        get(actor, "wagtailimages:edit", b.image.pk),
        get(actor, "wagtailimages:delete", b.image.pk),
        get(actor, "wagtailimages_chooser:choose"),
        get(actor, "wagtailimages_chooser:choose_results", query="?q=BIMAGEWORD"),
    ]:
        assert_shows_nothing_of_b(response)
    actor.post(reverse("wagtaildocs:delete", args=(b.document.pk,)))
    actor.post(reverse("wagtailimages:delete", args=(b.image.pk,)))
    actor.post(
        reverse("wagtaildocs:edit", args=(b.document.pk,)),
        {"title": "Renamed", "collection": str(b.catalog.collection_id), "tags": ""},
    )
    assert get_document_model().objects.get(pk=b.document.pk).title == "BDOCWORD report"
    assert get_image_model().objects.filter(pk=b.image.pk).exists()


def test_audit_log_and_reports_show_nothing_of_b(actor, b):
    for response in [
        get(actor, "wagtailadmin_reports:site_history"),
        get(actor, "wagtailadmin_reports:site_history_results"),
        get(actor, "wagtailadmin_reports:aging_pages"),
        get(actor, "wagtailadmin_reports:locked_pages"),
        get(actor, "wagtailadmin_home"),
    ]:
        assert_shows_nothing_of_b(response)
    # Wagtail's workflow reports list none of B's pages; their filter offers every
    # workflow by name, and B's workflows carry B's (public) name.
    for name in ("wagtailadmin_reports:workflow", "wagtailadmin_reports:workflow_tasks"):
        assert_shows_nothing_of_b(get(actor, name), words=B_ITEM_WORDS)


def test_no_user_management(actor, users):
    for name in ["wagtailusers_users:index", "wagtailusers_groups:index"]:
        response = actor.get(reverse(name))
        assert response.status_code in (302, 403)
    response = actor.post(
        reverse("wagtailusers_users:edit", args=(users["member_b"].pk,)),
        {"username": "taken", "email": "x@example.com", "first_name": "", "last_name": ""},
    )
    assert response.status_code in (302, 403)
    assert type(users["member_b"]).objects.get(pk=users["member_b"].pk).username == "member_b"
    for name in ["wagtailadmin_workflows:index", "wagtailadmin_workflows:task_index"]:
        assert actor.get(reverse(name)).status_code in (302, 403)


def test_school_groups_hold_no_user_management_permission(school_a, school_b):
    from django.contrib.auth.models import Group

    for catalog in (school_a, school_b):
        for group in (catalog.members_group, catalog.editors_group, catalog.reviewers_group):
            codenames = set(group.permissions.values_list("codename", flat=True))
            assert not codenames & {
                "add_user",
                "change_user",
                "delete_user",
                "add_group",
                "change_group",
                "delete_group",
            }
    supervisors = Group.objects.get(name="District supervisors")
    assert not supervisors.permissions.filter(content_type__app_label="auth").exists()


# District supervisors ------------------------------------------------------------------------


@pytest.fixture
def supervisor(users):
    client = Client()
    client.force_login(users["supervisor"])
    return client


def test_supervisors_read_every_column(supervisor, b, school_a, items_a):
    response = supervisor.get(reverse("dangwu_wagtail_admin:catalogs"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "A中学党委" in text and "B小学党支部" in text
    rows = {column.organisation_name: column for column in response.context["columns"]}
    assert (rows["B小学党支部"].public_live, rows["B小学党支部"].internal_live) == (1, 1)
    assert rows["B小学党支部"].not_live == 1

    response = supervisor.get(reverse("dangwu_wagtail_admin:catalog", args=(b.catalog.pk,)))
    assert response.status_code == 200
    text = response.content.decode()
    for word in ("BPUBLICWORD", "BINTERNALWORD", "BDRAFTWORD", "In review"):
        assert word in text
    # The live internal item is read on the site, as a supervisor may.
    assert supervisor.get(b.internal.url).status_code == 200
    assert supervisor.get(items_a["internal"].url).status_code == 200


def test_supervisors_change_nothing(supervisor, b):
    assert supervisor.get(reverse("wagtailadmin_home")).status_code == 200
    for name, args in [
        ("wagtailadmin_pages:edit", (b.public.pk,)),
        ("wagtailadmin_pages:edit", (b.catalog.pk,)),
        ("wagtailadmin_pages:add_subpage", (b.catalog.pk,)),
        ("wagtaildocs:edit", (b.document.pk,)),
        ("wagtailusers_users:index", ()),
    ]:
        assert supervisor.get(reverse(name, args=args)).status_code in (302, 403), name
    supervisor.post(reverse("wagtailadmin_pages:unpublish", args=(b.public.pk,)))
    supervisor.post(reverse("wagtailadmin_pages:delete", args=(b.public.pk,)))
    supervisor.post(
        reverse(
            "wagtailadmin_pages:workflow_action", args=(b.draft.pk, "approve", b.task_state.pk)
        ),
        {"comment": "", "nothing_secret": "on", "scope_confirmed": "on"},
    )
    assert DisclosureItem.objects.get(pk=b.public.pk).live
    assert not DisclosureItem.objects.get(pk=b.draft.pk).live
    assert not PageLogEntry.objects.filter(user__username="supervisor").exists()


@pytest.mark.parametrize("reader", ["editor_a", "reviewer_a", "member_a"])
def test_school_people_do_not_get_the_district_view(client, users, reader):
    client.force_login(users[reader])
    response = client.get(reverse("dangwu_wagtail_admin:catalogs"))
    assert response.status_code in (302, 403)
    assert "B小学" not in response.content.decode()

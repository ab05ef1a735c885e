"""Editing in Wagtail's admin: the Catalog's inline entries and a DisclosureItem's form."""

import datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from dangwu_wagtail.compliance import period_containing
from dangwu_wagtail.models import Catalog, DisclosureItem, Scope
from tests.conftest import add_item


def item_form_data(entry, **overrides):
    data = {
        "title": "Branch meeting minutes",
        "slug": "branch-meeting-minutes",
        "entry": str(entry.pk),
        "scope": "",
        "formed_on": "2026-10-08",
        "period_start": "",
        "period_end": "",
        "body": rich_text("<p>Minutes.</p>"),
        "tags": "",
        "attachments": inline_formset([]),
        **overrides,
    }
    return nested_form_data(data)


def catalog_form_data(catalog, delete=(), **overrides):
    entries = []
    for entry in catalog.entries.all():
        entries.append(
            {
                "id": str(entry.pk),
                "category": entry.category,
                "subcategory": entry.subcategory,
                "number": "" if entry.number is None else str(entry.number),
                "title": entry.title,
                "channels": entry.channels,
                "scope": entry.scope,
                "timing": entry.timing,
                "period": entry.period,
                "DELETE": "1" if entry.number in delete else "",
            }
        )
    data = {
        "title": catalog.title,
        "slug": catalog.slug,
        "intro": rich_text(""),
        "organisation_name": catalog.organisation_name,
        "organisation_type": catalog.organisation_type,
        "contact_person": "",
        "contact_phone": "",
        "contact_email": "",
        "supervision_phone": catalog.supervision_phone,
        "notice_period": str(catalog.notice_period),
        "reception_place": "",
        "reception_hours": "",
        "entries": inline_formset(entries, initial=len(entries)),
        **overrides,
    }
    return nested_form_data(data)


def add_url(catalog):
    return reverse("wagtailadmin_pages:add", args=("dangwu_wagtail", "disclosureitem", catalog.pk))


def test_parent_and_child_rules(home, school_a, items_a):
    assert Catalog.can_create_at(home)
    assert not Catalog.can_create_at(school_a)
    assert not Catalog.can_create_at(items_a["public"])
    assert DisclosureItem.can_create_at(school_a)
    assert not DisclosureItem.can_create_at(home)
    assert not DisclosureItem.can_create_at(items_a["public"])


def test_admin_refuses_a_catalog_under_a_catalog(client, school_a, users):
    client.force_login(users["superuser"])
    url = reverse("wagtailadmin_pages:add", args=("dangwu_wagtail", "catalog", school_a.pk))
    response = client.get(url)
    # Wagtail answers a forbidden page type by sending the user back to the dashboard.
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))


def test_entry_choices_are_the_items_own_catalog_only(client, school_a, school_b, users):
    client.force_login(users["editor_a"])
    response = client.get(add_url(school_a))
    assert response.status_code == 200
    choices = set(response.context["form"].fields["entry"].queryset)
    assert choices == set(school_a.entries.all())

    entry_of_b = school_b.entries.get(number=1)
    response = client.post(add_url(school_a), item_form_data(entry_of_b))
    assert response.status_code == 200
    assert "entry" in response.context["form"].errors
    assert not DisclosureItem.objects.filter(slug="branch-meeting-minutes").exists()


def test_editor_drafts_an_item_whose_scope_defaults_to_the_entry(client, school_a, users):
    client.force_login(users["editor_a"])
    entry = school_a.entries.get(number=8)  # 党内外, 即时

    response = client.post(add_url(school_a), item_form_data(entry))

    assert response.status_code == 302, response.context["form"].errors
    item = DisclosureItem.objects.get(slug="branch-meeting-minutes")
    assert item.entry == entry and item.scope == Scope.PUBLIC
    assert item.get_parent().pk == school_a.pk
    assert not item.live  # saved as a draft


def test_editor_may_narrow_the_scope(client, school_a, users):
    client.force_login(users["editor_a"])
    entry = school_a.entries.get(number=8)
    client.post(add_url(school_a), item_form_data(entry, scope=Scope.INTERNAL))
    assert DisclosureItem.objects.get(slug="branch-meeting-minutes").scope == Scope.INTERNAL


def test_periodic_entry_needs_the_period_covered(client, school_a, users):
    client.force_login(users["editor_a"])
    periodic = school_a.entries.get(number=4)  # 党委各项工作计划和总结, 定期

    response = client.post(add_url(school_a), item_form_data(periodic))
    assert response.status_code == 200
    assert "period_start" in response.context["form"].errors

    response = client.post(
        add_url(school_a),
        item_form_data(periodic, period_start="2026-09-01", period_end="2026-01-31"),
    )
    assert "period_end" in response.context["form"].errors

    # One whole period of the entry's (tests/test_item_dates.py: one that does not fit).
    start, end = period_containing(periodic.period, datetime.date(2026, 1, 1))
    response = client.post(
        add_url(school_a),
        item_form_data(periodic, period_start=start.isoformat(), period_end=end.isoformat()),
    )
    assert response.status_code == 302
    assert DisclosureItem.objects.get(slug="branch-meeting-minutes").period_end == end


def test_editor_of_another_school_cannot_add_items_here(client, school_a, users):
    client.force_login(users["editor_b"])
    entry = school_a.entries.get(number=8)
    response = client.post(add_url(school_a), item_form_data(entry))
    assert response.status_code in (302, 403)
    assert not DisclosureItem.objects.filter(slug="branch-meeting-minutes").exists()


def test_catalog_entries_are_edited_inline(client, school_a, users):
    client.force_login(users["superuser"])
    url = reverse("wagtailadmin_pages:edit", args=(school_a.pk,))
    assert client.get(url).status_code == 200

    response = client.post(url, catalog_form_data(school_a, delete={31}, **{"action-publish": "1"}))

    assert response.status_code == 302
    school_a.refresh_from_db()
    assert school_a.entries.count() == 32
    assert not school_a.entries.filter(number=31).exists()


def test_an_entry_with_items_cannot_be_removed(client, school_a, users):
    add_item(school_a, "Minutes", number=31)
    client.force_login(users["superuser"])
    url = reverse("wagtailadmin_pages:edit", args=(school_a.pk,))

    response = client.post(url, catalog_form_data(school_a, delete={31}, **{"action-publish": "1"}))

    assert response.status_code == 200
    assert "cannot be removed: 1 item is filed under it" in response.content.decode()
    assert school_a.entries.filter(number=31).exists()


def test_periodic_entry_needs_a_period_in_the_catalog_editor(client, school_a, users):
    client.force_login(users["superuser"])
    url = reverse("wagtailadmin_pages:edit", args=(school_a.pk,))
    data = catalog_form_data(school_a)
    index = next(i for i in range(40) if data[f"entries-{i}-timing"] == "periodic")
    data[f"entries-{index}-period"] = ""

    response = client.post(url, data)

    assert response.status_code == 200
    assert "A periodic entry needs a period." in response.content.decode()


@pytest.mark.parametrize("reader", ["editor_a", "reviewer_a"])
def test_school_staff_see_their_catalog_in_the_admin(client, school_a, users, reader):
    client.force_login(users[reader])
    assert client.get(reverse("wagtailadmin_pages:edit", args=(school_a.pk,))).status_code == 200


def test_members_have_no_admin_access(client, school_a, users):
    client.force_login(users["member_a"])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302


def edit_item_data(item, **overrides):
    fields = {
        "title": item.title,
        "slug": item.slug,
        "scope": item.scope,
        "formed_on": item.formed_on.isoformat(),
    }
    if item.entry.timing == "periodic":
        fields.update(period_start="2026-01-01", period_end="2026-12-31")
    return item_form_data(item.entry, **{**fields, **overrides})


def test_publishing_a_public_item_as_internal_moves_it_first(client, school_a, items_a, users):
    client.force_login(users["superuser"])
    item = items_a["public"]
    url = reverse("wagtailadmin_pages:edit", args=(item.pk,))

    response = client.post(
        url, edit_item_data(item, scope=Scope.INTERNAL, **{"action-publish": "1"})
    )

    assert response.status_code == 302, response.context["form"].errors
    item = DisclosureItem.objects.get(pk=item.pk)
    assert item.live and item.scope == Scope.INTERNAL
    assert item.get_parent().pk == school_a.internal_section_id
    client.logout()
    assert client.get(item.url).status_code == 302


def test_a_draft_turning_an_item_internal_leaves_the_live_item_in_place(
    client, school_a, items_a, users
):
    client.force_login(users["editor_a"])
    item = items_a["public"]
    url = reverse("wagtailadmin_pages:edit", args=(item.pk,))

    response = client.post(url, edit_item_data(item, scope=Scope.INTERNAL))

    assert response.status_code == 302
    item = DisclosureItem.objects.get(pk=item.pk)
    assert item.scope == Scope.PUBLIC  # the live version is unchanged
    assert item.get_parent().pk == school_a.pk
    # The editor's draft is intact and still editable.
    assert client.get(url).status_code == 200
    assert item.get_latest_revision_as_object().scope == Scope.INTERNAL


def test_publishing_an_internal_item_as_public_moves_it_out(client, school_a, items_a, users):
    client.force_login(users["superuser"])
    item = items_a["internal"]
    url = reverse("wagtailadmin_pages:edit", args=(item.pk,))

    response = client.post(url, edit_item_data(item, scope=Scope.PUBLIC, **{"action-publish": "1"}))

    assert response.status_code == 302
    item = DisclosureItem.objects.get(pk=item.pk)
    assert item.scope == Scope.PUBLIC and item.get_parent().pk == school_a.pk


def test_internal_item_refuses_images(client, school_a, users):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Photo", file=get_test_image_file())
    client.force_login(users["editor_a"])
    body = rich_text(
        f'<p>Photo</p><embed embedtype="image" id="{image.pk}" format="fullwidth" alt=""/>'
    )
    internal_entry = school_a.entries.get(number=1)

    response = client.post(add_url(school_a), item_form_data(internal_entry, body=body))
    assert response.status_code == 200
    assert "cannot show images" in str(response.context["form"].errors["body"])

    public_entry = school_a.entries.get(number=8)
    response = client.post(add_url(school_a), item_form_data(public_entry, body=body))
    assert response.status_code == 302, response.context["form"].errors


def test_editor_adds_an_internal_item_under_the_internal_section(client, school_a, users):
    client.force_login(users["editor_a"])
    section = school_a.internal_section
    url = reverse("wagtailadmin_pages:add", args=("dangwu_wagtail", "disclosureitem", section.pk))
    assert set(client.get(url).context["form"].fields["entry"].queryset) == set(
        school_a.entries.all()
    )
    response = client.post(url, item_form_data(school_a.entries.get(number=1)))
    assert response.status_code == 302
    item = DisclosureItem.objects.get(slug="branch-meeting-minutes")
    assert item.get_parent().pk == section.pk and item.scope == Scope.INTERNAL


def test_editor_submits_and_the_schools_reviewer_approves_and_publishes(client, school_a, users):

    assert school_a.internal_section.get_workflow().name == "A中学党委 publishing"
    client.force_login(users["editor_a"])
    entry = school_a.entries.get(number=8)
    response = client.post(add_url(school_a), item_form_data(entry, **{"action-submit": "1"}))
    assert response.status_code == 302
    item = DisclosureItem.objects.get(slug="branch-meeting-minutes")
    assert not item.live and item.workflow_in_progress

    client.force_login(users["reviewer_a"])
    task_state = item.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(item.pk, "approve", task_state.pk))
    response = client.post(url, {"comment": "", "nothing_secret": "on", "scope_confirmed": "on"})
    assert response.status_code == 302
    item = DisclosureItem.objects.get(pk=item.pk)
    assert item.live and item.scope == Scope.PUBLIC


def test_reviewer_of_another_school_cannot_approve(client, school_a, users):

    client.force_login(users["editor_a"])
    entry = school_a.entries.get(number=8)
    client.post(add_url(school_a), item_form_data(entry, **{"action-submit": "1"}))
    item = DisclosureItem.objects.get(slug="branch-meeting-minutes")
    task_state = item.current_workflow_task_state

    client.force_login(users["editor_b"])
    url = reverse("wagtailadmin_pages:workflow_action", args=(item.pk, "approve", task_state.pk))
    client.post(url, {"comment": ""})
    assert not DisclosureItem.objects.get(pk=item.pk).live


def test_public_item_cannot_attach_an_internal_document(client, school_a, users):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    Document = get_document_model()
    internal = Document.objects.create(
        title="Dues ledger",
        collection=school_a.internal_collection,
        file=ContentFile(b"ledger", name="ledger.txt"),
    )
    client.force_login(users["reviewer_a"])
    entry = school_a.entries.get(number=8)  # public
    data = item_form_data(
        entry,
        attachments=inline_formset([{"document": str(internal.pk), "title": ""}]),
    )
    response = client.post(add_url(school_a), data)
    assert response.status_code == 200
    assert "kept for internal items" in response.content.decode()
    assert not DisclosureItem.objects.filter(slug="branch-meeting-minutes").exists()

    internal_entry = school_a.entries.get(number=1)
    data = item_form_data(
        internal_entry,
        attachments=inline_formset([{"document": str(internal.pk), "title": ""}]),
    )
    assert client.post(add_url(school_a), data).status_code == 302

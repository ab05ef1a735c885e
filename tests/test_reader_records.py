"""What a reader's own records and the add-on's emails show, and where an item's old address
leads: control characters refused and never forging an email's lines, a former member's
opinions without the titles they may no longer read, and no redirect into a column's
internal section."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from wagtail.contrib.redirects.models import Redirect

from dangwu_wagtail.models import DisclosureItem, DisclosureRequest, Feedback, Scope
from dangwu_wagtail.notifications import notify, school_staff_emails
from tests.conftest import add_item


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


REQUEST = {
    "subject": "School budget",
    "description": "The budget.",
    "purpose": "",
    "name": "Member A",
    "email": "member_a@example.com",
    "phone": "",
}

# Control characters in single-line fields ------------------------------------------------------


@pytest.mark.parametrize("field", ["subject", "name", "phone"])
@pytest.mark.parametrize("text", ["Budget\r\nAnswer due by: 2000-01-01", "Bud\x00get", "a\tb"])
def test_the_request_form_refuses_control_characters_in_a_line(school_a, users, field, text):
    data = {**REQUEST, field: text}
    if field == "phone":
        data["phone"] = "13812345678" + text[-6:]
    response = client_for(users["member_a"]).post(school_a.subpage_url("request"), data)
    assert response.status_code == 200
    assert not DisclosureRequest.objects.exists()
    if field != "phone":  # a phone number with letters is refused for what it is
        assert "one line, without line breaks or control characters" in (response.content.decode())


def test_a_line_break_in_a_subject_adds_no_line_to_the_staff_email(
    school_a, users, django_capture_on_commit_callbacks
):
    # Saved as a member of staff could (the register's Add), or as a site's own code would.
    disclosure_request = DisclosureRequest.objects.receive(
        school_a,
        name="Visitor\r\nReference: 2000-0-0001",
        phone="13812345678",
        subject="Budget\r\nAnswer due by: 2000-01-01\u2028Status: answered\x85x",
        description="The budget.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        context = {"disclosure_request": disclosure_request, "catalog": school_a}
        notify("request_received", context, school_staff_emails(school_a))
        notify("request_acknowledged", context, ["visitor@example.com"])
    assert mail.outbox
    for message in mail.outbox:
        lines = message.body.splitlines()
        assert not any(line.startswith("Answer due by: 2000") for line in lines), lines
        assert not any(line.startswith("Status: answered") for line in lines), lines
        assert sum(line.startswith("Answer due by:") for line in lines) == 1
        assert "\n" not in message.subject and "\r" not in message.subject


# A former member's own records -----------------------------------------------------------------


def test_a_former_member_no_longer_reads_the_title_of_an_internal_item(school_a, items_a, users):
    member = users["member_a"]
    internal = items_a["internal"]
    Feedback.objects.create(
        catalog=school_a, item=internal, author=member, author_name="A", text="OLDOPINION"
    )
    Feedback.objects.create(
        catalog=school_a, item=items_a["public"], author=member, author_name="A", text="ON PUBLIC"
    )
    client = client_for(member)
    assert internal.title in client.get(school_a.subpage_url("mine")).content.decode()

    member.groups.remove(school_a.members_group)
    internal.title = "Internal RENAMEDWORD minutes"
    internal.save_revision().publish()
    text = client_for(member).get(school_a.subpage_url("mine")).content.decode()
    assert "SECRETWORD" not in text and "RENAMEDWORD" not in text
    assert "OLDOPINION" in text  # their own words stay theirs
    assert "an item no longer available to you" in text
    assert items_a["public"].title in text


def test_an_answer_linked_to_an_internal_item_shows_no_title_to_a_former_member(
    school_a, items_a, users
):
    from dangwu_wagtail.models import AnswerType

    member = users["member_a"]
    disclosure_request = DisclosureRequest.objects.receive(
        school_a, requester=member, name="A", email="a@example.com", subject="S", description="D"
    )
    disclosure_request.answer(
        users["editor_a"], AnswerType.DISCLOSED, item=items_a["internal"], explanation=""
    )
    url = school_a.subpage_url("request_status", disclosure_request.token)
    assert "SECRETWORD" in client_for(member).get(url).content.decode()
    member.groups.remove(school_a.members_group)
    assert "SECRETWORD" not in client_for(member).get(url).content.decode()


# Redirects -------------------------------------------------------------------------------------


def test_an_item_turned_internal_leaves_no_redirect_behind(client, school_a, users):
    item = add_item(school_a, "Public LEAVINGWORD notice", number=5, scope=Scope.PUBLIC)
    old_url = item.url
    assert client.get(old_url).status_code == 200

    item.scope = Scope.INTERNAL
    item.save_revision().publish()
    item = DisclosureItem.objects.get(pk=item.pk)
    assert item.get_parent().specific == school_a.internal_section

    assert not Redirect.objects.filter(redirect_page=item).exists()
    never = client.get(school_a.url + "no-such-item/")
    response = client.get(old_url)
    assert response.status_code == never.status_code == 404
    assert "LEAVINGWORD" not in response.content.decode()
    assert "Location" not in response


def test_no_redirect_leads_into_an_internal_section(school_a, items_a):
    """One made by hand, or left by an earlier move of a public item, is removed."""
    internal = items_a["internal"]
    for target in (internal, school_a.internal_section):
        Redirect.objects.create(old_path="/old-minutes", redirect_page=target)
        assert not Redirect.objects.filter(old_path="/old-minutes").exists()
    assert Client().get("/old-minutes/").status_code == 404

    public = items_a["public"]
    Redirect.objects.create(old_path="/old-plan", redirect_page=public)
    public.scope = Scope.INTERNAL
    public.save_revision().publish()
    assert not Redirect.objects.filter(old_path="/old-plan").exists()
    assert Client().get("/old-plan/").status_code == 404

"""Follow: the school's own people follow a column or an entry and are emailed, through the
outbox and the task worker, when a new item appears there. An internal item's email reaches
only followers who may read it; a public one's every follower. Each email has its unfollow
link, and so has the page."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from dangwu_wagtail.models import Follow, OutgoingEmail
from tests.conftest import add_item

CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def recipients():
    return {address for message in mail.outbox for address in message.to}


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a new item of school A, delivering its emails as the worker would."""

    def publish(catalog, title, number, scope=None):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return add_item(catalog, title, number=number, scope=scope)

    return publish


def test_a_member_follows_the_column_from_its_page(school_a, users):
    member = client_for(users["member_a"])
    html = member.get(school_a.url, **CHINESE).content.decode()
    assert "关注本专栏" in html
    response = member.post(school_a.subpage_url("follow"), **CHINESE)
    assert response.status_code == 302 and response["Location"] == school_a.url
    follow = Follow.objects.get(user=users["member_a"])
    assert follow.catalog_id == school_a.pk and follow.entry is None
    html = member.get(school_a.url, **CHINESE).content.decode()
    assert "您已关注本专栏" in html and "取消关注" in html
    # The same button again stops it.
    member.post(school_a.subpage_url("follow"))
    assert not Follow.objects.exists()


def test_a_member_follows_an_entry_from_its_page(school_a, users):
    entry = school_a.entries.get(number=5)
    member = client_for(users["member_a"])
    url = school_a.subpage_url("entry", entry.pk)
    assert "关注本条目" in member.get(url, **CHINESE).content.decode()
    response = member.post(school_a.subpage_url("follow"), {"entry": entry.pk})
    assert response.status_code == 302 and response["Location"] == url
    assert Follow.objects.get().entry == entry
    assert "您已关注本条目" in member.get(url, **CHINESE).content.decode()


def test_only_the_schools_own_people_may_follow(school_a, school_b, users):
    for username in ("member_b", "editor_b", "supervisor"):
        client = client_for(users[username])
        assert (
            'action="' + school_a.subpage_url("follow")
            not in client.get(school_a.url).content.decode()
        )
        assert client.post(school_a.subpage_url("follow")).status_code == 403
    anonymous = client_for()
    assert school_a.subpage_url("follow") not in anonymous.get(school_a.url).content.decode()
    response = anonymous.post(school_a.subpage_url("follow"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Follow.objects.exists()


def test_bad_follow_input(school_a, school_b, users):
    member = client_for(users["member_a"])
    other_entry = school_b.entries.first()
    for entry in (other_entry.pk, "abc", "99999999999999999999"):
        assert member.post(school_a.subpage_url("follow"), {"entry": entry}).status_code == 404
    # A GET changes nothing.
    assert member.get(school_a.subpage_url("follow")).status_code == 302
    assert not Follow.objects.exists()


def test_a_public_item_reaches_every_follower_and_an_internal_one_only_its_readers(
    school_a, users, publish
):
    for username in ("member_a", "editor_a", "member_b", "editor_b"):
        # Another school's people may have followed before they moved (rows made directly).
        Follow.objects.create(user=users[username], catalog=school_a)
    publish(school_a, "Public NEWPUBLIC notice", 5)
    assert recipients() == {
        "member_a@example.com",
        "editor_a@example.com",
        "member_b@example.com",
        "editor_b@example.com",
    }
    assert OutgoingEmail.objects.filter(subject__contains="NEWPUBLIC").count() == 4

    publish(school_a, "Internal NEWSECRET minutes", 1)
    assert recipients() == {"member_a@example.com", "editor_a@example.com"}
    for message in mail.outbox:
        assert "NEWSECRET" in message.subject
    # Nothing of the internal item is queued for an outsider.
    for row in OutgoingEmail.objects.filter(subject__contains="NEWSECRET"):
        assert set(row.recipients.split(", ")) <= {"member_a@example.com", "editor_a@example.com"}


def test_a_follower_who_leaves_the_school_gets_no_more_internal_items(school_a, users, publish):
    member = users["member_a"]
    Follow.objects.create(user=member, catalog=school_a)
    member.groups.remove(school_a.members_group)
    publish(school_a, "Internal LEFTSECRET minutes", 1)
    assert mail.outbox == []
    publish(school_a, "Public LEFTPUBLIC notice", 5)
    assert recipients() == {"member_a@example.com"}


def test_an_entry_follow_hears_of_its_entry_only_and_one_email_per_person(school_a, users, publish):
    entry = school_a.entries.get(number=5)
    Follow.objects.create(user=users["member_a"], catalog=school_a, entry=entry)
    Follow.objects.create(user=users["editor_a"], catalog=school_a, entry=entry)
    Follow.objects.create(user=users["editor_a"], catalog=school_a)
    publish(school_a, "Public OTHERENTRY notice", 6)
    assert recipients() == {"editor_a@example.com"}
    publish(school_a, "Public SAMEENTRY notice", 5)
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "editor_a@example.com",
        "member_a@example.com",
    ]


def test_only_the_first_publication_is_news(
    school_a, users, publish, django_capture_on_commit_callbacks
):
    Follow.objects.create(user=users["member_a"], catalog=school_a)
    item = publish(school_a, "Public ONCE notice", 5)
    assert len(mail.outbox) == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item.title = "Public ONCE notice, corrected"
        item.save_revision().publish()
    assert mail.outbox == []


def test_the_email_links_the_item_and_unfollows_without_logging_in(school_a, users, publish):
    follow = Follow.objects.create(user=users["member_a"], catalog=school_a)
    item = publish(school_a, "Public LINKS notice", 5)
    (message,) = mail.outbox
    assert item.full_url in message.body
    unfollow = re.search(r"http://\S+/unfollow/[0-9a-f-]+/", message.body).group(0)
    assert str(follow.token) in unfollow
    path = urlsplit(unfollow).path
    anonymous = client_for()
    # Opening the link changes nothing (mail programs open links to check them).
    response = anonymous.get(path, **CHINESE)
    assert response.status_code == 200 and "停止接收" in response.content.decode()
    assert Follow.objects.exists()
    response = anonymous.post(path, **CHINESE)
    assert response.status_code == 200 and "不再关注" in response.content.decode()
    assert not Follow.objects.exists()
    # The link then follows nothing, and says so.
    response = anonymous.get(path, **CHINESE)
    assert response.status_code == 404 and 'role="alert"' in response.content.decode()
    publish(school_a, "Public AFTER notice", 5)
    assert mail.outbox == []


def test_an_unknown_unfollow_token_is_not_found(school_a):
    url = school_a.subpage_url("unfollow", "00000000-0000-0000-0000-000000000000")
    assert client_for().post(url).status_code == 404

"""Feeds and the JSON export: open data, public items only, whoever asks."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import add_item


@pytest.fixture(params=["anonymous", "member_a", "superuser"])
def reader(request, users):
    client = Client()
    if request.param != "anonymous":
        client.force_login(users[request.param])
    return client


def test_site_feed_lists_public_items_of_every_school(reader, school_b, items_a):
    add_item(school_b, "B public BOPENWORD", number=8)
    add_item(school_b, "B internal BSECRETWORD", number=1)
    response = reader.get(reverse("dangwu_wagtail:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert "OPENWORD" in text and "BOPENWORD" in text
    for word in ("SECRETWORD", "BSECRETWORD", "DRAFTWORD", "/internal/"):
        assert word not in text
    assert "<name>A中学党委</name>" in text


def test_column_json_export(reader, school_a, items_a):
    response = reader.get(school_a.subpage_url("export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["organisation"] == "A中学党委"
    assert len(data["catalog"]) == school_a.entries.count()
    assert data["catalog"][0]["title"] == school_a.entries.first().title
    assert [item["title"] for item in data["items"]] == ["Public OPENWORD plan"]
    item = data["items"][0]
    assert item["url"].startswith("http://testserver/") and item["scope"] == "public"
    text = response.content.decode()
    for word in ("SECRETWORD", "DRAFTWORD", "/internal/"):
        assert word not in text
    assert "党" in text  # Chinese as text, not \\u escapes


def test_column_page_links_its_open_data(client, school_a):
    text = client.get(school_a.url).content.decode()
    assert school_a.subpage_url("export") in text and school_a.subpage_url("feed") in text

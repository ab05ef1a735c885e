"""The school boundary on every route of the admin and the APIs, for every outsider.

School B gets a thing of every kind, each carrying a secret token (``tests.crawler``). Then
every route that Django's URL resolver knows under ``/admin/`` and ``/api/`` is requested,
filled with school B's objects, as every kind of person who is not of school B: another
school's editor, reviewer and member, B's own member (for B's drafts and registers), the host
site's Editors and Moderators, the superior organisation's approver, and nobody logged in.
API v3 is asked with each one's bearer token. Supervisors, who read everything, and the
outsiders who reach the admin then send every write each route takes; school B's data must
be what it was.

The figures (routes and probes) are printed at the end of the test run and kept in
docs/admin-crawl.md.
"""

import pytest
from django.test import Client

from tests.crawler import (
    CrawlReport,
    admin_and_api_routes,
    api_tokens,
    crawl,
    logged_in,
    make_outsiders,
    plant_secrets,
    write_crawl,
)

READERS = [
    "anonymous",
    "editor_a",
    "reviewer_a",
    "member_a",
    "member_b",
    "host_editor",
    "host_moderator",
    "approver",
]
WRITERS = ["supervisor", "editor_a", "reviewer_a", "host_editor", "host_moderator", "approver"]


@pytest.fixture
def district(school_a, school_b, users):
    secrets = plant_secrets(school_b, users)
    secrets.own_ids = [school_a.pk, school_a.internal_section_id]
    people = {**make_outsiders(users, school_a), "supervisor": users["supervisor"]}
    return secrets, people


def clients_for(name, people):
    """The person's admin client (a session) and the headers of their API v3 requests."""
    if name == "anonymous":
        return Client(raise_request_exception=False), {}
    token = api_tokens({name: people[name]})[name]
    return logged_in(people[name]), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def split(routes):
    return [r for r in routes if not r.is_api_v3], [r for r in routes if r.is_api_v3]


def record(record_property, kind, name, routes, report):
    record_property(
        "admin_crawl",
        {
            "kind": kind,
            "person": name,
            "routes": len(routes),
            "crawled": len(report.routes),
            "probes": report.probes,
        },
    )


@pytest.mark.parametrize("outsider", READERS)
def test_an_outsider_sees_nothing_of_another_school(outsider, district, record_property):
    secrets, people = district
    tokens = set(secrets.tokens)
    if outsider == "member_b":
        # What B's member reads on the site is theirs; B's drafts and registers are not.
        tokens -= secrets.member_tokens
    routes = admin_and_api_routes()
    admin_routes, api_routes = split(routes)
    client, headers = clients_for(outsider, people)
    report = CrawlReport()
    crawl(client, admin_routes, secrets, tokens, report)
    # API v3 authenticates by token alone; its listings of documents and images are public.
    api_client = Client(raise_request_exception=False)
    crawl(api_client, api_routes, secrets, tokens - secrets.public_tokens, report, headers)
    record(record_property, "read", outsider, routes, report)
    assert report.routes == {route.name for route in routes}, "routes the crawl could not fill"
    assert not report.findings, "\n".join(map(str, report.findings))


@pytest.mark.parametrize("writer", WRITERS)
def test_nobody_outside_a_school_changes_it(writer, district, record_property):
    secrets, people = district
    routes = admin_and_api_routes()
    admin_routes, api_routes = split(routes)
    client, headers = clients_for(writer, people)
    report = CrawlReport()
    # The approver's own step on school B's catalog adjustment is theirs to take, and
    # Wagtail lets a step's reviewers lock the page they review (test_moderation.py follows
    # the step); everything else of school B is not theirs.
    own_steps = []
    if writer == "approver":
        catalog = secrets.catalog.pk
        own_steps = [
            f"/admin/pages/workflow/action/{catalog}/",
            # The same action where the review modal posts it (admin_pages.ReviewActionView).
            f"/admin/dangwu/pages/{catalog}/review/",
            f"/admin/pages/workflow/collect_action_data/{catalog}/",
            f"/admin/pages/{catalog}/lock/",
            f"/admin/pages/{catalog}/unlock/",
        ]
    write_crawl(client, admin_routes, secrets, report, own_steps=own_steps)
    write_crawl(Client(raise_request_exception=False), api_routes, secrets, report, headers)
    record(record_property, "write", writer, routes, report)
    assert not report.findings, "\n".join(map(str, report.findings))

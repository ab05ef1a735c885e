"""Every route of the add-on, fed numbers no database holds and text that is no number, in
its path and in its query string, answers with a page, a form error, a redirect or a 404:
never a 500.

The routes are read from Django's URL resolver (every pattern whose view is the add-on's:
the members' pages, the admin pages, the registers) and from the routable pages' subpage
patterns (``Catalog.get_subpage_urls()``), so a route added later is probed too.
"""

import inspect
import re
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.contrib.routable_page.models import RoutablePageMixin

from dangwu_wagtail.conf import DEFAULTS

#: Numbers too large for any integer column, negative, digits other than ASCII ones, junk.
BAD_VALUES = [
    str(2**63),
    str(10**30),
    "-1",
    "²",
    "٣",
    "１",
    "1.5",
    "abc",
    "\x00",
    "",
]
#: The query-string parameters the add-on's views read (a page, an item, a year, a search,
#: the registers' ordering and filters, an export) and a few they should not mind.
QUERY_PARAMETERS = ["item", "page", "p", "o", "q", "year", "organisation_type", "export", "id"]
ACTORS = [None, "member_a", "editor_a"]

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def _views(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _views(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def _module(view):
    # A class-based view's function carries its class, and also the ``__wrapped__`` of a
    # decorated ``dispatch``: ask for the class before unwrapping.
    owner = getattr(view, "view_class", None)
    if owner is None:
        view = inspect.unwrap(view)
        owner = getattr(view, "__self__", None) or getattr(view, "view_class", None)
    if owner is None:
        owner = view if inspect.isfunction(view) else type(view)
    return getattr(owner, "__module__", "") or ""


def addon_routes():
    """The add-on's routes in the site's URL resolver, as ``/route/with/<parameters>/``."""
    return sorted(
        "/" + route
        for route, view in _views(get_resolver())
        if _module(view).startswith("dangwu_wagtail")
    )


def routable_pages():
    """``(page model, its subpage routes)`` for every routable page type of the add-on."""
    return [
        (
            model,
            [str(pattern.pattern).lstrip("^").rstrip("$") for pattern in model.get_subpage_urls()],
        )
        for model in apps.get_app_config("dangwu_wagtail").get_models()
        if issubclass(model, RoutablePageMixin)
    ]


def fill(route, value):
    """``route`` with each of its parameters replaced by ``value``, quoted for a path."""

    def replace(match):
        name = match["name"] or match["group"]
        text = urlsafe_base64_encode(force_bytes(value)) if name == "uidb64" else value
        return quote(text, safe="")

    return PARAMETER.sub(replace, route)


def test_the_routes_are_found():
    routes = addon_routes()
    assert "/admin/dangwu/columns/<dangwu_id:pk>/" in routes
    assert "/admin/dangwu/requests/<dangwu_id:pk>/attachment/" in routes
    assert any("disclosurerequest/edit/(?P<instance_pk>" in route for route in routes)
    assert "/members/password-reset/<uidb64>/<token>/" in routes
    [(_model, subpages)] = [(m, s) for m, s in routable_pages() if m.__name__ == "Catalog"]
    assert {"entry/<int:entry_id>/", "request/<uuid:token>/", "feedback/"} <= set(subpages)


def probe(client, method, url, value):
    query = {name: value for name in QUERY_PARAMETERS}
    if method == "get":
        return client.get(f"{url}?{urlencode(query)}")
    return client.post(url, query)


@override_settings(DANGWU_WAGTAIL={"RATE_LIMITS": dict.fromkeys(DEFAULTS["RATE_LIMITS"])})
@pytest.mark.parametrize("actor", ACTORS)
def test_no_route_answers_500_to_bad_numbers(actor, users, school_a, items_a, capsys):
    client = Client(raise_request_exception=False)
    if actor is not None:
        client.force_login(users[actor])
    urls = [(route, "get") for route in addon_routes()]
    pages = {"Catalog": school_a}
    for model, subpages in routable_pages():
        page = pages[model.__name__]
        for subpage in subpages:
            urls += [(page.url + subpage, "get"), (page.url + subpage, "post")]
    failures, probes = [], 0
    for route, method in urls:
        for value in BAD_VALUES:
            url = fill(route, value)
            response = probe(client, method, url, value)
            probes += 1
            if response.status_code >= 500:
                failures.append((method, url, repr(value), response.status_code))
    with capsys.disabled():
        print(f"\n{actor or 'anonymous'}: {len(urls)} routes, {probes} probes")
    assert not failures, f"{len(failures)} answered 500:\n" + "\n".join(map(str, failures))


def test_a_copy_to_a_parent_no_database_holds_answers_no_500(users, items_a):
    """The add-on's copy hook reads the destination from the form."""
    from django.urls import reverse

    editor = Client(raise_request_exception=False)
    editor.force_login(users["editor_a"])
    url = reverse("wagtailadmin_pages:copy", args=(items_a["public"].pk,))
    for value in BAD_VALUES:
        response = editor.post(
            url, {"new_title": "Copy", "new_slug": "copy", "new_parent_page": value}
        )
        assert response.status_code < 500, repr(value)

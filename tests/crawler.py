"""An outsider's crawl of the admin and the APIs: every route, filled with another school's
objects, requested as every kind of person who is not of that school.

The routes come from Django's URL resolver, so a route that a future Wagtail adds is crawled
too. Each parameter of a route is filled by its name with school B's objects of the matching
kind (a name the crawler does not know gets every id of school B's objects), and each listing
is asked with searches, filters and bulk selections. A response fails the crawl when it shows
one of school B's secret tokens (in its body, headers, a zipped export or a JSON document), or
when it is a server error.
"""

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property

import swapper
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    APIToken,
    Collection,
    GroupCollectionPermission,
    ModelLogEntry,
    PageLogEntry,
    Revision,
    Site,
    TaskState,
    WorkflowState,
)

from dangwu_wagtail.models import (
    DisclosureItem,
    DisclosureItemAttachment,
    DisclosureRequest,
    Feedback,
    ReceptionRecord,
    Scope,
)
from tests.conftest import add_item, make_user

#: Route prefixes crawled: Wagtail's admin with the add-on's admin pages and registers, the
#: admin's own API, and the public APIs a host may enable.
CRAWLED_PREFIXES = ("admin/", "api/")
#: Routes that are not pages to read: they end the session or only raise on purpose.
NOT_CRAWLED = {"wagtailadmin_logout", "wagtailadmin_error_test"}

#: Words that appear in school B's listed things next to its secrets, for searches.
SEARCH_WORDS = ["minutes", "notice", "report", "photo", "request", "visit", "opinion", "zq"]


@dataclass
class SchoolSecrets:
    """School B's things an outsider must never see, each carrying a token of its own."""

    catalog: object
    pages: dict = field(default_factory=dict)
    revisions: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    images: list = field(default_factory=list)
    rows: dict = field(default_factory=dict)
    #: token -> what it stands for
    tokens: dict = field(default_factory=dict)
    #: tokens a member of school B may read on the site (its live internal item)
    member_tokens: set = field(default_factory=set)
    #: tokens of school B's public collection: in the admin they are B's, on the public
    #: channels (API v3's listings of public documents and images) anyone's
    public_tokens: set = field(default_factory=set)

    #: ids of the outsider's own school, for routes that take two pages
    own_ids: list = field(default_factory=list)

    def ids(self, kind):
        return list(self.ids_by_kind.get(kind, []))

    def task_states_of(self, page_id):
        return list(
            TaskState.objects.filter(workflow_state__object_id=str(page_id)).values_list(
                "pk", flat=True
            )
        )

    def workflow_states_of(self, page_id):
        return list(
            WorkflowState.objects.filter(object_id=str(page_id)).values_list("pk", flat=True)
        )

    @cached_property
    def ids_by_kind(self):
        catalog = self.catalog
        pages = list(self.pages.values())
        return {
            "page": [page.pk for page in pages],
            "catalog": [catalog.pk],
            "revision": [revision.pk for revision in self.revisions],
            "document": [document.pk for document in self.documents],
            "image": [image.pk for image in self.images],
            "collection": [catalog.collection_id, catalog.internal_collection_id],
            "task_state": list(
                TaskState.objects.filter(
                    workflow_state__object_id__in=[str(page.pk) for page in pages]
                ).values_list("pk", flat=True)
            ),
            "workflow_state": list(
                WorkflowState.objects.filter(
                    object_id__in=[str(page.pk) for page in pages]
                ).values_list("pk", flat=True)
            ),
            "task": list(
                TaskState.objects.filter(
                    workflow_state__object_id__in=[str(page.pk) for page in pages]
                ).values_list("task_id", flat=True)
            ),
            "workflow": list(
                WorkflowState.objects.filter(
                    object_id__in=[str(page.pk) for page in pages]
                ).values_list("workflow_id", flat=True)
            )
            + [catalog.adjustment_workflow_id],
            "log_entry": list(
                PageLogEntry.objects.filter(page__in=pages).values_list("pk", flat=True)
            )
            + list(ModelLogEntry.objects.filter(label__contains="ZQ").values_list("pk", flat=True)),
            "user": list(
                get_user_model()
                .objects.filter(
                    groups__in=[
                        catalog.members_group_id,
                        catalog.editors_group_id,
                        catalog.reviewers_group_id,
                    ]
                )
                .values_list("pk", flat=True)
            ),
            "site": list(Site.objects.values_list("pk", flat=True)),
            "group": [
                catalog.members_group_id,
                catalog.editors_group_id,
                catalog.reviewers_group_id,
            ],
            "disclosurerequest": [row.pk for row in self.rows.get("disclosurerequest", [])],
            "receptionrecord": [row.pk for row in self.rows.get("receptionrecord", [])],
            "feedback": [row.pk for row in self.rows.get("feedback", [])],
        }


def plant_secrets(school_b, users):
    """Give school B a thing of every kind, each with a secret token, and return them."""
    secrets = SchoolSecrets(catalog=school_b)
    token = secrets.tokens
    editor_b = users["editor_b"]
    Document = get_document_model()

    linked = Document.objects.create(
        title="ZQLINKDOC report",
        file=ContentFile(b"ZQLINKDOC", name="linked.txt"),
        collection=school_b.collection,
    )
    attached = Document.objects.create(
        title="ZQINTDOC report",
        file=ContentFile(b"ZQINTDOC", name="attached.txt"),
        collection=school_b.collection,
    )
    internal_collection_doc = Document.objects.create(
        title="ZQINTCOLLDOC report",
        file=ContentFile(b"ZQ", name="internal.txt"),
        collection=school_b.internal_collection,
    )
    own_doc = Document.objects.create(
        title="ZQBDOC report",
        file=ContentFile(b"ZQ", name="b.txt"),
        collection=school_b.collection,
    )
    image = get_image_model().objects.create(
        title="ZQBIMAGE photo", file=get_test_image_file(), collection=school_b.collection
    )
    secrets.documents = [linked, attached, internal_collection_doc, own_doc]
    secrets.images = [image]

    internal = add_item(
        school_b,
        "ZQINTTITLE minutes",
        number=1,
        scope=Scope.INTERNAL,
        live=False,
        body=f'<p>ZQINTBODY <a linktype="document" id="{linked.pk}">the report</a></p>',
    )
    internal.tags.add("ZQINTTAG")
    DisclosureItemAttachment.objects.create(item=internal, document=attached)
    internal.save_revision(user=editor_b).publish()
    internal = DisclosureItem.objects.get(pk=internal.pk)
    # A draft of the live internal item, pending.
    internal.title = "ZQINTDRAFT minutes"
    internal.save_revision(user=editor_b)

    public = add_item(school_b, "B public notice", number=8, scope=Scope.PUBLIC)
    public = DisclosureItem.objects.get(pk=public.pk)
    public.title = "ZQPUBDRAFT notice"
    public.body = "<p>ZQPUBDRAFTBODY</p>"
    public.save_revision(user=editor_b)

    draft = add_item(
        school_b,
        "ZQDRAFTTITLE notice",
        number=8,
        scope=Scope.PUBLIC,
        live=False,
        body="<p>ZQDRAFTBODY</p>",
    )
    draft.save_revision(user=editor_b)
    draft.save_revision(user=editor_b)

    in_review = add_item(
        school_b,
        "ZQREVIEWTITLE notice",
        number=8,
        scope=Scope.PUBLIC,
        live=False,
        body="<p>ZQREVIEWBODY</p>",
    )
    in_review.save_revision(user=editor_b)
    school_b.internal_section.get_workflow().start(in_review, editor_b)

    # A catalog adjustment that the school has reviewed: it awaits the superior organisation.
    reviewer_b = make_user("reviewer_b", school_b.reviewers_group)
    school_b.save_revision(user=editor_b)
    school_b.get_workflow().start(school_b, editor_b)
    task_state = type(school_b).objects.get(pk=school_b.pk).current_workflow_task_state
    reviewer = Client()
    reviewer.force_login(reviewer_b)
    response = reviewer.post(
        reverse("wagtailadmin_pages:workflow_action", args=(school_b.pk, "approve", task_state.pk)),
        {"comment": "", "nothing_secret": "on", "scope_confirmed": "on"},
    )
    assert response.status_code == 302, response.content[:500]
    assert (
        type(school_b).objects.get(pk=school_b.pk).current_workflow_task.name.startswith("Superior")
    )

    secrets.pages = {
        "catalog": school_b,
        "section": school_b.internal_section,
        "internal": DisclosureItem.objects.get(pk=internal.pk),
        "public": DisclosureItem.objects.get(pk=public.pk),
        "draft": DisclosureItem.objects.get(pk=draft.pk),
        "in_review": DisclosureItem.objects.get(pk=in_review.pk),
    }
    secrets.revisions = list(
        Revision.page_revisions.filter(object_id__in=[str(p.pk) for p in secrets.pages.values()])
    )

    request = DisclosureRequest.objects.receive(
        school_b,
        name="ZQREQNAME",
        email="zqreq@example.com",
        phone="",
        subject="ZQREQSUBJECT request",
        description="ZQREQDESC",
        purpose="",
    )
    reception = ReceptionRecord.objects.create(
        catalog=school_b,
        visitor_name="ZQVISITOR",
        visitor_contact="",
        place="",
        question="visit ZQQUESTION",
        received_by="",
        outcome="",
    )
    feedback = Feedback.objects.create(
        catalog=school_b,
        item=secrets.pages["internal"],
        author=users["member_b"],
        author_name="ZQAUTHOR",
        text="opinion ZQFEEDBACK",
    )
    secrets.rows = {
        "disclosurerequest": [request],
        "receptionrecord": [reception],
        "feedback": [feedback],
    }

    for word in [
        "ZQLINKDOC", "ZQINTDOC", "ZQINTCOLLDOC", "ZQBDOC", "ZQBIMAGE", "ZQINTTITLE",
        "ZQINTBODY", "ZQINTTAG", "ZQINTDRAFT", "ZQPUBDRAFT", "ZQPUBDRAFTBODY", "ZQDRAFTTITLE",
        "ZQDRAFTBODY", "ZQREVIEWTITLE", "ZQREVIEWBODY", "ZQREQNAME", "ZQREQSUBJECT",
        "ZQREQDESC", "zqreq@example.com", "ZQVISITOR", "ZQQUESTION", "ZQAUTHOR", "ZQFEEDBACK",
    ]:  # fmt: skip
        token[word] = word
    # What a member of school B reads on the site: the live internal item and its documents.
    secrets.member_tokens = {
        "ZQINTTITLE", "ZQINTBODY", "ZQINTTAG", "ZQINTDOC", "ZQLINKDOC", "ZQINTCOLLDOC",
    }  # fmt: skip
    secrets.public_tokens = {"ZQBDOC", "ZQBIMAGE"}
    return secrets


# The outsiders --------------------------------------------------------------------------------


def make_outsiders(users, school_a):
    """Every kind of person who is not of school B, logged in: ``{name: user}``."""
    from dangwu_wagtail.moderation import approvers_group_name

    outsiders = {name: users[name] for name in ("editor_a", "reviewer_a", "member_a", "member_b")}
    # The host site's own groups, as Wagtail's migrations create them: permissions on the
    # root page and the root collection.
    outsiders["host_editor"] = make_user("host_editor", Group.objects.get(name="Editors"))
    outsiders["host_moderator"] = make_user("host_moderator", Group.objects.get(name="Moderators"))
    outsiders["approver"] = make_user("approver", Group.objects.get(name=approvers_group_name()))
    assert GroupCollectionPermission.objects.filter(
        group__name="Editors", collection=Collection.get_first_root_node()
    ).exists()
    return outsiders


def api_tokens(people):
    """An API v3 bearer token for each of ``people``: ``{name: token}``."""
    return {
        name: APIToken.create_token(user=user, name=f"{name}'s token")[1]
        for name, user in people.items()
    }


# The routes -----------------------------------------------------------------------------------


@dataclass
class Route:
    name: str
    pattern: str
    params: list
    callback: object

    @property
    def namespace(self):
        return self.name.rsplit(":", 1)[0] if ":" in self.name else ""

    @property
    def is_api_v3(self):
        return self.name.startswith("wagtailapi_v3:")


def admin_and_api_routes():
    """Every named route under the crawled prefixes, from the URL resolver."""
    routes = {}

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                full = prefix + str(pattern.pattern)
                if not full.startswith(CRAWLED_PREFIXES) or not pattern.name:
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if name in NOT_CRAWLED:
                    continue
                params = list(pattern.pattern.regex.groupindex)
                routes.setdefault(name, Route(name, full, params, pattern.callback))

    walk(get_resolver().url_patterns, "", "")
    return list(routes.values())


# Filling the routes ---------------------------------------------------------------------------

#: A route parameter's name, and the kind of school B's object it takes.
PARAM_KINDS = {
    "page_id": "page",
    "parent_page_id": "page",
    "page_to_move_id": "page",
    "destination_id": "page",
    "page_pk": "page",
    "object_id": "page",
    "revision_id": "revision",
    "task_state_id": "task_state",
    "workflow_state_id": "workflow_state",
    "task_id": "task",
    "workflow_pk": "workflow",
    "document_id": "document",
    "doc_id": "document",
    "image_id": "image",
    "collection_id": "collection",
}
#: What ``pk`` stands for, by the route's namespace (then by the route's name).
PK_KINDS = {
    "wagtailadmin_pages": "page",
    "wagtailadmin_api:pages": "page",
    "wagtailadmin_api:documents": "document",
    "wagtailadmin_api:images": "image",
    "wagtailapi:pages": "page",
    "wagtaildocs_chooser": "document",
    "wagtailimages_chooser": "image",
    "wagtailadmin_collections": "collection",
    "wagtailadmin_workflows": "workflow",
    "wagtailusers_groups": "group",
    "wagtailusers_users": "user",
    "wagtailsites": "site",
    "wagtailusers_api_tokens": "api_token",
    "wagtailapi_v3": "page",
    "dangwu_wagtail_admin": "catalog",
    "dangwu_wagtail_admin:request_attachment": "disclosurerequest",
    "wagtailadmin_workflows:edit_task": "task",
    "wagtailadmin_workflows:disable_task": "task",
    "wagtailadmin_workflows:enable_task": "task",
}
MODELADMIN_ROUTE = re.compile(r"^dangwu_wagtail_(?P<model>\w+?)_modeladmin_")
MODEL_PARAMS = {"app_label", "app_name", "content_type_app_name"}
MODEL_NAME_PARAMS = {"model_name", "content_type_model_name"}
#: Words next to school B's secrets, for searches: Wagtail's search matches any of them; a
#: register's (Django admin's) search matches the part every token begins with.
SEARCH_ANY = "minutes notice report photo request visit opinion"
SEARCH_PART = "zq"
#: Route names that mark a listing, which is also asked with searches and filters.
LISTING_WORDS = (
    "index", "results", "search", "choose", "chooser", "listing", "list_", "find", "report",
    "autocomplete", "explore", "history", "usage", "columns", "home", "chosen", "root",
)  # fmt: skip


def model_pairs(route):
    """``(app_label, model_name)`` pairs for a route that names a model."""
    from taggit.models import TagBase
    from wagtail.models import get_page_models

    pages = {(m._meta.app_label, m._meta.model_name) for m in get_page_models()}
    if route.name.startswith(("wagtailadmin_pages:", "wagtailadmin_editing_sessions:")):
        return sorted(pages)
    if "tag" in route.name:
        return sorted(
            (ct.app_label, ct.model)
            for ct in ContentType.objects.all()
            if ct.model_class() and issubclass(ct.model_class(), TagBase)
        )
    pairs = {
        (
            swapper.load_model("wagtailcore", "Page")._meta.app_label,
            swapper.load_model("wagtailcore", "Page")._meta.model_name,
        ),
        ("wagtaildocs", "document"),
        ("wagtailimages", "image"),
        ("taggit", "tag"),
        *(
            (ct.app_label, ct.model)
            for ct in ContentType.objects.filter(app_label="dangwu_wagtail")
        ),
    }
    return sorted(pairs)


def bulk_actions():
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    bulk_action_registry._scan_for_bulk_actions()
    return [
        (app_label, model_name, action)
        for app_label, models in bulk_action_registry.actions.items()
        for model_name, actions in models.items()
        for action in actions
    ]


def kind_of(route, param):
    """The kind of school B's object a parameter takes, or None when it is not known."""
    model = MODELADMIN_ROUTE.match(route.name)
    if model and param == "instance_pk":
        return model["model"]
    if param == "pk":
        return PK_KINDS.get(route.name) or PK_KINDS.get(route.namespace)
    return PARAM_KINDS.get(param)


def param_values(route, param, secrets, kwargs):
    """The values to try for one parameter, given those already chosen (``kwargs``)."""
    page_id = kwargs.get("page_id") or kwargs.get("pk")
    if param in ("revision_id", "revision_id_a", "revision_id_b") and page_id:
        own = [r.pk for r in secrets.revisions if r.object_id == str(page_id)]
        if not own:
            return []  # a page without revisions has no revision routes to fill
        if param == "revision_id_a":
            return ["earliest", "live", own[0]]
        if param == "revision_id_b":
            return ["latest", "live", own[-1]]
        return own
    if param == "task_state_id" and page_id:
        return secrets.task_states_of(page_id)
    if param == "workflow_state_id" and page_id:
        return secrets.workflow_states_of(page_id)
    if param == "action_name":
        return ["approve", "reject"]
    if param == "filter_spec":
        return ["original"]
    if param in ("type_name", "type"):
        return ["dangwu_wagtail.DisclosureItem", "dangwu_wagtail.Catalog"]
    if param == "session_id":
        return [1]
    if param in ("page_to_move_id", "destination_id"):
        # Another school's pages, moved or moved into, with the outsider's own column.
        return [*secrets.ids("page"), *secrets.own_ids]
    if param in ("uidb64", "token"):
        return ["MQ" if param == "uidb64" else "set-password"]
    kind = kind_of(route, param)
    if kind:
        return secrets.ids(kind) or [0]
    # A parameter the crawler does not know: an object of each kind school B has.
    return sorted({values[0] for values in secrets.ids_by_kind.values() if values})


def fill(route, secrets):
    """The addresses to request for ``route``: its parameters filled with school B's objects,
    a listing also searched and filtered."""
    if route.name == "wagtail_bulk_action":
        return [
            reverse(route.name, args=action) + query
            for action in bulk_actions()
            for query in bulk_queries(action, secrets)
        ]
    choices = [{}]
    model_param = next((p for p in route.params if p in MODEL_PARAMS), None)
    if model_param:
        name_param = next(p for p in route.params if p in MODEL_NAME_PARAMS)
        choices = [
            {model_param: app_label, name_param: model_name}
            for app_label, model_name in model_pairs(route)
        ]
    for param in route.params:
        if param in MODEL_PARAMS | MODEL_NAME_PARAMS:
            continue
        choices = [
            {**kwargs, param: value}
            for kwargs in choices
            for value in param_values(route, param, secrets, kwargs)
        ]
    urls = [reverse(route.name, kwargs=kwargs) for kwargs in choices]
    if not route.params:
        return [url + query for url in urls for query in listing_queries(route, secrets)]
    if any(word in route.name for word in LISTING_WORDS):
        # A listing of one object's things (a page's children, history, usage): searched.
        return [url + query for url in urls for query in ("", f"?q={SEARCH_ANY}")]
    return urls


def listing_queries(route, secrets):
    """A listing: bare, searched, and filtered by school B's objects as that kind of listing
    takes them (an API by parent and type, a chooser by chosen ids, a register or report by
    column and as an export)."""
    if not any(word in route.name for word in LISTING_WORDS):
        return [""]
    catalog, section = secrets.catalog.pk, secrets.catalog.internal_section_id
    queries = ["", f"?q={SEARCH_PART}", f"?q={SEARCH_ANY}"]
    if "autocomplete" in route.name:
        queries.append(f"?term={SEARCH_PART}")
    if "chosen" in route.name or "choose" in route.name:
        queries.append("?" + "&".join(f"id={page}" for page in secrets.ids("page")))
    if "api" in route.name:
        queries += [
            f"?search={SEARCH_ANY}",
            f"?child_of={section}&fields=*",
            f"?descendant_of={catalog}&type=dangwu_wagtail.DisclosureItem&fields=*",
            f"?for_explorer=1&child_of={section}",
            f"?descendant_of={catalog}&version=draft",
        ]
    if "modeladmin" in route.name or "reports" in route.name or "columns" in route.name:
        queries += [f"?catalog__id__exact={catalog}", "?export=csv", "?export=xlsx"]
    return queries


def bulk_queries(action, secrets):
    _app_label, model_name, _action = action
    if model_name == "page":
        catalog, section = secrets.catalog.pk, secrets.catalog.internal_section_id
        return [
            "?" + "&".join(f"id={pk}" for pk in secrets.ids("page")),
            f"?id=all&childOf={section}",
            f"?id=all&childOf={catalog}",
        ]
    kind = {"document": "document", "image": "image"}.get(model_name)
    if kind:
        return ["?" + "&".join(f"id={pk}" for pk in secrets.ids(kind)), "?id=all"]
    return ["?id=all"]


# Probing --------------------------------------------------------------------------------------


def response_text(response):
    """Everything a response tells: its headers, its body, and the files inside a zip."""
    parts = [f"{name}: {value}" for name, value in response.items()]
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    text = body.decode("utf-8", errors="replace")
    parts.append(text)
    # Messages the response leaves for the next page (Django's cookie storage, signed).
    if "messages" in response.cookies and response.wsgi_request is not None:
        from django.contrib.messages.storage.cookie import CookieStorage

        stored = CookieStorage(response.wsgi_request)._decode(response.cookies["messages"].value)
        parts.extend(str(message) for message in stored or [])
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            parts.append(json.dumps(json.loads(text), ensure_ascii=False))
        except ValueError:
            pass
    return "\n".join(parts)


@dataclass
class CrawlReport:
    routes: set = field(default_factory=set)
    probes: int = 0
    statuses: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)
    per_route: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)

    def record(self, route, url, response, tokens):
        self.routes.add(route.name)
        self.per_route[route.name] = self.per_route.get(route.name, 0) + 1
        self.probes += 1
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            self.findings.append((route.name, url, response.status_code, "server error"))
            return
        text = response_text(response).lower()
        shown = sorted(token for token in tokens if token.lower() in text)
        if shown:
            self.findings.append((route.name, url, response.status_code, ", ".join(shown)))


def crawl(client, routes, secrets, tokens, report, headers=None):
    """GET every filled address of ``routes`` as ``client``; record what it shows."""
    import time

    for route in routes:
        start = time.perf_counter()
        for url in fill(route, secrets):
            response = client.get(url, **(headers or {}))
            report.record(route, url, response, tokens)
            # What a response left for the next page was read with it.
            client.cookies.pop("messages", None)
        report.timings[route.name] = round(time.perf_counter() - start, 2)
    return report


def logged_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


# Writing --------------------------------------------------------------------------------------

#: A form filled for every kind of admin form at once: workflow steps, copies, moves, edits,
#: answers. Whatever a route expects, it finds what a person would send.
GENERIC_FORM = {
    "comment": "Taken over",
    "nothing_secret": "on",
    "scope_confirmed": "on",
    "title": "Taken over",
    "slug": "taken-over",
    "new_title": "Taken over",
    "new_slug": "taken-over",
    "publish_copies": "on",
    "copy_subpages": "on",
    "action": "answer",
    "answer_type": "refused",
    "refusal_reason": "third_party",
    "explanation": "Taken over",
    "answer": "Taken over",
    "category": "other",
    "collection": "",
    "tags": "taken-over",
    "restriction_type": "none",
    "confirm": "on",
}


def write_requests(route, secrets):
    """``(method, url, data)`` for every filled address of ``route``: a form POST, or for API
    v3 the verb its name says, with a JSON body for every kind of write."""
    urls = [
        url for url in fill(route, secrets) if "?" not in url or route.name == "wagtail_bulk_action"
    ]
    if not route.is_api_v3:
        form = {
            **GENERIC_FORM,
            "new_parent_page": str(secrets.own_ids[0] if secrets.own_ids else ""),
        }
        return [("post", url, form) for url in urls]
    name = route.name.split(":")[-1]
    if name.startswith("create_") or "_actions_" in name:
        method = "post"
    elif name.startswith("update_"):
        method = "patch"
    elif name.startswith("delete_"):
        method = "delete"
    else:
        return []
    body = {
        "meta": {
            "type": "dangwu_wagtail.DisclosureItem",
            "parent_id": secrets.catalog.pk,
            "action": "publish",
        },
        "title": "Taken over",
        "destination_id": secrets.own_ids[0] if secrets.own_ids else secrets.catalog.pk,
        "recursive": True,
        "keep_live": True,
        "revision_id": secrets.revisions[0].pk if secrets.revisions else 1,
    }
    return [(method, url, json.dumps(body)) for url in urls]


def fingerprint(secrets):
    """Everything of school B that a write could change, as one comparable value."""
    from django.contrib.auth.models import Permission
    from wagtail.models import PageViewRestriction

    Page = swapper.load_model("wagtailcore", "Page")

    from dangwu_wagtail.models import CatalogEntry

    catalog = secrets.catalog

    page_rows = list(
        Page.objects.filter(path__startswith=catalog.path)
        .order_by("pk")
        .values_list(
            "pk", "path", "title", "draft_title", "slug", "live", "locked",
            "latest_revision_id", "has_unpublished_changes", "go_live_at", "expire_at",
            "owner_id",
        )
    )  # fmt: skip
    ids = [str(row[0]) for row in page_rows]
    groups = [catalog.members_group_id, catalog.editors_group_id, catalog.reviewers_group_id]
    collections = [catalog.collection_id, catalog.internal_collection_id]
    Document, Image = get_document_model(), get_image_model()
    return (
        page_rows,
        list(Revision.page_revisions.filter(object_id__in=ids).order_by("pk").values_list("pk")),
        list(PageLogEntry.objects.filter(page_id__in=ids).order_by("pk").values_list("pk")),
        list(
            WorkflowState.objects.filter(object_id__in=ids)
            .order_by("pk")
            .values_list("pk", "status")
        ),
        list(
            TaskState.objects.filter(workflow_state__object_id__in=ids)
            .order_by("pk")
            .values_list("pk", "status")
        ),
        list(CatalogEntry.objects.filter(catalog=catalog).order_by("pk").values()),
        list(
            Document.objects.filter(collection__in=collections)
            .order_by("pk")
            .values_list("pk", "title", "collection_id", "file")
        ),
        list(
            Image.objects.filter(collection__in=collections)
            .order_by("pk")
            .values_list("pk", "title", "collection_id", "file")
        ),
        [list(Collection.objects.filter(pk__in=collections).values_list("pk", "name", "path"))],
        list(
            PageViewRestriction.objects.filter(page_id__in=ids).values_list(
                "pk", "restriction_type"
            )
        ),
        list(
            GroupCollectionPermission.objects.filter(collection__in=collections).values_list("pk")
        ),
        list(Permission.objects.filter(group__in=groups).values_list("pk", "group")),
        list(get_user_model().groups.through.objects.filter(group__in=groups).values_list("pk")),
        [
            list(model.objects.filter(catalog=catalog).order_by("pk").values())
            for model in (DisclosureRequest, ReceptionRecord, Feedback)
        ],
        list(DisclosureItem.tags.through.objects.filter(content_object__in=ids).values_list("pk")),
    )


def write_crawl(client, routes, secrets, report, headers=None, own_steps=()):
    """Send every write each route takes as ``client``; record any route after which school
    B's data is not what it was. A 500 is counted, not a finding: what matters here is that
    nothing changed (Wagtail's own choosers answer 500 to some forms, for anyone).
    ``own_steps`` are addresses of the person's own workflow steps, which are not sent."""
    before = fingerprint(secrets)
    for route in routes:
        for method, url, data in write_requests(route, secrets):
            if url.startswith(tuple(own_steps)):
                continue
            kwargs = dict(headers or {})
            if route.is_api_v3:
                kwargs["content_type"] = "application/json"
            response = getattr(client, method)(url, data, **kwargs)
            report.routes.add(route.name)
            report.probes += 1
            report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
            client.cookies.pop("messages", None)
        after = fingerprint(secrets)
        if after != before:
            report.findings.append((route.name, "changed school B's data"))
            before = after
    return report

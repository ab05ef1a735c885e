"""Wagtail's Elasticsearch and OpenSearch backends, checked without a search server.

No Elasticsearch or OpenSearch server can run on the test machines, so these tests run the
backends' own code (mapping, documents, indexing, ``update_index``) with the real Python
clients, and replace only what would go over the network: the client's transport node
(elasticsearch) or connection (opensearch-py) records each HTTP request it is given and
answers as a server would. What an index would *match* (analyzers, scoring) needs a real
server and is not tested here.
"""

import json
import socket
from io import StringIO

import pytest
import swapper
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport import ConnectionError as ElasticsearchConnectionError
from elastic_transport._node import NodeApiResponse
from opensearchpy import Connection
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from wagtail.search.backends import get_search_backend

from dangwu_wagtail.models import DisclosureItem, DisclosureRequest, Scope
from tests.conftest import add_item

#: Wagtail 8's backends for the servers docs/deployment.md names, by client. opensearch2
#: needs opensearch-py 2 (it passes positional arguments that opensearch-py 3 refuses); the
#: test extras install opensearch-py 3, so opensearch2 is checked for its mapping only.
ELASTICSEARCH_BACKENDS = [
    "wagtail.search.backends.elasticsearch8",
    "wagtail.search.backends.elasticsearch9",
]
OPENSEARCH_BACKENDS = ["wagtail.search.backends.opensearch3"]
TRANSPORT_BACKENDS = ELASTICSEARCH_BACKENDS + OPENSEARCH_BACKENDS
MAPPING_BACKENDS = [*TRANSPORT_BACKENDS, "wagtail.search.backends.opensearch2"]

#: Where the Chinese words go in a document of the pages' index: a field defined below the
#: root model (Page) is prefixed with the model that defines it, here the abstract mixin.
SEARCH_WORDS = "dangwu_wagtail_disclosureitemmixin__search_words"
SEARCH_BIGRAMS = "dangwu_wagtail_disclosureitemmixin__search_bigrams"
#: The index of the base page model, as Wagtail names it: the site may have swapped the model.
PAGES_INDEX = "{0.app_label}_{0.model_name}".format(swapper.load_model("wagtailcore", "Page")._meta)
DUES_TITLE = "党费收缴、管理和使用"


# A search server's answers, for the recording transports ------------------------------------


def server_answer(method, path, body):
    """``(status, json)`` of a search server that holds nothing and accepts everything."""
    path = path.split("?", 1)[0]
    if method == "HEAD":
        return 404, {}  # no index or alias exists yet
    if path.endswith("/_bulk"):
        lines = [json.loads(line) for line in body.splitlines() if line.strip()]
        actions = [
            line
            for line in lines
            if len(line) == 1 and next(iter(line)) in {"index", "create", "update", "delete"}
        ]
        items = [
            {operation: {"_id": meta.get("_id"), "status": 201, "result": "created"}}
            for action in actions
            for operation, meta in action.items()
        ]
        return 200, {"took": 1, "errors": False, "items": items}
    if path.endswith("/_search"):
        hits = {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []}
        return 200, {"took": 1, "timed_out": False, "hits": hits}
    if path.endswith("/_count"):
        return 200, {"count": 0}
    if method == "DELETE":
        return 200, {"acknowledged": True, "result": "deleted"}
    return 200, {"acknowledged": True, "result": "created"}


class RecordingNode(BaseNode):
    """An elasticsearch client's node that records requests instead of sending them."""

    _CLIENT_META_HTTP_CLIENT = ("rec", "1")
    sent = []

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        text = body.decode() if body else ""
        self.sent.append((method, target, text))
        status, answer = server_answer(method, target, text)
        headers = HttpHeaders(
            {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
        )
        meta = ApiResponseMeta(
            status=status, http_version="1.1", headers=headers, duration=0.0, node=self.config
        )
        return NodeApiResponse(meta, json.dumps(answer).encode())

    def close(self):
        pass


class RecordingConnection(Connection):
    """An opensearch-py connection that records requests instead of sending them."""

    sent = []

    def perform_request(
        self, method, url, params=None, body=None, timeout=None, ignore=(), headers=None
    ):
        text = body.decode() if isinstance(body, bytes) else (body or "")
        self.sent.append((method, url, text))
        status, answer = server_answer(method, url, text)
        raw = json.dumps(answer)
        if not (200 <= status < 300) and status not in ignore:
            self._raise_error(status, raw, "application/json")
        return status, {"content-type": "application/json"}, raw


def short_name(path):
    return path.rsplit(".", 1)[-1]


@pytest.fixture(params=TRANSPORT_BACKENDS, ids=short_name)
def backend_path(request):
    return request.param


@pytest.fixture
def recording_backend(settings, backend_path):
    """``WAGTAILSEARCH_BACKENDS["default"]``: ``backend_path`` with a recording transport.

    Returns the list of the requests the client sends, as ``(method, path, body)``.
    """
    sent = []
    RecordingNode.sent = RecordingConnection.sent = sent
    if backend_path in ELASTICSEARCH_BACKENDS:
        options = {"node_class": RecordingNode}
    else:
        options = {"connection_class": RecordingConnection}
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": backend_path,
            "URLS": ["http://search.invalid:9200"],
            "OPTIONS": options,
        }
    }
    return sent


@pytest.fixture
def unreachable_url():
    """A loopback address where nothing listens: the socket is bound, never listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def mentions(sent, *words):
    """The requests whose path or body carries one of ``words``."""
    # The index's text is in lower case: compare without case.
    return [
        request
        for request in sent
        if any(w.lower() in (request[1] + request[2]).lower() for w in words)
    ]


def about_document(sent, item):
    """``(method, path)`` of the requests that name ``item``'s document in the pages' index,
    by its path (index, delete) or in a bulk request."""
    found = []
    for method, path, body in sent:
        if path.split("?")[0].endswith(f"/_doc/{item.pk}"):
            found.append((method, path.split("?")[0]))
        elif path.split("?")[0].endswith("/_bulk"):
            for line in body.splitlines():
                action = json.loads(line)
                if len(action) == 1:
                    ((operation, meta),) = action.items()
                    if meta.get("_id") == str(item.pk):
                        found.append((method, f"_bulk {operation}"))
    return found


# The mapping and the documents: the backends' own code -----------------------------------------


@pytest.mark.parametrize("backend_path", MAPPING_BACKENDS, ids=short_name)
def test_the_mapping_has_the_chinese_words_field(backend_path):
    backend = get_search_backend(backend_path, URLS=["http://search.invalid:9200"])
    mapping = backend.mapping_class(DisclosureItem)
    (field,) = [f for f in DisclosureItem.get_search_fields() if f.field_name == "search_words"]
    assert mapping.get_field_column_name(field) == SEARCH_WORDS

    properties = mapping.get_mapping()["properties"]
    # A full-text field, copied into _all_text, which a search without fields matches.
    assert properties[SEARCH_WORDS]["type"] == "text"
    assert "_all_text" in properties[SEARCH_WORDS]["copy_to"]
    assert properties["dangwu_wagtail_disclosureitem__scope_filter"]["type"] == "keyword"
    # Items share the pages' index, which the host's stock search view queries.
    assert backend.get_index_for_model(DisclosureItem).name == PAGES_INDEX


@pytest.mark.parametrize("backend_path", MAPPING_BACKENDS, ids=short_name)
def test_the_document_of_a_public_item_carries_its_chinese_words(school_a, backend_path):
    item = add_item(school_a, DUES_TITLE, number=8, body="<p>召开党员大会。</p>")
    backend = get_search_backend(backend_path, URLS=["http://search.invalid:9200"])
    mapping = backend.mapping_class(DisclosureItem)
    document = mapping.get_document(DisclosureItem.objects.get(pk=item.pk))

    assert mapping.get_document_id(item) == str(item.pk)
    assert document["title"] == DUES_TITLE
    words = document[SEARCH_WORDS].split()
    assert {"党费", "收缴", "党费收缴", "管理", "使用", "党员大会"} <= set(words)


def test_internal_items_are_not_among_the_indexed_objects(items_a, school_a):
    internal = add_item(school_a, "党内机密会议纪要", number=1)
    indexed = set(DisclosureItem.get_indexed_objects().values_list("pk", flat=True))
    assert items_a["public"].pk in indexed
    assert items_a["internal"].pk not in indexed and internal.pk not in indexed
    assert set(DisclosureItem.get_indexed_objects().values_list("scope", flat=True)) == {
        Scope.PUBLIC
    }


# What the backends would send ----------------------------------------------------------------


def test_update_index_sends_public_items_with_their_words_and_no_internal_item(
    recording_backend, items_a, school_a
):
    dues = add_item(school_a, DUES_TITLE, number=8)
    secret = add_item(school_a, "党内机密会议纪要", number=1, body="<p>机密讨论</p>")
    recording_backend.clear()
    call_command("update_index", stdout=StringIO(), stderr=StringIO())

    bulk_bodies = [body for _m, path, body in recording_backend if "/_bulk" in path]
    documents = [json.loads(line) for body in bulk_bodies for line in body.splitlines()]
    pages = {d["pk"]: d for d in documents if "_django_content_type" in d}
    assert "党费" in pages[str(dues.pk)][SEARCH_WORDS].split()
    assert "openword" in pages[str(items_a["public"].pk)][SEARCH_WORDS].split()
    for item in (items_a["internal"], secret):
        assert about_document(recording_backend, item) == []
        assert str(item.pk) not in pages
    assert mentions(recording_backend, "SECRETWORD", "机密") == []


def test_publishing_an_internal_item_never_sends_its_content(recording_backend, school_a):
    item = add_item(school_a, "党内机密会议纪要", number=1, body="<p>机密讨论 SECRETWORD</p>")
    assert item.live and item.scope == Scope.INTERNAL
    assert mentions(recording_backend, "SECRETWORD", "机密") == []
    # The add-on's receiver asks the backend to delete it (a no-op for a new item).
    assert {method for method, _path in about_document(recording_backend, item)} == {"DELETE"}


def make_internal(item, word):
    """Publish a new version of public ``item``: internal, with ``word`` in its title."""
    item.title = f"Minutes {word}"
    item.scope = Scope.INTERNAL
    item.save_revision().publish()
    assert DisclosureItem.objects.get(pk=item.pk).scope == Scope.INTERNAL


def test_an_item_made_internal_is_deleted_from_the_index(recording_backend, items_a):
    item = items_a["public"]
    item.save_revision().publish()
    assert ("PUT", f"/{PAGES_INDEX}/_doc/{item.pk}") in about_document(recording_backend, item)

    recording_backend.clear()
    make_internal(item, "NOWSECRET")
    # While the publish moves the item into the internal section, Wagtail indexes the row
    # as the database has it, still public (the public version's words); once the internal
    # version is written, the add-on's receiver has the backend delete the document.
    requests = about_document(recording_backend, item)
    assert requests[-1] == ("DELETE", f"/{PAGES_INDEX}/_doc/{item.pk}")
    assert mentions(recording_backend, "NOWSECRET") == []


@pytest.fixture
def task_worker(settings):
    """Tasks queued for a worker, as docs/deployment.md has it, instead of run at once.

    Returns a function that runs, as the worker would, Wagtail's queued index updates of
    ``item``, and says how many it ran.
    """
    from django_tasks import default_task_backend
    from modelsearch.tasks import insert_or_update_object_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def run_index_updates(item):
        queued = [
            result
            for result in default_task_backend.results
            if result.task.func == insert_or_update_object_task.func
            and result.args[2] == str(item.pk)
        ]
        for result in queued:
            result.task.call(*result.args, **result.kwargs)
        return len(queued)

    return run_index_updates


def test_index_updates_queued_for_a_worker_skip_an_item_made_internal(
    recording_backend, task_worker, items_a
):
    """Wagtail's index updates run after the publish: each reads the item again and finds it
    no longer among the indexed objects."""
    item = items_a["public"]
    recording_backend.clear()
    make_internal(item, "NOWSECRET")
    assert set(about_document(recording_backend, item)) == {
        ("DELETE", f"/{PAGES_INDEX}/_doc/{item.pk}")
    }
    recording_backend.clear()
    assert task_worker(item)
    assert about_document(recording_backend, item) == []


def test_an_internal_draft_of_a_public_item_leaves_it_in_the_index_with_a_worker(
    recording_backend, task_worker, items_a
):
    item = items_a["public"]
    recording_backend.clear()
    item.title = "Reworded DRAFTSECRET minutes"
    item.scope = Scope.INTERNAL
    item.save_revision()
    # Nothing leaves the index (the stock search still finds the live, public version),
    assert about_document(recording_backend, item) == []
    assert task_worker(item)
    # and the worker indexes the live version again, never the draft.
    assert about_document(recording_backend, item) == [("PUT", f"/{PAGES_INDEX}/_doc/{item.pk}")]
    assert json.loads(recording_backend[-1][2])["title"] == "Public OPENWORD plan"
    assert mentions(recording_backend, "DRAFTSECRET") == []


def test_an_internal_draft_of_a_public_item_never_reaches_the_index(recording_backend, items_a):
    item = items_a["public"]
    recording_backend.clear()
    item.title = "Reworded DRAFTSECRET minutes"
    item.scope = Scope.INTERNAL
    item.save_revision()  # awaiting approval; the live version stays public
    assert mentions(recording_backend, "DRAFTSECRET") == []
    # The draft's save does not write the scope: the item stays in the index, and Wagtail's
    # receiver indexes the live row again from the database.
    assert about_document(recording_backend, item) == [("PUT", f"/{PAGES_INDEX}/_doc/{item.pk}")]
    last = json.loads(recording_backend[-1][2])
    assert last["title"] == "Public OPENWORD plan"
    assert "openword" in last[SEARCH_WORDS].split()


# The add-on's searches ask the database, not the backend --------------------------------------


def test_column_search_sends_nothing_to_the_search_server(recording_backend, school_a, users):
    recording_backend.clear()
    member = Client()
    member.force_login(users["member_a"])
    html = member.get(school_a.subpage_url("search"), {"q": "SECRETWORD"}).content.decode()
    assert "Internal SECRETWORD minutes" in html
    assert recording_backend == []
    # The host's stock search view does ask it.
    Client().get("/search/", {"query": "OPENWORD"})
    assert [path for _m, path, _b in recording_backend if "/_search" in path]


@pytest.mark.parametrize(
    "backend_path, error",
    [(path, ElasticsearchConnectionError) for path in ELASTICSEARCH_BACKENDS]
    + [(path, OpenSearchConnectionError) for path in OPENSEARCH_BACKENDS],
    ids=[short_name(path) for path in TRANSPORT_BACKENDS],
)
def test_the_add_ons_features_work_with_the_search_server_down(
    settings, unreachable_url, school_a, users, backend_path, error
):
    dues = add_item(school_a, DUES_TITLE, number=8)
    DisclosureRequest.objects.receive(
        school_a, name="Member A", subject="Budget BUDGETWORD", description="The budget."
    )
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": backend_path, "URLS": [unreachable_url], "TIMEOUT": 2}
    }
    member, anonymous, editor = Client(), Client(), Client()
    member.force_login(users["member_a"])
    editor.force_login(users["editor_a"])
    search = school_a.subpage_url("search")

    # The column's search, for the public and for a member.
    assert DUES_TITLE in anonymous.get(search, {"q": "党费"}).content.decode()
    html = anonymous.get(search, {"q": "OPENWORD"}).content.decode()
    assert "Public OPENWORD plan" in html
    html = anonymous.get(search, {"q": "SECRETWORD"}).content.decode()
    assert "Internal SECRETWORD minutes" not in html
    assert "Internal SECRETWORD minutes" in member.get(search, {"q": "SECRETWORD"}).content.decode()
    # The registers' search in the admin.
    register = reverse("dangwu_wagtail_disclosurerequest_modeladmin_index")
    assert "BUDGETWORD" in editor.get(register, {"q": "BUDGETWORD"}).content.decode()
    # Publishing goes on: the failed index updates are logged, not raised.
    internal = add_item(school_a, "Minutes DOWNWORD", number=1)
    public = add_item(school_a, "Plan DOWNWORD", number=5)
    assert internal.live and public.live and dues.live
    # The host's stock search view needs the server.
    with pytest.raises(error):
        anonymous.get("/search/", {"query": "OPENWORD"})


# The Chinese analyzers the add-on ships (dangwu_wagtail.search.elasticsearch_index_settings) ---


@pytest.mark.parametrize("ik", [False, True], ids=["cjk_bigram", "ik"])
@pytest.mark.parametrize("backend_path", MAPPING_BACKENDS, ids=short_name)
def test_the_index_settings_carry_a_chinese_analyzer(backend_path, ik):
    from dangwu_wagtail.search import elasticsearch_index_settings

    backend = get_search_backend(
        backend_path,
        URLS=["http://search.invalid:9200"],
        INDEX_SETTINGS=elasticsearch_index_settings(ik=ik),
    )
    analysis = backend.settings["settings"]["analysis"]
    default = analysis["analyzer"]["default"]
    if ik:
        assert default["tokenizer"] == "ik_max_word"
        assert analysis["analyzer"]["default_search"]["tokenizer"] == "ik_smart"
    else:
        assert "dangwu_cjk_bigram" in default["filter"]
        assert analysis["filter"]["dangwu_cjk_bigram"] == {
            "type": "cjk_bigram",
            "output_unigrams": True,
        }
    # Wagtail's own analyzers stay, the autocomplete one made Chinese-aware.
    assert "ngram_analyzer" in analysis["analyzer"]
    assert "edgengram" in analysis["analyzer"]["edgengram_analyzer"]["filter"]
    # The text fields name no analyzer of their own: the index's default applies to them.
    properties = backend.mapping_class(DisclosureItem).get_mapping()["properties"]
    assert "analyzer" not in properties[SEARCH_WORDS]
    assert properties[SEARCH_BIGRAMS]["type"] == "text"


def test_the_index_is_created_with_the_chinese_analyzer(settings, recording_backend, items_a):
    from dangwu_wagtail.search import elasticsearch_index_settings

    settings.WAGTAILSEARCH_BACKENDS["default"]["INDEX_SETTINGS"] = elasticsearch_index_settings()
    call_command("update_index", stdout=StringIO(), stderr=StringIO())
    created = [
        json.loads(body)
        for method, path, body in recording_backend
        if method == "PUT" and path.startswith(f"/{PAGES_INDEX}") and '"settings"' in body
    ]
    assert created, [(method, path) for method, path, _body in recording_backend]
    analysis = created[0]["settings"]["analysis"]
    assert analysis["filter"]["dangwu_cjk_bigram"]["output_unigrams"] is True

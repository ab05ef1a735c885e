"""Media on object storage: a real S3-compatible server (moto's, on loopback) behind
django-storages, as docs/deployment.md has a district deploy it.

The bucket is private, as a real deployment's is: the server refuses an unsigned request for
an object, so the bytes of a document reach a reader only through Wagtail's serve view, where
the add-on asks the privacy module, or through a signed storage URL, which is what the system
check ``dangwu_wagtail.W001`` warns about.
"""

import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage
from wagtail.documents import get_document_model

from dangwu_wagtail.checks import check_document_serving
from dangwu_wagtail.models import DisclosureRequest
from tests.test_requests import client_for, request_data

#: Fake credentials: moto checks signatures' form, not the keys.
ACCESS_KEY = "dangwu-tests"
SECRET_KEY = "dangwu-tests-secret"
REGION = "us-east-1"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The request form's rate limits count in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on a free loopback port, for this module's tests."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint):
    """A boto3 client of the server, to look into the bucket the way an operator would."""
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


@pytest.fixture
def bucket(settings, s3, s3_endpoint):
    """A fresh private bucket, and ``STORAGES["default"]`` pointing at it for this test.

    Django's ``setting_changed`` receiver (``django.test.signals.storages_changed``) empties
    ``storages`` and resets the lazy ``default_storage``, which ``FileField``s hold (Wagtail's
    documents and the requests' attachments): the next save goes to S3, and the settings
    fixture's restore at the end of the test switches back the same way.
    """
    name = f"dangwu-media-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "region_name": REGION,
                "addressing_style": "path",
                "signature_version": "s3v4",
                # As a deployment has it: private objects, links signed and short-lived,
                # no overwriting of a file of the same name.
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 600,
                "file_overwrite": False,
            },
        },
    }
    for field in (
        get_document_model()._meta.get_field("file"),
        DisclosureRequest._meta.get_field("attachment"),
    ):
        assert field.storage is default_storage
    assert default_storage.bucket_name == name
    assert isinstance(default_storage._wrapped, S3Storage)
    return name


def stored(s3, bucket, key):
    """The bytes the bucket holds under ``key``."""
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def fetch(url):
    """GET ``url`` with no cookie and no credentials, as anyone who has the address would;
    returns ``(status, body)``."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def downloaded(response):
    return b"".join(response.streaming_content)


def upload_document(editor, collection, title, content, filename):
    """Upload a document through Wagtail's admin, as the school's editor does."""
    response = client_for(editor).post(
        reverse("wagtaildocs:add"),
        {
            "title": title,
            "collection": collection.pk,
            "file": SimpleUploadedFile(filename, content, content_type="text/plain"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return get_document_model().objects.get(title=title)


@pytest.fixture
def attached(bucket, school_a, items_a, users):
    """A document attached to school A's internal item and one to its public item, uploaded
    by school A's editor into the bucket."""
    documents = {}
    for scope, word in (("internal", b"SECRETWORD"), ("public", b"OPENWORD")):
        document = upload_document(
            users["editor_a"],
            school_a.collection,
            f"{scope} minutes on S3",
            word + b" file on object storage",
            f"{scope}-minutes.txt",
        )
        item = items_a[scope]
        item.attachments.create(document=document)
        item.save_revision().publish()
        documents[scope] = get_document_model().objects.get(pk=document.pk)
    return documents


def test_documents_are_stored_in_the_bucket(s3, bucket, attached, school_a):
    for scope, word in (("internal", b"SECRETWORD"), ("public", b"OPENWORD")):
        document = attached[scope]
        assert document.file.name.startswith("documents/")
        assert stored(s3, bucket, document.file.name) == word + b" file on object storage"
    # Publishing the internal item moved its document into the internal collection; the
    # file stays where it is in the bucket.
    assert attached["internal"].collection_id == school_a.internal_collection_id
    # And the local media directory holds nothing of it.
    with pytest.raises(NotImplementedError):
        default_storage.path(attached["internal"].file.name)


@pytest.mark.parametrize("reader", ["member_a", "supervisor"])
def test_an_insider_downloads_an_internal_items_document_from_the_bucket(attached, users, reader):
    response = client_for(users[reader]).get(attached["internal"].url)
    assert response.status_code == 200
    assert downloaded(response) == b"SECRETWORD file on object storage"


def test_an_anonymous_reader_is_sent_to_log_in_for_an_internal_items_document(attached):
    response = client_for().get(attached["internal"].url)
    assert response.status_code == 302
    assert response["Location"].startswith("/members/login/?next=")
    assert "no-store" in response["Cache-Control"]
    assert b"SECRETWORD" not in response.content


def test_another_schools_member_gets_a_404_for_an_internal_items_document(attached, users):
    response = client_for(users["member_b"]).get(attached["internal"].url)
    assert response.status_code == 404
    assert b"SECRETWORD" not in response.content


def test_anyone_downloads_a_public_items_document(attached):
    response = client_for().get(attached["public"].url)
    assert response.status_code == 200
    assert downloaded(response) == b"OPENWORD file on object storage"


def test_the_bucket_refuses_an_unsigned_request_for_a_document(s3_endpoint, bucket, attached):
    """The storage URL without its signature is what a reader could guess: refused."""
    for document in attached.values():
        status, body = fetch(f"{s3_endpoint}/{bucket}/{document.file.name}")
        assert status == 403
        assert b"file on object storage" not in body


def test_item_pages_link_documents_through_the_serve_view(attached, items_a, s3_endpoint, users):
    html = client_for(users["member_a"]).get(items_a["internal"].url).content.decode()
    assert attached["internal"].url in html
    assert attached["internal"].url.startswith("/documents/")
    assert s3_endpoint not in html


def test_a_requests_file_is_stored_in_the_bucket_and_reachable_by_no_public_url(
    s3, s3_endpoint, bucket, school_a, users, django_capture_on_commit_callbacks
):
    member = client_for(users["member_a"])
    content = b"%PDF-1.4 SCANWORD of the requester"
    upload = SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(
            school_a.subpage_url("request"),
            request_data(attachment=upload),
        )
    assert response.status_code == 302
    status_url = response["Location"]
    disclosure_request = DisclosureRequest.objects.get()
    key = disclosure_request.attachment.name
    assert key.startswith("dangwu_wagtail/requests/") and "scan" not in key
    assert stored(s3, bucket, key) == content

    # Not through the bucket without a signature, nor through the site's media URL.
    status, body = fetch(f"{s3_endpoint}/{bucket}/{key}")
    assert status == 403 and b"SCANWORD" not in body
    assert client_for().get(f"/media/{key}").status_code == 404
    # No page the requester or the public sees names or links the stored file.
    for client, url in [
        (member, status_url),
        (member, school_a.subpage_url("mine")),
        (client_for(), school_a.url),
        (client_for(), school_a.subpage_url("export")),
    ]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert key not in page.content.decode() and s3_endpoint not in page.content.decode()
    # Nor do the emails the request sent (to the school's staff and to the requester).
    assert mail.outbox
    for message in mail.outbox:
        text = message.body + "".join(str(a[0]) for a in getattr(message, "alternatives", []))
        assert key not in text and s3_endpoint not in text

    # The school's editor downloads it from the admin; nobody else does.
    url = reverse("dangwu_wagtail_admin:request_attachment", args=(disclosure_request.pk,))
    editor = client_for(users["editor_a"]).get(url)
    assert editor.status_code == 200
    assert downloaded(editor) == content
    assert "private" in editor["Cache-Control"] and "no-store" in editor["Cache-Control"]
    assert client_for().get(url).status_code == 302  # to the admin's login
    assert client_for(users["member_a"]).get(url).status_code == 302  # no admin access
    assert client_for(users["editor_b"]).get(url).status_code == 404


@pytest.mark.parametrize("method", ["redirect", "direct", None])
def test_system_check_warns_when_documents_on_s3_bypass_the_serve_view(settings, bucket, method):
    if method is None:
        del settings.WAGTAILDOCS_SERVE_METHOD  # Wagtail then redirects for remote storages
    else:
        settings.WAGTAILDOCS_SERVE_METHOD = method
    assert [w.id for w in check_document_serving(None)] == ["dangwu_wagtail.W001"]


def test_system_check_is_silent_when_documents_on_s3_go_through_the_serve_view(settings, bucket):
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"
    assert check_document_serving(None) == []


def test_what_the_warning_is_about_a_redirect_hands_out_a_link_anyone_can_use(
    settings, attached, users
):
    """With ``"redirect"`` the add-on still refuses the view to outsiders, but an insider is
    sent to a signed storage URL that opens the file for anyone who has it, until it expires:
    forwarded, logged by a proxy or kept in a browser's history."""
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    assert client_for(users["member_b"]).get(attached["internal"].url).status_code == 404
    response = client_for(users["member_a"]).get(attached["internal"].url)
    assert response.status_code == 302
    signed_url = response["Location"]
    assert "X-Amz-Signature=" in signed_url
    assert fetch(signed_url) == (200, b"SECRETWORD file on object storage")

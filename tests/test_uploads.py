"""A file sent with a request is checked by its content, not only its name, and an
oversized one gets one clear message."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook
from PIL import Image

from dangwu_wagtail.models import DisclosureRequest
from tests.test_requests import client_for, request_data


def send(client, catalog, upload):
    return client.post(catalog.subpage_url("request"), {**request_data(), "attachment": upload})


def errors_of(response):
    return response.context["form"].errors.get("attachment", [])


def xlsx_bytes():
    output = io.BytesIO()
    Workbook().save(output)
    return output.getvalue()


def png_bytes():
    output = io.BytesIO()
    Image.new("RGB", (4, 4)).save(output, "PNG")
    return output.getvalue()


def test_a_program_renamed_pdf_is_refused(school_a, users):
    member = client_for(users["member_a"])
    program = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00")
    response = send(member, school_a, program)
    assert response.status_code == 200
    assert errors_of(response) == ["This file is not a PDF file, whatever its name says."]
    image_as_xlsx = SimpleUploadedFile("table.xlsx", png_bytes())
    assert "not a XLSX file" in errors_of(send(member, school_a, image_as_xlsx))[0]
    assert not DisclosureRequest.objects.exists()


def test_the_formats_schools_use_are_accepted(school_a, users):
    member = client_for(users["member_a"])
    files = [
        SimpleUploadedFile("统计表.xlsx", xlsx_bytes()),
        SimpleUploadedFile("照片.png", png_bytes()),
        SimpleUploadedFile("说明.txt", "请公开食堂账目。".encode()),
        SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
    ]
    for upload in files:
        response = send(member, school_a, upload)
        assert response.status_code == 302, (upload.name, errors_of(response))
    assert DisclosureRequest.objects.count() == len(files)


@override_settings(DANGWU_WAGTAIL={"MAX_UPLOAD_SIZE": 1024})
def test_an_oversized_file_gets_one_message(school_a, users):
    member = client_for(users["member_a"])
    response = send(member, school_a, SimpleUploadedFile("scan.pdf", b"%PDF" + b"x" * 4096))
    assert errors_of(response) == ["The file is 4.0\xa0KB; files up to 1.0\xa0KB are accepted."]
    unnamed = SimpleUploadedFile("scan", b"x" * 4096)
    assert len(errors_of(send(member, school_a, unnamed))) == 1

"""Attachments of needs: only documents, images and text, told by their content; and a
post that fails leaves no file on disk (a confidential one included)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from sangsaeng.matching.models import Need
from tests.matching.test_pages import login, post_need

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored_files(media) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    ("name", "content"),
    [("spec.pdf", PDF), ("요구사항.docx", _docx()), ("notes.txt", "검증 요구사항\n".encode())],
)
def test_documents_are_attached_and_downloadable(client, cluster, media, name, content):
    login(client, cluster.poster)
    response = post_need(client, cluster, attachment=SimpleUploadedFile(name, content))
    assert response.status_code == 302
    need = Need.objects.get()
    download = client.get(f"/ko/needs/{need.pk}/attachment/")
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<script>alert(1)</script>", "PDF, an image, an office document"),
        ("logo.svg", b"<svg onload='alert(1)'/>", "PDF, an image, an office document"),
        ("setup.exe", b"MZ\x90\x00", "PDF, an image, an office document"),
        ("spec.pdf", b"<html><script>alert(1)</script></html>", "is not a .pdf file"),
        ("photo.png", PDF, "is not a .png file"),
        ("notes.txt", b"MZ\x90\x00\x03\x00", "is not a .txt file"),
    ],
)
def test_other_files_are_refused_by_their_content_and_nothing_saved(
    client, cluster, media, name, content, message
):
    login(client, cluster.poster)
    client.cookies.load({"django_language": "en"})
    response = client.post(
        "/en/needs/new/",
        {
            "organisation": cluster.company.pk,
            "kind": "technology_request",
            "title": "NPU verification partner",
            "description": "UVM verification.",
            "visibility": "public",
            "attachment": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Need.objects.exists()
    assert _stored_files(media) == []


# --- a post that fails after its file was stored -----------------------------------------


@pytest.fixture
def database_refusing_needs():
    """The database refuses every new need, as a full disk or a lost lock would."""
    if connection.vendor == "postgresql":
        statements = [
            "CREATE FUNCTION refuse_need() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_need BEFORE INSERT ON matching_need "
            "FOR EACH ROW EXECUTE FUNCTION refuse_need()",
        ]
        undo = ["DROP TRIGGER refuse_need ON matching_need", "DROP FUNCTION refuse_need()"]
    else:
        statements = [
            "CREATE TRIGGER refuse_need BEFORE INSERT ON matching_need "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        ]
        undo = ["DROP TRIGGER refuse_need"]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        for statement in undo:
            cursor.execute(statement)


@pytest.mark.django_db(transaction=True)
def test_a_failed_post_leaves_no_attachment_on_disk(cluster, media, database_refusing_needs):
    client = Client(raise_request_exception=False)
    login(client, cluster.poster)
    response = post_need(
        client,
        cluster,
        visibility="confidential",
        summary="NPU 검증 협력",
        attachment=SimpleUploadedFile("confidential-roadmap.pdf", PDF),
    )
    assert response.status_code == 500
    assert not Need.objects.exists()
    assert _stored_files(media) == []

"""The operator's import/export page: uploads, the list of problems, downloads, and access."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sangsaeng.directory.models import Organisation
from tests.factories import PASSWORD, TaxonomyTermFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/en/directory/import/"


def logged_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def upload(text, name="organisations.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_the_url_names_resolve():
    assert reverse("directory:directory_import") == "/ko/directory/import/"
    assert reverse("directory:directory_export") == "/ko/directory/export/"


def test_operator_imports_a_file_and_sees_what_was_added(client, operator):
    TaxonomyTermFactory(code="npu")
    page = logged_in(client, operator).post(
        IMPORT_URL,
        {"file": upload("slug,kind,name_ko,tags\nzeta-chip,company,제타칩,npu\n"), "kind": ""},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 added, 0 updated" in html and "zeta-chip" in html
    assert Organisation.objects.filter(slug="zeta-chip", status="approved").exists()


def test_operator_sees_every_bad_row_in_korean_and_nothing_is_imported(client, operator):
    text = "kind,name_ko\ncompany,좋은회사\nshop,가게\ncompany,\n"
    page = logged_in(client, operator).post(
        "/ko/directory/import/", {"file": upload(text), "kind": "organisations"}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "아무것도 가져오지 않았습니다" in html
    assert '<td class="nowrap">3</td>' in html and '<td class="nowrap">4</td>' in html
    assert "알 수 없는 유형" in html
    assert not Organisation.objects.exists()


def test_wrong_file_type_is_a_clear_error_on_the_page(client, operator):
    page = logged_in(client, operator).post(
        IMPORT_URL, {"file": upload("hello", name="notes.txt"), "kind": ""}
    )
    assert page.status_code == 400
    assert "is not a CSV or XLSX file" in page.content.decode()


def test_operator_downloads_an_export(client, operator, organisation):
    response = logged_in(client, operator).get(
        "/en/directory/export/", {"kind": "organisations", "file_format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert organisation.name_ko in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("role", ["org_admin", "org_member", "expert_user", "student_user"])
def test_everyone_else_is_refused(client, request, role):
    user = request.getfixturevalue(role)
    logged_in(client, user)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": upload("kind,name_ko\ncompany,x\n")}).status_code == 403
    assert client.get("/en/directory/export/?kind=people&file_format=csv").status_code == 403
    assert not Organisation.objects.filter(name_ko="x").exists()


def test_visitors_are_sent_to_log_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

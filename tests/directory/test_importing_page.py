"""The operator's import/export page: uploads, the list of problems, downloads, and access."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from sangsaeng.directory.models import Organisation, Person
from tests.factories import PASSWORD, OrganisationFactory, TaxonomyTermFactory

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


# --- each kind of column, through the page -------------------------------------------------

PEOPLE_HEADER = (
    "slug,kind,name_ko,name_en,position_ko,email,organisation,profile_text,"
    "expertise_keywords,tags,is_public,study_program,graduation_year"
)


def test_operator_imports_every_kind_of_people_column_and_sees_the_rows(client, operator):
    TaxonomyTermFactory(code="npu")
    university = OrganisationFactory(slug="pangyo-univ", name_ko="판교대학교")
    text = (
        f"{PEOPLE_HEADER}\n"
        "park-npu,전문가,박하늘,Haneul Park,책임연구원,haneul@example.org,pangyo-univ,"
        'NPU 설계,"NPU; 컴파일러",npu,예,,\n'
        ",학생,최학생,,,choi@example.org,판교대학교,,,,아니오,전자공학 석사,2027\n"
    )
    page = logged_in(client, operator).post(
        IMPORT_URL, {"file": upload(text, name="people.csv"), "kind": ""}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 added, 0 updated (people)" in html and "park-npu" in html
    expert = Person.objects.get(slug="park-npu")
    assert expert.organisation == university and expert.expertise_keywords == ["NPU", "컴파일러"]
    assert list(expert.tags.values_list("code", flat=True)) == ["npu"] and expert.is_public
    student = Person.objects.get(email="choi@example.org")
    assert student.kind == "student" and student.graduation_year == 2027
    assert not student.is_public and student.organisation == university


@pytest.mark.parametrize(
    ("kind", "text", "reason"),
    [
        ("organisations", "kind,name_ko,tags\ncompany,가,quantum-magic\n", "Unknown capability"),
        ("organisations", "kind,name_ko,established_year\ncompany,가,20x5\n", "Bad year “20x5”"),
        ("organisations", "kind,name_ko,employee_count\ncompany,가,many\n", "Bad number “many”"),
        ("organisations", "kind,name_ko,website\ncompany,가,www\n", "Bad website address “www”"),
        ("organisations", "kind,name_ko\nshop,가\n", "Unknown kind “shop”"),
        ("organisations", "kind,name_ko,slug\ncompany,가,bad slug\n", "Bad short name"),
        ("people", "name_ko,email\n가,not-an-email\n", "Bad e-mail address “not-an-email”"),
        ("people", "name_ko,graduation_year\n가,3000\n", "Bad year “3000”"),
        ("people", "name_ko,organisation\n가,Nowhere Inc\n", "Unknown organisation “Nowhere Inc”"),
        ("people", "name_ko,is_public\n가,maybe\n", "is_public must be yes or no"),
        ("people", "name_ko,kind\n가,robot\n", "Unknown kind “robot”"),
    ],
)
def test_a_bad_cell_of_each_kind_is_shown_with_its_line_and_nothing_is_imported(
    client, operator, kind, text, reason
):
    good_row = {"organisations": "company,좋은기관", "people": "좋은사람"}[kind]
    header, bad_row = text.strip().split("\n")
    good_cells = good_row + "," * (header.count(",") - good_row.count(","))
    page = logged_in(client, operator).post(
        IMPORT_URL, {"file": upload(f"{header}\n{good_cells}\n{bad_row}\n"), "kind": kind}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Nothing was imported" in html
    assert '<td class="nowrap">3</td>' in html and '<td class="nowrap">2</td>' not in html
    assert escape(reason) in html
    assert not Organisation.objects.filter(name_ko="좋은기관").exists()
    assert not Person.objects.exists()


def test_a_duplicate_within_the_file_is_shown_against_the_later_line(client, operator):
    text = "name_ko,email\n김,kim@example.org\n이,lee@example.org\n박,KIM@example.org\n"
    page = logged_in(client, operator).post(IMPORT_URL, {"file": upload(text), "kind": "people"})
    assert page.status_code == 400
    html = page.content.decode()
    assert '<td class="nowrap">4</td>' in html
    assert escape("line 2 has the same e-mail “KIM@example.org”") in html
    assert not Person.objects.exists()


def test_a_missing_required_column_is_shown_in_korean(client, operator):
    page = logged_in(client, operator).post(
        "/ko/directory/import/",
        {"file": upload("slug,email\nkim,kim@example.org\n"), "kind": "people"},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert '<td class="nowrap">1</td>' in html
    assert "파일에 필수 열이 없습니다: name_ko(이름(국문))." in html


def test_an_organisation_admin_cannot_import_even_into_its_own_organisation(
    client, org_admin, organisation
):
    text = f"name_ko,organisation\n김,{organisation.slug}\n"
    page = logged_in(client, org_admin).post(IMPORT_URL, {"file": upload(text), "kind": "people"})
    assert page.status_code == 403
    assert not Person.objects.exists()

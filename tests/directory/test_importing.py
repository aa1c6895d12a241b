"""Importing organisations and people from CSV/XLSX, all or nothing, and exporting them back."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from sangsaeng.directory.importing import (
    ImportRejected,
    export_directory,
    import_directory,
)
from sangsaeng.directory.models import Organisation, Person
from tests.factories import OrganisationFactory, PersonFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English here; the Korean ones have their own test."""
    with translation.override("en"):
        yield


ORGANISATIONS_CSV = """\
slug,kind,name_ko,name_en,description_ko,website,established_year,employee_count,tags
gamma-npu,company,감마엔피유,Gamma NPU,엣지 NPU 설계,https://gamma-npu.example,2019,42,npu;edge-ai
,university,가상대학교,Imaginary University,,,1990,,
"""

PEOPLE_CSV = """\
slug,kind,name_ko,name_en,email,organisation,expertise_keywords,tags,is_public,graduation_year
kim-npu,expert,김엔피,Enpi Kim,enpi@gamma-npu.example,gamma-npu,NPU; 컴파일러,npu,yes,
,student,이학생,Haksaeng Lee,student@imaginary.example,가상대학교,,,no,2027
"""


@pytest.fixture
def tags(db):
    return [TaxonomyTermFactory(code=code) for code in ("npu", "edge-ai", "verification")]


def import_text(operator, text, filename="file.csv", kind=None):
    return import_directory(
        actor=operator, content=text.encode("utf-8"), filename=filename, kind=kind
    )


def problems_of(operator, text, **kwargs):
    with pytest.raises(ImportRejected) as raised:
        import_text(operator, text, **kwargs)
    return [(problem.line, problem.message) for problem in raised.value.problems]


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- happy paths --------------------------------------------------------------------------


def test_csv_import_adds_organisations_through_the_services_with_the_operator_as_actor(
    operator, tags
):
    report = import_text(operator, ORGANISATIONS_CSV)

    assert [(row.line, row.slug) for row in report.created] == [
        (2, "gamma-npu"),
        (3, "imaginary-university"),
    ]
    gamma = Organisation.objects.get(slug="gamma-npu")
    assert gamma.name_en == "Gamma NPU" and gamma.employee_count == 42
    assert gamma.status == Organisation.Status.APPROVED
    assert sorted(gamma.tags.values_list("code", flat=True)) == ["edge-ai", "npu"]
    entry = LogEntry.objects.get_for_object(gamma).first()
    assert entry.actor == operator


def test_csv_import_of_people_names_organisations_by_slug_or_korean_name(operator, tags):
    import_text(operator, ORGANISATIONS_CSV)
    report = import_text(operator, PEOPLE_CSV)

    assert report.kind == "people" and len(report.created) == 2
    expert = Person.objects.get(slug="kim-npu")
    assert expert.organisation.slug == "gamma-npu"
    assert expert.expertise_keywords == ["NPU", "컴파일러"]
    assert list(expert.tags.values_list("code", flat=True)) == ["npu"]
    student = Person.objects.get(email="student@imaginary.example")
    assert student.kind == Person.Kind.STUDENT and student.graduation_year == 2027
    assert student.organisation.name_ko == "가상대학교" and not student.is_public


def test_korean_headers_and_a_bom_are_accepted(operator, tags):
    text = "\ufeff약칭,유형,이름(국문),이름(영문),역량\nhan-chip,기업,한칩,Han Chip,npu\n"
    report = import_text(operator, text)
    assert report.created[0].slug == "han-chip"
    assert Organisation.objects.get(slug="han-chip").kind == "company"


def test_xlsx_import_reads_the_first_sheet(operator, tags):
    content = xlsx_bytes(
        [
            ["slug", "kind", "name_ko", "name_en", "established_year", "tags"],
            ["delta-rf", "company", "델타알에프", "Delta RF", 2015, "verification"],
            [None, None, None, None, None, None],
            ["epsilon-ip", "company", "엡실론아이피", "Epsilon IP", 2021.0, ""],
        ]
    )
    report = import_directory(actor=operator, content=content, filename="orgs.xlsx")
    assert [(row.line, row.slug) for row in report.created] == [(2, "delta-rf"), (4, "epsilon-ip")]
    assert Organisation.objects.get(slug="epsilon-ip").established_year == 2021


def test_reimport_updates_matched_rows_and_says_how_they_matched(operator, tags):
    import_text(operator, ORGANISATIONS_CSV)
    import_text(operator, PEOPLE_CSV)
    changed = ORGANISATIONS_CSV.replace("Gamma NPU", "Gamma NPU Inc.")
    report = import_text(operator, changed)
    assert report.created == []
    assert [(row.slug, row.matched_by) for row in report.updated] == [
        ("gamma-npu", "slug"),
        ("imaginary-university", "Korean name"),
    ]
    assert Organisation.objects.get(slug="gamma-npu").name_en == "Gamma NPU Inc."
    assert Organisation.objects.count() == 2

    people = import_text(operator, PEOPLE_CSV.replace("이학생", "이학생2"))
    assert [(row.matched_by) for row in people.updated] == ["slug", "e-mail"]
    assert Person.objects.count() == 2
    assert Person.objects.get(email="student@imaginary.example").name_ko == "이학생2"


def test_a_column_left_out_keeps_the_stored_value(operator, tags):
    import_text(operator, ORGANISATIONS_CSV)
    import_text(operator, "slug,kind,name_ko\ngamma-npu,company,감마엔피유\n")
    gamma = Organisation.objects.get(slug="gamma-npu")
    assert gamma.description_ko == "엣지 NPU 설계"
    assert gamma.tags.count() == 2


# --- bad rows: nothing imported, every reason with its line -------------------------------


def test_every_bad_organisation_row_is_reported_and_nothing_is_imported(operator, tags):
    text = (
        "slug,kind,name_ko,website,established_year,employee_count,tags\n"
        "ok-one,company,괜찮은회사,,2000,,npu\n"
        "no-name,company,,,,,\n"
        "bad-kind,shop,가게,,,,\n"
        "bad-tag,company,태그회사,,,,npu;quantum-magic\n"
        "bad-year,company,연도회사,,20x5,,\n"
        "ok-one,company,중복회사,,,,\n"
        "bad-url,company,주소회사,not a url,,,\n"
        "bad-count,company,인원회사,,,-3,\n"
    )
    problems = problems_of(operator, text)

    lines = [line for line, _ in problems]
    assert lines == [3, 4, 5, 6, 7, 8, 9]
    messages = dict(problems)
    assert "Korean name (name_ko) is missing" in messages[3]
    assert "Unknown kind “shop”" in messages[4]
    assert "Unknown capability codes: quantum-magic" in messages[5]
    assert "Bad year “20x5”" in messages[6]
    assert "line 2 has the same short name “ok-one”" in messages[7]
    assert "Bad website address “not a url”" in messages[8]
    assert "Bad number “-3”" in messages[9]
    assert Organisation.objects.count() == 0


def test_every_bad_person_row_is_reported_and_nothing_is_imported(operator, tags):
    OrganisationFactory(slug="real-org", name_ko="진짜기관")
    text = (
        "kind,name_ko,email,organisation,graduation_year,is_public\n"
        "expert,좋은사람,good@example.org,real-org,,yes\n"
        "expert,나쁜메일,not-an-email,,,\n"
        "robot,로봇,,,,\n"
        "expert,없는기관,,Nowhere Inc,,\n"
        "student,연도,,진짜기관,3000,\n"
        "expert,중복,good@example.org,,,\n"
        "expert,공개,,,,maybe\n"
        ",,,,,\n"
        "expert,,,,,\n"
    )
    problems = problems_of(operator, text)

    messages = dict(problems)
    assert sorted(messages) == [3, 4, 5, 6, 7, 8, 10]
    assert "Bad e-mail address “not-an-email”" in messages[3]
    assert "Unknown kind “robot”" in messages[4]
    assert "Unknown organisation “Nowhere Inc”" in messages[5]
    assert "Bad year “3000”" in messages[6]
    assert "line 2 has the same e-mail “good@example.org”" in messages[7]
    assert "is_public must be yes or no" in messages[8]
    assert "Korean name (name_ko) is missing" in messages[10]
    assert Person.objects.count() == 0


def test_reasons_are_translated_into_korean(operator, tags):
    with translation.override("ko"):
        problems = problems_of(operator, "kind,name_ko\nshop,가게\n", kind="organisations")
    assert "알 수 없는 유형" in problems[0][1]


def test_a_service_error_on_a_late_row_rolls_back_the_earlier_rows(operator, tags):
    text = (
        "slug,kind,name_ko,name_en\n"
        "first,company,첫회사,First\n"
        "second,company,둘째회사," + "x" * 250 + "\n"
    )
    problems = problems_of(operator, text)
    assert problems[0][0] == 3 and "name (English)" in problems[0][1]
    assert not Organisation.objects.filter(slug="first").exists()


def test_changing_a_persons_kind_by_import_is_refused(operator, tags):
    PersonFactory(slug="kim", kind=Person.Kind.EXPERT)
    problems = problems_of(operator, "slug,kind,name_ko\nkim,student,김\n")
    assert "recorded as expert" in problems[0][1]


# --- bad files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"\xef\xbb\xbf\r\n", "bom-only.csv", "The file is empty."),
        (b"slug,kind,name_ko\n", "header.csv", "no rows to import"),
        (b"name_ko\n\xc7\xd1\xb1\xdb\n", "euc-kr.csv", "not UTF-8 text (first bad byte on line 2)"),
        (b"name_ko\nx\n", "people.pdf", "is not a CSV or XLSX file"),
        (b"name_ko\nx\n", "old.xls", "Old Excel (.xls)"),
        (b"name_ko\nx\n", "fake.xlsx", "not a valid XLSX workbook"),
        (b"PK\x03\x04broken-zip-content", "broken.xlsx", "damaged"),
        (b"PK\x03\x04broken-zip-content", "named-wrong.csv", "Excel workbook, not CSV"),
        (b"kind,name_ko,colour\ncompany,x,red\n", "cols.csv", "Unknown column “colour”"),
        (b"kind,name_en\ncompany,x\n", "noname.csv", "no name_ko"),
    ],
)
def test_unreadable_files_get_a_clear_error(operator, tags, content, filename, expected):
    with pytest.raises(ImportRejected) as raised:
        import_directory(actor=operator, content=content, filename=filename, kind="organisations")
    assert expected in str(raised.value)


def test_kind_is_guessed_from_the_columns_or_asked_for(operator, tags):
    with pytest.raises(ImportRejected, match="Cannot tell"):
        import_text(operator, "slug,name_ko\nx,엑스\n")
    report = import_text(operator, "name_ko,email\n홍길동,hong@example.org\n")
    assert report.kind == "people"


def test_only_operators_import(org_admin, tags):
    with pytest.raises(PermissionDenied):
        import_text(org_admin, ORGANISATIONS_CSV)


# --- export and round trip ------------------------------------------------------------------


def test_csv_export_is_utf8_with_bom_and_reimports_as_updates_without_change(operator, tags):
    import_text(operator, ORGANISATIONS_CSV)
    import_text(operator, PEOPLE_CSV)
    OrganisationFactory(slug="formula", name_ko="수식", description_en="=1+1 is not a formula")
    before = {
        o.slug: (o.name_ko, o.name_en, o.description_en, o.established_year)
        for o in Organisation.objects.all()
    }

    organisations = export_directory(actor=operator, kind="organisations", file_format="csv")
    people = export_directory(actor=operator, kind="people", file_format="csv")

    assert organisations.startswith(b"\xef\xbb\xbf")
    assert "감마엔피유" in organisations.decode("utf-8-sig")
    assert "'=1+1" in organisations.decode("utf-8-sig")
    report = import_directory(actor=operator, content=organisations, filename="o.csv")
    assert report.created == [] and len(report.updated) == 3
    after = {
        o.slug: (o.name_ko, o.name_en, o.description_en, o.established_year)
        for o in Organisation.objects.all()
    }
    assert after == before
    people_report = import_directory(actor=operator, content=people, filename="p.csv")
    assert people_report.created == [] and len(people_report.updated) == 2
    assert Person.objects.get(slug="kim-npu").expertise_keywords == ["NPU", "컴파일러"]


def test_xlsx_export_round_trips_into_an_empty_directory(operator, tags):
    import_text(operator, ORGANISATIONS_CSV)
    import_text(operator, PEOPLE_CSV)
    organisations = export_directory(actor=operator, kind="organisations", file_format="xlsx")
    people = export_directory(actor=operator, kind="people", file_format="xlsx")
    sheet = load_workbook(io.BytesIO(organisations)).active
    assert [cell.value for cell in sheet[1]][:3] == ["slug", "kind", "name_ko"]
    snapshot = sorted(
        Person.objects.values_list("slug", "name_ko", "email", "organisation__slug", "kind")
    )
    Person.objects.all().delete()
    Organisation.objects.all().delete()

    import_directory(actor=operator, content=organisations, filename="o.xlsx")
    report = import_directory(actor=operator, content=people, filename="p.xlsx")

    assert len(report.created) == 2
    assert (
        sorted(Person.objects.values_list("slug", "name_ko", "email", "organisation__slug", "kind"))
        == snapshot
    )
    assert sorted(
        Organisation.objects.get(slug="gamma-npu").tags.values_list("code", flat=True)
    ) == [
        "edge-ai",
        "npu",
    ]


# --- commands -------------------------------------------------------------------------------


def test_import_command_reports_rows_and_export_command_writes_files(operator, tags, tmp_path):
    source = tmp_path / "orgs.csv"
    source.write_text(ORGANISATIONS_CSV, encoding="utf-8")
    out = StringIO()
    call_command("import_directory", str(source), stdout=out)
    assert "2 added, 0 updated" in out.getvalue()
    assert "line 2: added gamma-npu" in out.getvalue()

    target = tmp_path / "export.xlsx"
    call_command("export_directory", kind="organisations", out=str(target), stderr=StringIO())
    assert target.read_bytes().startswith(b"PK")


def test_import_command_lists_every_problem(operator, tags, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("kind,name_ko\nshop,가게\ncompany,\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_directory", str(source), kind="organisations")
    assert "Nothing was imported" in str(raised.value)
    assert "Line 2:" in str(raised.value) and "Line 3:" in str(raised.value)

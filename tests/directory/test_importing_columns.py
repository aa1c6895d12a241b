"""Each kind of column of an import file: what a good cell stores, what a bad cell is told.

These call ``import_directory`` as the page and the command line do; the page itself is
tested in ``test_importing_page.py``.
"""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.utils import translation

from sangsaeng.directory.importing import (
    ORGANISATION_COLUMNS,
    PEOPLE_COLUMNS,
    ImportRejected,
    import_directory,
)
from sangsaeng.directory.importing.importer import header_key
from sangsaeng.directory.models import Organisation, Person
from tests.factories import OrganisationFactory, PersonFactory, StudentFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def tags(db):
    return [TaxonomyTermFactory(code=code) for code in ("npu", "edge-ai", "verification")]


@pytest.fixture
def university(db):
    return OrganisationFactory(slug="pangyo-univ", name_ko="판교대학교", kind="university")


def run(operator, text, kind=None):
    return import_directory(
        actor=operator, content=text.encode("utf-8"), filename="file.csv", kind=kind
    )


def problems_of(operator, text, kind=None):
    with pytest.raises(ImportRejected) as raised:
        run(operator, text, kind)
    return [(problem.line, problem.message) for problem in raised.value.problems]


def one_organisation(operator, header, cell):
    run(operator, f"slug,kind,name_ko,{header}\nrow-org,company,행기관,{cell}\n")
    return Organisation.objects.get(slug="row-org")


def one_person(operator, header, cell):
    run(operator, f"slug,name_ko,{header}\nrow-person,행사람,{cell}\n", kind="people")
    return Person.objects.get(slug="row-person")


# --- good cells: what each kind of column stores ---------------------------------------------


@pytest.mark.parametrize(
    ("header", "cell", "field", "stored"),
    [
        ("address", "  성남시 분당구 판교로 1  ", "address", "성남시 분당구 판교로 1"),
        ("description_en", "Edge NPU design", "description_en", "Edge NPU design"),
        ("소개(국문)", "엣지 NPU 설계", "description_ko", "엣지 NPU 설계"),
        ("employee_count", "42", "employee_count", 42),
        ("직원 수", "", "employee_count", None),
        ("established_year", "1800", "established_year", 1800),
        ("설립 연도", "2100", "established_year", 2100),
        ("website", "https://gamma-npu.example", "website", "https://gamma-npu.example"),
        ("kind", "Research Institute", "kind", "research_institute"),
        ("유형", "지자체", "kind", "government"),
    ],
)
def test_an_organisation_column_stores_its_value(operator, header, cell, field, stored):
    if header in ("kind", "유형"):
        run(operator, f"slug,name_ko,{header}\nrow-org,행기관,{cell}\n", kind="organisations")
        organisation = Organisation.objects.get(slug="row-org")
    else:
        organisation = one_organisation(operator, header, cell)
    assert getattr(organisation, field) == stored


@pytest.mark.parametrize(
    ("header", "cell", "field", "stored"),
    [
        ("name_en", "Haneul Park", "name_en", "Haneul Park"),
        ("직위(국문)", "책임연구원", "position_ko", "책임연구원"),
        ("email", "haneul@example.org", "email", "haneul@example.org"),
        ("이메일", "", "email", ""),
        (
            "expertise_keywords",
            '"NPU; 컴파일러, npu ;UVM"',
            "expertise_keywords",
            ["NPU", "컴파일러", "UVM"],
        ),
        ("is_public", "비공개", "is_public", False),
        ("공개 여부", "Y", "is_public", True),
        ("graduation_year", "1950", "graduation_year", 1950),
        ("study_program", "전자공학 석사", "study_program", "전자공학 석사"),
    ],
)
def test_a_person_column_stores_its_value(operator, header, cell, field, stored):
    assert getattr(one_person(operator, header, cell), field) == stored


def test_taxonomy_codes_are_separated_by_semicolons_and_kept_once(operator, tags):
    organisation = one_organisation(operator, "tags", "npu; edge-ai ;npu")
    assert sorted(organisation.tags.values_list("code", flat=True)) == ["edge-ai", "npu"]


def test_an_organisation_is_named_by_short_name_or_by_korean_name(operator, university):
    OrganisationFactory(slug="gamma-npu", name_ko="감마엔피유")
    run(
        operator,
        "slug,name_ko,organisation\nby-slug,가,gamma-npu\nby-name,나,판교대학교\nnone,다,\n",
        kind="people",
    )
    assert Person.objects.get(slug="by-slug").organisation.slug == "gamma-npu"
    assert Person.objects.get(slug="by-name").organisation == university
    assert Person.objects.get(slug="none").organisation is None


def test_an_export_quote_before_a_formula_is_taken_off(operator):
    organisation = one_organisation(operator, "description_en", "'=1+1 is text")
    assert organisation.description_en == "=1+1 is text"


def test_a_short_name_from_the_file_is_kept(operator):
    run(operator, "slug,kind,name_ko,name_en\nmy-own-slug,company,감마,Gamma NPU\n")
    assert Organisation.objects.filter(slug="my-own-slug").exists()
    run(operator, "kind,name_ko,name_en\ncompany,델타,Delta Chips\n")
    assert Organisation.objects.filter(slug="delta-chips").exists()


# --- bad cells: every row's reasons, nothing imported -----------------------------------------


@pytest.mark.parametrize(
    ("header", "cell", "reason"),
    [
        ("tags", "npu;quantum-magic;warp", "Unknown capability codes: quantum-magic, warp."),
        ("established_year", "1799", "Bad year “1799” in established_year"),
        ("established_year", "twenty", "Bad year “twenty” in established_year"),
        ("employee_count", "4.5", "Bad number “4.5” in employee_count"),
        ("employee_count", "-1", "Bad number “-1” in employee_count"),
        ("website", "gamma-npu.example", "Bad website address “gamma-npu.example”"),
        ("slug", "감마 엔피유", "Bad short name “감마 엔피유”"),
    ],
)
def test_a_bad_organisation_cell_is_reported_with_its_line(operator, tags, header, cell, reason):
    columns = "kind,name_ko" if header == "slug" else "slug,kind,name_ko"
    first = "company,좋은기관" if header == "slug" else "good,company,좋은기관"
    second = "company,나쁜기관" if header == "slug" else "bad,company,나쁜기관"
    text = f"{columns},{header}\n{first},\n{second},{cell}\n"
    problems = problems_of(operator, text)
    assert len(problems) == 1 and problems[0][0] == 3
    assert reason in problems[0][1]
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("header", "cell", "reason"),
    [
        ("email", "kim@", "Bad e-mail address “kim@”."),
        ("graduation_year", "1949", "Bad year “1949” in graduation_year"),
        ("graduation_year", "2101", "Bad year “2101” in graduation_year"),
        ("is_public", "sometimes", "is_public must be yes or no, not “sometimes”."),
        ("organisation", "Nowhere Inc", "Unknown organisation “Nowhere Inc”"),
        ("kind", "robot", "Unknown kind “robot”. Use expert or student."),
        ("tags", "npu;nope", "Unknown capability codes: nope."),
    ],
)
def test_a_bad_person_cell_is_reported_with_its_line(operator, tags, header, cell, reason):
    text = f"name_ko,email,{header}\n좋은사람,good@example.org,\n나쁜사람,,{cell}\n"
    if header == "email":
        text = f"name_ko,{header}\n좋은사람,good@example.org\n나쁜사람,{cell}\n"
    problems = problems_of(operator, text, kind="people")
    assert problems == [(3, problems[0][1])]
    assert reason in problems[0][1]
    assert not Person.objects.exists()


def test_an_organisation_name_two_organisations_share_is_refused(operator):
    OrganisationFactory(slug="twin-a", name_ko="쌍둥이")
    OrganisationFactory(slug="twin-b", name_ko="쌍둥이")
    problems = problems_of(operator, "name_ko,organisation\n가,쌍둥이\n", kind="people")
    assert (
        "Several organisations are called “쌍둥이”; give its short name instead."
        in (problems[0][1])
    )


def test_every_problem_of_one_row_is_listed(operator, tags):
    problems = problems_of(
        operator,
        "slug,kind,name_ko,website,established_year,tags\nbad slug,shop,,nowhere,20x5,magic\n",
    )
    reasons = " | ".join(message for _, message in problems)
    assert {line for line, _ in problems} == {2}
    for reason in (
        "Bad short name",
        "Unknown kind “shop”",
        "Korean name (name_ko) is missing",
        "Bad website address",
        "Bad year",
        "Unknown capability codes: magic",
    ):
        assert reason in reasons


# --- unique within the file ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        (
            "slug,name_ko\nkim,김\nKIM,김2\n",
            "people",
            "line 2 has the same short name “KIM”",
        ),
        (
            "name_ko,email\n김,kim@example.org\n이,Kim@Example.org\n",
            "people",
            "line 2 has the same e-mail “Kim@Example.org”",
        ),
        (
            "kind,name_ko\ncompany,감마\ncompany,감마\n",
            "organisations",
            "line 2 has the same Korean name “감마”",
        ),
        (
            "slug,kind,name_ko\ngamma,company,감마\ngamma,company,다른감마\n",
            "organisations",
            "line 2 has the same short name “gamma”",
        ),
    ],
)
def test_two_rows_with_the_same_key_are_refused(operator, text, kind, reason):
    problems = problems_of(operator, text, kind=kind)
    assert [line for line, _ in problems] == [3]
    assert reason in problems[0][1]


def test_different_people_may_leave_the_email_empty(operator):
    report = run(operator, "name_ko,email\n김,\n이,\n", kind="people")
    assert len(report.created) == 2


# --- columns a file leaves out ------------------------------------------------------------


def test_a_file_without_the_korean_name_column_is_refused_at_line_one(operator):
    problems = problems_of(operator, "slug,email\nkim,kim@example.org\n", kind="people")
    assert problems == [(1, "The file has no name_ko (이름(국문)) column; it is required.")]


def test_an_organisations_file_without_kinds_fails_every_row(operator):
    problems = problems_of(operator, "slug,name_ko\na,가\nb,나\n", kind="organisations")
    assert [line for line, _ in problems] == [2, 3]
    assert problems[0][1].startswith("The kind is missing. Use company, university")


def test_a_person_column_left_out_keeps_the_stored_value(operator, university):
    student = StudentFactory(slug="lee", organisation=university, email="lee@example.org")
    report = run(operator, "slug,name_ko\nlee,이학생\n", kind="people")
    assert report.updated[0].matched_by == "slug"
    student.refresh_from_db()
    assert student.name_ko == "이학생"
    assert student.organisation == university
    assert student.kind == Person.Kind.STUDENT
    assert student.email == "lee@example.org"


def test_an_empty_cell_clears_the_field_but_an_empty_yes_no_keeps_it(operator, tags):
    OrganisationFactory(slug="gamma", website="https://gamma.example", employee_count=9)
    run(operator, "slug,kind,name_ko,website,employee_count,tags\ngamma,company,감마,,,\n")
    gamma = Organisation.objects.get(slug="gamma")
    assert gamma.website == "" and gamma.employee_count is None and not gamma.tags.exists()

    PersonFactory(slug="kim", is_public=False)
    run(operator, "slug,name_ko,is_public\nkim,김,\n", kind="people")
    assert Person.objects.get(slug="kim").is_public is False


# --- writing through the services ---------------------------------------------------------


def test_each_added_record_is_audited_once_as_created_by_the_operator(operator, university):
    run(operator, "slug,name_ko,organisation\nkim,김,pangyo-univ\n", kind="people")
    kim = Person.objects.get(slug="kim")
    entries = LogEntry.objects.get_for_object(kim)
    assert [(entry.action, entry.actor) for entry in entries] == [
        (LogEntry.Action.CREATE, operator)
    ]


def test_moving_a_person_to_another_organisation_is_audited(operator, university):
    person = PersonFactory(slug="kim")
    run(operator, "slug,name_ko,organisation\nkim,김,판교대학교\n", kind="people")
    person.refresh_from_db()
    assert person.organisation == university
    change = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).get()
    assert change.actor == operator and "organisation" in change.changes_dict


def test_every_row_the_services_refuse_is_listed_and_nothing_is_kept(operator):
    long_name = "x" * 250
    text = (
        "slug,kind,name_ko,name_en\n"
        f"first,company,첫회사,{long_name}\n"
        "second,company,둘째회사,Second\n"
        f"third,company,셋째회사,{long_name}\n"
    )
    problems = problems_of(operator, text)
    assert [line for line, _ in problems] == [2, 4]
    assert all(message.startswith("name (English): ") for _, message in problems)
    assert not Organisation.objects.exists()


def test_a_short_name_that_names_a_page_is_refused_by_the_service(operator):
    problems = problems_of(operator, "slug,kind,name_ko\nok,company,좋음\nnew,company,새기관\n")
    assert problems == [
        (3, "short name: “new” names a page of the site; choose another short name.")
    ]
    assert not Organisation.objects.exists()


# --- the declarations themselves ------------------------------------------------------------


@pytest.mark.parametrize("columns", [ORGANISATION_COLUMNS, PEOPLE_COLUMNS])
def test_every_column_has_a_korean_header_and_no_two_columns_share_a_header(columns):
    owners: dict[str, set[str]] = {}
    for column in columns:
        for header in column.headers():
            owners.setdefault(header_key(header), set()).add(column.name)
        assert any("\uac00" <= char <= "\ud7a3" for alias in column.aliases for char in alias)
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}


# --- in Korean --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        (
            "name_ko,email\n김,kim@example.org\n이,kim@example.org\n",
            "people",
            "파일 안에서 중복됩니다: 2행과 이메일 값이 같습니다(“kim@example.org”).",
        ),
        ("name_ko,is_public\n김,글쎄\n", "people", "is_public 열에는 yes 또는 no를 적어야 합니다"),
        (
            "slug,email\nkim,k@example.org\n",
            "people",
            "파일에 필수 열이 없습니다: name_ko(이름(국문)).",
        ),
        (
            "name_ko,graduation_year\n김,1900\n",
            "people",
            "graduation_year 열의 연도가 잘못되었습니다",
        ),
    ],
)
def test_reasons_are_given_in_korean(operator, text, kind, reason):
    with translation.override("ko"):
        problems = problems_of(operator, text, kind=kind)
    assert reason in problems[0][1]

"""Loading the capability taxonomy from a data file: create, update by code, refuse bad files."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from sangsaeng.directory.models import TaxonomyTerm
from sangsaeng.directory.taxonomy import (
    DEFAULT_TAXONOMY_FILE,
    TaxonomyFileError,
    load_taxonomy,
    parse_taxonomy,
    read_taxonomy_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English here; the Korean ones have their own test."""
    with translation.override("en"):
        yield


def write(tmp_path, data, name="taxonomy.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


SMALL = {
    "terms": [
        {
            "code": "ai",
            "name_ko": "인공지능",
            "name_en": "Artificial intelligence",
            "children": [
                {"code": "npu", "name_ko": "신경망처리장치(NPU)", "name_en": "NPU"},
                {"code": "llm", "name_ko": "거대언어모델", "name_en": "Large language models"},
            ],
        },
        {"code": "chip-design", "name_ko": "반도체 설계", "name_en": "Chip design"},
    ]
}


def run_command(*args):
    out = StringIO()
    call_command("load_taxonomy", *args, stdout=out)
    return out.getvalue()


def test_bundled_taxonomy_loads_with_the_cluster_capabilities_in_both_languages():
    output = run_command()
    assert "created: npu" in output
    npu = TaxonomyTerm.objects.get(code="npu")
    assert npu.parent.code == "ai"
    assert npu.name_ko == "신경망처리장치(NPU)·AI 가속기"
    expected = {
        "llm": "거대언어모델",
        "analog-rf": "아날로그·RF 회로",
        "pmic": "전력관리반도체(PMIC)",
        "verification": "검증",
        "dft": "테스트 용이화 설계(DFT)",
        "physical-design": "물리 설계",
        "packaging-chiplet": "패키징·칩렛",
    }
    names = dict(TaxonomyTerm.objects.filter(code__in=expected).values_list("code", "name_ko"))
    assert names == expected
    for code in ("automotive", "mobile", "data-centre", "iot", "robotics", "high-speed-interface"):
        assert TaxonomyTerm.objects.filter(code=code, parent__code__isnull=False).exists(), code
    assert not TaxonomyTerm.objects.filter(name_en="").exists()


def test_loading_twice_changes_nothing_and_says_so():
    run_command()
    count = TaxonomyTerm.objects.count()
    output = run_command()
    assert TaxonomyTerm.objects.count() == count
    assert f"0 created, 0 updated, {count} unchanged." in output


def test_reload_updates_by_code_and_reports_the_changed_fields(tmp_path):
    load_taxonomy(parse_taxonomy(SMALL))
    first_pk = TaxonomyTerm.objects.get(code="npu").pk
    changed = json.loads(json.dumps(SMALL))
    changed["terms"][0]["children"][0]["name_en"] = "Neural processing units"
    # llm moves from "ai" to "chip-design" (a strange choice, but a file may do it).
    llm = changed["terms"][0]["children"].pop(1)
    changed["terms"][1]["children"] = [llm]
    changed["terms"].append({"code": "iot", "name_ko": "사물인터넷", "name_en": "IoT"})

    output = run_command(str(write(tmp_path, changed)))

    assert "1 created, 2 updated" in output
    assert "updated: npu (name_en)" in output
    assert "updated: llm (parent)" in output
    assert "created: iot" in output
    npu = TaxonomyTerm.objects.get(code="npu")
    assert npu.pk == first_pk and npu.name_en == "Neural processing units"
    assert TaxonomyTerm.objects.get(code="llm").parent.code == "chip-design"


def test_terms_missing_from_the_file_are_kept_and_listed(tmp_path):
    load_taxonomy(parse_taxonomy(SMALL))
    smaller = {"terms": [SMALL["terms"][1]]}
    changes = load_taxonomy(parse_taxonomy(smaller))
    assert changes.not_in_file == ["ai", "llm", "npu"]
    assert TaxonomyTerm.objects.filter(code="npu").exists()


def test_bad_file_names_every_bad_entry_and_changes_nothing(tmp_path):
    load_taxonomy(parse_taxonomy(SMALL))
    before = list(TaxonomyTerm.objects.values_list("code", "name_en").order_by("code"))
    bad = json.loads(json.dumps(SMALL))
    bad["terms"][0]["name_en"] = "Changed, but must not be saved"
    bad["terms"][0]["children"][1] = {"code": "llm", "name_en": "LLM"}  # no Korean name
    bad["terms"][1]["children"] = [
        {"code": "npu", "name_ko": "중복", "name_en": "Duplicate"},
        {"code": "bad code!", "name_ko": "나쁜", "name_en": "Bad", "name_kr": "typo"},
    ]

    with pytest.raises(CommandError) as raised:
        run_command(str(write(tmp_path, bad)))

    message = str(raised.value)
    assert "nothing changed" in message
    assert 'entry terms[0].children[1] (code "llm"): name_ko is missing' in message
    assert (
        'entry terms[1].children[0] (code "npu"): the code is already used by '
        "terms[0].children[0]" in message
    )
    assert 'code "bad code!" may hold only letters' in message
    assert "unknown fields name_kr" in message
    after = list(TaxonomyTerm.objects.values_list("code", "name_en").order_by("code"))
    assert after == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is not valid JSON"),
        (b'{"terms": [', "is not valid JSON (line 1"),
        (b"\xff\xfe\x00", "is not UTF-8"),
        (b'{"terms": []}', "non-empty list of terms"),
        (b'{"terms": [42]}', "entry terms[0]: must be an object"),
        (
            b'{"terms": [{"code": "a", "name_ko": "ga", "name_en": "A", "children": 3}]}',
            '"children" must be a list',
        ),
    ],
)
def test_unreadable_files_get_a_clear_error(tmp_path, content, expected):
    path = tmp_path / "taxonomy.json"
    path.write_bytes(content)
    with pytest.raises(TaxonomyFileError) as raised:
        read_taxonomy_file(path)
    assert expected in str(raised.value)


def test_missing_file_is_a_clear_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run_command(str(tmp_path / "nowhere.json"))


def test_terms_are_ordered_as_in_the_file():
    load_taxonomy(read_taxonomy_file(DEFAULT_TAXONOMY_FILE))
    codes = list(TaxonomyTerm.objects.values_list("code", flat=True))
    assert codes[:3] == ["ai", "npu", "llm"]

"""Clean Korean on every screen: particles chosen from the word, names in the page's
language, agreement pages in one language, meaningful slugs for Korean-only names, and an
operators' admin titled in Korean without untranslated app labels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sangsaeng.core.i18n import interpolate, with_particle
from sangsaeng.directory.services import organisation_create, person_create
from tests.core.test_translations import CATALOGUES, parse_po
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    IndicatorFactory,
    OperatorFactory,
    PersonFactory,
    UserFactory,
)

PLACEHOLDER = re.compile(r"\((을|를|이|가|으|은|는|과|와|아|야)\)")
# A particle right after a placeholder in a template's message: templates cannot fit it.
PARTICLE_AFTER_VALUE = re.compile(
    r"(%\(\w+\)[sd]|\{\{ ?\w+ ?\}\})”?(으로|을|를|이|가|은|는|과|와|로)(?![가-힣])"
)
HANGUL = re.compile(r"[가-힣]")


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-4])
def test_no_catalogue_writes_a_particle_placeholder(path):
    found = [
        entry.msgid
        for entry in parse_po(path)
        if any(PLACEHOLDER.search(text) for text in entry.msgstr.values())
    ]
    assert found == [], "choose the particle from the word (sangsaeng.core.i18n.interpolate)"


SOURCES = sorted(
    path
    for pattern in ("*.html", "*.py", "*.txt")
    for path in (Path(__file__).parents[2] / "src" / "sangsaeng").rglob(pattern)
)
BOTH_FORMS = re.compile(r"[가-힣]\((을|를|이|가|으|은|는|과|와)\)")


def test_no_template_or_generated_text_writes_a_particle_placeholder():
    """Templates and the demo's generated profiles (“…을(를) 연구하며”) fit the particle too."""
    assert SOURCES
    offenders = [
        f"{path.name}:{number}"
        for path in SOURCES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BOTH_FORMS.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-4])
def test_template_messages_put_no_particle_after_a_value(path):
    """A template's ``blocktranslate`` cannot fit a particle to its value: reword instead."""
    text = path.read_text(encoding="utf-8")
    offenders = []
    for block in text.split("\n\n"):
        if "#: templates/" not in block or "msgstr" not in block:
            continue
        msgstr = block[block.index("msgstr") :]
        if PARTICLE_AFTER_VALUE.search(msgstr.replace('"\n"', "")):
            offenders.append(msgstr[:80])
    assert offenders == []


@pytest.mark.parametrize(
    ("word", "particle", "expected"),
    [
        ("판교칩스", "을", "판교칩스를"),
        ("강하은", "이", "강하은이"),
        ("세종대학교", "이", "세종대학교가"),
        ("서울", "으로", "서울로"),
        ("성남", "으로", "성남으로"),
        ("NPU", "을", "NPU를"),
        ("LLM", "와", "LLM과"),
        ("Sejong", "이", "Sejong이"),
        ("2024", "은", "2024는"),
        ("“공동 개발”", "을", "“공동 개발”을"),
    ],
)
def test_particles_are_chosen_from_the_word(word, particle, expected):
    assert with_particle(word, particle) == expected


def test_a_korean_message_fits_each_particle_to_its_value():
    message = "%(party)s이 “%(need)s”에 관심을 표시했습니다. %(org)s과 함께 100%% 진행"
    assert (
        interpolate(message, {"party": "판교칩스", "need": "NPU", "org": "세종대학교"})
        == "판교칩스가 “NPU”에 관심을 표시했습니다. 세종대학교와 함께 100% 진행"
    )
    assert interpolate("%(party)s is interested.", {"party": "Pangyo"}) == "Pangyo is interested."


def test_the_notification_reads_without_a_placeholder(client, db):
    from sangsaeng.notifications.services import notify

    user = UserFactory()
    notify(
        recipients=[user],
        kind="answer",
        context={
            "need": "NPU 검증",
            "party_ko": "세종대학교",
            "party_en": "Sejong",
            "accepted": True,
        },
    )
    client.force_login(user)
    korean = client.get("/ko/notifications/").content.decode()
    assert "세종대학교가 “NPU 검증” 건의 연락 요청을 수락했습니다." in korean
    english = client.get("/en/notifications/").content.decode()
    assert "Sejong accepted your contact request" in english


def test_an_organisation_with_only_a_korean_name_gets_a_readable_slug(db):
    user = UserFactory()
    first = organisation_create(actor=user, kind="company", name_ko="퀼론포토닉스")
    second = organisation_create(actor=user, kind="company", name_ko="퀼론포토닉스")
    assert first.slug == "kwillonpotonigseu"
    assert second.slug == "kwillonpotonigseu-2"
    person = person_create(actor=OperatorFactory(), name_ko="강하은")
    assert person.slug == "ganghaeun"
    for slug in (first.slug, second.slug, person.slug):
        assert slug.isascii() and slug not in ("organisation", "person")


def test_the_welcome_uses_the_profiles_name_in_the_pages_language(client, db):
    user = UserFactory(display_name="강하은")
    PersonFactory(user=user, name_ko="강하은", name_en="Haeun Kang")
    client.force_login(user)
    english = client.get("/en/accounts/dashboard/").content.decode()
    assert "Welcome, Haeun Kang" in english and "강하은" not in english
    korean = client.get("/ko/accounts/dashboard/").content.decode()
    assert "강하은" in korean and "Haeun Kang" not in korean


def test_an_agreement_page_speaks_its_pages_language(client, db):
    agreement = AgreementFactory(
        slug="mou",
        source_ko="성남시 보도자료(2024. 12. 9.)",
        source_en="Seongnam City press release, 9 Dec 2024",
    )
    commitment = CommitmentFactory(agreement=agreement)
    IndicatorFactory(commitment=commitment, unit_ko="명", unit_en="")
    commitment.updates.create(
        reported_on="2025-06-20",
        status="in_progress",
        note_ko="1기 64명이 수료했다.",
        note_en="64 students finished the first course.",
    )
    english = client.get("/en/directory/agreements/mou/").content.decode()
    main = english[english.index("<main>") : english.index("</main>")]
    assert "Seongnam City press release" in main
    assert "64 students finished the first course." in main
    assert not HANGUL.search(main), HANGUL.findall(main)[:10]
    korean = client.get("/ko/directory/agreements/mou/").content.decode()
    assert "성남시 보도자료" in korean and "press release" not in korean
    assert "1기 64명이 수료했다." in korean and "0 / 100 명" in korean
    assert "In progress" in english and "in progress<" not in english


def test_the_admin_is_titled_in_korean_with_translated_app_labels(client, db):
    client.force_login(OperatorFactory(is_superuser=True))
    page = client.get("/ko/admin/").content.decode()
    assert "상생 관리" in page and "Django 관리" not in page
    assert "개 기관" not in page and ">기관<" in page
    assert "TASKS DATABASE BACKEND" not in page.upper().replace("백그라운드", "")
    assert "Tasks Database Backend" not in page and "백그라운드 작업" in page

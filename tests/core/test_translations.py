"""Every user-facing string has a Korean translation, and pages speak the URL's language."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import sangsaeng

CATALOGUES = sorted(Path(sangsaeng.__file__).parent.glob("*/locale/ko/LC_MESSAGES/django.po"))


@dataclass
class Entry:
    """One message of a gettext catalogue, as far as this check needs it."""

    line: int
    flags: set[str] = field(default_factory=set)
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader (the standard library has none): flags, msgid(s) and msgstr(s).

    Obsolete entries (``#~``) are skipped, as gettext itself ignores them.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None

    def start(line_number: int) -> Entry:
        entry = Entry(line=line_number)
        entries.append(entry)
        return entry

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if current is None or current.msgid or current.msgstr:
                current = start(number)
            current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgctxt":
            current = start(number)
            continue
        if keyword == "msgid":
            if current is None or current.msgid or current.msgstr:
                current = start(number)
            current.msgid = ast.literal_eval(rest)
            target = ("msgid", 0)
        elif keyword == "msgid_plural":
            assert current is not None
            current.msgid_plural = ast.literal_eval(rest)
            target = ("msgid_plural", 0)
        elif keyword.startswith("msgstr"):
            assert current is not None
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            current.msgstr[index] = ast.literal_eval(rest)
            target = ("msgstr", index)
        elif line.startswith('"') and current is not None and target is not None:
            text = ast.literal_eval(line)
            kind, index = target
            if kind == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, kind, getattr(current, kind) + text)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    return entries


def untranslated(path: Path) -> list[str]:
    problems = []
    for entry in parse_po(path):
        if not entry.msgid:  # the header
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{path.name}:{entry.line}: fuzzy: {entry.msgid!r}")
        elif not entry.msgstr or not all(entry.msgstr.values()):
            problems.append(f"{path.name}:{entry.line}: empty: {entry.msgid!r}")
    return problems


def test_the_parser_finds_empty_and_fuzzy_entries(tmp_path):
    catalogue = tmp_path / "django.po"
    catalogue.write_text(
        'msgid ""\nmsgstr ""\n"Language: ko\\n"\n\n'
        'msgid "Done"\nmsgstr "완료"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Guess %(n)s"\nmsgstr "추측 %(n)s"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] ""\n\n'
        'msgid ""\n"Long "\n"text"\nmsgstr ""\n"긴 "\n"글"\n\n'
        '#~ msgid "Old"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    entries = {entry.msgid: entry for entry in parse_po(catalogue)}
    assert entries["Long text"].msgstr == {0: "긴 글"}
    assert [problem.split(": ", 1)[1] for problem in untranslated(catalogue)] == [
        "empty: 'Empty'",
        "fuzzy: 'Guess %(n)s'",
        "empty: 'one'",
    ]


def test_the_platform_has_korean_catalogues():
    apps = {path.parts[-5] for path in CATALOGUES}
    assert {"core", "accounts", "directory"} <= apps


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.parts[-5])
def test_every_message_has_a_korean_translation(catalogue):
    problems = untranslated(catalogue)
    assert not problems, "Untranslated or fuzzy Korean entries:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_pages_under_ko_speak_korean_and_under_en_english(client):
    korean = client.get("/ko/")
    english = client.get("/en/")
    assert '<html lang="ko">' in korean.text and '<html lang="en">' in english.text
    for korean_text, english_text in [
        ("기관", "Organisations"),
        ("전문가", "Experts"),
        ("협약", "Agreements"),
        ("로그인", "Log in"),
    ]:
        assert f">{korean_text}</a>" in korean.text
        assert f">{english_text}</a>" in english.text
        assert f">{english_text}</a>" not in korean.text


@pytest.mark.django_db
def test_directory_pages_speak_the_urls_language(client):
    korean = client.get("/ko/directory/organisations/")
    english = client.get("/en/directory/organisations/")
    assert "모든 유형" in korean.text and "All kinds" in english.text
    assert "기업" in korean.text and "Company" in english.text

"""Bilingual content: records keep Korean and English text side by side; Korean particles.

A Korean sentence with a name in it needs the particle that fits the name's last sound
(판교칩스가 but 강하은이; 서울로 but 성남으로). Catalogues write one
form right after the placeholder (``"%(party)s이 관심을 표시했습니다."``) and
:func:`interpolate` picks the right one with tossi, a library that knows Korean particles
(batchim, the ㄹ rule of 으로/로, numbers). Names in Latin letters get a reading of their
last letters (``NPU`` 유 → 를, ``Sejong`` 종 → 을).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import tossi
from django.utils.translation import get_language


def localized(korean: str, english: str) -> str:
    """The text in the active language, falling back to the other one when empty."""
    language = (get_language() or "ko").split("-")[0]
    first, second = (english, korean) if language == "en" else (korean, english)
    return first or second


# Particles whose form depends on the word before them, longest first; each must end the
# word it is part of (the next character is not Hangul), so "%(x)s이다" is left alone.
_PARTICLES = (
    "으로",
    "이나",
    "이랑",
    "이라",
    "을",
    "를",
    "이",
    "가",
    "은",
    "는",
    "과",
    "와",
    "로",
    "아",
    "야",
)
_PLACEHOLDER = re.compile(
    r"%\((?P<name>\w+)\)s(?P<particle>" + "|".join(_PARTICLES) + r")(?![가-힣])"
)
# Hangul words with the same last sound as a word in Latin letters (none, a batchim, ㄹ).
_NO_FINAL, _FINAL, _FINAL_L = "가", "강", "갈"
# Letters read with a batchim when spelled out (엘, 엠, 엔, 알): L and R end in ㄹ.
_SPELLED_FINAL = {"L": _FINAL_L, "R": _FINAL_L, "M": _FINAL, "N": _FINAL}


def _stand_in(word: str) -> str:
    """The word itself if tossi reads it (Hangul, digits), else a Hangul syllable that ends in
    the same sound as the word's Latin letters."""
    stripped = re.sub(r"[\s\W_]+$", "", word)
    if not stripped or not stripped[-1].isascii() or not stripped[-1].isalpha():
        return word
    last_token = re.split(r"[\s\-_/.]", stripped)[-1]
    if last_token.isupper():  # an acronym is read letter by letter: NPU → 엔피유
        return _SPELLED_FINAL.get(last_token[-1], _NO_FINAL)
    lower = last_token.lower()
    if lower.endswith(("l", "le")):
        return _FINAL_L
    if lower.endswith(("ng", "m", "n")):
        return _FINAL
    return _NO_FINAL


def with_particle(word: str, particle: str) -> str:
    """``word`` followed by the form of ``particle`` that fits it (을/를, 이/가, 으로/로…)."""
    return f"{word}{tossi.pick(_stand_in(word), particle)}"


def interpolate(message: str, values: Mapping[str, Any]) -> str:
    """``message % values``, with each particle right after a placeholder fitted to its value.

    Only Korean sentences have such particles; English ones interpolate as usual.
    """

    def fitted(match: re.Match[str]) -> str:
        value = str(values[match.group("name")])
        # Escape the percent signs of the value: the rest of the message is formatted next.
        return with_particle(value, match.group("particle")).replace("%", "%%")

    return _PLACEHOLDER.sub(fitted, message) % values

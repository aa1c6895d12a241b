"""Bilingual content: records keep Korean and English text side by side."""

from __future__ import annotations

from django.utils.translation import get_language


def localized(korean: str, english: str) -> str:
    """The text in the active language, falling back to the other one when empty."""
    language = (get_language() or "ko").split("-")[0]
    first, second = (english, korean) if language == "en" else (korean, english)
    return first or second

"""Normalising the expertise keywords people type or import."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sangsaeng.core.limits import KEYWORD_LENGTH, MAX_KEYWORDS, too_long_message


def normalise_keywords(value: str | Sequence[str]) -> list[str]:
    """Keywords from a comma-separated string or a list: trimmed, de-duplicated, in order.

    Raises ``ValidationError`` (on ``expertise_keywords``) past ``MAX_KEYWORDS`` keywords or
    for a keyword longer than ``KEYWORD_LENGTH`` characters.
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    seen: dict[str, str] = {}
    for item in items:
        keyword = str(item).strip()
        if len(keyword) > KEYWORD_LENGTH:
            message = too_long_message(KEYWORD_LENGTH, len(keyword))
            raise ValidationError({"expertise_keywords": f"{keyword[:30]}…: {message}"})
        if keyword and keyword.casefold() not in seen:
            seen[keyword.casefold()] = keyword
    if len(seen) > MAX_KEYWORDS:
        raise ValidationError(
            {"expertise_keywords": _("List at most %(n)d keywords.") % {"n": MAX_KEYWORDS}}
        )
    return list(seen.values())

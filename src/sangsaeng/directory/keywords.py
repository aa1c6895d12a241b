"""Normalising the expertise keywords people type or import."""

from __future__ import annotations

from collections.abc import Sequence


def normalise_keywords(value: str | Sequence[str]) -> list[str]:
    """Keywords from a comma-separated string or a list: trimmed, de-duplicated, in order."""
    items = value.split(",") if isinstance(value, str) else list(value)
    seen: dict[str, str] = {}
    for item in items:
        keyword = str(item).strip()
        if keyword and keyword.casefold() not in seen:
            seen[keyword.casefold()] = keyword
    return list(seen.values())

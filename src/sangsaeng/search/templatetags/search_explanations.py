"""Template helpers for explanations: the sentence in the page's language, shared tags."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def sentence_in_language(explanation: dict[str, Any] | None) -> str | None:
    """The explanation's quoted sentence in the page's language when the record has text
    in it, else the one it has (explanations stored before sentences per language too)."""
    if not explanation:
        return None
    sentences = explanation.get("sentences") or {}
    language = (translation.get_language() or "")[:2]
    return sentences.get(language) or explanation.get("best_sentence")


@register.simple_tag
def shared_tags(first: Any, second: Any) -> list[Any]:
    """The capabilities two records share (a need and a candidate), in ``second``'s order.

    Either may be a record with ``tags`` or a matching party (its ``record``); tags read
    through prefetched ``tags.all()`` cost no query per card.
    """
    first, second = getattr(first, "record", first), getattr(second, "record", second)
    wanted = {tag.pk for tag in first.tags.all()}
    return [tag for tag in second.tags.all() if tag.pk in wanted]

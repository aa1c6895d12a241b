"""Template filters of the events pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``{{ booked|lookup:request.pk }}``: a dictionary's value for a key, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None

"""Small template helpers of the programs pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping|get_item:key``: a dictionary's value (None when absent)."""
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def failed_checks(stored: Any) -> list[str]:
    """The automatic eligibility checks an application failed at submission, in the page's
    language (``application.eligibility|failed_checks``)."""
    from sangsaeng.programs.eligibility import EligibilityCheck

    return [
        EligibilityCheck.from_dict(check).message
        for check in stored or ()
        if not check.get("passed")
    ]


@register.simple_tag
def company_size(call: Any) -> str:
    """The call's company sizes in words (``{% company_size call %}``): "at most 400
    employees", never a dash for a missing bound."""
    from sangsaeng.programs.eligibility import size_range

    return size_range(call.min_employees, call.max_employees)

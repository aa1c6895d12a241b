"""The site's main navigation, to which each app adds its own entries.

An app registers :class:`NavItem` objects from its ``AppConfig.ready()``; the base
template shows them in ``order``, each only to the viewers ``visible`` lets through (an
operator's queue, for instance). So the base layout names no app, and a new app adds its
pages to the menu without editing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    id: str
    url_name: str
    label: Any
    order: int = 100
    visible: Callable[[Any], bool] | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_items: dict[str, NavItem] = {}


def register(*items: NavItem) -> None:
    for item in items:
        _items[item.id] = item


def items_for(user: Any) -> list[NavItem]:
    """The entries ``user`` sees, in order."""
    return [
        item
        for item in sorted(_items.values(), key=lambda item: (item.order, item.id))
        if item.visible is None or item.visible(user)
    ]

"""The signed-in user's dashboard, to which each app contributes panels.

The dashboard page (in accounts) shows the panels apps register from their
``AppConfig.ready()``: each names a template and a function that gives its context for a
user, or ``None`` when the panel has nothing for them. ``place`` puts it in the
highlighted row at the top or in the columns below; ``order`` sorts within a place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Place = Literal["top", "columns"]


@dataclass(frozen=True)
class Panel:
    id: str
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    place: Place = "columns"
    order: int = 100


@dataclass(frozen=True)
class ShownPanel:
    id: str
    template: str
    context: dict[str, Any]


_panels: dict[str, Panel] = {}


def register(*panels: Panel) -> None:
    for panel in panels:
        _panels[panel.id] = panel


def panels_for(user: Any, place: Place) -> list[ShownPanel]:
    """The panels of ``place`` that have something for ``user``, in order."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda panel: (panel.order, panel.id)):
        if panel.place != place:
            continue
        context = panel.context(user)
        if context is not None:
            shown.append(ShownPanel(panel.id, panel.template, context))
    return shown

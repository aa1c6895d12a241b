"""The searchable models of every installed app, collected from their ``search.py``.

Each app declares a module-level ``SEARCHABLE`` list of
:class:`~sangsaeng.core.indexing.Searchable` in ``<app>/search.py``; :func:`collect` reads
them once, when the search app is ready.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db.models import Model

from sangsaeng.core.indexing import Searchable, SearchKind

_by_subject: dict[str, Searchable] = {}


def collect() -> None:
    """Read the declarations of every installed app (idempotent)."""
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.search")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.search":
                raise
            continue
        for searchable in getattr(module, "SEARCHABLE", ()):
            register(searchable)


def register(searchable: Searchable) -> None:
    existing = _by_subject.get(searchable.subject)
    if existing is not None and existing.model is not searchable.model:
        raise ValueError(f"two models claim the search subject {searchable.subject!r}")
    _by_subject[searchable.subject] = searchable


def searchables() -> list[Searchable]:
    return list(_by_subject.values())


def by_subject(subject: str) -> Searchable:
    try:
        return _by_subject[subject]
    except KeyError:
        raise LookupError(f"nothing searchable is called {subject!r}") from None


def for_model(model: type[Model]) -> Searchable:
    for searchable in _by_subject.values():
        if searchable.model is model:
            return searchable
    raise TypeError(f"{model.__name__} is not searchable")


def index_names() -> list[str]:
    """The engine indexes the declarations ask for, in the order they were declared."""
    return list(dict.fromkeys(searchable.index for searchable in _by_subject.values()))


def search_kinds() -> list[tuple[SearchKind, Searchable]]:
    """The search box's kinds of result, each with the model it is drawn from."""
    return [(kind, searchable) for searchable in searchables() for kind in searchable.kinds]

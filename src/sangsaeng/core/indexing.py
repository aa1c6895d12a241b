"""How an app makes its records searchable, without depending on the search app.

The search app (``sangsaeng.search``) sits above the directory in the layers, yet it
indexes the directory's experts and organisations. So each app *declares* what the
engine reads of its records in its own ``search.py`` (a module-level ``SEARCHABLE`` list
of :class:`Searchable`), and the search app collects the declarations of every installed
app when it starts, the way NetBox apps register their search indexes. An app below the
search app that wants its lists ranked by relevance asks :func:`ranked`, which the search
app provides (:func:`provide_ranking`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db.models import Model, QuerySet

from sangsaeng.engine.index import Profile

ModelT = TypeVar("ModelT", bound=Model)


@dataclass(frozen=True)
class SearchKind:
    """One kind of result of the search box (e.g. "expert"), and who may find which records.

    ``label`` names the kind in the search filter ("Experts"), ``hit_label`` on one result
    ("Expert"); ``visible_to(user)`` returns the records of that kind the user may find,
    already restricted by the access policy.
    """

    name: str
    label: Any
    hit_label: Any
    visible_to: Callable[[Any], QuerySet[Any]]


@dataclass(frozen=True)
class Searchable:
    """What the search index reads of one model, and how it follows changes to it.

    - ``subject`` names the model's entries in the index (``person:12``);
    - ``index`` is the engine index it lives in (records compared with each other share one);
    - ``profile`` turns a record, fetched with ``queryset()``, into the engine's profile;
    - ``follows`` lists other models whose changes change a record's profile, each with the
      function that gives the id of the record affected (a publication → its person);
    - ``kinds`` are the search box's kinds of result drawn from this model, ``kind_of``
      tells which one a record is, and ``title_for(user, record)`` what a result is called
      for that user (by default the record's ``name``);
    - ``name_fields`` hold the record's names (every language): the search box finds a
      record by its names whole or in part, as people type them ("세종" for 세종대학교);
    - ``affiliation`` names the field of the record it belongs to (an expert's
      ``organisation``), whose names find it too; that record's Korean and English names
      also teach the search box which words of the two languages are one name (세종/Sejong).
    """

    subject: str
    model: type[Model]
    index: str
    profile: Callable[[Any], Profile]
    queryset: Callable[[], QuerySet[Any]]
    follows: tuple[tuple[type[Model], Callable[[Any], int | None]], ...] = ()
    kinds: tuple[SearchKind, ...] = ()
    kind_of: Callable[[Any], str] | None = None
    title_for: Callable[[Any, Any], str] | None = None
    tags_field: str | None = "tags"
    name_fields: tuple[str, ...] = ()
    affiliation: str | None = None


def profile_key(subject: str, object_id: int) -> str:
    """The id of a record's profile in the index: ``person:12``."""
    return f"{subject}:{object_id}"


class Ranking(Protocol):
    def __call__(
        self, queryset: QuerySet[ModelT], query: str, limit: int = ...
    ) -> QuerySet[ModelT]: ...


_ranking: Ranking | None = None


def provide_ranking(ranking: Ranking) -> None:
    """The search app offers its engine-backed ranking to the apps below it."""
    global _ranking
    _ranking = ranking


def ranked(queryset: QuerySet[ModelT], query: str) -> QuerySet[ModelT]:
    """``queryset`` narrowed to the records relevant to ``query``, best first."""
    if _ranking is None:
        raise LookupError("no ranking provided: is sangsaeng.search installed?")
    return _ranking(queryset, query)

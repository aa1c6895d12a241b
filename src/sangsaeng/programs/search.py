"""What the search index reads of support programs: published calls, never applications.

Declared here, read by the search app (see :mod:`sangsaeng.core.indexing`). Applications are
not searchable by anybody: nothing of their text enters any index.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.indexing import Searchable, SearchKind, profile_key
from sangsaeng.core.policy import Action, restrict
from sangsaeng.directory.search import tag_names
from sangsaeng.engine.index import Document, Profile
from sangsaeng.programs.models import Call

CALL = "call"


def call_profile(call: Call) -> Profile:
    """A call in both languages, with its programme and areas."""
    areas = tag_names(call.eligible_tags.all())
    program = f"{call.program.name_ko} {call.program.name_en}".strip()
    documents = [
        Document(
            id=f"call:{call.pk}:{language}",
            title=title,
            text=f"{program}\n{description}\n{areas}",
        )
        for language, title, description in (
            ("ko", call.title_ko, call.description_ko),
            ("en", call.title_en, call.description_en),
        )
        if title or description
    ]
    return Profile(profile_key(CALL, call.pk), tuple(documents))


def searchable_calls(user: object) -> QuerySet[Call]:
    return restrict(Call.objects.all(), user, Action.VIEW)


SEARCHABLE = [
    Searchable(
        subject=CALL,
        model=Call,
        index="programs",
        profile=call_profile,
        queryset=lambda: Call.objects.select_related("program").prefetch_related("eligible_tags"),
        kinds=(SearchKind("call", _("Calls for applications"), _("Call"), searchable_calls),),
        kind_of=lambda call: "call",
        title_for=lambda user, call: call.title,
        tags_field="eligible_tags",
    ),
]

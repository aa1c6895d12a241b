"""What the search index reads of event participants: their profile and their offers.

Declared here, read by the search app (see :mod:`sangsaeng.core.indexing`). The engine ranks
participants for each other's recommendations from this index (a participant's wishes are the
query, others' profiles and offers the documents), and the search box finds them; either way
only the participants a user may list are candidates, so a members-only participant list
stays members-only in search too.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.indexing import Searchable, SearchKind, profile_key
from sangsaeng.core.policy import Action, AnyUser, restrict
from sangsaeng.engine.index import Document, Profile
from sangsaeng.events.models import MarketplaceItem, Participant

PARTICIPANT = "participant"


def participant_profile(participant: Participant) -> Profile:
    """What a participant brings: one document for the event profile, one per offer (titled).

    Wishes are left out, so that a wish is matched with what others offer, not with others
    who wish for the same thing. So is the organisation's name: its words ("팹리스 AI
    연구센터") would make partners look alike for what they are called, not what they do."""
    about = "\n".join(part for part in (participant.position, participant.profile) if part)
    documents = [Document(id=f"participant:{participant.pk}", text=about or participant.name)]
    documents += [
        Document(id=f"item:{item.pk}", text=item.description or item.title, title=item.title)
        for item in participant.items.all()
        if item.kind == MarketplaceItem.Kind.OFFER
    ]
    return Profile(profile_key(PARTICIPANT, participant.pk), tuple(documents))


def listed_participants(user: AnyUser) -> QuerySet[Participant]:
    return restrict(
        Participant.objects.filter(status=Participant.Status.REGISTERED), user, Action.VIEW
    )


def _title(user: AnyUser, participant: Participant) -> str:
    return f"{participant.name} · {participant.organisation.name} — {participant.event.title}"


SEARCHABLE = [
    Searchable(
        subject=PARTICIPANT,
        model=Participant,
        index="events",
        profile=participant_profile,
        queryset=lambda: Participant.objects.select_related("organisation").prefetch_related(
            "items"
        ),
        follows=((MarketplaceItem, lambda item: item.participant_id),),
        kinds=(
            SearchKind(
                "participant",
                _("Event participants"),
                _("Event participant"),
                listed_participants,
            ),
        ),
        kind_of=lambda participant: "participant",
        title_for=_title,
        tags_field=None,
    ),
]

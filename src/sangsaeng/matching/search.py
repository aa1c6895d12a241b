"""What the search index reads of needs and offers.

Declared here, read by the search app (see :mod:`sangsaeng.core.indexing`).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.indexing import Searchable, SearchKind, profile_key
from sangsaeng.core.policy import Action, can, restrict
from sangsaeng.directory.search import tag_names
from sangsaeng.engine.index import Document, Profile
from sangsaeng.matching.models import Need

NEED = "need"


def need_profile(need: Need) -> Profile:
    """A need as others may find it: a confidential need is indexed by its summary only.

    Its text never enters the index, so no search by anybody can surface or rank it by
    words only the poster and the parties it contacts may read.
    """
    tags = tag_names(need.tags.all())
    # Capabilities go in the title: found, but never quoted as the sentence that explains.
    if need.is_confidential:
        document = Document(id=f"need:{need.pk}", text=need.summary, title=tags)
    else:
        title = f"{need.title}\n{tags}" if tags else need.title
        document = Document(id=f"need:{need.pk}", text=need.description, title=title)
    return Profile(profile_key(NEED, need.pk), (document,))


def searchable_needs(user: object) -> QuerySet[Need]:
    """Needs whose summary or text ``user`` may see (confidential ones are indexed by summary)."""
    return restrict(Need.objects.all(), user, Action.VIEW_SUMMARY)


SEARCHABLE = [
    Searchable(
        subject=NEED,
        model=Need,
        index="needs",
        profile=need_profile,
        queryset=lambda: Need.objects.prefetch_related("tags"),
        kinds=(
            SearchKind(
                "need",
                _("Needs"),
                _("Need"),
                lambda user: searchable_needs(user).exclude(kind__in=Need.OFFER_KINDS),
            ),
            SearchKind(
                "offer",
                _("Offers"),
                _("Offer"),
                lambda user: searchable_needs(user).filter(kind__in=Need.OFFER_KINDS),
            ),
        ),
        kind_of=lambda need: "offer" if need.is_offer else "need",
        title_for=lambda user, need: need.title if can(user, Action.VIEW, need) else need.summary,
    ),
]

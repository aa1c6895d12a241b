"""The match workflow: its transition table, taking one step, and lapsing requests.

    suggested → requested → accepted | declined | lapsed,   accepted → project,
    lapsed → requested (asked again)

:data:`TRANSITIONS` is the only place that says so; each step leaves a
:class:`~sangsaeng.matching.models.MatchEvent` naming who took it and when. The services
take steps through :func:`transition`; the scheduled task that lapses requests nobody
answered (:func:`lapse_overdue`) lives here too, below both the services and the tasks.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser
from sangsaeng.core.audit import acting_as
from sangsaeng.matching import notifications
from sangsaeng.matching.models import Match, MatchEvent
from sangsaeng.matching.notifications import names
from sangsaeng.matching.selectors import poster_users
from sangsaeng.notifications.services import notify

State = Match.State
TRANSITIONS: dict[str, set[str]] = {
    State.SUGGESTED: {State.REQUESTED},
    State.REQUESTED: {State.ACCEPTED, State.DECLINED, State.LAPSED},
    State.ACCEPTED: {State.PROJECT},
    State.DECLINED: set(),
    State.LAPSED: {State.REQUESTED},
    State.PROJECT: set(),
}


def transition(match: Match, to_state: str, actor: AnyUser | None, note: str = "") -> None:
    """Move ``match`` to ``to_state`` (a ``ValidationError`` if the table forbids it)."""
    if to_state not in TRANSITIONS[match.state]:
        raise ValidationError(
            _("This match is “%(state)s” and cannot become “%(new)s”.")
            % {"state": match.get_state_display(), "new": State(to_state).label}
        )
    from_state = match.state
    match.state = to_state
    match.save(update_fields=["state", "request_message", "routed_to", "lapses_at", "updated_at"])
    MatchEvent.objects.create(
        match=match,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


def lapse_overdue(actor: AnyUser | None = None) -> int:
    """Lapse every request past its lapse date, telling each sender's side; how many."""
    with transaction.atomic(), acting_as(actor):
        overdue = (
            Match.objects.select_for_update(of=("self",))
            .select_related("need", "need__organisation", "person", "organisation")
            .filter(state=State.REQUESTED, lapses_at__lte=timezone.now())
            .order_by("lapses_at", "pk")
        )
        lapsed = 0
        for match in overdue:
            transition(match, State.LAPSED, actor)
            notify(
                recipients=poster_users(match.need),
                kind=notifications.LAPSED,
                context={"need": match.need.label_for_others, **names("party", match.party.record)},
                link=match.get_absolute_url(),
            )
            lapsed += 1
        return lapsed

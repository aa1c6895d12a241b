"""Conflicts of interest found in the platform's records, between reviewers and applications.

For a call with a window of N years (``Call.conflict_years``), a reviewer conflicts with an
application when

- **same organisation**: they belong to the applicant now (their expert profile's
  organisation, or a membership);
- **former organisation**: they declared they worked there until a year within the window;
- **partner**: they are named as a partner expert, or belong (now, or within the window) to a
  partner organisation;
- **co-author**: a publication on their profile and one on the profile of one of the
  application's people have the same normalised title and year, within the window
  (publications belong to one person each, so a shared paper appears twice). The application's
  people are the applicant organisation's experts, the partner experts and whoever started it;
- **accepted match / joint project**: they accepted a contact request about a need of the
  applicant or a partner, or take part in a joint project with one of them.

Each finding keeps its facts (names, titles, years) for the sentence shown to the operator
and the reviewer. Declared and operator-added conflicts are recorded by the services.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from sangsaeng.accounts.models import Membership
from sangsaeng.directory.models import Organisation, Person, Publication
from sangsaeng.matching.models import JointProject, Match
from sangsaeng.programs.models import (
    Application,
    ApplicationPartner,
    Call,
    Conflict,
    PastAffiliation,
    ReviewerProfile,
)

Reason = Conflict.Reason
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class FoundConflict:
    application_id: int
    reviewer_id: int
    reason: str
    facts: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.application_id, self.reviewer_id, self.reason)


def normalised_title(title: str) -> str:
    """A title as two profiles would share it: case, width, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


@dataclass
class _Application:
    pk: int
    organisation_id: int
    partner_organisations: set[int] = field(default_factory=set)
    partner_people: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)


def detect_conflicts(
    applications: Iterable[Application],
    reviewers: Iterable[ReviewerProfile],
    *,
    years: int,
    current_year: int,
) -> list[FoundConflict]:
    """Every conflict between ``applications`` and ``reviewers`` the records show."""
    cutoff = current_year - years
    apps = {a.pk: _Application(a.pk, a.organisation_id) for a in applications if a.pk is not None}
    creators = {a.pk: a.created_by_id for a in applications if a.pk in apps}
    profiles = {r.pk: r for r in reviewers}
    if not apps or not profiles:
        return []

    for application_id, organisation_id, person_id in ApplicationPartner.objects.filter(
        application_id__in=list(apps)
    ).values_list("application_id", "organisation_id", "person_id"):
        if organisation_id is not None:
            apps[application_id].partner_organisations.add(organisation_id)
        if person_id is not None:
            apps[application_id].partner_people.add(person_id)

    # Reviewers: who they are and where they belong (now and, within the window, before).
    reviewer_person = {r.pk: r.person_id for r in profiles.values()}
    people = Person.objects.filter(pk__in=list(reviewer_person.values())).values_list(
        "pk", "organisation_id", "user_id"
    )
    person_organisation = {pk: org for pk, org, _user in people}
    person_user = {pk: user for pk, _org, user in people}
    now_at: dict[int, set[int]] = defaultdict(set)
    for reviewer_id, person_id in reviewer_person.items():
        if person_organisation.get(person_id):
            now_at[reviewer_id].add(person_organisation[person_id])
    user_reviewer = {person_user[p]: r for r, p in reviewer_person.items() if person_user.get(p)}
    for user_id, organisation_id in Membership.objects.filter(
        user_id__in=list(user_reviewer)
    ).values_list("user_id", "organisation_id"):
        now_at[user_reviewer[user_id]].add(organisation_id)
    before_at: dict[int, dict[int, int]] = defaultdict(dict)
    for reviewer_id, organisation_id, until in PastAffiliation.objects.filter(
        reviewer_id__in=list(profiles), until_year__gte=cutoff
    ).values_list("reviewer_id", "organisation_id", "until_year"):
        before_at[reviewer_id][organisation_id] = until

    application_orgs = {
        o for a in apps.values() for o in (a.organisation_id, *a.partner_organisations)
    }
    names = {
        pk: (name_ko, name_en)
        for pk, name_ko, name_en in Organisation.objects.filter(
            pk__in=application_orgs
        ).values_list("pk", "name_ko", "name_en")
    }

    def org_facts(organisation_id: int, **more: Any) -> dict[str, Any]:
        name_ko, name_en = names.get(organisation_id, ("", ""))
        return {"organisation": name_ko or name_en, "organisation_en": name_en, **more}

    found: dict[tuple[int, int, str], FoundConflict] = {}

    def note(application_id: int, reviewer_id: int, reason: str, facts: dict[str, Any]) -> None:
        item = FoundConflict(application_id, reviewer_id, reason, facts)
        found.setdefault(item.key, item)

    by_organisation: dict[int, list[int]] = defaultdict(list)
    by_partner: dict[int, list[int]] = defaultdict(list)
    by_partner_person: dict[int, list[int]] = defaultdict(list)
    for a in apps.values():
        by_organisation[a.organisation_id].append(a.pk)
        for organisation_id in a.partner_organisations:
            by_partner[organisation_id].append(a.pk)
        for person_id in a.partner_people:
            by_partner_person[person_id].append(a.pk)

    for reviewer_id in profiles:
        for organisation_id in now_at.get(reviewer_id, ()):
            for application_id in by_organisation.get(organisation_id, ()):
                note(
                    application_id,
                    reviewer_id,
                    Reason.SAME_ORGANISATION,
                    org_facts(organisation_id),
                )
            for application_id in by_partner.get(organisation_id, ()):
                note(application_id, reviewer_id, Reason.PARTNER, org_facts(organisation_id))
        for organisation_id, until in before_at.get(reviewer_id, {}).items():
            for application_id in by_organisation.get(organisation_id, ()):
                note(
                    application_id,
                    reviewer_id,
                    Reason.PAST_ORGANISATION,
                    org_facts(organisation_id, year=until),
                )
            for application_id in by_partner.get(organisation_id, ()):
                note(application_id, reviewer_id, Reason.PARTNER, org_facts(organisation_id))
        for application_id in by_partner_person.get(reviewer_person[reviewer_id], ()):
            note(application_id, reviewer_id, Reason.PARTNER, {"person": True})

    _coauthors(apps, creators, reviewer_person, cutoff, note)
    _platform_collaborations(apps, reviewer_person, person_user, org_facts, note)
    return list(found.values())


def _coauthors(
    apps: dict[int, _Application],
    creators: dict[int, int | None],
    reviewer_person: dict[int, int],
    cutoff: int,
    note: Any,
) -> None:
    """Same normalised title and year on a reviewer's profile and an application person's."""
    organisations = {a.organisation_id for a in apps.values()}
    staff: dict[int, set[int]] = defaultdict(set)
    for person_id, organisation_id in Person.objects.filter(
        organisation_id__in=organisations, kind=Person.Kind.EXPERT
    ).values_list("pk", "organisation_id"):
        staff[organisation_id].add(person_id)
    creator_person = dict(
        Person.objects.filter(user_id__in=[u for u in creators.values() if u]).values_list(
            "user_id", "pk"
        )
    )
    for a in apps.values():
        a.people = set(staff.get(a.organisation_id, ())) | a.partner_people
        creator = creators.get(a.pk)
        if creator and creator in creator_person:
            a.people.add(creator_person[creator])
    application_people = {p for a in apps.values() for p in a.people}
    reviewer_people = set(reviewer_person.values())
    holders: dict[tuple[str, int | None], set[int]] = defaultdict(set)
    titles: dict[tuple[str, int | None], str] = {}
    for person_id, title, year in Publication.objects.filter(
        person_id__in=application_people | reviewer_people, year__gte=cutoff
    ).values_list("person_id", "title", "year"):
        key = (normalised_title(title), year)
        if key[0]:
            holders[key].add(person_id)
            titles.setdefault(key, title)
    coauthors: dict[int, dict[int, tuple[str, int]]] = defaultdict(dict)
    for key, people in holders.items():
        year = key[1]
        if len(people) < 2 or year is None:
            continue
        for reviewer in people & reviewer_people:
            for other in people - {reviewer}:
                previous = coauthors[reviewer].get(other)
                if previous is None or year > previous[1]:
                    coauthors[reviewer][other] = (titles[key], year)
    if not coauthors:
        return
    involved = {o for found in coauthors.values() for o in found}
    person_names = {
        pk: (name_ko, name_en)
        for pk, name_ko, name_en in Person.objects.filter(pk__in=involved).values_list(
            "pk", "name_ko", "name_en"
        )
    }
    person_reviewer = {p: r for r, p in reviewer_person.items()}
    for a in apps.values():
        for person_id, found in coauthors.items():
            shared = [other for other in found if other in a.people]
            if not shared:
                continue
            other = max(shared, key=lambda o: found[o][1])
            title, year = found[other]
            note(
                a.pk,
                person_reviewer[person_id],
                Reason.COAUTHOR,
                {
                    "person": person_names.get(other, ("", ""))[0],
                    "person_en": person_names.get(other, ("", ""))[1],
                    "title": title,
                    "year": year,
                },
            )


def _platform_collaborations(
    apps: dict[int, _Application],
    reviewer_person: dict[int, int],
    person_user: Mapping[int, int | None],
    org_facts: Any,
    note: Any,
) -> None:
    """Accepted contact requests and joint projects between a reviewer and an applicant side."""
    sides: dict[int, list[int]] = defaultdict(list)
    for a in apps.values():
        for organisation_id in (a.organisation_id, *a.partner_organisations):
            sides[organisation_id].append(a.pk)
    person_reviewer = {p: r for r, p in reviewer_person.items()}
    for person_id, organisation_id, state in Match.objects.filter(
        person_id__in=list(person_reviewer),
        need__organisation_id__in=list(sides),
        state__in=[Match.State.ACCEPTED, Match.State.PROJECT],
    ).values_list("person_id", "need__organisation_id", "state"):
        if state == Match.State.ACCEPTED:
            for application_id in sides[organisation_id]:
                note(
                    application_id,
                    person_reviewer[person_id],
                    Reason.ACCEPTED_MATCH,
                    org_facts(organisation_id),
                )
    user_reviewer = {
        user: person_reviewer[p] for p, user in person_user.items() if user and p in person_reviewer
    }
    if not user_reviewer:
        return
    projects = JointProject.objects.filter(participants__in=list(user_reviewer)).filter(
        Q(match__need__organisation_id__in=list(sides))
        | Q(match__organisation_id__in=list(sides))
        | Q(match__person__organisation_id__in=list(sides))
    )
    for title, user_id, need_org, match_org, person_org in projects.values_list(
        "title",
        "participants",
        "match__need__organisation_id",
        "match__organisation_id",
        "match__person__organisation_id",
    ):
        reviewer_id = user_reviewer.get(user_id)
        if reviewer_id is None:
            continue
        for organisation_id in {need_org, match_org, person_org} - {None}:
            for application_id in sides.get(organisation_id, ()):
                note(
                    application_id,
                    reviewer_id,
                    Reason.JOINT_PROJECT,
                    org_facts(organisation_id, title=title),
                )


def save_detected_conflicts(call: Call) -> dict[str, int]:
    """Detect the conflicts between a call's submitted applications and the opted-in
    reviewers, and save them: new ones are added, those the records no longer show are
    removed; lifted ones stay, with who lifted them and why. Returns the counts."""
    applications = list(
        Application.objects.filter(call=call, status__in=Application.SUBMITTED_STATUSES)
    )
    reviewers = list(ReviewerProfile.objects.filter(opted_in=True))
    found = detect_conflicts(
        applications,
        reviewers,
        years=call.conflict_years,
        current_year=timezone.localdate().year,
    )
    by_key = {item.key: item for item in found}
    existing = {
        (c.application_id, c.reviewer_id, c.reason): c
        for c in Conflict.objects.filter(
            application__call=call, reason__in=Conflict.DETECTED_REASONS
        )
    }
    stale = [c.pk for key, c in existing.items() if key not in by_key and c.lifted_at is None]
    Conflict.objects.filter(pk__in=stale).delete()
    new = [
        Conflict(
            application_id=item.application_id,
            reviewer_id=item.reviewer_id,
            reason=item.reason,
            facts=item.facts,
        )
        for key, item in by_key.items()
        if key not in existing
    ]
    Conflict.objects.bulk_create(new, batch_size=1000)
    return {"found": len(found), "added": len(new), "removed": len(stale)}

"""The engine's rankings for talent, with reasons a person can check.

- a student sees openings ranked for them: their skills, verified courses and own words
  against each opening's text, in Korean and English (the engine's hybrid of BM25 and
  multilingual embeddings, through the search app's :func:`~sangsaeng.search.ranking.rank`);
- a company sees, for one of its openings, the students who consent to companies, ranked the
  same way the other way round;
- a company's list of applicants can start from the engine's order (:func:`applicants_by_fit`),
  which is also how the match orders the applicants of an opening its company did not rank.

Each result carries the skills the two share (the same term, or one the parent of the
other), the student's completed courses in the opening's areas, and the engine's own
explanation (shared terms, the closest sentence).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from sangsaeng.accounts.models import AnyUser
from sangsaeng.core.indexing import profile_key
from sangsaeng.core.policy import principal_of
from sangsaeng.directory.models import Person, TaxonomyTerm
from sangsaeng.directory.search import tag_names
from sangsaeng.engine.index import Query
from sangsaeng.engine.students import StudentScore
from sangsaeng.search.index import search_index
from sangsaeng.search.ranking import rank
from sangsaeng.talent.models import Course, Enrolment, Opening, PlacementRound, StudentChoice
from sangsaeng.talent.models import StudentProfile as Profile
from sangsaeng.talent.search import STUDENT, student_text
from sangsaeng.talent.selectors import consenting_profiles, opening_list, own_profile

DEFAULT_LIMIT = 20


@dataclass
class Reasons:
    shared_skills: list[TaxonomyTerm] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    explanation: dict[str, Any] = field(default_factory=dict)


@dataclass
class OpeningFit:
    opening: Opening
    score: float
    reasons: Reasons


@dataclass
class StudentFit:
    profile: Profile
    score: float
    reasons: Reasons

    @property
    def student(self) -> Person:
        return self.profile.person


def opening_query(opening: Opening) -> Query:
    """An opening as the engine reads it, both languages at once."""
    title = " / ".join(t for t in (opening.title_ko, opening.title_en) if t)
    text = "\n".join(
        t
        for t in (opening.description_ko, opening.description_en, tag_names(opening.tags.all()))
        if t
    )
    return Query(id=f"opening:{opening.pk}", title=title, text=text)


def _related(a: TaxonomyTerm, b: TaxonomyTerm) -> bool:
    return a.pk == b.pk or a.parent_id == b.pk or b.parent_id == a.pk


def shared_skills(
    wanted: Iterable[TaxonomyTerm], offered: Iterable[TaxonomyTerm]
) -> list[TaxonomyTerm]:
    """The wanted terms that an offered term matches (the same, or parent and child)."""
    offered = list(offered)
    return [term for term in wanted if any(_related(term, other) for other in offered)]


def relevant_courses(opening: Opening, completed: Sequence[Enrolment]) -> list[Course]:
    wanted = list(opening.tags.all())
    return [
        enrolment.course
        for enrolment in completed
        if shared_skills(wanted, enrolment.course.tags.all())
    ]


def _completed(person: Person) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(student=person, status=Enrolment.Status.COMPLETED)
        .select_related("course__organisation")
        .prefetch_related("course__tags")
    )


def openings_for_student(
    user: AnyUser, *, openings: QuerySet[Opening] | None = None, limit: int = DEFAULT_LIMIT
) -> list[OpeningFit]:
    """Open openings ranked for the user's own student profile, best first, with reasons."""
    profile = own_profile(user)
    if profile is None:
        return []
    candidates = openings if openings is not None else opening_list(user)
    text = student_text(profile)
    if not text.strip():
        return []
    ranked = rank(candidates, Query(id=f"student:{profile.pk}", text=text), limit)
    completed = _completed(profile.person)
    skills = list(profile.skills.all())
    fits = []
    for opening, match in ranked:
        reasons = Reasons(
            shared_skills=shared_skills(opening.tags.all(), skills),
            courses=relevant_courses(opening, completed),
            explanation=match.explanation.to_dict() if match.explanation else {},
        )
        fits.append(OpeningFit(opening, match.score, reasons))
    return fits


def students_for_opening(
    user: AnyUser, opening: Opening, *, limit: int = DEFAULT_LIMIT
) -> list[StudentFit]:
    """For the opening's company (and the cluster office): students who consent to companies
    seeing their profile, ranked for the opening, with reasons. Nobody else gets any."""
    who = principal_of(user)
    if not (who.is_operator or opening.organisation_id in who.approved_member_of):
        return []
    candidates = consenting_profiles(user)
    ranked = rank(candidates, opening_query(opening), limit)
    return _student_fits(opening, [(profile, match) for profile, match in ranked])


def _student_fits(opening: Opening, ranked: Sequence[tuple[Profile, Any]]) -> list[StudentFit]:
    profiles = {
        p.pk: p
        for p in Profile.objects.filter(pk__in=[profile.pk for profile, _ in ranked])
        .select_related("person__organisation")
        .prefetch_related("skills")
    }
    wanted = list(opening.tags.all())
    fits = []
    for profile, match in ranked:
        full = profiles[profile.pk]
        explanation = match.explanation.to_dict() if getattr(match, "explanation", None) else {}
        reasons = Reasons(
            shared_skills=shared_skills(wanted, full.skills.all()),
            courses=relevant_courses(opening, _completed(full.person)),
            explanation=explanation,
        )
        fits.append(StudentFit(full, float(getattr(match, "score", 0.0)), reasons))
    return fits


def engine_scores(
    openings: Sequence[Opening], applicants: dict[int, list[int]]
) -> list[StudentScore]:
    """The engine's score of each opening's applicants (by person id), for the openings whose
    company did not rank them. Applicants missing from the index get no score (the match
    then takes them after the scored ones, in lottery order)."""
    if not openings:
        return []
    index = search_index().index_for(STUDENT)
    wanted = {pid for ids in applicants.values() for pid in ids}
    profile_of = dict(Profile.objects.filter(person_id__in=wanted).values_list("person_id", "pk"))
    scores = []
    for opening in openings:
        people = [pid for pid in applicants.get(opening.pk, []) if pid in profile_of]
        keys = [profile_key(STUDENT, profile_of[pid]) for pid in people]
        present = [(pid, key) for pid, key in zip(people, keys, strict=True) if key in index]
        if not present:
            continue
        matches = index.score_pairs(
            opening_query(opening), [key for _, key in present], explain=False
        )
        scores += [
            StudentScore(str(pid), str(opening.pk), match.score)
            for (pid, _), match in zip(present, matches, strict=True)
        ]
    return scores


def applicants_by_fit(
    placement_round: PlacementRound, opening: Opening, phase: int
) -> list[StudentFit]:
    """Every applicant of ``opening`` in the phase, in the engine's order (best first).

    For the company's "start from the engine's ranking" (the caller checked the policy)."""
    person_ids = list(
        StudentChoice.objects.filter(round=placement_round, phase=phase, opening=opening)
        .values_list("student_id", flat=True)
        .order_by("student_id")
    )
    scores = {
        int(score.student): score.score
        for score in engine_scores([opening], {opening.pk: person_ids})
    }
    profiles = list(
        Profile.objects.filter(person_id__in=person_ids).select_related("person__organisation")
    )
    profiles.sort(key=lambda p: (p.person_id not in scores, -scores.get(p.person_id, 0.0), p.pk))
    return _student_fits(
        opening, [(profile, _Scored(scores.get(profile.person_id, 0.0))) for profile in profiles]
    )


@dataclass(frozen=True)
class _Scored:
    score: float
    explanation: Any = None

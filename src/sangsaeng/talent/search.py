"""What the search index reads of openings, courses and students' profiles.

Openings and courses are public records: the search box finds them. Students' profiles sit
in an index of their own that the search box never offers (no search kind): the engine
ranks them only for a company's opening, among the profiles the policy lets that company
see (consented, or applied). A profile's document holds what the student shows companies:
skills, courses completed on the platform, study programme and the text they wrote; never
their name or contact details.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.indexing import Searchable, SearchKind, profile_key
from sangsaeng.directory.models import Person
from sangsaeng.directory.search import tag_names
from sangsaeng.engine.index import Document, Profile
from sangsaeng.talent.models import Course, Enrolment, Opening, StudentProfile
from sangsaeng.talent.selectors import courses_visible_to, openings_visible_to

OPENING = "opening"
COURSE = "course"
STUDENT = "student"


def _bilingual(subject: str, pk: int, parts: list[tuple[str, str, str]], tags: str) -> Profile:
    """One document per language that has text (title, body), each with the tags."""
    documents = [
        Document(id=f"{subject}:{pk}:{language}", text=f"{body}\n{tags}".strip(), title=title)
        for language, title, body in parts
        if title or body
    ] or [Document(id=f"{subject}:{pk}", text=tags)]
    return Profile(profile_key(subject, pk), tuple(documents))


def opening_profile(opening: Opening) -> Profile:
    tags = tag_names(opening.tags.all())
    return _bilingual(
        OPENING,
        opening.pk,
        [
            ("ko", opening.title_ko, opening.description_ko),
            ("en", opening.title_en, opening.description_en),
        ],
        tags,
    )


def course_profile(course: Course) -> Profile:
    tags = tag_names(course.tags.all())
    return _bilingual(
        COURSE,
        course.pk,
        [
            ("ko", course.title_ko, course.description_ko),
            ("en", course.title_en, course.description_en),
        ],
        tags,
    )


def student_text(profile: StudentProfile) -> str:
    """What a company's opening is compared with: skills, courses, study, the student's words."""
    person = profile.person
    courses = [
        f"{e.course.title_ko} {e.course.title_en} ({tag_names(e.course.tags.all())})"
        for e in profile.person.enrolments.all()
        if e.status == Enrolment.Status.COMPLETED
    ]
    return "\n".join(
        part
        for part in (
            tag_names(profile.skills.all()),
            "; ".join(courses),
            person.study_program,
            profile.about,
        )
        if part
    )


def student_profile(profile: StudentProfile) -> Profile:
    return Profile(
        profile_key(STUDENT, profile.pk),
        (Document(id=f"{STUDENT}:{profile.pk}", text=student_text(profile)),),
    )


def _students() -> QuerySet[StudentProfile]:
    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).select_related("course")
    return StudentProfile.objects.select_related("person").prefetch_related(
        "skills",
        Prefetch("person__enrolments", completed),
        "person__enrolments__course__tags",
    )


def _profile_of_enrolment(enrolment: Enrolment) -> int | None:
    if enrolment.student_id is None:
        return None
    return (
        StudentProfile.objects.filter(person_id=enrolment.student_id)
        .values_list("pk", flat=True)
        .first()
    )


def _profile_of_person(person: Person) -> int | None:
    return StudentProfile.objects.filter(person_id=person.pk).values_list("pk", flat=True).first()


SEARCHABLE = [
    Searchable(
        subject=OPENING,
        model=Opening,
        index="talent",
        profile=opening_profile,
        queryset=lambda: Opening.objects.prefetch_related("tags"),
        kinds=(
            SearchKind(
                "opening",
                _("Internships and jobs"),
                _("Opening"),
                lambda user: openings_visible_to(user).filter(status=Opening.Status.OPEN),
            ),
        ),
        kind_of=lambda opening: "opening",
        title_for=lambda user, opening: opening.title,
    ),
    Searchable(
        subject=COURSE,
        model=Course,
        index="talent",
        profile=course_profile,
        queryset=lambda: Course.objects.prefetch_related("tags"),
        kinds=(
            SearchKind(
                "course",
                _("Courses"),
                _("Course"),
                lambda user: courses_visible_to(user).exclude(status=Course.Status.DRAFT),
            ),
        ),
        kind_of=lambda course: "course",
        title_for=lambda user, course: course.title,
    ),
    Searchable(
        subject=STUDENT,
        model=StudentProfile,
        index="students",
        profile=student_profile,
        queryset=_students,
        follows=((Enrolment, _profile_of_enrolment), (Person, _profile_of_person)),
        kinds=(),
        tags_field="skills",
    ),
]

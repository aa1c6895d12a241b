"""The talent demo: courses of the real institutions, profiles, openings, a finished round
with results and an open round the demo student account can rank in."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sangsaeng.accounts.models import User
from sangsaeng.demo import talent as talent_demo
from sangsaeng.demo.loader import load_demo
from sangsaeng.directory.models import Person
from sangsaeng.talent import services
from sangsaeng.talent.models import (
    Certificate,
    ConsentRecord,
    Course,
    MatchResult,
    Opening,
    Placement,
    PlacementRound,
    StudentProfile,
)
from sangsaeng.talent.selectors import round_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo(seed=7, scale=0.2, with_needs=False)
    talent_demo.load(7)


def test_the_demo_has_courses_of_the_real_institutions_and_a_profile_per_student(demo):
    courses = Course.objects.all()
    assert courses.count() == 15 and all(course.is_fictional for course in courses)
    providers = set(courses.values_list("organisation__slug", flat=True))
    assert providers == {
        "sejong-university",
        "kaist-seongnam-ai-institute",
        "skku-fabless-ai-seongnam-center",
        "cmu-etc",
        "sogang-pangyo-digital-innovation-campus",
    }
    students = Person.objects.filter(kind=Person.Kind.STUDENT)
    assert StudentProfile.objects.count() == students.count()
    assert ConsentRecord.objects.filter(purpose="talent_profile").count() == students.count()
    assert 0 < ConsentRecord.objects.filter(purpose="talent_companies").count() < students.count()
    assert Certificate.objects.exists()
    assert Opening.objects.count() == 40


def test_the_finished_round_has_results_and_the_open_one_takes_the_demo_student(demo):
    finished = PlacementRound.objects.get(status=PlacementRound.Status.CLOSED)
    operator = User.objects.get(email="operator@sangsaeng.demo.example")
    (report,) = round_report(operator, finished)
    assert report.placed > 0 and report.choice_counts
    assert Placement.objects.filter(round=finished).exists()
    student = User.objects.get(email="student@sangsaeng.demo.example")
    mine = MatchResult.objects.get(round=finished, student__user=student)
    assert mine.offer == MatchResult.Offer.ACCEPTED and mine.choice_rank == 1

    open_round = PlacementRound.objects.get(status=PlacementRound.Status.OPEN)
    assert open_round.students_deadline > timezone.now()
    services.round_join(actor=student, placement_round=open_round)
    openings = list(open_round.openings.all()[: open_round.max_choices])
    saved = services.choices_set(actor=student, placement_round=open_round, openings=openings)
    assert len(saved) == open_round.max_choices


def test_loading_twice_adds_nothing(demo):
    assert talent_demo.load(7) == 0
    assert Course.objects.count() == 15

"""Students at the end of the loop: a need posted for students reaches them (members-only
needs are otherwise for members of approved organisations), "needs for you" shows a student
what fits a student, the interest button says it was pressed, and the company sees a
student labelled as a student and may open the profile the student showed it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sangsaeng.core.policy import Action, can
from sangsaeng.matching import services
from sangsaeng.matching.models import Need
from sangsaeng.matching.selectors import needs_for_you
from tests.factories import StudentFactory, UserFactory

STUDENT_NEED = {
    "kind": Need.Kind.TECHNOLOGY_REQUEST,
    "title": "아날로그 레이아웃 인턴을 찾습니다",
    "description": "28nm 센서 SoC의 ADC·PLL 아날로그 레이아웃을 함께할 대학원생 인턴을 찾습니다. "
    "6개월 인턴십이며 레이아웃 경험이 있으면 좋습니다.",
    "visibility": Need.Visibility.MEMBERS,
}


@pytest.fixture
def student(cluster):
    user = UserFactory(display_name="윤학생")
    StudentFactory(
        user=user,
        organisation=cluster.university,
        name_ko="윤학생",
        name_en="Haksaeng Yoon",
        profile_text="아날로그 회로와 레이아웃을 공부하는 석사과정. ADC layout, PLL.",
        expertise_keywords=["analog layout", "ADC"],
    )
    return user


@pytest.fixture
def needs(cluster, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for_students = services.need_create(
            actor=cluster.poster, organisation=cluster.company, for_students=True, **STUDENT_NEED
        )
        members_only = services.need_create(
            actor=cluster.poster,
            organisation=cluster.company,
            **{**STUDENT_NEED, "title": "아날로그 레이아웃 자문 (회원 전용)"},
        )
    return for_students, members_only


def test_a_student_reads_a_need_for_students_but_not_other_members_only_needs(student, needs):
    for_students, members_only = needs
    client = Client()
    client.force_login(student)
    page = client.get(reverse("matching:need_detail", args=[for_students.pk]))
    assert page.status_code == 200
    assert "아날로그 레이아웃 인턴을 찾습니다" in page.content.decode()
    assert "학생 대상" in page.content.decode()
    assert client.get(reverse("matching:need_detail", args=[members_only.pk])).status_code == 404
    assert can(student, Action.VIEW, for_students)
    assert not can(student, Action.VIEW, members_only)
    # Anonymous visitors still do not read a members-only need, for students or not.
    assert Client().get(reverse("matching:need_detail", args=[for_students.pk])).status_code == 404


def test_needs_for_you_shows_a_student_only_needs_for_students(student, needs, cluster):
    for_students, _members_only = needs
    services.need_create(
        actor=cluster.poster,
        organisation=cluster.company,
        kind=Need.Kind.PARTNER_SEARCH,
        title="ADC 설계 공동연구 파트너 (전문가)",
        description="아날로그 ADC 레이아웃 전문가와 공동연구를 원합니다. 센서 SoC.",
        visibility=Need.Visibility.PUBLIC,
    )
    shown = [item.need for item in needs_for_you(student)]
    assert shown == [for_students]


def test_after_expressing_interest_the_button_says_so_and_the_company_sees_a_student(
    student, needs, cluster, django_capture_on_commit_callbacks
):
    for_students, _ = needs
    client = Client()
    client.force_login(student)
    detail = reverse("matching:need_detail", args=[for_students.pk])
    page = client.get(detail).content.decode()
    assert "관심 표시 (윤학생)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matching:express_interest", args=[for_students.pk]),
            {"party": f"person:{student.person.pk}"},
            follow=True,
        )
    page = response.content.decode()
    assert "관심 표시함 (윤학생)" in page
    assert 'disabled aria-disabled="true"' in page

    poster = Client()
    poster.force_login(cluster.poster)
    company_view = poster.get(detail).content.decode()
    card = company_view[company_view.index(f'data-party="person:{student.person.pk}"') :]
    card = card[: card.index("</li>")]
    assert "학생" in card and "전문가" not in card
    # The student showed the company their profile by expressing interest.
    profile = poster.get(student.person.get_absolute_url())
    assert profile.status_code == 200 and "윤학생" in profile.content.decode()
    # Nobody else sees an unlisted student's profile.
    other = Client()
    other.force_login(cluster.other_admin)
    assert other.get(student.person.get_absolute_url()).status_code == 404

"""Pages of the talent app: courses and certificates, students' profiles and consents,
openings, placement rounds and outcomes.

Each view parses input with a form, calls one service or selector, and renders. A record
the viewer may not see is a 404; an action they may not take on one they see is a 403. A
service's refusal is shown beside the fields it names, and nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts.models import User
from sangsaeng.core.forms import show_errors
from sangsaeng.core.policy import Action, can, principal_of, require
from sangsaeng.core.selectors import NotFound
from sangsaeng.talent import certificates, consents, ranking, selectors, services
from sangsaeng.talent.forms import (
    CertificateCheckForm,
    CompletionForm,
    CourseForm,
    OpeningForm,
    PlacementRecordForm,
    RankForm,
    RoundForm,
    SecondPhaseForm,
    StudentProfileCreateForm,
    StudentProfileForm,
)
from sangsaeng.talent.models import (
    ConsentRecord,
    Course,
    Enrolment,
    Opening,
    Placement,
    PlacementRound,
)

PAGE_SIZE = 20


class AuthenticatedRequest(HttpRequest):
    """A request to a ``login_required`` view: its user is signed in."""

    user: User


def _posted(request: HttpRequest) -> Any:
    """The submitted data of a POST (even when every field was left empty), else None."""
    return request.POST if request.method == "POST" else None


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for problem in error.messages:
        messages.error(request, problem)


# --- the talent home --------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    profile = selectors.own_profile(user)
    return render(
        request,
        "talent/home.html",
        {
            "profile": profile,
            "may_become_student": profile is None and selectors.may_become_student(user),
            "courses": selectors.course_list(user)[:6],
            "openings": selectors.opening_list(user)[:6],
            "rounds": selectors.round_list(user)[:4],
            "fits": ranking.openings_for_student(user, limit=5) if profile else [],
            "my_openings": selectors.opening_list(user, mine=True)[:10]
            if principal_of(user).member_of
            else [],
            "may_post_opening": can(user, Action.CREATE, Opening),
            "may_post_course": can(user, Action.CREATE, Course),
            "may_create_round": can(user, Action.CREATE, PlacementRound),
        },
    )


# --- courses ----------------------------------------------------------------------------


def course_list(request: HttpRequest) -> HttpResponse:
    courses = selectors.course_list(
        request.user,
        query=request.GET.get("q", ""),
        mode=request.GET.get("mode", "") if request.GET.get("mode") in Course.Mode.values else "",
        mine=request.GET.get("mine") == "1",
    )
    return render(
        request,
        "talent/course_list.html",
        {
            "page_obj": Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": request.GET.get("q", ""),
            "modes": Course.Mode.choices,
            "mode": request.GET.get("mode", ""),
            "may_post": can(request.user, Action.CREATE, Course),
        },
    )


@login_required
def course_create(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.CREATE, Course)
    form = CourseForm(
        _posted(request), organisations=selectors.postable_organisations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                **form.service_arguments(),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The course is published."))
            return redirect(course)
    return render(request, "talent/course_form.html", {"form": form, "course": None})


@login_required
def course_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(user=request.user, pk=pk)
    require(request.user, Action.CHANGE, course)
    initial = {name: getattr(course, name) for name in services.COURSE_FIELDS}
    initial["tags"] = [tag.code for tag in course.tags.all()]
    form = CourseForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(actor=request.user, course=course, **form.service_arguments())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(course)
    return render(request, "talent/course_form.html", {"form": form, "course": course})


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(user=request.user, pk=pk)
    enrolment = selectors.my_enrolment(request.user, course)
    return render(
        request,
        "talent/course_detail.html",
        {
            "course": course,
            "enrolment": enrolment,
            "waitlist_position": selectors.waitlist_position(enrolment) if enrolment else None,
            "is_student": selectors.own_profile(request.user) is not None,
            "may_become_student": selectors.may_become_student(request.user),
            "may_change": selectors.may_change(request.user, course),
            "full": course.taken >= course.capacity,  # type: ignore[attr-defined]
        },
    )


@login_required
@require_POST
def course_enrol(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(user=request.user, pk=pk)
    try:
        enrolment = services.enrol(
            actor=request.user,
            course=course,
            join_waitlist=request.POST.get("join_waitlist") == "1",
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        if enrolment.status == Enrolment.Status.WAITLISTED:
            messages.success(
                request,
                _("You are on the waiting list, number %(position)d.")
                % {"position": selectors.waitlist_position(enrolment) or 0},
            )
        else:
            messages.success(request, _("You are enrolled."))
    return redirect(course)


@login_required
@require_POST
def enrolment_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    try:
        services.enrolment_withdraw(actor=request.user, enrolment=enrolment)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("You have withdrawn from the course."))
    return redirect(enrolment.course)


@login_required
def course_roster(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(user=request.user, pk=pk)
    require(request.user, Action.CHANGE, course)
    roster = list(selectors.course_roster(request.user, course))
    choices = [
        (e.pk, e.student.name if e.student else "")
        for e in roster
        if e.status == Enrolment.Status.ENROLLED
    ]
    form = CompletionForm(_posted(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.enrolments_complete(
                actor=request.user,
                course=course,
                enrolments=selectors.roster_enrolments(request.user, course, form.ids()),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("Completion recorded: %(count)d certificates issued.") % {"count": len(issued)},
            )
            return redirect("talent:course_roster", pk=course.pk)
    return render(
        request, "talent/course_roster.html", {"course": course, "roster": roster, "form": form}
    )


# --- certificates -----------------------------------------------------------------------


@login_required
def certificate_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_get(user=request.user, pk=pk)
    if not certificate.is_valid:
        raise NotFound(_("This certificate was withdrawn."))
    try:
        content = certificates.render_pdf(certificate)
    except certificates.FontMissing as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


def certificate_verify(request: HttpRequest) -> HttpResponse:
    """The public check of a certificate by its code (no sign-in)."""
    form = CertificateCheckForm(request.GET or None)
    check = None
    searched = False
    if form.is_bound and form.is_valid():
        searched = True
        check = selectors.certificate_check(
            user=request.user, code=form.cleaned_data["code"], name=form.cleaned_data["name"]
        )
    response = render(
        request,
        "talent/certificate_verify.html",
        {"form": form, "check": check, "searched": searched},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- students' profiles -----------------------------------------------------------------


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    """The student's own profile: become a student (with consent), or edit."""
    own = selectors.own_profile(request.user)
    if own is None:
        return _profile_create(request)
    person = own.person
    initial = {
        "name_ko": person.name_ko,
        "name_en": person.name_en,
        "study_program": person.study_program,
        "graduation_year": person.graduation_year,
        "skills": [term.code for term in own.skills.all()],
        "about": own.about,
        "available_from": own.available_from,
        "available_until": own.available_until,
        "hours_per_week": own.hours_per_week,
    }
    form = StudentProfileForm(_posted(request), request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.student_profile_update(
                actor=request.user, profile=own, **form.service_arguments()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("talent:profile")
    return render(
        request,
        "talent/profile_form.html",
        {
            "form": form,
            "profile": own,
            "standing": selectors.standing_consents(request.user),
            "consent_records": selectors.consents_of(request.user),
            "companies_text": consents.current_text(ConsentRecord.Purpose.COMPANIES),
            "completed": selectors.completed_enrolments(person),
            "enrolments": selectors.my_enrolments(request.user),
            "placements": selectors.my_placements(request.user),
        },
    )


def _profile_create(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.may_become_student(request.user):
        messages.error(
            request,
            _("Your account has an expert profile; use another account for a student profile."),
        )
        return redirect("talent:home")
    existing = selectors.own_student(request.user)
    form = StudentProfileCreateForm(
        _posted(request),
        organisations=selectors.student_homes(),
        needs_name=existing is None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.student_profile_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Your student profile is ready. Add your skills below."))
            return redirect("talent:profile")
    return render(
        request,
        "talent/profile_create.html",
        {
            "form": form,
            "existing": existing,
            "profile_text": consents.current_text(ConsentRecord.Purpose.PROFILE),
            "companies_text": consents.current_text(ConsentRecord.Purpose.COMPANIES),
        },
    )


@login_required
@require_POST
def consent_change(request: AuthenticatedRequest) -> HttpResponse:
    """Give or withdraw the consent to companies seeing the profile."""
    purpose = ConsentRecord.Purpose.COMPANIES
    try:
        if request.POST.get("give") == "1":
            services.consent_give(actor=request.user, purpose=purpose)
            messages.success(request, _("Companies with openings may now see your profile."))
        else:
            services.consent_withdraw(actor=request.user, purpose=purpose)
            messages.success(
                request,
                _("Withdrawn: companies no longer see your profile, except for openings you rank."),
            )
    except ValidationError as error:
        _refused(request, error)
    return redirect("talent:profile")


@login_required
def profile_delete(request: AuthenticatedRequest) -> HttpResponse:
    own = selectors.own_profile(request.user)
    if own is None:
        raise NotFound(_("You have no student profile."))
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            messages.error(request, _("Tick the box to confirm that the profile is to be deleted."))
        else:
            services.student_profile_delete(actor=request.user, profile=own)
            messages.success(request, _("Your student profile and its personal data are deleted."))
            return redirect("talent:home")
    return render(request, "talent/profile_delete.html", {"profile": own})


def _cv_response(profile: Any) -> FileResponse:
    if not profile.cv:
        raise NotFound(_("No CV was uploaded."))
    name = profile.cv.name.rsplit("/", 1)[-1]
    return FileResponse(profile.cv.open("rb"), as_attachment=True, filename=name)


@login_required
def student_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A student's profile as a company (consented or applied) or the cluster office sees it."""
    student = selectors.profile_get(user=request.user, pk=pk)
    return render(
        request,
        "talent/student_detail.html",
        {
            "student": student,
            "completed": selectors.completed_enrolments(student.person),
        },
    )


@login_required
def student_cv(request: AuthenticatedRequest, pk: int) -> FileResponse:
    return _cv_response(selectors.profile_get(user=request.user, pk=pk))


# --- openings ---------------------------------------------------------------------------


def opening_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "") if request.GET.get("kind") in Opening.Kind.values else ""
    mine = request.GET.get("mine") == "1"
    openings = selectors.opening_list(request.user, kind=kind, mine=mine)
    profile = selectors.own_profile(request.user)
    return render(
        request,
        "talent/opening_list.html",
        {
            "page_obj": Paginator(openings, PAGE_SIZE).get_page(request.GET.get("page")),
            "fits": ranking.openings_for_student(request.user, limit=10) if profile else [],
            "profile": profile,
            "kind": kind,
            "kinds": Opening.Kind.choices,
            "mine": mine,
            "may_post": can(request.user, Action.CREATE, Opening),
        },
    )


@login_required
def opening_create(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.CREATE, Opening)
    form = OpeningForm(
        _posted(request), organisations=selectors.postable_organisations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            opening = services.opening_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                **form.service_arguments(),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The opening is posted."))
            return redirect(opening)
    return render(request, "talent/opening_form.html", {"form": form, "opening": None})


@login_required
def opening_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_get(user=request.user, pk=pk)
    require(request.user, Action.CHANGE, opening)
    initial = {name: getattr(opening, name) for name in services.OPENING_FIELDS}
    initial["tags"] = [tag.code for tag in opening.tags.all()]
    form = OpeningForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.opening_update(actor=request.user, opening=opening, **form.service_arguments())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(opening)
    return render(request, "talent/opening_form.html", {"form": form, "opening": opening})


def opening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_get(user=request.user, pk=pk)
    company_view = (
        selectors.is_of_company(request.user, opening) or principal_of(request.user).is_operator
    )
    return render(
        request,
        "talent/opening_detail.html",
        {
            "opening": opening,
            "may_change": selectors.may_change(request.user, opening),
            "company_view": company_view,
            "students": ranking.students_for_opening(request.user, opening) if company_view else [],
        },
    )


# --- placement rounds -------------------------------------------------------------------


def round_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "talent/round_list.html",
        {
            "rounds": selectors.round_list(request.user),
            "may_create": can(request.user, Action.CREATE, PlacementRound),
        },
    )


@login_required
def round_create(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.CREATE, PlacementRound)
    form = RoundForm(
        _posted(request),
        openings=selectors.opening_list(request.user),
        organisations=selectors.student_homes(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement_round = services.round_create(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The round is prepared. Open it when it is ready."))
            return redirect(placement_round)
    return render(request, "talent/round_form.html", {"form": form, "round": None})


@login_required
def round_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    placement_round = selectors.round_get(user=request.user, pk=pk)
    require(request.user, Action.CHANGE, placement_round)
    draft = placement_round.status == PlacementRound.Status.DRAFT
    initial = {name: getattr(placement_round, name) for name in services.ROUND_FIELDS}
    initial["openings"] = list(placement_round.openings.all())
    initial["organisations"] = list(placement_round.organisations.all())
    form = RoundForm(
        _posted(request),
        initial=initial,
        openings=selectors.opening_list(request.user) if draft else None,
        organisations=selectors.student_homes(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                actor=request.user, placement_round=placement_round, **form.service_arguments()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(placement_round)
    return render(request, "talent/round_form.html", {"form": form, "round": placement_round})


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    placement_round = selectors.round_get(user=user, pk=pk)
    who = principal_of(user)
    profile = selectors.own_profile(user)
    phase = placement_round.phase
    context: dict[str, Any] = {
        "round": placement_round,
        "openings": selectors.round_openings(placement_round),
        "counts": selectors.round_counts(placement_round),
        "profile": profile,
        "is_operator": who.is_operator,
        "participation": selectors.participation(user, placement_round) if profile else None,
        "choices": selectors.my_choices(user, placement_round, phase) if profile else [],
        "results": selectors.my_results(user, placement_round) if profile else [],
        "company_openings": selectors.company_round_openings(user, placement_round)
        if who.approved_member_of
        else [],
        "company_results": selectors.company_results(user, placement_round)
        if who.approved_member_of
        else [],
        "may_rank_second_phase": phase == 2
        and selectors.may_rank_second_phase(user, placement_round),
    }
    if who.is_operator:
        context["run"] = selectors.latest_run(user, placement_round)
        context["second_phase_form"] = SecondPhaseForm()
        context["remaining"] = selectors.remaining_positions(placement_round)
    return render(request, "talent/round_detail.html", context)


@login_required
@require_POST
def round_join(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    placement_round = selectors.round_get(user=request.user, pk=pk)
    try:
        services.round_join(actor=request.user, placement_round=placement_round)
    except ValidationError as error:
        _refused(request, error)
        return redirect(placement_round)
    messages.success(request, _("You have joined the round. Now rank the openings you want."))
    return redirect("talent:round_rank", pk=placement_round.pk)


@login_required
def round_rank(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The student's rank list: a number per opening (1 = most wanted), at most N."""
    placement_round = selectors.round_get(user=request.user, pk=pk)
    rankable = selectors.rankable_openings(request.user, placement_round)
    openings = list(rankable)
    fits = {
        fit.opening.pk: fit
        for fit in ranking.openings_for_student(
            request.user, openings=rankable, limit=len(openings) or 1
        )
    }
    openings.sort(key=lambda o: (o.pk not in fits, -(fits[o.pk].score if o.pk in fits else 0)))
    current = {
        choice.opening_id: choice.rank
        for choice in selectors.my_choices(request.user, placement_round, placement_round.phase)
    }
    form = RankForm(
        _posted(request),
        items=[(opening.pk, opening.title) for opening in openings],
        initial_ranks=current,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.choices_set(
                actor=request.user,
                placement_round=placement_round,
                openings=selectors.round_choice_openings(
                    user=request.user, placement_round=placement_round, ids=form.ordered_ids()
                ),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("Your rank list is saved. You can change it until the deadline.")
            )
            return redirect(placement_round)
    rows = [(opening, form[f"rank_{opening.pk}"], fits.get(opening.pk)) for opening in openings]
    return render(
        request,
        "talent/round_rank.html",
        {"round": placement_round, "form": form, "rows": rows},
    )


@login_required
def round_applicants(request: AuthenticatedRequest, pk: int, opening_pk: int) -> HttpResponse:
    """A company ranks the applicants of one of its openings (or starts from the engine)."""
    placement_round = selectors.round_get(user=request.user, pk=pk)
    opening = selectors.round_opening_get(
        user=request.user, placement_round=placement_round, pk=opening_pk
    )
    if not selectors.may_rank_applicants(request.user, opening):
        raise PermissionDenied("only the opening's company ranks its applicants")
    applicants = selectors.applicants(request.user, placement_round, opening)
    form = RankForm(
        _posted(request),
        items=[(a.student.pk, a.student.name) for a in applicants],
        initial_ranks={a.student.pk: a.rank for a in applicants if a.rank},
    )
    if request.method == "POST":
        try:
            if request.POST.get("engine") == "1":
                services.company_ranking_from_engine(
                    actor=request.user, placement_round=placement_round, opening=opening
                )
                messages.success(
                    request, _("Your list starts from the engine's order. Reorder it as you like.")
                )
                return redirect(request.path)
            if form.is_valid():
                services.company_ranking_set(
                    actor=request.user,
                    placement_round=placement_round,
                    opening=opening,
                    students=selectors.applicant_people(
                        user=request.user,
                        placement_round=placement_round,
                        opening=opening,
                        ids=form.ordered_ids(),
                    ),
                )
                messages.success(request, _("Your ranking is saved."))
                return redirect(request.path)
        except ValidationError as error:
            show_errors(form, error)
    rows = [(a, form[f"rank_{a.student.pk}"]) for a in applicants]
    return render(
        request,
        "talent/round_applicants.html",
        {"round": placement_round, "opening": opening, "form": form, "rows": rows},
    )


def _operator_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    placement_round = selectors.round_get(user=request.user, pk=pk)
    try:
        action(actor=request.user, placement_round=placement_round)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return redirect(placement_round)


@login_required
@require_POST
def round_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _operator_action(request, pk, services.round_open, _("The round is open for ranking."))


@login_required
@require_POST
def round_match(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _operator_action(
        request, pk, services.match_start, _("The match is running. This page shows its progress.")
    )


@login_required
@require_POST
def round_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _operator_action(request, pk, services.round_close, _("The round is finished."))


@login_required
@require_POST
def round_second_phase(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    placement_round = selectors.round_get(user=request.user, pk=pk)
    form = SecondPhaseForm(request.POST)
    if form.is_valid():
        try:
            services.second_phase_open(
                actor=request.user, placement_round=placement_round, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The second phase is open."))
            return redirect(placement_round)
    for field, problems in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for problem in problems:
            messages.error(request, f"{label}: {problem}" if label else str(problem))
    return redirect(placement_round)


@login_required
def round_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    placement_round = selectors.round_get(user=request.user, pk=pk)
    require(request.user, Action.CHANGE, placement_round)
    reports = selectors.round_report(request.user, placement_round)
    charts = [
        {
            "id": f"choice-counts-{report.phase}",
            "caption": _("Students placed by the rank of their choice (phase %(phase)d)")
            % {"phase": report.phase},
            "config": {
                "type": "bar",
                "data": {
                    "labels": [str(rank) for rank, _count in report.choice_counts]
                    + [_("unplaced")],
                    "datasets": [
                        {
                            "label": _("students"),
                            "data": [count for _rank, count in report.choice_counts]
                            + [len(report.unplaced)],
                        }
                    ],
                },
            },
            "table": {
                "headers": [_("Choice"), _("Students")],
                "rows": [[rank, count] for rank, count in report.choice_counts]
                + [[_("unplaced"), len(report.unplaced)]],
            },
        }
        for report in reports
    ]
    return render(
        request,
        "talent/round_report.html",
        {"round": placement_round, "reports": list(zip(reports, charts, strict=True))},
    )


def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress bar polls (static/talent/run-progress.js)."""
    run = selectors.run_get(user=request.user, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "progress": run.progress,
            "finished": run.is_finished,
        }
    )


@login_required
@require_POST
def result_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    result = selectors.result_get(user=request.user, pk=pk)
    accept = request.POST.get("accept") == "1"
    try:
        services.offer_answer(actor=request.user, result=result, accept=accept)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("You accepted the offer. Congratulations!")
            if accept
            else _("You declined the offer."),
        )
    return redirect(result.round)


# --- placements and outcomes ------------------------------------------------------------


@login_required
def placement_record(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.CREATE, Placement)
    form = PlacementRecordForm(
        _posted(request),
        students=selectors.students_for_placement(request.user),
        employers=selectors.cluster_companies(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The placement is recorded."))
            return redirect("talent:outcomes")
    return render(request, "talent/placement_form.html", {"form": form})


@login_required
def outcomes(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "talent/outcomes.html",
        {
            "by_organisation": selectors.outcomes_by_organisation(request.user),
            "by_round": selectors.outcomes_by_round(request.user),
            "may_record": can(request.user, Action.CREATE, Placement),
            "record_url": reverse("talent:placement_record"),
        },
    )

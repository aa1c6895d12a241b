"""Reviewing: the reviewer profile (opt in, evidence, former organisations), bids and declared
conflicts on a closed call's titles, invitations, and the review itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import show_errors
from sangsaeng.core.policy import Action, require
from sangsaeng.core.selectors import NotFound
from sangsaeng.programs import selectors, services
from sangsaeng.programs.forms import (
    AffiliationFormSet,
    BidForm,
    NoteForm,
    ReviewerProfileForm,
    ReviewForm,
)
from sangsaeng.programs.models import ReviewAssignment
from sangsaeng.programs.views.common import report_errors


@login_required
def reviewer_profile(request: HttpRequest) -> HttpResponse:
    person = selectors.own_expert(request.user)
    if person is None:
        return render(request, "programs/reviewer_no_profile.html", status=200)
    profile = selectors.own_reviewer_profile(request.user)
    publications = selectors.own_publications(person)
    initial = (
        {
            "opted_in": profile.opted_in,
            "max_load": profile.max_load,
            "evidence_since_year": profile.evidence_since_year,
            "evidence": list(profile.evidence.all()),
        }
        if profile is not None
        else {"max_load": 6}
    )
    organisations = selectors.affiliation_choices(request.user)
    form = ReviewerProfileForm(request.POST or None, initial=initial, publications=publications)
    affiliations = AffiliationFormSet(
        request.POST or None,
        prefix="affiliations",
        initial=[
            {"organisation": a.organisation, "until_year": a.until_year}
            for a in (profile.past_affiliations.all() if profile is not None else [])
        ],
        form_kwargs={"organisations": organisations},
    )
    if request.method == "POST" and form.is_valid() and affiliations.is_valid():
        past = [
            (row.cleaned_data["organisation"], row.cleaned_data.get("until_year") or 0)
            for row in affiliations.forms
            if row.cleaned_data.get("organisation")
        ]
        try:
            services.reviewer_profile_save(
                actor=request.user,
                person=person,
                opted_in=form.cleaned_data["opted_in"],
                max_load=form.cleaned_data["max_load"],
                evidence_since_year=form.cleaned_data.get("evidence_since_year"),
                evidence=form.cleaned_data["evidence"],
                past_affiliations=past,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Your reviewer profile is saved."))
            return redirect("programs:reviewer_profile")
    return render(
        request,
        "programs/reviewer_profile.html",
        {
            "person": person,
            "profile": profile,
            "form": form,
            "affiliations": affiliations,
            "calls": selectors.reviewing_calls(request.user)
            if profile and profile.opted_in
            else [],
            "conflicts": selectors.own_conflicts(request.user),
        },
    )


@login_required
def bidding(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.call_get(user=request.user, slug=slug)
    return render(
        request,
        "programs/bidding.html",
        {
            "call": call,
            "items": selectors.biddable_applications(request.user, call),
            "bid_form": BidForm(),
            "note_form": NoteForm(),
        },
    )


@login_required
@require_POST
def bid(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.biddable_application_get(user=request.user, pk=pk)
    form = BidForm(request.POST)
    if form.is_valid():
        try:
            services.bid_place(
                actor=request.user,  # type: ignore[arg-type]
                application=application,
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Your bid is saved."))
    return redirect("programs:bidding", application.call.slug)


@login_required
@require_POST
def declare_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.biddable_application_get(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.conflict_declare(
        actor=request.user,  # type: ignore[arg-type]
        application=application,
        note=note,
    )
    messages.success(request, _("Your conflict of interest is recorded: you will not review it."))
    return redirect("programs:bidding", application.call.slug)


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programs/my_reviews.html",
        {
            "assignments": selectors.my_assignments(request.user),
            "now": timezone.now(),
            "profile": selectors.own_reviewer_profile(request.user),
        },
    )


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.assignment_respond(
            actor=request.user,  # type: ignore[arg-type]
            assignment=assignment,
            accept=accept,
        )
    except ValidationError as error:
        report_errors(request, error)
        return redirect("programs:my_reviews")
    if accept:
        messages.success(request, _("Thank you: the application is yours to review."))
        return redirect("programs:review_form", assignment.pk)
    messages.success(request, _("You declined; another reviewer is invited in your place."))
    return redirect("programs:my_reviews")


@login_required
def review_form(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    require(request.user, Action.RESPOND, assignment)
    if assignment.status == ReviewAssignment.Status.DECLINED:
        raise NotFound(_("No such review."))
    # The application's contents: only if the policy lets this reviewer read them.
    application = selectors.application_get(user=request.user, pk=assignment.application_id)
    call = application.call
    criteria = selectors.criteria(request.user, call)
    review = selectors.review_of(assignment)
    initial = {}
    if review is not None:
        initial = {
            "comment_to_applicant": review.comment_to_applicant,
            "comment_to_committee": review.comment_to_committee,
            **{f"score_{key}": value for key, value in review.scores.items()},
        }
    form = ReviewForm(request.POST or None, call=call, criteria=criteria, initial=initial)
    past_deadline = timezone.now() > assignment.due_at
    if past_deadline:
        # Nothing can change after the deadline: the page shows the review read-only rather
        # than inviting edits the service would refuse.
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.review_save(
                actor=request.user,  # type: ignore[arg-type]
                assignment=assignment,
                scores=form.scores(),
                comment_to_applicant=form.cleaned_data["comment_to_applicant"],
                comment_to_committee=form.cleaned_data["comment_to_committee"],
                submit=submit,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("Your review is submitted.") if submit else _("Your draft is saved.")
            )
            return redirect("programs:review_form", assignment.pk)
    return render(
        request,
        "programs/review_form.html",
        {
            "assignment": assignment,
            "application": application,
            "view": selectors.application_view(request.user, application),
            "call": call,
            "form": form,
            "review": review,
            "past_deadline": past_deadline,
        },
    )

"""The public pages of support programs: the calls and one call's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sangsaeng.core.policy import Action, can
from sangsaeng.programs import selectors
from sangsaeng.programs.models import Call


def call_list(request: HttpRequest) -> HttpResponse:
    phase = request.GET.get("phase", "")
    if phase not in Call.Phase.values:
        phase = ""
    return render(
        request,
        "programs/call_list.html",
        {
            "calls": selectors.call_list(request.user, phase=phase),
            "phase": phase,
            "phases": [(p, label) for p, label in Call.Phase.choices if p != Call.Phase.DRAFT],
            "may_manage": can(request.user, Action.CREATE, Call),
        },
    )


def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.call_get(user=request.user, slug=slug)
    return render(
        request,
        "programs/call_detail.html",
        {
            "call": call,
            "fields": selectors.form_fields(request.user, call),
            "criteria": selectors.criteria(request.user, call),
            "areas": call.eligible_tags.all(),
            "options": selectors.apply_options(request.user, call) if call.is_open else [],
            "may_manage": can(request.user, Action.CHANGE, call),
        },
    )

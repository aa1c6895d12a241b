"""The accounts part of the JSON API: who am I, and my API tokens."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from sangsaeng.accounts import selectors, services
from sangsaeng.accounts.api_auth import required_auth
from sangsaeng.accounts.models import Membership, User
from sangsaeng.core.api import ErrorOut, StrictInput, caller
from sangsaeng.core.policy import is_operator

router = Router(tags=["accounts"], auth=required_auth)

ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class MembershipOut(Schema):
    organisation: str
    organisation_name: str
    role: Membership.Role

    @staticmethod
    def resolve_organisation(membership: Membership) -> str:
        return membership.organisation.slug

    @staticmethod
    def resolve_organisation_name(membership: Membership) -> str:
        return membership.organisation.name


class MeOut(Schema):
    email: str
    display_name: str
    is_operator: bool
    person: str | None
    memberships: list[MembershipOut]


class ApiTokenOut(Schema):
    id: int
    name: str
    token_start: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    token: str


class ApiTokenIn(StrictInput):
    name: str


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> Any:
    """The caller: e-mail, operator or not, own profile's slug, organisations and roles."""
    user = caller(request)
    assert isinstance(user, User)  # required_auth lets no anonymous caller through
    person = getattr(user, "person", None)
    return {
        "email": user.email,
        "display_name": str(user),
        "is_operator": is_operator(user),
        "person": person.slug if person else None,
        "memberships": list(selectors.memberships_of(user)),
    }


@router.get("/tokens", response={200: list[ApiTokenOut], **ERRORS})
def list_tokens(request: HttpRequest) -> Any:
    """The caller's API tokens (the tokens themselves are never shown again)."""
    return list(selectors.api_tokens_of(caller(request)))


@router.post("/tokens", response={201: ApiTokenCreatedOut, **ERRORS})
def create_token(request: HttpRequest, payload: ApiTokenIn) -> Any:
    """Make a token; the response carries it once — keep it, only its hash is stored."""
    record, token = services.api_token_create(actor=caller(request), name=payload.name)
    return 201, {**ApiTokenOut.from_orm(record).model_dump(), "token": token}


@router.delete("/tokens/{token_id}", response={200: ApiTokenOut, **ERRORS})
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    """Revoke a token: requests carrying it are refused from now on."""
    token = selectors.api_token_get(user=caller(request), pk=token_id)
    return services.api_token_revoke(actor=caller(request), token=token)

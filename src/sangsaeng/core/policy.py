"""The machinery of the one place that decides who may do what.

Each app declares the access rules of its own models in ``<app>/rules.py`` (a
:class:`Rule` per model, registered with :func:`register` from the app's
``AppConfig.ready()``); this module knows no app. Every queryset that reaches a page, the
API, search or a notification goes through :func:`restrict`, and every single decision
through :func:`can` / :func:`require`. Both read the same rules, so the page and the API
cannot disagree; ``tests/core/test_policy_matrix.py`` checks them as a matrix of
role × object × action.

Rules decide from a :class:`Principal`: the facts about a user that rules need
(operator or not, the organisations they belong to and run). Within a request the
principal is computed once and kept for the request (see :class:`PrincipalMiddleware`);
outside one (tests, the task worker, the command line) it is computed afresh per call,
so it never goes stale.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse

ModelT = TypeVar("ModelT", bound=Model)


# The platform's User or Django's AnonymousUser: core imports no app's models, so the
# precise type (``sangsaeng.accounts.models.AnyUser``) is the apps' to use.
AnyUser = Any


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    APPROVE = "approve"
    IMPORT = "import"
    MANAGE_MEMBERS = "manage_members"
    REPORT_PROGRESS = "report_progress"
    # Needs and matches: read a need's summary only; contact a party; answer; talk.
    VIEW_SUMMARY = "view_summary"
    REQUEST_CONTACT = "request_contact"
    RESPOND = "respond"
    CONVERSE = "converse"


NOTHING = Q(pk__in=[])
EVERYTHING = Q()


# --- who is asking ---------------------------------------------------------------------


@dataclass(frozen=True)
class Memberships:
    """The organisations a user belongs to: all, those they run, the approved ones."""

    member_of: frozenset[int] = frozenset()
    admin_of: frozenset[int] = frozenset()
    approved_member_of: frozenset[int] = frozenset()


class Principal:
    """What the rules know about a user: their role and their organisations.

    ``member_of`` counts every membership (also in organisations awaiting approval);
    ``approved_member_of`` only those in approved organisations, which is what makes
    someone a member *of the cluster*. ``is_student``: the user keeps a student profile.
    The memberships and the student flag are read on first use only: most of an
    operator's rules never ask.
    """

    def __init__(
        self,
        user: AnyUser,
        is_operator: bool = False,
        memberships: Memberships | Callable[[], Memberships] = Memberships(),
        student: bool | Callable[[], bool] = False,
    ) -> None:
        self.user = user
        self.is_operator = is_operator
        self._memberships = memberships
        self._student = student

    @functools.cached_property
    def memberships(self) -> Memberships:
        found = self._memberships
        return found if isinstance(found, Memberships) else found()

    @functools.cached_property
    def is_student(self) -> bool:
        found = self._student
        return bool(found if isinstance(found, bool) else found())

    @property
    def member_of(self) -> frozenset[int]:
        return self.memberships.member_of

    @property
    def admin_of(self) -> frozenset[int]:
        return self.memberships.admin_of

    @property
    def approved_member_of(self) -> frozenset[int]:
        return self.memberships.approved_member_of

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated)

    @property
    def pk(self) -> Any:
        return self.user.pk if self.is_authenticated else None

    @property
    def is_cluster_member(self) -> bool:
        return bool(self.approved_member_of)

    @classmethod
    def anonymous(cls) -> Principal:
        return cls(user=AnonymousUser())


PrincipalLoader = Callable[[AnyUser], Principal]
_loader: PrincipalLoader | None = None


def register_principal_loader(loader: PrincipalLoader) -> None:
    """The accounts app tells the policy how to read a user's memberships."""
    global _loader
    _loader = loader


# Principals computed in the current request, by user id (None outside a request).
_request_principals: contextvars.ContextVar[dict[Any, Principal] | None] = contextvars.ContextVar(
    "sangsaeng_request_principals", default=None
)


def principal_of(user: AnyUser | Principal) -> Principal:
    """The facts about ``user`` that rules decide from, computed once per request."""
    if isinstance(user, Principal):
        return user
    if user is None or not user.is_authenticated:
        return Principal(user=user if user is not None else AnonymousUser())
    cache = _request_principals.get()
    if cache is not None and user.pk in cache:
        return cache[user.pk]
    if _loader is None:
        raise LookupError("no principal loader registered: is the accounts app installed?")
    principal = _loader(user)
    if cache is not None:
        cache[user.pk] = principal
    return principal


def forget_principals() -> None:
    """Drop the current request's principals (after a change to memberships or organisations)."""
    cache = _request_principals.get()
    if cache is not None:
        cache.clear()


@contextlib.contextmanager
def principal_scope() -> Iterator[None]:
    """Compute each user's principal at most once inside this block (a request)."""
    token = _request_principals.set({})
    try:
        yield
    finally:
        _request_principals.reset(token)


class PrincipalMiddleware:
    """One principal per user per request: rules stop re-reading memberships."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with principal_scope():
            return self.get_response(request)


def is_operator(user: AnyUser | Principal) -> bool:
    return principal_of(user).is_operator


# --- rules ------------------------------------------------------------------------------


class Rule:
    """Who may act on the records of one model.

    ``filter`` answers, for an action, which records a principal may act on, as a ``Q``
    over the model (``EVERYTHING`` or ``NOTHING`` where it is all or none). ``allows``
    answers the questions asked of no particular record: may this principal create one
    (with the context the service has, e.g. ``organisation=``), open the approval queue,
    import. By default only operators may.
    """

    model: ClassVar[type[Model]]

    def filter(self, who: Principal, action: Action) -> Q:
        return EVERYTHING if who.is_operator else NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        return who.is_operator


_rules: dict[type[Model], Rule] = {}


def register(*rule_classes: type[Rule]) -> None:
    """Make rules known to the policy (each app calls this from its ``AppConfig.ready``)."""
    for rule_class in rule_classes:
        _rules[rule_class.model] = rule_class()


def registered_models() -> frozenset[type[Model]]:
    return frozenset(_rules)


def rule_for(model: type[Model]) -> Rule:
    try:
        return _rules[model]
    except KeyError:
        raise LookupError(
            f"no access rule for {model.__name__}: add one to its app's rules.py"
        ) from None


def condition(user: AnyUser | Principal, model: type[Model], action: Action = Action.VIEW) -> Q:
    """The ``Q`` over ``model`` of the records ``user`` may act on with ``action``."""
    return rule_for(model).filter(principal_of(user), action)


def restrict(
    queryset: QuerySet[ModelT], user: AnyUser | Principal, action: Action = Action.VIEW
) -> QuerySet[ModelT]:
    """The part of ``queryset`` that ``user`` may act on with ``action``.

    Rules may follow many-valued relations (an agreement's parties): the condition is
    applied as ``pk IN (subquery)``, as NetBox's ``RestrictedQuerySet`` does, so the
    result never needs ``DISTINCT`` and keeps whatever ordering and slicing the caller adds.
    """
    model = queryset.model
    allowed = condition(user, model, action)
    if allowed == EVERYTHING:
        return queryset
    if allowed == NOTHING:
        return queryset.none()
    return queryset.filter(pk__in=model._default_manager.filter(allowed).values("pk"))


def can(
    user: AnyUser | Principal, action: Action, obj: Model | type[Model], **context: Any
) -> bool:
    """Whether ``user`` may do ``action`` to ``obj``, or, given a model class, at all.

    ``can(user, Action.CREATE, Person, organisation=org)`` asks the model's rule with the
    context the service will act in.
    """
    who = principal_of(user)
    if isinstance(obj, type):
        return rule_for(obj).allows(who, action, **context)
    if obj.pk is None:
        return False
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), who, action).exists()


def require(
    user: AnyUser | Principal, action: Action, obj: Model | type[Model], **context: Any
) -> None:
    """Raise ``PermissionDenied`` unless ``can(user, action, obj, **context)``."""
    if not can(user, action, obj, **context):
        raise PermissionDenied(f"{action} refused on {obj!r}")

"""The one contract every write of the platform keeps, enforced by :func:`service`.

A service is a function of keyword-only arguments, one of them ``actor`` (the user on
whose behalf the change is made; ``None`` for the system, e.g. the demo loader or a
scheduled task). :func:`service` runs it in one database transaction with the actor set
for the audit log, so a change from a page, the API, the command line or the task worker
names who made it, and a refusal half-way leaves nothing behind. Side effects that must
not happen for a change that is rolled back (mail, background work) are queued with
:func:`after_commit`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

from sangsaeng.core.audit import acting_as

P = ParamSpec("P")
R = TypeVar("R")


def service(function: Callable[P, R]) -> Callable[P, R]:
    """Declare ``function`` a service: keyword-only, ``actor`` named, atomic, audited.

    The shape is checked when the module is imported, so a service that does not keep
    the contract fails at start-up, not in production.
    """
    parameters = inspect.signature(function).parameters
    positional = [
        name
        for name, parameter in parameters.items()
        if parameter.kind
        in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    if positional:
        raise TypeError(
            f"service {function.__qualname__} must take keyword-only arguments, "
            f"not {', '.join(positional)}"
        )
    if "actor" not in parameters:
        raise TypeError(f"service {function.__qualname__} must take an actor= argument")

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(), acting_as(kwargs.get("actor")):
            return function(*args, **kwargs)

    run.is_service = True  # type: ignore[attr-defined]
    return run


def after_commit(callback: Callable[[], Any]) -> None:
    """Run ``callback`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(callback)

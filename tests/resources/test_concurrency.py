"""No double booking under concurrency: many threads book the same slot at once.

Each thread has its own database connection and calls the booking service, as concurrent
requests would. Exactly the capacity succeeds; every other attempt gets the translated
"already booked" refusal, never a database error. Against PostgreSQL (``DATABASE_URL``, as
CI runs it) the resource row lock and the exclusion constraint decide; on SQLite the
immediate transactions serialise the writers. SQLite's shared in-memory test database has
table locks that fail at once instead of waiting, so there the race runs on a copy of the
test database in a file, as the demo and a single-machine deployment run.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from sangsaeng.resources import services
from sangsaeng.resources.models import Booking, Resource
from tests.factories import (
    EquipmentFactory,
    MembershipFactory,
    OrganisationFactory,
    ResourceFactory,
)
from tests.resources.conftest import seoul

pytestmark = pytest.mark.django_db(transaction=True)
ATTEMPTS = 60
T = TypeVar("T")


@dataclass
class Outcome:
    booked: int
    refused: int
    errors: list[str]
    seconds: float


def fire(resource: Resource, attempts: int, units: int) -> Outcome:
    """``attempts`` threads, each a member of its own company, book the same slot at once."""
    people = []
    for number in range(attempts):
        company = OrganisationFactory(slug=f"racer-{resource.pk}-{number}")
        people.append((MembershipFactory(organisation=company).user, company))
    start, end = seoul(3, 10), seoul(3, 12)
    barrier = threading.Barrier(attempts)
    lock = threading.Lock()
    booked = refused = 0
    errors: list[str] = []

    def attempt(user, company) -> None:
        nonlocal booked, refused
        try:
            barrier.wait()
            services.booking_create(
                actor=user, resource=resource, organisation=company, start=start, end=end,
                units=units,
            )  # fmt: skip
            with lock:
                booked += 1
        except ValidationError:
            with lock:
                refused += 1
        except Exception as error:  # a database error is a failure of the guarantee
            with lock:
                errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=person) for person in people]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Outcome(booked, refused, errors, time.perf_counter() - started)


@contextlib.contextmanager
def writers_on_a_file(folder: Path) -> Iterator[None]:
    """On SQLite's in-memory test database, give new connections a copy of it in a file."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = folder / "concurrency.sqlite3"
    with connection.cursor() as cursor:
        quoted = str(path).replace("'", "''")
        cursor.execute(f"VACUUM INTO '{quoted}'")
    original = connections.settings["default"]
    connections.settings["default"] = {**original, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings["default"] = original


def in_a_thread(function: Callable[[], T]) -> T:
    """Run ``function`` in a thread of its own (so with a connection of its own)."""
    results: list[T] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            results.append(function())
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]
    return results[0]


@pytest.mark.parametrize(
    ("factory", "capacity", "units"),
    [(EquipmentFactory, 1, 1), (ResourceFactory, 8, 2), (ResourceFactory, 20, 1)],
    ids=["equipment", "gpu-node-8", "licence-pool-20"],
)
def test_exactly_the_capacity_succeeds(tmp_path, factory, capacity, units):
    def race() -> tuple[Outcome, int]:
        resource = factory(capacity=capacity)
        outcome = fire(resource, ATTEMPTS, units)
        held = Booking.objects.filter(resource=resource, state__in=Booking.HOLDING)
        return outcome, sum(held.values_list("units", flat=True))

    with writers_on_a_file(tmp_path):
        outcome, held_units = in_a_thread(race)
    assert outcome.errors == []
    assert outcome.booked == capacity // units
    assert outcome.refused == ATTEMPTS - capacity // units
    assert held_units == capacity


@pytest.mark.django_db
def test_postgresql_refuses_overlapping_equipment_bookings_by_itself():
    """The exclusion constraint holds even for a write that skips the service and its lock."""
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only (DATABASE_URL=postgres://…)")
    from django.db import IntegrityError, transaction

    probe = EquipmentFactory()
    company = OrganisationFactory()
    fields = {"resource": probe, "organisation": company, "exclusive": True}
    Booking.objects.create(start=seoul(2, 10), end=seoul(2, 12), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(start=seoul(2, 11), end=seoul(2, 13), **fields)
    # Back to back, cancelled, or a pool's (non-exclusive) booking: allowed.
    Booking.objects.create(start=seoul(2, 12), end=seoul(2, 13), **fields)
    Booking.objects.create(
        start=seoul(2, 10), end=seoul(2, 12), state=Booking.State.CANCELLED, **fields
    )

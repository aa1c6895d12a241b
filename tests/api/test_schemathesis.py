"""The API fuzzed against its own OpenAPI schema (schemathesis), anonymously and with a token.

Every operation gets generated requests, valid and invalid; every answer must be no server
error, of a status code, content type and body that the schema declares, and invalid input
must be refused. One check is left out: "valid data should be accepted". The schema says
what a request looks like, not every rule a service keeps (a Korean name that is blank, a
capability code that does not exist), and those refusals are the documented 400 answers.
A short budget runs here; bench/api_fuzz/run.sh runs a longer one against a served instance.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from sangsaeng.accounts.models import Membership
from sangsaeng.accounts.services import api_token_create
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

BUDGET = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
token_schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@token_schema.auth(refresh_interval=None)
class OrganisationAdminToken:
    """A fresh organisation admin's token for each request (each example's data is rolled
    back). Given as schemathesis's auth, so that a request it sends without the header on
    purpose is known to be one."""

    def get(self, case, context):
        try:
            member = MembershipFactory(role=Membership.Role.ADMIN).user
        except RuntimeError:  # asked while tests are collected, outside any database
            return None
        return api_token_create(actor=member, name="fuzz")[1]

    def set(self, case, token, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


@pytest.fixture(autouse=True)
def connection_kept_for_the_test(db):
    """The WSGI handler closes the database connection when a request finishes, as a server
    should. Here the request runs inside the test's transaction (PostgreSQL would lose it
    with the connection), so the signal is held back as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def some_records(db):
    OrganisationFactory(slug="pangyo-chips")


@schema.parametrize()
@BUDGET
def test_the_api_answers_anonymous_callers_as_its_schema_says(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


@token_schema.parametrize()
@BUDGET
def test_the_api_answers_a_token_holder_as_its_schema_says(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])

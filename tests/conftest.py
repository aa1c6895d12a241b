"""Fixtures shared by every app's tests: one user per role of the access matrix."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from sangsaeng.accounts.models import Membership
from sangsaeng.search.index import search_index
from tests.factories import (
    MembershipFactory,
    OperatorFactory,
    OrganisationFactory,
    PersonFactory,
    StudentFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language, whatever the last request chose."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_search_index():
    """Each test's database starts empty, so its search index does too (model stays loaded)."""
    index = search_index()
    index.folder = None  # never read or write a development snapshot from tests
    index.reset()
    yield index
    index.reset()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def operator(db):
    return OperatorFactory()


@pytest.fixture
def org_admin(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user


@pytest.fixture
def org_member(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER).user


@pytest.fixture
def expert_user(db):
    user = UserFactory()
    PersonFactory(user=user)
    return user


@pytest.fixture
def student_user(db):
    user = UserFactory()
    StudentFactory(user=user)
    return user


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters (allauth keeps them in the cache) do not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

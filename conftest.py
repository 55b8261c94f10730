import os

import pytest

from integrity.roles import Role

# Playwright's sync API runs an event loop in the test thread; Django's ORM is used beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def unit(db):
    from integrity.tests.factories import UnitFactory

    return UnitFactory(name="Finance Bureau", code="finance")


@pytest.fixture
def make_user(db):
    from integrity.tests.factories import UserFactory

    def make(role=Role.CADRE, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER, username="officer-a")


@pytest.fixture
def officer2(make_user):
    return make_user(Role.OFFICER, username="officer-b")


@pytest.fixture
def cadre(make_user, unit):
    return make_user(Role.CADRE, username="cadre-a", unit=unit)


@pytest.fixture
def liaison(make_user, unit):
    return make_user(Role.LIAISON, username="liaison-a", unit=unit)


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN, username="admin-a")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate limits, cached dashboard figures)."""
    from django.core.cache import cache

    cache.clear()
    yield

import os

import pytest

from bangfu_testing.browser import browser, new_page, page  # noqa: F401  (Playwright fixtures for every app)

os.environ.setdefault("BANGFU_TESTING", "1")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness would dominate a suite that makes seven users per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    """A request with Accept-Language: en leaves English active in this thread (LocaleMiddleware
    activates a language and nothing deactivates it), so a later test in the same process would
    see English messages. Every test starts in the default language."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_holiday_calendar_cache():
    """The years an administrator entered are cached for a minute per process (cases.workdays);
    a test's entry is rolled back with its transaction, so the next test must read them again."""
    yield
    from bangfu.cases.workdays import _entered_years

    _entered_years.cache_clear()


@pytest.fixture
def regions(db):
    from bangfu_testing.factories import region_tree

    return region_tree()


@pytest.fixture
def users(regions):
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    return {
        "village_a": make_user("worker_a", Role.VILLAGE_WORKER, regions["village_a"]),
        "village_b": make_user("worker_b", Role.VILLAGE_WORKER, regions["village_b"]),
        "township_a": make_user("township_a", Role.TOWNSHIP_OFFICER, regions["township_a"]),
        "county": make_user("county", Role.COUNTY_OFFICER, regions["county"]),
        "partner": make_user("partner", Role.PARTNER_VIEWER, regions["county"]),
        "auditor": make_user("auditor", Role.AUDITOR, regions["county"]),
        "admin": make_user("admin", Role.ADMIN, regions["province"]),
    }


@pytest.fixture
def household_a(users, regions):
    """A two-person household in village A, created by village A's worker."""
    from bangfu_testing.factories import person_data
    from bangfu.registry.services import household_create

    return household_create(
        acting_user=users["village_a"], region_id=regions["village_a"].pk, address="胜利路1号",
        members=[person_data("张伟", "head"), person_data("李娜", "spouse", sex="F")],
    )


@pytest.fixture
def household_b(users, regions):
    from bangfu_testing.factories import person_data
    from bangfu.registry.services import household_create

    return household_create(
        acting_user=users["village_b"], region_id=regions["village_b"].pk, address="大兴村3组",
        members=[person_data("王芳", "head", sex="F")],
    )

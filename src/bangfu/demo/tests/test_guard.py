"""demo-setup resets `admin` and every demo login to the published password: it refuses outside
debug mode, and on a database with accounts it did not make, unless forced (issue 13)."""

import pytest
from django.core.management import CommandError, call_command

from bangfu.accounts.choices import Role
from bangfu.accounts.models import User
from bangfu.demo.guard import demo_setup_refusal as _refusal
from bangfu.demo.management.commands.demo_setup import DEMO_PASSWORD
from bangfu_testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_refused_outside_debug_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="调试模式"):
        call_command("demo_setup", county="341122", households=10)
    assert not User.objects.exists()


def test_refused_on_a_database_with_real_accounts(settings, regions):
    # given: a deployment's own administrator
    settings.DEBUG = True
    real = make_user("admin", Role.ADMIN, regions["county"], password="the-real-admins-password")
    # when / then: demo-setup would reset that password to the README's: refused
    with pytest.raises(CommandError, match="admin"):
        call_command("demo_setup", county="341122", households=10)
    real.refresh_from_db()
    assert real.check_password("the-real-admins-password") and not real.is_demo


def test_allowed_on_an_empty_or_demo_database_in_debug_mode(settings):
    settings.DEBUG = True
    assert _refusal(force=False, demo_password=DEMO_PASSWORD) == ""
    User.objects.create_user("village", password="x", is_demo=True)
    assert _refusal(force=False, demo_password=DEMO_PASSWORD) == ""


def test_force_overrides(settings, regions):
    settings.DEBUG = False
    make_user("wang", Role.COUNTY_OFFICER, regions["county"])
    assert _refusal(force=False, demo_password=DEMO_PASSWORD) and _refusal(force=True, demo_password=DEMO_PASSWORD) == ""


def test_a_demo_database_from_before_the_flag_is_allowed(settings, regions):
    # accounts that already have the published password lose nothing when it is set again
    settings.DEBUG = True
    make_user("village", Role.VILLAGE_WORKER, regions["village_a"], password=DEMO_PASSWORD)
    assert _refusal(force=False, demo_password=DEMO_PASSWORD) == ""
    make_user("wang", Role.COUNTY_OFFICER, regions["county"], password="wangs-own-password")
    assert "wang" in _refusal(force=False, demo_password=DEMO_PASSWORD)

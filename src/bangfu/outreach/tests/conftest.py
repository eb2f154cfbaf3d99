import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "files"


@pytest.fixture
def helper_user(regions):
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    return make_user("helper_li", Role.HELPER, regions["village_a"])


@pytest.fixture
def helper(users, regions, helper_user):
    from bangfu.outreach.services import helper_create

    return helper_create(acting_user=users["village_a"], kind="party_member", name="李党员", unit="胜利社区党支部",
                         region_id=regions["village_a"].pk, user_id=helper_user.pk)


@pytest.fixture
def pairing(users, household_a, helper):
    from bangfu.outreach.services import pairing_create

    return pairing_create(acting_user=users["village_a"], target_kind="household", household_id=household_a.pk,
                          helper_ids=[helper.pk], start_date=dt.date(2024, 1, 1), measures=["skills"])


@pytest.fixture
def pairing_b(users, household_b, regions):
    from bangfu.outreach.services import helper_create, pairing_create

    other = helper_create(acting_user=users["village_b"], kind="cadre", name="王干部", unit="大兴镇政府", region_id=regions["village_b"].pk)
    return pairing_create(acting_user=users["village_b"], target_kind="household", household_id=household_b.pk,
                          helper_ids=[other.pk], start_date=dt.date(2024, 1, 1))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


def upload(name: str, data: bytes, content_type: str = "image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)

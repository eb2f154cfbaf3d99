"""The registry's role × action × region matrix, generated from registry/permissions.py
(bangfu_testing/matrix.py): every Role × every action, inside and outside the household's region."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bangfu_testing import matrix
from bangfu.registry import permissions as p
from bangfu.registry.survey.export import survey_export
from bangfu.registry.survey.importer import survey_import

from .survey.helpers import member, read_xlsx, write_csv

pytestmark = pytest.mark.django_db


def _import(user, world):
    """A village-A sheet, dry run: outside the region the row is refused (False)."""
    path = write_csv(world["tmp"] / f"{user.username}.csv", [member("1", "冯八", "户主")])
    return survey_import(acting_user=user, source=path, dry_run=True).ok


def _export(user, world):
    """The survey export: outside the region it holds no row of the household (False)."""
    return survey_export(viewer=user, target=io.BytesIO()) > 0 or False


def _export_full(user, world):
    """The export with unmasked ID numbers: a role without the action gets them masked (refused)."""
    target = io.BytesIO()
    if not survey_export(viewer=user, target=target):
        return False
    if world["id_number"] not in str(read_xlsx(io.BytesIO(target.getvalue()))):
        raise PermissionDenied("masked")
    return True


ENTRIES = {
    p.VIEW_HOUSEHOLDS: matrix.page(lambda w: reverse("registry:household_detail", args=[w["household"].pk])),
    p.EDIT: matrix.page(lambda w: reverse("registry:household_edit", args=[w["household"].pk])),
    p.IMPORT: _import,
    p.EXPORT: _export,
    p.VIEW_FULL_ID: matrix.page(lambda w: reverse("registry:person_full_number", args=[w["household"].head_id, "id-number"]),
                                method="post"),
    p.EXPORT_FULL_ID: _export_full,
}


def test_every_action_has_an_entry_point():
    matrix.check_entries_cover_table("registry", ENTRIES)


@pytest.mark.parametrize(("action", "role"), matrix.cases("registry"))
def test_role_action_region(action, role, regions, users, household_a, tmp_path):
    inside, outside = matrix.actors(regions, role)
    world = {"household": household_a, "tmp": tmp_path, "id_number": household_a.head.id_number}
    matrix.check("registry", action, role, ENTRIES, world, inside, outside)

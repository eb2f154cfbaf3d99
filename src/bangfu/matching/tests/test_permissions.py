"""The matching app's role × action × region matrix, generated from matching/permissions.py
(bangfu_testing/matrix.py): every Role × every action, inside and outside village A, where the
death list loaded by township A finds 张伟 (a dibao recipient)."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from bangfu_testing import matrix
from bangfu.matching import permissions as p
from bangfu.matching import services
from bangfu.matching.choices import FindingKind, FindingStatus
from bangfu.matching.models import Finding

from .test_services import load

pytestmark = pytest.mark.django_db


def _export(user, world):
    """The finding export: outside the region it holds no row of 张伟 (False)."""
    response = matrix.page(lambda w: "/matching/findings/export/?kind=deceased_recipient")(user, world)
    if response.status_code != 200:
        return response
    rows = CalamineWorkbook.from_object(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    return any("张伟" in str(cell) for row in rows[1:] for cell in row) or False


ENTRIES = {
    # withdraw the list township A loaded (the batch is in township A's region)
    p.MATCH_IMPORT: lambda user, w: services.batch_withdraw(acting_user=user, batch_id=w["finding"].batch_id, reason="测试撤回"),
    p.MATCH_REVIEW: lambda user, w: services.finding_set_status(acting_user=user, finding_id=w["finding"].pk,
                                                                status=FindingStatus.CONFIRMED),
    p.MATCH_VIEW: matrix.page(lambda w: f"/matching/findings/{w['finding'].pk}/"),
    p.MATCH_EXPORT: _export,
}


def test_every_action_has_an_entry_point():
    matrix.check_entries_cover_table("matching", ENTRIES)


@pytest.mark.parametrize(("action", "role"), matrix.cases("matching"))
def test_role_action_region(action, role, regions, users, people):
    load(users["township_a"], "death", ["身份证号", "姓名", "死亡日期"], [[people["ids"]["zhang"], "张伟", "2025-05-20"]])
    finding = Finding.objects.get(kind=FindingKind.DECEASED_RECIPIENT)
    assert finding.region_code == regions["village_a"].code
    inside, outside = matrix.actors(regions, role)
    matrix.check("matching", action, role, ENTRIES, {"finding": finding}, inside, outside)

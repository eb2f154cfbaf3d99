"""A household that moves takes its findings to the new village: its office sees and decides them,
the old one does not; the batch stays with the office that loaded the list (issue 11;
matching/moves.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.accounts.access import NotFound
from bangfu.matching import selectors
from bangfu.matching.models import Finding, ImportBatch
from bangfu.registry.services import household_update

from .test_services import load

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(users, people):
    ids = people["ids"]
    batch = load(users["county"], "public_employee", ["身份证号", "姓名", "工作单位"], [
        [ids["zhang"], "张伟", "某局"], [ids["wang"], "王芳", ""]])
    return {"batch": batch, "zhang": Finding.objects.get(batch=batch, name="张伟"), "wang": Finding.objects.get(batch=batch, name="王芳")}


def test_findings_follow_the_household(found, people, users, regions):
    household = people["households"]["dibao"]
    assert found["zhang"].household_id == household.pk and found["zhang"].region_code == regions["village_a"].code
    # when the county moves 张伟's household from village A to village B (another township)
    household_update(acting_user=users["county"], household_id=household.pk, region_id=regions["village_b"].pk)
    # then village B's worker sees both findings and village A's sees none
    new, old = users["village_b"], users["village_a"]
    assert set(selectors.findings(new).values_list("pk", flat=True)) == {found["zhang"].pk, found["wang"].pk}
    assert not selectors.findings(old).exists()
    assert selectors.finding_get(new, found["zhang"].pk).region_code == regions["village_b"].code
    with pytest.raises(NotFound):
        selectors.finding_get(old, found["zhang"].pk)
    # the batch is the loading office's record and stays where it was
    assert ImportBatch.objects.get(pk=found["batch"].pk).region_code == found["batch"].region_code
    # the moved finding has a history row by the mover
    last = found["zhang"].history.order_by("-history_id").first()
    assert (last.region_code, last.history_user) == (regions["village_b"].code, users["county"])
    assert not found["wang"].history.filter(history_user=users["county"]).exists()


def test_findings_page_follows_the_household(found, people, users, regions, client):
    household_update(acting_user=users["county"], household_id=people["households"]["dibao"].pk, region_id=regions["village_b"].pk)
    client.force_login(users["village_a"])
    assert "张伟" not in client.get(reverse("matching:finding_list")).content.decode()
    client.force_login(users["village_b"])
    assert "张伟" in client.get(reverse("matching:finding_list")).content.decode()

"""Writes other apps ask of the registry: dated category rows (classification_set) and the
signal sent when a person's death is recorded (person_died)."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.registry import choices as c
from bangfu.registry import services
from bangfu.registry.services import RegistryError
from bangfu.registry.models import Classification
from bangfu.registry.signals import person_died

pytestmark = pytest.mark.django_db
D = dt.date


def _rows(household, code="dibao"):
    return list(Classification.objects.filter(household=household, kind=c.ClassificationKind.CATEGORY, code=code)
                .order_by("start_date", "pk").values_list("start_date", "end_date", "monthly_amount_fen", "person_id"))


def test_classification_set_starts_ends_and_replaces_dated_rows_with_history(household_a, users):
    county = users["county"]
    # when a category starts, its amount changes, and it ends
    first = services.classification_set(acting_user=county, household=household_a, code="dibao", start_date=D(2026, 2, 1),
                                        monthly_amount_fen=60000)
    services.classification_set(acting_user=county, household=household_a, code="dibao", start_date=D(2026, 5, 1),
                                monthly_amount_fen=45000)
    ended = services.classification_set(acting_user=county, household=household_a, code="dibao", start_date=D(2026, 9, 1),
                                        monthly_amount_fen=None)

    # then each row covers its months, the last one is open-ended no more, and every write has the user as author
    assert ended is None
    assert first.region_code == household_a.region_code
    assert _rows(household_a) == [(D(2026, 2, 1), D(2026, 5, 1), 60000, None), (D(2026, 5, 1), D(2026, 9, 1), 45000, None)]
    authors = set(Classification.history.filter(household_id=household_a.pk).values_list("history_user__username", flat=True))
    assert authors == {"county"}
    assert Classification.history.filter(id=first.pk).count() == 2  # created, then ended


def test_classification_set_ends_a_row_that_starts_later_where_it_starts(household_a, users):
    services.classification_set(acting_user=users["county"], household=household_a, code="tekun", start_date=D(2026, 6, 1),
                                monthly_amount_fen=80000)
    services.classification_set(acting_user=users["county"], household=household_a, code="tekun", start_date=D(2026, 3, 1),
                                monthly_amount_fen=None)
    assert _rows(household_a, "tekun") == [(D(2026, 6, 1), D(2026, 6, 1), 80000, None)]


def test_classification_set_keeps_a_members_rows_apart_from_the_households(household_a, users):
    member = household_a.members.exclude(pk=household_a.head_id).get()
    services.classification_set(acting_user=users["county"], household=household_a, code="tekun", start_date=D(2026, 1, 1),
                                monthly_amount_fen=50000)
    services.classification_set(acting_user=users["county"], household=household_a, person_id=member.pk, code="tekun",
                                start_date=D(2026, 3, 1), monthly_amount_fen=70000)
    assert _rows(household_a, "tekun") == [(D(2026, 1, 1), None, 50000, None), (D(2026, 3, 1), None, 70000, member.pk)]


@pytest.fixture
def deaths():
    sent = []

    def listen(sender, **kwargs):
        sent.append(kwargs)

    person_died.connect(listen, dispatch_uid="test.deaths")
    yield sent
    person_died.disconnect(dispatch_uid="test.deaths")


def test_person_died_is_sent_once_when_the_status_becomes_deceased(household_a, users, deaths):
    member = household_a.members.exclude(pk=household_a.head_id).get()
    worker = users["village_a"]

    services.person_update(acting_user=worker, person_id=member.pk, data={"phone": "13800000000"})
    assert deaths == []

    services.person_update(acting_user=worker, person_id=member.pk, data={"status": c.PersonStatus.DECEASED})
    assert len(deaths) == 1
    assert deaths[0]["person"].pk == member.pk and deaths[0]["acting_user"] == worker
    assert isinstance(deaths[0]["died_on"], dt.date)

    # saving the dead person again, even with the status repeated, sends nothing more
    services.person_update(acting_user=worker, person_id=member.pk, data={"status": c.PersonStatus.DECEASED, "phone": "13900000000"})
    assert len(deaths) == 1


def test_person_died_is_not_sent_for_a_move_out(household_a, users, deaths):
    member = household_a.members.exclude(pk=household_a.head_id).get()
    services.person_update(acting_user=users["village_a"], person_id=member.pk, data={"status": c.PersonStatus.MOVED_OUT})
    assert deaths == []

def test_the_date_of_death_is_recorded_and_sent(household_a, users, deaths):
    """A death recorded on a later day keeps its own date: benefits stop from the month after it
    and months paid since are recovered (issues 14, 15), not from the day it was typed in."""
    member = household_a.members.exclude(pk=household_a.head_id).get()
    worker = users["village_a"]
    services.person_update(acting_user=worker, person_id=member.pk,
                           data={"status": c.PersonStatus.DECEASED, "death_date": dt.date(2025, 3, 14)})
    member.refresh_from_db()
    assert member.death_date == dt.date(2025, 3, 14)
    assert deaths[0]["died_on"] == dt.date(2025, 3, 14)


@pytest.mark.parametrize(("data", "message"), [
    ({"death_date": dt.date(2025, 3, 14)}, "只有状态为“已死亡”时才填写死亡日期"),
    ({"status": "deceased", "death_date": dt.date(2099, 1, 1)}, "死亡日期不能晚于今天"),
    ({"status": "deceased", "death_date": dt.date(1900, 1, 1)}, "死亡日期不能早于出生日期"),
])
def test_a_wrong_date_of_death_is_refused(household_a, users, deaths, data, message):
    member = household_a.members.exclude(pk=household_a.head_id).get()
    with pytest.raises(RegistryError) as caught:
        services.person_update(acting_user=users["village_a"], person_id=member.pk, data=data)
    assert message in caught.value.errors["death_date"][0]
    assert deaths == []

"""Issue 13: station numbers are numbered per station, so they are unique per station — a second
station's first stay with the default prefix "JZ" was an IntegrityError (HTTP 500)."""

from __future__ import annotations

import pytest

from .conftest import at

pytestmark = pytest.mark.django_db


def test_two_stations_with_the_default_prefix_both_take_their_first_stay(stations, staff):
    from bangfu.rescue import services
    from bangfu.rescue.models import RescueStation

    RescueStation.objects.filter(pk__in=[s.pk for s in stations.values()]).update(number_prefix="JZ")
    data = {"name": "", "referral_source": "walk_in", "arrival_at": at(2025, 3, 1, 9, 30),
            "physical_description": "男，约50岁", "language": "皖北口音", "belongings": "布包"}
    first_a = services.stay_create(acting_user=staff["a"], data=dict(data))
    first_b = services.stay_create(acting_user=staff["b"], data=dict(data))
    second_a = services.stay_create(acting_user=staff["a"], data=dict(data))
    assert (first_a.station_number, first_b.station_number, second_a.station_number) == ("JZ202500001", "JZ202500001", "JZ202500002")
    assert first_a.station_id != first_b.station_id


def test_the_intake_page_of_a_second_station_is_not_a_server_error(client, stations, staff):
    from bangfu.rescue.models import RescueStation, Stay

    RescueStation.objects.filter(pk__in=[s.pk for s in stations.values()]).update(number_prefix="JZ")
    form = {"name": "", "referral_source": "walk_in", "arrival_at": "2025-03-01T09:30", "sex": "U", "physical_description": "男，约50岁",
            "language": "皖北口音", "belongings": "布包", "capable_adult": "on"}
    for who in ("a", "b"):
        client.force_login(staff[who])
        response = client.post("/rescue/stays/new/", form)
        assert response.status_code == 302, response.content[:500]
    assert Stay.objects.filter(station_number="JZ202500001").count() == 2


@pytest.mark.parametrize("birth, message", [("0001-01-01", "早于 1900-01-01"), ("9999-12-31", "晚于今天")])
def test_an_implausible_estimated_birth_date_is_refused(intake, birth, message):
    import datetime as dt

    from bangfu.rescue.errors import RescueError

    with pytest.raises(RescueError) as info:
        intake(birth_date=dt.date.fromisoformat(birth))
    assert any(message in m for m in info.value.errors["birth_date"])
    assert intake(birth_date=dt.date(1950, 1, 1)).birth_date == dt.date(1950, 1, 1)

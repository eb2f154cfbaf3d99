"""The pairing form picks the household and the helpers (issue 17): the helper search is scoped
like the form's own check, and the picked numbers post as before."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from bangfu.outreach.models import Pairing

pytestmark = pytest.mark.django_db


def _values(response) -> list[int]:
    return [int(v) for v in re.findall(r'data-value="(\d+)"', response.content.decode())]


def test_helper_search_is_scoped(client, users, helper, pairing_b):
    other = pairing_b.helpers.get()
    client.force_login(users["village_a"])
    assert _values(client.get(reverse("outreach:pick_helpers"), {"q": "李"})) == [helper.pk]
    assert _values(client.get(reverse("outreach:pick_helpers"), {"q": "胜利"})) == [helper.pk]  # by unit
    assert _values(client.get(reverse("outreach:pick_helpers"), {"q": "王"})) == []
    assert _values(client.get(reverse("outreach:pick_helpers"), {"q": str(other.pk)})) == []
    client.force_login(users["village_b"])
    assert _values(client.get(reverse("outreach:pick_helpers"), {"q": "王"})) == [other.pk]


def test_helper_search_refused_to_a_helper(client, helper_user):
    client.force_login(helper_user)
    assert client.get(reverse("outreach:pick_helpers"), {"q": "李"}).status_code == 403


def test_pairing_form_picks_and_posts_numbers(client, users, household_a, helper, pairing_b):
    client.force_login(users["village_a"])
    body = client.get(reverse("outreach:pairing_create")).content.decode()
    assert 'data-picker-url="/registry/pick/households/"' in body
    assert 'data-picker-url="/outreach/helpers/pick/" data-picker-multiple' in body
    data = {"target_kind": "household", "household_id": household_a.pk, "start_date": "2025-01-01"}
    # a helper of another village is refused by the form, as before
    response = client.post(reverse("outreach:pairing_create"), {**data, "helpers": f"{helper.pk}, {pairing_b.helpers.get().pk}"})
    assert response.status_code == 200 and Pairing.objects.count() == 1
    response = client.post(reverse("outreach:pairing_create"), {**data, "helpers": f"{helper.pk}, "})
    assert response.status_code == 302
    assert list(Pairing.objects.latest("pk").helpers.all()) == [helper]

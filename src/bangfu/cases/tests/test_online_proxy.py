"""The online form's per-address limit behind the reverse proxy (issue 13): one resident's failed
look-ups must not block every resident of the county, and a forged header must not escape it."""

import pytest
from django.test import Client
from django.urls import reverse

from bangfu.cases import services

pytestmark = pytest.mark.django_db

NGINX = "127.0.0.1"


def _lookup(client, xff):
    return client.post(reverse("cases:lookup"), {"receipt_number": "BFAAAAAAAAAA", "id_number": "340102198005170011"},
                       REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=xff)


def test_one_residents_guesses_do_not_block_another_behind_the_proxy(settings, regions):
    settings.TRUSTED_PROXY_COUNT = 1
    guesser = Client()
    for _ in range(services.ONLINE_LIMIT_PER_HOUR):
        assert _lookup(guesser, "198.51.100.66").status_code == 404
    assert _lookup(guesser, "198.51.100.66").status_code == 429
    assert _lookup(Client(), "203.0.113.10").status_code == 404  # another resident: still answered


def test_a_forged_header_does_not_escape_the_limit_without_a_trusted_proxy(settings, regions):
    settings.TRUSTED_PROXY_COUNT = 0
    guesser = Client()
    for n in range(services.ONLINE_LIMIT_PER_HOUR):
        _lookup(guesser, f"198.51.100.{n}")
    assert _lookup(guesser, "198.51.100.200").status_code == 429

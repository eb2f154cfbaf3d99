"""The client's address behind the reverse proxy (issue 13 "Behind the documented nginx, everyone has
one IP"): X-Forwarded-For is believed only through the configured number of trusted proxies."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from bangfu.accounts.choices import Role
from bangfu.common.http import client_ip
from bangfu.common.models import AccessLog, log_access
from bangfu_testing.factories import make_user

NGINX = "127.0.0.1"


def _request(xff=None, remote=NGINX):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        # No trusted proxy (the default): the header is ignored, whoever sent it.
        (0, None, NGINX),
        (0, "203.0.113.9", NGINX),
        (0, "1.2.3.4, 203.0.113.9", NGINX),
        # One proxy (nginx appends the address it saw): the right-most entry is the client.
        (1, None, NGINX),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),          # spoofed entry on the left ignored
        (1, "6.6.6.6,203.0.113.9", "203.0.113.9"),
        (1, "  203.0.113.9  ", "203.0.113.9"),
        (1, "2001:db8::7", "2001:db8::7"),
        (1, "not-an-address", NGINX),                          # garbage: the proxy's address
        (1, "", NGINX),
        # Two proxies (a load balancer, then nginx): the second entry from the right.
        (2, "203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),  # spoofed entry on the left ignored
        (2, "203.0.113.9", "203.0.113.9"),                     # came in past the outer proxy
    ],
)
def test_client_ip_through_trusted_proxies(settings, proxies, xff, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(xff)) == expected


def test_without_a_proxy_a_forged_header_changes_nothing(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("198.51.100.1", remote="192.0.2.5")) == "192.0.2.5"


@pytest.mark.django_db
def test_access_log_records_the_client_not_the_proxy(settings, regions):
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_user("cunwei", Role.VILLAGE_WORKER, regions["village_a"])
    log_access(acting_user=user, action=AccessLog.Action.EXPORT, object_type="household",
               request=_request("6.6.6.6, 203.0.113.9"))
    assert AccessLog.objects.get().ip_address == "203.0.113.9"


# ----------------------------------------------------------------------------- login lockout (django-axes)

def _login(client, user, password, xff):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": password},
                       REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=xff)


@pytest.mark.django_db
def test_lockout_is_per_username_and_client_behind_the_proxy(settings, client, regions):
    # given: one nginx in front, an officer, and someone else typing the officer's name wrongly
    settings.TRUSTED_PROXY_COUNT = 1
    officer = make_user("xiangzhen_wang", Role.TOWNSHIP_OFFICER, regions["township_a"])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, officer, "wrong-password", "198.51.100.66")
    assert _login(client, officer, officer.raw_password, "198.51.100.66").status_code == 429
    # when: the officer logs in from their own desk
    from django.test import Client

    response = _login(Client(), officer, officer.raw_password, "203.0.113.10")
    # then: not locked out
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_lockout_without_a_trusted_proxy(settings, client, regions):
    settings.TRUSTED_PROXY_COUNT = 0
    officer = make_user("xiangzhen_wang", Role.TOWNSHIP_OFFICER, regions["township_a"])
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, officer, "wrong-password", f"198.51.100.{n}")
    assert _login(client, officer, officer.raw_password, "198.51.100.200").status_code == 429

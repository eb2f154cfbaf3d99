"""Login page, lockout after repeated failures (django-axes), language switch (issue 2 §3)."""

import pytest
from django.urls import reverse

from bangfu.accounts.choices import Role
from bangfu_testing.factories import make_user

pytestmark = pytest.mark.django_db

IP = "10.0.0.7"


@pytest.fixture
def worker(regions):
    return make_user("cunwei_li", Role.VILLAGE_WORKER, regions["village_a"])


def _login(client, username, password, ip=IP):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_chinese(client):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "用户名" in html and "密码" in html and "连续输错密码5次，账号将被锁定30分钟" in html


def test_login_page_states_the_configured_lockout_rule(client, settings):
    settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME = 3, 2  # hours
    html = client.get(reverse("accounts:login")).content.decode()
    assert "连续输错密码3次，账号将被锁定120分钟" in html


def test_correct_login_goes_to_the_household_list(client, worker):
    response = _login(client, worker.username, worker.raw_password)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == reverse("registry:household_list")
    page = client.get(reverse("registry:household_list"))
    assert page.status_code == 200
    assert "家庭档案" in page.content.decode()
    assert page.wsgi_request.user.username == worker.username


def test_wrong_password_shows_a_chinese_error_and_does_not_log_in(client, worker):
    response = _login(client, worker.username, "not-the-password")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_five_failures_lock_the_account_even_for_the_right_password(client, worker):
    # given: five wrong passwords from one address
    for _ in range(5):
        _login(client, worker.username, "wrong-password")
    # when: the right password is typed
    response = _login(client, worker.username, worker.raw_password)
    # then: still refused, with the lockout page
    html = response.content.decode()
    assert response.status_code == 429
    assert "账号已被暂时锁定" in html
    assert "密码连续输错5次" in html
    assert "请30分钟后再试" in html
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("registry:household_list")).status_code == 302


def test_four_failures_do_not_lock(client, worker):
    for _ in range(4):
        _login(client, worker.username, "wrong-password")
    response = _login(client, worker.username, worker.raw_password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(worker.pk)


def test_pages_require_login(client):
    response = client.get(reverse("registry:household_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_language_switch_to_english_and_back(client, worker):
    client.force_login(worker)
    page = client.get(reverse("registry:household_list")).content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'name="language" value="en"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/registry/"})
    assert response.status_code == 302
    english = client.get(reverse("registry:household_list")).content.decode()
    assert '<html lang="en">' in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/registry/"})
    assert '<html lang="zh-hans">' in client.get(reverse("registry:household_list")).content.decode()


def test_logout_is_a_post_and_ends_the_session(client, worker):
    client.force_login(worker)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session

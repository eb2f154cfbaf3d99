"""Passwords and accounts (issue 13): Django's validators with Chinese messages, a page to change
one's own password, and a password someone else set is changed at first login."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from bangfu.accounts.choices import Role
from bangfu.accounts.models import User
from bangfu_testing.factories import make_user

pytestmark = pytest.mark.django_db

GOOD = "qing-shan-lu-7-hao"


@pytest.fixture
def worker(regions):
    return make_user("cunwei_li", Role.VILLAGE_WORKER, regions["village_a"])


def _messages(password, user=None) -> str:
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as info:
            validate_password(password, user)
        return " ".join(info.value.messages)


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("abc12345", "密码太短"),                  # the old rule's minimum of 8 passes no more
        ("xyzw-7389a", "密码太短"),                # 10 characters: still short
        ("123456789012", "只包含数字"),
        ("password1234", "太常见"),
    ],
)
def test_weak_passwords_refused_in_chinese(password, expected):
    assert expected in _messages(password)


def test_password_like_the_username_refused(worker):
    worker.first_name, worker.last_name = "", ""
    assert "相似" in _messages("cunwei_li_2026", worker)


def test_a_good_password_passes(worker):
    validate_password(GOOD, worker)


def test_change_page_is_linked_from_the_user_menu(client, worker):
    client.force_login(worker)
    html = client.get(reverse("registry:household_list")).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in html and "修改密码" in html


def test_change_own_password(client, worker):
    client.force_login(worker)
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "旧密码" in page.content.decode()
    response = client.post(reverse("accounts:password_change"), {
        "old_password": worker.raw_password, "new_password1": GOOD, "new_password2": GOOD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    worker.refresh_from_db()
    assert worker.check_password(GOOD)
    assert client.session.get("_auth_user_id") == str(worker.pk)  # still logged in


def test_change_refuses_a_weak_password_in_chinese(client, worker):
    client.force_login(worker)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": worker.raw_password, "new_password1": "12345678", "new_password2": "12345678"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "密码太短" in html and "只包含数字" in html and "This password" not in html
    worker.refresh_from_db()
    assert worker.check_password(worker.raw_password)


def test_change_needs_the_old_password(client, worker):
    client.force_login(worker)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "wrong", "new_password1": GOOD, "new_password2": GOOD})
    assert response.status_code == 200 and "旧密码不正确" in response.content.decode()


def test_change_page_in_english(client, worker):
    client.force_login(worker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(reverse("accounts:password_change")).content.decode()
    assert "Old password" in html and "at least 12 characters" in html


# ----------------------------------------------------------------------------- forced change

@pytest.fixture
def new_account(regions):
    user = make_user("xinren", Role.VILLAGE_WORKER, regions["village_a"])
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    user.refresh_from_db()
    user.raw_password = "bangfu-test-pass"
    return user


def test_forced_change_redirects_every_page(client, new_account):
    client.force_login(new_account)
    for url in ("/", reverse("registry:household_list"), reverse("cases:index"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change"), url
    html = client.get(reverse("accounts:password_change")).content.decode()
    assert "管理员设置的初始密码" in html


def test_forced_change_sends_htmx_requests_to_the_change_page(client, new_account):
    client.force_login(new_account)
    response = client.get(reverse("registry:household_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("accounts:password_change")


def test_forced_change_api_answers_403_with_a_message(client, new_account):
    client.force_login(new_account)
    response = client.get("/api/households")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden" and "修改初始密码" in response.json()["message"]


def test_forced_change_leaves_logout_and_language_open(client, new_account):
    client.force_login(new_account)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/password/"})["Location"] == "/accounts/password/"
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_after_the_change_the_pages_open(client, new_account):
    client.force_login(new_account)
    client.post(reverse("accounts:password_change"), {
        "old_password": new_account.raw_password, "new_password1": GOOD, "new_password2": GOOD})
    new_account.refresh_from_db()
    assert not new_account.must_change_password
    assert client.get(reverse("registry:household_list")).status_code == 200


def test_demo_accounts_are_exempt_in_debug_mode_only(client, settings, new_account):
    User.objects.filter(pk=new_account.pk).update(is_demo=True)
    client.force_login(new_account)
    settings.DEBUG = True
    assert client.get(reverse("registry:household_list")).status_code == 200
    settings.DEBUG = False
    assert client.get(reverse("registry:household_list"))["Location"] == reverse("accounts:password_change")


def test_an_account_the_administrator_creates_must_change(client, regions):
    admin_user = User.objects.create_superuser("root", password="root-password-long", role=Role.ADMIN)
    client.force_login(admin_user)
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "zhang", "password1": GOOD, "password2": GOOD, "usable_password": "true",
        "role": Role.VILLAGE_WORKER, "region": regions["village_a"].pk, "department": "civil_affairs"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="zhang").must_change_password


def test_a_password_the_administrator_resets_must_change(client, worker):
    admin_user = User.objects.create_superuser("root", password="root-password-long", role=Role.ADMIN)
    client.force_login(admin_user)
    response = client.post(reverse("admin:auth_user_password_change", args=[worker.pk]),
                           {"password1": GOOD, "password2": GOOD, "usable_password": "true"})
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.must_change_password and worker.check_password(GOOD)

"""English mode shows no Chinese from the interface, the services, the imports or the engine's
reasons (issue 11): a walk through the main pages of regions, accounts, registry and policy and
through the API's errors, with Accept-Language: en or the language cookie, on a small data set in
two villages. Data (people's and regions' names, addresses, local documents cited by parameter
values, what the user typed) stays as registered and is removed before the check.

Other apps extend the walk with `assert_no_cjk` and `data_strings` from `bangfu_testing.english`.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu_testing.factories import person_data
from bangfu.policy import current
from bangfu.registry import services as registry_services
from bangfu.registry.survey.columns import COLUMNS, HEADERS

from bangfu_testing.english import EN, assert_no_cjk, cjk_left, data_strings

pytestmark = pytest.mark.django_db

ON = "2025-08-01"
# What the tests type into forms and files: data, echoed back in error messages.
# The survey sheet is the Chinese template: its column names and its yes/no values (是/否) are the
# file's own words, which an error message quotes so that the user can find them in the sheet.
TYPED = ["是", "否", *[str(v) for col in COLUMNS for v in getattr(col.parser, "dropdown", ())], "也许", "名单.docx", "空.csv", "少列.csv", "坏.xlsx", "摸底.csv", "赵一", "钱二", "孙三", "李四", "某地"]


@pytest.fixture(autouse=True)
def _fresh_parameters():
    current.clear()
    yield
    current.clear()


@pytest.fixture
def two_villages(users, regions, household_a, household_b):
    """household_a (village A): two adults, a wage of 600.00 and savings → dibao with reasons;
    household_b (village B): an elderly woman alone with a severe disability, no income → tekun,
    special groups and follow-up flags; an emergency in household_b."""
    add = registry_services.item_add
    add(acting_user=users["village_a"], household_id=household_a.pk, kind="income",
        data={"kind": "wage", "monthly_amount_fen": 60000, "valid_from": dt.date(2024, 1, 1)})
    add(acting_user=users["village_a"], household_id=household_a.pk, kind="asset",
        data={"kind": "vehicle", "value_fen": 3000000, "quantity": 2})
    add(acting_user=users["village_a"], household_id=household_a.pk, kind="expense",
        data={"kind": "medical", "monthly_amount_fen": 50000, "valid_from": dt.date(2024, 1, 1)})
    registry_services.person_add(acting_user=users["village_b"], household_id=household_b.pk, data=person_data(
        "王大山", "parent", birth=dt.date(1940, 3, 2), labor_capacity="none", disability_type="physical",
        disability_grade=1))
    return household_a, household_b


def walk(client, url: str, known: set[str], *, method: str = "get", status: int | None = 200, **kwargs) -> str:
    response = getattr(client, method)(url, **EN, **kwargs)
    if status is not None:
        assert response.status_code == status, (url, response.status_code)
    text = response.content.decode() if not getattr(response, "streaming", False) else ""
    assert_no_cjk(text, data=known, where=f"{method.upper()} {url}")
    return text


# ----------------------------------------------------------------------------- the helper


def test_the_check_finds_chinese_outside_data():
    page = "<p>Household of 张伟</p><p>收入</p>"
    assert cjk_left(page, data={"张伟"}) and "收入" in cjk_left(page, data={"张伟"})[0]
    assert cjk_left("<p>Household of 张伟（ok）</p>", data={"张伟"})  # full-width brackets are Chinese too
    assert_no_cjk("<p>Household of 张伟</p><script>var s = '说明';</script>", data={"张伟"})
    with pytest.raises(AssertionError, match="收入"):
        assert_no_cjk(page, data={"张伟"})


# ----------------------------------------------------------------------------- accounts


def test_login_page_and_failed_login(client, users):
    walk(client, reverse("accounts:login"), set())
    walk(client, reverse("accounts:login"), set(), method="post", data={"username": "worker_a", "password": "wrong"})


def test_language_cookie_works_like_accept_language(client, users, two_villages):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users["village_a"])
    data = data_strings()
    page = client.get(reverse("registry:household_detail", args=[two_villages[0].pk]), {"on": ON}).content.decode()
    assert '<html lang="en">' in page
    assert_no_cjk(page, data=data)


# ----------------------------------------------------------------------------- registry


@pytest.mark.parametrize("who", ["village_a", "village_b", "township_a", "county"])
def test_household_list_and_pages(client, users, two_villages, who):
    client.force_login(users[who])
    data = data_strings()
    walk(client, reverse("home"), data, status=None)
    walk(client, reverse("registry:household_list"), data)
    walk(client, reverse("registry:household_list"), data, data={"q": "nobody", "status": "all"})
    for household in two_villages:
        url = reverse("registry:household_detail", args=[household.pk])
        if household.region.code.startswith(users[who].region.code.rstrip("0")) or who == "county":
            walk(client, url, data, data={"on": ON})
            walk(client, reverse("policy:household_determination", args=[household.pk]), data, data={"on": ON})
            walk(client, reverse("policy:household_determination", args=[household.pk]), data, data={"on": "tomorrow"})
        else:
            walk(client, url, data, status=404)


def test_household_forms_with_errors(client, users, two_villages):
    household = two_villages[0]
    client.force_login(users["village_a"])
    data = data_strings(TYPED)
    walk(client, reverse("registry:household_create"), data)
    walk(client, reverse("registry:household_create"), data, method="post", data={
        "region": "", "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-name": "",
        "form-0-id_number": "123", "form-0-relation": "head"})
    walk(client, reverse("registry:household_edit", args=[household.pk]), data, method="post", data={"hukou_type": "x"})
    walk(client, reverse("registry:person_add", args=[household.pk]), data, method="post",
         data={"name": "", "id_number": "110101199003070000", "relation": "head", "sex": "X"})
    for kind in ("income", "asset", "expense", "classification"):
        walk(client, reverse("registry:item_add", args=[household.pk, kind]), data)
        walk(client, reverse("registry:item_add", args=[household.pk, kind]), data, method="post",
             data={"kind": "", "monthly_amount": "abc", "value": "-1", "valid_from": "2025-13-01", "valid_to": "2024-01-01"})
    for name in ("household_split", "household_change_head", "household_merge"):
        walk(client, reverse(f"registry:{name}", args=[household.pk]), data)
        walk(client, reverse(f"registry:{name}", args=[household.pk]), data, method="post", data={"source": "nope"})


@pytest.mark.parametrize("file", [
    None,
    SimpleUploadedFile("名单.docx", b"x"),
    SimpleUploadedFile("空.csv", b""),
    SimpleUploadedFile("坏.xlsx", b"not a workbook"),
    SimpleUploadedFile("少列.csv", "户编号,姓名,与户主关系\n1,张三,户主\n".encode()),
], ids=["none", "docx", "empty", "broken", "columns"])
def test_survey_import_with_a_bad_file(client, users, file):
    client.force_login(users["village_a"])
    data = data_strings(TYPED, HEADERS, ["张三", "户主"])
    walk(client, reverse("registry:survey_import"), data)
    walk(client, reverse("registry:survey_import"), data, method="post",
         data={"mode": "all_or_nothing", "action": "dry_run"} | ({"file": file} if file else {}))


def test_survey_import_with_bad_rows(client, users, two_villages):
    client.force_login(users["village_a"])
    rows = [
        ["1", "340102001001", "赵一", "户主", "123456789012345678"],
        ["1", "340102009009", "钱二", "配偶", ""],
        ["2", "340102002001", "孙三", "某地", "340102198005170011"],
    ]
    header = ",".join(["户编号", "村（社区）代码", "姓名", "与户主关系", "身份证号码", "在校", "月收入（元）"])
    body = "\n".join([header, *[",".join(r + ["也许", "abc"]) for r in rows]])
    file = SimpleUploadedFile("摸底.csv", ("\ufeff" + body).encode())
    data = data_strings(TYPED, HEADERS)
    walk(client, reverse("registry:survey_import"), data, method="post",
         data={"file": file, "mode": "good_rows", "action": "dry_run"})


# ----------------------------------------------------------------------------- policy


def test_parameter_pages(client, users, two_villages):
    client.force_login(users["admin"])
    # the value form's input holds the stored value for editing, grade labels included: data there
    grades = [g["label"] for spec in current.current_parameter_set().values["temporary_grades"] for g in spec.value]
    data = data_strings(TYPED)
    walk(client, reverse("policy:parameters"), data)
    walk(client, reverse("policy:parameters"), data, data={"on": "bad", "region": "99"})
    for name in ("dibao_standard_rural", "temporary_grades", "income_kinds_exempt", "rounding_household_amount"):
        try:
            url = reverse("policy:parameter_detail", args=[name])
        except Exception:  # pragma: no cover
            continue
        response = client.get(url, **EN)
        if response.status_code == 404:
            continue
        walk(client, url, data)
        walk(client, reverse("policy:parameter_value_create", args=[name]), data | set(grades))
        walk(client, reverse("policy:parameter_value_create", args=[name]), data | set(grades), method="post",
             data={"region": "", "valid_from": "2020-02-30", "value": "abc", "citation_document": ""})
    walk(client, reverse("policy:parameter_range", args=["dibao_standard_rural"]), data, status=None,
         data={"region": "340100000000", "value": "abc"})


def test_simulation_page(client, users, two_villages):
    client.force_login(users["county"])
    data = data_strings(TYPED)
    url = reverse("policy:simulate")
    walk(client, url, data)
    walk(client, url, data, method="post", data={"region": "340102000000", "on": ON, "p_dibao_standard_rural": "abc",
                                                  "p_near_dibao_factor": "2"})
    walk(client, url, data, method="post", data={"region": "340103000000", "on": "x"})


# ----------------------------------------------------------------------------- API


def test_api_errors(client, users, two_villages):
    data = data_strings(TYPED)
    walk(client, "/api/households", data, status=401)
    client.force_login(users["village_a"])
    walk(client, "/api/households", data, data={"status": "nonsense", "before": "x"}, status=None)
    walk(client, f"/api/households/{two_villages[1].pk}", data, status=404)
    walk(client, "/api/households", data, method="post", content_type="application/json", status=422,
         data=json.dumps({"village": "340102002001", "members": [{"name": "", "id_number": "1", "relation": "x"}]}))
    walk(client, "/api/households", data, method="post", content_type="application/json", status=None, data="{")
    client.force_login(users["partner"])
    walk(client, "/api/households", data, method="post", content_type="application/json", status=403,
         data=json.dumps({"village": "340102001001", "members": []}))


def test_api_assess_errors_and_reasons(client, users):
    client.force_login(users["county"])
    # the special groups' codes in the answer are their Chinese names (老/弱/病/残): codes, like "dibao"
    data = data_strings(TYPED, ["老", "弱", "病", "残"])
    post = dict(method="post", content_type="application/json")
    walk(client, "/api/assess", data, **post, status=422, data="{")
    walk(client, "/api/assess", data, **post, status=422, data=json.dumps([]))
    walk(client, "/api/assess", data, **post, status=422, data=json.dumps({"households": [], "x": 1}))
    walk(client, "/api/assess", data, **post, status=422, data=json.dumps({"on": "x", "households": [{}]}))
    walk(client, "/api/assess", data, **post, status=422, data=json.dumps([{
        "region_code": "34", "hukou_type": "moon", "local_hukou": "yes", "members": [
            {"birth_date": "1980-02-30", "sex": "X", "disability": {"grade": 7}, "bogus": 1},
            {"id": 1, "birth_date": "1990-01-01"}, {"id": 1}],
        "incomes": [{"kind": "lottery", "monthly_amount": "-1", "member": 9}], "assets": {}, "emergency": {"event": "flood"}}]))
    walk(client, "/api/assess?on=1999-01-01", data, **post, status=422, data=json.dumps(
        {"region_code": "340102001001", "members": [{"birth_date": "1980-01-01"}]}))
    answer = walk(client, f"/api/assess?on={ON}", data, **post, data=json.dumps({
        "region_code": "340102001001", "hukou_type": "rural",
        "emergency": {"event": "fire", "date": "2025-07-20", "loss": "3000"},
        "members": [{"birth_date": "1980-01-01", "relation": "head", "labor_capacity": "full"},
                    {"birth_date": "1940-01-01", "relation": "parent", "labor_capacity": "none",
                     "disability": {"type": "mental", "grade": 3}}],
        "incomes": [{"kind": "wage", "monthly_amount": "500"}],
        "expenses": [{"kind": "medical", "monthly_amount": "2000"}],
        "assets": [{"kind": "deposit", "value": "900000"}]}))
    assert json.loads(answer)["reasons"], "the engine gave reasons"

"""A small hand-made registry for the matching tests: households in village A and village B,
some receiving dibao or tekun (registry Classification), and helpers that write a list as csv."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bangfu_testing.factories import make_id_number

TODAY = dt.date(2025, 6, 30)


def csv_bytes(header: list[str], rows: list[list], encoding: str = "utf-8") -> io.BytesIO:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    data = io.BytesIO(buffer.getvalue().encode(encoding))
    data.name = "list.csv"
    return data


@pytest.fixture
def people(users, regions):
    """张伟 (dibao household, village A), 李娜 his wife; 王芳 (tekun, village B); 赵强 (no benefit,
    village A, mentally ill without certificate); 孙丽 (village A, certificate grade 2 physical);
    a child 周小明 (age 12, village A)."""
    from bangfu.registry.services import household_create, item_add

    w_a, w_b = users["village_a"], users["village_b"]
    ids = {
        "zhang": make_id_number(birth=dt.date(1970, 3, 4), sex="M", seq=11),
        "li": make_id_number(birth=dt.date(1972, 8, 9), sex="F", seq=12),
        "wang": make_id_number(birth=dt.date(1950, 1, 2), sex="F", seq=13),
        "zhao": make_id_number(birth=dt.date(1985, 11, 30), sex="M", seq=14),
        "sun": make_id_number(birth=dt.date(1990, 2, 14), sex="F", seq=15),
        "zhou": make_id_number(birth=dt.date(2013, 1, 20), sex="M", seq=16),
    }
    h1 = household_create(acting_user=w_a, region_id=regions["village_a"].pk, address="胜利路1号", members=[
        {"name": "张伟", "relation": "head", "id_number": ids["zhang"]},
        {"name": "李娜", "relation": "spouse", "id_number": ids["li"]},
    ])
    item_add(acting_user=w_a, household_id=h1.pk, kind="classification",
             data={"kind": "category", "code": "dibao", "monthly_amount_fen": 60000, "start_date": dt.date(2020, 1, 1)})
    h2 = household_create(acting_user=w_b, region_id=regions["village_b"].pk, address="大兴村3组", members=[
        {"name": "王芳", "relation": "head", "id_number": ids["wang"]},
    ])
    item_add(acting_user=w_b, household_id=h2.pk, kind="classification",
             data={"kind": "category", "code": "tekun", "start_date": dt.date(2019, 5, 1)})
    h3 = household_create(acting_user=w_a, region_id=regions["village_a"].pk, address="胜利路9号", members=[
        {"name": "赵强", "relation": "head", "id_number": ids["zhao"], "has_mental_disorder": True},
        {"name": "孙丽", "relation": "spouse", "id_number": ids["sun"], "disability_type": "physical", "disability_grade": 2,
         "disability_cert_number": ids["sun"] + "42", "disability_issue_date": dt.date(2018, 3, 1), "disability_last_check": dt.date(2024, 12, 1)},
        {"name": "周小明", "relation": "child", "id_number": ids["zhou"]},
    ])
    from bangfu.registry.models import Person

    persons = {key: Person.objects.get(id_number=number) for key, number in ids.items()}
    return {"ids": ids, "persons": persons, "households": {"dibao": h1, "tekun": h2, "none": h3}}

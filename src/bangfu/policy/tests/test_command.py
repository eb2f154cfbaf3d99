"""`bangfu assess FILE.json --on DATE` prints the determination (issue 3 "Interfaces")."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_assess_command(tmp_path):
    doc = {"id": "H1", "region_code": "410101001001", "hukou_type": "rural",
           "members": [{"birth_date": "1980-01-01"}, {"birth_date": "1982-01-01"}],
           "incomes": [{"member": 1, "kind": "wage", "monthly_amount": "840.00"}]}
    path = tmp_path / "h.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("assess", str(path), "--on", "2025-08-01", stdout=out)
    result = json.loads(out.getvalue())
    # national default 650.00 (shipped): 840 / 2 = 420 < 650 → (650 × 2 − 840) = 460.00
    assert result["id"] == "H1" and result["dibao_amount_fen"] == 46000
    assert result["reasons"][0]["text"].startswith("家庭月人均收入 420.00 元，低于当地农村低保标准 650.00 元（农村低保标准，自 2025-01-01 起")


@pytest.mark.django_db
def test_assess_command_errors(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"region_code": "1", "members": [{"birth_date": "1980-01-01"}]}]', encoding="utf-8")
    with pytest.raises(CommandError, match="区划代码“1”应为 12 位数字"):
        call_command("assess", str(path), "--on", "2025-08-01", stdout=StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("assess", str(path), "--on", "2025/08/01", stdout=StringIO())

"""ParameterValue rows (with history) merged over the YAML defaults."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.policy.models import ParameterValue
from bangfu.policy.parameters import ParameterError
from bangfu.policy.selectors import parameter_set
from bangfu.policy.services import parameter_value_create

ON = dt.date(2025, 8, 1)


@pytest.mark.django_db
def test_county_value_overrides_city_from_its_date(users):
    # given 滁州市 ships 730.00 rural from 2025-07-01
    admin = users["admin"]
    # when the administrator sets 来安县 (341122) to 760.00 from 2025-09-01
    row = parameter_value_create(acting_user=admin, name="dibao_standard_rural", region_code="341122",
                                 valid_from=dt.date(2025, 9, 1), valid_to=None, value="760.00",
                                 citation_document="来安县民政局文件", citation_article="第二条")
    # then
    assert row.region_code == "341122000000" and row.value == "760.00"
    ps = parameter_set()
    assert ps.value("dibao_standard_rural", "341122100201", ON) == 73000
    assert ps.value("dibao_standard_rural", "341122100201", dt.date(2025, 9, 1)) == 76000
    assert ps.value("dibao_standard_rural", "341103000000", dt.date(2025, 9, 1)) == 73000
    assert row.history.count() == 1 and row.history.first().history_user == admin


@pytest.mark.django_db
def test_overlapping_rows_refused(users):
    kwargs = dict(acting_user=users["admin"], name="dibao_standard_rural", region_code="341122", valid_to=None,
                  value="760.00", citation_document="文件")
    parameter_value_create(valid_from=dt.date(2025, 9, 1), **kwargs)
    with pytest.raises(ParameterError, match="重叠"):
        parameter_value_create(valid_from=dt.date(2025, 10, 1), **kwargs)
    assert ParameterValue.objects.count() == 1


@pytest.mark.django_db
def test_bad_value_refused(users):
    with pytest.raises(ParameterError, match="最多保留两位小数"):
        parameter_value_create(acting_user=users["admin"], name="dibao_standard_rural", region_code="341122",
                               valid_from=ON, valid_to=None, value="7.001", citation_document="文件")
    with pytest.raises(ParameterError, match="未知参数"):
        parameter_value_create(acting_user=users["admin"], name="nope", region_code="341122",
                               valid_from=ON, valid_to=None, value="7", citation_document="文件")

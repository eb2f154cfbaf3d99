"""Factories for tests and the benchmarks: a small region tree, users per role, households.

ID numbers are generated valid for the region (GB 11643 check digit)."""

from __future__ import annotations

import datetime as dt
import itertools
from contextlib import contextmanager

from bangfu.accounts.choices import Role
from bangfu.accounts.models import User
from bangfu.common.idnumber import check_char
from bangfu.regions.choices import Level
from bangfu.regions.models import Region

_seq = itertools.count(1)


def make_id_number(*, area: str = "340102", birth: dt.date = dt.date(1980, 5, 17), sex: str = "M", seq: int | None = None) -> str:
    seq = next(_seq) % 500 if seq is None else seq
    order = seq * 2 + (1 if sex == "M" else 0)
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)


def region(code: str, name: str, parent: Region | None = None) -> Region:
    from bangfu.regions.codes import RegionCode

    code12 = RegionCode.parse(code)
    obj, _ = Region.objects.get_or_create(code=code12.code, defaults={"name": name, "level": code12.level, "parent": parent, "full_name": ((parent.full_name if parent else "") + name)})
    return obj


def region_tree() -> dict[str, Region]:
    """安徽省 / 合肥市 / 瑶海区 / two townships / three villages."""
    p = region("340000", "安徽省")
    ci = region("340100", "合肥市", p)
    co = region("340102", "瑶海区", ci)
    t1 = region("340102001", "明光路街道", co)
    t2 = region("340102002", "大兴镇", co)
    return {
        "province": p, "city": ci, "county": co, "township_a": t1, "township_b": t2,
        "village_a": region("340102001001", "胜利社区", t1),
        "village_a2": region("340102001002", "长淮社区", t1),
        "village_b": region("340102002001", "大兴村", t2),
    }


def make_user(username: str, role: str, reg: Region, *, password: str = "bangfu-test-pass") -> User:
    user = User.objects.create_user(username=username, password=password, role=role, region=reg)
    user.raw_password = password
    return user


def person_data(name: str, relation: str = "head", **extra) -> dict:
    data = {"name": name, "relation": relation, "id_number": make_id_number(birth=extra.pop("birth", dt.date(1980, 5, 17)), sex=extra.pop("sex", "M"))}
    data.update(extra)
    return data


__all__ = ["Role", "Level", "make_id_number", "region", "region_tree", "make_user", "person_data"]


@contextmanager
def failing_receiver(signal):
    """Connect, for the `with` block, a receiver of `signal` (after every app's own) that raises
    RuntimeError: a test of what a failure in any receiver leaves behind."""

    def fail(sender, **kwargs):
        raise RuntimeError("receiver failed")

    signal.connect(fail, dispatch_uid="bangfu_testing.failing_receiver")
    try:
        yield
    finally:
        signal.disconnect(dispatch_uid="bangfu_testing.failing_receiver")

"""Two counties of one city (来安县 341122 and 全椒县 341124, as in the demo) for the tests that
prove a list or an export of one county never carries the other's rows (issue 17)."""

from __future__ import annotations

from bangfu.regions.models import Region

from .factories import make_user, region


def two_counties() -> dict[str, Region]:
    p = region("340000", "安徽省")
    ci = region("341100", "滁州市", p)
    laian = region("341122", "来安县", ci)
    quanjiao = region("341124", "全椒县", ci)
    xinan = region("341122001", "新安镇", laian)
    banta = region("341122002", "半塔镇", laian)
    xianghe = region("341124001", "襄河镇", quanjiao)
    return {
        "province": p, "city": ci, "laian": laian, "quanjiao": quanjiao,
        "xinan": xinan, "banta": banta, "xianghe": xianghe,
        "xinan_v1": region("341122001001", "城东社区", xinan),
        "xinan_v2": region("341122001002", "五里墩村", xinan),
        "banta_v1": region("341122002001", "半塔村", banta),
        "xianghe_v1": region("341124001001", "襄河社区", xianghe),
    }


def county_users(regions: dict[str, Region], role: str) -> dict[str, object]:
    """One account of `role` in each county."""
    return {"laian": make_user(f"{role}_laian", role, regions["laian"]),
            "quanjiao": make_user(f"{role}_quanjiao", role, regions["quanjiao"])}

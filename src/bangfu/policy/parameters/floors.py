"""The tekun basic living standard's floor (国发〔2016〕14号 二、（三）: not lower than 1.3 × the local
dibao standard), computed one way everywhere — engine, parameter validation, pages — and the check
that refuses a parameter set holding a basic standard below it. Imports nothing of this package
but codec, so that core can call the check without an import cycle."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TEKUN_KINDS = ("urban", "rural")
PPM = 1_000_000


def tekun_basic_floor_fen(dibao_standard_fen: int, factor) -> int:
    """ceil(factor × dibao standard) to the yuan, in fen, with the factor as integer parts per
    million (as the engine carries ratios): 1.3 × 730.00 = 949.00 元 → 94900; 1.3 × 655.00 =
    851.50 → 85200."""
    ppm = int((Decimal(factor) * PPM).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    unit = PPM * 100
    return (dibao_standard_fen * ppm + unit - 1) // unit * 100


def check_tekun_basic_standards(ps, region_label) -> None:
    """Refuse an explicit tekun basic living standard below the floor on any region carrying
    values and on any day a value of the three parameters starts or ends (the resolution is
    constant between those days, so checking them checks every day). `ps` is a ParameterSet;
    raises ParameterError naming the parameter, the region and the day."""
    from bangfu.common.texts import _

    from .codec import ParameterError, display_value

    for kind in TEKUN_KINDS:
        basic, standard = f"tekun_basic_standard_{kind}", f"dibao_standard_{kind}"
        names = (basic, standard, "tekun_basic_factor")
        if not all(n in ps.definitions for n in names) or all(s.value is None for s in ps.values[basic]):
            continue
        regions = sorted({s.region for n in names for s in ps.values[n]}, key=lambda r: (len(r), r))
        days = sorted({d for n in names for s in ps.values[n] for d in (s.valid_from, s.valid_to) if d is not None})
        for region in regions:
            for day in days:
                try:
                    value = ps.resolve(basic, region or "CN", day)
                    if value.value is None:
                        continue
                    std = ps.value(standard, region or "CN", day)
                    factor = ps.value("tekun_basic_factor", region or "CN", day)
                except ParameterError:
                    continue  # nothing in force that day: nothing to compare
                floor = tekun_basic_floor_fen(std, factor)
                if value.value < floor:
                    raise ParameterError(_(
                        "参数 %(name)s（%(region)s）：%(day)s 的特困人员基本生活标准 %(value)s 低于当时低保标准 %(standard)s 的 "
                        "%(factor)s 倍（%(floor)s），不符合《国务院关于进一步健全特困人员救助供养制度的意见》（国发〔2016〕14号）"
                        "二、（三）") % {
                        "name": basic, "region": region_label(value.region), "day": day.isoformat(),
                        "value": display_value("money", value.value), "standard": display_value("money", std),
                        "factor": f"{factor.normalize():f}", "floor": display_value("money", floor)})

"""Money is integer fen in the database and in the engine; yuan appear only at the edges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from bangfu.common.texts import _


# No amount the system handles comes near 10⁹ yuan (a household's assets, a county's payments for
# a month); a larger number is a typing slip or an attack, and beyond 2⁶³ fen it breaks the engine's
# integer columns and the database (issue 13).
MAX_YUAN = 1_000_000_000
MAX_FEN = MAX_YUAN * 100


class InvalidAmount(ValueError):
    pass


def too_large(fen: int) -> str | None:
    """The message for an amount in fen above MAX_FEN, or None."""
    if fen > MAX_FEN:
        return _("金额过大：不能超过 %(max)s 元") % {"max": f"{MAX_YUAN:,}"}
    return None


def yuan_to_fen(value: str | int | Decimal | None) -> int | None:
    """Parse a yuan amount ("1234.5", "1,234.50", 12) to fen. Refuses more than two decimals."""
    if value is None:
        return None
    text = str(value).strip().replace(",", "").replace("，", "").replace("元", "")
    if text == "":
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InvalidAmount(_("金额“%(value)s”不是数字") % {"value": value}) from None
    if not amount.is_finite():
        raise InvalidAmount(_("金额“%(value)s”不是数字") % {"value": value})
    if amount < 0:
        raise InvalidAmount(_("金额“%(value)s”不能为负数") % {"value": value})
    if amount > MAX_YUAN:  # before any arithmetic: "1e999999" is a finite Decimal
        raise InvalidAmount(_("金额“%(value)s”过大：不能超过 %(max)s 元") % {"value": str(value)[:24], "max": f"{MAX_YUAN:,}"})
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise InvalidAmount(_("金额“%(value)s”最多保留两位小数") % {"value": value})
    return int(fen)


def fen_to_yuan(fen: int | None) -> Decimal | None:
    if fen is None:
        return None
    return (Decimal(fen) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_yuan(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{fen_to_yuan(fen):,.2f}"

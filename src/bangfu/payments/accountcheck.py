"""Account number check used until the bank helper's `cards` module is merged: digits only,
16–19 long (the length of bank cards under GB/T 14917 / ISO/IEC 7812)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def normalise_account(text: str) -> str:
    return "".join(ch for ch in (text or "") if not ch.isspace() and ch != "-")


def account_problem(number: str, scheme: str = "bank_card") -> str | None:
    if not number:
        return _("请填写账号")
    if not number.isdigit():
        return _("账号只能包含数字")
    if not 16 <= len(number) <= 19:
        return _("银行卡号应为16至19位数字，现为%(n)s位") % {"n": len(number)}
    return None

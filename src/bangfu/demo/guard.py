"""When `bangfu demo-setup` may run (issue 13 "Passwords and accounts").

demo-setup resets `admin` and every demo login to the password printed in the README. On a real
database that would hand the administrator's account to anyone who has read the README, so it
runs only in debug mode (BANGFU_DEBUG=1, as `make demo` sets) and only on a database whose every
account was made by demo-setup itself (`User.is_demo`); `--force` overrides both, on purpose."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError


def demo_setup_refusal(*, force: bool) -> str:
    """Why demo-setup must not run on this database ("" when it may)."""
    if force:
        return ""
    if not settings.DEBUG:
        return ("演示数据只能在调试模式（BANGFU_DEBUG=1）下载入：它会把 admin 和各演示账号的密码重置为公开的演示密码。"
                "确需在此数据库载入，请加 --force。")
    from bangfu.accounts.models import User

    others = list(User.objects.filter(is_demo=False).order_by("username").values_list("username", flat=True)[:5])
    if others:
        return ("该数据库已有不是演示程序建立的账号（%s等），可能是正式数据：演示程序会把 admin 和各演示账号的密码重置为公开的演示密码。"
                "请换一个空数据库；确需在此数据库载入，请加 --force。") % "、".join(others)
    return ""


def check_demo_setup_allowed(*, force: bool) -> None:
    reason = demo_setup_refusal(force=force)
    if reason:
        raise CommandError(reason)

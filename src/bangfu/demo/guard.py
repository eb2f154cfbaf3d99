"""When `bangfu demo-setup` may run (issue 13 "Passwords and accounts").

demo-setup resets `admin` and every demo login to the password printed in the README. On a real
database that would hand the administrator's account to anyone who has read the README, so it
runs only in debug mode (BANGFU_DEBUG=1, as `make demo` sets) and only on a database whose every
account was made by demo-setup itself (`User.is_demo`) or already has the published password (a
demo database made before the flag existed: resetting those takes nothing from anyone); `--force`
overrides both, on purpose."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError


def demo_setup_refusal(*, force: bool, demo_password: str) -> str:
    """Why demo-setup must not run on this database ("" when it may)."""
    if force:
        return ""
    if not settings.DEBUG:
        return ("演示数据只能在调试模式（BANGFU_DEBUG=1）下载入：它会把 admin 和各演示账号的密码重置为公开的演示密码。"
                "确需在此数据库载入，请加 --force。")
    others = _accounts_demo_setup_would_take_over(demo_password)
    if others:
        return ("该数据库已有不是演示程序建立的账号（%s等），可能是正式数据：演示程序会把 admin 和各演示账号的密码重置为公开的演示密码。"
                "请换一个空数据库；确需在此数据库载入，请加 --force。") % "、".join(others)
    return ""


def check_demo_setup_allowed(*, force: bool, demo_password: str) -> None:
    reason = demo_setup_refusal(force=force, demo_password=demo_password)
    if reason:
        raise CommandError(reason)


def _accounts_demo_setup_would_take_over(demo_password: str, limit: int = 5) -> list[str]:
    """Usernames of accounts that are not demo accounts: neither made by demo-setup nor holding the
    published password. Stops at `limit` (a real database answers at its first account)."""
    from bangfu.accounts.models import User

    found = []
    for user in User.objects.filter(is_demo=False).order_by("username").iterator():
        if not user.check_password(demo_password):
            found.append(user.username)
            if len(found) >= limit:
                break
    return found

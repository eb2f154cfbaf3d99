"""One permission vocabulary (issue 11): which role may take which action. Row-level scope is in
access.py.

Each app declares its own actions, and the roles that hold them, in one literal table
`ACTIONS` in `bangfu/<app>/permissions.py`. This module collects those tables when Django starts
(`AccountsConfig.ready()` imports each installed app's `permissions` module by name, so accounts
never imports an app above it) and exports the one way to ask and the two ways to refuse:

- `has_perm(user, action)`: a yes/no for templates and conditional links;
- `require_perm(action)`: the view decorator (login, then 403 when the role lacks the action);
- `check_perm(user, action)`: the service-level check, raising `NotPermitted` (a PermissionDenied,
  which the pages answer with 403 and the API with 403 too).

An action no table declares is an error (typo protection): at collection for names a view
decorator was given, at the call for the others; two apps may not declare the same action.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext_lazy as _

from bangfu.common.errors import CommonErrorCode, DomainError

from .choices import Role

# accounts' own actions.
MANAGE_REGIONS = "manage_regions"
VIEW_AUDIT = "view_audit"

ACTIONS: dict[str, frozenset[str]] = {
    # Maintain the region tree and the administrative lists that hang off it (e.g. rescue stations).
    MANAGE_REGIONS: frozenset({Role.ADMIN}),
    # Read the access log (who saw or exported whose data).
    VIEW_AUDIT: frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.AUDITOR, Role.ADMIN}),
}


class NotPermitted(DomainError, PermissionDenied):
    """A service refused an action the acting user's role does not hold: a domain error with the
    code `forbidden` (the API answers 403 in the one error schema) and a PermissionDenied (a page
    that does not catch it answers 403)."""

    default_code = CommonErrorCode.FORBIDDEN

    def __init__(self, message=None) -> None:
        super().__init__(str(message or _("您没有执行此操作的权限")))


class UnknownAction(ImproperlyConfigured, LookupError):
    """An action name no app declares (a typo), or an ill-formed table."""


# action → roles, and action → the app that declared it; filled by collect().
_TABLE: dict[str, frozenset[str]] = {}
_OWNER: dict[str, str] = {}
_collected = False
_pending: set[str] = set()  # names given to require_perm before collection, checked at collect()


def register(app_label: str, actions: dict[str, frozenset[str] | set[str]]) -> None:
    """Add one app's table. Every role must be a Role; an action may be declared by one app only."""
    roles = set(Role.values)
    for action, holders in actions.items():
        if not isinstance(action, str) or not action:
            raise UnknownAction(f"{app_label}: action names are non-empty strings, not {action!r}")
        owner = _OWNER.get(action)
        if owner is not None and owner != app_label:
            raise UnknownAction(f"action {action!r} is declared by both {owner} and {app_label}")
        unknown = set(holders) - roles
        if unknown:
            raise UnknownAction(f"{app_label}: action {action!r} names unknown roles {sorted(unknown)}")
        _TABLE[action] = frozenset(holders)
        _OWNER[action] = app_label


def collect() -> None:
    """Import `<app>.permissions` of every installed app and register its `ACTIONS` table."""
    global _collected
    if _collected:
        return
    from django.apps import apps

    _TABLE.clear()
    _OWNER.clear()
    for config in apps.get_app_configs():
        name = f"{config.name}.permissions"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        table = getattr(module, "ACTIONS", None)
        if table is not None:
            register(config.label, table)
    _collected = True
    unknown = _pending - set(_TABLE)
    _pending.clear()
    if unknown:
        raise UnknownAction(f"require_perm names actions no app declares: {sorted(unknown)}")


def table() -> dict[str, frozenset[str]]:
    """The collected action → roles table (a copy)."""
    collect()
    return dict(_TABLE)


def app_actions(app_label: str) -> dict[str, frozenset[str]]:
    """The actions one app declared (the generated per-app tests read this)."""
    collect()
    return {a: roles for a, roles in _TABLE.items() if _OWNER[a] == app_label}


def roles_with(action: str) -> frozenset[str]:
    collect()
    try:
        return _TABLE[action]
    except KeyError:
        raise UnknownAction(f"no app declares the action {action!r}") from None


def has_perm(user, action: str) -> bool:
    holders = roles_with(action)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in holders


def check_perm(user, action: str, message=None) -> None:
    """The service-level check: raise NotPermitted unless the user's role holds `action`."""
    if not has_perm(user, action):
        raise NotPermitted(message)


def require_perm(action: str, message=None) -> Callable:
    """The view decorator: login required, then 403 (PermissionDenied) without the action."""
    from django.contrib.auth.decorators import login_required

    if _collected:
        roles_with(action)
    else:
        _pending.add(action)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            check_perm(request.user, action, message)
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator

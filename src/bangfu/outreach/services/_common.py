"""What the outreach services share: the refused-write error, the history stamp and a region of the
acting user's subtree."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from bangfu.accounts.access import in_scope
from bangfu.common.errors import DomainError
from bangfu.regions.models import Region

from ..error_codes import OutreachErrorCode


class OutreachError(DomainError):
    """A refused write; `errors` maps a field (or "__all__") to Chinese messages."""

    default_code = OutreachErrorCode.INVALID

    def __init__(self, errors: dict[str, list[str]] | str, *, code=None):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        super().__init__(errors, code=code, text="; ".join(" ".join(v) for v in errors.values()))


def _stamp(obj, user) -> None:
    obj._history_user = user


def _save(obj, user, **kwargs) -> None:
    _stamp(obj, user)
    obj.save(**kwargs)


def _region(user, region_id, *, levels: Iterable[int] | None = None, field: str = "region") -> Region:
    try:
        region = Region.objects.get(pk=region_id)
    except (Region.DoesNotExist, ValueError, TypeError):
        raise OutreachError({field: [_("请选择区划")]}) from None
    if not in_scope(user, region.code) or (levels is not None and region.level not in levels):
        raise OutreachError({field: [_("请选择本辖区内的区划")]})
    return region

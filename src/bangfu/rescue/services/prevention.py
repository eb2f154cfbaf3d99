"""Source prevention (R23): the home region's register of people prone to wandering, and follow-ups."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.accounts.access import access_by_id, in_scope

from .. import permissions
from .. import choices as c
from .. import rules
from ..errors import RescueError
from ..models import FollowUp, PreventionEntry
from ._common import _identity, _region_code, _registry_person, _stamp


# ----------------------------------------------------------------------------- source prevention (R23)


@transaction.atomic
def prevention_entry_create(*, acting_user, region_code: str, category: str, name: str, id_number: str = "", address: str = "",
                            phone: str = "", first_due: dt.date | None = None) -> PreventionEntry:
    """Add a person prone to wandering to the home region's register (R23)."""
    check_perm(acting_user, permissions.RESCUE_FOLLOW_UP)
    errors: dict[str, list[str]] = {}
    try:
        code = _region_code(region_code, "region_code")
    except RescueError as exc:
        errors.update(exc.errors)
        code = ""
    if code and not in_scope(acting_user, code):
        errors["region_code"] = [_("只能登记本辖区的人员")]
    if category not in c.PreventionCategory.values:
        errors["category"] = [_("请选择类别")]
    if not name.strip():
        errors["name"] = [_("请填写姓名")]
    number = ""
    if id_number.strip():
        try:
            number = _identity(id_number)[0]
        except RescueError as exc:
            errors.update(exc.errors)
    if errors:
        raise RescueError(errors)
    today = timezone.localdate()
    entry = PreventionEntry(region_code=code, category=category, name=name.strip(), id_number=number, address=address, phone=phone,
                            person=_registry_person(number) if number else None,
                            interval_days=rules.value("follow_up_interval_days", today),
                            next_due=first_due or today + dt.timedelta(days=rules.value("first_follow_up_days", today)))
    _stamp(entry, acting_user).save()
    return entry


@transaction.atomic
def follow_up_record(*, acting_user, entry_id: int, kind: str, done_on: dt.date, note: str) -> FollowUp:
    """A visit or call (R23); the next one falls due one interval later."""
    check_perm(acting_user, permissions.RESCUE_FOLLOW_UP)
    entry = access_by_id(acting_user, PreventionEntry.objects.select_for_update(), entry_id)
    errors = {}
    if kind not in c.FollowUpKind.values:
        errors["kind"] = [_("请选择回访方式")]
    if done_on > timezone.localdate():
        errors["done_on"] = [_("回访日期不能晚于今天")]
    if not note.strip():
        errors["note"] = [_("请填写回访情况")]
    if errors:
        raise RescueError(errors)
    follow_up = FollowUp.objects.create(entry=entry, region_code=entry.region_code, kind=kind, done_on=done_on, note=note.strip(),
                                        recorded_by=acting_user)
    entry.next_due = done_on + dt.timedelta(days=entry.interval_days)
    _stamp(entry, acting_user).save()
    return follow_up

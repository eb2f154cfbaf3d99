"""A household's audit trail (issue 2 §7): every recorded change to the household, its members and
its rows, with who, when, and the old and new value of each field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.common.idnumber import mask_id_number

from .models import Asset, Classification, Household, IncomeItem, Person, RigidExpense, Supporter

SKIP_FIELDS = {"updated_at", "created_at", "region_code"}
TRACKED = (
    (Household, gettext_lazy("家庭")), (Person, gettext_lazy("成员")), (IncomeItem, gettext_lazy("收入")),
    (Asset, gettext_lazy("财产")), (RigidExpense, gettext_lazy("刚性支出")), (Classification, gettext_lazy("类别/原因")),
    (Supporter, gettext_lazy("户外法定义务人")),
)
TYPE_LABELS = {"+": gettext_lazy("新增"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}


@dataclass(frozen=True)
class Change:
    at: datetime
    user: str
    object_label: str
    object_name: str
    action: str
    changes: list[tuple[str, str, str]]  # (field label, old, new)


def _display(model, field_name: str, value) -> str:
    if value in (None, ""):
        return "—"
    field = model._meta.get_field(field_name)
    if field.is_relation:
        # "户主：张伟 → 李娜" reads better than the row numbers the history table stores.
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field_name == "id_number":
        return mask_id_number(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field_name.endswith("_fen"):
        return _("%(amount)s 元") % {"amount": f"{value / 100:.2f}"}
    return str(value)


def _object_name(model, record) -> str:
    if model is Classification:
        return record.instance.label
    if model is Supporter:
        return record.name
    if hasattr(record, "get_kind_display"):
        return record.get_kind_display()
    return getattr(record, "name", "")


def household_history(household: Household, *, limit: int = 200) -> list[Change]:
    entries: list[Change] = []
    for model, label in TRACKED:
        rows = model.history.filter(id=household.pk) if model is Household else model.history.filter(household_id=household.pk)
        if model is Person:
            # a member who left by split or merge still shows their past changes
            rows = model.history.filter(id__in=household.memberships.values("person_id"))
        rows = list(rows.select_related("history_user").order_by("-history_date")[:limit])
        previous_by_id: dict = {}
        for record in sorted(rows, key=lambda r: r.history_date):
            prev = previous_by_id.get(record.id)
            if prev is None and record.history_type == "~":
                prev = record.prev_record
            changes: list[tuple[str, str, str]] = []
            if prev is not None and record.history_type == "~":
                delta = record.diff_against(prev)
                for ch in delta.changes:
                    if ch.field in SKIP_FIELDS:
                        continue
                    f = model._meta.get_field(ch.field)
                    changes.append((str(f.verbose_name), _display(model, ch.field, ch.old), _display(model, ch.field, ch.new)))
                if not changes:
                    previous_by_id[record.id] = record
                    continue
            previous_by_id[record.id] = record
            name = _object_name(model, record)
            entries.append(Change(
                at=record.history_date,
                user=str(record.history_user) if record.history_user else _("系统"),
                object_label=str(label),
                object_name=name,
                action=str(TYPE_LABELS.get(record.history_type, record.history_type)),
                changes=changes,
            ))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]

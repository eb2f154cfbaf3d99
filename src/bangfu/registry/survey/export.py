"""Export households to the survey sheet layout (R3), so that an export can be filled in and
imported again. The households come from registry.selectors.household_search, so an export sees
exactly what the household list shows the same viewer with the same filter.

ID numbers, phones and disability certificate numbers are masked unless the viewer may export full
numbers (accounts.permissions.EXPORT_FULL_ID); a masked export cannot be re-imported. Each export
leaves an AccessLog row with the number of rows.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
import xlsxwriter

from bangfu.accounts.permissions import check_perm, has_perm
from bangfu.common.idnumber import mask_id_number, mask_phone
from bangfu.common.models import AccessLog, log_access
from bangfu.common.progress import NullProgress, Progress
from bangfu.registry import choices as c
from bangfu.registry.models import Asset, Classification, Household, IncomeItem, Person, RigidExpense
from bangfu.registry.selectors import HouseholdFilter, household_search

from .. import permissions
from .cells import Count, Date, Money
from .columns import ASSET_COLUMNS, COLUMNS, EXPENSE_COLUMNS
from .plan import chunks, matching
from .workbook import Formats, add_notes_sheet, add_survey_sheet

MASKED = {"id_number": mask_id_number, "phone": mask_phone, "disability_cert_number": mask_id_number}
CHUNK = 2000


def can_export(user) -> bool:
    """Who may export at all (registry.permissions.EXPORT): workers, officers and auditors."""
    return has_perm(user, permissions.EXPORT)


def exports_full_numbers(user) -> bool:
    return has_perm(user, permissions.EXPORT_FULL_ID)


def survey_export(*, viewer, target, flt: HouseholdFilter | None = None, request=None, progress: Progress | None = None) -> int:
    """Write the households `viewer` may see that match `flt` to `target` (a path or a binary
    file object). Returns the number of person rows written."""
    check_perm(viewer, permissions.EXPORT, _("您没有导出摸底数据的权限"))
    flt = flt or HouseholdFilter()
    progress = progress or NullProgress()
    full = exports_full_numbers(viewer)
    ids = list(household_search(viewer, flt).order_by("region_code", "pk").values_list("pk", flat=True))
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True})
    formats = Formats(workbook)
    sheet = add_survey_sheet(workbook, formats)
    progress.start(len(ids), "导出（户）")
    cells = _cell_writers(sheet, formats, full=full)
    row = 0
    for batch in chunks(ids, CHUNK):
        for household, members, incomes, classes, assets, expenses in _load(batch):
            shared = {"household_key": str(household["id"]), "village_code": household["region_code"], "address": household["address"],
                      "hukou_type": household["hukou_type"], "housing_safety": household["housing_safety"],
                      "local_hukou": household["local_hukou"], "family_planning_two_daughters": household["family_planning_two_daughters"]}
            for person in members:
                row += 1
                values = person | shared
                if person["id"] == household["head_id"]:
                    values.update(classes)
                    values.update(assets)
                values.update(expenses.get(person["id"], {}))
                income = incomes.get(person["id"])
                if income is not None:
                    values["income_fen"], values["income_kind"] = income
                for index, name, fmt, write in cells:
                    value = values.get(name)
                    if value is not None and value != "":
                        value = fmt(value)
                        if value is not None and value != "":
                            write(row, index, value)
        progress.advance(len(batch))
    progress.finish()
    add_notes_sheet(workbook, formats)
    workbook.close()
    log_access(
        acting_user=viewer, action=AccessLog.Action.EXPORT, object_type="household",
        region_code=viewer.region.code if viewer.region_id else "",
        detail=f"摸底表导出 {row} 行（{len(ids)} 户），{'完整号码' if full else '号码已脱敏'}；筛选：{_describe(flt)}",
        request=request,
    )
    return row


def _describe(flt: HouseholdFilter) -> str:
    parts = [f"{name}={value}" for name, value in (("q", flt.q), ("village", flt.village), ("category", flt.category), ("status", flt.status)) if value]
    return "，".join(parts) or "无"


def _cell_writers(sheet, formats: Formats, *, full: bool) -> list:
    """For each column: its position, field, how a value becomes a cell (masked when the viewer may
    not export full numbers), and the XlsxWriter call that writes it."""
    writers = []
    for index, col in enumerate(COLUMNS):
        fmt = col.parser.format
        if not full and col.field in MASKED:
            fmt = (lambda f, m: lambda v: f(m(v)))(fmt, MASKED[col.field])
        if col.parser.text:
            write = sheet.write_string
        elif isinstance(col.parser, Date):
            write = (lambda r, i, v, f=formats.date: sheet.write_datetime(r, i, v, f))
        elif isinstance(col.parser, Money):
            write = (lambda r, i, v, f=formats.money: sheet.write_number(r, i, v, f))
        elif isinstance(col.parser, Count):
            write = sheet.write_number
        else:
            write = sheet.write_string
        writers.append((index, col.field, fmt, write))
    return writers


PERSON_COLUMNS = tuple(col.field for col in COLUMNS if col.field in {f.name for f in Person._meta.concrete_fields})


def _load(batch: list[int]):
    """The households of `batch` with their current members (head first), each member's first open
    income item (the sheet has one per person) and the household's open categories and causes."""
    households = {h["id"]: h for h in matching(Household.objects.values("id", "region_code", "address", "hukou_type", "housing_safety", "local_hukou",
                                                                         "family_planning_two_daughters", "head_id"), "pk", batch)}
    members: dict[int, list[dict]] = defaultdict(list)
    people = Person.objects.filter(status=c.PersonStatus.ACTIVE).order_by("pk").values("id", "household_id", *PERSON_COLUMNS)
    for person in matching(people, "household_id", batch):
        members[person["household_id"]].append(person)
    incomes: dict[int, tuple[int, str]] = {}
    open_incomes = IncomeItem.objects.filter(valid_to__isnull=True, person__isnull=False).order_by("pk").values_list("person_id", "monthly_amount_fen", "kind")
    for person_id, fen, kind in matching(open_incomes, "household_id", batch):
        incomes.setdefault(person_id, (fen, kind))
    classes: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"categories": [], "causes": []})
    open_classes = Classification.objects.filter(end_date__isnull=True).order_by("pk").values_list("household_id", "kind", "code")
    for household_id, kind, code in matching(open_classes, "household_id", batch):
        classes[household_id]["categories" if kind == c.ClassificationKind.CATEGORY else "causes"].append(code)
    # the sheet's asset and expense columns are totals by kind, so that a re-import changes nothing
    assets: dict[int, dict[str, int]] = defaultdict(dict)
    for household_id, kind, fen, quantity in matching(Asset.objects.values_list("household_id", "kind", "value_fen", "quantity"), "household_id", batch):
        count_field, value_field = ASSET_COLUMNS.get(kind, (None, None))
        for name, amount in ((count_field, quantity), (value_field, fen)):
            if name:
                assets[household_id][name] = assets[household_id].get(name, 0) + amount
    expenses: dict[int, dict[str, int]] = defaultdict(dict)
    current = RigidExpense.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate()), person__isnull=False)
    for person_id, kind, fen in matching(current.values_list("person_id", "kind", "monthly_amount_fen"), "household_id", batch):
        name = EXPENSE_COLUMNS.get(kind)
        if name:
            expenses[person_id][name] = expenses[person_id].get(name, 0) + fen
    for pk in batch:
        household = households[pk]
        ordered = sorted(members.get(pk, []), key=lambda p: (p["id"] != household["head_id"], p["id"]))
        yield household, ordered, incomes, classes[pk], assets.get(pk, {}), expenses

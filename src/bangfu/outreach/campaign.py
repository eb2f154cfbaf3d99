"""The street-level pilot campaign (R6; seed 篇一 and 篇五 “四、工作步骤和时间安排”).

Phases and their default deadlines in the campaign year:
  organisation   by 30 April   — each village sets up a working group (成立工作小组)
  training       by 10 May     — mobilisation and training meeting (动员部署会、业务培训)
  survey         by 25 May     — household-by-household survey, data reported to the street office
  identification by 30 June    — precise identification and data entry (精准识别，录入摸排数据表)
  assistance     1 July – 31 December — assistance, pairing with social forces, dynamic management

Per village the page shows what is done. The dates of the working group, the training, the
survey report and the end of identification are entered by the workers; two figures come from
the registry itself:

- survey coverage = households surveyed / active households of the village, where a household
  counts as *surveyed* when its registry record or a member's record was created or changed
  (a history row of django-simple-history) between the campaign's start and the survey
  deadline, or a visit to it was recorded in that window — the survey is done by entering what
  was found, so the registry's own history is the evidence;
- data entered = the same count up to the identification deadline.

A phase is *behind* when its deadline has passed and it is not done: the date is missing or
later than the deadline, or (survey / identification) coverage is below 100% (“做到全覆盖，不遗漏”).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.access import in_scope
from bangfu.accounts.permissions import check_perm
from bangfu.regions.choices import Level
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region
from bangfu.regions.scoping import bound_region, within_q
from bangfu.registry.choices import HouseholdStatus
from bangfu.registry.models import Household, Person

from . import permissions
from . import access
from . import choices as c
from .models import Campaign, CampaignPhase, Pairing, Visit, VillageProgress
from .services import OutreachError
from .services._common import _save


def default_phases(year: int) -> list[tuple[str, dt.date | None, dt.date]]:
    """(phase, start, deadline) of the seed's timeline for a campaign year (R6)."""
    return [
        (c.Phase.ORGANISATION, None, dt.date(year, 4, 30)),
        (c.Phase.TRAINING, None, dt.date(year, 5, 10)),
        (c.Phase.SURVEY, None, dt.date(year, 5, 25)),
        (c.Phase.IDENTIFICATION, dt.date(year, 6, 1), dt.date(year, 6, 30)),
        (c.Phase.ASSISTANCE, dt.date(year, 7, 1), dt.date(year, 12, 31)),
    ]


@transaction.atomic
def campaign_create(*, acting_user, region_id: int, year: int, name: str = "", starts_on: dt.date | None = None,
                    deadlines: dict[str, dt.date] | None = None) -> Campaign:
    """Start the pilot for a township or county: the seed's phases (deadlines may be changed)
    and a progress row for every village below."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    region = Region.objects.filter(pk=region_id).first()
    if region is None or not in_scope(acting_user, region.code) or region.level not in (Level.TOWNSHIP, Level.COUNTY):
        raise OutreachError({"region": [gettext("请选择本辖区的乡镇（街道）或县（区）")]})
    if not 2000 <= int(year) <= 2100:
        raise OutreachError({"year": [gettext("年度应为四位数字")]})
    if Campaign.objects.filter(region=region, year=year).exists():
        raise OutreachError({"year": [gettext("该区划本年度已建立试点工作")]})
    campaign = Campaign(region=region, region_code=region.code, year=year, starts_on=starts_on or dt.date(year, 4, 1),
                        name=name.strip() or gettext("%(year)s年%(region)s特殊困难群体帮扶服务试点") % {"year": year, "region": region.name}, created_by=acting_user)
    _save(campaign, acting_user)
    deadlines = deadlines or {}
    for phase, start, deadline in default_phases(year):
        _save(CampaignPhase(campaign=campaign, phase=phase, starts_on=start, deadline=deadlines.get(phase, deadline)), acting_user)
    for village in Region.objects.filter(level=Level.VILLAGE).within(region).order_by("code"):
        _save(VillageProgress(campaign=campaign, village=village, region_code=village.code), acting_user)
    return campaign


PROGRESS_FIELDS = ("working_group_on", "training_on", "survey_reported_on", "identification_done_on", "note")


@transaction.atomic
def village_progress_update(*, acting_user, progress_id: int, **values) -> VillageProgress:
    """A village or township worker enters what the village has done (dates not in the future)."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    progress = access.get(acting_user, VillageProgress.objects.select_for_update(), progress_id)
    today = timezone.localdate()
    errors = {}
    for key, value in values.items():
        if key not in PROGRESS_FIELDS:
            continue
        if key != "note" and value is not None and value > today:
            errors[key] = [gettext("日期不能晚于今天")]
        setattr(progress, key, value if key != "note" else (value or "").strip()[:255])
    if errors:
        raise OutreachError(errors)
    _save(progress, acting_user)
    return progress


def campaign_get(viewer, pk) -> Campaign:
    """A campaign is visible to users of its region and of the regions above it, and to the
    workers of its villages (they enter their own progress)."""
    from bangfu.accounts.access import NotFound

    campaign = Campaign.objects.select_related("region").filter(pk=pk).first()
    if campaign is None or viewer.region is None:
        raise NotFound()
    if not (in_scope(viewer, campaign.region_code) or campaign.region.contains(viewer.region.code)) or access.is_helper(viewer):
        raise NotFound()
    return campaign


def campaigns_for(viewer):
    if viewer.region is None or access.is_helper(viewer):
        return Campaign.objects.none()
    codes = [viewer.region.code, *access.ancestor_codes(viewer.region.code)]
    return (Campaign.objects.visible_to(viewer) | Campaign.objects.filter(region_code__in=codes)).distinct().order_by("-year", "region_code")


# ------------------------------------------------------------------------------------------ progress


@dataclass
class PhaseState:
    phase: str
    label: str
    deadline: dt.date
    done_on: dt.date | None
    state: str  # done / late / behind / pending / ongoing
    detail: str = ""

    @property
    def behind(self) -> bool:
        return self.state == "behind"


@dataclass
class VillageRow:
    progress: VillageProgress
    name: str
    households: int
    surveyed: int
    entered: int
    paired: int
    phases: list[PhaseState] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return self.surveyed / self.households if self.households else 1.0

    @property
    def entered_share(self) -> float:
        return self.entered / self.households if self.households else 1.0

    @property
    def behind(self) -> bool:
        return any(p.behind for p in self.phases)


def _touched(area: RegionCode, since: dt.date, until: dt.date) -> set[int]:
    """Households (ids) with a registry history row (their own or a member's) or a visit in the
    window [since, until], inclusive, in the region `area`."""
    from datetime import datetime, time

    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(since, time.min), tz)
    end = timezone.make_aware(datetime.combine(until, time.max), tz)
    hh = Household.history.filter(within_q(area), history_date__gte=start, history_date__lte=end)
    ids = set(hh.values_list("id", flat=True).distinct())
    people = Person.history.filter(within_q(area), history_date__gte=start, history_date__lte=end,
                                   household_id__isnull=False)
    ids |= set(people.values_list("household_id", flat=True).distinct())
    visits = Visit.objects.within(area).filter(date__gte=since, date__lte=until,
                                  pairing__household_id__isnull=False)
    ids |= set(visits.values_list("pairing__household_id", flat=True).distinct())
    return ids


def _state(deadline: dt.date, done_on: dt.date | None, complete: bool, today: dt.date) -> str:
    if done_on is not None and complete:
        return "done" if done_on <= deadline else "late"
    return "behind" if today > deadline else "pending"


def campaign_progress(campaign: Campaign, *, today: dt.date | None = None, viewer=None) -> list[VillageRow]:
    """One row per village of the campaign (limited to the viewer's subtree when given)."""
    today = today or timezone.localdate()
    phases = {p.phase: p for p in campaign.phases.all()}
    progress_qs = campaign.villages.select_related("village").order_by("region_code")
    if viewer is not None:
        progress_qs = progress_qs.visible_to(viewer)
    rows = list(progress_qs)
    if not rows:
        return []
    # the campaign's region, or the part of it the viewer sees: every row's village lies in it
    area = RegionCode(campaign.region_code)
    if viewer is not None:
        area = area.meet(bound_region(viewer)) or area
    active = {}
    for household_id, code in Household.objects.within(area).filter(status=HouseholdStatus.ACTIVE).values_list("id", "region_code"):
        active.setdefault(code, set()).add(household_id)
    survey_deadline = phases[c.Phase.SURVEY].deadline
    ident_deadline = phases[c.Phase.IDENTIFICATION].deadline
    surveyed = _touched(area, campaign.starts_on, survey_deadline)
    entered = _touched(area, campaign.starts_on, ident_deadline)
    paired_ids = set(Pairing.objects.within(area).filter(household_id__isnull=False)
                     .filter(start_date__lte=today).exclude(end_date__lt=today).values_list("household_id", flat=True))
    labels = dict(c.Phase.choices)
    out = []
    for progress in rows:
        ids = active.get(progress.region_code, set())
        row = VillageRow(progress=progress, name=progress.village.name, households=len(ids), surveyed=len(ids & surveyed),
                         entered=len(ids & entered), paired=len(ids & paired_ids))
        full_survey = row.surveyed == row.households
        full_entry = row.entered == row.households
        for code, done_on, complete, detail in (
            (c.Phase.ORGANISATION, progress.working_group_on, True, ""),
            (c.Phase.TRAINING, progress.training_on, True, ""),
            (c.Phase.SURVEY, progress.survey_reported_on, full_survey, f"{row.surveyed}/{row.households}"),
            (c.Phase.IDENTIFICATION, progress.identification_done_on, full_entry, f"{row.entered}/{row.households}"),
        ):
            phase = phases[code]
            row.phases.append(PhaseState(code, str(labels[code]), phase.deadline, done_on, _state(phase.deadline, done_on, complete, today), detail))
        assistance = phases[c.Phase.ASSISTANCE]
        state = "pending" if today < (assistance.starts_on or assistance.deadline) else ("ongoing" if today <= assistance.deadline else "done")
        row.phases.append(PhaseState(c.Phase.ASSISTANCE, str(labels[c.Phase.ASSISTANCE]), assistance.deadline, None, state,
                                     f"{row.paired}/{row.households}"))
        out.append(row)
    return out


STATE_LABELS = {"done": _("按期完成"), "late": _("逾期完成"), "behind": _("滞后"), "pending": _("未到期"), "ongoing": _("进行中")}


def export_progress(campaign: Campaign, rows: list[VillageRow], target) -> None:
    """The progress table as xlsx (XlsxWriter), one row per village."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = workbook.add_worksheet(gettext("试点进度"))
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    red = workbook.add_format({"font_color": "#C00000"})
    pct = workbook.add_format({"num_format": "0.0%"})
    headers = [gettext("区划代码"), gettext("村（社区）"), gettext("在册户数"), gettext("已摸排户数"), gettext("摸排覆盖率"),
               gettext("已录入户数"), gettext("已结对户数")]
    for phase in rows[0].phases if rows else []:
        headers += [gettext("%(phase)s（期限 %(deadline)s）") % {"phase": phase.label, "deadline": f"{phase.deadline:%m-%d}"}]
    headers.append(gettext("是否滞后"))
    sheet.write(0, 0, campaign.name, workbook.add_format({"bold": True, "font_size": 14}))
    for col, title in enumerate(headers):
        sheet.write(1, col, title, bold)
    for i, row in enumerate(rows, start=2):
        values = [row.progress.region_code, row.name, row.households, row.surveyed, row.coverage, row.entered, row.paired]
        for col, value in enumerate(values):
            sheet.write(i, col, value, pct if col == 4 else None)
        for j, phase in enumerate(row.phases):
            text = str(STATE_LABELS[phase.state]) + (f" {phase.done_on:%Y-%m-%d}" if phase.done_on else "")
            sheet.write_string(i, len(values) + j, text, red if phase.behind else None)
        sheet.write_string(i, len(headers) - 1, gettext("是") if row.behind else gettext("否"), red if row.behind else None)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, len(headers), 12)
    sheet.freeze_panes(2, 2)
    workbook.close()

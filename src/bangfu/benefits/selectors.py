"""Reads of benefits. Lists of people's data are scoped (accounts.access); the unscoped helpers
serve callers that already hold the household (its page, a case) or bulk work over a code range."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from bangfu.regions.codes import RegionCode
from bangfu.registry.models import Person
from bangfu.regions.scoping import bound_region, township_expr

from . import choices as c
from .models import Benefit, BenefitAmount, OneOffPayment, ReviewExtension, ReviewExtensionItem


def household_benefits(household) -> QuerySet[Benefit]:
    """All benefits of a household, open ones first, newest first. Unscoped: the caller holds the household."""
    return (Benefit.objects.filter(household=household).select_related("person")
            .order_by("status", "-start_month", "-id"))


def household_amounts(household) -> QuerySet[BenefitAmount]:
    """The amount history of all of a household's benefits, in order of decision."""
    return (BenefitAmount.objects.filter(benefit__household=household).select_related("benefit", "decided_by")
            .order_by("benefit_id", "decided_on", "id"))


def household_one_off_payments(household) -> QuerySet[OneOffPayment]:
    return OneOffPayment.objects.filter(household=household).order_by("-approved_on", "-id")


def active_benefit(household, programme: str, person=None) -> Benefit | None:
    """The open benefit of `programme` (being paid, or in a gradual exit not yet over): the
    household's own when `person` is None, else that person's."""
    from django.db.models import Q
    from django.utils import timezone

    this_month = timezone.localdate().replace(day=1)
    qs = Benefit.objects.filter(household=household, programme=programme, status__in=c.OPEN_STATUSES).exclude(
        Q(status=c.BenefitStatus.GRADUAL_EXIT) & Q(end_month__lt=this_month))  # an exit already over
    qs = qs.filter(person__isnull=True) if person is None else qs.filter(person=person)
    return qs.first()


def approved_not_yet_paid(person_ids, on: dt.date) -> dict[int, list[str]]:
    """person id → programmes of benefits approved but first paid after `on` (办法 §21: payment
    starts the month after approval), for the given persons: a household's benefit covers every
    current member, a member's own benefit that member. Such a person is covered, not "not
    covered" (matching, issue 12). Few benefits wait for their first month at any time, so these
    are read first and matched to the persons, instead of an IN list of every person."""
    wanted = set(person_ids)
    waiting = list(Benefit.objects.filter(status=c.BenefitStatus.ACTIVE, start_month__gt=on)
                   .values_list("household_id", "person_id", "programme"))
    if not wanted or not waiting:
        return {}
    households: dict[int, list[str]] = {}
    out: dict[int, list[str]] = {}
    for household_id, person_id, programme in waiting:
        if person_id is None:
            households.setdefault(household_id, []).append(programme)
        elif person_id in wanted:
            out.setdefault(person_id, []).append(programme)
    for pid, household_id in Person.objects.filter(household_id__in=list(households)).values_list("id", "household_id"):
        if pid in wanted:
            out.setdefault(pid, []).extend(p for p in households[household_id] if p not in out.get(pid, []))
    return out


def _due(qs: QuerySet[Benefit], until: dt.date) -> QuerySet[Benefit]:
    return (qs.filter(status=c.BenefitStatus.ACTIVE, next_review_date__lte=until)
            .order_by("next_review_date", "id"))


def reviews_due(viewer, *, as_of: dt.date, within_days: int = 30) -> QuerySet[Benefit]:
    """Benefits whose periodic review (R16, 办法 §31) is overdue or falls due within `within_days`
    of `as_of`, in the viewer's region, oldest due first."""
    qs = Benefit.objects.visible_to(viewer, households=True)
    return _due(qs, as_of + dt.timedelta(days=within_days)).select_related("household", "household__head", "household__region", "person")


def reviews_due_within(region, *, as_of: dt.date) -> QuerySet[Benefit]:
    """Benefits due for review on `as_of` (next review date ≤ as_of) in `region`'s subtree.
    Unscoped, for bulk work (opening review cases for a county); the caller checks the region."""
    return _due(Benefit.objects.within(region), as_of)


def extensions_in_force(benefits) -> dict[int, ReviewExtensionItem]:
    """benefit id → the emergency extension that set its current review date (seed 篇三（四）),
    for the given benefits (a page or an export of the due list): the latest item whose extended
    date is still the benefit's next review date."""
    wanted = {b.pk: b.next_review_date for b in benefits if b.next_review_date is not None}
    out: dict[int, ReviewExtensionItem] = {}
    if not wanted:
        return out
    for item in (ReviewExtensionItem.objects.filter(benefit_id__in=list(wanted)).select_related("extension")
                 .order_by("benefit_id", "id")):
        if item.due_after == wanted[item.benefit_id]:
            out[item.benefit_id] = item
    return out


def review_extensions(viewer) -> QuerySet[ReviewExtension]:
    """The review extensions that concern the viewer: those of counties in the viewer's region and
    the one of the viewer's own county (a village or township worker sees the county's document).
    Newest first."""
    from django.db.models import Q

    own = bound_region(viewer)
    if own is None:
        return ReviewExtension.objects.none()
    above = [a.code for a in own.ancestors] + [own.code]
    return (ReviewExtension.objects.filter(Q(region_code__in=above) | Q(pk__in=ReviewExtension.objects.within(own).values("pk")))
            .select_related("created_by").order_by("-created_at", "-id"))


def paid_in(qs: QuerySet[Benefit], month: dt.date) -> QuerySet[Benefit]:
    """Benefits paid in `month` (start_month ≤ month ≤ end_month, end open)."""
    from django.db.models import Q

    return qs.filter(start_month__lte=month).filter(Q(end_month__isnull=True) | Q(end_month__gte=month))


# ----------------------------------------------------------------------------- areas, publication, register


def area_region(viewer, code: str | None) -> RegionCode | None:
    """The region `code` (a 6-, 9- or 12-digit region code) within the viewer's region: the
    viewer's own region when `code` is empty, None when it is not a code or lies outside."""
    own = bound_region(viewer)
    if own is None:
        return None
    code = (code or "").strip()
    if not code:
        return own
    try:
        return own.meet(RegionCode.parse(code))
    except ValueError:
        return None


def within(qs: QuerySet, area: RegionCode | None) -> QuerySet:
    return qs.none() if area is None else qs.within(area)


def amount_in_month(month: dt.date):
    """Subquery: the amount (fen) a benefit pays in `month`, from its history rows."""
    from django.db.models import OuterRef, Q, Subquery

    rows = BenefitAmount.objects.filter(benefit=OuterRef("pk"), from_month__lte=month).filter(
        Q(to_month__isnull=True) | Q(to_month__gte=month))
    return Subquery(rows.order_by("-id").values("amount_fen")[:1])


def active_member_count():
    from django.db.models import Count, IntegerField, OuterRef, Subquery

    from bangfu.registry.choices import PersonStatus
    from bangfu.registry.models import Person

    rows = (Person.objects.filter(household=OuterRef("household_id"), status=PersonStatus.ACTIVE)
            .order_by().values("household").annotate(n=Count("pk")).values("n"))
    return Subquery(rows, output_field=IntegerField())


def recipients(viewer, *, month: dt.date, area: str = "", programme: str = "") -> QuerySet[Benefit]:
    """Current recipients for publication (办法 §24): benefits paid in `month` in the area, with
    `amount_fen` (the amount of that month) and `size` (persons covered: the household's members
    in register, or 1 for one member's own benefit), by village then id."""
    from django.db.models import Case, IntegerField, Value, When

    qs = within(Benefit.objects.all(), area_region(viewer, area))
    qs = paid_in(qs.filter(programme__in=[c.Programme.DIBAO, c.Programme.TEKUN]), month)
    if programme:
        qs = qs.filter(programme=programme)
    qs = qs.annotate(
        amount_fen=amount_in_month(month),
        size=Case(When(person__isnull=False, then=Value(1)), default=active_member_count(), output_field=IntegerField()),
    )  # a month in start_month … end_month always has a row with an amount above zero (services keep it so)
    return qs.select_related("household__head", "household__region", "person").order_by("region_code", "id")


def register(viewer, *, month: dt.date, area: str = "") -> list[dict]:
    """The month's benefit register: per township and programme, the number of benefits paid and
    their total (the month's payroll), plus the temporary assistance paid that month.
    Rows: {"township": code12, "programme": value, "count": n, "total_fen": fen}."""
    from django.db.models import Count, Q, Sum

    area_code = area_region(viewer, area)
    rows = within(BenefitAmount.objects.all(), area_code).filter(from_month__lte=month, amount_fen__gt=0).filter(
        Q(to_month__isnull=True) | Q(to_month__gte=month))
    monthly = (rows.annotate(township=township_expr()).values("township", "programme").order_by()
               .annotate(count=Count("id"), total=Sum("amount_fen")))
    out = [{"township": r["township"], "programme": r["programme"], "count": r["count"],
            "total_fen": r["total"] or 0} for r in monthly]
    once = (within(OneOffPayment.objects.all(), area_code).filter(month=month).annotate(township=township_expr())
            .values("township").order_by().annotate(count=Count("id"), total=Sum("amount_fen")))
    out += [{"township": r["township"], "programme": c.Programme.TEMPORARY, "count": r["count"],
             "total_fen": r["total"] or 0} for r in once]
    order = {p: i for i, p in enumerate(c.Programme.values)}
    return sorted(out, key=lambda r: (r["township"], order.get(r["programme"], 9)))


def region_names(codes) -> dict[str, str]:
    from bangfu.regions.models import Region

    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))

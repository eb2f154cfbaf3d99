"""Writes to payments (issue 15): accounts, building the month's payroll, the township check, the
release of a held line, approval and locking.

Every service checks the role (permissions.ACTIONS through check_perm) and the region (a payroll or
account outside the actor's region answers NotFound, like a missing one), runs in one transaction
and leaves a trail: account changes in simple-history, each step of a payroll in PayrollEvent.

Building (`payroll_build`) is set-based: it reads the amount history, the lines already made and
the accounts as a few queries, works out the lines in memory and writes them with COPY (bulk_create on SQLite) in
batches. Rules, with their source:
- A month is paid from the `BenefitAmount` row in force that month (benefits: a decision takes
  effect from the month after it, 办法 §21; a stop pays nothing after its last month; a gradual
  exit keeps the amount for its months, 办法 §33 — those lines are of kind "gradual exit").
- Back pay (补发): a month before this one whose payroll the county has approved, that the benefit
  was due for and that no payroll paid, is paid in this payroll (e.g. a decision recorded after
  December's payroll was locked, with payment from December, is paid in January's).
- A benefit whose amount for an approved month changed afterwards gets an adjustment line for the
  difference in this payroll; a locked payroll is never edited. A lower amount after the fact is
  an overpayment, not a negative bank line (recorded by benefits, not here).
- Temporary assistance (临时救助) approved for the month is paid once as a one-off line.
- A line for a benefit, month and component exists once (database constraint `payline_once`):
  building the same month again returns the payroll already built.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.access import NotFound, in_scope
from bangfu.accounts.permissions import check_perm
from bangfu.benefits.choices import ChangeKind, Programme
from bangfu.benefits.models import Benefit, BenefitAmount, OneOffPayment
from bangfu.common.errors import DomainError
from bangfu.common.months import month_of
from bangfu.regions.codes import COUNTY, RegionCode
from bangfu.regions.scoping import bound_region

from . import cards
from . import choices as c
from . import permissions as p
from .error_codes import PaymentErrorCode
from .models import PaymentAccount, Payroll, PayrollEvent, PayrollLine, TownshipCheck

BATCH = 5000
COMPONENT = {Programme.DIBAO: c.Component.DIBAO, Programme.TEKUN: c.Component.TEKUN_BASIC,
             Programme.TEMPORARY: c.Component.TEMPORARY}
RECURRING = (Programme.DIBAO, Programme.TEKUN)
PAID_STATES = (c.PayrollState.APPROVED, c.PayrollState.LOCKED)
AGENT_RELATIONS = (c.HolderRelation.GUARDIAN, c.HolderRelation.AGENT)


class PaymentError(DomainError):
    default_code = PaymentErrorCode.INVALID


def _check_scope(acting_user, region_code: str) -> None:
    if acting_user is None or not in_scope(acting_user, region_code):
        raise NotFound()


def payroll_in_reach(user, payroll: Payroll) -> bool:
    """A county payroll is read by the county and above, and by a township of that county (which
    sees its own lines only)."""
    region = bound_region(user)
    return region is not None and (region.contains(payroll.region_code) or RegionCode.parse(payroll.region_code).contains(region))


def _lock_payroll(acting_user, payroll) -> Payroll:
    locked = Payroll.objects.select_for_update().filter(pk=payroll.pk).first()
    if locked is None or not payroll_in_reach(acting_user, locked):
        raise NotFound()
    return locked


# ----------------------------------------------------------------------------- accounts


@transaction.atomic
def account_set(*, acting_user, benefit: Benefit | None = None, household=None, holder_name: str, holder_relation: str,
                bank_name: str, account_number: str, bank_code: str = "", agent_name: str = "", agent_id_number: str = "",
                agent_reason: str = "", institution_name: str = "", account_scheme: str = "bank_card") -> PaymentAccount:
    """Record (or change) the account a benefit — or, without a benefit, a household's temporary
    assistance — is paid into. The number is checked (digits, length, the card's check digit where
    the scheme has one); a holder other than the recipient needs the agent or guardian and the
    reason; 集中供养 is paid to the institution, named."""
    check_perm(acting_user, p.MANAGE_PAYMENT_ACCOUNTS)
    if benefit is None and household is None:
        raise PaymentError(_("请指定救助待遇或家庭"))
    household = benefit.household if benefit is not None else household
    _check_scope(acting_user, household.region_code)
    errors: dict[str, list[str]] = {}
    number = cards.normalise_account(account_number)
    if account_scheme not in cards.SCHEMES:
        account_scheme = "bank_card"
    if holder_relation == c.HolderRelation.INSTITUTION:
        account_scheme = "institution"  # a unit's settlement account (对公账户)
    problem = cards.account_problem(number, account_scheme)
    if problem:
        errors["account_number"] = [problem]
    holder_name = (holder_name or "").strip()
    if not holder_name:
        errors["holder_name"] = [_("请填写账户户名")]
    if not (bank_name or "").strip():
        errors["bank_name"] = [_("请填写开户银行")]
    if holder_relation not in c.HolderRelation.values:
        errors["holder_relation"] = [_("请选择户名与享受人员的关系")]
    elif holder_relation == c.HolderRelation.INSTITUTION:
        if not (institution_name or "").strip():
            errors["institution_name"] = [_("集中供养的须填写供养机构名称")]
    elif holder_relation != c.HolderRelation.SELF:
        if not (agent_name or "").strip():
            errors["agent_name"] = [_("户名不是享受人员本人的，须登记代理人或监护人")]
        if not (agent_reason or "").strip():
            errors["agent_reason"] = [_("户名不是享受人员本人的，须说明代领原因")]
    if errors:
        raise PaymentError(errors, code=PaymentErrorCode.ACCOUNT_INVALID)
    if benefit is not None:
        account = PaymentAccount.objects.select_for_update().filter(benefit=benefit).first() or PaymentAccount(benefit=benefit)
    else:
        account = PaymentAccount.objects.select_for_update().filter(household=household, benefit__isnull=True).first() \
            or PaymentAccount(household=household)
    account.household = household
    account.region_code = household.region_code
    account.holder_name = holder_name
    account.holder_relation = holder_relation
    account.bank_name = bank_name.strip()
    account.bank_code = (bank_code or "").strip()
    account.account_number = number
    account.account_scheme = account_scheme
    account.agent_name = (agent_name or "").strip()
    account.agent_id_number = (agent_id_number or "").strip()
    account.agent_reason = (agent_reason or "").strip()
    account.institution_name = (institution_name or "").strip()
    account.updated_by = acting_user
    account._history_user = acting_user
    account.save()
    return account


# ----------------------------------------------------------------------------- build


def _months_between(months: list[dt.date], low: dt.date, high: dt.date | None) -> list[dt.date]:
    return [m for m in months if low <= m and (high is None or m <= high)]


def _county(county_code: str) -> RegionCode:
    try:
        county = RegionCode.parse(county_code)
    except (ValueError, TypeError):
        raise PaymentError(_("县级区划代码无效")) from None
    if county.level != COUNTY:
        raise PaymentError(_("发放花名册按县（市、区）生成，请填写县级区划代码"))
    return county


def payroll_build(*, acting_user, county_code: str, month: dt.date, programme: str = "") -> tuple[Payroll, bool]:
    """Build the county's regular payroll for `month` (and `programme`, or all): (payroll, built).

    A payroll already built for that county, month and programme is returned as it is (built False):
    building twice gives the same lines, and two builds at the same moment make one payroll (the
    unique constraint: the second waits for the first and then finds its payroll)."""
    check_perm(acting_user, p.BUILD_PAYROLL)
    county = _county(county_code)
    _check_scope(acting_user, county.code)
    if programme and programme not in Programme.values:
        raise PaymentError(_("未知的救助项目"))
    month = month_of(month)
    with transaction.atomic():
        try:
            with transaction.atomic():
                payroll = Payroll.objects.create(region_code=county.code, month=month, programme=programme,
                                                 kind=c.PayrollKind.REGULAR, built_by=acting_user)
        except IntegrityError:
            existing = Payroll.objects.get(region_code=county.code, month=month, programme=programme, kind=c.PayrollKind.REGULAR)
            return existing, False
        try:
            with transaction.atomic():
                write_lines(build_lines(payroll))
                from .deductions import plan_deductions, save_deductions

                # 追回扣减 decided on the households' receivables, on the lines just written
                save_deductions(payroll, plan_deductions(payroll), acting_user)
        except IntegrityError:
            raise PaymentError(_("另一份花名册正在生成同月的发放明细，请稍后再试"), code=PaymentErrorCode.CONFLICT) from None
        from .checks import run_checks

        run_checks(payroll)
        refresh_totals(payroll)
        PayrollEvent.objects.create(payroll=payroll, action=PayrollEvent.Action.BUILT, by=acting_user,
                                    note=f"{payroll.line_count}")
    return payroll, True


LINE_COLUMNS = ("payroll_id", "benefit_id", "one_off_id", "household_id", "person_id", "region_code", "programme", "month", "kind",
                "component", "amount_fen", "account_id", "holder_name", "bank_name", "bank_code", "account_number")


def write_lines(rows: list[tuple]) -> None:
    """Insert new pending lines given as tuples of LINE_COLUMNS, without a model object per line (a
    county's month is 300,000 lines): COPY on PostgreSQL, bulk_create elsewhere. A line that breaks
    a constraint raises IntegrityError, as bulk_create does."""
    from django.db import connection

    if connection.vendor != "postgresql":
        PayrollLine.objects.bulk_create([PayrollLine(**dict(zip(LINE_COLUMNS, row, strict=True))) for row in rows], batch_size=BATCH)
        return
    extra = (c.LineStatus.PENDING.value, "[]", "", "", "")
    columns = ", ".join([*LINE_COLUMNS, "status", "flags", "release_reason", "bank_reason_code", "bank_reason"])
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {PayrollLine._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row + extra)
        if len(rows) > 10000:
            # The checks that follow join these lines with subqueries; without fresh statistics the
            # planner takes a county's 300,000 new lines for none and loops over them.
            cursor.execute(f"ANALYZE {PayrollLine._meta.db_table}")


def refresh_totals(payroll: Payroll) -> None:
    from django.db.models import Count, Sum

    agg = PayrollLine.objects.filter(payroll=payroll).aggregate(n=Count("id"), total=Sum("amount_fen"),
                                                                 held=Count("id", filter=Q(status=c.LineStatus.HELD)))
    payroll.line_count, payroll.total_fen, payroll.held_count = agg["n"] or 0, agg["total"] or 0, agg["held"] or 0
    payroll.save(update_fields=["line_count", "total_fen", "held_count"])


def _components(in_force: dict, benefits: dict) -> dict[tuple[int, dt.date, str], tuple[int, str]]:
    """Each benefit's due amount per month split into the components paid as their own lines:
    tekun as basic living and care (国发〔2016〕14号 二、（三）: the two standards; benefits keep the
    parts the engine gave, checked to add up), everything else as one. A tekun amount recorded
    without its parts (before the parts were kept) is paid as basic living."""
    due: dict[tuple[int, dt.date, str], tuple[int, str]] = {}
    for (bid, m), (amount, kind, basic, care) in in_force.items():
        programme = benefits[bid][5]
        if programme == Programme.TEKUN and basic is not None and care is not None and basic + care == amount:
            due[(bid, m, c.Component.TEKUN_BASIC)] = (basic, kind)
            if care > 0:
                due[(bid, m, c.Component.TEKUN_CARE)] = (care, kind)
        else:
            due[(bid, m, COMPONENT[programme])] = (amount, kind)
    return due


def build_lines(payroll: Payroll) -> list[tuple]:
    """The lines of `payroll` (not saved, as tuples of LINE_COLUMNS): regular and gradual-exit lines for its month, back pay and
    adjustments for earlier approved months, one-off temporary assistance. Set-based: a handful of
    queries whatever the county's size."""
    county, month = payroll.region_code, payroll.month
    programmes = [payroll.programme] if payroll.programme else list(Programme.values)
    recurring = [x for x in programmes if x in RECURRING]

    # Earlier months the county has approved, per programme, and when each was built: a decision
    # recorded after a month was built may change what that month owes.
    approved: dict[str, dict[dt.date, dt.datetime]] = {x: {} for x in programmes}
    for m, prog, built_at in (Payroll.objects.filter(region_code=county, kind=c.PayrollKind.REGULAR, state__in=PAID_STATES,
                                                     month__lt=month).values_list("month", "programme", "built_at")):
        for x in (programmes if prog == "" else [prog]):
            if x in approved:
                approved[x][m] = min(built_at, approved[x].get(m, built_at))
    earliest_built = min((t for d in approved.values() for t in d.values()), default=None)
    low = min([m for d in approved.values() for m in d] + [month])

    # Benefits changed since the earliest approved month was built: only they can owe an earlier month.
    changed: dict[int, dt.datetime] = {}
    if earliest_built is not None and recurring:
        for bid, created in (BenefitAmount.objects.within(county).filter(programme__in=recurring, created_at__gt=earliest_built)
                             .values_list("benefit_id", "created_at")):
            changed[bid] = max(created, changed.get(bid, created))

    benefits = {}
    for row in (Benefit.objects.within(county).filter(programme__in=recurring, start_month__lte=month)
                .filter(Q(end_month__isnull=True) | Q(end_month__gte=low))
                .values_list("id", "household_id", "person_id", "household__head_id", "region_code", "programme",
                             "start_month", "end_month")):
        benefits[row[0]] = row

    # What each benefit is due, per month of interest: the amount row in force (the latest decision wins).
    in_force: dict[tuple[int, dt.date], tuple[int, str, int | None, int | None]] = {}
    month_lists = {x: sorted(approved[x]) + [month] for x in recurring}
    amounts = (BenefitAmount.objects.within(county).filter(programme__in=recurring, amount_fen__gt=0, from_month__lte=month)
               .filter(Q(to_month__isnull=True) | Q(to_month__gte=low)).order_by("id")
               .values_list("benefit_id", "programme", "kind", "amount_fen", "from_month", "to_month", "basic_fen", "care_fen"))
    for bid, prog, kind, amount, start, end, basic, care in amounts.iterator(chunk_size=BATCH):
        b = benefits.get(bid)
        if b is None or (end is not None and end < start):
            continue
        if bid in changed:
            wanted = [m for m in month_lists[prog][:-1] if approved[prog][m] < changed[bid]] + [month]
        else:
            wanted = [month]
        last = min((d for d in (end, b[7]) if d is not None), default=None)
        for m in _months_between(wanted, max(start, b[6]), last):
            in_force[(bid, m)] = (amount, kind, basic, care)
    due = _components(in_force, benefits)

    # Lines already made for those benefits and months (in any payroll): paid once, adjusted after.
    paid: dict[tuple[int, dt.date, str], int] = defaultdict(int)
    have: set[tuple[int, dt.date, str]] = set()
    existing = PayrollLine.objects.within(county).filter(benefit__isnull=False, month=month, programme__in=recurring)
    for bid, m, comp in existing.exclude(kind=c.LineKind.ADJUSTMENT).values_list("benefit_id", "month", "component").iterator(chunk_size=BATCH):
        have.add((bid, m, comp))
    if changed:
        earlier = (PayrollLine.objects.filter(benefit_id__in=list(changed), month__lt=month, month__gte=low)
                   .exclude(kind=c.LineKind.RESEND)  # a supplementary line pays a failed line again, not more
                   .values_list("benefit_id", "month", "component", "kind", "amount_fen"))
        for bid, m, comp, kind, amount in earlier:
            paid[(bid, m, comp)] += amount
            if kind != c.LineKind.ADJUSTMENT:
                have.add((bid, m, comp))

    accounts_by_benefit, accounts_by_household = {}, {}
    for acc in (PaymentAccount.objects.within(county).order_by("id")
                .values_list("id", "benefit_id", "household_id", "holder_name", "bank_name", "bank_code", "account_number")):
        if acc[1] is not None:
            accounts_by_benefit[acc[1]] = acc
        accounts_by_household[acc[2]] = acc

    lines: list[tuple] = []

    def add(*, benefit_id, one_off_id, household_id, person_id, region_code, programme, m, kind, amount, account, component=None):
        lines.append((payroll.pk, benefit_id, one_off_id, household_id, person_id, region_code, str(programme), m, str(kind),
                      str(component or COMPONENT[programme]), amount, account[0] if account else None,
                      account[3] if account else "", account[4] if account else "", account[5] if account else "",
                      account[6] if account else ""))

    for (bid, m, comp), (amount, akind) in sorted(due.items(), key=lambda kv: (benefits[kv[0][0]][4], kv[0][0], kv[0][1], kv[0][2])):
        b = benefits[bid]
        key = (bid, m, comp)
        if m == month:
            if key in have:
                continue
            kind = c.LineKind.GRADUAL_EXIT if akind == ChangeKind.GRADUAL_EXIT else c.LineKind.REGULAR
        elif key not in have:
            kind = c.LineKind.BACK_PAY
        else:
            amount = amount - paid[key]
            if amount <= 0:
                continue  # paid as due; an amount paid above what is now due is an overpayment (benefits)
            kind = c.LineKind.ADJUSTMENT
        account = accounts_by_benefit.get(bid) or (None if b[5] == Programme.TEKUN else accounts_by_household.get(b[1]))
        add(benefit_id=bid, one_off_id=None, household_id=b[1], person_id=b[2] or b[3], region_code=b[4], programme=b[5], m=m,
            kind=kind, amount=amount, account=account, component=comp)

    if Programme.TEMPORARY in programmes:
        temp_months = sorted(approved.get(Programme.TEMPORARY, {})) + [month]
        taken = PayrollLine.objects.filter(one_off_id=OuterRef("pk"))
        for oid, hid, head, region_code, amount, m in (OneOffPayment.objects.within(county).filter(month__in=temp_months)
                                                       .filter(~Exists(taken)).order_by("region_code", "id")
                                                       .values_list("id", "household_id", "household__head_id", "region_code",
                                                                    "amount_fen", "month")):
            add(benefit_id=None, one_off_id=oid, household_id=hid, person_id=head, region_code=region_code,
                programme=Programme.TEMPORARY, m=m, kind=c.LineKind.ONE_OFF, amount=amount, account=accounts_by_household.get(hid))
    return lines


# ----------------------------------------------------------------------------- check, release, approve


def _event(payroll, action, user, note="", line=None) -> None:
    PayrollEvent.objects.create(payroll=payroll, line=line, action=action, by=user, note=note[:255])


def townships_of(payroll: Payroll) -> set[str]:
    from bangfu.regions.scoping import township_expr

    return set(PayrollLine.objects.filter(payroll=payroll).annotate(t=township_expr()).values_list("t", flat=True).distinct())


@transaction.atomic
def payroll_check(*, acting_user, payroll: Payroll, note: str = "") -> Payroll:
    """A township records that it checked its lines (乡镇审核); once every township with lines has,
    the payroll is checked."""
    check_perm(acting_user, p.CHECK_PAYROLL)
    payroll = _lock_payroll(acting_user, payroll)
    region = bound_region(acting_user)
    township = region.township if region is not None else None
    if township is None or not RegionCode.parse(payroll.region_code).contains(township):
        raise NotFound()
    if payroll.state != c.PayrollState.DRAFT:
        raise PaymentError(_("花名册已审核，不能再次审核"), code=PaymentErrorCode.WRONG_STATE)
    towns = townships_of(payroll)
    if township.code not in towns:
        raise NotFound()  # nothing of this township's in the payroll
    try:
        with transaction.atomic():
            TownshipCheck.objects.create(payroll=payroll, township_code=township.code, checked_by=acting_user, note=(note or "")[:255])
    except IntegrityError:
        raise PaymentError(_("本乡镇已审核过这份花名册"), code=PaymentErrorCode.CONFLICT) from None
    _event(payroll, PayrollEvent.Action.CHECKED, acting_user, note or township.code)
    if towns <= set(TownshipCheck.objects.filter(payroll=payroll).values_list("township_code", flat=True)):
        payroll.state = c.PayrollState.CHECKED
        payroll.save(update_fields=["state"])
    return payroll


@transaction.atomic
def line_release(*, acting_user, line: PayrollLine, reason: str) -> PayrollLine:
    """Release a held line after checking it, with the reason; never by the payroll's builder."""
    check_perm(acting_user, p.RELEASE_PAYROLL_LINE)
    line = PayrollLine.objects.select_for_update().filter(pk=line.pk).first()
    if line is None:
        raise NotFound()
    _check_scope(acting_user, line.region_code)
    payroll = Payroll.objects.select_for_update().get(pk=line.payroll_id)
    if payroll.built_by_id == acting_user.pk:
        raise PaymentError(_("花名册生成人不能放行本花名册的疑点，请由其他工作人员核查"), code=PaymentErrorCode.SAME_PERSON)
    if payroll.state in PAID_STATES:
        raise PaymentError(_("花名册已审批，不能再放行"), code=PaymentErrorCode.WRONG_STATE)
    if line.status != c.LineStatus.HELD:
        raise PaymentError(_("该笔发放未被暂停"), code=PaymentErrorCode.WRONG_STATE)
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError({"reason": [_("请填写放行理由")]})
    line.status = c.LineStatus.RELEASED
    line.released_by = acting_user
    line.release_reason = reason[:255]
    line.save(update_fields=["status", "released_by", "release_reason"])
    _event(payroll, PayrollEvent.Action.RELEASED, acting_user, reason, line=line)
    refresh_totals(payroll)
    return line


@transaction.atomic
def payroll_approve(*, acting_user, payroll: Payroll) -> Payroll:
    """County approval: the payroll checked by every township, no line still held, and the approver
    is not the builder. Two approvals at once: the row lock lets one through."""
    check_perm(acting_user, p.APPROVE_PAYROLL)
    payroll = _lock_payroll(acting_user, payroll)
    _check_scope(acting_user, payroll.region_code)
    if payroll.built_by_id == acting_user.pk:
        raise PaymentError(_("花名册生成人不能审批本花名册"), code=PaymentErrorCode.SAME_PERSON)
    empty = payroll.state == c.PayrollState.DRAFT and not PayrollLine.objects.filter(payroll=payroll).exists()
    if payroll.state != c.PayrollState.CHECKED and not empty:  # an empty list has no township to check it
        if payroll.state in PAID_STATES:
            raise PaymentError(_("花名册已审批"), code=PaymentErrorCode.WRONG_STATE)
        raise PaymentError(_("各乡镇审核完成后才能审批"), code=PaymentErrorCode.WRONG_STATE)
    held = PayrollLine.objects.filter(payroll=payroll, status=c.LineStatus.HELD).count()
    if held:
        raise PaymentError(_("还有%(n)s笔疑点未核查放行，不能审批") % {"n": held}, code=PaymentErrorCode.FLAGS_OPEN)
    payroll.state = c.PayrollState.APPROVED
    payroll.approved_by = acting_user
    payroll.approved_at = timezone.now()
    payroll.save(update_fields=["state", "approved_by", "approved_at"])
    _event(payroll, PayrollEvent.Action.APPROVED, acting_user)
    return payroll


@transaction.atomic
def payroll_lock(*, acting_user, payroll: Payroll) -> Payroll:
    """Lock an approved payroll (it goes to the bank): from now on it is never changed; a later
    change of a benefit is paid as an adjustment in the next month's payroll."""
    check_perm(acting_user, p.APPROVE_PAYROLL)
    payroll = _lock_payroll(acting_user, payroll)
    _check_scope(acting_user, payroll.region_code)
    if payroll.state != c.PayrollState.APPROVED:
        raise PaymentError(_("审批后才能锁定"), code=PaymentErrorCode.WRONG_STATE)
    payroll.state = c.PayrollState.LOCKED
    payroll.locked_at = timezone.now()
    payroll.save(update_fields=["state", "locked_at"])
    from .deductions import settle_fully_deducted

    settle_fully_deducted(payroll)  # a line deducted in full sends nothing to the bank
    _event(payroll, PayrollEvent.Action.LOCKED, acting_user)
    return payroll

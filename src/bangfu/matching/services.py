"""Writes of the matching app (issue 5): import a list as a batch, withdraw it, decide a proposed
link, confirm or dismiss a finding, open a case from it, remember a column mapping.

Every write takes the acting user, checks the permission matrix and the region scope, runs in a
transaction and leaves an audit trail (simple-history on batches and findings; the decider and
time on rows and decisions).
"""

from __future__ import annotations

import datetime as dt
import io
import json

import polars as pl
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.accounts.access import access_by_id
from bangfu.common.errors import DomainError
from bangfu.common.progress import NullProgress, Progress
from bangfu.regions.choices import Level
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region

from . import bulkwrite, linkage, permissions, rules
from .choices import BatchStatus, FindingStatus, LinkStatus
from .error_codes import MatchingErrorCode
from .models import ColumnMapping, Finding, ImportBatch, LinkDecision, ListRow, kind_by_code
from .reader import ParsedList, headers_key
from .selectors import registry_frame

ROW_COLUMNS = ("batch_id", "row_no", "region_code", "id_raw", "id_number", "id_status", "name", "sex", "birth_date", "data",
               "person_id", "score", "method", "link_status", "evidence", "fingerprint", "refusal")


class MatchingError(DomainError):
    """A write that cannot be done; the message is Chinese."""

    default_code = MatchingErrorCode.INVALID


def _decisions() -> tuple[pl.DataFrame, pl.DataFrame]:
    rows = list(LinkDecision.objects.values_list("fingerprint", "person_id", "accepted"))
    frame = pl.DataFrame(rows, schema={"fingerprint": pl.String, "person_id": pl.Int64, "accepted": pl.Boolean}, orient="row")
    return frame.filter(pl.col("accepted")), frame.filter(~pl.col("accepted"))


def _row_regions(frame: pl.DataFrame, batch_region: str) -> pl.Expr:
    """The region a row belongs to: the list's own region code, else the county its ID number
    names when that county is in the deployment, else the batch's region."""
    counties = Region.objects.filter(level=Level.COUNTY).values_list("code", flat=True)
    known = {RegionCode(c).short: c for c in counties}  # an ID's area code → its county's 12-digit code
    area = pl.col("id_clean").fill_null("").str.slice(0, 6)
    return (pl.when(pl.col("region_code").is_not_null()).then(pl.col("region_code"))
            .when(area.is_in(sorted(known))).then(area.replace_strict(known, default=None, return_dtype=pl.String))
            .otherwise(pl.lit(batch_region)))


def _refuse(parsed: pl.DataFrame, links: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows the import refuses: those the reader refused (a value the kind cannot hold, no name
    and no number), and those nothing can identify: no candidate was found for them (link status
    none, no evidence), and they have no valid or partial ID number and no birth date. A row with
    a name but no usable number is kept while someone of that name could be proposed (issue 12).
    Answers the rows with their `refusal` and the links with refused rows unlinked."""
    frame = parsed.join(links.select("row_no", "link_status", "identifiable"), on="row_no", how="left")
    # linkage says whether anything identifies the row: a whole or partial number, a birth date, a candidate
    unknown = (pl.col("link_status") == LinkStatus.NONE.value) & ~pl.col("identifiable").fill_null(True)
    reason = _("无法识别：没有可用的身份证号码和出生日期，名单所在地区也没有同名人员")
    rows = frame.with_columns(
        pl.when(pl.col("refusal").is_null() & unknown).then(pl.lit(reason)).otherwise(pl.col("refusal")).alias("refusal"),
    ).drop("link_status", "identifiable")
    refused = rows.filter(pl.col("refusal").is_not_null())["row_no"]
    links = links.with_columns(pl.col("row_no").is_in(refused.implode()).alias("_refused")).with_columns(
        *[pl.when(pl.col("_refused")).then(None).otherwise(pl.col(c)).alias(c) for c in ("person_id", "score", "method", "evidence")],
        pl.when(pl.col("_refused")).then(pl.lit(LinkStatus.REFUSED.value)).otherwise(pl.col("link_status")).alias("link_status"),
    ).drop("_refused")
    return rows, links


def _write_rows(batch: ImportBatch, parsed: pl.DataFrame, links: pl.DataFrame) -> None:
    frame = parsed.join(links, on="row_no", how="left").with_columns(
        pl.lit(batch.pk, pl.Int64).alias("batch_id"),
        _row_regions(parsed, batch.region_code).alias("region_code"),
        pl.col("id_number").fill_null(""), pl.col("sex").fill_null(""), pl.col("method").fill_null(""),
        pl.col("fingerprint").fill_null(""), pl.col("link_status").fill_null(LinkStatus.NONE.value),
        pl.col("id_raw").fill_null(""), pl.col("name").fill_null(""), pl.col("refusal").fill_null(""),
    ).select(ROW_COLUMNS)
    table = connection.ops.quote_name(ListRow._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ROW_COLUMNS)
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, quote_style="non_numeric", null_value="")
        buffer.seek(0)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
        # the finding rules join these rows at once: without fresh statistics the planner takes a
        # batch of a million rows for a handful and picks nested loops
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
        return
    frame = frame.with_columns(pl.col("birth_date").dt.to_string("%Y-%m-%d"))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(ROW_COLUMNS))})"
    with connection.cursor() as cursor:
        for start in range(0, frame.height, 20000):
            cursor.executemany(sql, frame.slice(start, 20000).rows())


def list_import(*, acting_user, kind: str, source: str, source_date: dt.date, parsed: ParsedList, complete: bool = False,
                filename: str = "", progress: Progress | None = None, today: dt.date | None = None,
                registry: pl.DataFrame | None = None) -> ImportBatch:
    """Import one list as a batch: link every row to the registry, store rows and links, and
    derive the findings (rules). A bad row is refused with its reason (kept, never linked, no
    finding), never the whole file; any failure of the import itself leaves the database as it
    was. `complete`: the list is the department's complete roster for the area (全量), so that
    absence from it means something (issue 12); a list not said to be complete is partial."""
    check_perm(acting_user, permissions.MATCH_IMPORT)
    try:
        kind_by_code(kind)
    except KeyError:
        raise MatchingError(_("未知的名单种类“%(kind)s”") % {"kind": kind}) from None
    if not (source or "").strip():
        raise MatchingError(_("请填写数据来源（如：区残联 2025年6月导出）"))
    today = today or dt.date.today()
    if source_date > today:
        raise MatchingError(_("数据日期不能晚于今天"))
    if acting_user.region is None:
        raise MatchingError(_("该用户没有所属区划"))
    progress = progress or NullProgress()
    progress.start(parsed.frame.height, _("比对"))
    registry = registry if registry is not None else registry_frame()
    accepted, rejected = _decisions()
    result = linkage.link(registry, parsed.frame, accepted=accepted, rejected=rejected, area=acting_user.region.code)
    rows, links = _refuse(parsed.frame, result.links)
    # the rows refused after linkage are listed with the reader's
    unknown = rows.join(parsed.frame.filter(pl.col("refusal").is_null()).select("row_no"), on="row_no", how="semi")
    bad_rows = sorted(parsed.bad_rows + [{"row": r, "reason": why, "skipped": True} for r, why in
                                         unknown.filter(pl.col("refusal").is_not_null()).select("row_no", "refusal").iter_rows()],
                      key=lambda b: b["row"])
    progress.advance(parsed.frame.height // 2)
    with transaction.atomic():
        batch = ImportBatch(kind=kind, source=source.strip()[:128], source_date=source_date, filename=(filename or "")[:255],
                            region_code=acting_user.region.code, loaded_by=acting_user, mapping=parsed.mapping,
                            bad_rows=bad_rows[:5000], complete=bool(complete))
        batch._history_user = acting_user
        batch.save()
        _write_rows(batch, rows, links)
        found = bulkwrite.write_findings(batch, rules.batch_findings(batch, today))
        # the link counts of what was stored (refused rows are not linked), the linkage's own figures
        counts = {k: int(v) for k, v in result.counts.items() if k not in LinkStatus.values and not k.startswith("method_")}
        counts |= {str(k): int(v) for k, v in links.group_by("link_status").len().iter_rows()}
        counts |= {f"method_{m}": int(n) for m, n in links.filter(pl.col("method").is_not_null()).group_by("method").len().iter_rows()}
        refused = counts.get(LinkStatus.REFUSED.value, 0)
        counts |= {"rows": parsed.frame.height, "refused": refused, "skipped": refused, "findings": found}
        batch.counts = counts
        batch.save(update_fields=["counts"])
    progress.advance(parsed.frame.height - parsed.frame.height // 2)
    progress.finish()
    return batch


def batch_withdraw(*, acting_user, batch_id: int, reason: str) -> ImportBatch:
    """Withdraw a batch with everything it produced (its rows, links and findings). The batch row
    stays, marked withdrawn, as the record of what was loaded and removed; decisions workers made
    in its review queue stay remembered."""
    check_perm(acting_user, permissions.MATCH_IMPORT)
    if not (reason or "").strip():
        raise MatchingError(_("请填写撤回原因"))
    with transaction.atomic():
        batch = access_by_id(acting_user, ImportBatch.objects.select_for_update(), batch_id)
        if batch.status == BatchStatus.WITHDRAWN:
            raise MatchingError(_("该批次已撤回"))
        Finding.objects.filter(batch=batch).delete()
        ListRow.objects.filter(batch=batch)._raw_delete(ListRow.objects.db)
        batch.status, batch.withdrawn_by, batch.withdrawn_at = BatchStatus.WITHDRAWN, acting_user, timezone.now()
        batch.withdraw_reason = reason.strip()[:255]
        batch._history_user = acting_user
        batch.save()
    return batch


def link_decide(*, acting_user, row_id: int, accept: bool, today: dt.date | None = None) -> ListRow:
    """A worker accepts or rejects a proposed link (one click); the decision is remembered for the
    next import of the same row, and the row's findings are derived again."""
    check_perm(acting_user, permissions.MATCH_REVIEW)
    today = today or dt.date.today()
    with transaction.atomic():
        row = access_by_id(acting_user, ListRow.objects.select_for_update().select_related("batch"), row_id, field="person__region_code")
        if row.link_status != LinkStatus.REVIEW or row.batch.status != BatchStatus.ACTIVE:
            raise MatchingError(_("该条匹配已处理"))
        row.link_status = LinkStatus.ACCEPTED if accept else LinkStatus.REJECTED
        row.decided_by, row.decided_at = acting_user, timezone.now()
        row.save(update_fields=["link_status", "decided_by", "decided_at"])
        if row.fingerprint:
            LinkDecision.objects.update_or_create(fingerprint=row.fingerprint, person_id=row.person_id,
                                                  defaults={"accepted": accept, "decided_by": acting_user})
        Finding.objects.filter(row=row, status=FindingStatus.OPEN).delete()
        bulkwrite.write_findings(row.batch, rules.row_findings(row.batch, today, row_ids=[row.pk]))
    return row


def finding_set_status(*, acting_user, finding_id: int, status: str, reason: str = "") -> Finding:
    check_perm(acting_user, permissions.MATCH_REVIEW)
    if status not in FindingStatus.values:
        raise MatchingError(_("状态无效"))
    if status == FindingStatus.DISMISSED and not (reason or "").strip():
        raise MatchingError(_("排除时须填写原因"))
    with transaction.atomic():
        finding = access_by_id(acting_user, Finding.objects.select_for_update(), finding_id)
        finding.status = status
        finding.dismiss_reason = reason.strip()[:255] if status == FindingStatus.DISMISSED else ""
        finding.decided_by, finding.decided_at = acting_user, timezone.now()
        finding._history_user = acting_user
        finding.save()
    return finding


def case_url(finding: Finding) -> str:
    try:
        base = reverse("cases:case_create")
    except NoReverseMatch:
        base = "/cases/new/"
    return f"{base}?household={finding.household_id}&type={finding.case_type}&origin=matching:{finding.pk}"


def finding_open_case(*, acting_user, finding_id: int) -> str:
    """Mark the finding as having a case opened and answer the case form's URL (cases app)."""
    check_perm(acting_user, permissions.MATCH_REVIEW)
    with transaction.atomic():
        finding = access_by_id(acting_user, Finding.objects.select_for_update(), finding_id)
        if not finding.case_type:
            raise MatchingError(_("该类发现转相关部门处理，不在本系统立案"))
        if not finding.household_id:
            raise MatchingError(_("该人员尚未登记入户，请先在困难群众数据库中建档，再立案"))
        if finding.case_opened_at is None:
            finding.case_opened_by, finding.case_opened_at = acting_user, timezone.now()
            finding._history_user = acting_user
            finding.save()
    return case_url(finding)


def finding_judge(*, finding: Finding, today: dt.date | None = None) -> dict:
    """The engine's first judgement for a not-covered finding, computed once and kept."""
    if "judgement" not in finding.detail:
        finding.detail = {**finding.detail, "judgement": rules.judgement(finding, today or dt.date.today())}
        Finding.objects.filter(pk=finding.pk).update(detail=finding.detail)
    return finding.detail["judgement"]


def mapping_save(*, acting_user, kind: str, headers: list[str], mapping: dict[str, str]) -> ColumnMapping:
    check_perm(acting_user, permissions.MATCH_IMPORT)
    obj, _created = ColumnMapping.objects.update_or_create(kind=kind, headers_key=headers_key(headers),
                                                    defaults={"mapping": mapping, "updated_by": acting_user})
    return obj


def saved_mapping(kind: str, headers: list[str]) -> dict[str, str] | None:
    row = ColumnMapping.objects.filter(kind=kind, headers_key=headers_key(headers)).first()
    return dict(row.mapping) if row else None


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)

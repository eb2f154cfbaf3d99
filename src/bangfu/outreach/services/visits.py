"""Visits (R8), their attachments, and the per-quarter visit counters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm

from .. import permissions
from .. import access, attachments, rules
from .. import choices as c
from ..models import Pairing, QuarterVisits, Visit, VisitAttachment
from ._common import OutreachError, _save, _stamp


# ------------------------------------------------------------------------------------------- visits


def _bump(pairing_id: int, day: dt.date, delta: int) -> None:
    quarter = rules.quarter_of(day)[0]
    counter, _created = QuarterVisits.objects.select_for_update().get_or_create(pairing_id=pairing_id, quarter=quarter)
    QuarterVisits.objects.filter(pk=counter.pk).update(visits=F("visits") + delta)


@transaction.atomic
def visit_create(*, acting_user, pairing_id: int, date: dt.date, way: str, findings: str, visitor_ids: Iterable[int] = (),
                 other_visitors: str = "", needs: str = "", follow_up: str = "", files: Iterable = (),
                 max_bytes: int | None = None) -> Visit:
    """Record a visit (R8) with its attachments. A helper records visits only for their own
    pairings. Every file is checked (type by content, size) before anything is written: one bad
    file refuses the whole visit."""
    check_perm(acting_user, permissions.RECORD_VISIT)
    pairing = access.get(acting_user, Pairing.objects.select_for_update(), pairing_id,
                         helper_path="links__helper__user")
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if date is None:
        errors["date"] = [_("请填写走访日期")]
    elif date > today:
        errors["date"] = [_("走访日期不能晚于今天")]
    elif date < pairing.start_date or (pairing.end_date and date > pairing.end_date):
        errors["date"] = [_("走访日期须在结对期间内（%(start)s 至 %(end)s）") % {"start": pairing.start_date, "end": pairing.end_date or _("今")}]
    if way not in c.VisitWay.values:
        errors["way"] = [_("请选择走访方式")]
    if not (findings or "").strip():
        errors["findings"] = [_("请填写了解到的情况")]
    visitor_ids = list(dict.fromkeys(int(v) for v in visitor_ids))
    visitors = list(pairing.helpers.filter(pk__in=visitor_ids))
    if len(visitors) != len(visitor_ids):
        errors["visitors"] = [_("走访人须是该结对的帮扶责任人")]
    own = access.helper_of(acting_user)
    if own is not None and own not in visitors:
        visitors.append(own)
    checked = []
    for upload in files:
        try:
            checked.append((upload, attachments.check(upload, limit=max_bytes)))
        except attachments.AttachmentRefused as exc:
            errors.setdefault("files", []).append(str(exc))
    if errors:
        raise OutreachError(errors)
    visit = Visit(pairing=pairing, region_code=pairing.region_code, date=date, way=way, findings=findings.strip(),
                  needs=needs.strip(), follow_up=follow_up.strip(), other_visitors=other_visitors.strip(), recorded_by=acting_user)
    _save(visit, acting_user)
    visit.visitors.set(visitors)
    _bump(pairing.pk, date, +1)
    _store_files(visit, checked, acting_user)
    return visit


def _store_files(visit: Visit, checked: list, acting_user) -> None:
    stored: list[str] = []
    try:
        for upload, data in checked:
            name = attachments.save(data)
            stored.append(name)
            VisitAttachment.objects.create(
                visit=visit, region_code=visit.region_code, stored_name=name, original_name=(getattr(upload, "name", "") or _("附件"))[:255],
                content_type=data.content_type, size=len(data.data), sha256=data.sha256, uploaded_by=acting_user)
    except Exception:
        for name in stored:
            attachments.delete(name)
        raise
    # Files are not transactional: they are written last, so only a rollback of an outer
    # transaction after this service returns could orphan them (a file without a row, never served).


@transaction.atomic
def attachment_add(*, acting_user, visit_id: int, files: Iterable, max_bytes: int | None = None) -> list[VisitAttachment]:
    check_perm(acting_user, permissions.RECORD_VISIT)
    visit = access.get(acting_user, Visit.objects.select_for_update(), visit_id, helper_path="pairing__links__helper__user")
    checked, errors = [], []
    for upload in files:
        try:
            checked.append((upload, attachments.check(upload, limit=max_bytes)))
        except attachments.AttachmentRefused as exc:
            errors.append(str(exc))
    if errors or not checked:
        raise OutreachError({"files": errors or [_("请选择要上传的文件")]})
    before = set(visit.attachments.values_list("pk", flat=True))
    _store_files(visit, checked, acting_user)
    return list(visit.attachments.exclude(pk__in=before))


@transaction.atomic
def visit_delete(*, acting_user, visit_id: int) -> None:
    """Remove a visit recorded by mistake (the history keeps it); its quarter count goes down."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    visit = access.get(acting_user, Visit.objects.select_for_update(), visit_id)
    if visit.proposals.exists():
        raise OutreachError(_("该走访已提出档案更新建议，不能删除"))
    Pairing.objects.select_for_update().filter(pk=visit.pairing_id).first()
    names = list(visit.attachments.values_list("stored_name", flat=True))
    _bump(visit.pairing_id, visit.date, -1)
    _stamp(visit, acting_user)
    visit.delete()
    transaction.on_commit(lambda: [attachments.delete(n) for n in names])

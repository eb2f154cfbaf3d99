"""No page and no API answer shows another county's data (issue 13, "Prove it holds").

One county (来安县) holds every app's demo data; another county of the same city (全椒县) holds one
account of every role and nothing else. Every URL pattern of the project (walked from the URL
resolver, so a new page cannot skip this) is requested by every one of those accounts, its path
parameters filled with the ids of the foreign county's objects:
- GET: a 200 answer must not contain any foreign person's name or ID number, nor a foreign
  household's address;
- POST (a pattern with a path parameter, i.e. an action on one object): never a server error, a
  200 answer shows no foreign data, and after all of them every table of the database (but the
  access log and sessions) is as before: no action on a foreign object was carried out.
A pattern with a path parameter this test cannot fill fails the test until it gets an entry in
FILL (or in UNFILLED, with the reason).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

FOREIGN_COUNTY = "341122"  # 来安县: every app's demo data
HOME_COUNTY = "341124"  # 全椒县 (same city): one account per role, no data


def _first(model_path: str, **filters):
    from django.apps import apps

    model = apps.get_model(model_path)
    return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()


def _supporter_person():
    from bangfu.registry.models import Supporter

    return Supporter.objects.order_by("pk").values_list("person_id", flat=True).first()


def _first_village(model_path: str):
    from django.apps import apps

    return apps.get_model(model_path).objects.order_by("pk").values_list("region_code", flat=True).first()


# url name -> {path parameter: how to fill it from the foreign county}. A value is a callable
# returning the id of a foreign object (None: the demo has none, which fails the test), or a string.
FILL = {
    "guide:page": {"slug": "cases"},
    "registry:household_detail": {"pk": lambda: _first("registry.Household")},
    "registry:household_edit": {"pk": lambda: _first("registry.Household")},
    "registry:person_add": {"pk": lambda: _first("registry.Household")},
    "registry:household_split": {"pk": lambda: _first("registry.Household")},
    "registry:household_change_head": {"pk": lambda: _first("registry.Household")},
    "registry:household_merge": {"pk": lambda: _first("registry.Household")},
    "registry:item_add": {"pk": lambda: _first("registry.Household"), "kind": "income"},
    "registry:item_delete": {"kind": "classification", "item_id": lambda: _first("registry.Classification")},
    "registry:person_edit": {"pk": lambda: _first("registry.Person")},
    "registry:person_full_number": {"pk": lambda: _first("registry.Person"), "what": "id-number"},
    "registry:survey_job": {"pk": lambda: _first("common.Job", kind="survey_import")},
    "registry:survey_job_progress": {"pk": lambda: _first("common.Job", kind="survey_import")},
    "registry:survey_job_bad_rows": {"pk": lambda: _first("common.Job", kind="survey_import")},
    "policy:simulate_job": {"pk": lambda: _first("common.Job", kind="simulate")},
    "policy:simulate_job_progress": {"pk": lambda: _first("common.Job", kind="simulate")},
    "policy:simulate_job_xlsx": {"pk": lambda: _first("common.Job", kind="simulate")},
    "policy:parameter_detail": {"name": "dibao_standard"},
    "policy:parameter_value_create": {"name": "dibao_standard"},
    "policy:parameter_range": {"name": "dibao_standard"},
    "policy:household_determination": {"pk": lambda: _first("registry.Household")},
    "cases:case_detail": {"pk": lambda: _first("cases.Case")},
    "cases:case_action": {"pk": lambda: _first("cases.Case")},
    "cases:notice_print": {"pk": lambda: _first("cases.Case")},
    "cases:decision_print": {"pk": lambda: _first("cases.Case")},
    "cases:decision_pdf": {"pk": lambda: _first("cases.Case")},
    "cases:receipt_print": {"pk": lambda: _first("cases.Case")},
    "cases:receipt_pdf": {"pk": lambda: _first("cases.Case")},
    "cases:village_notice": {"code": lambda: _first_village("cases.Case")},
    "cases:village_notice_pdf": {"code": lambda: _first_village("cases.Case")},
    "cases:open_change": {"change_id": lambda: _first("policy.BenefitChange")},
    "cases:job_offers": {"person_id": lambda: _first("registry.Person")},
    "matching:mapping": {"pk": lambda: _first("common.Job", kind="matching_import")},
    "matching:job": {"pk": lambda: _first("common.Job", kind="matching_import")},
    "matching:job_progress": {"pk": lambda: _first("common.Job", kind="matching_import")},
    "matching:template": {"kind": "death"},
    "matching:batch_detail": {"pk": lambda: _first("matching.ImportBatch")},
    "matching:batch_withdraw": {"pk": lambda: _first("matching.ImportBatch")},
    "matching:batch_export": {"pk": lambda: _first("matching.ImportBatch")},
    "matching:review_decide": {"pk": lambda: _first("matching.ListRow")},
    "matching:finding_detail": {"pk": lambda: _first("matching.Finding")},
    "matching:finding_status": {"pk": lambda: _first("matching.Finding")},
    "matching:finding_case": {"pk": lambda: _first("matching.Finding")},
    "outreach:pairing_detail": {"pk": lambda: _first("outreach.Pairing")},
    "outreach:visit_create": {"pk": lambda: _first("outreach.Pairing")},
    "outreach:visit_detail": {"pk": lambda: _first("outreach.Visit")},
    "outreach:attachment_download": {"pk": lambda: _first("outreach.VisitAttachment")},
    "outreach:item_detail": {"pk": lambda: _first("outreach.FollowUpItem")},
    "outreach:campaign_detail": {"pk": lambda: _first("outreach.Campaign")},
    "outreach:village_progress_edit": {"pk": lambda: _first("outreach.VillageProgress")},
    "rescue:stay_detail": {"pk": lambda: _first("rescue.Stay")},
    "rescue:stay_action": {"pk": lambda: _first("rescue.Stay"), "action": "tracing"},
    "rescue:photo": {"pk": lambda: _first("rescue.StayPhoto")},
    "rescue:follow_up": {"pk": lambda: _first("rescue.PreventionEntry")},
    "payments:payroll": {"pk": lambda: _first("payments.Payroll")},
    "payments:payroll_export": {"pk": lambda: _first("payments.Payroll")},
    "payments:payroll_check": {"pk": lambda: _first("payments.Payroll")},
    "payments:payroll_approve": {"pk": lambda: _first("payments.Payroll")},
    "payments:payroll_lock": {"pk": lambda: _first("payments.Payroll")},
    "payments:line_release": {"pk": lambda: _first("payments.PayrollLine")},
    "payments:payroll_bank_file": {"pk": lambda: _first("payments.Payroll")},
    "payments:payroll_return": {"pk": lambda: _first("payments.Payroll")},
    "payments:payroll_pdf": {"pk": lambda: _first("payments.Payroll")},
    "payments:account": {"benefit_id": lambda: _first("benefits.Benefit")},
    "payments:receivable": {"pk": lambda: _first("payments.Receivable")},
    "payments:receivable_deduction": {"pk": lambda: _first("payments.Receivable")},
    "payments:receivable_repayment": {"pk": lambda: _first("payments.Receivable")},
    "payments:receivable_write_off": {"pk": lambda: _first("payments.Receivable")},
    "payments:receivable_write_off_approve": {"pk": lambda: _first("payments.Receivable")},
    "api:household_detail": {"household_id": lambda: _first("registry.Household")},
    "api:case_get": {"case_id": lambda: _first("cases.Case")},
    "api:case_action": {"case_id": lambda: _first("cases.Case")},
    "api:household_benefits": {"household_id": lambda: _first("registry.Household")},
    "api:row_decision": {"row_id": lambda: _first("matching.ListRow")},
    "api:get_stay": {"stay_id": lambda: _first("rescue.Stay")},
    "api:payroll_get": {"payroll_id": lambda: _first("payments.Payroll")},
    "api:household_patch": {"household_id": lambda: _first("registry.Household")},
    "api:person_patch": {"person_id": lambda: _first("registry.Person")},
    "api:supporter_list": {"person_id": lambda: _first("registry.Person")},
    "api:supporter_add": {"person_id": lambda: _first("registry.Person")},
    "api:supporter_delete": {"person_id": lambda: _supporter_person(),
                             "supporter_id": lambda: _first("registry.Supporter")},
    "api:payroll_lines": {"payroll_id": lambda: _first("payments.Payroll")},
}

# What a POST sends, for the views that check their form before the object: with a valid form the
# request reaches the service, which must refuse the foreign object.
POST_DATA = {
    "matching:batch_withdraw": {"reason": "核对"},
    "matching:finding_status": {"status": "dismissed", "reason": "核对"},
    "payments:line_release": {"reason": "核对"},
    "payments:payroll_bank_file": {"bank": "rcb_gbk_pipe"},
}

# Tables a refused request may write: the access log, sessions, login records.
LOG_TABLES = ("accesslog", "django_session", "axes_")

# Patterns not requested, each with the reason.
UNFILLED = {
    # The Django admin is the system administrator's tool over the whole installation (no role
    # holds a staff account here); every account of this test is refused by admin_view before any
    # object is read, which the non-parameter admin pages (requested below) show.
    "admin:*": "admin site: staff only; the accounts here are not staff",
}


def _patterns(resolvers, prefix="", namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield name, prefix + str(entry.pattern), entry.pattern


def _params(pattern) -> list[str]:
    regex = pattern.regex if hasattr(pattern, "regex") else None
    return list(regex.groupindex) if regex is not None else []


@pytest.fixture
def world(settings, tmp_path):
    """The foreign county's demo data (a few households), plus the rows the demo does not make
    (jobs, attachments, photos) so that every object page has a foreign object to ask for; the
    home county's accounts, one per role."""
    from django.core.files.base import ContentFile

    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.common.models import Job
    from bangfu.regions.codes import RegionCode
    from bangfu.regions.models import Region
    from bangfu_testing.factories import make_user, region

    settings.PRIVATE_FILES_ROOT = tmp_path / "files"
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo_setup", county=FOREIGN_COUNTY, households=150, seed=3, force=True, stdout=io.StringIO())
    owner = User.objects.get(username="village")
    for kind in ("survey_import", "simulate", "matching_import"):
        job = Job.objects.create(kind=kind, user=owner, status=Job.Status.QUEUED, params={"kind": "death"}, total=3)
        job.output_file.save(f"{kind}.xlsx", ContentFile(b"PK"), save=True)
    _extra_foreign_rows(owner)

    home = Region.objects.get(code=RegionCode.parse(HOME_COUNTY).code)
    township = region(f"{HOME_COUNTY}100", "本县镇", home)
    village = region(f"{HOME_COUNTY}100201", "本县村", township)
    at = {Role.VILLAGE_WORKER: village, Role.HELPER: village, Role.TOWNSHIP_OFFICER: township}
    accounts = {role: make_user(f"home_{role}", role, at.get(role, home)) for role in Role.values}
    return accounts


def _extra_foreign_rows(owner) -> None:
    """Foreign objects of the kinds the demo data leaves out (rows as the services would leave them)."""
    import datetime as dt

    from bangfu.outreach.choices import ItemKind
    from bangfu.outreach.models import FollowUpItem
    from bangfu.policy.models import AssessmentRun, BenefitChange
    from bangfu.registry.models import Household
    from bangfu.rescue.choices import PreventionCategory
    from bangfu.rescue.models import PreventionEntry

    household = Household.objects.order_by("pk").first()
    person = household.members.order_by("pk").first()
    today = dt.date.today()
    if not BenefitChange.objects.exists():
        run = AssessmentRun.objects.create(started_by=owner, region_code=household.region_code, on_date=today,
                                           status=AssessmentRun.Status.DONE)
        BenefitChange.objects.create(run=run, household=household, region_code=household.region_code,
                                     kind=BenefitChange.Kind.NEWLY_ELIGIBLE, new_amount_fen=50000)
    from bangfu.registry.models import Supporter

    if not Supporter.objects.exists():
        Supporter.objects.create(household=household, person=person, region_code=household.region_code, duty="elder",
                                 relation="child", name="赡养人")
    from bangfu.payments.models import Receivable

    if not Receivable.objects.exists():
        Receivable.objects.create(region_code=household.region_code, household=household, person=person, programme="dibao",
                                  reason="fraud", months=["2026-01"], amount_fen=50000, recorded_by=owner,
                                  write_off_reason="无可追回", write_off_requested_by=owner)
    if not FollowUpItem.objects.exists():
        FollowUpItem.objects.create(kind=ItemKind.SCHOOL, person=person, household=household, region_code=household.region_code,
                                    opened_on=today, due_date=today + dt.timedelta(days=30))
    if not PreventionEntry.objects.exists():
        PreventionEntry.objects.create(region_code=household.region_code, category=PreventionCategory.SEVERE_MENTAL,
                                       name=person.name, id_number=person.id_number, person=person, interval_days=30,
                                       next_due=today, address=household.address)
    from bangfu.outreach.models import Visit, VisitAttachment
    from bangfu.rescue.models import Stay, StayPhoto

    visit = Visit.objects.order_by("pk").first()
    if visit is not None and not VisitAttachment.objects.exists():
        from bangfu.outreach import attachments

        name = attachments.storage().save("2026/01/x.jpg", io.BytesIO(b"\xff\xd8\xff"))
        VisitAttachment.objects.create(visit=visit, region_code=visit.region_code, stored_name=name, original_name="走访.jpg",
                                       content_type="image/jpeg", size=3, sha256="0" * 64, uploaded_by=owner)
    stay = Stay.objects.order_by("pk").first()
    if stay is not None and not StayPhoto.objects.exists():
        StayPhoto.objects.create(stay=stay, region_code=stay.region_code, path="rescue/x.jpg", content_type="image/jpeg",
                                 size=3, sha256="0" * 64, uploaded_by=owner)


def _markers() -> set[str]:
    """What must never reach another county: persons' names and ID numbers, households' addresses."""
    from bangfu.registry.models import Household, Person

    markers = set()
    for name, id_number in Person.objects.values_list("name", "id_number"):
        markers.update(v for v in (name, id_number) if v and len(v) >= 2)
    markers.update(a for a in Household.objects.values_list("address", flat=True) if a and len(a) >= 4)
    return markers


def _data_digests() -> dict:
    from bangfu.common.backup import table_digests

    return {t: d for t, d in table_digests().items() if not any(k in t for k in LOG_TABLES)}


def test_no_page_shows_a_foreign_countys_object_to_any_role(world):
    markers = _markers()
    assert len(markers) > 100
    failures, unfilled, requested = [], [], 0
    clients = {}
    for role, user in world.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    before = _data_digests()  # after the logins (they write last_login)
    patterns = list(_patterns(get_resolver().url_patterns))
    for name, route, pattern in patterns:
        params = _params(pattern)
        if name.startswith("admin:") and params:
            continue  # UNFILLED["admin:*"]
        if params:
            fill = FILL.get(name)
            if fill is None or set(fill) != set(params):
                unfilled.append(f"{name} {route} {params}: no entry in FILL")
                continue
            values = {k: (v() if callable(v) else v) for k, v in fill.items()}
            if any(v is None for v in values.values()):
                unfilled.append(f"{name}: no foreign object for {values}")
                continue
        elif "<" in route or "(?P" in route or "^" in route:
            values = {}
            if not name.startswith("admin:"):
                unfilled.append(f"{name} {route}: unnamed parameters")
            continue
        else:
            values = {}
        url = "/" + route
        for key, value in values.items():
            url = url.replace(f"<int:{key}>", str(value)).replace(f"<str:{key}>", str(value))
            url = url.replace(f"<slug:{key}>", str(value)).replace(f"<{key}>", str(value)).replace(f"<path:{key}>", str(value))
        url = url.replace("^", "").replace("$", "")
        # The admin site refuses every non-staff account alike before reading anything: one role.
        roles = list(world.items())[:1] if name.startswith("admin:") else world.items()
        for role, user in roles:
            client = clients[role]
            response = client.get(url)
            requested += 1
            if response.status_code >= 500:
                failures.append(f"GET {url} as {role}: {response.status_code}")
            elif response.status_code == 200 and getattr(response, "streaming", False) and values:
                failures.append(f"GET {url} as {role}: 200, served a foreign object's file")
            elif response.status_code == 200 and not getattr(response, "streaming", False):
                body = response.content.decode(errors="replace")
                leaked = sorted(m for m in markers if m in body)
                if leaked:
                    failures.append(f"GET {url} as {role}: 200 with foreign data {leaked[:3]}")
            if values:
                response = client.post(url, POST_DATA.get(name, {}))
                requested += 1
                if response.status_code >= 500:
                    failures.append(f"POST {url} as {role}: {response.status_code}")
                elif response.status_code == 200 and not getattr(response, "streaming", False):
                    leaked = sorted(m for m in markers if m in response.content.decode(errors="replace"))
                    if leaked:
                        failures.append(f"POST {url} as {role}: 200 with foreign data {leaked[:3]}")
    assert not failures, f"{len(failures)} of {requested} requests:\n" + "\n".join(failures)
    after = _data_digests()
    changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
    assert not changed, f"POSTs by other counties' accounts changed the foreign county's data in {changed}"
    assert not unfilled, "URL patterns this test cannot fill (add them to FILL):\n" + "\n".join(unfilled)
    assert requested > 500

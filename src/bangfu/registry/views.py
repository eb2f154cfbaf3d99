"""Registry pages (issue 2 §3, §5, §7, §9). Thin: reads go through selectors (scoped), writes through
services; a record outside the user's region answers 404 exactly as a missing one (accounts.access).
Permission is checked before the record is looked up, so a refused action says 403 whatever the id."""

from __future__ import annotations


from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangfu.accounts.permissions import require_perm
from bangfu.accounts.access import NotFound, access_by_id
from bangfu.common.models import AccessLog, log_access

from . import permissions
from . import choices as c
from . import forms as f
from . import selectors, services
from .errors import RegistryError
from .history import household_history
from .selectors import member_counts


def _export_url() -> str:
    try:
        return reverse("registry:survey_export")
    except NoReverseMatch:
        return "/registry/survey/export/"


# ----------------------------------------------------------------------------- list


@require_perm(permissions.VIEW_HOUSEHOLDS)
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    form = f.HouseholdSearchForm(request.GET or None, user=request.user)
    flt = selectors.HouseholdFilter(**form.filter_values()) if form.is_bound else selectors.HouseholdFilter()
    try:
        before = max(int(request.GET.get("before") or 0), 0) or None
    except ValueError:
        before = None
    sort = form.sort_value() if form.is_bound else ""
    after = request.GET.get("after", "")[:120]
    rows, next_cursor = selectors.household_page(request.user, flt, before=before, sort=sort, after=after)
    counts = member_counts([h.pk for h in rows])
    for household in rows:
        household.member_count = counts.get(household.pk, 0)
    query = request.GET.copy()
    query.pop("before", None)
    query.pop("after", None)
    # keyset pages: the default order pages on the household number (`before`), the others on a
    # "value~pk" cursor (`after`)
    default_order = sort == ""
    total = selectors.household_count(request.user, flt)
    context = {
        "form": form, "rows": rows, "before": before or after,
        "next_before": next_cursor if default_order else None, "next_after": None if default_order else next_cursor,
        "total": total, "total_capped": total > selectors.COUNT_CAP, "count_cap": selectors.COUNT_CAP,
        "export_url": f"{_export_url()}?{query.urlencode()}" if query else _export_url(),
    }
    fragment = request.htmx and not request.htmx.history_restore_request and request.htmx.target == "household-table"
    template = "registry/_household_table.html" if fragment else "registry/household_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ----------------------------------------------------------------------------- household page


@require_perm(permissions.VIEW_HOUSEHOLDS)
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(request.user, pk)
    today = timezone.localdate()
    members = selectors.household_members(household)
    for person in members:
        person.age = person.age_on(today)
    log_access(acting_user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="household", object_id=household.pk,
               region_code=household.region_code, detail=f"家庭档案 {household.pk}", request=request)
    # The panel "政策测评" (issue 3 "Output") is policy's: its template tag judges the household
    # (policy/_household_determination.html), so the registry imports nothing from the layer above.
    context = {
        "household": household,
        "active": household.status == c.HouseholdStatus.ACTIVE,
        "members": members,
        "incomes": household.incomeitems.select_related("person").order_by("-valid_from", "pk"),
        "assets": household.assets.select_related("person").order_by("kind", "pk"),
        "expenses": household.rigidexpenses.select_related("person").order_by("-valid_from", "pk"),
        "classifications": household.classifications.select_related("person").order_by("kind", "-start_date", "pk"),
        "supporters": household.supporters.select_related("person").order_by("person_id", "pk"),
        "memberships": household.memberships.select_related("person").order_by("start_date", "pk"),
        "history": household_history(household),
    }
    return render(request, "registry/household_detail.html", context)


@require_perm(permissions.VIEW_FULL_ID)
@require_POST
def person_full_number(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """The unmasked ID number or phone of one person, for the htmx button; each look is logged."""
    person = selectors.person_get(request.user, pk)
    if what == "id-number":
        value, action = person.id_number, AccessLog.Action.VIEW_ID_NUMBER
    elif what == "phone":
        value, action = person.phone, AccessLog.Action.VIEW_PHONE
    else:
        raise Http404
    log_access(acting_user=request.user, action=action, object_type="person", object_id=person.pk,
               region_code=person.region_code, request=request)
    response = render(request, "registry/_full_number.html", {"value": value})
    response["Cache-Control"] = "no-store"
    return response


# ----------------------------------------------------------------------------- create and edit


@require_perm(permissions.EDIT)
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = f.HouseholdForm(request.POST, user=request.user)
        if "add_member" in request.POST:
            # a browser without htmx asked for one more member row: show the form again, unchecked
            formset = f.member_formset(request.POST, user=request.user, add_row=True)
            return render(request, "registry/household_form.html", {"form": form, "formset": formset, "unchecked": True})
        formset = f.member_formset(request.POST, user=request.user)
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        if form_ok and formset_ok:
            try:
                household = services.household_create(acting_user=request.user, members=formset.member_data(), **form.service_kwargs())
            except RegistryError as exc:
                f.apply_errors(form, exc.errors, formset=formset)
            else:
                messages.success(request, _("已建立家庭档案（编号 %(pk)s）。") % {"pk": household.pk})
                return redirect(household)
    else:
        form = f.HouseholdForm(user=request.user)
        formset = f.member_formset(user=request.user)
    return render(request, "registry/household_form.html", {"form": form, "formset": formset})


@require_perm(permissions.EDIT)
@require_GET
def member_row(request: HttpRequest) -> HttpResponse:
    """One more blank member row for the create form (htmx), with the formset count updated."""
    try:
        index = max(0, min(int(request.GET.get("index", "0")), 29))
    except ValueError:
        index = 0
    formset = f.member_formset(user=request.user)
    form = formset.form(prefix=formset.add_prefix(index), empty_permitted=True, use_required_attribute=False)
    return render(request, "registry/_member_row.html", {"member": form, "index": index, "next_index": index + 1})


@require_perm(permissions.EDIT)
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(request.user, pk)
    form = f.HouseholdForm(request.POST or None, user=request.user, initial=f.HouseholdForm.initial_for(household))
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(acting_user=request.user, household_id=household.pk, **form.service_kwargs())
        except RegistryError as exc:
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, _("家庭信息已保存。"))
            return redirect(household)
    return render(request, "registry/household_edit.html", {"form": form, "household": household})


@require_perm(permissions.EDIT)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(request.user, pk)
    if request.method == "GET" and person.phone:
        # the form shows the phone number in full (to correct it), so the look is logged like the button's
        log_access(acting_user=request.user, action=AccessLog.Action.VIEW_PHONE, object_type="person", object_id=person.pk,
                   region_code=person.region_code, detail="编辑成员信息", request=request)
    form = f.PersonForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(acting_user=request.user, person_id=person.pk, data=form.person_data())
        except RegistryError as exc:
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, _("%(name)s 的信息已保存。") % {"name": form.cleaned_data["name"]})
            return redirect(person.household) if person.household_id else redirect("registry:household_list")
    return render(request, "registry/person_form.html", {"form": form, "person": person, "household": person.household})


@require_perm(permissions.EDIT)
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(request.user, pk)
    form = f.MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_add(acting_user=request.user, household_id=household.pk, data=form.person_data())
        except RegistryError as exc:
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, _("已增加成员 %(name)s。") % {"name": person.name})
            return redirect(household)
    return render(request, "registry/person_form.html", {"form": form, "household": household, "adding": True})


@require_perm(permissions.EDIT)
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    form_class = f.ITEM_FORMS.get(kind)
    if form_class is None:
        raise Http404
    household = selectors.household_get(request.user, pk)
    members = selectors.household_members(household)
    form = form_class(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_add(acting_user=request.user, household_id=household.pk, kind=kind, data=form.item_data())
        except RegistryError as exc:
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, _("已添加%(what)s。") % {"what": form_class.title})
            return redirect(household)
    return render(request, "registry/item_form.html", {"form": form, "household": household, "title": form_class.title})


@require_perm(permissions.EDIT)
@require_POST
def item_delete(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    if kind not in services.ITEM_MODELS:
        raise Http404
    item = access_by_id(request.user, services.ITEM_MODELS[kind].objects.all(), item_id)
    services.item_delete(acting_user=request.user, kind=kind, item_id=item.pk)
    messages.success(request, _("已删除。"))
    return redirect("registry:household_detail", item.household_id)


@require_perm(permissions.EDIT)
@require_http_methods(["GET", "POST"])
def household_split(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(request.user, pk)
    members = selectors.household_members(household)
    form = f.SplitForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.household_split(acting_user=request.user, household_id=household.pk, **form.service_kwargs())
        except RegistryError as exc:
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, _("分户完成：新家庭编号 %(pk)s。") % {"pk": new.pk})
            return redirect(new)
    return render(request, "registry/household_split.html", {"form": form, "household": household})


@require_perm(permissions.EDIT)
@require_http_methods(["GET", "POST"])
def household_change_head(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(request.user, pk)
    form = f.ChangeHeadForm(request.POST or None, members=selectors.household_members(household), current_head_id=household.head_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_change_head(acting_user=request.user, household_id=household.pk,
                                           person_id=form.cleaned_data["head"], former_head_relation=form.cleaned_data["relation"])
        except RegistryError as exc:
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, _("户主已变更。"))
            return redirect(household)
    return render(request, "registry/household_change_head.html", {"form": form, "household": household})


@require_perm(permissions.EDIT)
@require_http_methods(["GET", "POST"])
def household_merge(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(request.user, pk)
    form = f.MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_merge(acting_user=request.user, target_id=household.pk,
                                     source_id=form.cleaned_data["source"], day=form.cleaned_data["day"])
        except NotFound:
            form.add_error("source", _("未找到编号为 %(pk)s 的家庭") % {"pk": form.cleaned_data["source"]})
        except RegistryError as exc:
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, _("合户完成：家庭 %(source)s 已并入本户。") % {"source": form.cleaned_data["source"]})
            return redirect(household)
    return render(request, "registry/household_merge.html", {"form": form, "household": household})


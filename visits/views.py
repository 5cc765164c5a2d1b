"""Home-visit rounds: the list, planning a round from Vroeg's proposal, the route sheet
(printable) and recording the visits in one screen."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

from .forms import KeptVisitsForm, RoundPlanForm, VisitResultForm
from .models import VisitStatus
from .selectors import due_home_visits, round_proposal, rounds_for_user, route_sheet
from .services import RoundAlreadyRecorded, RoundRefused, VisitResult, round_delete, round_plan, round_record


@permission_required("accounts.work_cases", raise_exception=True)
def round_list(request: HttpRequest) -> HttpResponse:
    """The user's rounds (a team lead's: the team's): planned ones first, then recorded."""
    rounds = (
        rounds_for_user(user=request.user)
        .select_related("caseworker")
        .annotate(
            visit_count=Count("visits"),
            reached_count=Count("visits", filter=Q(visits__status=VisitStatus.REACHED)),
            attempt_count=Count("visits", filter=Q(visits__status__in=[VisitStatus.REACHED, VisitStatus.NOT_REACHED])),
        )
    )
    return render(
        request,
        "visits/round_list.html",
        {
            "planned": rounds.filter(recorded_at__isnull=True).order_by("day", "pk"),
            "recorded": rounds.filter(recorded_at__isnull=False).order_by("-day", "-pk")[:50],
        },
    )


def _criteria(form: RoundPlanForm) -> dict:
    data = form.cleaned_data
    return {
        "user": form.user,
        "municipality": data["municipality"],
        "day": data["day"],
        "caseworker": data["caseworker"],
        "scope": data["scope"],
        "area": data["area"],
    }


@require_http_methods(["GET", "POST"])
@permission_required("accounts.work_cases", raise_exception=True)
def round_create(request: HttpRequest) -> HttpResponse:
    """GET with the criteria: Vroeg's proposal (the due home visits in the order of the
    route, capped), each kept unless unchecked. POST: save the round with the kept ones."""
    data = request.POST if request.method == "POST" else (request.GET if "day" in request.GET else None)
    form = RoundPlanForm(data, user=request.user)
    kept_form = None
    if request.method == "POST" and form.is_valid():
        due_ids = list(due_home_visits(**_criteria(form)).values_list("pk", flat=True))
        kept_form = KeptVisitsForm(request.POST, case_ids=due_ids)
        if kept_form.is_valid():
            try:
                round = round_plan(
                    **_criteria(form),
                    part=form.cleaned_data["part_of_day"],
                    cap=form.cleaned_data["cap"],
                    case_ids=kept_form.cleaned_data["cases"],
                )
            except RoundRefused as refused:
                kept_form.add_error(None, refused.message)
            else:
                messages.success(request, _("The round has been saved. Print the route sheet to take along."))
                return redirect("visit-round-detail", pk=round.pk)
    proposal = None
    if form.is_bound and form.is_valid():
        proposal = round_proposal(**_criteria(form), cap=form.cleaned_data["cap"])
        criteria = form.cleaned_data
        audit_log(
            action=AuditAction.VIEW,
            request=request,
            object_type="visits.proposal",
            object_id=f"{criteria['day']:%d-%m-%Y}",
            municipality=criteria["municipality"],
            detail={
                "caseworker": criteria["caseworker"].get_username(),
                "area": str(criteria["area"]),
                "cases": [c.pk for c in proposal.cases],
            },
        )
        _audit_case_reads(request, proposal.cases, what=f"voorstel huisbezoeken {criteria['day']:%d-%m-%Y}")
    return render(
        request,
        "visits/round_plan.html",
        {"form": form, "proposal": proposal, "kept_form": kept_form, "kept": _kept(request, proposal)},
    )


def _kept(request: HttpRequest, proposal) -> set[int]:
    """The proposed visits shown checked: all of them, or after a refused save those the
    user had kept."""
    if proposal is None:
        return set()
    if request.method == "POST":
        return {int(v) for v in request.POST.getlist("cases") if v.isdigit()}
    return {c.pk for c in proposal.cases}


@permission_required("accounts.work_cases", raise_exception=True)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The route sheet, to print: per visit in the order of the route the address, the
    residents to ask for, the case, the card to leave behind and room for notes; once
    recorded, what came of each visit."""
    round = get_object_or_404(
        rounds_for_user(user=request.user).select_related("caseworker", "municipality", "recorded_by"), pk=pk
    )
    rows = route_sheet(round=round)
    audit_log(action=AuditAction.VIEW, request=request, obj=round, detail={"cases": [r.case.pk for r in rows]})
    _audit_case_reads(request, [r.case for r in rows], what=f"routekaart van huisbezoekronde {round.pk}")
    return render(request, "visits/round_detail.html", {"round": round, "rows": rows})


@require_http_methods(["GET", "POST"])
@permission_required("accounts.work_cases", raise_exception=True)
def round_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record every visit of the round in one screen."""
    round = get_object_or_404(rounds_for_user(user=request.user).select_related("caseworker", "municipality"), pk=pk)
    if round.is_recorded:
        messages.info(request, _("This round has been recorded already."))
        return redirect("visit-round-detail", pk=round.pk)
    rows = route_sheet(round=round)
    data = request.POST if request.method == "POST" else None
    initial = {"status": VisitStatus.NOT_VISITED, "part_of_day": round.part_of_day}
    forms_by_row = [(row, VisitResultForm(data, prefix=f"v{row.visit.pk}", initial=initial)) for row in rows]
    refusal = None
    if request.method == "POST" and all(form.is_valid() for _row, form in forms_by_row):
        results = {
            row.visit.pk: VisitResult(
                status=form.cleaned_data["status"],
                part_of_day=form.cleaned_data["part_of_day"],
                note=form.cleaned_data["note"],
            )
            for row, form in forms_by_row
        }
        try:
            round_record(user=request.user, round_id=round.pk, results=results)
        except RoundAlreadyRecorded as already:
            messages.info(request, already.message)
            return redirect("visit-round-detail", pk=round.pk)
        except RoundRefused as refused:
            refusal = forms.Form(request.POST)
            refusal.add_error(None, refused.message)
        else:
            made = sum(1 for r in results.values() if r.status != VisitStatus.NOT_VISITED)
            messages.success(
                request,
                ngettext(
                    "The round has been recorded: %(count)d contact attempt.",
                    "The round has been recorded: %(count)d contact attempts.",
                    made,
                )
                % {"count": made},
            )
            return redirect("visit-round-detail", pk=round.pk)
    if request.method == "GET":
        audit_log(action=AuditAction.VIEW, request=request, obj=round, detail={"cases": [r.case.pk for r in rows]})
        _audit_case_reads(request, [r.case for r in rows], what=f"verslagscherm van huisbezoekronde {round.pk}")
    return render(
        request, "visits/round_record.html", {"round": round, "forms_by_row": forms_by_row, "refusal": refusal}
    )


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def round_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_object_or_404(rounds_for_user(user=request.user), pk=pk)
    try:
        round_delete(user=request.user, round_id=round.pk)
    except RoundRefused as refused:
        messages.error(request, refused.message)
        return redirect("visit-round-detail", pk=round.pk)
    messages.success(request, _("The round has been deleted. Its visits can be planned again."))
    return redirect("visit-round-list")


def _audit_case_reads(request: HttpRequest, cases, *, what: str) -> None:
    """Each case whose address and residents a page shows gets its own read entry, so
    the privacy officer's search by resident (by case) finds it too."""
    for case in cases:
        audit_log(action=AuditAction.VIEW, request=request, obj=case, detail={"what": what})

"""The caseworker's queue and the case page with the steps this user may take."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_fsm import has_transition_perm

from vroeg.accounts.selectors import caseworkers_for_user, users_holding
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.formrender import WIDGETS
from vroeg.municipalities.selectors import municipalities_for_user
from vroeg.paging import COUNT_CAP
from vroeg.redirects import safe_next
from vroeg.searches import search_query, search_redirect

from . import deadlines
from .brp import BrpResult
from .crisis import crisis_term_refusal
from .forms import (
    NEXT_STEP_SORT,
    AssignForm,
    CloseForm,
    CrisisJudgementForm,
    CrisisReasonForm,
    ObjectionForm,
    QueueFilterForm,
    ReopenForm,
    WorkTrayForm,
)
from .hooks import case_panels
from .models import Case
from .objections import objection_record, objection_withdraw, objections_for_case
from .priority import case_priority, weights, with_priority_points
from .selectors import (
    apply_tray,
    cases_for_user,
    crisis_terms_for_case,
    deadline_shown,
    deadline_status,
    filter_queue,
    queue_by_next_step,
    queue_counts,
    queue_for_user,
    queue_page,
    term_met_on,
    trays_for_user,
    with_awaiting,
    with_open_due,
)
from .services import (
    CaseActionRefused,
    case_accept_help,
    case_close,
    case_make_contact,
    case_mark_threatening,
    case_pick_up,
    case_reopen,
    cases_assign,
    crisis_proposal_dismiss,
    crisis_term_withdraw,
    finding_confirm,
    finding_record_brp_check,
    work_tray_delete,
    work_tray_save,
)
from .timeline import case_reads, case_timeline

# What each step tells the caseworker once it is done.
STEP_DONE = {
    "pick_up": gettext_lazy("The case has been picked up."),
    "make_contact": gettext_lazy("Contact with the resident has been recorded."),
    "accept_help": gettext_lazy("Help accepted has been recorded; the partners have been told."),
}
STEPS = {
    "pick_up": (case_pick_up, gettext_lazy("Pick up")),
    "make_contact": (case_make_contact, gettext_lazy("Contact made")),
    "accept_help": (case_accept_help, gettext_lazy("Help accepted")),
}


@permission_required("accounts.work_cases", raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_queue(request: HttpRequest) -> HttpResponse:
    """The queue. Its search form posts (the terms can name a resident) and is shown
    at ?zoek=<id> (vroeg/searches.py), so no surname or BSN reaches an access log."""
    if request.method == "POST":
        return search_redirect(request)
    query = search_query(request)
    today = timezone.localdate()
    queue = queue_for_user(user=request.user, today=today)
    trays = list(trays_for_user(user=request.user))
    tray = next((t for t in trays if str(t.pk) == query.get("bak")), None)
    if tray is not None:
        queue = apply_tray(queue, tray, today=today)
        audit_log(action=AuditAction.SEARCH, request=request, obj=tray)
    if query.get("mijn"):
        queue = queue.filter(assigned_to=request.user)
    filters = QueueFilterForm(query or None)
    valid = filters.is_bound and filters.is_valid()
    if valid and any(v for k, v in filters.cleaned_data.items() if k != "sort"):
        queue = filter_queue(queue, filters.cleaned_data, today=today)
        audit_log(
            action=AuditAction.SEARCH,
            request=request,
            object_type="cases.queue",
            detail={k: str(v) for k, v in filters.cleaned_data.items() if v},
        )
    if valid and filters.cleaned_data["sort"] == NEXT_STEP_SORT:
        queue = queue_by_next_step(queue)
    page = queue_page(queue, query.get("pagina"))
    counts = queue_counts(queue, today=today)
    rows = [{"case": case, "deadline": deadline_shown(case, today=today)} for case in page.object_list]
    is_lead = request.user.has_perm("accounts.lead_team")
    caseworkers = list(caseworkers_for_user(user=request.user)) if is_lead else None
    return render(
        request,
        "cases/queue.html",
        {
            "page": page,
            "rows": rows,
            "trays": trays,
            "tray": tray,
            "mine": bool(query.get("mijn")),
            "filters": filters,
            "counts": counts,
            "count_cap": COUNT_CAP,
            "today": today,
            "assign_form": AssignForm(caseworkers=caseworkers, cases=None, user=request.user) if is_lead else None,
        },
    )


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def case_assign_view(request: HttpRequest) -> HttpResponse:
    """Assign one or more cases: team leads to any caseworker, a caseworker to themselves."""
    form = AssignForm(
        request.POST,
        caseworkers=caseworkers_for_user(user=request.user),
        cases=cases_for_user(user=request.user),
    )
    if not form.is_valid():
        messages.error(request, _("Choose the cases and whom to assign them to."))
        return redirect(safe_next(request, reverse("caseworker-dashboard")))
    chosen, assignee = form.cleaned_data["cases"], form.cleaned_data["assignee"]
    try:
        count = cases_assign(user=request.user, case_ids=[c.pk for c in chosen], assignee=assignee)
    except CaseActionRefused as refused:
        messages.error(request, refused.message)
        return redirect(safe_next(request, reverse("caseworker-dashboard")))
    if count and assignee is None:
        messages.success(
            request,
            ngettext(
                "%(count)d case is no longer assigned to anyone.",
                "%(count)d cases are no longer assigned to anyone.",
                count,
            )
            % {"count": count},
        )
    elif count:
        name = assignee.get_full_name() or assignee.get_username()
        messages.success(
            request,
            ngettext("%(count)d case assigned to %(name)s.", "%(count)d cases assigned to %(name)s.", count)
            % {"count": count, "name": name},
        )
    if skipped := len(chosen) - count:
        messages.warning(
            request,
            ngettext(
                "%(count)d case was left as it was: it has been closed, or the caseworker does not work in its "
                "municipality.",
                "%(count)d cases were left as they were: they have been closed, or the caseworker does not work in "
                "their municipality.",
                skipped,
            )
            % {"count": skipped},
        )
    return redirect(safe_next(request, reverse("caseworker-dashboard")))


@permission_required("accounts.lead_team", raise_exception=True)
def tray_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "cases/tray_list.html", {"trays": trays_for_user(user=request.user).select_related("municipality")}
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts.lead_team", raise_exception=True)
def tray_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    tray = get_object_or_404(trays_for_user(user=request.user), pk=pk) if pk else None
    form = WorkTrayForm(
        request.POST if request.method == "POST" else None,
        instance=tray,
        municipalities=municipalities_for_user(user=request.user),
    )
    if request.method == "POST":
        if "delete" in request.POST and tray is not None:
            work_tray_delete(user=request.user, tray_id=tray.pk)
            messages.success(request, _("The work tray has been deleted."))
            return redirect("tray-list")
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in WorkTrayForm.Meta.fields}
            work_tray_save(user=request.user, data=data, tray_id=tray.pk if tray else None)
            messages.success(request, _("The work tray has been saved."))
            return redirect("tray-list")
    return render(request, "cases/tray_edit.html", {"form": form, "tray": tray})


def _case_deadlines(case, crisis_terms: list[dict], today) -> list[tuple[str, dict]]:
    """The case's deadlines with how each stands: while open, by its rule (and whether
    its step is still to be taken: `awaits_*`); once closed, as kept at closing."""
    is_open = case.is_open
    current = next((row for row in crisis_terms if row["current"]), None)
    crisis_met = (bool(current["term"].is_met) if current else None) if is_open else case.crisis_due_met
    rows = [
        (
            _("Legal term (4 weeks)"),
            deadline_status(
                case.contact_due,
                today=today,
                awaits=is_open and case.awaits_contact_due,
                met=deadlines.LEGAL_TERM.met(case) if is_open else case.contact_due_met,
                met_on=term_met_on(case, deadlines.LEGAL_TERM),
            ),
        ),
        (
            _("LCV target (2 weeks)"),
            deadline_status(
                case.lcv_target,
                today=today,
                awaits=is_open and case.awaits_lcv_target,
                met=deadlines.LCV_TARGET.met(case) if is_open else case.lcv_target_met,
                met_on=term_met_on(case, deadlines.LCV_TARGET),
            ),
        ),
        (
            _("Crisis term (3 working days)"),
            deadline_status(case.crisis_due, today=today, awaits=is_open and case.awaits_crisis_due, met=crisis_met),
        ),
    ]
    if case.effort_due:
        rows.append(
            (
                _("Own term (CAK list, effort duty)"),
                deadline_status(
                    case.effort_due,
                    today=today,
                    awaits=is_open and case.awaits_effort_due,
                    met=deadlines.CAK_EFFORT.met(case),
                    met_on=term_met_on(case, deadlines.CAK_EFFORT),
                ),
            )
        )
    return rows


def _crisis_terms(case, terms, today) -> list[dict]:
    """The case's crisis terms (`crisis_terms_for_case`): the current one (the case's
    crisis fields) in red once it has passed while still waiting for a conversation,
    like the queue shows it."""
    rows = []
    for t in terms:
        current = (
            case.is_open and t.withdrawn_at is None and (t.judged_on, t.due) == (case.crisis_judged_on, case.crisis_due)
        )
        if t.withdrawn_at is not None:
            # A withdrawn term no longer counts (crisis_term_met): neither met nor missed.
            deadline = deadline_status(t.due, today=today, awaits=False, met=None)
        else:
            awaits = case.awaits_crisis_due if current else (case.is_open and not t.is_met and t.due >= today)
            deadline = deadline_status(t.due, today=today, awaits=awaits, met=bool(t.is_met))
        rows.append({"term": t, "current": current, "deadline": deadline})
    return rows


def _assignment(case, user) -> dict:
    """Who works the case, and the form a team lead assigns it with: the case's
    municipality's caseworkers, starting at its caseworker, else the lead when they
    work cases there, else the first; "nobody" only as an explicit choice."""
    if not case.is_open or not user.has_perm("accounts.lead_team"):
        return {"assign_form": None}
    caseworkers = users_holding("work_cases", municipalities=case.municipality_id).order_by(
        "first_name", "last_name", "username"
    )
    return {
        "assign_form": AssignForm(
            caseworkers=caseworkers,
            cases=None,
            user=user,
            current=case.assigned_to,
            auto_id="id_case_%s",
            renderer=WIDGETS,
        )
    }


# (day, weights) → every case with what the case page reads with it (below).
_case_page_cases: tuple[tuple, QuerySet[Case]] | None = None


def _case_page_queryset(today: date) -> QuerySet[Case]:
    """Cases with `awaits_*`, `open_due` and each rule's points for `today`, with
    household, municipality and caseworker. Building these expressions costs more than
    reading the case, so the queryset is built once per process and day (and priority
    weights) and only narrowed per request; like a generic view's class-level queryset
    it is never evaluated itself, each use is a clone. The builders read nothing but
    their arguments and settings (no database)."""
    global _case_page_cases
    key = (today, tuple(sorted(weights().items())))
    cached = _case_page_cases  # read once: another thread may replace it meanwhile
    if cached is None or cached[0] != key:
        queryset = with_priority_points(with_open_due(with_awaiting(Case.objects.all())), today=today)
        cached = (key, queryset.select_related("household", "municipality", "assigned_to"))
        _case_page_cases = cached
    return cached[1]


@permission_required("accounts.work_cases", raise_exception=True)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    # Only one of the user's cases: cases_for_user's conditions, added to the query.
    case = get_object_or_404(_case_page_queryset(today) & cases_for_user(user=request.user), pk=pk)
    audit_log(action=AuditAction.VIEW, request=request, obj=case)
    steps = [
        {"name": name, "label": label}
        for name, (_service, label) in STEPS.items()
        if has_transition_perm(getattr(case, name), request.user)
    ]
    signals = list(case.signals.select_related("partner", "delivery__referral").order_by("received_on", "line_number"))
    terms = list(crisis_terms_for_case(case=case))
    crisis_terms = _crisis_terms(case, terms, today)
    findings = list(case.findings.select_related("checked_by", "confirmed_by"))
    residents = list(case.household.residents.order_by("surname"))
    # Read once for the timeline and the panels (cases.hooks.case_panels `reads`).
    reads = case_reads(case)
    objection_form = ObjectionForm(
        residents=case.household.residents.all(), initial={"objected_on": today}, renderer=WIDGETS
    )
    # Its choices are the residents read above, not two queries of their own.
    objection_form.fields["resident"].choices = [(r.pk, str(r)) for r in residents]
    context = {
        "case": case,
        "signals": signals,
        "residents": residents,
        "findings": findings,
        "timeline": case_timeline(case, signals=signals, findings=findings, crisis_terms=terms, reads=reads),
        "phones": sorted({s.phone for s in signals if s.phone}),
        "emails": sorted({s.email for s in signals if s.email}),
        "priority": case_priority(case, today=today) if case.is_open else None,
        "deadlines": _case_deadlines(case, crisis_terms, today),
        "crisis_terms": crisis_terms,
        # Why judging the situation threatening today would start no term (None: it would).
        "crisis_refusal": crisis_term_refusal(case, judged_on=today, today=today),
        "today": today,
        "steps": steps,
        "can_close": has_transition_perm(case.close, request.user),
        "can_reopen": has_transition_perm(case.reopen, request.user),
        "close_form": CloseForm(state=case.state, renderer=WIDGETS),
        "reopen_form": ReopenForm(renderer=WIDGETS),
        "brp_results": [r for r in BrpResult if r != BrpResult.NOT_CHECKED],
        **_assignment(case, request.user),
        "objections": list(objections_for_case(case=case)),
        "objection_form": objection_form,
    }
    # What outreach (attempts, notes, letters) and feedback (partners, pauses, consent)
    # show on this page: they register panels (cases.hooks), cases never imports them.
    for panel in case_panels(case=case, user=request.user, request=request, reads=reads):
        context.update(panel)
    return render(request, "cases/case_detail.html", context)


def _act(request, pk, action, done: str = "") -> HttpResponse:
    try:
        action()
    except CaseActionRefused as refused:
        messages.error(request, refused.message)
    else:
        if done:
            messages.success(request, done)
    return redirect("case-detail", pk=pk)


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    if step not in STEPS:
        return redirect("case-detail", pk=case.pk)
    service, _label = STEPS[step]
    expected = request.POST.get("expected_state") or None
    return _act(
        request,
        case.pk,
        lambda: service(case_id=case.pk, user=request.user, expected_state=expected),
        done=str(STEP_DONE[step]),
    )


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def case_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    form = CloseForm(request.POST, state=request.POST.get("expected_state") or case.state)
    if not form.is_valid():
        messages.error(request, _("Choose an end result that fits this case."))
        return redirect("case-detail", pk=case.pk)
    return _act(
        request,
        case.pk,
        lambda: case_close(
            case_id=case.pk,
            user=request.user,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            expected_state=request.POST.get("expected_state") or None,
        ),
    )


@require_POST
@permission_required("accounts.lead_team", raise_exception=True)
def case_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, case.pk, lambda: case_reopen(case_id=case.pk, user=request.user, reason=reason))


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def case_threatening_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    form = CrisisJudgementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date of the judgement as a date, for example 30-11-2026."))
        return redirect("case-detail", pk=case.pk)
    return _act(
        request,
        case.pk,
        lambda: case_mark_threatening(
            case_id=case.pk, user=request.user, on=form.cleaned_data["judged_on"], reason=form.cleaned_data["reason"]
        ),
    )


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def crisis_proposal_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    form = CrisisReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, case.pk, lambda: crisis_proposal_dismiss(case_id=case.pk, user=request.user, reason=reason))


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def crisis_term_withdraw_view(request: HttpRequest, pk: int, term_id: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    get_object_or_404(case.crisis_terms, pk=term_id)  # only this case's
    form = CrisisReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        case.pk,
        lambda: crisis_term_withdraw(case_id=case.pk, term_id=term_id, user=request.user, reason=reason),
    )


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def finding_confirm_view(request: HttpRequest, pk: int, finding_id: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    finding = get_object_or_404(case.findings, pk=finding_id)
    return _act(request, case.pk, lambda: finding_confirm(finding_id=finding.pk, user=request.user))


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def brp_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    result = request.POST.get("result", "")
    if result not in BrpResult.values or result == BrpResult.NOT_CHECKED:
        messages.error(request, _("Choose what the BRP says."))
        return redirect("case-detail", pk=case.pk)
    return _act(
        request,
        case.pk,
        lambda: finding_record_brp_check(
            case_id=case.pk, user=request.user, result=result, note=request.POST.get("note", "")[:200]
        ),
    )


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def objection_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    form = ObjectionForm(request.POST, residents=case.household.residents.all())
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("case-detail", pk=case.pk)
    data = {k: v for k, v in form.cleaned_data.items() if k != "resident"}
    resident_id = form.cleaned_data["resident"].pk
    return _act(
        request, case.pk, lambda: objection_record(case_id=case.pk, user=request.user, resident_id=resident_id, **data)
    )


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def objection_withdraw_view(request: HttpRequest, pk: int, objection_id: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    get_object_or_404(objections_for_case(case=case), pk=objection_id)  # only this household's
    return _act(
        request, case.pk, lambda: objection_withdraw(objection_id=objection_id, case_id=case.pk, user=request.user)
    )

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import OPEN_STATES, CaseState
from cases.selectors import cases_for_user
from cases.services import CaseActionRefused
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.formrender import WIDGETS

from . import plans
from .forms import ActionPlanForm, ContactAttemptForm, MessageForm, MessageTextForm, NoteForm, PlanStepChangeForm
from .hooks import extras_for
from .messages import MESSAGES, message_signer, render_message
from .models import QuickFix
from .selectors import case_plan_view, message_addressees
from .services import (
    APPROACHABLE,
    action_plan_save,
    case_plan_refresh,
    contact_attempt_record,
    message_sent_record,
    note_add,
)


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def contact_attempt_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    form = ContactAttemptForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        messages.error(request, _("The contact attempt was not saved. %s") % errors)
    else:
        try:
            contact_attempt_record(
                case_id=case.pk,
                user=request.user,
                kind=form.cleaned_data["kind"],
                reached=form.cleaned_data["reached"],
                attempted_at=form.attempted_at(),
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The contact attempt has been recorded."))
        except CaseActionRefused as refused:
            messages.error(request, refused.message)
    return redirect("case-detail", pk=case.pk)


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note_add(case_id=case.pk, user=request.user, text=form.cleaned_data["text"])
        except CaseActionRefused as refused:
            messages.error(request, refused.message)
    else:
        messages.error(request, _("A note cannot be empty."))
    return redirect("case-detail", pk=case.pk)


@require_http_methods(["GET", "POST"])
@permission_required("accounts.work_cases", raise_exception=True)
def action_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user).select_related("household"), pk=pk)
    latest = case.action_plans.first()
    if request.method == "POST":
        form = ActionPlanForm(request.POST)
        if form.is_valid():
            try:
                plan = action_plan_save(case_id=case.pk, user=request.user, data=form.plan_data())
            except CaseActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Version %d of the plan has been saved.") % plan.version)
                return redirect("action-plan-print", pk=case.pk, version=plan.version)
    else:
        form = ActionPlanForm(initial=ActionPlanForm.initial_from(latest))
        audit_log(
            action=AuditAction.VIEW,
            request=request,
            obj=case,
            detail={"action_plan": latest.version if latest else None},
        )
    return render(
        request,
        "outreach/action_plan_edit.html",
        {
            "case": case,
            "form": form,
            "versions": case.action_plans.select_related("created_by"),
            "latest": latest,
        },
    )


@permission_required("accounts.work_cases", raise_exception=True)
def action_plan_print(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user).select_related("household", "municipality"), pk=pk)
    plan = get_object_or_404(case.action_plans.select_related("created_by"), version=version)
    audit_log(action=AuditAction.VIEW, request=request, obj=plan, detail={"case": case.pk})
    latest = case.action_plans.values_list("version", flat=True).first()
    return render(
        request,
        "outreach/action_plan_print.html",
        {
            "case": case,
            "plan": plan,
            "is_latest": plan.version == latest,
            # Stored as ISO dates (JSON); printed the Dutch way like every other date.
            "actions": [{**a, "when": date.fromisoformat(a["when"]) if a.get("when") else None} for a in plan.actions],
            "quick_fix_labels": [QuickFix(q).label for q in plan.quick_fixes],
            "residents": case.household.residents.order_by("surname"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts.work_cases", raise_exception=True)
def message_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Show a filled letter, card or text for the addressee the caseworker picks, to
    print or copy. POST with action=preview shows the text as the caseworker adjusted
    it; any other POST records the text shown as sent (a contact attempt)."""
    case = get_object_or_404(
        cases_for_user(user=request.user).select_related("household", "municipality", "assigned_to"), pk=pk
    )
    if kind not in MESSAGES:
        raise Http404
    message = MESSAGES[kind]
    addressees = message_addressees(case=case)
    data = request.POST if request.method == "POST" else (request.GET or None)
    if data is None and not message.needs_visit and len(addressees) == 1:
        data = {"resident": addressees[0].pk}  # one possible addressee: show the text at once
    form = MessageForm(data, residents=addressees, needs_visit=message.needs_visit)
    valid = form.is_bound and form.is_valid()
    previewing = request.method == "POST" and request.POST.get("action") == "preview"
    if request.method == "POST" and not valid:
        messages.error(request, _("Choose the addressee (and the home visit) before recording the message."))
        return redirect("case-detail", pk=case.pk)
    signer = message_signer(case=case, user=request.user)
    generated = None
    extras = []
    if valid:
        if request.method == "GET" or previewing:  # shown to print or copy: what upper apps add (a reply code)
            extras = extras_for(
                case=case,
                resident=form.cleaned_data["resident"],
                kind=kind,
                printed=not message.copyable,
                user=request.user,
            )
        generated = render_message(
            case,
            kind,
            signer,
            resident=form.cleaned_data["resident"],
            visit_on=form.cleaned_data.get("visit_on"),
            visit_part=form.cleaned_data.get("visit_part", ""),
            extra=" ".join(e.text for e in extras) if message.copyable else "",
        )
    text_form = MessageTextForm(
        request.POST if previewing else None, initial={"text": generated}, short=message.copyable
    )
    if request.method == "POST" and not previewing:
        return _message_record(request, case, kind, form, generated=generated)
    text = text_form.cleaned_data["text"] if previewing and text_form.is_valid() else generated
    audit_log(
        action=AuditAction.VIEW,
        request=request,
        obj=case,
        detail={"message": kind, "resident": form.cleaned_data["resident"].pk if valid else None},
    )
    return render(
        request,
        "outreach/message.html",
        {
            "case": case,
            "kind": kind,
            "message": message,
            "title": message.title,
            "text": text,
            "adjusted": text is not None and text != generated,
            "generated_url": f"{request.path}?{urlencode({f: form.data.get(f, '') for f in form.fields})}",
            "form": form,
            "text_form": text_form,
            "signer": signer,
            "has_addressees": bool(addressees),
            "extras": [] if message.copyable else extras,
        },
    )


def _message_record(request: HttpRequest, case, kind: str, form: MessageForm, *, generated: str) -> HttpResponse:
    """Record the text the page showed (sent along, as adjusted); without one, the
    generated text."""
    text = generated
    if "text" in request.POST:
        posted = MessageTextForm(request.POST)
        if not posted.is_valid():
            messages.error(request, _("The message was not recorded: %s") % " ".join(posted.errors["text"]))
            return redirect("case-detail", pk=case.pk)
        text = posted.cleaned_data["text"]
    try:
        message_sent_record(
            case_id=case.pk,
            user=request.user,
            kind=kind,
            resident=form.cleaned_data["resident"],
            text=text,
            visit_on=form.cleaned_data.get("visit_on"),
            visit_part=form.cleaned_data.get("visit_part", ""),
        )
        messages.success(request, _("Recorded as a contact attempt."))
    except CaseActionRefused as refused:
        messages.error(request, refused.message)
    return redirect("case-detail", pk=case.pk)


def case_panel(*, case, user, request, reads) -> dict:
    """What the case page shows of outreach (registered in cases.hooks.case_panels):
    the forms, the contact plan, the call-back request and the Plan van Aanpak's
    versions (newest first)."""
    return {
        "attempt_form": ContactAttemptForm(renderer=WIDGETS),
        "note_form": NoteForm(renderer=WIDGETS),
        "can_record_attempt": case.state in APPROACHABLE,
        "contact_plan": _contact_plan(case),
        "callback_request": _callback(case),
        "action_plans": list(case.action_plans.all()),
    }


def _callback(case) -> dict | None:
    """The open call-back request that is the case's next step (cases_plan_refresh)."""
    if case.state not in OPEN_STATES or case.next_step_on is None:
        return None
    request = case.callback_requests.filter(fulfilled_at__isnull=True).order_by("requested_at", "pk").first()
    if request is None:
        return None
    return {"request": request, "on": case.next_step_on, "pulled_forward": case.next_step_pulled_forward}


def _contact_plan(case) -> dict | None:
    """The "Contactplan" panel of a case that seeks contact: the plan, each step (done,
    skipped, next, later, with its day), the next step and whether it was pulled forward,
    and the form to skip a step or move one forward."""
    if case.state != CaseState.OUTREACH:
        return None
    view = case_plan_view(case=case)
    if view is None:  # picked up before contact plans existed: computed now, once
        refreshed = case_plan_refresh(case_id=case.pk)
        view = (refreshed.plan, refreshed.schedule) if refreshed else None
    if view is None:
        return None
    plan, schedule = view
    to_do = [s for s in schedule.steps if s.status in (plans.NEXT, plans.LATER)]
    return {
        "plan": plan,
        "schedule": schedule,
        "next": schedule.next,
        "today": timezone.localdate(),
        "form": PlanStepChangeForm(steps=to_do, auto_id="id_plan_%s", renderer=WIDGETS) if to_do else None,
        "can_move": len(to_do) > 1,
    }

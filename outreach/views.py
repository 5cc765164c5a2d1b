from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.selectors import cases_for_user
from cases.services import CaseActionRefused
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

from .forms import ActionPlanForm, ContactAttemptForm, MessageForm, NoteForm
from .messages import MESSAGES, render_message
from .models import QuickFix
from .selectors import message_addressees
from .services import APPROACHABLE, action_plan_save, contact_attempt_record, note_add


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
            "quick_fix_labels": [QuickFix(q).label for q in plan.quick_fixes],
            "residents": case.household.residents.order_by("surname"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts.work_cases", raise_exception=True)
def message_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Show a filled letter, card or text for the addressee the caseworker picks, to
    print or copy; POST records it as sent (a contact attempt)."""
    case = get_object_or_404(cases_for_user(user=request.user).select_related("household", "municipality"), pk=pk)
    if kind not in MESSAGES:
        raise Http404
    message = MESSAGES[kind]
    addressees = message_addressees(case=case)
    data = request.POST if request.method == "POST" else (request.GET or None)
    if data is None and not message.needs_visit and len(addressees) == 1:
        data = {"resident": addressees[0].pk}  # one possible addressee: show the text at once
    form = MessageForm(data, residents=addressees, needs_visit=message.needs_visit)
    valid = form.is_bound and form.is_valid()
    if request.method == "POST":
        if not valid:
            messages.error(request, _("Choose the addressee (and the home visit) before recording the message."))
            return redirect("case-detail", pk=case.pk)
        resident, visit_on = form.cleaned_data["resident"], form.cleaned_data.get("visit_on")
        note = f"{message.title} verstuurd aan {resident}"
        if visit_on:
            note += f" (huisbezoek {visit_on:%d-%m-%Y}, {form.cleaned_data['visit_part'].lower()})"
        try:
            contact_attempt_record(
                case_id=case.pk,
                user=request.user,
                kind=message.contact_kind,
                reached=False,
                attempted_at=timezone.now(),
                note=note,
            )
            messages.success(request, _("Recorded as a contact attempt."))
        except CaseActionRefused as refused:
            messages.error(request, refused.message)
        return redirect("case-detail", pk=case.pk)
    body = None
    if valid:
        body = render_message(
            case,
            kind,
            request.user,
            resident=form.cleaned_data["resident"],
            visit_on=form.cleaned_data.get("visit_on"),
            visit_part=form.cleaned_data.get("visit_part", ""),
        )
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
            "title": message.title,
            "body": body,
            "form": form,
            "has_addressees": bool(addressees),
            "plain_text": kind == "sms",
        },
    )


def case_panel(*, case, user, request) -> dict:
    """What the case page shows of outreach (registered in cases.hooks.case_panels)."""
    return {
        "attempt_form": ContactAttemptForm(),
        "note_form": NoteForm(),
        "can_record_attempt": case.state in APPROACHABLE,
    }

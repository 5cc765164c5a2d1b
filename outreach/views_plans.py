"""Contact plans: the team lead's plans (under Team, like the work trays) and, on the
case page, skipping a step or moving one forward."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.selectors import cases_for_user, trays_for_user
from cases.services import CaseActionRefused
from vroeg.municipalities.selectors import municipalities_for_user

from .forms import ContactPlanForm, PlanStepChangeForm
from .plans import SKIP
from .selectors import plans_for_user
from .services import contact_plan_delete, contact_plan_save, default_plan_for, plan_step_move, plan_step_skip


@permission_required("accounts.lead_team", raise_exception=True)
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans of the lead's municipalities, each with its steps, its work trays and
    how many open cases follow it now."""
    for municipality_id in municipalities_for_user(user=request.user).values_list("pk", flat=True):
        default_plan_for(municipality_id=municipality_id)  # a municipality added later: its default now
    plans = (
        plans_for_user(user=request.user)
        .select_related("municipality")
        .prefetch_related("tray_links__tray")
        .annotate(following=Count("case_states"))
        .order_by("municipality__name", "-is_default", "name")
    )
    return render(request, "outreach/plans/plan_list.html", {"plans": plans})


@require_http_methods(["GET", "POST"])
@permission_required("accounts.lead_team", raise_exception=True)
def plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    plan = get_object_or_404(plans_for_user(user=request.user), pk=pk) if pk else None
    municipalities = municipalities_for_user(user=request.user)
    form_args = {"municipalities": municipalities, "trays": trays_for_user(user=request.user), "plan": plan}
    if request.method == "POST":
        if "delete" in request.POST and plan is not None:
            try:
                contact_plan_delete(user=request.user, plan_id=plan.pk)
            except CaseActionRefused as refused:
                messages.error(request, refused.message)
                return redirect("contact-plan-edit", pk=plan.pk)
            messages.success(request, _("The contact plan has been deleted."))
            return redirect("contact-plan-list")
        form = ContactPlanForm(request.POST, **form_args)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("name", "description")}
            if plan is None:
                data["municipality"] = form.cleaned_data["municipality"]
            try:
                contact_plan_save(
                    user=request.user,
                    data=data,
                    steps=form.cleaned_data["steps"],
                    trays=form.cleaned_data["trays"],
                    plan_id=plan.pk if plan else None,
                )
            except CaseActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request, _("The contact plan has been saved. The next steps of its open cases follow it.")
                )
                return redirect("contact-plan-list")
    else:
        form = ContactPlanForm(initial=ContactPlanForm.initial_from(plan), **form_args)
    return render(request, "outreach/plans/plan_edit.html", {"form": form, "plan": plan})


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def plan_step_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Skip a step of the case's plan, or move a later step forward, with a reason."""
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    form = PlanStepChangeForm(request.POST)
    if not form.is_valid():
        if "reason" in form.errors:
            messages.error(request, _("Give a reason for skipping the step or doing it next."))
        else:
            messages.error(request, _("Choose the step of the contact plan."))
        return redirect("case-detail", pk=case.pk)
    skip = form.cleaned_data["action"] == SKIP
    service = plan_step_skip if skip else plan_step_move
    try:
        service(
            case_id=case.pk,
            user=request.user,
            position=form.cleaned_data["position"],
            reason=form.cleaned_data["reason"],
        )
    except CaseActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The step has been skipped.") if skip else _("The step is now the next step."))
    return redirect("case-detail", pk=case.pk)

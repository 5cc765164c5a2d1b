"""Address investigations (LAA): the admin's upload, the caseworker's list and page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from signals.forms_referral import PersonAndArrearsForm
from signals.referrals import ReferralRefused
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.csvfile import FileRefused
from vroeg.municipalities.models import Municipality
from vroeg.uploads import TOO_LARGE, upload_too_large

from .laa import investigation_close, investigation_to_case, investigations_for_user, laa_import
from .models import InvestigationState
from .services import CaseActionRefused


class LaaUploadForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"), queryset=Municipality.objects.filter(active=True), empty_label=None
    )
    file = forms.FileField(label=gettext_lazy("LAA list (CSV)"))


class LaaCaseForm(PersonAndArrearsForm):
    """What the home visit found: the person and the arrears (the contract's fields)."""

    note = forms.CharField(label=gettext_lazy("What the visit found"), max_length=500, required=False)


@require_http_methods(["GET", "POST"])
@permission_required("signals.upload_for_any_partner", raise_exception=True)
def laa_upload(request: HttpRequest) -> HttpResponse:
    form = LaaUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and upload_too_large(request):
        form.errors.clear()
        form.add_error("file", TOO_LARGE)
    elif request.method == "POST" and form.is_valid():
        try:
            result = laa_import(
                user=request.user, municipality=form.cleaned_data["municipality"], stream=form.cleaned_data["file"].file
            )
        except FileRefused as refused:
            form.add_error("file", refused.message)
    return render(request, "cases/laa_upload.html", {"form": form, "result": result})


@permission_required("accounts.work_cases", raise_exception=True)
def laa_list(request: HttpRequest) -> HttpResponse:
    investigations = investigations_for_user(user=request.user)
    return render(
        request,
        "cases/laa_list.html",
        {
            "open": investigations.filter(state=InvestigationState.OPEN).order_by("received_on", "pk")[:200],
            "done": investigations.exclude(state=InvestigationState.OPEN).order_by("-closed_at")[:50],
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts.work_cases", raise_exception=True)
def laa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    investigation = get_object_or_404(investigations_for_user(user=request.user), pk=pk)
    form = LaaCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            investigation = investigation_to_case(
                investigation_id=pk, user=request.user, person=form.contract_row(), note=form.cleaned_data["note"]
            )
        except ReferralRefused as refused:
            for field_name, reasons in refused.errors.items():
                for reason in reasons:
                    form.add_error(field_name if field_name in form.fields else None, reason)
        except CaseActionRefused as refused:
            # Handled meanwhile (a double submit, a colleague): show it as it is now.
            messages.error(request, refused.message)
            return redirect("laa-detail", pk=pk)
        else:
            messages.success(request, _("The address investigation is now a case."))
            return redirect("case-detail", pk=investigation.case_id)
    elif request.method == "GET":
        audit_log(action=AuditAction.VIEW, request=request, obj=investigation)
    return render(request, "cases/laa_detail.html", {"investigation": investigation, "form": form})


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def laa_close(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(investigations_for_user(user=request.user), pk=pk)
    try:
        investigation_close(investigation_id=pk, user=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("The address investigation has been closed."))
    except CaseActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("laa-detail", pk=pk)
    return redirect("laa-list")

"""Registering a referral by hand (caseworkers and team leads)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vroeg.municipalities.selectors import municipalities_for_user

from .forms_referral import ReferralForm
from .models import DeliveryStatus
from .referrals import ReferralRefused, referral_register


@require_http_methods(["GET", "POST"])
@permission_required("accounts.work_cases", raise_exception=True)
def referral_create(request: HttpRequest) -> HttpResponse:
    form = ReferralForm(request.POST or None, municipalities=municipalities_for_user(user=request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            delivery = referral_register(
                user=request.user,
                municipality=d["municipality"],
                kind=d["kind"],
                origin=d["origin"],
                contact=d["contact"],
                consent_on=d["consent_on"],
                consent_how=d["consent_how"],
                row=form.contract_row(),
            )
        except ReferralRefused as refused:
            for field, reasons in refused.errors.items():
                for reason in reasons:
                    form.add_error(field if field in form.fields else None, reason)
        else:
            if delivery.status == DeliveryStatus.FAILED:
                messages.warning(
                    request,
                    _(
                        "The referral has been registered, but an error in Vroeg stopped its processing. "
                        "The administrator has been told; the case appears once it has been processed again."
                    ),
                )
                return redirect("caseworker-dashboard")
            if delivery.status != DeliveryStatus.DONE:  # a large delivery holds intake
                messages.success(
                    request,
                    _(
                        "The referral has been registered. A large delivery is being processed right now; "
                        "the case appears in the queue within a few minutes."
                    ),
                )
                return redirect("caseworker-dashboard")
            messages.success(request, _("The referral has been registered."))
            return redirect("case-detail", pk=delivery.signals.get().case_id)
    return render(request, "signals/referral_form.html", {"form": form})

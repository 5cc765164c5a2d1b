"""Partner pages (their feedback, its CSV, monthly figures) and the case page's
feedback actions (consent, follow-up after a collection pause)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.selectors import cases_for_user
from cases.services import CaseActionRefused
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.csvexport import streamed_csv
from vroeg.formrender import WIDGETS

from .forms import ConsentForm, ConsentToldForm, FeedbackFilterForm, PauseFollowUpForm
from .models import CollectionPause, FeedbackResult
from .selectors import (
    consent_for_case,
    feedback_for_case,
    feedback_for_partner,
    monthly_figures,
    partner_feedback_rows,
    pauses_for_case,
)
from .services import collection_pause_follow_up, feedback_consent_record, feedback_consent_resident_told

CSV_HEADER = [
    "partner_referentie",
    "signaal_type",
    "signaaldatum",
    "datum_terugkoppeling",
    "resultaat",
    "toelichting",
    "incassopauze_tot",
]


def _partner_of(request: HttpRequest):
    """Feedback pages are for a partner's own users only."""
    user = request.user
    if not user.has_perm("accounts.use_partner_portal") or user.partner_id is None:
        raise PermissionDenied
    return user.partner


def _filtered(request: HttpRequest, partner):
    form = FeedbackFilterForm(request.GET or None)
    dates = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = feedback_for_partner(partner=partner, date_from=dates.get("date_from"), date_to=dates.get("date_to"))
    return form, {k: v.isoformat() for k, v in dates.items() if v}, rows


def partner_feedback(request: HttpRequest) -> HttpResponse:
    partner = _partner_of(request)
    form, _dates, rows = _filtered(request, partner)
    page = Paginator(rows, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "feedback/partner_feedback.html",
        {
            "partner": partner,
            "form": form,
            "page": page,
            "rows": partner_feedback_rows(page.object_list, today=timezone.localdate()),
            "query": request.GET.urlencode(),
        },
    )


def partner_feedback_csv(request: HttpRequest) -> HttpResponse:
    partner = _partner_of(request)
    _form, dates, rows = _filtered(request, partner)
    audit_log(
        action=AuditAction.DOWNLOAD, request=request, object_type="feedback.csv", object_id=partner.pk, detail=dates
    )
    labels = dict(FeedbackResult.choices)
    rows = (
        (
            row["signal__partner_referentie"],
            row["signal__signal_type"],
            row["signal__signal_date"].isoformat(),
            timezone.localtime(row["given_at"]).date().isoformat(),
            str(labels.get(row["result"], row["result"])),
            row["detail"],
            row["pause_ends_on"].isoformat() if row["pause_ends_on"] else "",
        )
        for row in rows.iterator(chunk_size=2000)
    )
    stamp = timezone.localdate().isoformat()
    return streamed_csv(filename=f"terugkoppeling-{partner.code}-{stamp}.csv", header=CSV_HEADER, rows=rows)


def partner_figures(request: HttpRequest) -> HttpResponse:
    partner = _partner_of(request)
    figures = monthly_figures(partner=partner, today=timezone.localdate())
    return render(request, "feedback/partner_figures.html", {"partner": partner, "figures": figures})


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        feedback_consent_record(case_id=case.pk, user=request.user, **form.cleaned_data)
        messages.success(request, _("The resident's consent to feedback has been recorded."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("case-detail", pk=case.pk)


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def consent_resident_told(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    form = ConsentToldForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("case-detail", pk=case.pk)
    try:
        feedback_consent_resident_told(case_id=case.pk, user=request.user, told_on=form.cleaned_data["told_on"])
        messages.success(request, _("Recorded that the resident was told about the feedback."))
    except CaseActionRefused as refused:
        messages.error(request, refused.message)
    return redirect("case-detail", pk=case.pk)


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def pause_follow_up(request: HttpRequest, pk: int, pause_id: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    pause = get_object_or_404(CollectionPause, pk=pause_id, case=case)
    form = PauseFollowUpForm(request.POST)
    if form.is_valid():
        collection_pause_follow_up(pause_id=pause.pk, user=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("The follow-up has been recorded."))
    else:
        messages.error(request, _("Describe what was arranged after the collection pause."))
    return redirect("case-detail", pk=case.pk)


def case_panel(*, case, user, request, reads) -> dict:
    """What the case page shows of feedback to partners: per signal what they heard,
    collection pauses and the resident's consent (registered in cases.hooks.case_panels;
    the feedback and pauses are those the page read for its timeline)."""
    today = timezone.localdate()
    feedback = feedback_for_case(case=case, today=today, rows=reads["feedback"])
    return {
        "pauses": pauses_for_case(case=case, today=today, rows=reads["collection_pauses"]),
        "feedback": feedback,
        "consent": consent_for_case(case=case, feedback=feedback),
        "consent_form": ConsentForm(initial={"given_on": today}, renderer=WIDGETS),
        "follow_up_form": PauseFollowUpForm(renderer=WIDGETS),
    }

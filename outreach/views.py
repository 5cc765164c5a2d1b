from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.selectors import cases_for_user
from cases.services import CaseActionRefused

from .forms import ContactAttemptForm, NoteForm
from .services import contact_attempt_record, note_add


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
                case_id=case.pk, user=request.user, kind=form.cleaned_data["kind"],
                reached=form.cleaned_data["reached"], attempted_at=form.attempted_at(),
                note=form.cleaned_data["note"],
            )  # fmt: skip
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

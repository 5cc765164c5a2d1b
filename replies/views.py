"""The public reply page (no account; every visitor may open it) and the caseworker's
side on the case page: the replies, the proposal to close, revoking the codes.

The page shows the municipality's name and nothing of the resident. Dutch (B1) by
default; `?lang=en` (the switch on the page) shows it in English, on this page only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_fsm import has_transition_perm

from cases.models import OUTCOMES_BY_STATE, Outcome
from cases.selectors import cases_for_user
from cases.services import CaseActionRefused
from vroeg.audit.client import client_ip
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.municipalities.models import Municipality

from . import limits
from .codes import code_digest, code_display, code_normalize
from .forms import CodeForm, ReplyForm
from .models import ReplyChoice
from .selectors import case_replies, reply_code_find, reply_page_for
from .services import ReplyRefused, reply_codes_revoke, reply_submit

GELDFIT = "https://www.geldfit.nl/"
_THANKS_SALT = "replies.thanks"


def _language(request: HttpRequest) -> str:
    return "en" if (request.POST.get("lang") or request.GET.get("lang")) == "en" else "nl"


def _page(request: HttpRequest, template: str, context: dict, *, lang: str, status: int = 200) -> HttpResponse:
    query = request.GET.copy()
    query.pop("lang", None)
    if lang == "nl":
        query["lang"] = "en"
    switch = f"{request.path}?{query.urlencode()}" if query else request.path
    context = {
        **context,
        "lang": lang,
        "geldfit": GELDFIT,
        "switch_url": switch,
        "lang_query": "?lang=en" if lang == "en" else "",
    }
    with translation.override(lang):
        response = render(request, template, context, status=status)
    response["Content-Language"] = lang
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the code is in the address: never pass it to another site
    return response


def _too_many(request: HttpRequest, lang: str) -> HttpResponse:
    audit_log(action=AuditAction.VIEW, object_type="replies.replycode", detail={"refused": "rate limit"})
    response = _page(request, "replies/too_many.html", {}, lang=lang, status=429)
    response["Retry-After"] = str(limits.WINDOW)
    return response


def _count_wrong(request: HttpRequest) -> None:
    """Every wrong code is counted per address (too many block it) and audited."""
    count = limits.wrong_code_count(ip=client_ip(request))
    audit_log(action=AuditAction.VIEW, object_type="replies.replycode", detail={"wrong_code": count})


def _wrong(request: HttpRequest, lang: str, typed: str, *, status: int = 200) -> HttpResponse:
    """A code that opens nothing: counted (a burst blocks the address) and audited."""
    _count_wrong(request)
    form = CodeForm({"code": typed[:40]})
    with translation.override(lang):
        form.is_valid()
        form.errors.pop("code", None)
        form.add_error("code", _("This code is not valid (any more). Check the code on your letter, or call us."))
    return _page(request, "replies/start.html", {"form": form}, lang=lang, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def reply_start(request: HttpRequest) -> HttpResponse:
    """/antwoord/: type the code from the letter."""
    lang = _language(request)
    if request.method == "GET":
        return _page(request, "replies/start.html", {"form": CodeForm()}, lang=lang)
    form = CodeForm(request.POST)
    with translation.override(lang):
        valid = form.is_valid()
    digest = code_digest(form.cleaned_data["code"]) if valid else None
    if not limits.try_allowed(ip=client_ip(request), digest=digest, sending=True):
        return _too_many(request, lang)
    if not valid:
        _count_wrong(request)
        return _page(request, "replies/start.html", {"form": form}, lang=lang)
    if reply_code_find(code=form.cleaned_data["code"]) is None:
        return _wrong(request, lang, request.POST.get("code", ""))
    url = reverse("reply-page", args=[code_display(form.cleaned_data["code"])])
    return redirect(f"{url}?lang=en" if lang == "en" else url)


@login_not_required
@require_http_methods(["GET", "POST"])
def reply_page(request: HttpRequest, code: str) -> HttpResponse:
    """/antwoord/<code>/ (the QR code's target): the choices, and the answer sent."""
    lang = _language(request)
    normalized = code_normalize(code)
    digest = code_digest(normalized) if normalized else None
    if not limits.try_allowed(ip=client_ip(request), digest=digest, sending=request.method == "POST"):
        return _too_many(request, lang)
    found = reply_code_find(code=normalized) if normalized else None
    if found is None:
        return _wrong(request, lang, code, status=404)
    municipality = found.case.municipality
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        with translation.override(lang):
            valid = form.is_valid()
        if valid:
            try:
                reply = reply_submit(code_id=found.pk, language=lang, **form.cleaned_data)
            except ReplyRefused:
                return _wrong(request, lang, code, status=404)
            token = signing.dumps({"m": municipality.pk, "c": reply.choice}, salt=_THANKS_SALT)
            url = f"{reverse('reply-thanks')}?r={token}"
            return redirect(f"{url}&lang=en" if lang == "en" else url)
    else:
        audit_log(action=AuditAction.VIEW, obj=found, municipality=municipality.pk, detail={"case": found.case_id})
    return _page(
        request,
        "replies/reply.html",
        {
            "form": form,
            "municipality": municipality,
            "settings": reply_page_for(municipality_id=municipality.pk),
            "code": code_display(normalized),
            "choices": ReplyChoice,
        },
        lang=lang,
    )


@login_not_required
def reply_thanks(request: HttpRequest) -> HttpResponse:
    """/antwoord/ontvangen/: what happens next, and how to reach the team."""
    lang = _language(request)
    try:
        data = signing.loads(request.GET.get("r", ""), salt=_THANKS_SALT, max_age=24 * 60 * 60)
    except signing.BadSignature as error:
        raise Http404 from error
    municipality = get_object_or_404(Municipality, pk=data["m"])
    return _page(
        request,
        "replies/thanks.html",
        {
            "municipality": municipality,
            "settings": reply_page_for(municipality_id=municipality.pk),
            "choice": data["c"],
            "choices": ReplyChoice,
        },
        lang=lang,
    )


@require_POST
@permission_required("accounts.work_cases", raise_exception=True)
def reply_codes_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_for_user(user=request.user), pk=pk)
    try:
        count = reply_codes_revoke(case_id=case.pk, user=request.user)
    except CaseActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("%d reply code(s) revoked. The next letter, card or text gets a new code.") % count)
    return redirect("case-detail", pk=case.pk)


def case_panel(*, case, user, request, reads) -> dict:
    """The "Replies" panel of the case page (registered in cases.hooks.case_panels)."""
    data = case_replies(case=case)
    data["can_confirm"] = bool(
        data["proposal"]
        and Outcome.DECLINED in OUTCOMES_BY_STATE.get(case.state, [])
        and has_transition_perm(case.close, user)
    )
    data["declined"] = Outcome.DECLINED
    return {"reply_panel": data}

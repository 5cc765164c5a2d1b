"""Reads of the reply page: a code looked up by what was typed, a municipality's
page settings, a case's replies for its page."""

from cases.models import OPEN_STATES, Case

from .codes import code_digest
from .models import ReplyChoice, ReplyCode, ReplyPage


def reply_code_find(*, code: str) -> ReplyCode | None:
    """The valid code for this normalized code: not revoked, its case open."""
    return (
        ReplyCode.objects.select_related("case__municipality")
        .filter(digest=code_digest(code), revoked_at__isnull=True, case__state__in=OPEN_STATES)
        .first()
    )


def reply_page_for(*, municipality_id: int) -> ReplyPage | None:
    return ReplyPage.objects.filter(municipality_id=municipality_id).first()


def case_replies(*, case: Case) -> dict:
    """What the case page shows: the replies (newest first), how many codes are
    valid, and the latest "I do not want help" while the case is open (a proposal to
    close with "Inwoner regelt het zelf", which the caseworker confirms)."""
    replies = list(case.replies.all()[:20])
    proposal = None
    if case.state in OPEN_STATES:
        proposal = next((r for r in replies if r.choice == ReplyChoice.SELF), None)
    return {
        "replies": replies,
        "valid_codes": ReplyCode.objects.filter(case=case, revoked_at__isnull=True).count(),
        "proposal": proposal,
    }

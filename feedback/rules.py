"""What a partner may learn when a case ends (AP guidance, DDAS; domain.md
"Feedback to partners"). One table, read by feedback.services and by the tests that
prove nothing else leaks."""

from datetime import date

from cases.models import Outcome

from .models import FeedbackResult

# Fed back as such: the partner needs to know (and may).
AS_SUCH = {
    Outcome.NOT_PICKED_UP_REPEAT: FeedbackResult.REPEATED,
    Outcome.NOT_PICKED_UP_UNJUSTIFIED: FeedbackResult.UNJUSTIFIED,
    Outcome.NOT_A_RESIDENT: FeedbackResult.NOT_A_RESIDENT,
    Outcome.DECEASED: FeedbackResult.DECEASED,
}
# Not picked up for another reason: only "niet opgepakt", never the reason (e.g. that
# the resident is known to debt help).
ONLY_NOT_PICKED_UP = {Outcome.NOT_PICKED_UP_OTHER, Outcome.KNOWN_TO_DEBT_HELP}
# Declined, not reached, or otherwise about the resident's own choices: nothing at
# person level, unless the resident consented (then the end result).
ONLY_WITH_CONSENT = {
    Outcome.NO_CONTACT,
    Outcome.DECLINED,
    Outcome.PAID_ALREADY,
    Outcome.OTHER_ONGOING_HELP,
    Outcome.NO_REACTION,
}
# Never, not even with consent: the resident was registered with another agency
# (e.g. bemoeizorg) without knowing it or agreeing (DDAS "Verwijzing zonder contact"),
# so no consent can have covered it, and it says something about the resident's care.
NEVER = {Outcome.REFERRAL_WITHOUT_RESIDENT}
# After help was accepted the partner was told so at once (with the pause end);
# how the help ends is not theirs to know.
AFTER_HELP = {
    Outcome.BUDGET_ADVICE,
    Outcome.FOLLOW_UP,
    Outcome.FOLLOW_UP_FINANCIAL,
    Outcome.FOLLOW_UP_NON_FINANCIAL,
}


def feedback_on_close(outcome: str, *, help_was_accepted: bool, consent: bool) -> tuple[str, str] | None:
    """(result, detail) to feed back when a case closes with `outcome`, or None."""
    if help_was_accepted or outcome in NEVER:
        return None
    if outcome in AS_SUCH:
        return AS_SUCH[outcome], ""
    if outcome in ONLY_NOT_PICKED_UP:
        return FeedbackResult.NOT_PICKED_UP, ""
    if outcome in ONLY_WITH_CONSENT and consent:
        return FeedbackResult.CLOSED_WITH_CONSENT, Outcome(outcome).label
    return None


def pause_is_over(ends_on: date, *, today: date) -> bool:
    """A collection pause runs up to and including `ends_on` (what the partner was told,
    "tot en met"), so it is over from the day after: from then on nobody is told to
    pause "until" that date any more."""
    return ends_on < today

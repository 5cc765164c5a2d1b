"""The deadlines of a case (domain.md, "Terms and deadlines") and when each is met.

- legal term (Wgs; NVVK module "Termijn"): within 4 weeks of receipt of the earliest
  open signal, `legal_term_end(received_on, 28)` (moved past weekends and holidays,
  Atw), the resident was approached and, when help was accepted, a first
  conversation was held;
- LCV target: first conversation within 2 weeks of receipt (a target, not law);
- CAK list: approached within the municipality's own term (effort duty);
- crisis term (Wgs art. 4 lid 2): 3 working days from the day the municipality
  judged the situation threatening (a CrisisTerm), unless help was offered before.

Each rule has one definition here that works both on a case in Python and as an
ORM condition for the reports (`CaseTerm`, `crisis_term_met_q`); a test holds the two
together.

The crisis term is met by a conversation: the first contact, or a later contact
attempt that reached the resident (outreach.ContactAttempt). Cases sits below
outreach, so it never imports it: it reads the attempts through the reverse relation
`Case.contact_attempts` that outreach's foreign key declares (`_attempts()`). That
keeps one definition usable in Python and in SQL, where a registered hook would need
a Python and an SQL variant of the same rule from outreach.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, DateField, Exists, F, OuterRef, Q, Value, When
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce, Least, NullIf
from django.db.models.lookups import GreaterThanOrEqual, LessThan, LessThanOrEqual
from django.utils import timezone

from vroeg.workdays import WorkCalendar

from .models import Case, Outcome

LEGAL_TERM_DAYS = 28
LCV_TARGET_DAYS = 14
CRISIS_WORKING_DAYS = 3

# End results that say there was nobody to approach (DDAS): a repeated or unjustified
# signal, not (or no longer) a resident, deceased, already in debt help, or referred
# on without the resident in an extreme case. A term of a case closed with one of
# these on or before its last day does not count. Every other term counts, met or
# missed, also of cases still open and of cases never picked up ("Niet opgepakt:
# andere reden" includes a lack of staff: a missed term).
NOBODY_TO_APPROACH = frozenset(
    {
        Outcome.NOT_PICKED_UP_REPEAT,
        Outcome.NOT_PICKED_UP_UNJUSTIFIED,
        Outcome.NOT_A_RESIDENT,
        Outcome.DECEASED,
        Outcome.KNOWN_TO_DEBT_HELP,
        Outcome.REFERRAL_WITHOUT_RESIDENT,
    }
)


def contact_due(received_on: date, calendar: WorkCalendar | None = None) -> date:
    return (calendar or WorkCalendar()).legal_term_end(received_on, LEGAL_TERM_DAYS)


def lcv_target(received_on: date) -> date:
    return received_on + timedelta(days=LCV_TARGET_DAYS)


def legal_term_start(lcv_target_on: date) -> date:
    """The receipt the legal term and the LCV target both run from. Intake sets the two
    from the same date (the earliest receipt of a Wgs signal: CAK rows set neither),
    so the start follows from the LCV target even when a CAK row came earlier."""
    return lcv_target_on - timedelta(days=LCV_TARGET_DAYS)


def crisis_due(judged_on: date, calendar: WorkCalendar | None = None) -> date:
    return (calendar or WorkCalendar()).add_working_days(judged_on, CRISIS_WORKING_DAYS)


def next_due_expression(**new):
    """`Case.refresh_next_due` in SQL: the nearest of the deadlines in
    `Case.DEADLINE_FIELDS` (NULL if none), with `new` expressions for deadlines set in
    the same UPDATE (its right-hand sides see the old values). LEAST ignores NULLs on
    PostgreSQL only, hence the far stand-in."""
    if unknown := set(new) - set(Case.DEADLINE_FIELDS):
        raise TypeError(f"not a deadline of a case: {', '.join(sorted(unknown))}")
    far = Value(date(9999, 12, 31))
    dues = (new.get(f, F(f)) for f in Case.DEADLINE_FIELDS)
    return NullIf(Least(*(Coalesce(d, far, output_field=DateField()) for d in dues)), far)


def _nobody_to_approach(case: Case, due: date) -> bool:
    """Closed on or before `due` with an end result that leaves nobody to approach."""
    return (
        case.closed_at is not None and case.outcome in NOBODY_TO_APPROACH and timezone.localdate(case.closed_at) <= due
    )


def _somebody_to_approach_q(due, prefix: str = "") -> Q:
    """The negation of `_nobody_to_approach` as an ORM condition; NOT only on the outcome,
    which is never NULL, so a NULL date cannot turn the answer round."""
    return (
        Q(**{f"{prefix}closed_at__isnull": True})
        | ~Q(**{f"{prefix}outcome__in": list(NOBODY_TO_APPROACH)})
        | Q(**{f"{prefix}closed_at__date__gt": due})
    )


@dataclass(frozen=True)
class CaseTerm:
    """A term stored on the case (`due_field`) and what meets it.

    Met: the earliest of `done_fields` is on or before the last day and, with
    `conversation_if_help_accepted`, when help was accepted the first conversation
    (`first_contact_on`) was too. Counted: the case has the term and it was met, or
    the case was not closed with nobody to approach (NOBODY_TO_APPROACH) by then.
    `met()` answers for one case (None: not counted); `met_q()` and `counted_q()`
    are the same rule as ORM conditions on Case.
    """

    due_field: str
    done_fields: tuple[str, ...]
    conversation_if_help_accepted: bool = False

    def met(self, case: Case) -> bool | None:
        due = getattr(case, self.due_field)
        if due is None:
            return None
        done = [d for d in (getattr(case, f) for f in self.done_fields) if d is not None]
        ok = bool(done) and min(done) <= due
        if ok and self.conversation_if_help_accepted and case.help_accepted_on is not None:
            ok = case.first_contact_on is not None and case.first_contact_on <= due
        if not ok and _nobody_to_approach(case, due):
            return None
        return ok

    def met_q(self) -> Q:
        due = F(self.due_field)
        done = Q()
        for name in self.done_fields:
            done |= Q(**{f"{name}__lte": due})
        if self.conversation_if_help_accepted:
            done &= Q(help_accepted_on__isnull=True) | Q(first_contact_on__lte=due)
        return Q(**{f"{self.due_field}__isnull": False}) & done

    def counted_q(self) -> Q:
        return Q(**{f"{self.due_field}__isnull": False}) & (self.met_q() | _somebody_to_approach_q(F(self.due_field)))

    def met_expression(self) -> SqlCase:
        """True, False or NULL (not counted) per case, as `met()` returns."""
        return SqlCase(
            When(self.met_q(), then=Value(True)),
            When(self.counted_q(), then=Value(False)),
            default=Value(None),
            output_field=BooleanField(),
        )


# The resident approached (a contact attempt or the first contact) within 4 weeks
# and, when help was accepted, the first conversation within them too (NVVK: "de klant
# benaderd hebben en - bij acceptatie hulp - een eerste gesprek gevoerd hebben").
LEGAL_TERM = CaseTerm("contact_due", ("first_attempt_on", "first_contact_on"), conversation_if_help_accepted=True)
# The first conversation within 2 weeks (LCV target).
LCV_TARGET = CaseTerm("lcv_target", ("first_contact_on",))
# CAK list: approached within the municipality's own term (effort duty, no conversation asked).
CAK_EFFORT = CaseTerm("effort_due", ("first_attempt_on", "first_contact_on"))


# --- crisis terms ----------------------------------------------------------------


def _attempts():
    """outreach.ContactAttempt, reached through the reverse relation (no import)."""
    return Case._meta.get_field("contact_attempts").related_model


def crisis_met(case: Case, judged_on: date, due: date) -> bool:
    """A conversation on a day from `judged_on` to `due`: the first contact, or a
    contact attempt that reached the resident."""
    if case.first_contact_on is not None and judged_on <= case.first_contact_on <= due:
        return True
    return case.contact_attempts.filter(reached=True, attempted_at__date__range=(judged_on, due)).exists()


def _crisis_status(case: Case, judged_on: date, due: date) -> bool | None:
    ok = crisis_met(case, judged_on, due)
    if not ok and _nobody_to_approach(case, due):
        return None
    return ok


def crisis_term_met(term) -> bool | None:
    """Whether a CrisisTerm was met; None when it does not count (withdrawn, or the case
    was closed with nobody to approach by its last day and it was not met)."""
    if term.withdrawn_at is not None:
        return None
    return _crisis_status(term.case, term.judged_on, term.due)


def current_crisis_met(case: Case) -> bool | None:
    """`crisis_term_met()` of the case's current term (its crisis fields), kept when the
    case closes; None when there is none."""
    if case.crisis_judged_on is None or case.crisis_due is None:
        return None
    return _crisis_status(case, case.crisis_judged_on, case.crisis_due)


def crisis_term_met_q() -> Q:
    """`crisis_term_met() is True` as a condition on CrisisTerm."""
    reached = _attempts().objects.filter(
        case_id=OuterRef("case_id"),
        reached=True,
        attempted_at__date__gte=OuterRef("judged_on"),
        attempted_at__date__lte=OuterRef("due"),
    )
    first = Q(case__first_contact_on__gte=F("judged_on"), case__first_contact_on__lte=F("due"))
    return Q(withdrawn_at__isnull=True) & (first | Exists(reached))


def crisis_term_counted_q() -> Q:
    """`crisis_term_met() is not None` as a condition on CrisisTerm."""
    return Q(withdrawn_at__isnull=True) & (crisis_term_met_q() | _somebody_to_approach_q(F("due"), "case__"))


def crisis_awaits_conversation(case: Case) -> bool:
    """A crisis term is current and nobody has spoken to the resident since it was
    judged (the queue's priority and the daily crisis reminders)."""
    judged = case.crisis_judged_on
    if case.crisis_due is None:
        return False
    if case.first_contact_on is not None and not (judged is not None and case.first_contact_on < judged):
        return False
    return judged is None or not case.contact_attempts.filter(reached=True, attempted_at__date__gte=judged).exists()


def crisis_awaits_conversation_q() -> Q:
    """`crisis_awaits_conversation()` as a condition on Case."""
    reached_since = _attempts().objects.filter(
        case_id=OuterRef("pk"), reached=True, attempted_at__date__gte=OuterRef("crisis_judged_on")
    )
    return (
        Q(crisis_due__isnull=False)
        & (Q(first_contact_on__isnull=True) | Q(first_contact_on__lt=F("crisis_judged_on")))
        & ~Exists(reached_since)
    )


def days_left(due: date | None, today: date) -> int | None:
    """Calendar days until the deadline; negative when overdue."""
    return None if due is None else (due - today).days


def describe(due: date | None, today: date, met: bool | None = None) -> dict:
    """What a page shows about one deadline."""
    days = days_left(due, today)
    return {
        "due": due,
        "days": days,
        "overdue": -days if days is not None and days < 0 else 0,
        "met": met,
    }


def _nothing_done(term: CaseTerm) -> Q:
    return Q(**{f"{name}__isnull": True for name in term.done_fields})


def awaiting_q() -> dict[str, Q]:
    """Per deadline field of a case: the condition that its step is still to be taken."""
    return {
        "crisis_due": crisis_awaits_conversation_q(),
        "contact_due": _nothing_done(LEGAL_TERM),
        "effort_due": _nothing_done(CAK_EFFORT),
        "lcv_target": _nothing_done(LCV_TARGET),
    }


_FAR = date(9999, 12, 31)


def open_due_expression() -> NullIf:
    """The nearest of the case's deadlines (Case.DEADLINE_FIELDS) that still waits for
    its step; NULL when none does. Never before `next_due` (the nearest of them all)."""
    waiting = awaiting_q()
    dues = [
        SqlCase(
            When(Q(**{f"{name}__isnull": False}) & waiting[name], then=F(name)),
            default=Value(_FAR),
            output_field=DateField(),
        )
        for name in Case.DEADLINE_FIELDS
    ]
    return NullIf(Least(*dues), Value(_FAR), output_field=DateField())


def late_q(*, today: date, due=None) -> Q:
    """A waiting deadline has passed: the case is late. `due`: the nearest waiting
    deadline when the query has it already (the queue's `open_due`, stored or
    computed), else `open_due_expression()`."""
    # `next_due` <= open due: the condition on it lets PostgreSQL read just that range
    # of case_open_queue_idx.
    return Q(LessThan(open_due_expression() if due is None else due, today), next_due__lt=today)


def due_soon_q(*, today: date, days: int = 7, due=None) -> Q:
    """The nearest waiting deadline is today or within `days` days (not yet late);
    `due` as for `late_q`."""
    until = today + timedelta(days=days)
    due = open_due_expression() if due is None else due
    return Q(GreaterThanOrEqual(due, today), LessThanOrEqual(due, until), next_due__lte=until)

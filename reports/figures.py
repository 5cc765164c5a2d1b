"""The team lead's figures for one municipality and period (reads only).

Every figure is counted from facts that are not personal data (dates, kinds, amounts,
end results, household and case ids), so the retention purge (issue 8) can remove
names, numbers and addresses and the figures stay the same; a test checks that.
Queries are few and set-based: one pass over the period's signals, a handful over
its cases and contact attempts.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from cases.deadlines import CAK_EFFORT, LCV_TARGET, LEGAL_TERM, CaseTerm, crisis_term_counted_q, crisis_term_met_q
from cases.models import AddressInvestigation, Case, CrisisTerm, InvestigationState, Outcome, WorkTray
from cases.selectors import apply_tray
from outreach.models import ContactAttempt, ContactKind
from signals.models import PartnerType, Signal, SignalStatus
from vroeg.municipalities.models import Municipality

from .periods import Period, month_label


@dataclass
class Table:
    key: str  # used in download URLs and file names
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""


class Figure(str):
    """A computed number shown Dutch style ("57,1 %", "1,23") on pages and in CSV, that
    keeps its value (`number`) for a spreadsheet cell and the format to show it with."""

    number: float | None
    excel_format: str

    def __new__(cls, text: str, number: float | None, excel_format: str):
        figure = super().__new__(cls, text)
        figure.number, figure.excel_format = number, excel_format
        return figure


def share(part: int, whole: int) -> Figure:
    """A percentage with one decimal, Dutch style; "–" when there is nothing to divide."""
    if not whole:
        return Figure("–", None, "0.0%")
    return Figure(f"{100 * part / whole:.1f}".replace(".", ",") + " %", part / whole, "0.0%")


def per_thousand(count: int, inhabitants: int) -> Figure:
    value = 1000 * count / inhabitants
    return Figure(f"{value:.2f}".replace(".", ","), value, "0.00")


def _signal_facts(municipality: Municipality, period: Period) -> list[dict]:
    """One pass: signals of the period by month, partner, partner type, status and
    whether their case was picked up."""
    return list(
        Signal.objects.filter(municipality=municipality, received_on__range=(period.start, period.end))
        .annotate(month=TruncMonth("received_on"))
        .values("month", "partner__name", "partner__partner_type", "status")
        .annotate(n=Count("pk"), picked_up=Count("pk", filter=Q(case__picked_up_on__isnull=False)))
        .order_by()
    )


def signals_per_month(facts: list[dict], municipality: Municipality, period: Period) -> Table:
    types = [t for t in PartnerType.values if any(f["partner__partner_type"] == t for f in facts)]
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in facts:
        counts[f["month"]][f["partner__partner_type"]] += f["n"]
    table = Table(
        "signalen-per-maand",
        _("Signals received per month, by kind of partner"),
        [_("Month"), *types, _("Total"), _("Per 1,000 inhabitants")],
    )
    for first in period.months:
        row = counts.get(first, {})
        total = sum(row.values())
        per_1000 = per_thousand(total, municipality.inhabitants)
        table.rows.append([month_label(first), *[row.get(t, 0) for t in types], total, per_1000])
    return table


def conversion(facts: list[dict], municipality: Municipality, period: Period) -> Table:
    received = sum(f["n"] for f in facts)
    picked_up = sum(f["picked_up"] for f in facts)
    opened = Case.objects.filter(municipality=municipality, opened_at__date__range=(period.start, period.end))
    cases = opened.aggregate(
        all=Count("pk"),
        single=Count("pk", filter=Q(signal_count=1)),
        multiple=Count("pk", filter=Q(signal_count__gt=1)),
        consecutive=Count("pk", filter=Q(follows_recent_case=True)),
    )
    table = Table("signalen-en-zaken", _("From signal to case"), [_("Figure"), _("Number"), _("Share")])
    table.rows = [
        [_("Signals received"), received, ""],
        [_("Signals in a case that was picked up"), picked_up, share(picked_up, received)],
        [_("Cases opened"), cases["all"], ""],
        [_("Single (one signal)"), cases["single"], share(cases["single"], cases["all"])],
        [_("Multiple (more than one signal)"), cases["multiple"], share(cases["multiple"], cases["all"])],
        [
            _("Consecutive (same address within 6 months)"),
            cases["consecutive"],
            share(cases["consecutive"], cases["all"]),
        ],
    ]
    return table


def reach(municipality: Municipality, period: Period) -> Table:
    picked = Case.objects.filter(municipality=municipality, picked_up_on__range=(period.start, period.end))
    reached_attempt = ContactAttempt.objects.filter(case=OuterRef("pk"), reached=True)
    c = picked.annotate(was_reached=Exists(reached_attempt)).aggregate(
        all=Count("pk"),
        reached=Count("pk", filter=Q(was_reached=True) | Q(first_contact_on__isnull=False)),
        accepted=Count("pk", filter=Q(help_accepted_on__isnull=False)),
    )
    table = Table(
        "bereik-en-hulp",
        _("Reach and help accepted (cases picked up in the period)"),
        [_("Figure"), _("Number"), _("Share")],
    )
    table.rows = [
        [_("Cases picked up"), c["all"], ""],
        [_("Reached (contact made)"), c["reached"], share(c["reached"], c["all"])],
        [_("Help accepted, of those reached"), c["accepted"], share(c["accepted"], c["reached"])],
        [_("Help accepted, of all picked up"), c["accepted"], share(c["accepted"], c["all"])],
    ]
    return table


def end_results(municipality: Municipality, period: Period) -> Table:
    closed = Case.objects.filter(municipality=municipality, closed_at__date__range=(period.start, period.end))
    counts = dict(closed.values_list("outcome").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    table = Table(
        "eindresultaten",
        _("End results (cases closed in the period)"),
        [_("End result (DDAS)"), _("Cases"), _("Share")],
    )
    table.rows = [[o.label, counts.get(o.value, 0), share(counts.get(o.value, 0), total)] for o in Outcome]
    table.rows.append([_("Total"), total, ""])
    return table


def contact_attempts(municipality: Municipality, period: Period) -> Table:
    attempts = ContactAttempt.objects.filter(
        case__municipality=municipality, attempted_at__date__range=(period.start, period.end)
    )
    counts = {
        r["kind"]: r
        for r in attempts.values("kind").annotate(n=Count("pk"), ok=Count("pk", filter=Q(reached=True))).order_by()
    }
    table = Table(
        "contactpogingen",
        _("Contact attempts by kind"),
        [_("Kind (DDAS)"), _("Attempts"), _("Reached"), _("Success rate")],
    )
    for kind in ContactKind:
        r = counts.get(kind.value, {"n": 0, "ok": 0})
        table.rows.append([kind.label, r["n"], r["ok"], share(r["ok"], r["n"])])
    total, ok = sum(r["n"] for r in counts.values()), sum(r["ok"] for r in counts.values())
    table.rows.append([_("Total"), total, ok, share(ok, total)])
    return table


def deadlines(municipality: Municipality, period: Period, *, today: date) -> Table:
    """Every term whose last day fell in the period and before today counts, met or
    missed, also of cases still open and of cases never picked up. Met and counted
    follow the one definition in cases/deadlines.py (legal term: approached and, when
    help was accepted, spoken to; LCV target: spoken to; CAK list: approached); a term
    of a case closed by its last day with nobody to approach does not count. Crisis
    terms are the CrisisTerm rows (not withdrawn): a case can have several."""
    cases = Case.objects.filter(municipality=municipality)
    ended = (period.start, min(period.end, today - timedelta(days=1)))

    def count(term: CaseTerm) -> tuple[int, int, int]:
        """(met, counted, ended but not counted: nobody to approach)."""
        due = cases.filter(**{f"{term.due_field}__range": ended})
        r = due.aggregate(
            ended=Count("pk"),
            all=Count("pk", filter=term.counted_q()),
            met=Count("pk", filter=term.counted_q() & term.met_q()),
        )
        return r["met"], r["all"], r["ended"] - r["all"]

    (*legal, legal_nobody), lcv, cak = count(LEGAL_TERM), count(LCV_TARGET)[:2], count(CAK_EFFORT)[:2]
    r = CrisisTerm.objects.filter(crisis_term_counted_q(), case__municipality=municipality, due__range=ended).aggregate(
        all=Count("pk"), met=Count("pk", filter=crisis_term_met_q())
    )
    crisis = (r["met"], r["all"])
    days = [
        (contact - received).days
        for contact, received in cases.filter(first_contact_on__range=(period.start, period.end))
        .values_list("first_contact_on", "first_received_on")
        .iterator(chunk_size=5000)
        if received
    ]
    table = Table(
        "termijnen",
        _("Deadlines met (terms that ended in the period)"),
        [_("Term"), _("Met"), _("Ended"), _("Share met")],
    )
    table.rows = [
        [_("First contact within 2 weeks (LCV target)"), lcv[0], lcv[1], share(*lcv)],
        [
            _("Approached within 4 weeks, and spoken to when help was accepted (legal term)"),
            legal[0],
            legal[1],
            share(*legal),
        ],
        [_("Crisis: contact within 3 working days"), crisis[0], crisis[1], share(*crisis)],
        [_("CAK list: approached within the municipality's own term"), cak[0], cak[1], share(*cak)],
    ]
    median = f"{statistics.median(days):.1f}".replace(".", ",") if days else "–"
    table.note = (
        _("Median days from receipt to first contact: %(median)s (%(n)s cases).") % {"median": median, "n": len(days)}
        + " "
        + _(
            "Not counted: %(n)s legal terms of cases closed by their last day because there was nobody to approach "
            "(repeated or unjustified signal, not a resident, deceased, already in debt help, referral without the "
            "resident); the duty to offer help did not apply to them."
        )
        % {"n": legal_nobody}
    )
    return table


def workload(municipality: Municipality, period: Period, *, today: date) -> list[Table]:
    cases = Case.objects.filter(municipality=municipality)
    per_worker = (
        cases.filter(assigned_to__isnull=False)
        .values("assigned_to__first_name", "assigned_to__last_name", "assigned_to__username")
        .annotate(
            open=Count("pk", filter=Q(closed_at__isnull=True)),
            picked_up=Count("pk", filter=Q(picked_up_on__range=(period.start, period.end))),
            closed=Count("pk", filter=Q(closed_at__date__range=(period.start, period.end))),
        )
        .order_by("assigned_to__first_name", "assigned_to__last_name")
    )
    unassigned = cases.filter(assigned_to__isnull=True, closed_at__isnull=True).count()
    workers = Table(
        "werklast-medewerkers",
        _("Workload per caseworker"),
        [_("Caseworker"), _("Open cases now"), _("Picked up in the period"), _("Closed in the period")],
    )
    for w in per_worker:
        name = f"{w['assigned_to__first_name']} {w['assigned_to__last_name']}".strip() or w["assigned_to__username"]
        workers.rows.append([name, w["open"], w["picked_up"], w["closed"]])
    workers.rows.append([_("Not assigned"), unassigned, "", ""])
    trays = Table("werklast-werkbakjes", _("Open cases per work tray (now)"), [_("Work tray"), _("Open cases")])
    open_cases = cases.filter(closed_at__isnull=True)
    for tray in WorkTray.objects.filter(municipality=municipality).order_by("name"):
        trays.rows.append([tray.name, apply_tray(open_cases, tray, today=today).count()])
    return [workers, trays]


def per_partner(facts: list[dict]) -> Table:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in facts:
        totals[f["partner__name"]][f["status"]] += f["n"]
        totals[f["partner__name"]]["_all"] += f["n"]
    table = Table(
        "per-partner",
        _("Per partner: volume, repeated and unjustified signals"),
        [_("Partner"), _("Signals"), _("Repeated"), _("Share repeated"), _("Unjustified"), _("Share unjustified")],
    )
    for name in sorted(totals):
        t = totals[name]
        rep, unj = t[SignalStatus.REPEATED], t[SignalStatus.UNJUSTIFIED]
        table.rows.append([name, t["_all"], rep, share(rep, t["_all"]), unj, share(unj, t["_all"])])
    return table


def address_investigations(municipality: Municipality, period: Period) -> Table:
    """LAA address investigations, apart from signals: received in the period, and how
    those were handled."""
    received = AddressInvestigation.objects.filter(
        municipality=municipality, received_on__range=(period.start, period.end)
    )
    counts = dict(received.values_list("state").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    table = Table(
        "adresonderzoeken",
        _("Address investigations (LAA), received in the period"),
        [_("Figure"), _("Number"), _("Share")],
    )
    table.rows = [[_("Received"), total, ""]] + [
        [state.label, counts.get(state.value, 0), share(counts.get(state.value, 0), total)]
        for state in InvestigationState
    ]
    return table


def report(municipality: Municipality, period: Period, *, today: date) -> list[Table]:
    """All tables of the team lead's report, in the order the page shows them."""
    facts = _signal_facts(municipality, period)
    return [
        signals_per_month(facts, municipality, period),
        conversion(facts, municipality, period),
        reach(municipality, period),
        end_results(municipality, period),
        contact_attempts(municipality, period),
        deadlines(municipality, period, today=today),
        *workload(municipality, period, today=today),
        per_partner(facts),
        address_investigations(municipality, period),
    ]

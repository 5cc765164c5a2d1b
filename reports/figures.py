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
from datetime import date, datetime, time, timedelta

from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, DurationField, Exists, F, OuterRef, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import CAK_EFFORT, LCV_TARGET, LEGAL_TERM, CaseTerm, crisis_term_counted_q, crisis_term_met_q
from cases.models import AddressInvestigation, Case, CrisisTerm, InvestigationState, Outcome, WorkTray
from cases.selectors import apply_tray
from outreach.models import ContactAttempt, ContactKind
from signals.models import Partner, PartnerType, Signal, SignalStatus
from vroeg.accounts.models import User
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
    """One pass over the period's signals, grouped by day of receipt and partner (no
    joins: the month, the partner's name and type are filled in from the few groups)
    with the repeated and unjustified ones counted alongside."""
    groups = list(
        Signal.objects.filter(municipality=municipality, received_on__range=(period.start, period.end))
        .values("received_on", "partner_id")
        .annotate(
            n=Count("pk"),
            repeated=Count("pk", filter=Q(status=SignalStatus.REPEATED)),
            unjustified=Count("pk", filter=Q(status=SignalStatus.UNJUSTIFIED)),
        )
        .order_by()
    )
    partners = {
        p["pk"]: p
        for p in Partner.objects.filter(pk__in={g["partner_id"] for g in groups}).values("pk", "name", "partner_type")
    }
    for g in groups:
        g["month"] = g["received_on"].replace(day=1)
        g["partner__name"] = partners[g["partner_id"]]["name"]
        g["partner__partner_type"] = partners[g["partner_id"]]["partner_type"]
    return groups


def _signals_picked_up(municipality: Municipality, period: Period) -> int:
    """The period's signals whose case was picked up."""
    return Signal.objects.filter(
        municipality=municipality, received_on__range=(period.start, period.end), case__picked_up_on__isnull=False
    ).count()


def _local_days(period: Period) -> tuple[datetime, datetime]:
    """[first moment, moment after the last) of the period's local days: the same
    moments as `__date__range` in the current time zone, but an index can use them."""
    local = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=local),
        datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=local),
    )


def _case_facts(municipality: Municipality, period: Period, *, today: date) -> list[dict]:
    """One pass over the municipality's cases, grouped by caseworker (None: not
    assigned), by the end result of those closed in the period (`closed_outcome`,
    None for the others) and by the days from receipt to first contact of those first
    spoken to in the period (`contact_days`, None for the others), with every other
    count the case tables need as a filtered count; the tables add the groups up
    (every count is a sum over the groups; `n` is a group's number of cases)."""
    since, until = _local_days(period)
    opened = Q(opened_at__gte=since, opened_at__lt=until)
    closed = Q(closed_at__gte=since, closed_at__lt=until)
    picked = Q(picked_up_on__range=(period.start, period.end))
    ended = (period.start, min(period.end, today - timedelta(days=1)))
    keys = {
        "closed_outcome": SqlCase(When(closed, then=F("outcome")), default=None, output_field=CharField()),
        "contact_days": SqlCase(
            When(
                Q(first_contact_on__range=(period.start, period.end), first_received_on__isnull=False),
                then=F("first_contact_on") - F("first_received_on"),
            ),
            default=None,
            output_field=DurationField(),
        ),
    }
    counts = {
        "n": Count("pk"),
        "opened": Count("pk", filter=opened),
        "opened_single": Count("pk", filter=opened & Q(signal_count=1)),
        "opened_multiple": Count("pk", filter=opened & Q(signal_count__gt=1)),
        "opened_consecutive": Count("pk", filter=opened & Q(follows_recent_case=True)),
        "picked": Count("pk", filter=picked),
        "picked_contact": Count("pk", filter=picked & Q(first_contact_on__isnull=False)),
        "picked_accepted": Count("pk", filter=picked & Q(help_accepted_on__isnull=False)),
        "closed": Count("pk", filter=closed),
        "open": Count("pk", filter=Q(closed_at__isnull=True)),
    }
    for term in (LEGAL_TERM, LCV_TARGET, CAK_EFFORT):
        due = Q(**{f"{term.due_field}__range": ended})
        counts[f"{term.due_field}_ended"] = Count("pk", filter=due)
        counts[f"{term.due_field}_all"] = Count("pk", filter=due & term.counted_q())
        counts[f"{term.due_field}_met"] = Count("pk", filter=due & term.counted_q() & term.met_q())
    return list(
        Case.objects.filter(municipality=municipality)
        .annotate(**keys)
        .values("assigned_to_id", *keys)
        .annotate(**counts)
        .order_by()
    )


def _total(facts: list[dict], key: str) -> int:
    return sum(f[key] for f in facts)


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


def conversion(facts: list[dict], case_facts: list[dict], municipality: Municipality, period: Period) -> Table:
    received = sum(f["n"] for f in facts)
    picked_up = _signals_picked_up(municipality, period) if received else 0
    cases = {
        name: _total(case_facts, key)
        for name, key in [
            ("all", "opened"),
            ("single", "opened_single"),
            ("multiple", "opened_multiple"),
            ("consecutive", "opened_consecutive"),
        ]
    }
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


def reach(case_facts: list[dict], municipality: Municipality, period: Period) -> Table:
    c = {"all": _total(case_facts, "picked"), "accepted": _total(case_facts, "picked_accepted")}
    # Reached: contact made (first_contact_on), or else a contact attempt that reached
    # the resident; the latter only asked of the few picked-up cases without the date.
    c["reached"] = _total(case_facts, "picked_contact")
    if c["reached"] < c["all"]:
        c["reached"] += Case.objects.filter(
            Exists(ContactAttempt.objects.filter(case=OuterRef("pk"), reached=True)),
            municipality=municipality,
            picked_up_on__range=(period.start, period.end),
            first_contact_on__isnull=True,
        ).count()
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


def end_results(case_facts: list[dict]) -> Table:
    counts: dict[str, int] = defaultdict(int)
    for f in case_facts:
        if f["closed_outcome"] is not None:
            counts[f["closed_outcome"]] += f["n"]
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
    since, until = _local_days(period)
    attempts = ContactAttempt.objects.filter(
        case__municipality=municipality, attempted_at__gte=since, attempted_at__lt=until
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


def deadlines(case_facts: list[dict], municipality: Municipality, period: Period, *, today: date) -> Table:
    """Every term whose last day fell in the period and before today counts, met or
    missed, also of cases still open and of cases never picked up. Met and counted
    follow the one definition in cases/deadlines.py (legal term: approached and, when
    help was accepted, spoken to; LCV target: spoken to; CAK list: approached); a term
    of a case closed by its last day with nobody to approach does not count. Crisis
    terms are the CrisisTerm rows (not withdrawn): a case can have several."""
    ended = (period.start, min(period.end, today - timedelta(days=1)))

    def count(term: CaseTerm) -> tuple[int, int, int]:
        """(met, counted, ended but not counted: nobody to approach)."""
        r = {key: _total(case_facts, f"{term.due_field}_{key}") for key in ("ended", "all", "met")}
        return r["met"], r["all"], r["ended"] - r["all"]

    (*legal, legal_nobody), lcv, cak = count(LEGAL_TERM), count(LCV_TARGET)[:2], count(CAK_EFFORT)[:2]
    r = CrisisTerm.objects.filter(crisis_term_counted_q(), case__municipality=municipality, due__range=ended).aggregate(
        all=Count("pk"), met=Count("pk", filter=crisis_term_met_q())
    )
    crisis = (r["met"], r["all"])
    days = sorted(f["contact_days"].days for f in case_facts if f["contact_days"] is not None for _ in range(f["n"]))
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


def workload(case_facts: list[dict], municipality: Municipality, *, today: date) -> list[Table]:
    cases = Case.objects.filter(municipality=municipality)
    by_worker: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in case_facts:
        if f["assigned_to_id"] is not None:
            for key in ("open", "picked", "closed"):
                by_worker[f["assigned_to_id"]][key] += f[key]
    names = (
        User.objects.filter(pk__in=list(by_worker))
        .order_by("first_name", "last_name")  # the database's collation, as before
        .values("pk", "first_name", "last_name", "username")
    )
    per_worker = [
        {
            "assigned_to__first_name": u["first_name"],
            "assigned_to__last_name": u["last_name"],
            "assigned_to__username": u["username"],
            "open": by_worker[u["pk"]]["open"],
            "picked_up": by_worker[u["pk"]]["picked"],
            "closed": by_worker[u["pk"]]["closed"],
        }
        for u in names
    ]
    unassigned = sum(f["open"] for f in case_facts if f["assigned_to_id"] is None)
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
        totals[f["partner__name"]][SignalStatus.REPEATED] += f["repeated"]
        totals[f["partner__name"]][SignalStatus.UNJUSTIFIED] += f["unjustified"]
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
    case_facts = _case_facts(municipality, period, today=today)
    return [
        signals_per_month(facts, municipality, period),
        conversion(facts, case_facts, municipality, period),
        reach(case_facts, municipality, period),
        end_results(case_facts),
        contact_attempts(municipality, period),
        deadlines(case_facts, municipality, period, today=today),
        *workload(case_facts, municipality, today=today),
        per_partner(facts),
        address_investigations(municipality, period),
    ]

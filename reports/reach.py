"""The team lead's report "Bereik" (issue 19): what reaches residents in one municipality
and period, beside the national figures, as tables the page, the CSV files and the
Excel workbook share, and one chart.

The figures come from outreach/reach.py (one definition, also behind the suggestion on
the case page); docs/reports-reach.md says what each counts. Small numbers are masked
here: a row whose base (the number its share divides by) is below SMALL shows MASKED for
its counts and no share, on the page and in both downloads, so no resident can be
singled out. A count with a base of SMALL or more is shown, however small itself: its
share would tell it anyway.
"""

from django.utils.translation import gettext_lazy as _

from outreach import reach
from outreach.models import ContactKind, PartOfDay
from vroeg.municipalities.models import Municipality

from .chart import Chart, stacked_bars
from .figures import Figure, Table, share
from .periods import Period

SMALL = 10
MASKED = "< 10"
HIDDEN = "–"  # a share not shown (masked), or no comparison figure

DIVOSA_2023 = _("Divosa monitor 2023, §6")
AMSTERDAM = _("Amsterdam, Vroeg Eropaf")


def sources() -> list[dict]:
    """The sources of the comparison figures, as the page lists them."""
    return [
        {
            "name": _(
                "Divosa, Monitor Vroegsignalering Schulden, annual report 2023, chapter 6 “Bij één op de vijf "
                "meldingen wordt inwoner bereikt” (data of 2022 and 2023, per case)"
            ),
            "url": "https://divosa.nl/publicaties/divosa-monitor-vroegsignalering-schulden-jaarrapportage-2023/"
            "divosa-monitor/bij-een-1",
        },
        {
            "name": _(
                "Municipality of Amsterdam, Vroeg Eropaf: about %(share)s reached by combining home visits, phone, "
                "e-mail and WhatsApp (the municipality's own figure, not a national average)"
            )
            % {"share": "80 %"},
            "url": "",
        },
    ]


def _percent(value: float) -> Figure:
    return Figure(f"{round(100 * value)} %", value, "0%")


def _row(label, tally: reach.Tally, *comparison) -> list:
    """label, base, reached, share (masked below SMALL), then the comparison cells."""
    if tally.base < SMALL:
        return [label, MASKED, MASKED, HIDDEN, *comparison]
    return [label, tally.base, tally.reached, share(tally.reached, tally.base), *comparison]


PER_ATTEMPT = _(
    "Per attempt: every contact attempt made in the period on a case of the municipality counts once; "
    "reached = that attempt reached the resident."
)
MASKING = _("“< 10”: fewer than 10 to count from; the figures are not shown, so no resident can be singled out.")


def per_kind(tallies: dict[tuple, reach.Tally]) -> Table:
    """Per channel: each DDAS kind, and the answers on the reply page in a row of their
    own (not in "Mail", as which DDAS counts them)."""
    kinds = reach.summed(tallies, 4)
    table = Table(
        "bereik-per-soort",
        _("Reach per kind of contact (attempts in the period)"),
        [_("Kind (DDAS)"), _("Attempts"), _("Reached"), _("Share reached")],
        note=f"{PER_ATTEMPT} {MASKING}",
    )
    for kind in ContactKind:
        table.rows.append(_row(kind.label, kinds.get(kind.value, reach.Tally())))
        if kind == ContactKind.MAIL:
            table.rows.append(_row(_("Reply through the reply page"), kinds.get(reach.REPLY, reach.Tally())))
    table.rows.append(_row(_("Total"), sum(kinds.values(), reach.Tally())))
    return table


def per_case(groups: dict[str, reach.Tally]) -> Table:
    divosa, amsterdam, none = DIVOSA_2023, AMSTERDAM, ""
    rows = [
        (reach.ALL_CASES, _("All cases picked up"), _percent(0.20), divosa),
        (reach.WITH_HOME_VISIT, _("At least one home visit"), _percent(0.46), divosa),
        (reach.WITH_PHONE, _("At least one phone attempt"), _percent(0.59), divosa),
        (reach.WRITTEN_ONLY, _("Written contact only (letter, card, e-mail, SMS/WhatsApp)"), _percent(0.06), divosa),
        (reach.COMBINED, _("Two or more kinds of contact combined"), _percent(0.80), amsterdam),
        (reach.NO_ATTEMPT, _("No attempt recorded"), HIDDEN, none),
        (reach.ONE_OR_TWO, _("1 or 2 attempts"), _percent(0.18), divosa),
        (reach.THREE, _("3 attempts"), HIDDEN, none),
        (reach.FOUR_OR_MORE, _("4 or more attempts"), _percent(0.37), divosa),
    ]
    table = Table(
        "bereik-per-zaak",
        _("Reach per case: approach and number of attempts (cases picked up in the period)"),
        [_("Approach"), _("Cases"), _("Reached"), _("Share reached"), _("Comparison"), _("Source")],
        note=" ".join(
            [
                str(
                    _(
                        "Per case: every case picked up in the period counts once in each row it fits, with its "
                        "attempts to make contact (up to and including the day of first contact, whenever made). "
                        "Reached = contact was made or an attempt reached the resident. Written = letter, card, "
                        "e-mail or SMS/WhatsApp; kinds combined = two or more of home visit, phone, SMS/WhatsApp, "
                        "letter, card, e-mail and appointment. The national figures count per case (“melding”) too."
                    )
                ),
                str(MASKING),
            ]
        ),
    )
    table.rows = [_row(label, groups[key], comparison, source) for key, label, comparison, source in rows]
    return table


PARTS = {
    PartOfDay.MORNING: _("morning"),
    PartOfDay.AFTERNOON: _("afternoon"),
    PartOfDay.EVENING: _("evening"),
}


def per_part_of_day(tallies: dict[tuple, reach.Tally]) -> Table:
    parts = reach.summed(tallies, 1)
    by_kind_and_part = {}
    for (kind, part, *_rest), tally in tallies.items():
        by_kind_and_part[kind, part] = by_kind_and_part.get((kind, part), reach.Tally()) + tally
    table = Table(
        "bereik-per-dagdeel",
        _("Reach per part of the day (attempts in the period)"),
        [_("Part of the day"), _("Attempts"), _("Reached"), _("Share reached")],
        note=" ".join(
            [
                str(PER_ATTEMPT),
                str(
                    _(
                        "The part of the day follows the time of the attempt: before 12:00 morning, before 18:00 "
                        "afternoon, later evening."
                    )
                ),
                str(MASKING),
            ]
        ),
    )
    for part in PartOfDay:
        table.rows.append(_row(part.label, parts.get(part.value, reach.Tally())))
    for kind in (ContactKind.HOME_VISIT, ContactKind.PHONE):
        for part in PartOfDay:
            label = f"{kind.label}, {PARTS[part]}"
            table.rows.append(_row(label, by_kind_and_part.get((kind.value, part.value), reach.Tally())))
    table.rows.append(_row(_("Total"), sum(parts.values(), reach.Tally())))
    return table


def per_number(tallies: dict[tuple, reach.Tally]) -> Table:
    numbers = reach.summed(tallies, 2)
    labels = {1: _("1st attempt"), 2: _("2nd attempt"), 3: _("3rd attempt"), reach.LAST_NUMBER: _("4th or later")}
    table = Table(
        "bereik-per-poging",
        _("Reach per attempt number (attempts in the period)"),
        [_("Attempt"), _("Attempts"), _("Reached"), _("Share reached")],
        note=" ".join(
            [
                str(PER_ATTEMPT),
                str(
                    _(
                        "An attempt's number is its place among all attempts on its case by time, also those "
                        "before the period."
                    )
                ),
                str(MASKING),
            ]
        ),
    )
    table.rows = [_row(label, numbers.get(n, reach.Tally())) for n, label in labels.items()]
    table.rows.append(_row(_("Total"), sum(numbers.values(), reach.Tally())))
    return table


def per_plan(tallies: dict[tuple, reach.Tally], names: dict[int, str]) -> Table:
    plans = reach.summed(tallies, 3)
    table = Table(
        "bereik-per-plan",
        _("Reach per contact plan (attempts in the period)"),
        [_("Contact plan"), _("Attempts"), _("Reached"), _("Share reached")],
        note=" ".join(
            [
                str(PER_ATTEMPT),
                str(
                    _("An attempt counts for the plan whose step it carried out; “no plan”: an attempt outside a plan.")
                ),
                str(MASKING),
            ]
        ),
    )
    for pk, name in sorted(names.items(), key=lambda item: (item[1].lower(), item[0])):
        table.rows.append(_row(name, plans.get(pk, reach.Tally())))
    table.rows.append(_row(_("No plan"), plans.get(None, reach.Tally())))
    table.rows.append(_row(_("Total"), sum(plans.values(), reach.Tally())))
    return table


BUCKETS = [
    (7, _("At most 7 days")),
    (14, _("8 to 14 days (LCV target: 14)")),
    (28, _("15 to 28 days")),
    (None, _("More than 28 days")),
]


def days_to_first_contact(days: list[int]) -> Table:
    table = Table(
        "dagen-tot-eerste-contact",
        _("Days from receipt to first contact (cases with first contact in the period)"),
        [_("Days"), _("Cases"), _("Share")],
        note=" ".join(
            [
                str(
                    _(
                        "Per case: every case whose first contact fell in the period, counted in calendar days from "
                        "the receipt of its first signal (as the median of the main report)."
                    )
                ),
                str(MASKING),
            ]
        ),
    )
    counts, low = [], -(10**6)
    for high, label in BUCKETS:
        n = sum(1 for d in days if d > low and (high is None or d <= high))
        counts.append((label, n))
        low = high if high is not None else low
    total = len(days)
    if total < SMALL:
        table.rows = [[label, MASKED, HIDDEN] for label, _n in counts]
        table.rows += [[_("Total"), MASKED, ""], [_("Median (days)"), HIDDEN, ""]]
        return table
    table.rows = [[label, n, share(n, total)] for label, n in counts]
    value = reach.median(days)
    table.rows += [
        [_("Total"), total, ""],
        [_("Median (days)"), Figure(f"{value:.1f}".replace(".", ","), value, "0.0"), ""],
    ]
    return table


def within_legal_term(term: reach.TermReach) -> Table:
    table = Table(
        "bereikt-binnen-termijn",
        _("Reached within the legal term (terms that ended in the period)"),
        [_("Figure"), _("Cases"), _("Terms ended"), _("Share")],
        note=" ".join(
            [
                str(
                    _(
                        "Per case: every legal term (4 weeks from receipt) whose last day fell in the period and "
                        "before today, as the main report counts it. Approached = the legal requirement; reached "
                        "= first contact by the last day."
                    )
                ),
                str(MASKING),
            ]
        ),
    )
    for label, n in [
        (_("Approached within the legal term (and spoken to when help was accepted)"), term.approached),
        (_("Reached within the legal term"), term.reached),
    ]:
        if term.counted < SMALL:
            table.rows.append([label, MASKED, MASKED, HIDDEN])
        else:
            table.rows.append([label, n, term.counted, share(n, term.counted)])
    return table


def reach_report(municipality: Municipality, period: Period, *, today) -> list[Table]:
    """Every table of the report, in the order the page shows them."""
    start, end = period.start, period.end
    tallies = reach.attempt_reach(municipality=municipality, start=start, end=end)
    return [
        per_kind(tallies),
        per_case(reach.case_reach(municipality=municipality, start=start, end=end)),
        per_part_of_day(tallies),
        per_number(tallies),
        per_plan(tallies, reach.plan_names(municipality=municipality, tallies=tallies)),
        days_to_first_contact(reach.first_contact_days(municipality=municipality, start=start, end=end)),
        within_legal_term(reach.legal_term_reach(municipality=municipality, start=start, end=end, today=today)),
    ]


def reach_chart(tables: list[Table]) -> Chart | None:
    """Attempts per kind, reached and not, of the kinds counted from SMALL or more
    attempts (the masked ones are left out, as in the table)."""
    per_kind_table = tables[0]
    shown = [row for row in per_kind_table.rows[:-1] if isinstance(row[1], int)]
    if not shown:
        return None
    return stacked_bars(
        [str(row[0]) for row in shown],
        {str(_("Reached")): [row[2] for row in shown], str(_("Not reached")): [row[1] - row[2] for row in shown]},
    )

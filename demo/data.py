"""Demo data for `make run`: one municipality, four partners, one account per role,
and deliveries of fictitious signals (accepted, repeated and rejected rows) that
form cases, some with a suggestion of the first assessment.

Idempotent: loading twice adds nothing twice.
"""

import csv
import hashlib
import io
import random
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cases.assessment import cases_assess_pending
from cases.laa import laa_import
from cases.models import Approach, Case, CaseState, Outcome, WorkTray
from cases.reminders import reminders_deadlines
from cases.services import (
    case_accept_help,
    case_close,
    case_make_contact,
    case_mark_threatening,
    case_pick_up,
    cases_assign,
)
from feedback.models import Feedback
from feedback.reminders import reminders_collection_pauses
from outreach.models import ContactKind, ContactPlan, CopyHow, PartOfDay
from outreach.plans import PICKUP, PREVIOUS
from outreach.reminders import reminders_plan_steps
from outreach.services import action_plan_save, cases_plan_sweep, contact_attempt_record, contact_plan_save
from signals.models import Delivery, DeliveryStatus, Partner, PartnerType
from signals.services import delivery_process, delivery_receive, partner_upsert
from visits.models import HomeVisitRound, RoundScope, VisitStatus
from visits.route import parse_area
from visits.services import VisitResult, round_plan, round_record
from vroeg.accounts import roles
from vroeg.accounts.models import User
from vroeg.accounts.services import user_upsert
from vroeg.municipalities.models import Municipality
from vroeg.workdays import WorkCalendar

DEMO_PASSWORD = "vroeg-demo"
DEMO_PHONE = "06 12345678"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


DEMO_LOGINS = [
    DemoLogin("medewerker", roles.CASEWORKER),
    DemoLogin("teamleider", roles.TEAM_LEAD),
    DemoLogin("partner", roles.PARTNER_USER),
    DemoLogin("beheerder", roles.FUNCTIONAL_ADMIN),
    DemoLogin("privacy", roles.PRIVACY_OFFICER),
]

_PARTNERS = [
    ("demo-huur", "Woonstichting Voorbeeldstad", PartnerType.HUUR),
    ("demo-energie", "Energie Voorbeeld", PartnerType.ENERGIE),
    ("demo-water", "Waterbedrijf Voorbeeld", PartnerType.WATER),
    ("demo-zorg", "Zorgverzekeraar Voorbeeld", PartnerType.ZORG),
    ("demo-cak", "CAK (bestuursrechtelijke premie)", PartnerType.CAK_ZORGVERZEKERINGEN),
]

_NAMES = {
    "medewerker": ("Mila", "de Vries"),
    "teamleider": ("Thijs", "Bakker"),
    "partner": ("Priya", "Jansen"),
    "beheerder": ("Bram", "Visser"),
    "privacy": ("Fenna", "de Graaf"),
}


@transaction.atomic
def demo_load() -> None:
    """Load the demo data; refuses outside demo mode."""
    if not settings.VROEG_DEMO:
        raise ImproperlyConfigured("Demo data can only be loaded in demo mode (DJANGO_DEBUG=true or VROEG_DEMO=true).")
    municipality, _ = Municipality.objects.update_or_create(
        code="9999", defaults={"name": "Voorbeeldstad", "inhabitants": 100_000}
    )
    partners = {
        code: partner_upsert(code=code, name=name, partner_type=ptype, municipalities=[municipality])
        for code, name, ptype in _PARTNERS
    }
    for login in DEMO_LOGINS:
        first, last = _NAMES[login.username]
        user_upsert(
            username=login.username,
            password=DEMO_PASSWORD,
            role=login.role,
            municipalities=[municipality],
            partner=partners["demo-huur"] if login.role == roles.PARTNER_USER else None,
            first_name=first,
            last_name=last,
            email=f"{login.username}@voorbeeldstad.example",
            # Letters sign with the caseworker's number (an obvious example number).
            phone=DEMO_PHONE if login.role in (roles.CASEWORKER, roles.TEAM_LEAD) else "",
            is_demo=True,
        )
    demo_deliveries(timezone.localdate())
    demo_debt_help_register(municipality)
    demo_trays(municipality)
    cases_assess_pending(limit=1000)
    demo_casework(timezone.localdate())
    demo_contact_plans(municipality, timezone.localdate())
    demo_visit_round(municipality, timezone.localdate())


def demo_casework(today: date) -> None:
    """Some October cases worked on by `medewerker` through the real services, so the
    partner sees feedback, a collection pause is about to end and one has ended (its
    case was closed by a warm handover, with a Plan van Aanpak the resident got a copy
    of, and its pause is still followed), and the bell has reminders. Runs once
    (skipped when feedback exists)."""

    if Feedback.objects.filter(partner__code__startswith="demo-").exclude(result="herhaalde_melding").exists():
        return
    worker = User.objects.get(username="medewerker")
    # Households with a crisis signal are left for the crisis judgement below.
    october = list(
        Case.objects.filter(
            first_received_on=today - timedelta(days=40), closed_at__isnull=True, has_crisis=False
        ).order_by("pk")[:6]
    )
    if len(october) < 6:
        return
    cases_assign(user=worker, case_ids=[c.pk for c in october], assignee=worker)
    for case, accepted_days_ago in ((october[0], 26), (october[1], 33)):
        case_pick_up(case_id=case.pk, user=worker, on=today - timedelta(days=39))
        case_make_contact(case_id=case.pk, user=worker, on=today - timedelta(days=accepted_days_ago + 1))
        case_accept_help(case_id=case.pk, user=worker, on=today - timedelta(days=accepted_days_ago))
    action_plan_save(
        case_id=october[1].pk,
        user=worker,
        data={
            "arrears": "Huurachterstand, twee maanden",
            "debts": "Geen andere schulden bekend",
            "actions": [
                {
                    "who": "Medewerker",
                    "what": "Aanmelden bij schuldhulpverlening",
                    "when": (today - timedelta(days=31)).isoformat(),
                }
            ],
            "handover_organisation": "Schuldhulpverlening Voorbeeldstad",
            "handover_contact": "Team intake",
            "handover_date": today - timedelta(days=30),
            "three_way_talk": True,
            "copy_given_on": today - timedelta(days=32),
            "copy_how": CopyHow.IN_PERSON,
        },
    )
    case_close(
        case_id=october[1].pk,
        user=worker,
        outcome=Outcome.FOLLOW_UP_FINANCIAL,
        reason="Demo: warme overdracht naar schuldhulpverlening",
    )
    case_close(
        case_id=october[2].pk,
        user=worker,
        outcome=Outcome.NOT_PICKED_UP_OTHER,
        reason="Demo: inwoner heeft al een regeling met de verhuurder",
    )
    case_close(case_id=october[3].pk, user=worker, outcome=Outcome.DECEASED, reason="Demo")
    case_pick_up(case_id=october[4].pk, user=worker, on=today - timedelta(days=38))
    # One partner's crisis signal judged threatening by the caseworker today: a running
    # 3-working-day term. Other crisis signals wait for a judgement.
    to_judge = Case.objects.filter(
        crisis_proposed_on=today, closed_at__isnull=True, state__in=[CaseState.NEW, CaseState.OUTREACH]
    )
    crisis = to_judge.order_by("pk").first()
    if crisis is not None:
        cases_assign(user=worker, case_ids=[crisis.pk], assignee=worker)
        case_mark_threatening(case_id=crisis.pk, user=worker, reason="Demo: afsluiting aangekondigd")
    reminders_collection_pauses(today=today)
    reminders_deadlines(today=today)


# The energy supplier delivers the example file of its sector (docs/partners/); the
# landlord's example is left for the `partner` login to upload itself.
EXAMPLE_FILE = Path(__file__).resolve().parent.parent / "docs" / "partners" / "voorbeeld-signalen-energie.csv"
_SURNAMES = [
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
]
_STREETS = ["Dorpsstraat", "Kerkstraat", "Schoolstraat", "Molenweg", "Stationsweg", "Beatrixlaan"]


def _demo_rows(rng: random.Random, prefix: str, signal_type: str, count: int, received: date):
    """Fictitious signals; addresses repeat so that some households get several."""
    for i in range(count):
        surname = rng.choice(_SURNAMES)
        voorvoegsel, _, achternaam = surname.rpartition(" ")
        signal_date = received - timedelta(days=rng.randint(1, 14))
        yield {
            "partner_referentie": f"{prefix}-{i:04d}",
            "signaal_type": signal_type,
            "crisissignaal": "ja" if i % 9 == 4 else "nee",
            "bedrag_achterstand": f"{rng.randint(90, 2600)},{rng.randint(0, 99):02d}",
            "datum_ontstaan": (signal_date - timedelta(days=rng.randint(40, 150))).isoformat(),
            "signaaldatum": signal_date.isoformat(),
            "voorletters": rng.choice(["A.", "J.", "M.", "S.", "K."]),
            "voorvoegsel": voorvoegsel,
            "achternaam": achternaam,
            "geboortedatum": date(1950 + rng.randint(0, 50), rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
            "straat": _STREETS[i % len(_STREETS)],
            "huisnummer": str(1 + i % 12),
            "postcode": f"{1011 + i % 12}AB",
            "woonplaats": "Voorbeeldstad",
            "telefoonnummer": f"06{rng.randint(10000000, 99999999)}" if i % 3 else "",
        }


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _deliver_once(partner: Partner, name: str, data: bytes, received_on: date) -> None:
    """Deliver a demo file unless this partner already has these exact bytes."""
    if Delivery.objects.filter(partner=partner, sha256=hashlib.sha256(data).hexdigest()).exists():
        return
    delivery = delivery_receive(
        partner=partner,
        stream=io.BytesIO(data),
        original_name=name,
        received_on=received_on,
        via_command=True,
        keep_file=False,
    )
    if delivery.status != DeliveryStatus.REFUSED:
        delivery_process(delivery_id=delivery.pk, stream=io.BytesIO(data))


def demo_deliveries(today: date) -> None:
    """Signals from the demo partners: accepted, repeated and rejected rows, and
    households with signals from more than one partner."""
    rng = random.Random(2026)
    partners = {p.code: p for p in Partner.objects.filter(code__startswith="demo-")}
    earlier = today - timedelta(days=40)
    huur = list(_demo_rows(rng, "HUUR", "huur", 18, earlier))
    _deliver_once(partners["demo-huur"], "huurachterstanden-oktober.csv", _csv(huur), earlier)

    recent = list(_demo_rows(rng, "HUUR-N", "huur", 10, today))
    recent[7]["crisissignaal"] = "ja"  # announced eviction: judged threatening in demo_casework
    repeats = [
        {**r, "bedrag_achterstand": "80,00", "signaaldatum": (today - timedelta(days=3)).isoformat()} for r in huur[:3]
    ]
    broken = [
        {**huur[5], "partner_referentie": "HUUR-X1", "postcode": "1234"},
        {**huur[6], "partner_referentie": "HUUR-X2", "bedrag_achterstand": "veel"},
    ]
    _deliver_once(partners["demo-huur"], "huurachterstanden-november.csv", _csv(recent + repeats + broken), today)

    water = list(_demo_rows(rng, "WATER", "drinkwater", 8, today))
    _deliver_once(partners["demo-water"], "water-week-48.csv", _csv(water), today)
    zorg = list(_demo_rows(rng, "ZORG", "zorgverzekering", 12, today))
    _deliver_once(partners["demo-zorg"], "premieachterstand.csv", _csv(zorg), today)
    if EXAMPLE_FILE.exists():
        _deliver_once(partners["demo-energie"], EXAMPLE_FILE.name, EXAMPLE_FILE.read_bytes(), today)
    cak = list(_demo_rows(rng, "CAK", "cak_zorgverzekering", 4, today))
    _deliver_once(partners["demo-cak"], "cak-lijst.csv", _csv(cak), today)
    _demo_signals_with_suggestions(partners, today)
    _demo_address_investigations(today)


# A resident of a health insurer's signal whom the debt-help register knows
# (demo_debt_help_register): the first assessment suggests "bekend bij
# schuldhulpverlening".
_KNOWN_TO_DEBT_HELP = {
    "bsn": "999990226",
    "voorletters": "Y.",
    "voorvoegsel": "",
    "achternaam": "Veenstra",
    "geboortedatum": "1984-03-09",
    "straat": "Wilgenpad",
    "huisnummer": "8",
    "postcode": "1064AB",
}


def _demo_signals_with_suggestions(partners: dict[str, Partner], today: date) -> None:
    """Two households whose first assessment suggests an end result, so a newcomer sees
    suggestions on the case page: a water arrear of € 42,50 that arose 12 days before
    the signal (under the threshold and too young: "onterecht signaal"), and a health
    insurer's signal about a resident in the debt-help register."""
    signal_date = today - timedelta(days=2)
    common = {"crisissignaal": "nee", "signaaldatum": signal_date.isoformat(), "woonplaats": "Voorbeeldstad"}
    small = {
        "partner_referentie": "WATER-K1",
        "signaal_type": "drinkwater",
        "bedrag_achterstand": "42,50",
        "datum_ontstaan": (signal_date - timedelta(days=12)).isoformat(),
        "bsn": "",
        "voorletters": "H.",
        "voorvoegsel": "",
        "achternaam": "Kramer",
        "geboortedatum": "1990-06-14",
        "straat": "Veerpad",
        "huisnummer": "3",
        "postcode": "1063AB",
        **common,
    }
    _deliver_once(partners["demo-water"], "water-nagekomen.csv", _csv([small]), today)
    known = {
        "partner_referentie": "ZORG-R1",
        "signaal_type": "zorgverzekering",
        "bedrag_achterstand": "1184,20",
        "datum_ontstaan": (signal_date - timedelta(days=120)).isoformat(),
        **_KNOWN_TO_DEBT_HELP,
        **common,
    }
    _deliver_once(partners["demo-zorg"], "premieachterstand-nagekomen.csv", _csv([known]), today)


def demo_debt_help_register(municipality: Municipality) -> None:
    """The register of current debt-help clients, read in the way an operator does
    (the import_debt_help_register command); it replaces itself on every load."""
    person = _KNOWN_TO_DEBT_HELP
    text = (
        "bsn;achternaam;voorvoegsel;geboortedatum;postcode;huisnummer\n"
        f"{person['bsn']};{person['achternaam']};{person['voorvoegsel']};{person['geboortedatum']};"
        f"{person['postcode']};{person['huisnummer']}\n"
    )
    with tempfile.NamedTemporaryFile(suffix=".csv") as register:
        register.write(text.encode("utf-8"))
        register.flush()
        call_command("import_debt_help_register", register.name, municipality=municipality.code, stdout=io.StringIO())


def _demo_address_investigations(today: date) -> None:
    """Two LAA address-quality signals (laa_import skips references it knows)."""

    text = (
        "laa_referentie;postcode;huisnummer;huisnummertoevoeging;straat;woonplaats;signaaldatum;toelichting\n"
        f"LAA-DEMO-1;1011 AB;40;;Kerkstraat;Voorbeeldstad;{today:%Y-%m-%d};Zes volwassenen ingeschreven op één adres\n"
        f"LAA-DEMO-2;1012 CD;7;B;Molenweg;Voorbeeldstad;{today:%Y-%m-%d};Post komt onbestelbaar retour\n"
    )
    laa_import(
        user=User.objects.get(username="beheerder"),
        municipality=Municipality.objects.get(code="9999"),
        stream=io.BytesIO(text.encode("utf-8")),
        received_on=today,
    )


def demo_trays(municipality: Municipality) -> None:

    lead = User.objects.get(username="teamleider")
    for name, approach, filters in [
        ("Crisis eerst", Approach.PHONE, {"crisis_only": True}),
        ("Meerdere signalen: huisbezoek", Approach.HOME_VISIT, {"min_signals": 2}),
        ("Termijn deze week", Approach.PHONE, {"deadline": WorkTray.Deadline.THIS_WEEK}),
    ]:
        WorkTray.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={"approach": approach, "created_by": lead, **filters},
        )


_CRISIS_PLAN = "Crisis: bellen dezelfde dag"
_VISIT_PLAN = "Meerdere signalen: huisbezoek eerst"


def _plan_steps(*steps: tuple[str, int, str]) -> list[dict]:
    return [
        {"kind": kind, "offset_days": days, "offset_from": PICKUP if i == 0 else PREVIOUS, "part_of_day": part}
        for i, (kind, days, part) in enumerate(steps)
    ]


def demo_contact_plans(municipality: Municipality, today: date) -> None:
    """Two contact plans of the team lead on the demo trays (next to the default plan),
    and cases picked up today by `medewerker`, so the queue shows next steps "vandaag te
    doen" (home visits among them) and the bell reminds of them. Runs once (skipped
    when the plans exist)."""
    if ContactPlan.objects.filter(municipality=municipality, name=_CRISIS_PLAN).exists():
        return
    lead = User.objects.get(username="teamleider")
    worker = User.objects.get(username="medewerker")
    trays = {t.name: t for t in WorkTray.objects.filter(municipality=municipality)}
    contact_plan_save(
        user=lead,
        data={
            "municipality": municipality,
            "name": _CRISIS_PLAN,
            "description": "Bij een dreigende afsluiting of uitzetting: dezelfde dag twee keer bellen, "
            "de dag erna langsgaan.",
        },
        steps=_plan_steps(
            (ContactKind.PHONE, 0, PartOfDay.MORNING),
            (ContactKind.PHONE, 0, PartOfDay.AFTERNOON),
            (ContactKind.HOME_VISIT, 1, PartOfDay.MORNING),
            (ContactKind.PHONE, 1, PartOfDay.EVENING),
        ),
        trays=[trays["Crisis eerst"]] if "Crisis eerst" in trays else [],
    )
    contact_plan_save(
        user=lead,
        data={
            "municipality": municipality,
            "name": _VISIT_PLAN,
            "description": "Meerdere signalen op één adres: eerst langsgaan, bij niet thuis een kaartje.",
        },
        steps=_plan_steps(
            (ContactKind.HOME_VISIT, 0, PartOfDay.AFTERNOON),
            (ContactKind.CARD, 0, PartOfDay.AFTERNOON),
            (ContactKind.PHONE, 1, PartOfDay.EVENING),
            (ContactKind.HOME_VISIT, 2, PartOfDay.MORNING),
            (ContactKind.LETTER, 2, ""),
        ),
        trays=[trays["Meerdere signalen: huisbezoek"]] if "Meerdere signalen: huisbezoek" in trays else [],
    )
    # Picked up today: the judged crisis case and a few of today's (those with several
    # signals first: they follow the home-visit plan).
    crisis = Case.objects.filter(municipality=municipality, state=CaseState.NEW, crisis_due__isnull=False)
    recent = Case.objects.filter(
        municipality=municipality,
        state=CaseState.NEW,
        first_received_on=today,
        crisis_proposed_on__isnull=True,
        crisis_due__isnull=True,
        needs_assessment=False,
    ).exclude(findings__suggested_outcome__gt="")
    chosen = [*crisis.order_by("pk")[:1], *recent.order_by("-signal_count", "pk")[:5]]
    if not chosen:
        return
    cases_assign(user=worker, case_ids=[c.pk for c in chosen], assignee=worker)
    for case in chosen:
        case_pick_up(case_id=case.pk, user=worker, on=today)
    contact_attempt_record(
        case_id=chosen[-1].pk, user=worker, kind=ContactKind.PHONE, reached=False, attempted_at=timezone.now()
    )
    cases_plan_sweep()  # cases picked up before (demo_casework): their plans too
    reminders_plan_steps(today=today)


def demo_visit_round(municipality: Municipality, today: date) -> None:
    """A home-visit round `medewerker` walked on the last working day before today and
    recorded (visits/): three October cases picked up a few days before, whose contact
    plans had come to a home visit; one resident reached, one not at home, one address
    not visited. Runs once (skipped when the municipality has a round)."""
    if HomeVisitRound.objects.filter(municipality=municipality).exists():
        return
    worker = User.objects.get(username="medewerker")
    calendar, day = WorkCalendar(), today - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    picked_up_on = day - timedelta(days=3)
    unworked = Case.objects.filter(
        municipality=municipality,
        state=CaseState.NEW,
        assigned_to__isnull=True,
        has_crisis=False,
        first_received_on__lte=picked_up_on,
    ).order_by("pk")[:3]
    cases = list(unworked)
    if len(cases) < 3:
        return
    cases_assign(user=worker, case_ids=[c.pk for c in cases], assignee=worker)
    for case in cases:
        case_pick_up(case_id=case.pk, user=worker, on=picked_up_on)
        # The plan's steps before the home visit (phone calls, not answered), each in time.
        for hour in (9, 13, 19):
            case.refresh_from_db()
            if case.next_step_kind in ("", ContactKind.HOME_VISIT):
                break
            at = timezone.make_aware(datetime.combine(picked_up_on, time(hour)))
            contact_attempt_record(
                case_id=case.pk, user=worker, kind=case.next_step_kind, reached=False, attempted_at=at
            )
        case.refresh_from_db()
    due = [c for c in cases if c.next_step_kind == ContactKind.HOME_VISIT and c.next_step_on <= day]
    if not due:
        return
    area = parse_area(" ".join(sorted({c.household.postcode[:4] for c in due})))
    round = round_plan(
        user=worker,
        municipality=municipality,
        day=day,
        part=PartOfDay.AFTERNOON,
        caseworker=worker,
        scope=RoundScope.MINE,
        area=area,
        cap=3,
        case_ids=[c.pk for c in due],
    )
    visits = list(round.visits.order_by("position"))
    outcomes = [
        VisitResult(VisitStatus.REACHED, PartOfDay.AFTERNOON, "Mevrouw thuis getroffen; afspraak op het stadskantoor."),
        VisitResult(VisitStatus.NOT_REACHED, PartOfDay.AFTERNOON, "Niemand thuis; kaartje in de bus gedaan."),
        VisitResult(VisitStatus.NOT_VISITED),
    ]
    round_record(user=worker, round_id=round.pk, results={v.pk: r for v, r in zip(visits, outcomes, strict=False)})

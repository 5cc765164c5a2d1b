"""Cases' part of intake: which rows a resident's objection refuses, and matching the
accepted rows of a delivery into households, residents and cases, set-based in SQL
over intake's temporary table (signals/ingest.py). Registered into intake's hooks
(signals/hooks.py) by CasesConfig.ready(), so intake never imports cases.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from signals.hooks import SignalLinks
from signals.ingest import ROWS
from signals.models import CAK_PARTNER_TYPES, OBJECTABLE_PARTNER_TYPES, PARTNER_TYPE_BITS, Delivery
from vroeg.workdays import WorkCalendar

from . import deadlines, persons
from .models import CONSECUTIVE_LOOK_BACK, Case, CaseState, Household, Objection, Resident, ResidentKey
from .queue_keys import cases_queue_refresh_range, queue_key_values

HOUSEHOLD = Household._meta.db_table
RESIDENT = Resident._meta.db_table
RESIDENT_KEY = ResidentKey._meta.db_table
CASE = Case._meta.db_table
OBJECTION = Objection._meta.db_table


def rows_objected_to(*, delivery: Delivery, rows: str) -> list[tuple[int, str, str]]:
    """The resident objected to signals from this kind of partner (landlords, energy,
    water): the row is refused and the partner reads why in the delivery report,
    without details of the objection. Health insurers are never refused
    (OBJECTABLE_PARTNER_TYPES). The objection holds for the person: a row matches it
    by BSN; by surname + birth date (never two different BSNs, and never a name
    without a birth date: that would refuse every namesake in the municipality); or
    through its household's keys to the resident who objected. Three equality joins,
    so each can use a hash join over the whole file."""
    ptype = delivery.partner.partner_type
    if ptype not in OBJECTABLE_PARTNER_TYPES:
        return []
    active = "o.municipality_id = t.municipality_id AND o.withdrawn_on IS NULL AND (o.partner_type_mask & %s) > 0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT t.line_number, t.partner_referentie FROM {ROWS} t
            JOIN {OBJECTION} o ON o.bsn = t.bsn AND {active}
            WHERE t.outcome = 'accepted' AND t.bsn <> ''
            UNION
            SELECT t.line_number, t.partner_referentie FROM {ROWS} t
            JOIN {OBJECTION} o ON o.name_key = t.name_key AND {active}
            WHERE t.outcome = 'accepted' AND t.birth_date IS NOT NULL AND (t.bsn = '' OR o.bsn = '')
            UNION
            SELECT t.line_number, t.partner_referentie FROM {ROWS} t {_HOUSEHOLD_JOIN}
            JOIN {RESIDENT_KEY} k ON k.household_id = h.id AND k.key = t.person_key
            JOIN {OBJECTION} o ON o.resident_id = k.resident_id AND {active}
            WHERE t.outcome = 'accepted'
            """,
            [PARTNER_TYPE_BITS[ptype]] * 3,
        )
        refused = cursor.fetchall()
    reason = OBJECTED_REASON.format(kind=PARTNER_KIND_WORDS.get(ptype, "deze soort partners"))
    return [(line, ref, reason) for line, ref in refused]


# What a partner reads for a row refused after an objection: why, never when or how
# the resident objected, nor anything else about them.
OBJECTED_REASON = (
    "De inwoner heeft bezwaar gemaakt tegen signalen van {kind}. Het signaal is niet verwerkt; "
    "stuur over deze persoon geen signalen meer."
)
PARTNER_KIND_WORDS = {"Huur": "verhuurders", "Energie": "energieleveranciers", "Water": "drinkwaterbedrijven"}


# The household of an accepted row, by its normalised address.
_HOUSEHOLD_JOIN = f"""
    JOIN {HOUSEHOLD} h
      ON h.municipality_id = t.municipality_id AND h.postcode = t.postcode
     AND h.house_number = t.house_number AND h.house_number_suffix = t.house_number_suffix"""


def match_into_cases(*, delivery: Delivery, rows: str) -> None:
    """Accepted rows join the open case of their household, or start one.

    Each step is one set-based statement that joins the temporary table to the
    households by address; the final insert of the signals looks the ids up the
    same way, so the wide temporary rows are never rewritten.
    """
    partner_bit = PARTNER_TYPE_BITS[delivery.partner.partner_type]
    received_on = delivery.received_on
    calendar = WorkCalendar()
    if delivery.partner.partner_type in CAK_PARTNER_TYPES:
        # CAK list: not a Wgs signal, so no legal or LCV term; the municipality's own
        # term for its effort duty (CAK_TERM_DAYS) instead.
        terms = {
            "received": received_on,
            "due": None,
            "lcv": None,
            "effort": received_on + timedelta(days=settings.CAK_TERM_DAYS),
        }
    else:
        terms = {
            "received": received_on,
            "due": deadlines.contact_due(received_on, calendar),
            "lcv": deadlines.lcv_target(received_on),
            "effort": None,
        }
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {HOUSEHOLD}
                (municipality_id, postcode, house_number, house_number_suffix, street, city)
            SELECT municipality_id, postcode, house_number, house_number_suffix,
                   MIN(street), MIN(city)
            FROM {ROWS} t WHERE t.outcome = 'accepted'
            GROUP BY municipality_id, postcode, house_number, house_number_suffix
            ON CONFLICT DO NOTHING
            """
        )
        # From here on each accepted row's household is known through the narrow
        # people table: the steps below and the final insert of the signals never
        # join the wide rows to the (large) households table again.
        cursor.execute(f"DROP TABLE IF EXISTS {PEOPLE}")
        cursor.execute(CREATE_PEOPLE[connection.vendor == "postgresql"])
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {PEOPLE}")
    _match_residents()
    with connection.cursor() as cursor:
        # Open cases that exist already: add this delivery's signals to their totals;
        # an earlier receipt date moves the terms forward; a crisis signal is a proposal
        # for the municipality to judge (cases/crisis.py) unless a crisis term still runs
        # on the date of receipt (a passed term: a new proposal); an earlier pending
        # proposal keeps its date.
        cursor.execute(
            f"""
            UPDATE {CASE} SET
                needs_assessment = %(yes)s,
                signal_count = signal_count + added.signals,
                total_amount = total_amount + added.amount,
                has_crisis = (has_crisis OR added.crisis = 1),
                partner_type_mask = partner_type_mask | %(bit)s,
                first_received_on = CASE WHEN first_received_on IS NULL
                    OR first_received_on > %(received)s THEN %(received)s ELSE first_received_on END,
                contact_due = CASE WHEN %(due)s IS NULL THEN contact_due WHEN contact_due IS NULL
                    OR contact_due > %(due)s THEN %(due)s ELSE contact_due END,
                lcv_target = CASE WHEN %(lcv)s IS NULL THEN lcv_target WHEN lcv_target IS NULL
                    OR lcv_target > %(lcv)s THEN %(lcv)s ELSE lcv_target END,
                effort_due = CASE WHEN %(effort)s IS NULL THEN effort_due WHEN effort_due IS NULL
                    OR effort_due > %(effort)s THEN %(effort)s ELSE effort_due END,
                crisis_proposed_on = CASE WHEN added.crisis = 1 AND crisis_proposed_on IS NULL
                    AND (crisis_due IS NULL OR crisis_due < %(received)s)
                    THEN %(received)s ELSE crisis_proposed_on END
            FROM (
                SELECT c.id AS case_id, COUNT(*) AS signals, SUM(p.amount) AS amount,
                       MAX(CASE WHEN p.crisis THEN 1 ELSE 0 END) AS crisis
                FROM {PEOPLE} p
                JOIN {CASE} c ON c.household_id = p.household_id AND c.closed_at IS NULL
                GROUP BY c.id
            ) added
            WHERE {CASE}.id = added.case_id
            """,
            {"bit": partner_bit, "yes": True, **terms},
        )
        # Their next deadline follows from the terms as they are now (one definition:
        # deadlines.next_due_expression, the SQL of Case.refresh_next_due).
        joined = RawSQL(
            f"""SELECT c.id FROM {PEOPLE} p
            JOIN {CASE} c ON c.household_id = p.household_id AND c.closed_at IS NULL""",
            [],
        )
        # Their queue key too (cases/queue_keys.py), in the same statement: it sees the
        # totals and terms the UPDATE above gave them.
        Case.objects.filter(pk__in=joined).update(
            next_due=deadlines.next_due_expression(), **queue_key_values(today=timezone.localdate())
        )
        # Households without an open case: a new case, born with its totals, marked
        # when the household had another case opened in the last 6 months. Its next
        # deadline is the nearest of the terms it is born with (a crisis signal is a
        # proposal, no term), computed by the same definition.
        now = timezone.now()
        cursor.execute(
            f"""
            INSERT INTO {CASE}
                (household_id, municipality_id, state, outcome, closed_from, opened_at,
                 needs_assessment, signal_count, total_amount, has_crisis, partner_type_mask,
                 first_received_on, contact_due, lcv_target, crisis_proposed_on, next_due,
                 follows_recent_case, effort_due)
            SELECT p.household_id, p.municipality_id, %(new)s, '', '', %(now)s, %(yes)s, COUNT(*),
                   SUM(p.amount),
                   MAX(CASE WHEN p.crisis THEN 1 ELSE 0 END) = 1, %(bit)s,
                   %(received)s, %(due)s, %(lcv)s,
                   CASE WHEN MAX(CASE WHEN p.crisis THEN 1 ELSE 0 END) = 1
                        THEN %(received)s END,
                   %(next_due)s,
                   EXISTS (SELECT 1 FROM {CASE} e WHERE e.household_id = p.household_id
                           AND e.opened_at >= %(consecutive_since)s),
                   %(effort)s
            FROM {PEOPLE} p
            WHERE NOT EXISTS (
                SELECT 1 FROM {CASE} c WHERE c.household_id = p.household_id AND c.closed_at IS NULL
            )
            GROUP BY p.household_id, p.municipality_id
            RETURNING id
            """,
            {
                "new": CaseState.NEW.value,
                "now": now,
                "yes": True,
                "bit": partner_bit,
                "consecutive_since": now - CONSECUTIVE_LOOK_BACK,
                **terms,
                "next_due": Case.nearest_due(contact_due=terms["due"], effort_due=terms["effort"]),
            },
        )
        opened = [row[0] for row in cursor.fetchall()]
    # The queue's stored key of the cases this file opened, from their rows as they are
    # now (residents included), in one statement over the range of their ids (another
    # delivery's committed cases in between are refreshed too, which is harmless).
    # Chunks of id lists took several times as long.
    if opened:
        cases_queue_refresh_range(first_id=min(opened), last_id=max(opened))


PEOPLE = "intake_people"
# The accepted rows (by line number) with their household and what matching and the
# case totals need of them, made once, right after the households, so that the steps
# below and the final insert of the signals join a narrow table instead of the wide
# rows and the households each time. `links`: the row carries a BSN and a birth date,
# so it links the BSN key to the name key. On PostgreSQL it goes at commit; intake's
# next file in the same session (or transaction) drops it first.
_PEOPLE_SELECT = f"""
SELECT t.line_number, h.id AS household_id, h.municipality_id, t.amount, t.crisis,
       t.person_key, t.name_key, t.bsn, t.initials, t.prefix, t.surname,
       t.birth_date, (t.bsn <> '' AND t.birth_date IS NOT NULL) AS links
FROM {ROWS} t {_HOUSEHOLD_JOIN}
WHERE t.outcome = 'accepted'"""
CREATE_PEOPLE = {  # by "is PostgreSQL"
    True: f"CREATE TEMPORARY TABLE {PEOPLE} ON COMMIT DROP AS {_PEOPLE_SELECT}",
    False: f"CREATE TEMPORARY TABLE {PEOPLE} AS {_PEOPLE_SELECT}",
}
# `one_bsn`: unless the file names two BSNs with the same name and birth date at one
# address (twins), when the name says nothing about which of them a name-only record is.
_ONE_BSN_PER_NAME = f"""
    JOIN (SELECT household_id, name_key FROM {PEOPLE} WHERE links
          GROUP BY household_id, name_key HAVING COUNT(DISTINCT bsn) = 1) one
      ON one.household_id = p.household_id AND one.name_key = p.name_key"""


def _match_residents() -> None:
    """Every accepted row gets the resident of its household that its own key leads to
    (cases/persons.py): one resident however a signal names the person.

    1. A linking row whose BSN is new in the household but whose name key leads to a
       resident without another BSN: that resident is known by the BSN from now on
       (and so are its objections).
    2. Rows whose own key leads nowhere start a resident, known by that key.
    3. A linking row whose two keys lead to two residents: they are one person and
       are merged (audited), unless both carry different BSNs (two people).
    4. The name key of every linking row leads to its resident from now on.
    Steps 1, 3 and 4 skip a name that this file gives two BSNs at one address.
    """
    with connection.cursor() as cursor:
        _insert_keys(
            cursor,
            key="p.person_key",
            resident="kn.resident_id",
            join=f"""
            JOIN {RESIDENT_KEY} kn ON kn.household_id = p.household_id AND kn.key = p.name_key
            JOIN {RESIDENT} r ON r.id = kn.resident_id AND (r.bsn = '' OR r.bsn = p.bsn) {_ONE_BSN_PER_NAME}""",
            where="p.links",
        )
        # By household and key (the unique index), never by key alone over every household.
        linked = (
            f"SELECT k.resident_id FROM {PEOPLE} p JOIN {RESIDENT_KEY} k "
            "ON k.household_id = p.household_id AND k.key = p.person_key WHERE p.links"
        )
        cursor.execute(
            f"""
            UPDATE {RESIDENT} SET bsn = (
                SELECT MIN(SUBSTR(k.key, 5)) FROM {RESIDENT_KEY} k
                WHERE k.resident_id = {RESIDENT}.id AND k.key LIKE 'bsn:%'
            )
            WHERE bsn = '' AND id IN ({linked})
            """
        )
        cursor.execute(
            f"""
            UPDATE {OBJECTION} SET bsn = (SELECT r.bsn FROM {RESIDENT} r WHERE r.id = {OBJECTION}.resident_id)
            WHERE bsn = '' AND resident_id IN ({linked})
            """
        )
        cursor.execute(
            f"""
            INSERT INTO {RESIDENT}
                (household_id, person_key, bsn, initials, prefix, surname, birth_date)
            SELECT p.household_id, p.person_key, MAX(p.bsn), MAX(p.initials), MAX(p.prefix),
                   MAX(p.surname), MAX(p.birth_date)
            FROM {PEOPLE} p
            WHERE NOT EXISTS (
                SELECT 1 FROM {RESIDENT_KEY} k WHERE k.household_id = p.household_id AND k.key = p.person_key
            )
            GROUP BY p.household_id, p.person_key
            ON CONFLICT DO NOTHING
            """
        )
        _insert_keys(
            cursor,
            key="p.person_key",
            resident="r.id",
            join=f"JOIN {RESIDENT} r ON r.household_id = p.household_id AND r.person_key = p.person_key",
            where="TRUE",
        )
        cursor.execute(
            f"""
            SELECT DISTINCT kb.resident_id, kn.resident_id
            FROM {PEOPLE} p
            JOIN {RESIDENT_KEY} kb ON kb.household_id = p.household_id AND kb.key = p.person_key
            JOIN {RESIDENT_KEY} kn ON kn.household_id = p.household_id AND kn.key = p.name_key {_ONE_BSN_PER_NAME}
            WHERE p.links AND kb.resident_id <> kn.resident_id
            """
        )
        split = cursor.fetchall()
    _merge_split_residents(split)
    with connection.cursor() as cursor:
        _insert_keys(
            cursor,
            key="p.name_key",
            resident="kb.resident_id",
            join=f"""
            JOIN {RESIDENT_KEY} kb ON kb.household_id = p.household_id AND kb.key = p.person_key {_ONE_BSN_PER_NAME}""",
            where="p.links",
        )


def _insert_keys(cursor, *, key: str, resident: str, join: str, where: str) -> None:
    """Record that `key` (a column of the file's people) leads to `resident` in the
    person's household; a key that leads somewhere already keeps its resident."""
    cursor.execute(
        f"""
        INSERT INTO {RESIDENT_KEY} (household_id, key, resident_id)
        SELECT DISTINCT p.household_id, {key}, {resident}
        FROM {PEOPLE} p {join}
        WHERE {where}
        ON CONFLICT DO NOTHING
        """
    )


def _merge_split_residents(pairs: list[tuple[int, int]]) -> None:
    """Merge each pair of residents a linking row showed to be one person, keeping the
    older one; chains (A=B, B=C) end in one resident."""
    kept: dict[int, int] = {}

    def current(resident_id: int) -> int:
        while resident_id in kept:
            resident_id = kept[resident_id]
        return resident_id

    bsns = dict(Resident.objects.filter(pk__in={i for pair in pairs for i in pair}).values_list("pk", "bsn"))
    for by_bsn, by_name in sorted(pairs):
        a, b = current(by_bsn), current(by_name)
        if a == b:
            continue
        keep, merge = min(a, b), max(a, b)
        if bsns.get(keep) and bsns.get(merge) and bsns[keep] != bsns[merge]:
            continue  # two different BSNs: two people with the same name and birth date
        persons.resident_merge(
            keep_id=keep,
            merge_id=merge,
            reason="Een signaal met BSN en naam + geboortedatum laat zien dat dit één persoon is.",
        )
        bsns[keep] = bsns.get(keep) or bsns.get(merge, "")
        kept[merge] = keep


def signal_links() -> SignalLinks:
    """How intake links each new signal to its resident and its household's open case."""
    return SignalLinks(
        joins=f"""
            LEFT JOIN {PEOPLE} p ON p.line_number = t.line_number
            LEFT JOIN {RESIDENT_KEY} k ON k.household_id = p.household_id AND k.key = p.person_key
            LEFT JOIN {CASE} c ON c.household_id = p.household_id AND c.closed_at IS NULL""",
        resident_id="k.resident_id",
        case_id="c.id",
        # A signal joining a case that was picked up already is picked up too.
        picked_up="c.picked_up_on IS NOT NULL",
    )

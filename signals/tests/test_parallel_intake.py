"""Issue 21, parallel intake (docs/adr/0018-parallel-intake.md): deliveries for different
municipalities are processed at the same time by several workers, with the same
results as one after the other; what must not happen at the same time still does
not: two deliveries for one household's municipality never both start its case, and a
partner's repeats are judged against its delivery that is being processed.

The files are small and counted by hand. "Held open" below is a delivery processed
inside a transaction that is not committed yet (as cases/laa.py does): it holds its
intake locks until the transaction ends."""

import io
import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from cases.models import Case, Household, Outcome, Resident
from cases.services import case_close
from signals.locks import MUNICIPALITY_LOCKS, PARTNER_LOCKS
from signals.models import Delivery, DeliveryStatus, Signal
from signals.referrals import referral_register
from signals.services import delivery_process, delivery_receive
from testkit.factories import PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row
from testkit.workers import start_worker, tasks_routed_to, wait_for
from vroeg.partners.models import PartnerType

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RECEIVED = date(2026, 11, 27)
JANSEN = {"achternaam": "Jansen", "voorvoegsel": "", "voorletters": "P.", "geboortedatum": "1970-01-01"}
VRIES = {"achternaam": "Vries", "voorvoegsel": "de", "voorletters": "J.", "geboortedatum": "1980-05-17"}


def _row(ref, town, postcode, number, *, bsn="", amount="500,00", person=VRIES, **changes):
    return row(
        partner_referentie=ref,
        gemeentecode=town.code,
        postcode=postcode,
        huisnummer=str(number),
        bsn=bsn,
        bedrag_achterstand=amount,
        **person,
        **changes,
    )


def _receive(partner, rows, name) -> Delivery:
    return delivery_receive(
        partner=partner, stream=io.BytesIO(csv_bytes(rows)), original_name=name, received_on=RECEIVED
    )


def _outcome() -> dict:
    """What intake made of the deliveries, by what a user sees (no ids)."""

    def place(household):
        return (household.municipality.code, household.postcode, household.house_number)

    return {
        "deliveries": sorted(
            (d.original_name, d.status, d.rows_read, d.accepted_count, d.repeated_count, d.rejected_count)
            for d in Delivery.objects.all()
        ),
        "signals": sorted(
            (s.delivery.original_name, s.partner_referentie, s.is_repeat, place(s.case.household) if s.case else None)
            for s in Signal.objects.select_related("delivery", "case__household__municipality")
        ),
        "cases": sorted(
            (place(c.household), c.signal_count, c.total_amount)
            for c in Case.objects.filter(closed_at=None).select_related("household__municipality")
        ),
        "residents": sorted(
            (place(r.household), r.bsn, r.surname) for r in Resident.objects.select_related("household__municipality")
        ),
        "households": Household.objects.count(),
    }


class _HeldOpen:
    """Process a delivery in a thread inside a transaction that stays open (holding its
    intake locks) until released."""

    def __init__(self, delivery_id: int):
        self.delivery_id = delivery_id
        self.held, self.release = threading.Event(), threading.Event()
        self.errors: list[Exception] = []
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        try:
            with transaction.atomic():
                delivery_process(delivery_id=self.delivery_id)
                self.held.set()
                self.release.wait(60)
        except Exception as exc:  # noqa: BLE001  (asserted by the test)
            self.errors.append(exc)
        finally:
            self.held.set()
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.held.wait(60)
        assert self.errors == []
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(60)
        assert self.errors == []


def _in_thread(delivery_id: int) -> threading.Thread:
    def run():
        try:
            delivery_process(delivery_id=delivery_id)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _waits_for_intake_lock(namespace: int, key: int, timeout: float = 10) -> bool:
    """Whether a session of this test's database waits for this intake lock (pg_locks)."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND classid = %s AND objid = %s AND objsubid = 2"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                [namespace, key],
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


# --- 1. Two municipalities, two real workers --------------------------------------------


# A0, processed first: Jansen without BSN at 1234AB 12 in the first municipality ("A").
# A1 (worker A): A-1 again with the same amount (a repeat); A-2 Jansen with a BSN and
# birth date at 12 (links the BSN to the same resident, joins the open case); A-3 de
# Vries at 14 (a new case); A-3 once more (rejected: twice in the file); A-4 a postcode
# that is none (rejected). B1 (worker B), the second municipality ("B"), another partner:
# de Vries with the same BSN as A-3 at 1011AB 1 (a person in two municipalities), Jansen
# with the same BSN as A-2 at 1 as well, someone else at 3.
def _files(a, b):
    a0 = [_row("A-1", a, "1234AB", 12, person=JANSEN)]
    a1 = [
        _row("A-1", a, "1234AB", 12, person=JANSEN),
        _row("A-2", a, "1234AB", 12, person=JANSEN, bsn="111222333", amount="250,00"),
        _row("A-3", a, "1234AB", 14, bsn="999999990", amount="100,00"),
        _row("A-3", a, "1234AB", 16, amount="100,00"),
        _row("A-4", a, "0000XX", 18),
    ]
    b1 = [
        _row("B-1", b, "1011AB", 1, bsn="999999990", amount="300,00"),
        _row("B-2", b, "1011AB", 1, person=JANSEN, bsn="111222333", amount="200,00"),
        _row("B-3", b, "1011AB", 3, bsn="123456782", amount="50,00"),
    ]
    return a0, a1, b1


def _two_towns(municipality, other_municipality):
    partner_a = PartnerFactory(code="huur-a", partner_type=PartnerType.HUUR)
    partner_a.municipalities.add(municipality)
    partner_b = PartnerFactory(code="huur-b", partner_type=PartnerType.HUUR)
    partner_b.municipalities.add(other_municipality)
    return partner_a, partner_b


EXPECTED = {
    "deliveries": [
        ("a0.csv", "done", 1, 1, 0, 0),
        ("a1.csv", "done", 5, 2, 1, 2),
        ("b1.csv", "done", 3, 3, 0, 0),
    ],
    "signals": sorted(
        [
            ("a0.csv", "A-1", False, ("9999", "1234AB", 12)),
            ("a1.csv", "A-1", True, None),
            ("a1.csv", "A-2", False, ("9999", "1234AB", 12)),
            ("a1.csv", "A-3", False, ("9999", "1234AB", 14)),
            ("b1.csv", "B-1", False, ("0363", "1011AB", 1)),
            ("b1.csv", "B-2", False, ("0363", "1011AB", 1)),
            ("b1.csv", "B-3", False, ("0363", "1011AB", 3)),
        ]
    ),
    "cases": [
        (("0363", "1011AB", 1), 2, Decimal("500.00")),
        (("0363", "1011AB", 3), 1, Decimal("50.00")),
        (("9999", "1234AB", 12), 2, Decimal("750.00")),
        (("9999", "1234AB", 14), 1, Decimal("100.00")),
    ],
    "residents": [
        (("0363", "1011AB", 1), "111222333", "Jansen"),
        (("0363", "1011AB", 1), "999999990", "Vries"),
        (("0363", "1011AB", 3), "123456782", "Vries"),
        (("9999", "1234AB", 12), "111222333", "Jansen"),  # one resident: the BSN joined the name
        (("9999", "1234AB", 14), "999999990", "Vries"),
    ],
    "households": 4,
}


def test_the_files_processed_one_after_the_other_give_the_counted_outcome(municipality, other_municipality):
    partner_a, partner_b = _two_towns(municipality, other_municipality)
    a0, a1, b1 = _files(municipality, other_municipality)
    for partner, rows, name in ((partner_a, a0, "a0.csv"), (partner_a, a1, "a1.csv"), (partner_b, b1, "b1.csv")):
        deliver(partner, csv_bytes(rows), received_on=RECEIVED, name=name)
    assert _outcome() == EXPECTED


@pytest.mark.worker
def test_two_workers_process_two_municipalities_at_the_same_time_with_the_serial_outcome(
    municipality, other_municipality, tmp_path
):
    partner_a, partner_b = _two_towns(municipality, other_municipality)
    a0, a1, b1 = _files(municipality, other_municipality)
    deliver(partner_a, csv_bytes(a0), received_on=RECEIVED, name="a0.csv")
    jansen = Resident.objects.get()

    worker_a = start_worker("test-parallel-a", tmp_path / "a.log")
    worker_b = start_worker("test-parallel-b", tmp_path / "b.log")
    hold, release = threading.Event(), threading.Event()

    def hold_jansen():
        # A caseworker's transaction on Jansen's row: A1's matching, which gives him
        # his BSN, waits for it while worker A holds municipality A's intake lock.
        try:
            with transaction.atomic():
                Resident.objects.select_for_update().get(pk=jansen.pk)
                hold.set()
                release.wait(90)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_jansen)
    holder.start()
    try:
        assert hold.wait(10)
        with tasks_routed_to(worker_a.queue):
            d_a1 = _receive(partner_a, a1, "a1.csv")
        # Worker A is mid-delivery, holding its intake locks.
        holder_of_a = wait_for(_blocked_intake, worker=worker_a)

        with tasks_routed_to(worker_b.queue):
            d_b1 = _receive(partner_b, b1, "b1.csv")
        # Worker B finishes municipality B's delivery meanwhile: it did not wait for A.
        wait_for(lambda: Delivery.objects.get(pk=d_b1.pk).status == DeliveryStatus.DONE, worker=worker_b)
        assert Delivery.objects.get(pk=d_a1.pk).status == DeliveryStatus.PROCESSING
        # ...while worker A held municipality A's and its partner's intake locks.
        assert _blocked_intake() == holder_of_a
        assert {(MUNICIPALITY_LOCKS, municipality.pk), (PARTNER_LOCKS, partner_a.pk)} <= holder_of_a[1]

        release.set()
        holder.join(30)
        wait_for(lambda: Delivery.objects.get(pk=d_a1.pk).status == DeliveryStatus.DONE, worker=worker_a)
    finally:
        release.set()
        holder.join(30)
        worker_a.stop()
        worker_b.stop()
    assert _outcome() == EXPECTED


def _blocked_intake() -> tuple[int, set[tuple[int, int]]] | None:
    """The session that holds intake locks (advisory) and waits for another lock
    meanwhile, with the (namespace, key) of the intake locks it holds."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT l.pid, l.classid::bigint, l.objid::bigint FROM pg_locks l"
            " WHERE l.locktype = 'advisory' AND l.granted"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND EXISTS (SELECT 1 FROM pg_locks w WHERE w.pid = l.pid AND NOT w.granted)"
        )
        found = cursor.fetchall()
    if not found:
        return None
    return found[0][0], {(namespace, key) for _, namespace, key in found}


# --- 2. One household, two partners at once --------------------------------------------


def test_two_partners_signals_for_one_household_at_once_make_one_case(municipality, partner, caseworker):
    """The household had a case that was closed: each delivery on its own would start a
    new one. The second waits for the first (municipality lock) and joins its case."""
    first = deliver(partner, csv_bytes([_row("OUD", municipality, "1234AB", 12)]), received_on=RECEIVED)
    case_close(case_id=first.signals.get().case_id, user=caseworker, outcome=Outcome.NOT_PICKED_UP_OTHER)
    energy = PartnerFactory(code="energie", partner_type=PartnerType.ENERGIE)
    energy.municipalities.add(municipality)
    rent = _receive(partner, [_row("H-1", municipality, "1234AB", 12, amount="400,00")], "huur.csv")
    power = _receive(
        energy,
        [_row("E-1", municipality, "1234AB", 12, person=JANSEN, amount="60,00", signaal_type="elektra")],
        "energie.csv",
    )

    with _HeldOpen(rent.pk):
        second = _in_thread(power.pk)
        waited = _waits_for_intake_lock(MUNICIPALITY_LOCKS, municipality.pk)
    second.join(60)

    assert [Delivery.objects.get(pk=d.pk).status for d in (rent, power)] == ["done", "done"]
    case = Case.objects.get(closed_at=None)
    assert (case.signal_count, case.total_amount) == (2, Decimal("460.00"))
    assert sorted(case.signals.values_list("partner_referentie", flat=True)) == ["E-1", "H-1"]
    assert Case.objects.count() == 2  # the closed one and the new one
    assert waited  # the second delivery did run while the first held its locks


# --- 3. One partner, one reference, two deliveries at once ------------------------------


def test_the_same_reference_in_two_deliveries_at_once_is_a_repeat_as_one_after_the_other(
    municipality, other_municipality
):
    """The partner serves two municipalities, so only its own lock makes the second
    delivery (for the other municipality) wait and see the first one's signal."""
    both = PartnerFactory(code="huur-beide", partner_type=PartnerType.HUUR)
    both.municipalities.add(municipality, other_municipality)
    first = _receive(both, [_row("R-1", municipality, "1234AB", 12, amount="700,00")], "eerste.csv")
    again = _receive(both, [_row("R-1", other_municipality, "1011AB", 1, amount="700,00")], "tweede.csv")

    with _HeldOpen(first.pk):
        second = _in_thread(again.pk)
        waited = _waits_for_intake_lock(PARTNER_LOCKS, both.pk)
    second.join(60)

    again.refresh_from_db()
    assert (again.status, again.accepted_count, again.repeated_count) == ("done", 0, 1)
    assert Signal.objects.get(delivery=again).is_repeat
    assert Case.objects.count() == 1  # a repeat starts no case
    assert waited  # the second delivery did run while the first held its locks


# --- 4. The same person in two municipalities at once -----------------------------------


def test_one_person_in_two_municipalities_at_once_does_not_wait_nor_collide(municipality, other_municipality):
    """Residents, their keys (by BSN too) and cases are unique per household, so per
    municipality: a person who moved, known without BSN in both, gets the BSN in both
    at the same moment. The second delivery does not wait for the first."""
    rent_a, rent_b = _two_towns(municipality, other_municipality)
    deliver(rent_a, csv_bytes([_row("A-0", municipality, "1234AB", 12, person=JANSEN)]), received_on=RECEIVED)
    deliver(rent_b, csv_bytes([_row("B-0", other_municipality, "1011AB", 1, person=JANSEN)]), received_on=RECEIVED)
    with_bsn = {"person": JANSEN, "bsn": "111222333", "amount": "900,00"}
    in_a = _receive(rent_a, [_row("A-1", municipality, "1234AB", 12, **with_bsn)], "a.csv")
    in_b = _receive(rent_b, [_row("B-1", other_municipality, "1011AB", 1, **with_bsn)], "b.csv")

    with _HeldOpen(in_a.pk):
        second = _in_thread(in_b.pk)
        second.join(30)
        # Done while A's transaction (with A's resident just given the BSN) is open.
        assert Delivery.objects.get(pk=in_b.pk).status == DeliveryStatus.DONE

    assert [Delivery.objects.get(pk=d.pk).accepted_count for d in (in_a, in_b)] == [1, 1]
    assert sorted(Resident.objects.values_list("household__municipality__code", "bsn")) == [
        ("0363", "111222333"),
        ("9999", "111222333"),
    ]
    assert sorted(Case.objects.values_list("household__municipality__code", "signal_count")) == [
        ("0363", 2),
        ("9999", 2),
    ]


# --- 5. A referral waits only for its own municipality ---------------------------------


def test_a_referral_is_not_held_up_by_a_delivery_for_another_municipality(municipality, other_municipality, make_user):
    """A large delivery for municipality B holds B's intake lock; a caseworker of A
    registers a referral and its case is there at once (before: queued)."""
    caseworker = make_user("caseworker", municipalities=[municipality])
    held, release = threading.Event(), threading.Event()

    def large_delivery_for_b():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [MUNICIPALITY_LOCKS, other_municipality.pk])
                held.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=large_delivery_for_b)
    holder.start()
    try:
        assert held.wait(10)
        referral = {
            "postcode": "1234 AB",
            "huisnummer": "12",
            "straat": "Dorpsstraat",
            "woonplaats": "Voorbeeldstad",
            "achternaam": "Vries",
            "voorvoegsel": "de",
            "voorletters": "J.",
            "geboortedatum": "1980-05-17",
            "bsn": "999999990",
            "bedrag_achterstand": "850,00",
            "datum_ontstaan": "2026-09-01",
            "signaaldatum": "2026-11-01",
        }
        delivery = referral_register(
            user=caseworker, municipality=municipality, kind="intern", origin="Wmo-loket", row=referral
        )
    finally:
        release.set()
        holder.join(30)
    assert delivery.status == DeliveryStatus.DONE
    assert Case.objects.get().signals.get().delivery == delivery

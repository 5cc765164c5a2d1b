"""Signal intake end to end: outcomes, repeats, matching into households and cases."""

import io
from datetime import date
from decimal import Decimal

import pytest

from cases.models import Case, Household, Resident
from signals.models import (
    Delivery,
    DeliveryFile,
    DeliveryStatus,
    PartnerType,
    RejectedLine,
    Signal,
    SignalStatus,
    partner_types_from_mask,
)
from signals.services import delivery_process, delivery_receive
from testkit.factories import PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row

pytestmark = pytest.mark.django_db


def test_accepted_signals_are_stored_and_matched(partner):
    delivery = deliver(partner, csv_bytes([row(), row(partner_referentie="REF-2", bsn="", achternaam="Jansen")]))
    assert delivery.status == DeliveryStatus.DONE
    assert (delivery.accepted_count, delivery.repeated_count, delivery.rejected_count) == (2, 0, 0)
    signal = Signal.objects.get(partner_referentie="REF-1")
    assert signal.status == SignalStatus.NOT_PICKED_UP_YET
    assert signal.received_on == date(2026, 11, 27)
    assert signal.amount == Decimal("1248.68")
    assert signal.postcode == "1234AB" and signal.phone == "+31612345678"
    case = signal.case
    assert case.signal_count == 2
    assert case.total_amount == Decimal("2497.36")
    assert case.partner_types == [PartnerType.HUUR]
    assert Resident.objects.filter(household=case.household).count() == 2
    assert not DeliveryFile.objects.exists()  # the file is gone after processing


def test_one_household_one_case_and_normalised_address(partner):
    deliver(
        partner,
        csv_bytes(
            [
                row(partner_referentie="A", postcode="1234 ab", huisnummertoevoeging="a"),
                row(partner_referentie="B", postcode="1234AB", huisnummertoevoeging=" A", bsn=""),
                row(partner_referentie="C", huisnummertoevoeging="B"),  # a different household
                row(partner_referentie="D", huisnummer="13"),  # next door
            ]
        ),
    )
    assert Household.objects.count() == 3
    assert Case.objects.count() == 3
    assert sorted(Case.objects.values_list("signal_count", flat=True)) == [1, 1, 2]


def test_same_person_by_bsn_or_by_surname_and_birth_date(partner):
    deliver(
        partner,
        csv_bytes(
            [
                row(partner_referentie="A"),
                row(partner_referentie="B", voorletters="J.P."),  # same BSN
                row(partner_referentie="C", bsn="", achternaam="Bakker", geboortedatum="1970-01-01"),
                row(partner_referentie="D", bsn="", achternaam="bakker ", geboortedatum="01-01-1970"),
                row(partner_referentie="E", bsn="", achternaam="Bakker", geboortedatum="1999-01-01"),
            ]
        ),
    )
    assert Resident.objects.count() == 3
    assert Signal.objects.filter(resident__bsn="999999990").count() == 2


def test_signals_from_several_partners_meet_in_the_open_case(partner, municipality):
    energy = PartnerFactory(code="energie", partner_type=PartnerType.ENERGIE)
    energy.municipalities.add(municipality)
    deliver(partner, csv_bytes([row()]))
    deliver(energy, csv_bytes([row(signaal_type="gas", crisissignaal="ja", bedrag_achterstand="100")]))
    case = Case.objects.get()
    assert case.signal_count == 2
    assert case.has_crisis
    assert case.total_amount == Decimal("1348.68")
    assert set(partner_types_from_mask(case.partner_type_mask)) == {"Huur", "Energie"}


def test_a_closed_case_is_not_reopened_by_a_new_signal(partner):
    deliver(partner, csv_bytes([row()]))
    Case.objects.update(closed_at="2026-11-20T12:00:00Z")
    deliver(partner, csv_bytes([row(partner_referentie="NEW")]))
    assert Case.objects.count() == 2
    assert Household.objects.count() == 1


def test_households_in_different_municipalities_stay_apart(partner, municipality, other_municipality):
    partner.municipalities.add(other_municipality)
    deliver(partner, csv_bytes([row(gemeentecode="9999"), row(partner_referentie="X", gemeentecode="0363")]))
    assert Case.objects.count() == 2
    assert set(Signal.objects.values_list("municipality__code", flat=True)) == {"9999", "0363"}


def test_later_line_with_the_same_reference_is_rejected(partner):
    delivery = deliver(partner, csv_bytes([row(), row(bedrag_achterstand="10"), row(partner_referentie="OTHER")]))
    assert (delivery.accepted_count, delivery.rejected_count) == (2, 1)
    line = RejectedLine.objects.get()
    assert line.line_number == 3
    assert line.reasons == ["partner_referentie 'REF-1' staat al op regel 2 van dit bestand."]
    assert Signal.objects.get(partner_referentie="REF-1").amount == Decimal("1248.68")


def test_rejected_rows_keep_no_personal_data(partner):
    deliver(partner, csv_bytes([row(bsn="123456789")]))
    line = RejectedLine.objects.get()
    assert (line.line_number, line.partner_referentie) == (2, "REF-1")
    assert "Vries" not in str(line.reasons) and "Dorpsstraat" not in str(line.reasons)
    assert not Signal.objects.exists() and not Household.objects.exists()


@pytest.mark.parametrize(
    "earlier, now, outcome",
    [
        (["500,00"], "500,00", SignalStatus.REPEATED),
        (["500,00"], "400,00", SignalStatus.REPEATED),
        (["500,00"], "500,01", SignalStatus.NOT_PICKED_UP_YET),
        # Contract "Row outcomes": judged against the last *accepted* signal (500), never
        # against a later repeat (300 was a repeat of 500): 400 <= 500, a repeat.
        (["500,00", "300,00"], "400,00", SignalStatus.REPEATED),
        (["500,00", "300,00"], "500,01", SignalStatus.NOT_PICKED_UP_YET),
        # 300 accepted, then 500 accepted (higher): the last accepted is 500.
        (["300,00", "500,00"], "400,00", SignalStatus.REPEATED),
        (["300,00", "500,00"], "500,01", SignalStatus.NOT_PICKED_UP_YET),
    ],
)
def test_repeats_of_earlier_deliveries(partner, earlier, now, outcome):
    for index, amount in enumerate(earlier):
        earlier_row = row(bedrag_achterstand=amount, voorletters=str(index), signaaldatum="2026-09-15")
        deliver(partner, csv_bytes([earlier_row]), received_on=date(2026, 10, 1 + index))
    delivery = deliver(partner, csv_bytes([row(bedrag_achterstand=now)]))
    latest = Signal.objects.get(delivery=delivery)
    assert latest.status == outcome
    if outcome == SignalStatus.REPEATED:
        assert delivery.repeated_count == 1 and latest.case is None
        accepted_before = Signal.objects.filter(is_repeat=False).exclude(delivery=delivery).count()
        assert Case.objects.get().signal_count == accepted_before  # not a new signal for the case
    else:
        assert delivery.accepted_count == 1 and latest.case is not None


def test_repeat_look_back_is_six_months(partner, settings):
    early = row(datum_ontstaan="2026-04-01", signaaldatum="2026-05-01")
    deliver(partner, csv_bytes([early]), received_on=date(2026, 5, 26))
    assert deliver(partner, csv_bytes([row(voorletters="X")])).accepted_count == 1  # > 6 months
    settings.VROEG_REPEAT_LOOKBACK_MONTHS = 12
    assert deliver(partner, csv_bytes([row(voorletters="Y")])).repeated_count == 1


def test_the_same_reference_from_another_partner_is_no_repeat(partner, municipality):
    other = PartnerFactory(code="other")
    other.municipalities.add(municipality)
    deliver(partner, csv_bytes([row()]))
    assert deliver(other, csv_bytes([row()])).accepted_count == 1


def test_same_file_again_is_refused_and_points_to_the_earlier_delivery(partner):
    data = csv_bytes([row()])
    first = deliver(partner, data, name="week47.csv")
    again = deliver(partner, data, name="week47-opnieuw.csv")
    assert again.status == DeliveryStatus.REFUSED
    assert again.duplicate_of == first
    assert "al ontvangen op" in again.refusal_reason and "week47.csv" in again.refusal_reason
    assert Signal.objects.count() == 1


def test_whole_file_refusal_stores_nothing_but_the_delivery(partner):
    delivery = deliver(partner, csv_bytes([{**row(), "inkomen": "2000"}]))
    assert delivery.status == DeliveryStatus.REFUSED
    assert "Onbekende kolom: 'inkomen'" in delivery.refusal_reason
    assert not Signal.objects.exists() and not RejectedLine.objects.exists()
    assert not Household.objects.exists() and not DeliveryFile.objects.exists()
    assert Delivery.objects.count() == 1


def test_partner_without_municipality_is_refused(partner):
    partner.municipalities.clear()
    delivery = deliver(partner, csv_bytes([row()]))
    assert delivery.status == DeliveryStatus.REFUSED
    assert "geen gemeente" in delivery.refusal_reason


def test_gemeentecode_required_with_several_served_municipalities(partner, other_municipality):
    delivery = deliver(partner, csv_bytes([row()]))
    assert delivery.rejected_count == 1
    assert "gemeentecode ontbreekt" in RejectedLine.objects.get().reasons[0]


def test_a_crash_mid_file_leaves_nothing_and_a_rerun_gives_the_undisturbed_result(partner, monkeypatch):
    rows = [row(partner_referentie=f"R{i}", huisnummer=str(i + 1)) for i in range(200)]
    rows[10]["bsn"] = "123456789"  # one rejected line, written before the crash
    delivery = delivery_receive(partner=partner, stream=io.BytesIO(csv_bytes(rows)), original_name="f.csv")

    def killed(*, delivery, rows):
        raise SystemExit("worker killed")  # not an error of intake: the process goes away

    # Small batches, so several have been written when the "worker" dies while the
    # rows are matched into cases (after households were made).
    from signals.hooks import intake_matching

    monkeypatch.setattr("signals.ingest.BATCH_SIZE", 50)
    monkeypatch.setattr(intake_matching, "_listeners", [*intake_matching.listeners, killed])
    with pytest.raises(SystemExit):
        delivery_process(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PROCESSING
    assert not Signal.objects.exists() and not Household.objects.exists()
    assert not RejectedLine.objects.exists()
    assert DeliveryFile.objects.filter(delivery=delivery).exists()  # kept for the retry

    monkeypatch.undo()
    done = delivery_process(delivery_id=delivery.pk)  # the retry reads the stored file
    assert (done.status, done.accepted_count, done.rejected_count) == (DeliveryStatus.DONE, 199, 1)
    assert Case.objects.count() == 199
    again = delivery_process(delivery_id=delivery.pk)  # running it twice is harmless
    assert (again.accepted_count, Signal.objects.count(), RejectedLine.objects.count()) == (199, 199, 1)


def test_upload_queues_processing_after_commit(partner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        delivery = delivery_receive(partner=partner, stream=io.BytesIO(csv_bytes([row()])), original_name="x.csv")
    assert delivery.status == DeliveryStatus.RECEIVED
    assert DeliveryFile.objects.filter(delivery=delivery).exists()
    assert len(callbacks) == 1


def test_inactive_partner_is_refused(partner):
    partner.active = False
    partner.save()
    assert deliver(partner, csv_bytes([row()])).status == DeliveryStatus.REFUSED


def test_repeat_is_judged_only_against_signals_received_before_it(partner):
    # Accepted on 20-11; a file booked back to 10-11 with the same reference and a
    # lower amount came *before* it, so it is no repeat of it (contract: "received
    # within the look-back period before this one").
    deliver(partner, csv_bytes([row(bedrag_achterstand="500,00")]), received_on=date(2026, 11, 20))
    earlier = deliver(
        partner,
        csv_bytes([row(bedrag_achterstand="400,00", voorletters="B", signaaldatum="2026-11-05")]),
        received_on=date(2026, 11, 10),
    )
    assert (earlier.accepted_count, earlier.repeated_count) == (1, 0)


def test_a_late_signal_joining_a_picked_up_case_is_picked_up_too(partner, caseworker):
    # DDAS: a zaak that was picked up ("Opgepakt") does not list a signal "Nog niet
    # opgepakt"; a signal that joins it later is picked up with it.
    from cases.services import case_pick_up

    deliver(partner, csv_bytes([row()]), received_on=date(2026, 11, 2))
    case = Case.objects.get()
    case_pick_up(case_id=case.pk, user=caseworker, on=date(2026, 11, 3))
    late = deliver(
        partner,
        csv_bytes([row(partner_referentie="REF-LATE", signaal_type="huur", huisnummer="12")]),
        received_on=date(2026, 11, 20),
    )
    signal = Signal.objects.get(delivery=late)
    assert (signal.case_id, signal.status) == (case.pk, SignalStatus.PICKED_UP)
    # A signal of a household whose case is new stays "Nog niet opgepakt".
    other = deliver(
        partner, csv_bytes([row(partner_referentie="REF-NEW", huisnummer="40")]), received_on=date(2026, 11, 20)
    )
    assert Signal.objects.get(delivery=other).status == SignalStatus.NOT_PICKED_UP_YET

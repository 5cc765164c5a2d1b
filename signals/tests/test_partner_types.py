"""What a partner may send (contract signaal_type; Bgs art. 2-5): each kind of creditor
its own signal. A housing corporation's energy file is rejected line by line, naming the
types it may send; the admin shows the types as check boxes and refuses another
sector's Bgs type; existing partners keep working after the data migration."""

import importlib

import pytest
from django.urls import reverse

from cases.models import Case
from signals.models import PartnerType, Signal
from testkit.factories import PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row

pytestmark = pytest.mark.django_db


def test_a_housing_corporations_energy_file_is_rejected_line_by_line(partner):
    # partner: a housing corporation (type Huur), so only `huur` (Bgs art. 2).
    delivery = deliver(
        partner,
        csv_bytes(
            [
                row(partner_referentie="E-1", signaal_type="gas", crisissignaal="ja"),
                row(partner_referentie="E-2", signaal_type="elektra"),
                row(partner_referentie="H-1", signaal_type="huur", huisnummer="14"),
            ]
        ),
    )
    assert (delivery.accepted_count, delivery.rejected_count) == (1, 2)
    reasons = {line.partner_referentie: line.reasons for line in delivery.rejected_lines.all()}
    assert reasons["E-1"] == [
        "signaal_type 'gas' hoort niet bij deze partner: deze partner mag alleen huur leveren "
        "(de Bgs geeft elke soort schuldeiser een eigen signaal)."
    ]
    # Nothing of the energy rows reached a case: no extra signal, priority or crisis.
    assert list(Signal.objects.values_list("partner_referentie", flat=True)) == ["H-1"]
    case = Case.objects.get()
    assert (case.signal_count, case.has_crisis) == (1, False)


def test_an_energy_supplier_sends_its_three_types(municipality):
    energy = PartnerFactory(code="energie", partner_type=PartnerType.ENERGIE)
    energy.municipalities.add(municipality)
    delivery = deliver(
        energy,
        csv_bytes(
            [
                row(partner_referentie="1", signaal_type="elektra"),
                row(partner_referentie="2", signaal_type="gas"),
                row(partner_referentie="3", signaal_type="warmte"),
                row(partner_referentie="4", signaal_type="drinkwater"),
            ]
        ),
    )
    assert (delivery.accepted_count, delivery.rejected_count) == (3, 1)
    [line] = delivery.rejected_lines.all()
    assert "mag alleen elektra, gas, warmte leveren" in line.reasons[0]


def test_admin_shows_the_types_as_choices_and_refuses_another_sectors_type(
    client, functional_admin, partner, municipality
):
    client.force_login(functional_admin)
    url = reverse("admin:partners_partner_change", args=[partner.pk])
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="signal_types" value="huur"' in page
    assert 'value="gas"' in page and "[&quot;huur&quot;]" not in page  # no JSON to type
    form = {
        "code": partner.code,
        "name": partner.name,
        "partner_type": "Huur",
        "signal_types": ["huur", "gas"],
        "is_health_insurer": "",
        "lcv_member": "on",
        "active": "on",
        "municipalities": [municipality.pk],
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["signal_types"] == [
        "Een signaalpartner van het type Huur mag geen gas sturen: de Bgs geeft elke soort schuldeiser een "
        "eigen signaal. Bgs-typen van deze sector: huur."
    ]
    partner.refresh_from_db()
    assert partner.signal_types == ["huur"]
    form["signal_types"] = ["huur", "hypotheek"]  # an extra type the agreement lists
    assert client.post(url, form).status_code == 302
    partner.refresh_from_db()
    assert partner.signal_types == ["huur", "hypotheek"]


def test_data_migration_keeps_existing_partners_working_within_their_sector(municipality):
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("signals.migrations.0010_partner_types_by_sector")
    # The models as they stood when the migration ran (partners were still in signals).
    apps = MigrationLoader(connection).project_state(("signals", "0010_partner_types_by_sector")).apps
    Partner = apps.get_model("signals", "Partner")
    # As the old rule stored them: extras only, and one with a Bgs type of another sector.
    Partner.objects.create(code="oud-huur", name="Oud", partner_type="Huur", signal_types=[])
    Partner.objects.create(code="oud-zorg", name="Oud Z", partner_type="Zorg", signal_types=["huur", "hypotheek"])
    Partner.objects.create(
        code="oud-cak", name="CAK", partner_type="CAK Zorgverzekeringen", signal_types=["cak_zorgverzekering"]
    )
    migration.forwards(apps, None)
    types = dict(Partner.objects.filter(code__startswith="oud").values_list("code", "signal_types"))
    assert types == {
        "oud-huur": ["huur"],
        "oud-zorg": ["zorgverzekering", "hypotheek"],
        "oud-cak": ["cak_zorgverzekering"],
    }

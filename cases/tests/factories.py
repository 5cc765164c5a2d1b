"""Cases in every state (a Trait per state), with a household and signals."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from cases.models import Case, CaseState, Household, Outcome
from vroeg.tests.factories import MunicipalityFactory

RECEIVED = date(2026, 11, 2)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    municipality = factory.SubFactory(MunicipalityFactory, code="9999", name="Voorbeeldstad")
    postcode = factory.Sequence(lambda n: f"{1011 + n % 8000}AB")
    house_number = factory.Sequence(lambda n: n + 1)
    house_number_suffix = ""
    street = "Dorpsstraat"
    city = "Voorbeeldstad"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    household = factory.SubFactory(HouseholdFactory)
    municipality = factory.SelfAttribute("household.municipality")
    state = CaseState.NEW
    opened_at = factory.LazyFunction(timezone.now)
    signal_count = 1
    total_amount = 500
    first_received_on = RECEIVED
    contact_due = date(2026, 11, 30)
    lcv_target = RECEIVED + timedelta(days=14)
    crisis_due = None
    effort_due = None
    # The model's own definition: the nearest of Case.DEADLINE_FIELDS.
    next_due = factory.LazyAttribute(lambda o: Case.nearest_due(**{f: getattr(o, f) for f in Case.DEADLINE_FIELDS}))

    class Params:
        outreach = factory.Trait(state=CaseState.OUTREACH, picked_up_on=date(2026, 11, 3))
        contact = factory.Trait(
            state=CaseState.CONTACT, picked_up_on=date(2026, 11, 3), first_contact_on=date(2026, 11, 5)
        )
        help_accepted = factory.Trait(
            state=CaseState.HELP_ACCEPTED,
            picked_up_on=date(2026, 11, 3),
            first_contact_on=date(2026, 11, 5),
            help_accepted_on=date(2026, 11, 6),
        )
        closed = factory.Trait(
            state=CaseState.CLOSED,
            closed_from=CaseState.NEW,
            outcome=Outcome.NOT_PICKED_UP_OTHER,
            closed_at=factory.LazyFunction(timezone.now),
        )

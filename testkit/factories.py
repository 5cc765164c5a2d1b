"""Factories for every app's tests: accounts, municipalities, partners, and cases in
every state (a Trait per state) with their household, residents and signals.

They build the rows intake would have built (signals/ingest.py, cases/intake.py) for
tests whose subject is not intake: the keys and terms come from the project's own
definitions (vroeg.dutch, cases.deadlines), a signal's status follows its case as the
case services set it, and a case's totals are those of its signals. Tests of intake
itself deliver files through the real intake instead (testkit.signal_files)."""

import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.db.models import Min, Sum
from django.utils import timezone

from cases import deadlines
from cases.models import OUTCOMES_THAT_ARE_SIGNAL_STATUSES, Case, CaseState, Household, Outcome, Resident, ResidentKey
from cases.persons import resident_name_key
from cases.queue_keys import case_queue_refresh, cases_queue_refresh_households
from signals.models import (
    DEFAULT_SIGNAL_TYPES,
    PARTNER_TYPE_BITS,
    Delivery,
    DeliveryStatus,
    Partner,
    PartnerType,
    Signal,
    SignalStatus,
    allowed_signal_types,
)
from vroeg.accounts import roles
from vroeg.accounts.models import User
from vroeg.accounts.roles import roles_sync
from vroeg.dutch import bsn_key, normalise_name, normalise_phone, own_key
from vroeg.municipalities.models import Municipality

PASSWORD = "correct-horse-battery-staple"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{1000 + n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    inhabitants = 50_000


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"partner-{n}")
    name = factory.Sequence(lambda n: f"Woningcorporatie {n}")
    partner_type = PartnerType.HUUR
    signal_types = factory.LazyAttribute(lambda o: [str(t) for t in DEFAULT_SIGNAL_TYPES.get(o.partner_type, [])])


class UserFactory(factory.django.DjangoModelFactory):
    """A user with one role (a Trait per role); without a trait the account has none."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Fixed, unlike any resident in the tests: a random Dutch surname once matched one.
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Medewerker{n}")
    password = factory.django.Password(PASSWORD)
    role = None  # a group name from vroeg.accounts.roles; set by the traits

    class Params:
        caseworker = factory.Trait(role=roles.CASEWORKER)
        teamlead = factory.Trait(role=roles.TEAM_LEAD)
        partner_user = factory.Trait(role=roles.PARTNER_USER, partner=factory.SubFactory(PartnerFactory))
        functional_admin = factory.Trait(role=roles.FUNCTIONAL_ADMIN, is_staff=True)
        privacy_officer = factory.Trait(role=roles.PRIVACY_OFFICER)

    @classmethod
    def _create(cls, model_class, *args, role=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role:
            if not Group.objects.filter(name=role).exists():
                roles_sync()  # a transactional test flushed the migration's groups
            user.groups.set([Group.objects.get(name=role)])
        return user

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.municipalities.set(extracted)


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
    """A case in a state (a Trait per state). Without signals it carries intake's
    totals of one signal; `CaseFactory(signals=[partner, water])` (or `signals=2`: that
    many new partners) gives it a resident and one signal of each partner, and totals
    that are those signals' (`signals__amount=...` etc. go to each SignalFactory)."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    municipality = factory.SelfAttribute("household.municipality")
    state = CaseState.NEW
    opened_at = factory.LazyFunction(timezone.now)
    signal_count = 1
    total_amount = 500
    first_received_on = RECEIVED
    # The terms intake gives a case (cases/intake.py) by the same definitions.
    contact_due = factory.LazyAttribute(lambda o: o.first_received_on and deadlines.contact_due(o.first_received_on))
    lcv_target = factory.LazyAttribute(lambda o: o.first_received_on and deadlines.lcv_target(o.first_received_on))
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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The queue's stored key, as every service that writes a case keeps it.
        case = super()._create(model_class, *args, **kwargs)
        case_queue_refresh(case=case)
        return case

    @factory.post_generation
    def signals(obj, create, extracted, **kwargs):
        if not create or not extracted:
            return
        partners = [PartnerFactory() for _ in range(extracted)] if isinstance(extracted, int) else list(extracted)
        for partner in partners:
            SignalFactory(case=obj, partner=partner, **kwargs)


def signal_status_for(case: Case | None) -> str:
    """The DDAS status the case services give the signals of this case (cases/services.py:
    picked up with the case, on closing the end result when it is a signal status)."""
    if case is None or (case.state != CaseState.CLOSED and not case.picked_up_on):
        return SignalStatus.NOT_PICKED_UP_YET
    if case.state == CaseState.CLOSED and case.outcome in OUTCOMES_THAT_ARE_SIGNAL_STATUSES:
        return case.outcome
    return SignalStatus.PICKED_UP


def case_totals_refresh(case: Case) -> None:
    """A case's totals as intake keeps them: count, sum, partner types and crisis of its
    signals; a crisis signal is a proposal received on its date unless one is pending."""
    signals = list(case.signals.select_related("partner"))
    case.signal_count = len(signals)
    case.total_amount = case.signals.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    case.partner_type_mask = 0
    for s in signals:
        case.partner_type_mask |= PARTNER_TYPE_BITS[s.partner.partner_type]
    crisis_on = case.signals.filter(crisis=True).aggregate(first=Min("received_on"))["first"]
    case.has_crisis = case.has_crisis or crisis_on is not None
    if crisis_on and case.crisis_proposed_on is None and case.crisis_due is None:
        case.crisis_proposed_on = crisis_on
    fields = ["signal_count", "total_amount", "partner_type_mask", "has_crisis", "crisis_proposed_on"]
    Case.objects.filter(pk=case.pk).update(**{f: getattr(case, f) for f in fields})
    case_queue_refresh(case=case)


class DeliveryFactory(factory.django.DjangoModelFactory):
    """A processed file of a partner (its bytes are gone, as after intake)."""

    class Meta:
        model = Delivery

    partner = factory.SubFactory(PartnerFactory)
    received_on = RECEIVED
    received_at = factory.LazyAttribute(lambda o: timezone.make_aware(datetime.combine(o.received_on, time(9))))
    sha256 = factory.Sequence(lambda n: hashlib.sha256(f"levering-{n}".encode()).hexdigest())
    original_name = "levering.csv"
    size = 1024
    status = DeliveryStatus.DONE
    finished_at = factory.SelfAttribute("received_at")


class ResidentFactory(factory.django.DjangoModelFactory):
    """A resident known by the keys intake would give it (cases/persons.py): its own key
    (BSN key, else name key) and, with a BSN and a birth date, the name key too. A key
    the household knows already leads to that resident, as in intake, so asking twice
    for the same person gives one resident. Defaults: J. de Vries of testkit.signal_files."""

    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    bsn = "999999990"
    initials = "J."
    prefix = "de"
    surname = "Vries"
    birth_date = date(1980, 5, 17)
    person_key = factory.LazyAttribute(
        lambda o: own_key(bsn=o.bsn, normalised_name=normalise_name(o.prefix, o.surname), birth_date=o.birth_date)
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        household, key = kwargs["household"], kwargs["person_key"]
        known = ResidentKey.objects.filter(household=household, key=key).select_related("resident").first()
        if known:
            return known.resident
        resident = super()._create(model_class, *args, **kwargs)
        keys = [key]
        if resident.bsn and resident.birth_date:  # such a signal links its two keys
            keys = [bsn_key(resident.bsn), resident_name_key(resident)]
        for k in keys:
            ResidentKey.objects.get_or_create(household=household, key=k, defaults={"resident": resident})
        cases_queue_refresh_households(household_ids=[household.pk])  # the young-adult rule
        return resident


class SignalFactory(factory.django.DjangoModelFactory):
    """An accepted signal as intake stores it: of its partner's delivery (pass
    `partner`, or a `delivery` together with its partner), about its resident in the
    case's household, with the address and person of those rows, the person key of
    vroeg.dutch and the status its case gives it. Refreshes the case's totals."""

    class Meta:
        model = Signal

    case = factory.SubFactory(CaseFactory)
    resident = factory.SubFactory(ResidentFactory, household=factory.SelfAttribute("..case.household"))
    partner = factory.SubFactory(PartnerFactory)
    delivery = factory.SubFactory(
        DeliveryFactory,
        partner=factory.SelfAttribute("..partner"),
        received_on=factory.LazyAttribute(
            lambda o: (o.factory_parent.case and o.factory_parent.case.first_received_on) or RECEIVED
        ),
    )
    received_on = factory.SelfAttribute("delivery.received_on")
    municipality = factory.SelfAttribute("resident.household.municipality")
    line_number = factory.Sequence(lambda n: n + 1)
    partner_referentie = factory.Sequence(lambda n: f"REF-{n + 1}")
    signal_type = factory.LazyAttribute(
        lambda o: allowed_signal_types(o.partner.partner_type, o.partner.signal_types)[0]
    )
    crisis = False
    warm_handover = False
    amount = Decimal("1248.68")
    signal_date = factory.LazyAttribute(lambda o: o.received_on - timedelta(days=1))
    arrears_since = factory.LazyAttribute(lambda o: o.signal_date - timedelta(days=92))
    bsn = factory.SelfAttribute("resident.bsn")
    initials = factory.SelfAttribute("resident.initials")
    prefix = factory.SelfAttribute("resident.prefix")
    surname = factory.SelfAttribute("resident.surname")
    birth_date = factory.SelfAttribute("resident.birth_date")
    person_key = factory.LazyAttribute(
        lambda o: own_key(bsn=o.bsn, normalised_name=normalise_name(o.prefix, o.surname), birth_date=o.birth_date)
    )
    street = factory.SelfAttribute("resident.household.street")
    house_number = factory.SelfAttribute("resident.household.house_number")
    house_number_suffix = factory.SelfAttribute("resident.household.house_number_suffix")
    postcode = factory.SelfAttribute("resident.household.postcode")
    city = factory.SelfAttribute("resident.household.city")
    phone = factory.LazyFunction(lambda: normalise_phone("06-12345678"))
    email = "j.devries@example.nl"
    status = factory.LazyAttribute(lambda o: signal_status_for(o.case))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs["delivery"].partner_id != kwargs["partner"].pk:
            raise ValueError("a signal's delivery is of its partner: pass both, or only the partner")
        if kwargs["case"] and kwargs["case"].household_id != kwargs["resident"].household_id:
            raise ValueError("a signal's resident lives in its case's household")
        kwargs["partner"].municipalities.add(kwargs["municipality"])  # intake takes only those
        signal = super()._create(model_class, *args, **kwargs)
        if signal.case:
            case_totals_refresh(signal.case)
        return signal

"""Factories shared by every app's tests."""

import factory
from django.contrib.auth.models import Group

from signals.models import DEFAULT_SIGNAL_TYPES, Partner, PartnerType
from vroeg.accounts import roles
from vroeg.accounts.models import User
from vroeg.accounts.roles import roles_sync
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
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
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

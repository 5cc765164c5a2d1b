"""Reads for outreach."""

from django.db.models import QuerySet

from cases.models import Case, Resident


def message_addressees(*, case: Case) -> QuerySet[Resident]:
    """The residents a letter, card or text of this case can be addressed to: those of
    the household with a signal in this case."""
    return (
        Resident.objects.filter(household_id=case.household_id, signals__case=case)
        .distinct()
        .order_by("surname", "initials", "pk")
    )

"""A home-visit round: the due home visits a caseworker makes on one day, in the order
of the route (visits/route.py), and after the round what came of each visit.

The rows hold no personal data of their own: a visit points at its case (whose
household and residents the retention purge anonymises) and, once recorded, at the
contact attempt it wrote (with the caseworker's note)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outreach.models import PartOfDay


class RoundScope(models.TextChoices):
    """Which due home visits a round draws from (visits/selectors.py)."""

    MINE = "mine", _("cases assigned to the caseworker")
    MINE_AND_UNASSIGNED = "mine_unassigned", _("cases assigned to the caseworker or to nobody")
    TEAM = "team", _("all cases of the team")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    REACHED = "reached", _("reached")
    NOT_REACHED = "not_reached", _("not reached")
    NOT_VISITED = "not_visited", _("not visited")


# The outcomes a caseworker records; a visit with one of the first two (VISITED) wrote a
# contact attempt.
OUTCOMES = (VisitStatus.REACHED, VisitStatus.NOT_REACHED, VisitStatus.NOT_VISITED)
VISITED = OUTCOMES[:2]


class HomeVisitRound(models.Model):
    """The home visits one caseworker makes on one day (and part of day) in one
    municipality. Planned by that caseworker or by a team lead; recorded once."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="home_visit_rounds",
        verbose_name=_("municipality"),
    )
    day = models.DateField(_("day"))
    part_of_day = models.CharField(_("part of day"), max_length=10, choices=PartOfDay.choices)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="home_visit_rounds",
        verbose_name=_("caseworker"),
    )
    scope = models.CharField(_("which cases"), max_length=20, choices=RoundScope.choices)
    # The postcode area as the planner gave it, normalised (visits/route.py: Area);
    # empty: the whole municipality.
    area = models.CharField(_("area"), max_length=200, blank=True)
    cap = models.PositiveSmallIntegerField(_("at most this many visits"))
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    planned_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("home-visit round")
        verbose_name_plural = _("home-visit rounds")
        indexes = [models.Index(fields=["municipality", "day"], name="visitround_municipality_day")]

    def __str__(self) -> str:
        return f"{self.day:%d-%m-%Y} ({self.part_of_day.lower()})"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None


class RoundVisit(models.Model):
    """One home visit of a round, at its place in the route. A case is in at most one
    round that was not recorded yet (its visit still `planned`)."""

    round = models.ForeignKey(HomeVisitRound, on_delete=models.CASCADE, related_name="visits")
    position = models.PositiveSmallIntegerField(_("order"))
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="round_visits")
    status = models.CharField(_("outcome"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    part_of_day = models.CharField(_("part of day"), max_length=10, choices=PartOfDay.choices, blank=True)
    attempt = models.OneToOneField(
        "outreach.ContactAttempt", on_delete=models.SET_NULL, null=True, blank=True, related_name="round_visit"
    )

    class Meta:
        ordering = ["round", "position"]
        verbose_name = _("home visit of a round")
        verbose_name_plural = _("home visits of a round")
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="roundvisit_unique_position"),
            models.UniqueConstraint(fields=["round", "case"], name="roundvisit_case_once_per_round"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="planned"), name="roundvisit_one_open_round_per_case"
            ),
        ]

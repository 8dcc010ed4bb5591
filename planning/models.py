"""The yearly action plan ("handlingsplan"): measures ("tiltak") per commitment and year, each
with a responsible unit and person, a deadline, resources and a state.

A measure's state is its latest state change (MeasureStateChange), as a commitment's status is
its latest status update: the plan shows the latest, the history keeps every change with its
date and comment.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from counties.models import AttributedQuerySet
from priorities.models import (
    Commitment,
    Strategy,
    VisibleQuerySet,
    attributed_county,
    example_flag,
    strategy_url,
)


class State(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# What a measure is before anyone set its state (a measure added in admin or by a script).
INITIAL_STATE = State.PLANNED
# A measure in one of these states asks nothing more of anyone, whatever its deadline.
CLOSED_STATES = (State.DONE, State.CANCELLED)
# Every other state is open: still to be carried out (a postponed one too). MeasureQuerySet.open()
# is the rule; "my work", the reminders and the briefing packs' open follow-ups all ask it.
OPEN_STATES = tuple(state for state in State if state not in CLOSED_STATES)
# "My work" lists a responsible person's measures due this many days ahead, beside the overdue.
DUE_SOON_DAYS = 14


class MeasureQuerySet(VisibleQuerySet, AttributedQuerySet):
    """Who sees which measures is the activities' rule (VisibleQuerySet), on the measure's own
    is_public flag: staff and editors see internal ones too."""

    def of_strategy(self, strategy: Strategy):
        return self.filter(commitment__priority__strategy=strategy)

    def for_plan(self, strategy: Strategy, year: int):
        return self.filter(commitment__priority__strategy=strategy, year=year)

    def with_state(self):
        """Annotate the latest state change's state, comment and date (current_state,
        current_comment, current_state_on); INITIAL_STATE where none was made."""
        latest = MeasureStateChange.objects.filter(measure=OuterRef("pk")).order_by(
            "-changed_on", "-created_at", "-pk"
        )
        return self.annotate(
            current_state=Coalesce(
                Subquery(latest.values("state")[:1]),
                Value(INITIAL_STATE.value),
                output_field=models.CharField(),
            ),
            current_comment=Subquery(latest.values("comment")[:1]),
            current_state_on=Subquery(latest.values("changed_on")[:1]),
        )

    def open(self):
        """Those still to be carried out (OPEN_STATES), by their current state: with_state()."""
        return self.with_state().filter(current_state__in=OPEN_STATES)

    def overdue(self, today: datetime.date | None = None):
        """Open measures past their deadline on `today`: the one rule of an overdue measure,
        for "My work" and the reminders alike (annotates with_state())."""
        today = today or timezone.localdate()
        return self.open().filter(deadline__lt=today)

    def unfinished_for(self, user):
        """The open measures `user` is responsible for, their state annotated."""
        if not user.is_authenticated:
            return self.none()
        return self.open().filter(responsible=user)

    def overdue_for(self, user, today: datetime.date | None = None):
        """overdue(), of the measures `user` is responsible for."""
        if not user.is_authenticated:
            return self.none()
        return self.overdue(today).filter(responsible=user)

    def due_for(self, user, today: datetime.date | None = None, *, within: int = DUE_SOON_DAYS):
        """overdue_for(), and the unfinished measures due in the next `within` days."""
        today = today or timezone.localdate()
        return self.unfinished_for(user).filter(
            deadline__lte=today + datetime.timedelta(days=within)
        )


class Measure(models.Model):
    """A measure of the year's action plan under one commitment."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("commitment"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("responsible person"),
        help_text=_("The responsible person may update the measure's state."),
    )
    county = attributed_county("measures", _("The county authority that carries the measure out."))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    cost_nok = models.PositiveIntegerField(
        _("resources (NOK)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    person_weeks = models.DecimalField(
        _("resources (person-weeks)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Internal measures are shown to staff only.")
    )
    is_example = example_flag()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords()
    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["year", "commitment", "deadline", "pk"]
        indexes = [models.Index(fields=["year", "commitment"], name="measure_year_commitment")]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        priority = self.commitment.priority
        url = strategy_url(priority.strategy_id, "planning:plan_year", self.year, of=priority)
        return f"{url}#measure-{self.pk}"

    def clean(self) -> None:
        errors = {}
        strategy = self.commitment.priority.strategy if self.commitment_id else None
        if strategy and self.year and not strategy.period_start <= self.year <= strategy.period_end:
            errors["year"] = _(
                "The year must be within the strategy's period, %(first)s–%(last)s."
            ) % {
                "first": strategy.period_start,
                "last": strategy.period_end,
            }
        if self.deadline and self.year and self.deadline.year != self.year:
            errors["deadline"] = _("The deadline must be in the plan's year, %(year)s.") % {
                "year": self.year
            }
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def can_plan(user) -> bool:
        """Editors create and edit measures."""
        return user.is_authenticated and user.has_perm("planning.change_measure")

    def can_edit(self, user) -> bool:
        return self.can_plan(user)

    def can_set_state(self, user, *, owned_commitments: set[int] | None = None) -> bool:
        """Editors, the responsible person and the commitment's owners. `owned_commitments`:
        the ids of the commitments the user owns, when a list of measures asks for each."""
        if not user.is_authenticated:
            return False
        if user.has_perm("planning.add_measurestatechange") or self.responsible_id == user.pk:
            return True
        if owned_commitments is not None:
            return self.commitment_id in owned_commitments
        return self.commitment.owners.filter(pk=user.pk).exists()

    def days_left(self, today: datetime.date | None = None) -> int | None:
        """Days from `today` to the deadline: 0 on the day, negative when overdue."""
        if self.deadline is None:
            return None
        return (self.deadline - (today or timezone.localdate())).days

    @property
    def person_weeks_number(self) -> int:
        """For the plural of "person-week": a Decimal makes gettext warn, and 1.5 is plural."""
        return 1 if self.person_weeks == 1 else 2

    @property
    def current_state_label(self) -> str:
        """The label of current_state (annotated by MeasureQuerySet.with_state())."""
        return State(self.current_state).label

    @transaction.atomic
    def set_state(
        self, *, state: str, comment: str = "", author=None, changed_on=None, **extra
    ) -> "MeasureStateChange":
        change = MeasureStateChange(
            measure=self,
            state=state,
            comment=comment,
            author=author,
            changed_on=changed_on or timezone.localdate(),
            **extra,
        )
        change.full_clean()
        change.save()
        return change


class MeasureStateChange(models.Model):
    """A measure's state from a date on, with a comment; the latest one is the current state."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="state_changes", verbose_name=_("measure")
    )
    state = models.CharField(_("state"), max_length=20, choices=State)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    changed_on = models.DateField(_("date"), default=datetime.date.today)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    is_example = example_flag()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-changed_on", "-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["measure", "-changed_on", "-created_at"], name="measure_state_latest"
            )
        ]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self) -> str:
        return f"{self.get_state_display()} ({self.changed_on:%Y-%m-%d})"

    def clean(self) -> None:
        if self.changed_on and self.changed_on > timezone.localdate():
            raise ValidationError({"changed_on": _("The date cannot be in the future.")})

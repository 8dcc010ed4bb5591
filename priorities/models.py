import contextvars
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signals import request_finished, request_started
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Count, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from counties.models import AttributedQuerySet, County
from partners.models import (
    BilateralPartner,
    CountryCodeField,
    Organisation,
    Programme,
    web_link,
)


class DecisionReference(models.Model):
    """Where a political decision is recorded: body, date, case number and a link."""

    decision_body = models.CharField(_("decision made by"), max_length=200, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_case_number = models.CharField(_("case number"), max_length=50, blank=True)
    decision_url = models.URLField(
        _("link to the decision"),
        blank=True,
        help_text=_("eInnsyn or the archive."),
        validators=[web_link],
    )

    class Meta:
        abstract = True


# Which strategy is current, remembered for the length of one request: every link to a
# priority or commitment asks (strategy_url()), and a page has hundreds of them. Outside a
# request (shell, tests, commands) nothing is remembered.
_current_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "current_strategy", default=None
)


def _start_memo(**kwargs) -> None:
    _current_memo.set({})


def _end_memo(**kwargs) -> None:
    _current_memo.set(None)


def _forget_current() -> None:
    if _current_memo.get() is not None:
        _current_memo.set({})


request_started.connect(_start_memo, dispatch_uid="priorities.current_strategy.start")
request_finished.connect(_end_memo, dispatch_uid="priorities.current_strategy.end")


@dataclass(frozen=True)
class FollowUp:
    """Who follows a strategy up now that the county authority that adopted it is dissolved."""

    county: County  # the county authority that adopted the strategy
    since: datetime.date  # the day it was dissolved: its successors' first
    counties: list  # the county authorities that follow the strategy up now


def example_flag() -> models.BooleanField:
    """is_example: invented demo content (priorities/demo.py), marked wherever it is shown."""
    return models.BooleanField(
        _("example"), default=False, help_text=_("Demo content, never loaded in production.")
    )


class StrategyQuerySet(models.QuerySet):
    def in_order(self) -> list:
        """Every strategy, the current one first (see current()), then newest adopted first.

        One query per request (remembered until the request ends or a strategy is saved):
        every link to a strategy's page asks which strategy is current. A portal holds a few.
        """
        memo = _current_memo.get()
        if memo is not None and "all" in memo:
            return memo["all"]
        strategies = list(self.order_by("-is_current", "-adopted_on", "-pk"))
        if memo is not None:
            memo["all"] = strategies
        return strategies

    def current(self):
        """The strategy the portal shows at `/` (and at today's addresses): the one an admin
        marked current (is_current), or while none is, the most recently adopted."""
        strategies = self.in_order()
        return strategies[0] if strategies else None

    def several(self) -> bool:
        return len(self.in_order()) > 1


class Strategy(DecisionReference):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    adopted_by = models.CharField(_("adopted by"), max_length=200)
    adopted_on = models.DateField(_("adopted on"))
    period_start = models.PositiveSmallIntegerField(_("period from (year)"))
    period_end = models.PositiveSmallIntegerField(_("period to (year)"))
    purpose = models.TextField(_("purpose"))
    sdg_statement = models.TextField(_("sustainable development goal"))
    county = models.ForeignKey(
        "counties.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategies",
        verbose_name=_("county authority"),
        help_text=_("The county authority that adopted the strategy."),
    )

    is_current = models.BooleanField(
        _("current strategy"),
        default=False,
        help_text=_(
            "The current strategy is shown on the front page and keeps the portal's addresses; "
            "the others are listed under Strategies, each under an address of its own. "
            "Marking this one current unmarks the other."
        ),
    )
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty while the strategy runs: it is archived when its period ends, or "
            "from this date if it ends earlier (replaced or revoked)."
        ),
    )

    objects = StrategyQuerySet.as_manager()

    class Meta:
        ordering = ["-adopted_on"]
        constraints = [
            # At most one is current (none: the most recently adopted, see current()).
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_strategy",
            )
        ]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Marking one current unmarks the other first (the constraint allows one), together.
        with transaction.atomic():
            if self.is_current:
                for other in Strategy.objects.filter(is_current=True).exclude(pk=self.pk):
                    other.is_current = False
                    other.save(update_fields=["is_current"])
            super().save(*args, **kwargs)
        _forget_current()

    def get_absolute_url(self) -> str:
        return self.url("priorities:overview")

    def validate_constraints(self, exclude=None) -> None:
        # Marking this one current unmarks the other (save()): not an error in a form.
        super().validate_constraints(exclude={*(exclude or ()), "is_current"})

    @property
    def is_front(self) -> bool:
        """Whether this is the strategy shown at `/` (Strategy.objects.current())."""
        current = Strategy.objects.current()
        return current is not None and current.pk == self.pk

    @property
    def is_archived(self) -> bool:
        """Ended: its period is over, or it ended on `ended_on`. Readable, but nothing new is
        logged against it."""
        today = timezone.localdate()
        return self.period_end < today.year or (
            self.ended_on is not None and self.ended_on <= today
        )

    def url(self, name: str, *args) -> str:
        """The address of one of this strategy's pages (priorities/urls.py, STRATEGY_PAGES)."""
        return strategy_url(self.pk, name, *args, strategy=self)

    def follow_up(self, today: datetime.date | None = None) -> FollowUp | None:
        """Who follows the strategy up now, when it is no longer the county authority that
        adopted it (dissolved, as Vestfold og Telemark on 1 January 2024): its successors of
        today. None while that county exists, or when the strategy names none."""
        county = self.county
        if county is None or not county.is_dissolved(today):
            return None
        return FollowUp(county, county.dissolved_on, county.current_successors(today))

    def report_years(self) -> list[int]:
        """Years with a report, newest first: the strategy's period up to this year."""
        last = min(self.period_end, timezone.localdate().year)
        return list(range(last, self.period_start - 1, -1))


def archived_message(strategy: Strategy) -> str:
    return _("%(title)s is archived: no new activities are logged against it.") % {
        "title": strategy.title
    }


def strategy_url(strategy_id: int, name: str, *args, strategy=None, of=None) -> str:
    """The one place that builds the address of a strategy's page: today's unprefixed path
    for the current strategy (old links keep working), strategier/<slug>/… for any other.

    `strategy`, or `of` (an object with .strategy), gives the slug when it is needed: for the
    current strategy no query is made beyond the request's one for current().
    """
    current = Strategy.objects.current()
    if current is None or current.pk == strategy_id:
        return reverse(name, args=args)
    if strategy is None:
        strategy = of.strategy
    return reverse(name, args=[strategy.slug, *args])


class FocusPoint(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="focus_points", verbose_name=_("strategy")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="unique_focus_point_number")
        ]
        verbose_name = _("focus point")
        verbose_name_plural = _("focus points")

    def __str__(self) -> str:
        return self.text


class Priority(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="priorities", verbose_name=_("strategy")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="unique_priority_number")
        ]
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return strategy_url(self.strategy_id, "priorities:priority", self.slug, of=self)


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    OFF_TRACK = "off_track", _("Off track")
    COMPLETED = "completed", _("Completed")


def count_of(queryset):
    """COUNT(*) of a queryset correlated to the outer row (OuterRef), 0 when empty."""
    return Coalesce(
        Subquery(queryset.values("commitment").annotate(n=Count("*")).values("n")[:1]), 0
    )


# "Going quiet" (the staff's "my work", the freshness marks on the public pages): no activity
# in STALE_ACTIVITY_DAYS, or no status update in STALE_STATUS_DAYS. Templates get the numbers
# from here (they hold none of their own).
STALE_ACTIVITY_DAYS = 180
STALE_STATUS_DAYS = 365


def _older_than(field: str, cutoff) -> ExpressionWrapper:
    """True when the annotation `field` is empty or before `cutoff`."""
    return ExpressionWrapper(
        Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": cutoff}),
        output_field=models.BooleanField(),
    )


def _activity_cutoff(today=None) -> datetime.date:
    return (today or timezone.localdate()) - datetime.timedelta(days=STALE_ACTIVITY_DAYS)


class CommitmentQuerySet(models.QuerySet):
    def with_status(self, as_of: datetime.datetime | None = None, *, county: bool = False):
        """Annotate the latest status update's value, assessment and time (current_status_value,
        current_assessment, current_status_at) and whether it is invented demo content
        (current_status_is_example): the current status, or with `as_of` the status at that
        moment (the latest update made before it; the report's year end). With `county`, also
        the slug of the county authority it is attributed to (current_status_county).
        """
        latest = StatusUpdate.objects.filter(commitment=OuterRef("pk"))
        if as_of is not None:
            latest = latest.filter(created_at__lt=as_of)
        latest = latest.order_by("-created_at", "-pk")
        fields = {
            "current_status_value": "status",
            "current_assessment": "assessment",
            "current_status_at": "created_at",
            "current_status_is_example": "is_example",
        }
        if county:
            fields["current_status_county"] = "county__slug"
        return self.annotate(
            **{name: Subquery(latest.values(field)[:1]) for name, field in fields.items()}
        )

    def with_public_stats(self, year: int | None = None):
        """Annotate public activity counts, the latest public activity date (and whether it is
        stale) and the current status (with_status()).

        Correlated subqueries rather than a join and GROUP BY: each count is an index-only
        scan per commitment, which stays fast at tens of thousands of activities, and the
        page's query count does not grow with the data.
        """
        year = year or timezone.localdate().year
        public = Activity.objects.public().filter(commitment=OuterRef("pk")).order_by()
        return (
            self.annotate(
                public_activity_count=count_of(public),
                public_activity_count_year=count_of(public.filter(start_date__year=year)),
                last_public_activity_on=Subquery(
                    public.order_by("-start_date").values("start_date")[:1]
                ),
            )
            .annotate(
                public_activity_stale=_older_than("last_public_activity_on", _activity_cutoff())
            )
            .with_status()
        )

    def with_freshness(self, today=None):
        """Annotate what staff need to follow up: latest activity, public or not, and the
        current status (with_status()).

        Subqueries rather than joins, so the two aggregates do not multiply each other.
        activity_stale: no activity in STALE_ACTIVITY_DAYS; status_stale: no status update in
        STALE_STATUS_DAYS.
        """
        activities = Activity.objects.filter(commitment=OuterRef("pk")).order_by()
        status_cutoff = timezone.now() - datetime.timedelta(days=STALE_STATUS_DAYS)
        return (
            self.annotate(
                activity_count=count_of(activities),
                last_activity_on=Subquery(
                    activities.order_by("-start_date").values("start_date")[:1]
                ),
            )
            .with_status()
            .annotate(
                activity_stale=_older_than("last_activity_on", _activity_cutoff(today)),
                status_stale=_older_than("current_status_at", status_cutoff),
            )
        )

    def of_strategy(self, strategy):
        return self.filter(priority__strategy=strategy)

    def stale(self):
        """Commitments going quiet (call after with_freshness())."""
        return self.filter(Q(activity_stale=True) | Q(status_stale=True))

    def quietest_first(self):
        """Most urgent first (call after with_freshness()): those without any activity, then
        the longest without one; of the same date, in the strategy's order."""
        return self.order_by(
            F("last_activity_on").asc(nulls_first=True), "priority__number", "number"
        )


class Commitment(models.Model):
    """One of the strategy's "Fylkeskommunen skal …" commitments, numbered 1.1 … 4.3."""

    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("priority")
    )
    number = models.PositiveSmallIntegerField(_("number within the priority"))
    text = models.TextField(_("text"))
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="owned_commitments",
        verbose_name=_("owners"),
        help_text=_("Owners may set the commitment's status."),
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["priority__strategy", "priority__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "number"], name="unique_commitment_number")
        ]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def get_absolute_url(self) -> str:
        priority = self.priority
        return strategy_url(
            priority.strategy_id, "priorities:commitment", priority.slug, self.number, of=priority
        )

    @property
    def code(self) -> str:
        return f"{self.priority.number}.{self.number}"

    def set_status(self, *, status: str, assessment: str, author, **decision) -> "StatusUpdate":
        update = StatusUpdate(
            commitment=self, status=status, assessment=assessment, author=author, **decision
        )
        update.full_clean()
        update.save()
        return update

    def can_set_status(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if user.has_perm("priorities.add_statusupdate"):
            return True
        return self.owners.filter(pk=user.pk).exists()


def attributed_county(related_name: str, help_text) -> models.ForeignKey:
    """The county authority an activity or status update is attributed to: optional, and
    chosen in the forms from County.objects.for_attribution()."""
    return models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("county authority"),
        help_text=help_text,
    )


class StatusUpdate(DecisionReference):
    """A commitment's status at a point in time; the latest one is the current status."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="status_updates",
        verbose_name=_("commitment"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status)
    assessment = models.TextField(_("assessment"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_updates",
        verbose_name=_("author"),
    )
    county = attributed_county(
        "status_updates", _("The county authority that made the assessment.")
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    is_example = example_flag()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        indexes = [
            # A commitment's current status is its latest update.
            models.Index(fields=["commitment", "-created_at"], name="statusupdate_latest"),
        ]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self) -> str:
        return f"{self.commitment.code}: {self.get_status_display()} ({self.created_at:%Y-%m-%d})"


class VisibleQuerySet(models.QuerySet):
    """Who may see which activities, and the action plan's measures, each by its own
    is_public flag: decided here and nowhere else (tests/test_visibility_rule.py greps for it)."""

    @staticmethod
    def sees_internal(user) -> bool:
        """Staff and editors see internal activities too; everyone else public ones only."""
        return user.is_authenticated and user.has_perm("priorities.view_activity")

    @staticmethod
    def visible_q(user=None, *, prefix: str = "") -> Q:
        """The activities `user` may see as a Q; None (and anonymous) means public ones only.

        `prefix` is the path from another model to its activities, for counting or filtering
        across the relation: Count("activities", filter=Activity.objects.visible_q(user,
        prefix="activities")). Staff and editors see internal activities too: an empty Q.
        """
        if user is not None and VisibleQuerySet.sees_internal(user):
            return Q()
        if prefix:
            return Q(**{f"{prefix}__is_public": True})
        return Q(is_public=True)

    def public(self):
        """The only way public pages read activities: internal ones never leave this."""
        return self.filter(self.visible_q())

    def visible_to(self, user):
        return self.filter(self.visible_q(user))


class ActivityQuerySet(VisibleQuerySet, AttributedQuerySet):
    def for_year(self, year: int):
        return self.filter(start_date__year=year)

    def of_strategy(self, strategy):
        """Those logged against `strategy`'s commitments: every strategy-scoped page, feed,
        export and API answer reads through this, so one strategy's never show in another's."""
        return self.filter(commitment__priority__strategy=strategy)

    def with_relations(self):
        """With commitment, programme and author, and the partners and organisations as lists
        in .linked_partners and .linked_organisations (in name order): the names every loader
        of an activity's links uses (exchange.attach_links(), the report).

        Lists rather than the prefetched related managers: Django (and modeltranslation) build a
        manager and a queryset for every activity and relation otherwise, which cost more than
        the rest of a page of fifty activities.

        FETCH_PEERS: a field the list did not load (a relation a template reads that is not
        named here, a deferred field) is fetched for every activity of the list in one query
        on first use, instead of one query per activity.
        """
        return (
            self.select_related(
                "commitment__priority__strategy", "programme", "created_by", "county"
            )
            .select_related("visit")
            .prefetch_related(
                models.Prefetch("partners", to_attr="linked_partners"),
                models.Prefetch("organisations", to_attr="linked_organisations"),
                # A visit's participants (Visit.listed_participants); none for other kinds.
                models.Prefetch(
                    "visit__participants",
                    queryset=Participant.objects.order_by("pk"),
                    to_attr="prefetched_participants",
                ),
            )
            .fetch_mode(models.FETCH_PEERS)
        )


class Activity(models.Model):
    """Something the county did against a commitment."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CONFERENCE = "conference", _("Conference")
        DELEGATION_VISIT = "delegation_visit", _("Delegation visit")
        PROJECT_APPLICATION = "project_application", _("Project application")
        PROJECT = "project", _("Project")
        NETWORK_WORK = "network_work", _("Network or board work")
        KNOWLEDGE_SHARING = "knowledge_sharing", _("Knowledge-sharing event")
        PUBLICATION = "publication", _("Publication")
        # Counted on an organisation's scorecard (Organisation.scorecard).
        POSITION = "position", _("Position paper")
        CONSULTATION_RESPONSE = "consultation_response", _("Consultation response")
        OTHER = "other", _("Other")

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("commitment"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    start_date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    country = CountryCodeField(_("country"), blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    outcome = models.TextField(_("outcome"), max_length=5000, blank=True)
    partners = models.ManyToManyField(
        BilateralPartner, blank=True, related_name="activities", verbose_name=_("partners")
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="activities", verbose_name=_("organisations")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("EU programme"),
    )
    county = attributed_county(
        "activities", _("The county authority that carried the activity out.")
    )
    url = models.URLField(_("link"), blank=True, validators=[web_link])
    # The yearly action plan's measure it carries out (app planning, which imports this one:
    # named by label, not imported).
    measure = models.ForeignKey(
        "planning.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("measure in the action plan"),
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Internal activities are shown to staff only.")
    )
    is_example = example_flag()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("logged at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[partners, organisations])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["is_public", "-start_date"], name="activity_public_date"),
            models.Index(
                fields=["commitment", "is_public", "-start_date"], name="activity_commitment"
            ),
            # A commitment's latest activity, public or not ("my work"); search by kind;
            # feeds (newest logged first); "my work"'s own activities.
            models.Index(fields=["commitment", "-start_date"], name="activity_commitment_date"),
            models.Index(fields=["kind", "-start_date"], name="activity_kind_date"),
            models.Index(fields=["is_public", "-created_at"], name="activity_public_created"),
            models.Index(fields=["created_by", "-created_at"], name="activity_author_created"),
            # The full-text search's GIN index is PostgreSQL-only: migration 0003_indexes.
            # On PostgreSQL the first two also include (cover) more columns: 0004.
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("priorities:activity", args=[self.pk])

    @property
    def public_measure_title(self) -> str:
        """The title of the action plan's measure the activity carries out, when the measure
        is public (VisibleQuerySet's rule, on the measure's own is_public flag), else "": for
        what is public whoever asks (downloads, the API). Load it with select_related."""
        measure = self.measure if self.measure_id else None
        return measure.title if measure is not None and measure.is_public else ""

    def clean(self) -> None:
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if (
            self.measure_id
            and self.commitment_id
            and (self.measure.commitment_id != self.commitment_id)
        ):
            errors["measure"] = _("Choose a measure of the activity's own commitment.")
        if self._state.adding and self.commitment_id:
            strategy = self.commitment.priority.strategy
            if strategy.is_archived:
                raise ValidationError(archived_message(strategy))
        if errors:
            raise ValidationError(errors)

    def can_edit(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if user.has_perm("priorities.change_activity"):
            return True
        return self.created_by_id == user.pk and user.has_perm("priorities.add_activity")

    @property
    def year(self) -> int:
        return self.start_date.year

    @property
    def is_visit(self) -> bool:
        return self.kind == self.Kind.DELEGATION_VISIT


class Visit(models.Model):
    """The extra facts of an activity of the kind "visit" (Activity.Kind.DELEGATION_VISIT):
    outgoing or incoming, its purpose, who took part, what it cost and the follow-up agreed.

    Whether the visit shows is the activity's is_public (VisibleQuerySet); its cost has a rule
    of its own, cost_visible_to().
    """

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("Outgoing visit")
        INCOMING = "incoming", _("Incoming visit")

    activity = models.OneToOneField(
        Activity,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="visit",
        verbose_name=_("activity"),
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction)
    purpose = models.TextField(_("purpose"), max_length=2000)
    follow_up = models.TextField(
        _("follow-up agreed"),
        max_length=2000,
        blank=True,
        help_text=_("What the parties agreed to do next, and who does it."),
    )
    cost = models.DecimalField(
        _("cost (NOK)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Optional: travel, stay and hosting, in Norwegian kroner."),
    )
    cost_is_public = models.BooleanField(
        _("cost is public"),
        default=False,
        help_text=_("The cost is internal unless this is checked: only staff see it."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.activity}"

    def cost_visible_to(self, user=None) -> bool:
        """Whether `user` (None: anyone, the API and feeds) may see the cost: staff always;
        everyone else only a cost marked public of a public visit. The one rule for the cost."""
        if self.cost is None:
            return False
        if user is not None and VisibleQuerySet.sees_internal(user):
            return True
        return self.cost_is_public and self.activity.is_public

    @property
    def listed_participants(self) -> list:
        """The participants in the order they were entered; prefetched by with_relations()."""
        if hasattr(self, "prefetched_participants"):
            return self.prefetched_participants
        return list(self.participants.order_by("pk"))


class Participant(models.Model):
    """Someone who took part in a visit. Politicians and staff are shown by name and title,
    others by their organisation (their name is kept for staff, never shown publicly)."""

    class Role(models.TextChoices):
        POLITICIAN = "politician", _("Politician")
        STAFF = "staff", _("Staff")
        OTHER = "other", _("Other")

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="participants", verbose_name=_("visit")
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title or position"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.POLITICIAN)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Required for others: they are shown by their organisation."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.role == self.Role.OTHER and not self.organisation.strip():
            raise ValidationError(
                {"organisation": _("Give the organisation of a participant who is not ours.")}
            )

    @property
    def public_name(self) -> str | None:
        """The name, where it may be shown publicly: politicians' and staff's; None for
        others, who are shown by their organisation."""
        return None if self.role == self.Role.OTHER else self.name

    @property
    def public_label(self) -> str:
        """How the participant is shown on public pages and in lists."""
        if self.public_name is None:
            return self.organisation
        return ", ".join(part for part in (self.public_name, self.title) if part)

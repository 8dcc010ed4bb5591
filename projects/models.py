"""The project register: EU (and other) projects the county applies for and takes part in,
with their programme, the county's role, budget and share, and the state from idea to closed.

Funding "granted per year" counts a project in the year its grant decision came (decided_on),
or, where no decision date was recorded (a project registered after the fact), the year it
started: ProjectQuerySet.funding_by_year_and_programme() is the one place that says so.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from counties.models import AttributedQuerySet
from partners.models import BilateralPartner, Organisation, Programme, web_link
from priorities.models import Commitment, VisibleQuerySet, attributed_county, example_flag


class Role(models.TextChoices):
    LEAD_PARTNER = "lead_partner", _("Lead partner")
    PARTNER = "partner", _("Partner")
    ASSOCIATED = "associated", _("Associated partner")


class State(models.TextChoices):
    IDEA = "idea", _("Idea")
    APPLICATION_SENT = "application_sent", _("Application sent")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


# The state machine: where a project may go from each state (staying is always allowed).
TRANSITIONS = {
    State.IDEA: {State.APPLICATION_SENT},
    State.APPLICATION_SENT: {State.GRANTED, State.REJECTED},
    State.GRANTED: {State.RUNNING},
    State.REJECTED: set(),
    State.RUNNING: {State.CLOSED},
    State.CLOSED: set(),
}
# Projects whose application was granted (whatever happened after), and those decided either way.
GRANTED_STATES = (State.GRANTED, State.RUNNING, State.CLOSED)
DECIDED_STATES = (*GRANTED_STATES, State.REJECTED)

# Addresses under /prosjekter/ that are not projects (projects/urls.py).
RESERVED_SLUGS = {"ny"}

MONEY = {"max_digits": 14, "decimal_places": 2}


class ProjectQuerySet(VisibleQuerySet, AttributedQuerySet):
    """Who sees which projects is the activities' rule (VisibleQuerySet) on the project's own
    is_public flag: internal projects are shown to staff and editors only."""

    def granted(self):
        return self.filter(state__in=GRANTED_STATES)

    def decided(self):
        return self.filter(state__in=DECIDED_STATES)

    def with_grant_year(self):
        """grant_year: the year of the grant decision, else the year the project started."""
        return self.annotate(
            grant_year=ExtractYear(Coalesce("decided_on", "start_date")),
        )

    def for_year(self, year: int):
        """Projects running some time in `year` (by their period; open ends count as ongoing)."""
        starts = Q(start_date__isnull=True) | Q(start_date__year__lte=year)
        ends = Q(end_date__isnull=True) | Q(end_date__year__gte=year)
        return self.filter(
            starts & ends & (Q(start_date__isnull=False) | Q(end_date__isnull=False))
        )

    def funding_by_year_and_programme(self) -> list[dict]:
        """The county's granted share in EUR per grant year and programme: rows of
        {"year", "programme" (a Programme or None for other), "amount", "count"}, by year and
        programme name. Call on a visible queryset (.public() for public pages)."""
        rows = (
            self.granted()
            .with_grant_year()
            .filter(grant_year__isnull=False)
            .order_by()
            .values("grant_year", "programme")
            .annotate(
                amount=Coalesce(Sum("county_share_eur"), Value(Decimal(0))), count=Count("pk")
            )
        )
        rows = list(rows)
        programmes = Programme.objects.in_bulk({r["programme"] for r in rows if r["programme"]})
        result = [
            {
                "year": r["grant_year"],
                "programme": programmes.get(r["programme"]),
                "amount": r["amount"],
                "count": r["count"],
            }
            for r in rows
        ]
        return sorted(
            result, key=lambda r: (r["year"], r["programme"] is None, str(r["programme"] or ""))
        )

    def success_rate(self) -> dict:
        """Granted applications ÷ decided applications: {"granted", "decided", "rate"} with
        rate a fraction between 0 and 1, or None when nothing was decided yet."""
        counts = self.aggregate(
            granted=Count("pk", filter=Q(state__in=GRANTED_STATES)),
            decided=Count("pk", filter=Q(state__in=DECIDED_STATES)),
        )
        decided = counts["decided"]
        counts["rate"] = counts["granted"] / decided if decided else None
        return counts


class Project(models.Model):
    """A project the county applies for or takes part in, with its funding."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("programme"),
        help_text=_("Empty for other funding than the EU programmes."),
    )
    call = models.CharField(_("call"), max_length=200, blank=True)
    role = models.CharField(_("the county's role"), max_length=20, choices=Role)
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.IDEA)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    applied_on = models.DateField(
        _("application sent on"),
        null=True,
        blank=True,
        help_text=_("Set to today when the state becomes “Application sent”, unless given."),
    )
    decided_on = models.DateField(
        _("decision on"),
        null=True,
        blank=True,
        help_text=_(
            "The date of the grant or rejection; set to today when the state becomes "
            "“Granted” or “Rejected”, unless given."
        ),
    )
    total_budget_eur = models.DecimalField(
        _("total budget (EUR)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    county_share_eur = models.DecimalField(
        _("the county's share (EUR)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The part of the budget that goes to the county."),
    )
    eur_nok_rate = models.DecimalField(
        _("exchange rate (NOK per EUR)"),
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("For the share's value in NOK, e.g. Norges Bank's rate on the date below."),
    )
    rate_date = models.DateField(_("date of the exchange rate"), null=True, blank=True)
    partners = models.ManyToManyField(
        BilateralPartner, blank=True, related_name="projects", verbose_name=_("partner regions")
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="projects", verbose_name=_("organisations")
    )
    other_partners = models.TextField(
        _("other partners"),
        max_length=2000,
        blank=True,
        help_text=_("Other partner organisations, one per line."),
    )
    commitments = models.ManyToManyField(
        Commitment, blank=True, related_name="projects", verbose_name=_("commitments it serves")
    )
    description = models.TextField(_("description"), max_length=5000, blank=True)
    website = models.URLField(_("website"), blank=True, validators=[web_link])
    county = attributed_county("projects", _("The county authority that takes part."))
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Internal projects are shown to staff only.")
    )
    is_example = example_flag()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[partners, organisations, commitments])
    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name", "pk"]
        indexes = [models.Index(fields=["is_public", "state"], name="project_public_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_budget_eur__isnull=True) | Q(total_budget_eur__gte=0),
                name="project_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(county_share_eur__isnull=True) | Q(county_share_eur__gte=0),
                name="project_share_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(county_share_eur__isnull=True)
                | Q(total_budget_eur__isnull=True)
                | Q(county_share_eur__lte=F("total_budget_eur")),
                name="project_share_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(eur_nok_rate__isnull=True) | Q(eur_nok_rate__gt=0),
                name="project_rate_positive",
            ),
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return f"{self.acronym} – {self.name}" if self.acronym else self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self._free_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("projects:project", args=[self.slug])

    def _free_slug(self) -> str:
        """A slug from the acronym (or the name) that no other project has."""
        base = slugify(self.acronym or self.name)[:70] or "prosjekt"
        taken = set(Project.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, n = base, 2
        while slug in taken or slug in RESERVED_SLUGS:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def clean(self) -> None:
        errors = {}
        total, share = self.total_budget_eur, self.county_share_eur
        if total is not None and total < 0:
            errors["total_budget_eur"] = _("The budget cannot be negative.")
        if share is not None and share < 0:
            errors["county_share_eur"] = _("The county's share cannot be negative.")
        elif share is not None and total is not None and share > total:
            errors["county_share_eur"] = _("The county's share cannot be larger than the total.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.eur_nok_rate is not None and self.eur_nok_rate <= 0:
            errors["eur_nok_rate"] = _("The exchange rate must be larger than zero.")
        if self.eur_nok_rate is not None and self.rate_date is None:
            errors["rate_date"] = _("Give the date of the exchange rate.")
        previous = self._saved_state()
        if previous and self.state != previous and self.state not in TRANSITIONS[State(previous)]:
            errors["state"] = _("A project cannot go from “%(old)s” to “%(new)s”.") % {
                "old": State(previous).label,
                "new": State(self.state).label if self.state in State.values else self.state,
            }
        if errors:
            raise ValidationError(errors)
        self._stamp_state_date(previous)

    def _saved_state(self) -> str | None:
        if self._state.adding or not self.pk:
            return None
        return Project.objects.filter(pk=self.pk).values_list("state", flat=True).first()

    def _stamp_state_date(self, previous: str | None) -> None:
        """Keep the date of each state: entering it sets its date, unless one was given."""
        if self.state == previous:
            return
        today = timezone.localdate()
        if self.state == State.APPLICATION_SENT and self.applied_on is None:
            self.applied_on = today
        if self.state in (State.GRANTED, State.REJECTED) and self.decided_on is None:
            self.decided_on = today
        if self.state == State.RUNNING and self.start_date is None:
            self.start_date = today
        if self.state == State.CLOSED and self.end_date is None:
            self.end_date = max(today, self.start_date or today)

    def next_states(self) -> list[str]:
        """The states the project may be set to now: its own and the next ones."""
        saved = self._saved_state() if self.pk else None
        if saved is None:
            return list(State.values)
        return [saved, *(s.value for s in State if s in TRANSITIONS[State(saved)])]

    @property
    def county_share_nok(self) -> Decimal | None:
        """The county's share in NOK at the stored rate: the one place it is computed."""
        if self.county_share_eur is None or self.eur_nok_rate is None:
            return None
        return (self.county_share_eur * self.eur_nok_rate).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )

    @property
    def is_granted(self) -> bool:
        return self.state in GRANTED_STATES

    @property
    def other_partner_list(self) -> list[str]:
        return [line.strip() for line in self.other_partners.splitlines() if line.strip()]

    @staticmethod
    def can_register(user) -> bool:
        """Staff and editors register projects and update any project (a shared register)."""
        return user.is_authenticated and user.has_perm("projects.add_project")

    def can_edit(self, user) -> bool:
        return user.is_authenticated and user.has_perm("projects.change_project")


class ProjectLink(models.Model):
    """A link about a project: its own site, a news item, the programme's project page."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="links", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), validators=[web_link])

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.title

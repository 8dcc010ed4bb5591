import calendar
import dataclasses
import datetime

from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField, LazyTypedChoiceField

# Links are opened in a browser: http(s) only. Django's URLField also takes ftp and ftps.
web_link = URLValidator(schemes=["http", "https"])


class CountryChoiceField(LazyTypedChoiceField):
    """A country from the list; a code typed in lower case or with spaces ("lt ", from a
    spreadsheet or an old form) is read as the code."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class CountryCodeField(CountryField):
    """An ISO 3166 country: stored as its two-letter code, shown as its name in the page's
    language (`.name`), checked against the list wherever a form or full_clean() reads it."""

    def formfield(self, **kwargs):
        kwargs.setdefault("choices_form_class", CountryChoiceField)
        return super().formfield(**kwargs)


class PlaceQuerySet(models.QuerySet):
    def on_map(self):
        """The relations the partner map marks: active ones with a place. An ended relation
        (not active) is not on the map, as it is not in the partner list."""
        return self.filter(active=True, latitude__isnull=False, longitude__isnull=False)

    def not_on_map(self):
        """Active relations without a place (a constraint keeps both coordinates or neither)."""
        return self.filter(active=True, latitude__isnull=True)


class Place(models.Model):
    """Where a relation is marked on the partner map (partners/map.py): a city, or a point
    standing for a region. Both coordinates or neither."""

    place = models.CharField(
        _("place"),
        max_length=100,
        blank=True,
        help_text=_("The city or region the map marks, e.g. Kaunas or Brussels."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Degrees north, from -90 to 90 (south is negative), e.g. 54.8985."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Degrees east, from -180 to 180 (west is negative), e.g. 23.9036."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(class)s_latitude_range",
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
            ),
            models.CheckConstraint(
                name="%(class)s_longitude_range",
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
            ),
            models.CheckConstraint(
                name="%(class)s_both_coordinates_or_neither",
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                violation_error_message=_(
                    "Give both latitude and longitude, or neither (then it is not on the map)."
                ),
            ),
        ]


# Relationship health (staff pages only): a relation is quiet after this long without an
# activity, and needs attention when its agreement or one of its seats ends within ENDS_SOON_DAYS.
QUIET_MONTHS = 12
ENDS_SOON_DAYS = 90


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day where it has fewer days)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _activities_of(model):
    """The activity side's manager, reached through the relation (this app imports nothing
    from priorities)."""
    return model.activities.rel.related_model.objects


class RelationQuerySet(PlaceQuerySet):
    """Relationship health of partners and organisations: decided here and nowhere else."""

    def _ends_soon(self, today: datetime.date) -> Exists:
        raise NotImplementedError

    def with_health(self, user=None, *, today: datetime.date | None = None):
        """Annotated with `last_contact` (the latest activity `user` may see, up to today),
        `is_quiet` (none in the last QUIET_MONTHS months) and `ends_soon` (an agreement or a
        seat ends within ENDS_SOON_DAYS days). Anonymous visitors' counts are public only."""
        today = today or timezone.localdate()
        visible = _activities_of(self.model).visible_q(user, prefix="activities")
        last_contact = Max(
            "activities__start_date", filter=visible & Q(activities__start_date__lte=today)
        )
        quiet_since = months_before(today, QUIET_MONTHS)
        return self.annotate(
            last_contact=last_contact,
            is_quiet=models.Case(
                models.When(last_contact__gt=quiet_since, then=False),
                default=True,
                output_field=models.BooleanField(),
            ),
            ends_soon=self._ends_soon(today),
        )

    def needing_attention(self, user=None, *, today: datetime.date | None = None):
        """Active relations that are quiet or end soon (the staff list on "My work")."""
        return (
            self.filter(active=True)
            .with_health(user, today=today)
            .filter(Q(is_quiet=True) | Q(ends_soon=True))
        )


def activities_per_year(relation, user) -> list[dict]:
    """The activities of a partner or an organisation that `user` may see, counted per year
    (newest first, years without any included between the first and the last)."""
    counts = dict(
        relation.activities.visible_to(user)
        .order_by()
        .annotate(year=ExtractYear("start_date"))
        .values_list("year")
        .annotate(count=models.Count("pk"))
        .values_list("year", "count")
    )
    if not counts:
        return []
    return [{"year": y, "count": counts.get(y, 0)} for y in range(max(counts), min(counts) - 1, -1)]


class OrganisationQuerySet(RelationQuerySet):
    def active(self):
        return self.filter(active=True)

    def _ends_soon(self, today: datetime.date) -> Exists:
        ending = Seat.objects.ending_within(ENDS_SOON_DAYS, today=today)
        return Exists(ending.filter(organisation=OuterRef("pk")))


class Organisation(Place):
    """A member organisation, network or arena the county takes part in."""

    class Kind(models.TextChoices):
        MEMBER_ORGANISATION = "member_organisation", _("Member organisation")
        NETWORK = "network", _("Network")
        POLITICAL_COUNCIL = "political_council", _("Political council")
        PROGRAMME_COMMITTEE = "programme_committee", _("Programme committee")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind, default=Kind.OTHER)
    via = models.ForeignKey(
        "self",
        verbose_name=_("through"),
        help_text=_("Empty for a direct membership; otherwise the organisation it goes through."),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indirect_memberships",
    )
    member_since = models.PositiveSmallIntegerField(_("member since (year)"), null=True, blank=True)
    member_until = models.PositiveSmallIntegerField(_("member until (year)"), null=True, blank=True)
    seats_and_role = models.TextField(_("the county's seats and role"), blank=True)
    cost_bearer = models.CharField(_("cost bearer"), max_length=200, blank=True)
    purpose = models.TextField(_("what the county uses it for"), blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True, validators=[web_link])
    source_url = models.URLField(_("source of these facts"), blank=True, validators=[web_link])
    active = models.BooleanField(_("active"), default=True)
    # Where it is, for the map (a partner's country is part of the relation itself).
    country = CountryCodeField(_("country"), blank=True)
    held_by = models.ManyToManyField(
        "counties.County",
        blank=True,
        related_name="organisations",
        verbose_name=_("held by"),
        help_text=_("The county authority (or authorities) that holds this relation now."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta(Place.Meta):
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:organisation", args=[self.slug])

    @property
    def is_direct(self) -> bool:
        return self.via_id is None

    @property
    def is_membership(self) -> bool:
        """Whether the county is a member: a programme committee has the county's seats in a
        programme's bodies, not a membership, so no "Membership: direct" is said of it."""
        return self.kind != self.Kind.PROGRAMME_COMMITTEE

    def granted_projects_per_year(self, user=None, years=None) -> dict[int, int]:
        """Projects of the project register (app projects) that came out of this organisation:
        granted ones (granted, running or closed) that name it, counted by the year of the
        grant (ProjectQuerySet.with_grant_year), of those `user` may see. Reached through the
        relation, as the activities are: this app imports nothing from projects."""
        projects = (
            self.projects.model.objects.visible_to(user)
            .filter(organisations=self)
            .granted()
            .with_grant_year()
            .order_by()
        )
        if years is not None:
            projects = projects.filter(grant_year__in=years)
        return dict(
            projects.values("grant_year")
            .annotate(count=models.Count("pk"))
            .values_list("grant_year", "count")
        )

    def scorecard(self, user=None, *, years=None, today: datetime.date | None = None) -> list:
        """What the membership gave, per year (newest first): the fee, meetings attended,
        positions and consultation responses (activities of those kinds that involve it), and
        projects that came out of it. Counts are of the activities `user` may see: anonymous
        visitors count public ones only. Fees are public (a public body's membership fee is
        public information).

        Without `years`: every year with a fee or a counted activity, and the current year.
        """
        today = today or timezone.localdate()
        kinds = _activities_of(Organisation).model.Kind
        columns = {
            "meetings": SCORECARD_MEETING_KINDS,
            "positions": (kinds.POSITION,),
            "consultation_responses": (kinds.CONSULTATION_RESPONSE,),
        }
        counted = [kind for group in columns.values() for kind in group]
        activities = (
            self.activities.visible_to(user)
            .filter(kind__in=counted)
            .order_by()
            .annotate(year=ExtractYear("start_date"))
        )
        fees = self.fees.all()
        if years is not None:
            activities = activities.filter(year__in=years)
            fees = fees.filter(year__in=years)
        counts: dict[tuple[int, str], int] = {
            (row["year"], row["kind"]): row["count"]
            for row in activities.values("year", "kind").annotate(count=models.Count("pk"))
        }
        fee_by_year = {fee.year: fee for fee in fees}
        projects = self.granted_projects_per_year(user, years)
        if years is None:
            years = {year for year, _kind in counts} | set(fee_by_year) | set(projects)
            years |= {today.year}
        rows = []
        for year in sorted(years, reverse=True):
            row = ScorecardYear(
                year=year, fee=fee_by_year.get(year), projects=projects.get(year, 0)
            )
            for column, group in columns.items():
                setattr(row, column, sum(counts.get((year, kind), 0) for kind in group))
            rows.append(row)
        return rows


# "Meetings attended" on the scorecard: the activity kinds where the county meets the others.
SCORECARD_MEETING_KINDS = ("meeting", "conference", "network_work")


@dataclasses.dataclass
class ScorecardYear:
    year: int
    fee: "MembershipFee | None"
    projects: int
    meetings: int = 0
    positions: int = 0
    consultation_responses: int = 0


class MembershipFee(models.Model):
    """The yearly membership fee the county paid to an organisation (public information)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="fees", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    amount = models.PositiveIntegerField(_("amount (NOK)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Demo content, never loaded in production.")
    )

    class Meta:
        ordering = ["organisation", "-year"]
        verbose_name = _("membership fee")
        verbose_name_plural = _("membership fees")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="fee_once_a_year",
                violation_error_message=_("This organisation already has a fee for that year."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="fee_not_negative",
                violation_error_message=_("A fee cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.amount} NOK"


class SeatQuerySet(models.QuerySet):
    def former(self, today: datetime.date | None = None):
        """Seats whose term has ended."""
        return self.filter(term_end__lt=today or timezone.localdate())

    def current(self, today: datetime.date | None = None):
        """Seats whose term has not ended (including ones that have not begun yet)."""
        today = today or timezone.localdate()
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gte=today))

    def ending_within(self, days: int, today: datetime.date | None = None):
        """Seats whose term ends from today up to and including `days` days from now."""
        today = today or timezone.localdate()
        return self.filter(term_end__range=(today, today + datetime.timedelta(days=days)))

    def with_state(self, today: datetime.date | None = None):
        """Each seat with `is_current` (one of current()) and `ends_soon` (one of
        ending_within(ENDS_SOON_DAYS)), for a list of seats read at once."""
        today = today or timezone.localdate()
        current = Seat.objects.current(today).filter(pk=OuterRef("pk"))
        ending = Seat.objects.ending_within(ENDS_SOON_DAYS, today=today).filter(pk=OuterRef("pk"))
        return self.annotate(is_current=Exists(current), ends_soon=Exists(ending))


class Seat(models.Model):
    """A seat the county holds in one of an organisation's bodies, and who holds it."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        BOARD_MEMBER = "board_member", _("Board member")
        OBSERVER = "observer", _("Observer")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="seats", verbose_name=_("organisation")
    )
    body = models.CharField(
        _("body"), max_length=200, help_text=_("The board, committee or assembly the seat is in.")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    representative = models.CharField(_("representative"), max_length=200)
    deputy = models.CharField(_("deputy"), max_length=200, blank=True)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Demo content, never loaded in production.")
    )

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-term_start", "body", "pk"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="seat_term_ends_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.body} ({self.get_role_display()})"


# How far ahead the admin warns about agreements that run out (list filter and dashboard).
AGREEMENT_NOTICE_DAYS = 180


class BilateralPartnerQuerySet(RelationQuerySet):
    def _ends_soon(self, today: datetime.date) -> Exists:
        expiring = BilateralPartner.objects.agreement_expiring(days=ENDS_SOON_DAYS, today=today)
        return Exists(expiring.filter(pk=OuterRef("pk")))

    def agreement_expiring(self, *, days: int = AGREEMENT_NOTICE_DAYS, today=None):
        """Agreements that expire from today up to and including `days` days from now."""
        today = today or timezone.localdate()
        return self.filter(agreement_expires__range=(today, today + datetime.timedelta(days=days)))

    def agreement_expired(self, *, today=None):
        return self.filter(agreement_expires__lt=today or timezone.localdate())


class BilateralPartner(Place):
    """A region the county has a bilateral cooperation agreement with."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = CountryCodeField(_("country"))
    cooperation_since = models.PositiveSmallIntegerField(
        _("cooperation since (year)"), null=True, blank=True
    )
    themes = models.TextField(_("themes"), blank=True)
    agreement = models.TextField(_("agreement"), blank=True)
    agreement_signed = models.DateField(_("agreement signed"), null=True, blank=True)
    agreement_renewed = models.DateField(_("agreement renewed"), null=True, blank=True)
    agreement_expires = models.DateField(_("agreement expires"), null=True, blank=True)
    agreement_url = models.URLField(_("agreement document"), blank=True, validators=[web_link])
    coordinated_through = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinated through"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_partners",
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True, validators=[web_link])
    source_url = models.URLField(_("source of these facts"), blank=True, validators=[web_link])
    active = models.BooleanField(_("active"), default=True)
    held_by = models.ManyToManyField(
        "counties.County",
        blank=True,
        related_name="partners",
        verbose_name=_("held by"),
        help_text=_("The county authority (or authorities) that holds this relation now."),
    )

    objects = BilateralPartnerQuerySet.as_manager()

    class Meta(Place.Meta):
        ordering = ["name"]
        verbose_name = _("bilateral partner")
        verbose_name_plural = _("bilateral partners")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:partner", args=[self.slug])


class Programme(models.Model):
    """An EU cooperation programme the county may take part in."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    period_start = models.PositiveSmallIntegerField(_("period from (year)"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("period to (year)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True, validators=[web_link])

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.short_name or self.name

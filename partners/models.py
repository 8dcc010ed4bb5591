import datetime

from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
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


class OrganisationQuerySet(PlaceQuerySet):
    def active(self):
        return self.filter(active=True)


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


# How far ahead the admin warns about agreements that run out (list filter and dashboard).
AGREEMENT_NOTICE_DAYS = 180


class BilateralPartnerQuerySet(PlaceQuerySet):
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

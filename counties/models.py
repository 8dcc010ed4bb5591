import datetime
import hashlib

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CountyQuerySet(models.QuerySet):
    def existing(self, today: datetime.date | None = None):
        """County authorities that exist today: not dissolved, or dissolved later."""
        today = today or timezone.localdate()
        return self.filter(models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__gt=today))

    def for_attribution(self, record=None):
        """The county authorities an activity or a status update may be attributed to: those
        that exist; for a record already saved (one logged before a split), any, so that what
        an old record says about who did it can be kept or told truly."""
        if record is not None and record.pk:
            return self.all()
        return self.existing()


class AttributedQuerySet(models.QuerySet):
    """Records attributed to a county authority (activities, status updates, measures: the
    `county` field of priorities.models.attributed_county)."""

    def for_county(self, county):
        """Those attributed to `county` (a County), or all of them when it is None: the county
        filter of the search, the yearly report and its downloads, the API and the plan."""
        if county is None:
            return self
        return self.filter(county=county)


class County(models.Model):
    """A county authority (fylkeskommune): one that adopted a strategy, or runs the portal."""

    class LogoType(models.TextChoices):
        SVG = "image/svg+xml", "SVG"
        PNG = "image/png", "PNG"

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    # Kept in the database: production serves no uploaded media (WhiteNoise serves static
    # files only), so counties.views.logo serves it. Set through CountyForm, checked there.
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    logo_type = models.CharField(
        _("logo file type"), max_length=20, choices=LogoType, blank=True, editable=False
    )
    logo_hash = models.CharField(max_length=64, blank=True, editable=False)
    existed_from = models.DateField(_("existed from"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        verbose_name=_("successors"),
    )

    objects = CountyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("county authority")
        verbose_name_plural = _("county authorities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dissolved_on__isnull=True)
                | models.Q(existed_from__isnull=True)
                | models.Q(dissolved_on__gt=models.F("existed_from")),
                name="county_dissolved_after_it_existed",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_dissolved(self, today: datetime.date | None = None) -> bool:
        return self.dissolved_on is not None and self.dissolved_on <= (
            today or timezone.localdate()
        )

    def current_successors(self, today: datetime.date | None = None) -> list["County"]:
        """Who carries on for this county today: itself while it exists; once dissolved, its
        successors, and theirs in turn if a successor was dissolved too (in name order)."""
        found, seen, todo = [], {self.pk}, [self]
        while todo:
            county = todo.pop(0)
            if not county.is_dissolved(today):
                found.append(county)
                continue
            for successor in county.successors.all():
                if successor.pk not in seen:
                    seen.add(successor.pk)
                    todo.append(successor)
        return sorted(found, key=lambda county: county.name)

    def set_logo(self, data: bytes, content_type: str) -> None:
        """Store an already checked logo (counties.logos.checked_logo); empty removes it."""
        self.logo = data
        self.logo_type = content_type if data else ""
        self.logo_hash = hashlib.sha256(data).hexdigest() if data else ""

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_hash)

    def logo_url(self) -> str:
        extension = "svg" if self.logo_type == self.LogoType.SVG else "png"
        path = reverse("counties:logo", kwargs={"slug": self.slug, "extension": extension})
        # The content hash in the URL: a new logo is a new URL, so the old one may be cached
        # for a year.
        return f"{path}?v={self.logo_hash[:16]}"


class PortalOwnerQuerySet(models.QuerySet):
    def get_owner(self) -> "PortalOwner | None":
        """The one owner row with its county, or None while none is set (one query)."""
        return self.select_related("county").filter(pk=PortalOwner.SINGLETON_ID).first()


class PortalOwner(models.Model):
    """The county that runs this portal, and its accessibility statement's contact. One row."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county authority")
    )
    accessibility_email = models.EmailField(
        _("contact e-mail for the accessibility statement"),
        blank=True,
        help_text=_("Where visitors send feedback on accessibility. Shown on the statement."),
    )
    feedback_url = models.URLField(
        _("feedback channel"),
        blank=True,
        help_text=_("Optional: a web form for feedback on accessibility."),
    )
    statement_date = models.DateField(
        _("date of the accessibility statement"),
        null=True,
        blank=True,
        help_text=_("When the statement was made or last reviewed."),
    )

    objects = PortalOwnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal owner")
        verbose_name_plural = _("portal owner")
        constraints = [
            # One row only, in the database too, not only in the admin.
            models.CheckConstraint(condition=models.Q(id=1), name="portal_owner_single_row")
        ]

    def __str__(self) -> str:
        return str(self.county)

    @property
    def has_contact(self) -> bool:
        return bool(self.accessibility_email or self.feedback_url)

"""Reporting rounds ("Rapportering 2026"): once a year every commitment's owner reports in the
Norwegian layout, Gjennomført (what was done), Vurdering (an assessment with the status) and
Videre arbeid (what comes next). An entry goes draft → submitted → approved, or back to the
owner (returned, with the editor's comment) to be fixed and submitted again. Approving an entry
records its status and assessment as the commitment's status update and freezes it; only an
editor reopens it.

Who may do what is decided by the methods here (Round.can_manage, Entry.can_write, ...), and
whether an entry is late or missing by EntryQuerySet.with_standing, nowhere else.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from planning.models import Measure
from priorities.models import Activity, Commitment, Status, Strategy, example_flag, strategy_url

DEFAULT_GRACE_DAYS = 14


class RoundQuerySet(models.QuerySet):
    def of_strategy(self, strategy: Strategy):
        return self.filter(strategy=strategy)

    def report_approved(self):
        """Rounds whose yearly report (Årsrapport) an editor has approved: public."""
        return self.filter(report_approved_at__isnull=False)

    def open_on(self, today: datetime.date | None = None):
        """The rounds open on `today`: opened, and not past the last day of their grace period
        (Round.missing_after). Before it opens a round owes nothing; after its grace period,
        what was not submitted is missing, and the round is the editors' to close."""
        today = today or timezone.localdate()
        # deadline + grace_days ≥ today, one condition per grace period in use (a handful), as
        # EntryQuerySet.with_standing does: the same SQL on SQLite and PostgreSQL.
        graces = Round.objects.order_by().values_list("grace_days", flat=True).distinct()
        within_grace = Q(pk__in=[])
        for days in graces:
            within_grace |= Q(grace_days=days, deadline__gte=today - datetime.timedelta(days))
        return self.filter(within_grace, opens_on__lte=today)


class Round(models.Model):
    """One strategy's reporting round for one year, with a deadline and a grace period."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("strategy")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("opens"), default=datetime.date.today)
    deadline = models.DateField(_("deadline"))
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=DEFAULT_GRACE_DAYS,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "Entries not submitted by the deadline are late; after the grace period, missing."
        ),
    )
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
    # The yearly report to the county council (Årsrapport): the editors' introduction, and
    # their decision that the round as a whole is the report (approve_report).
    introduction = models.TextField(
        _("introduction"),
        max_length=10000,
        blank=True,
        help_text=_("Opens the yearly report to the county council. Blank lines start paragraphs."),
    )
    report_approved_at = models.DateTimeField(_("report approved"), null=True, blank=True)
    report_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("report approved by"),
    )  # fmt: skip
    is_example = example_flag()

    history = HistoricalRecords()
    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "year"], name="unique_round_per_year")
        ]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")

    def __str__(self) -> str:
        return _("Reporting %(year)s") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return strategy_url(self.strategy_id, "reporting:round", self.year, of=self)

    def get_report_admin_url(self) -> str:
        """Where the editors write the introduction and approve the yearly report."""
        return strategy_url(self.strategy_id, "reporting:round_report", self.year, of=self)

    def get_report_url(self) -> str:
        """The public Årsrapport (once approved)."""
        return strategy_url(self.strategy_id, "reporting:annual_report", self.year, of=self)

    def get_report_pdf_url(self) -> str:
        return strategy_url(self.strategy_id, "reporting:annual_report_pdf", self.year, of=self)

    @property
    def missing_after(self) -> datetime.date:
        """The last day of the grace period."""
        return self.deadline + datetime.timedelta(days=self.grace_days)

    def clean(self) -> None:
        errors = {}
        strategy = self.strategy if self.strategy_id else None
        if strategy and self.year and not strategy.period_start <= self.year <= strategy.period_end:
            errors["year"] = _(
                "The year must be within the strategy's period, %(first)s–%(last)s."
            ) % {"first": strategy.period_start, "last": strategy.period_end}
        if self.deadline and self.opens_on and self.deadline < self.opens_on:
            errors["deadline"] = _("The deadline cannot be before the round opens.")
        if (
            strategy
            and self.year
            and Round.objects.filter(strategy=strategy, year=self.year).exclude(pk=self.pk).exists()
        ):
            errors["year"] = _("There is already a reporting round for %(year)s.") % {
                "year": self.year
            }
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def can_manage(user) -> bool:
        """Editors open rounds, return, approve and reopen entries, and see the dashboard."""
        return user.is_authenticated and user.has_perm("reporting.change_round")

    # --- The yearly report (Årsrapport) --------------------------------------------------

    @property
    def report_is_approved(self) -> bool:
        return self.report_approved_at is not None

    def report_blockers(self) -> list[str]:
        """Why the round cannot become the yearly report yet; empty when it can. THE rule:
        every entry approved, an introduction written, and not approved already."""
        if self.report_is_approved:
            return [_("The yearly report for %(year)s is approved already.") % {"year": self.year}]
        problems = []
        waiting = self.entries.exclude(state=EntryState.APPROVED).count()
        if waiting or not self.entries.exists():
            problems.append(
                ngettext(
                    "%(count)s entry is not approved yet.",
                    "%(count)s entries are not approved yet.",
                    waiting,
                )
                % {"count": waiting}
                if waiting
                else _("The round has no entries.")
            )
        if not self.introduction.strip():
            problems.append(_("Write the introduction before you approve the report."))
        return problems

    def approve_report(self, user) -> None:
        """The round becomes the public yearly report (the caller holds the row)."""
        if problems := self.report_blockers():
            raise ValidationError(problems)
        self.report_approved_at = timezone.now()
        self.report_approved_by = user
        self.save()

    def withdraw_report(self, user) -> None:
        """Back to being prepared: the report is no longer public; entries may be reopened."""
        if not self.report_is_approved:
            raise ValidationError(_("The yearly report is not approved."))
        self.report_approved_at = None
        self.report_approved_by = None
        self.save()

    @transaction.atomic
    def open(self) -> None:
        """Save the round and give each of the strategy's commitments a draft entry, its
        Gjennomført prefilled from the year's public activities and measures."""
        self.full_clean()
        self.save()
        commitments = Commitment.objects.of_strategy(self.strategy)
        bulk_create_with_history(
            [
                Entry(
                    round=self,
                    commitment=c,
                    done=prefilled_done(c, self.year),
                    is_example=self.is_example,
                )
                for c in commitments
            ],
            Entry,
        )

    @staticmethod
    def can_take_part(user) -> bool:
        """Staff and editors, and owners of a commitment, see the rounds."""
        if not user.is_authenticated:
            return False
        return user.has_perm("reporting.view_round") or user.owned_commitments.exists()

    def summary(self, today: datetime.date | None = None) -> dict:
        """The dashboard: per owner (and for commitments without one) how many of their
        entries stand where (Standing) as of `today`, and the totals."""
        entries = list(
            self.entries.with_standing(today)
            .select_related("commitment__priority")
            .prefetch_related("commitment__owners")
        )
        rows: dict = {}
        totals = dict.fromkeys(Standing.values, 0)
        for entry in entries:
            totals[entry.standing] += 1
            for owner in entry.commitment.owners.all() or [None]:
                row = rows.setdefault(
                    owner.pk if owner else None,
                    {"owner": owner, "counts": dict.fromkeys(Standing.values, 0), "entries": []},
                )
                row["counts"][entry.standing] += 1
                row["entries"].append(entry)
        people = sorted(
            (r for k, r in rows.items() if k is not None),
            key=lambda r: (r["owner"].get_full_name() or r["owner"].get_username()).lower(),
        )
        nobody = [rows[None]] if None in rows else []
        return {
            "columns": Standing.choices,
            "rows": people + nobody,
            "totals": totals,
            "entries": entries,
        }

    def entries_for(self, user):
        """The entries `user` writes: all for editors, their own commitments' for owners."""
        entries = self.entries.select_related("commitment__priority")
        if self.can_manage(user):
            return entries
        if not user.is_authenticated:
            return entries.none()
        return entries.filter(commitment__owners=user)


def prefilled_done(commitment: Commitment, year: int) -> str:
    """Gjennomført as a starting point: the year's public activities and measures, one a line."""
    lines = [
        f"– {a.title} ({a.start_date:%d.%m.%Y})"
        for a in Activity.objects.public()
        .filter(commitment=commitment)
        .for_year(year)
        .order_by("start_date", "pk")
    ]
    lines += [
        f"– {m.title}"
        for m in Measure.objects.public()
        .filter(commitment=commitment, year=year)
        .order_by("deadline", "pk")
    ]
    return "\n".join(lines)[: Entry._meta.get_field("done").max_length]


class EntryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Standing(models.TextChoices):
    """Where an entry stands on a day (EntryQuerySet.with_standing): the dashboard's columns."""

    NOT_YET = "not_yet", _("Not submitted yet")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")
    RETURNED = "returned", _("Returned")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


# What an owner still has to do with an entry: write and submit it, or fix and submit it again.
OWED_STATES = (EntryState.DRAFT, EntryState.RETURNED)


class EntryQuerySet(models.QuerySet):
    def awaiting_owner(self):
        """Entries the owner still has to submit (OWED_STATES): a draft, or returned to them
        (the standings not yet, late, missing and returned of with_standing)."""
        return self.filter(state__in=OWED_STATES)

    def owed_by(self, user, today: datetime.date | None = None):
        """The entries `user` owes on `today`: of rounds open that day (RoundQuerySet.open_on),
        for commitments they own, awaiting the owner. The one rule of what an owner owes, for
        "My work" and the reminders alike; editors owe nothing as editors.

        Each entry carries `days_left` (entry.days_left(today)): negative once the round's
        deadline has passed, in the grace period."""
        if not user.is_authenticated:
            return self.none()
        return self.awaiting_owner().filter(
            round__in=Round.objects.open_on(today), commitment__owners=user
        )

    def with_standing(self, today: datetime.date | None = None):
        """Annotate `standing` (Standing) as of `today`: an entry never submitted is late after
        the round's deadline and missing after its grace period. A returned entry was submitted
        (in time or not) and stays returned until it is submitted again."""
        today = today or timezone.localdate()
        not_submitted = Q(state=EntryState.DRAFT)
        # Late while the deadline is at most grace_days behind: one condition per grace period
        # in use (a handful), so the rule is the same SQL on SQLite and PostgreSQL.
        graces = Round.objects.order_by().values_list("grace_days", flat=True).distinct()
        late = [
            When(
                not_submitted
                & Q(round__grace_days=days, round__deadline__gte=today - datetime.timedelta(days)),
                then=Value(Standing.LATE.value),
            )
            for days in graces
        ]
        return self.annotate(
            standing=Case(
                When(state=EntryState.APPROVED, then=Value(Standing.APPROVED.value)),
                When(state=EntryState.SUBMITTED, then=Value(Standing.SUBMITTED.value)),
                When(state=EntryState.RETURNED, then=Value(Standing.RETURNED.value)),
                When(
                    not_submitted & Q(round__deadline__gte=today),
                    then=Value(Standing.NOT_YET.value),
                ),
                *late,
                default=Value(Standing.MISSING.value),
                output_field=models.CharField(),
            )
        )


class Entry(models.Model):
    """A commitment's report in a round: Gjennomført, Vurdering (text and status), Videre arbeid."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="entries", verbose_name=_("reporting round")
    )
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="report_entries",
        verbose_name=_("commitment"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=EntryState, default=EntryState.DRAFT
    )
    done = models.TextField(_("Done"), max_length=10000, blank=True)
    assessment = models.TextField(_("Assessment"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, blank=True)
    next_steps = models.TextField(_("Further work"), max_length=5000, blank=True)
    return_comment = models.TextField(_("comment to the owner"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("submitted by"),
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("approved by"),
    )  # fmt: skip
    status_update = models.ForeignKey(
        "priorities.StatusUpdate", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("status update"),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    is_example = example_flag()

    history = HistoricalRecords()
    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["round", "commitment__priority__number", "commitment__number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "commitment"], name="unique_entry_per_round")
        ]
        verbose_name = _("report entry")
        verbose_name_plural = _("report entries")

    def __str__(self) -> str:
        return f"{self.round}: {self.commitment.code}"

    def get_absolute_url(self) -> str:
        return strategy_url(
            self.round.strategy_id, "reporting:entry", self.round.year, self.pk, of=self.round
        )

    def clean(self) -> None:
        if (
            self.round_id
            and self.commitment_id
            and self.commitment.priority.strategy_id != self.round.strategy_id
        ):
            raise ValidationError(
                {"commitment": _("The commitment must belong to the round's strategy.")}
            )

    def days_left(self, today: datetime.date | None = None) -> int:
        """Days from `today` to the round's deadline: 0 on the day, negative when late."""
        return (self.round.deadline - (today or timezone.localdate())).days

    @property
    def is_returned(self) -> bool:
        return self.state == EntryState.RETURNED

    @property
    def standing_label(self) -> str:
        """The label of `standing` (annotated by EntryQuerySet.with_standing())."""
        return Standing(self.standing).label

    # --- Who may do what ---------------------------------------------------------------

    def is_owner(self, user) -> bool:
        return user.is_authenticated and self.commitment.owners.filter(pk=user.pk).exists()

    def can_view(self, user) -> bool:
        """Staff and editors read every entry; owners their own."""
        return user.is_authenticated and (
            user.has_perm("reporting.view_entry") or self.is_owner(user)
        )

    def can_write(self, user) -> bool:
        """The commitment's owners and editors, until the entry is approved."""
        return self.state != EntryState.APPROVED and (Round.can_manage(user) or self.is_owner(user))

    def can_submit(self, user) -> bool:
        return self.state in (EntryState.DRAFT, EntryState.RETURNED) and self.can_write(user)

    def can_review(self, user) -> bool:
        """Return or approve: an editor, once the entry is submitted."""
        return self.state == EntryState.SUBMITTED and Round.can_manage(user)

    def can_reopen(self, user) -> bool:
        """Not while the round is the approved yearly report: the report stays as approved."""
        return (
            self.state == EntryState.APPROVED
            and not self.round.report_is_approved
            and Round.can_manage(user)
        )

    # --- Transitions (the caller holds the row: select_for_update in a transaction) ----------

    def missing_for_submission(self) -> dict:
        errors = {}
        if not self.assessment.strip():
            errors["assessment"] = _("Write an assessment before you submit.")
        if not self.status:
            errors["status"] = _("Choose a status before you submit.")
        return errors

    def submit(self, user) -> None:
        errors = self.missing_for_submission()
        if errors:
            raise ValidationError(errors)
        self.state = EntryState.SUBMITTED
        self.submitted_at = timezone.now()
        self.submitted_by = user
        self.save()

    def return_to_owner(self, user, comment: str) -> None:
        self.state = EntryState.RETURNED
        self.return_comment = comment
        self.save()

    def approve(self, user) -> None:
        """Approve and record the status and assessment as the commitment's status update."""
        self.status_update = self.commitment.set_status(
            status=self.status,
            assessment=self.assessment,
            author=self.submitted_by or user,
            is_example=self.is_example,
        )
        self.state = EntryState.APPROVED
        self.approved_at = timezone.now()
        self.approved_by = user
        self.return_comment = ""
        self.save()

    def reopen(self, user) -> None:
        """Back to submitted: the editor may change it, return it or approve it again."""
        self.state = EntryState.SUBMITTED
        self.approved_at = None
        self.approved_by = None
        self.save()

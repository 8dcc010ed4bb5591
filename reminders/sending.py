"""Who gets which reminder today, and one e-mail per person with all their items.

`due_items(today)` decides what is due (the rules: the round's steps below, the measures'
MeasureQuerySet.overdue, the commitments' CommitmentQuerySet.stale); `send_reminders(today)`
claims each item in SentReminder and sends, in one transaction per person.
"""

import datetime
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Profile
from planning.models import Measure
from priorities.models import Commitment
from reporting.models import Round

from .models import Kind, SentReminder

logger = logging.getLogger(__name__)

# Days before a round's deadline that owners are reminded on; after it, once a week until
# the grace period ends.
DAYS_BEFORE = (14, 3)


def deadline_step(the_round: Round, today: datetime.date) -> str | None:
    """The reminder step of `the_round` due on `today`, as days from its deadline: "-14",
    "-3", "+0", then "+7", "+14" … to the end of the grace period; None outside the window.

    A step is due from its day until the next one's, so a day the command did not run is
    caught up the next day, once.
    """
    offset = (today - the_round.deadline).days
    if today < the_round.opens_on or today > the_round.missing_after or offset < -DAYS_BEFORE[0]:
        return None
    before = [days for days in DAYS_BEFORE if -days <= offset]
    step = -min(before) if offset < 0 else offset // 7 * 7
    return f"{step:+d}"


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Item:
    kind: str
    object_id: int
    period: str
    obj: object = None

    @property
    def key(self) -> tuple:
        return (self.kind, self.object_id, self.period)


@dataclass
class Recipient:
    user: object
    items: list[Item] = field(default_factory=list)


def due_items(today: datetime.date) -> dict[int, Recipient]:
    """Every person with something due today (an e-mail address, active), and their items."""
    people: dict[int, Recipient] = {}

    def add(user, item: Item) -> None:
        if user.is_active and user.email:
            people.setdefault(user.pk, Recipient(user)).items.append(item)

    User = get_user_model()
    # Owners of entries still to be submitted in a round open today (RoundQuerySet.open_on,
    # the rule "My work" asks too) at a reminder step today.
    rounds = Round.objects.open_on(today).select_related("strategy")
    for the_round in rounds:
        step = deadline_step(the_round, today)
        if step is None:
            continue
        entries = (
            the_round.entries.awaiting_owner()
            .with_standing(today)
            .select_related("round__strategy", "commitment__priority")
            .prefetch_related("commitment__owners__profile")
        )
        for entry in entries:
            for owner in entry.commitment.owners.all():
                add(owner, Item(Kind.ROUND_DEADLINE, entry.pk, step, entry))

    # Responsible persons of measures past their deadline, once a week.
    week = iso_week(today)
    measures = (
        Measure.objects.overdue(today)
        .filter(responsible__isnull=False)
        .select_related("responsible__profile", "commitment__priority__strategy")
    )
    for measure in measures:
        # An ended strategy's plan is history: its unfinished measures are not chased.
        if not measure.commitment.priority.strategy.is_archived:
            add(measure.responsible, Item(Kind.MEASURE_OVERDUE, measure.pk, week, measure))

    # Owners' commitments going quiet (the workspace's staleness rule), weekly, unless the
    # owner turned the digest off.
    quiet = defaultdict(list)
    commitments = (
        Commitment.objects.exclude(owners=None)
        .select_related("priority__strategy")
        .with_freshness(today)
        .stale()
        .prefetch_related("owners__profile")
    )
    for commitment in commitments:
        if commitment.priority.strategy.is_archived:
            continue
        for owner in commitment.owners.all():
            quiet[owner.pk].append(commitment)
    owners = {u.pk: u for u in User.objects.filter(pk__in=quiet).select_related("profile")}
    for pk, stale in quiet.items():
        owner = owners[pk]
        if Profile.of(owner).weekly_digest:
            add(owner, Item(Kind.DIGEST, 0, week, stale))
    return people


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def reminder_message(user, items: list[Item], today: datetime.date) -> EmailMultiAlternatives:
    """The e-mail with all of a person's items, in their language, with links."""
    with translation.override(Profile.of(user).language):
        ctx = {
            "user": user,
            "name": user.get_full_name() or user.get_username(),
            "today": today,
            "entries": [
                {
                    "entry": item.obj,
                    "url": absolute(item.obj.get_absolute_url()),
                    "days_left": (item.obj.round.deadline - today).days,
                }
                for item in items
                if item.kind == Kind.ROUND_DEADLINE
            ],
            "measures": [
                {"measure": item.obj, "url": absolute(item.obj.get_absolute_url())}
                for item in items
                if item.kind == Kind.MEASURE_OVERDUE
            ],
            "quiet": [
                {"commitment": c, "url": absolute(c.get_absolute_url())}
                for item in items
                if item.kind == Kind.DIGEST
                for c in item.obj
            ],
            "preferences_url": absolute(reverse("preferences")),
        }
        subject = _("Strategiportalen: what needs your attention")
        body = render_to_string("reminders/reminder_email.txt", ctx)
    return EmailMultiAlternatives(subject, body, to=[user.email])


# What a refused or failed send raises: the SMTP server's refusals and a lost connection.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def send_to(recipient: Recipient, today: datetime.date, connection, already: set) -> int:
    """Claim the person's items not sent yet and send them in one e-mail, in one transaction:
    if the send fails, the claims roll back. Returns how many items went out."""
    with transaction.atomic():
        claimed = []
        for item in recipient.items:
            if (recipient.user.pk, *item.key) in already:
                continue
            try:
                # A savepoint per item: a concurrent run that claimed it first makes this
                # insert fail (on PostgreSQL, after waiting for that run to commit).
                with transaction.atomic():
                    SentReminder.objects.create(
                        user=recipient.user,
                        kind=item.kind,
                        object_id=item.object_id,
                        period=item.period,
                    )
            except IntegrityError:
                continue
            claimed.append(item)
        if claimed:
            message = reminder_message(recipient.user, claimed, today)
            # Opened once and kept open for the run (a no-op when it is open already).
            connection.open()
            connection.send_messages([message])
    return len(claimed)


def send_reminders(today: datetime.date | None = None) -> dict:
    """Send today's reminders. Returns counts: e-mails sent, items, people whose send failed."""
    today = today or timezone.localdate()
    people = due_items(today)
    already = set(
        SentReminder.objects.filter(user__in=list(people)).values_list(
            "user_id", "kind", "object_id", "period"
        )
    )
    counts = {"emails": 0, "items": 0, "failed": 0}
    connection = mailers.default
    try:
        for recipient in people.values():
            try:
                items = send_to(recipient, today, connection, already)
            except SEND_ERRORS as error:
                logger.warning(
                    "Reminder to user %s not sent (retried next run): %s", recipient.user.pk, error
                )
                counts["failed"] += 1
                # Start afresh for the next person: the server may have dropped us.
                connection.close()
                continue
            if items:
                counts["emails"] += 1
                counts["items"] += items
    finally:
        connection.close()
    return counts

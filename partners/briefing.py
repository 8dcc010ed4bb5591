"""The briefing pack: one page about a bilateral partner or an arena, printed or downloaded as
a PDF before a meeting (issue 14, item 5).

`Briefing(subject, user).sections()` is the one place that decides what the pack holds, in
order; the templates (templates/partners/briefing/_<name>.html, one per section) only show
it. Everything a reader sees goes through the activity side's rule of who sees what
(VisibleQuerySet, reached through the reverse relations: this app imports nothing from
priorities or planning), so an anonymous visitor's pack holds public items only and staff's
holds internal ones too, marked.

The parts, each one method and one template (a new part is one more entry in `sections()`):
about, the agreement (a partner) or the membership with its seats (an arena: partners.Seat,
current terms), the project register's running and recent projects (app `projects`, reached
through the relation `subject.projects`, its own visibility rule), the delegation visits of
the last twelve months with their direction, purpose, participants and follow-up agreed (the
activities' with_relations(); never the cost), the other activities, and open follow-ups.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from .models import BilateralPartner, Organisation

# "The last twelve months": from this many days before the pack's date.
PERIOD_DAYS = 365
# Projects still under way whatever their dates: applied for, granted, running.
PROJECT_STATES_PENDING = ("application_sent", "granted", "running")
# A pack is one page or two: the newest of a long list, and how many more there are.
LIST_LIMIT = 15


@dataclass
class Section:
    """One part of the pack: its template shows `context`, read as `section.<key>`."""

    name: str
    context: dict = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"partners/briefing/_{self.name}.html"

    def __getitem__(self, key: str):
        # Templates look a name up as a key first: {{ section.partner }} is context["partner"].
        return self.context[key]


@dataclass
class ActivityList:
    """The newest `items` (at most LIST_LIMIT) of `total` activities."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


class Briefing:
    def __init__(self, subject: BilateralPartner | Organisation, user, today=None):
        self.subject = subject
        self.user = user
        self.today = today or timezone.localdate()
        self.since = self.today - datetime.timedelta(days=PERIOD_DAYS)

    @property
    def is_partner(self) -> bool:
        return isinstance(self.subject, BilateralPartner)

    @cached_property
    def sees_internal(self) -> bool:
        """Whether this reader's pack holds internal items too (VisibleQuerySet's rule)."""
        return self.subject.activities.sees_internal(self.user)

    @property
    def activity_model(self):
        return BilateralPartner.activities.rel.related_model

    def visible_activities(self):
        return self.subject.activities.visible_to(self.user)

    def sections(self) -> list[Section]:
        """The pack's content, in the order it is printed."""
        parts = [self._about()]
        parts.append(self._agreement() if self.is_partner else self._membership())
        if not self.is_partner:
            parts.append(self._seats())
        parts += [self._projects(), self._visits(), self._activities(), self._follow_ups()]
        return parts

    # --- The sections ------------------------------------------------------------------------

    def _about(self) -> Section:
        return Section("about", {"subject": self.subject, "held_by": self.subject.held_by.all()})

    def _agreement(self) -> Section:
        partner = self.subject
        # The admin's rule for an agreement that runs out soon (BilateralPartnerQuerySet).
        expiring = (
            partner.agreement_expires is not None
            and BilateralPartner.objects.agreement_expiring(today=self.today)
            .filter(pk=partner.pk)
            .exists()
        )
        return Section(
            "agreement",
            {
                "partner": partner,
                "expiring": expiring,
                "expired": partner.agreement_expires is not None
                and partner.agreement_expires < self.today,
            },
        )

    def _membership(self) -> Section:
        organisation = self.subject
        return Section(
            "membership",
            {
                "organisation": organisation,
                "members_through": list(organisation.indirect_memberships.all()),
                "coordinated_partners": list(organisation.coordinated_partners.all()),
            },
        )

    def _seats(self) -> Section:
        """The seats the county holds now (partners.Seat, SeatQuerySet.current), and the
        organisation's own words on its seats and role where there are any."""
        seats = self.subject.seats.current(self.today).order_by("term_start", "pk")
        return Section(
            "seats", {"seats": list(seats), "seats_and_role": self.subject.seats_and_role}
        )

    def _projects(self) -> Section:
        """The project register's projects naming the subject, as the reader may see them:
        applied for, granted or running, and those decided or ended in the last twelve months."""
        recent = (
            Q(state__in=PROJECT_STATES_PENDING)
            | Q(end_date__gte=self.since)
            | Q(decided_on__gte=self.since)
        )
        projects = self.subject.projects.visible_to(self.user).filter(recent)
        rows = list(
            projects.select_related("programme").order_by("-start_date", "-pk")[:LIST_LIMIT]
        )
        return Section("projects", {"projects": ActivityList(rows, projects.count())})

    def _visits(self) -> Section:
        """The last twelve months' delegation visits, with the visit's details and participants
        (with_relations() loads them in a fixed number of queries)."""
        kinds = self.activity_model.Kind
        visits = self.visible_activities().filter(
            kind=kinds.DELEGATION_VISIT, start_date__range=(self.since, self.today)
        )
        return Section("visits", {"visits": self._newest(visits.with_relations())})

    def _activities(self) -> Section:
        """The last twelve months' other activities, with their outcome: visits have their own
        section (projects are the project register's, not activities)."""
        kinds = self.activity_model.Kind
        activities = (
            self.visible_activities()
            .filter(start_date__range=(self.since, self.today))
            .exclude(kind=kinds.DELEGATION_VISIT)
        )
        return Section("activities", {"activities": self._newest(activities)})

    def _follow_ups(self) -> Section:
        """Open follow-ups: the action plan's measures, still open (planning's
        MeasureQuerySet.open()), that one of the subject's activities the reader may see
        carries out, and that the reader may see themselves."""
        measures = (
            self.activity_model._meta.get_field("measure")
            .related_model.objects.visible_to(self.user)
            .open()
            .filter(
                pk__in=self.visible_activities().filter(measure__isnull=False).values("measure")
            )
            .select_related("commitment__priority", "responsible")
            .order_by("deadline", "pk")
        )
        return Section("follow_ups", {"measures": list(measures)})

    def _newest(self, activities) -> ActivityList:
        rows = list(
            activities.select_related("commitment__priority").order_by("-start_date", "-pk")[
                :LIST_LIMIT
            ]
        )
        # Counted every time, even when the list is short: the same queries for any amount.
        return ActivityList(rows, activities.order_by().count())

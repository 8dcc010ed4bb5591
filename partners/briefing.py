"""The briefing pack: one page about a bilateral partner or an arena, printed or downloaded as
a PDF before a meeting (issue 14, item 5).

`Briefing(subject, user).sections()` is the one place that decides what the pack holds, in
order; the templates (templates/partners/briefing/_<name>.html, one per section) only show
it. Everything a reader sees goes through the activity side's rule of who sees what
(VisibleQuerySet, reached through the reverse relations: this app imports nothing from
priorities or planning), so an anonymous visitor's pack holds public items only and staff's
holds internal ones too, marked.

Hooks for the parts that land later (a section is a name, a template and its context):
- seats: `_seats()` shows `Organisation.seats_and_role` today; partners.Seat replaces it.
- projects: `_projects()` lists the activities of the project kinds today; the project
  register (app `projects`, reached as `subject.projects` or the like) replaces it.
- visits: `_visits()` lists the delegation visits today; the Visit details (direction,
  purpose, participants, follow-up; cost for staff) join through `select_related("visit")`.
Each is one method and one template; a new part is one more entry in `sections()`.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from .models import BilateralPartner, Organisation

# "The last twelve months": from this many days before the pack's date.
PERIOD_DAYS = 365
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
        # Hook: partners.Seat (current and former terms) replaces the free text.
        return Section("seats", {"seats_and_role": self.subject.seats_and_role})

    def _projects(self) -> Section:
        # Hook: the project register replaces these. Running or recent: not ended before the
        # period began (an open-ended one from within the period).
        kinds = self.activity_model.Kind
        running = Q(end_date__gte=self.since) | Q(end_date__isnull=True, start_date__gte=self.since)
        projects = self.visible_activities().filter(
            running, kind__in=[kinds.PROJECT, kinds.PROJECT_APPLICATION]
        )
        return Section("projects", {"projects": self._newest(projects)})

    def _visits(self) -> Section:
        # Hook: the Visit details join here (select_related("visit")).
        kinds = self.activity_model.Kind
        visits = self.visible_activities().filter(
            kind=kinds.DELEGATION_VISIT, start_date__range=(self.since, self.today)
        )
        return Section("visits", {"visits": self._newest(visits)})

    def _activities(self) -> Section:
        """The last twelve months' other activities, with their outcome: visits and projects
        have their own sections."""
        kinds = self.activity_model.Kind
        activities = (
            self.visible_activities()
            .filter(start_date__range=(self.since, self.today))
            .exclude(kind__in=[kinds.DELEGATION_VISIT, kinds.PROJECT, kinds.PROJECT_APPLICATION])
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

"""What a person has due, across the reporting rounds and the action plan: the first section of
the staff's "My work" (template tag due_list).

What counts as owed or overdue is decided by the QuerySets (EntryQuerySet.owed_by,
MeasureQuerySet.due_for); this module only puts the two in one list, most urgent first.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from planning.models import Measure
from priorities.models import Strategy

from .models import Entry

ENTRY, MEASURE = "entry", "measure"


@dataclass(frozen=True)
class DueItem:
    kind: str  # ENTRY or MEASURE
    title: str
    url: str
    deadline: datetime.date
    days_left: int  # negative: late (an entry in the grace period) or overdue (a measure)
    code: str  # the commitment's code, "2.1"
    order: tuple[int, int]  # the commitment's place in the strategy: (priority, number)
    returned: bool = False  # an entry returned to its owner, with the editor's comment
    comment: str = ""

    @property
    def is_late(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return -self.days_left

    @property
    def sort_key(self) -> tuple:
        # Most urgent first: the most days late, then the fewest days left; of the same
        # deadline, reporting entries before measures, then by commitment and title.
        return (self.days_left, self.kind != ENTRY, self.order, self.title.lower())


def due_items(*, user, strategy: Strategy | None, today: datetime.date | None = None):
    """The entries `user` owes and the measures they are responsible for that are overdue or
    due within planning.models.DUE_SOON_DAYS, of `strategy`, sorted most urgent first.
    A fixed number of queries, however many there are."""
    if strategy is None or not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    entries = (
        Entry.objects.owed_by(user, today)
        .filter(round__strategy=strategy)
        .select_related("round__strategy", "commitment__priority")
    )
    measures = (
        Measure.objects.due_for(user, today)
        .of_strategy(strategy)
        .select_related("commitment__priority__strategy")
    )
    items = [
        DueItem(
            kind=ENTRY,
            title=str(entry.round),
            url=entry.get_absolute_url(),
            deadline=entry.round.deadline,
            days_left=entry.days_left(today),
            code=entry.commitment.code,
            order=(entry.commitment.priority.number, entry.commitment.number),
            returned=entry.is_returned,
            comment=entry.return_comment if entry.is_returned else "",
        )
        for entry in entries
    ]
    items += [
        DueItem(
            kind=MEASURE,
            title=measure.title,
            url=measure.get_absolute_url(),
            deadline=measure.deadline,
            days_left=measure.days_left(today),
            code=measure.commitment.code,
            order=(measure.commitment.priority.number, measure.commitment.number),
        )
        for measure in measures
    ]
    return sorted(items, key=lambda item: item.sort_key)

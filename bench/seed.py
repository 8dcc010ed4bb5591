"""Benchmark data, run by bench/run.py in the benchmark's environment (never in production).

python bench/seed.py --allow-example-data setup             the staff user and an editor,
                                                           status history, this year's
                                                           reporting round; prints the URLs
python bench/seed.py --allow-example-data activities N SEED  N more example activities, and
                                                           N / 100 more measures in this
                                                           year's action plan
python bench/seed.py --allow-example-data annual_round      last year's round approved as
                                                           the yearly report (Årsrapport)
python bench/seed.py --allow-example-data full_appendix     the Årsrapport PDF's build with
                                                           a full appendix, timed (JSON)
python bench/seed.py --allow-example-data reminders N       N people with reminders due today

Everything it writes is invented (is_example=True): it refuses to run with DEBUG off unless
given --allow-example-data, as bench/run.py does for its own database.
"""

import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from partners.models import BilateralPartner  # noqa: E402
from planning.models import Measure, MeasureStateChange, State  # noqa: E402
from priorities.demo import (  # noqa: E402
    ALLOW_FLAG,
    ExampleDataRefused,
    example_activities,
    may_write_examples,
)
from priorities.models import Commitment, Priority, Status, StatusUpdate  # noqa: E402
from priorities.roles import EDITOR_GROUP, STAFF_GROUP  # noqa: E402
from projects.demo import example_projects  # noqa: E402
from reporting.models import Entry, EntryState, Round  # noqa: E402

USERNAME = "bench-staff"
EDITOR = "bench-editor"
# Measures in this year's plan per activity: 100 at 10,000 activities, 500 at 50,000.
MEASURES_PER_ACTIVITY = 1 / 100


def url(name: str, args: tuple, fallback: str) -> str:
    """The page's URL, or the path the issues give it if the page is not built yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def setup(password: str) -> None:
    user = User.objects.create_user(
        USERNAME, password=password, first_name="Benk", last_name="Eksempelsen"
    )
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    editor = User.objects.create_user(
        EDITOR, password=password, first_name="Redaktør", last_name="Eksempelsen"
    )
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    # A status history: one update a month for two years on every commitment.
    now = timezone.now()
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            commitment=commitment,
            status=list(Status)[month % 4],
            assessment="Eksempel: vurdering for benchmark.",
            created_at=now - datetime.timedelta(days=30 * month),
            is_example=True,
        )
        for commitment in Commitment.objects.all()
        for month in range(24)
    )
    priority = Priority.objects.get(number=2)
    commitment = Commitment.objects.get(priority=priority, number=1)
    partner = BilateralPartner.objects.get(slug="kaunas")
    example_projects(users={})  # the project list has something to show
    year = timezone.localdate().year - 1  # the last whole year
    slug, number = priority.slug, commitment.number
    this_year = reporting_round(user, commitment)
    print(
        json.dumps(
            {
                "overview": url("priorities:overview", (), "/"),
                "priority": url("priorities:priority", (slug,), f"/prioriteringer/{slug}/"),
                "commitment": url(
                    "priorities:commitment", (slug, number), f"/prioriteringer/{slug}/{number}/"
                ),
                "partner": url("partners:partner", (partner.slug,), f"/partnere/{partner.slug}/"),
                "briefing": url(
                    "partners:partner_brief", (partner.slug,), f"/partnere/{partner.slug}/brief/"
                ),
                "briefing_pdf": url(
                    "partners:partner_brief_pdf",
                    (partner.slug,),
                    f"/partnere/{partner.slug}/brief.pdf",
                ),
                "search": url("priorities:search", (), "/aktiviteter/") + "?q=Kaunas",
                "report": url("priorities:report", (year,), f"/rapport/{year}/"),
                "projects": url("projects:list", (), "/prosjekter/"),
                "my_work": url("priorities:my_work", (), "/mitt-arbeid/"),
                "plan": url("planning:plan_year", (this_year,), f"/handlingsplan/{this_year}/"),
                "round": url("reporting:round", (this_year,), f"/rapportering/{this_year}/"),
                "log_activity": url(
                    "priorities:activity_create",
                    (slug, number),
                    f"/prioriteringer/{slug}/{number}/aktiviteter/ny/",
                ),
                "login": url("login", (), "/accounts/login/"),
                "annual_report_pdf": url(
                    "reporting:annual_report_pdf", (year,), f"/rapport/{year}/arsrapport.pdf"
                ),
            }
        )
    )


def reporting_round(staff: User, commitment: Commitment) -> int:
    """This year's round (within the strategy's period), open, due in ten days: an entry per
    commitment (Round.open), some submitted, returned and approved, so the dashboard has every
    column. The staff user owns `commitment`, so "my work" has an entry due. Returns the year."""
    strategy = commitment.priority.strategy
    today = timezone.localdate()
    year = min(max(today.year, strategy.period_start), strategy.period_end)
    commitment.owners.add(staff)
    the_round = Round(
        strategy=strategy,
        year=year,
        opens_on=min(today, datetime.date(year, 1, 1)),
        deadline=max(today, datetime.date(year, 1, 1)) + datetime.timedelta(days=10),
        is_example=True,
    )
    the_round.open()
    entries = list(the_round.entries.order_by("pk"))
    for i, entry in enumerate(entries):
        if entry.commitment_id == commitment.pk:
            continue  # the staff user's own: still to write
        state = [EntryState.DRAFT, EntryState.SUBMITTED, EntryState.RETURNED, EntryState.APPROVED][
            i % 4
        ]
        Entry.objects.filter(pk=entry.pk).update(
            state=state,
            assessment="Eksempel: vurdering for benchmark.",
            status=Status.ON_TRACK,
            return_comment="Eksempel: skriv mer." if state == EntryState.RETURNED else "",
        )
    return year


def measures(count: int, seed: int) -> None:
    """`count` more measures in the year's plan, over every commitment: a third with the
    benchmark's staff user responsible (some overdue, for "my work"), half with a state."""
    staff = User.objects.get(username=USERNAME)
    the_round = Round.objects.order_by("-year").first()
    year = the_round.year if the_round else timezone.localdate().year
    commitments = list(Commitment.objects.order_by("pk"))
    made = Measure.objects.bulk_create(
        Measure(
            commitment=commitments[(seed + i) % len(commitments)],
            year=year,
            title=f"Eksempel: tiltak {seed + i}",
            responsible_unit="Internasjonalt team",
            responsible=staff if (seed + i) % 3 == 0 else None,
            deadline=datetime.date(year, 1 + (seed + i) % 12, 1 + (seed + i) % 28),
            is_public=(seed + i) % 5 != 0,
            is_example=True,
        )
        for i in range(count)
    )
    states = [State.IN_PROGRESS, State.DONE, State.POSTPONED, State.CANCELLED]
    MeasureStateChange.objects.bulk_create(
        MeasureStateChange(
            measure=measure,
            state=states[i % len(states)],
            comment="Eksempel.",
            changed_on=datetime.date(year, 1, 1),
            is_example=True,
        )
        for i, measure in enumerate(made)
        if i % 2 == 0
    )


def activities(count: int, seed: int) -> None:
    staff = User.objects.get(username=USERNAME)
    # A third logged by the benchmark's staff user, so "my work" has plenty of its own.
    example_activities(count, seed=seed, authors=[staff, None, None])
    measures(round(count * MEASURES_PER_ACTIVITY), seed)


def annual_round(year: int | None = None) -> Round:
    """Last year's (or `year`'s) reporting round, every entry approved, approved as the
    yearly report."""
    editor = User.objects.get(username=USERNAME)
    year = year or timezone.localdate().year - 1
    the_round = Round(
        strategy=Commitment.objects.first().priority.strategy,
        year=year,
        opens_on=datetime.date(year, 11, 1),
        deadline=datetime.date(year, 12, 15),
        is_example=True,
    )
    the_round.open()
    for entry in the_round.entries.select_related("commitment"):
        entry.status = Status.ON_TRACK
        entry.assessment = "Eksempel: vurdering for benchmark.\n" * 5
        entry.done = entry.done or "Eksempel: gjennomført for benchmark."
        entry.next_steps = "Eksempel: videre arbeid for benchmark."
        entry.submit(editor)
        entry.approve(editor)
    the_round.introduction = "Eksempel: innledning for benchmark.\n\n" * 4
    the_round.approve_report(editor)
    return the_round


def full_appendix() -> None:
    """The Årsrapport's PDF at its largest: a year (two years ago) with exactly as many public
    activities as the appendix lists in full (reporting.annual.APPENDIX_LIMIT), its round
    approved. Builds the PDF once, as the task does, and prints the seconds, the rows and the
    pages as JSON; then deletes those activities, so the sizes measured later are exact."""
    from pypdf import PdfReader

    from priorities.models import Activity
    from reporting import annual

    year = timezone.localdate().year - 2
    made = example_activities(
        annual.APPENDIX_LIMIT,
        seed=year,
        first=datetime.date(year, 1, 1),
        last=datetime.date(year, 12, 31),
    )
    ids = [activity.pk for activity in made]
    Activity.objects.filter(pk__in=ids).update(is_public=True)
    the_round = annual_round(year)
    with translation.override("nb"):
        started = time.monotonic()
        key = annual.pdf_key(the_round)
        path = annual.annual_report_pdf(the_round, "https://strategi.example.no/", key)
        seconds = time.monotonic() - started
    pages = len(PdfReader(path).pages)
    Activity.objects.filter(pk__in=ids).delete()
    print(json.dumps({"seconds": seconds, "rows": len(ids), "pages": pages}))


def reminders(count: int) -> None:
    """`count` people (fictional, example.org addresses, the three languages in turn), each
    owning a commitment whose entry in this year's round is due in 14 days and responsible
    for a measure past its deadline: each is due a reminder e-mail today."""
    from accounts.models import Profile
    from planning.models import Measure
    from reporting.models import Round

    today = timezone.localdate()
    strategy = Commitment.objects.select_related("priority__strategy").first().priority.strategy
    the_round = Round.objects.filter(strategy=strategy, year=today.year).first()
    if the_round is None:
        the_round = Round(
            strategy=strategy,
            year=today.year,
            opens_on=today - datetime.timedelta(days=30),
            deadline=today + datetime.timedelta(days=14),
            is_example=True,
        )
        the_round.open()
    users = User.objects.bulk_create(
        User(
            username=f"bench-person-{n}",
            first_name="Eksempel",
            last_name=f"Person {n}",
            email=f"bench-person-{n}@example.org",
        )
        for n in range(count)
    )
    Profile.objects.bulk_create(
        Profile(user=user, language=("nb", "nn", "en")[n % 3]) for n, user in enumerate(users)
    )
    commitments = list(Commitment.objects.filter(priority__strategy=strategy))
    Commitment.owners.through.objects.bulk_create(
        Commitment.owners.through(commitment=commitments[n % len(commitments)], user=user)
        for n, user in enumerate(users)
    )
    deadline = today - datetime.timedelta(days=10)
    Measure.objects.bulk_create(
        Measure(
            commitment=commitments[n % len(commitments)],
            year=deadline.year,
            title=f"Eksempeltiltak {n}",
            responsible_unit="Internasjonalt team",
            responsible=user,
            deadline=deadline,
            is_example=True,
        )
        for n, user in enumerate(users)
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    allowed = ALLOW_FLAG in args
    args = [arg for arg in args if arg != ALLOW_FLAG]
    if not args:
        sys.exit(__doc__)
    try:
        may_write_examples("bench/seed.py", allowed=allowed)
    except ExampleDataRefused as refusal:
        sys.exit(f"Refused: {refusal}")
    command, *args = args
    if command == "setup":
        setup(os.environ["BENCH_PASSWORD"])
    elif command == "activities":
        activities(int(args[0]), int(args[1]))
    elif command == "annual_round":
        annual_round()
    elif command == "full_appendix":
        full_appendix()
    elif command == "reminders":
        reminders(int(args[0]))
    else:
        sys.exit(f"unknown command {command!r}")

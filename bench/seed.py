"""Benchmark data, run by bench/run.py in the benchmark's environment (never in production).

python bench/seed.py --allow-example-data setup             the staff user, status history;
                                                           prints the URLs
python bench/seed.py --allow-example-data activities N SEED  N more example activities
python bench/seed.py --allow-example-data reminders N       N people with reminders due today

Everything it writes is invented (is_example=True): it refuses to run with DEBUG off unless
given --allow-example-data, as bench/run.py does for its own database.
"""

import datetime
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from partners.models import BilateralPartner  # noqa: E402
from priorities.demo import (  # noqa: E402
    ALLOW_FLAG,
    ExampleDataRefused,
    example_activities,
    may_write_examples,
)
from priorities.models import Commitment, Priority, Status, StatusUpdate  # noqa: E402
from priorities.roles import STAFF_GROUP  # noqa: E402

USERNAME = "bench-staff"


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
    year = timezone.localdate().year - 1  # the last whole year
    slug, number = priority.slug, commitment.number
    print(
        json.dumps(
            {
                "overview": url("priorities:overview", (), "/"),
                "priority": url("priorities:priority", (slug,), f"/prioriteringer/{slug}/"),
                "commitment": url(
                    "priorities:commitment", (slug, number), f"/prioriteringer/{slug}/{number}/"
                ),
                "partner": url("partners:partner", (partner.slug,), f"/partnere/{partner.slug}/"),
                "search": url("priorities:search", (), "/aktiviteter/") + "?q=Kaunas",
                "report": url("priorities:report", (year,), f"/rapport/{year}/"),
                "my_work": url("priorities:my_work", (), "/mitt-arbeid/"),
                "log_activity": url(
                    "priorities:activity_create",
                    (slug, number),
                    f"/prioriteringer/{slug}/{number}/aktiviteter/ny/",
                ),
                "login": url("login", (), "/accounts/login/"),
            }
        )
    )


def activities(count: int, seed: int) -> None:
    staff = User.objects.get(username=USERNAME)
    # A third logged by the benchmark's staff user, so "my work" has plenty of its own.
    example_activities(count, seed=seed, authors=[staff, None, None])


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
    elif command == "reminders":
        reminders(int(args[0]))
    else:
        sys.exit(f"unknown command {command!r}")

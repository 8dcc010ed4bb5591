import datetime

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from partners.models import Seat
from priorities.demo import (
    ALLOW_FLAG,
    ExampleDataRefused,
    demo_loaded,
    example_activities,
    example_seats_and_fees,
    example_visits,
    may_write_examples,
)
from priorities.models import Activity, Commitment, Status, StatusUpdate
from priorities.roles import EDITOR_GROUP, STAFF_GROUP, ensure_roles

# Fictional people only: no real staff or politicians in sample content.
DEMO_PASSWORD = "demo-strategi-2030"
DEMO_USERS = [
    # username, first name, last name, group, is admin
    ("saksbehandler", "Ingrid", "Eksempelsen", STAFF_GROUP, False),
    ("saksbehandler2", "Ola", "Prøvesen", STAFF_GROUP, False),
    ("redaktor", "Kari", "Demodatter", EDITOR_GROUP, False),
    ("admin", "Per", "Testmann", None, True),
]

# A commitment's story, oldest first; each commitment gets the first one to four steps, so the
# current statuses vary and every status has its matching assessment.
STATUS_STORY = [
    (Status.NOT_STARTED, "Eksempel: arbeidet er planlagt, men ikke startet."),
    (Status.ON_TRACK, "Eksempel: aktivitetene følger handlingsplanen for året."),
    (Status.NEEDS_ATTENTION, "Eksempel: få aktiviteter siste halvår; bør prioriteres."),
    (Status.OFF_TRACK, "Eksempel: arbeidet har stoppet opp; nye tiltak er foreslått."),
]


class Command(BaseCommand):
    help = (
        "Add example activities, status updates and one demo user per role. "
        f"For development only: refuses to run when DEBUG is off, unless given {ALLOW_FLAG}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--activities", type=int, default=80)
        parser.add_argument(
            ALLOW_FLAG,
            action="store_true",
            dest="allow_example_data",
            help="Load the invented content even with DEBUG off (a demo site, never production).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        try:
            may_write_examples(
                "load_demo (example content and demo logins)",
                allowed=options["allow_example_data"],
            )
        except ExampleDataRefused as refusal:
            raise CommandError(str(refusal)) from None
        if not Commitment.objects.exists():
            raise CommandError("Load the strategy first: python manage.py load_strategy")

        ensure_roles()
        users = {}
        for username, first, last, group, is_admin in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.invalid",
                    "is_staff": is_admin,
                    "is_superuser": is_admin,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            users[username] = user

        if Activity.objects.filter(is_example=True).exists():
            self.stdout.write("Example activities already there; not adding more.")
        else:
            # The example delegation visits count among the activities asked for.
            visits = example_visits(author=users["saksbehandler"], limit=options["activities"])
            example_activities(
                options["activities"] - len(visits),
                authors=[users["saksbehandler"], users["saksbehandler2"], users["redaktor"]],
            )
            self.add_status_updates(users["redaktor"])
            editor = users["redaktor"]
            for commitment in Commitment.objects.filter(priority__number__in=[1, 2]):
                commitment.owners.add(editor)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {options['activities']} example activities, "
                    f"{len(visits)} of them delegation visits."
                )
            )

        if Seat.objects.filter(is_example=True).exists():
            self.stdout.write("Example seats and fees already there; not adding more.")
        else:
            added = example_seats_and_fees()
            self.stdout.write(self.style.SUCCESS(f"Added {added} example seats and fees."))

        # The apps above priorities add their examples (the action plan); each adds its own
        # only once, so a second run adds nothing here either.
        for _receiver, added in demo_loaded.send(sender=self.__class__, users=users):
            if added:
                self.stdout.write(self.style.SUCCESS(added))

        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, first, last, group, is_admin in DEMO_USERS:
            role = "admin" if is_admin else group
            self.stdout.write(f"  {username:<15} {first} {last} ({role})")

    def add_status_updates(self, author):
        now = timezone.now()
        for i, commitment in enumerate(Commitment.objects.order_by("priority__number", "number")):
            # Between one and three updates, oldest first, so the last is the current status.
            steps = STATUS_STORY[: 1 + i % len(STATUS_STORY)]
            for j, (status, text) in enumerate(steps):
                StatusUpdate.objects.create(
                    commitment=commitment,
                    status=status,
                    assessment=text,
                    author=author,
                    created_at=now - datetime.timedelta(days=400 * (len(steps) - j) - i),
                    is_example=True,
                )

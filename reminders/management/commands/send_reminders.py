import datetime

from django.core.management.base import BaseCommand, CommandError

from priorities.models import _end_memo, _start_memo
from reminders.sending import send_reminders


class Command(BaseCommand):
    help = (
        "Send today's reminders by e-mail: reporting deadlines to owners, measures past their "
        "deadline to the responsible persons, the weekly digest. Run it daily (README); "
        "running it again, or twice at once, sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up a missed day.",
        )

    def handle(self, *args, today=None, **options):
        # Which strategy is current, asked once for the run rather than once per link.
        _start_memo()
        try:
            counts = send_reminders(today)
        finally:
            _end_memo()
        self.stdout.write(
            f"{counts['emails']} e-mails sent ({counts['items']} reminders), "
            f"{counts['failed']} failed."
        )
        if counts["failed"]:
            raise CommandError(
                f"{counts['failed']} e-mails could not be sent; the next run tries them again."
            )

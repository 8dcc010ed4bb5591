"""E-mails a request triggers, as django.tasks tasks: the request enqueues them after its
transaction commits (transaction.on_commit) and never waits on SMTP. With the database
backend `manage.py db_worker` sends them; the immediate backend sends them at once."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Profile
from reporting.models import Entry, EntryState


def _owners_with_email(entry: Entry):
    return (
        entry.commitment.owners.filter(is_active=True).exclude(email="").select_related("profile")
    )


@task
def entry_reviewed(entry_id: int) -> int:
    """Tell the entry's owners it was returned to them (with the editor's comment) or
    approved, each in their language. Returns how many e-mails were sent."""
    entry = (
        Entry.objects.select_related("round__strategy", "commitment__priority")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or entry.state not in (EntryState.RETURNED, EntryState.APPROVED):
        # Deleted, or changed again (reopened) before the worker got to it.
        return 0
    template = (
        "reminders/entry_returned_email.txt"
        if entry.state == EntryState.RETURNED
        else "reminders/entry_approved_email.txt"
    )
    sent = 0
    for owner in _owners_with_email(entry):
        with translation.override(Profile.of(owner).language):
            ctx = {
                "name": owner.get_full_name() or owner.get_username(),
                "entry": entry,
                "url": settings.SITE_URL + entry.get_absolute_url(),
            }
            if entry.state == EntryState.RETURNED:
                subject = _("Your entry for %(code)s was returned") % {
                    "code": entry.commitment.code
                }
            else:
                subject = _("Your entry for %(code)s was approved") % {
                    "code": entry.commitment.code
                }
            body = render_to_string(template, ctx)
        sent += EmailMultiAlternatives(subject, body, to=[owner.email]).send()
    return sent

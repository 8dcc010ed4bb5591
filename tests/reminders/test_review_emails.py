"""An editor returns or approves an entry: the owners get an e-mail in their language, sent by
a django.tasks task enqueued once the change is committed (the immediate backend here)."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from accounts.models import Profile
from reporting.models import Entry, EntryState
from tests.factories import get_commitment, make_owner
from tests.reporting.helpers import entry_of, entry_url, open_round, review_data


@pytest.fixture
def submitted(strategy):
    entry = entry_of(open_round())
    Entry.objects.filter(pk=entry.pk).update(
        state=EntryState.SUBMITTED, assessment="Godt i gang.", status="on_track"
    )
    owner = make_owner(get_commitment("1.1"), "kari")
    owner.email = "kari@example.org"
    owner.save()
    Profile.objects.create(user=owner, language="nn")
    return entry


def review(editor_user, entry, action, comment=""):
    client = Client()
    client.force_login(editor_user)
    return client.post(entry_url(entry, "reporting:entry_review"), review_data(action, comment))


def test_returning_an_entry_emails_the_owner_after_commit(
    submitted, editor_user, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://strategi.example.no"
    with django_capture_on_commit_callbacks() as callbacks:
        response = review(editor_user, submitted, "return", "Skriv meir om kommunane.")
        assert response.status_code == 303
        assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()

    [message] = mail.outbox
    assert message.to == ["kari@example.org"]
    assert message.subject == "Svaret ditt for 1.1 er sendt tilbake"
    assert "Kommentaren frå redaktøren:\nSkriv meir om kommunane." in message.body
    assert f"https://strategi.example.no/nn/rapportering/{submitted.round.year}/svar/" in (
        message.body
    )


def test_approving_an_entry_emails_the_owner(
    submitted, editor_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review(editor_user, submitted, "approve")

    [message] = mail.outbox
    assert message.subject == "Svaret ditt for 1.1 er godkjent"
    assert "er godkjent. Takk!" in message.body


def test_a_refused_review_sends_nothing(submitted, editor_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review(editor_user, submitted, "reopen")  # not approved: 409

    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_worker_sends_it(submitted, editor_user, settings):
    """Production's path (TASKS_BACKEND=database): the request only queues the e-mail, once
    its transaction commits; django-tasks-db's db_worker sends it. Transactional: the worker
    closes the database connection when it is done."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert review(editor_user, submitted, "approve").status_code == 303

    assert mail.outbox == []
    assert DBTaskResult.objects.get().task_path == "reminders.tasks.entry_reviewed"

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())

    [message] = mail.outbox
    assert message.subject == "Svaret ditt for 1.1 er godkjent"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"

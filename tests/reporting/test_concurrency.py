"""Two editors approve the same entry at the same moment: one approval, one status update.

The review holds the entry (select_for_update in a transaction) from the check to the write,
so the second editor finds it approved and is told so (409). PostgreSQL only: SQLite's test
database in memory locks whole tables and fails at once instead of waiting.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client

from priorities.models import StatusUpdate
from priorities.roles import EDITOR_GROUP
from reporting.models import Entry, EntryState
from tests.factories import make_user
from tests.reporting.helpers import entry_of, entry_url, open_round, review_data

EDITORS = 4


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_editors_approving_at_once_make_one_status_update(strategy):
    entry = entry_of(open_round())
    Entry.objects.filter(pk=entry.pk).update(
        state=EntryState.SUBMITTED, assessment="Godt i gang.", status="on_track"
    )
    clients = []
    for number in range(EDITORS):
        client = Client()
        client.force_login(make_user(f"editor{number}", EDITOR_GROUP))
        clients.append(client)
    path = entry_url(entry, "reporting:entry_review")
    start = threading.Barrier(EDITORS)

    def approve(client):
        try:
            start.wait()
            return client.post(path, review_data("approve")).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=EDITORS) as pool:
        answers = sorted(pool.map(approve, clients))

    assert answers == [303] + [409] * (EDITORS - 1)
    assert StatusUpdate.objects.filter(commitment=entry.commitment).count() == 1
    assert Entry.objects.get(pk=entry.pk).state == EntryState.APPROVED

"""Concurrent writers lose nothing, and a write the database refuses halfway saves nothing.

Twenty staff members each log 25 activities at the same moment through the web endpoint (the
htmx one, every fifth, and the plain form post): all 500 are stored, none twice, no 5xx; ten
edit their own activity ten times each: every change kept, no 5xx. Each
writer is a thread with its own test Client, session and database connection, and checks
CSRF as a browser's requests are checked: the token comes from the page, as htmx sends it.

On SQLite: pytest-django's test database lives in memory with a shared cache, whose table
locks fail at once instead of waiting. A deployment on SQLite runs on a file, so the test
copies the database to a file and the writers work there, as they would in production: same
threads, same numbers. One difference (check_answers): on a busy machine SQLite may answer a
writer 503 after the longest wait; the writer sends again, and the rows must come out the
same: each once.
"""

import sqlite3
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager

import pytest
from django.db import connection, connections
from django.test import Client

from partners.models import BilateralPartner, Organisation
from priorities.models import Activity, Commitment
from priorities.roles import STAFF_GROUP
from tests.factories import get_commitment, make_user
from tests.html_forms import page_token
from tests.priorities.workspace_helpers import (
    HX,
    activity_data,
    edit_data,
    make_activity,
    page,
    url,
)

WRITERS = 20
EACH = 25
EDITORS = 10
EDITS = 10
RETRIES = 10


@contextmanager
def database_for_threads(tmp_path):
    """Where the writers' connections go: the test database, on SQLite a file copy of it.

    The test's own connection stays on the in-memory database (Django never closes that), so
    read what the threads wrote through a thread too (`in_thread`).
    """
    if connection.vendor != "sqlite":
        yield
        return
    copy = tmp_path / "writers.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(copy)) as target:
        connection.connection.backup(target)
    # New connections in other threads read the same settings dict.
    original = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(copy)
    try:
        yield
    finally:
        connection.settings_dict["NAME"] = original


def in_thread(function, *args):
    """Run `function` in a new thread with its own database connection, closed afterwards."""

    def run():
        try:
            return function(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def at_once(count: int, prepare, work) -> list:
    """Run `count` threads: each prepares (signs in), all start work together, each closes
    its database connection at the end. The results of `work`, in order."""
    start = threading.Barrier(count)

    def run(i: int):
        try:
            try:
                prepared = prepare(i)
                start.wait()
            except BaseException:
                start.abort()
                raise
            return work(i, prepared)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def send(client, path: str, data: dict, **headers) -> tuple[int, int]:
    """POST until the answer is not a 503 (the database busy: what a browser shows as "try
    again", and the writer does). The final status, and how many 503s came before it."""
    for refused in range(RETRIES):
        response = client.post(path, data, **headers)
        if response.status_code != 503:
            return response.status_code, refused
        assert response["Retry-After"] == "30"  # a clean 503, never a 500
    raise AssertionError(f"{path} answered 503 {RETRIES} times in a row")


def check_answers(answers: list[list[tuple[bool, int, int]]]) -> None:
    """Every request done (200 with htmx, 303 without), and on PostgreSQL at the first try.

    SQLite makes a writer wait at most `timeout` seconds (settings), and its waiting is not
    first come, first served: on a busy machine one of twenty writers can wait longer and get
    a 503. That it saved nothing then, and that the retry saved once, the rows show.
    """
    statuses = Counter(status for a in answers for _, status, _ in a)
    assert all(status == (200 if htmx else 303) for a in answers for htmx, status, _ in a), statuses
    refused = sum(r for a in answers for _, _, r in a)
    if connection.vendor == "postgresql":
        assert refused == 0


@pytest.mark.django_db(transaction=True)
def test_twenty_writers_at_once_lose_nothing(strategy, tmp_path):
    commitments = list(Commitment.objects.select_related("priority"))
    users = [make_user(f"writer{i}", STAFF_GROUP) for i in range(WRITERS)]
    partner = BilateralPartner.objects.get(slug="kaunas")
    organisation = Organisation.objects.get(slug="errin")

    def sign_in(i: int):
        client = Client(enforce_csrf_checks=True)
        client.raise_request_exception = False  # a server error is an answer, as in a browser
        client.force_login(users[i])
        commitment = commitments[i % len(commitments)]
        token = page_token(client, page(commitment))
        create = url("priorities:activity_create", commitment.priority.slug, commitment.number)
        return client, create, token

    def log_activities(i: int, prepared) -> list[tuple[bool, int, int]]:
        client, create, token = prepared
        answers = []
        for n in range(EACH):
            htmx = n % 5 == 0
            data = activity_data(
                title=f"writer{i} #{n}", partners=[partner.pk], organisations=[organisation.pk]
            )
            headers = {"HTTP_X_CSRFTOKEN": token, **(HX if htmx else {})}
            answers.append((htmx, *send(client, create, data, **headers)))
        return answers

    def stored():
        return (
            Counter(Activity.objects.values_list("title", "created_by__username")),
            Activity.partners.through.objects.count(),
            Activity.organisations.through.objects.count(),
            Activity.history.filter(history_type="+").count(),
        )

    with database_for_threads(tmp_path):
        answers = at_once(WRITERS, sign_in, log_activities)
        rows, partner_links, organisation_links, created = in_thread(stored)

    check_answers(answers)
    expected = Counter(
        (f"writer{i} #{n}", f"writer{i}") for i in range(WRITERS) for n in range(EACH)
    )
    assert rows == expected  # all 500, each once, by the one who logged it
    assert partner_links == organisation_links == created == WRITERS * EACH


@pytest.mark.django_db(transaction=True)
def test_ten_editors_at_once_lose_nothing(strategy, tmp_path):
    # An edit reads before it writes: the case where SQLite, left to take the write lock
    # halfway through the transaction, refused at once instead of letting it wait.
    commitment = get_commitment()
    users = [make_user(f"editor{i}", STAFF_GROUP) for i in range(EDITORS)]
    activities = [make_activity(commitment, user, title="Utkast") for user in users]

    def sign_in(i: int):
        client = Client()
        client.raise_request_exception = False
        client.force_login(users[i])
        return client

    def edit(i: int, client) -> list[tuple[bool, int, int]]:
        answers = []
        for n in range(EDITS):
            activity = Activity.objects.get(pk=activities[i].pk)  # the version the form shows
            path = url("priorities:activity_edit", activity.pk)
            data = edit_data(activity, title=f"Versjon {n}")
            htmx = n % 5 == 0
            answers.append((htmx, *send(client, path, data, **(HX if htmx else {}))))
        return answers

    def stored():
        return (
            sorted(Activity.objects.values_list("title", flat=True)),
            Activity.history.filter(history_type="~").count(),
        )

    with database_for_threads(tmp_path):
        answers = at_once(EDITORS, sign_in, edit)
        titles, changes = in_thread(stored)

    # A refused edit changed nothing: its retry, with the same version, was no conflict (409).
    check_answers(answers)
    assert titles == [f"Versjon {EDITS - 1}"] * EDITORS
    assert changes == EDITORS * EDITS


# --- A write refused halfway ----------------------------------------------------------------


@contextmanager
def history_table_held():
    """Another connection holds the activity history table, so a new activity's INSERT goes
    through and its history record's INSERT, in the same transaction, is refused."""
    table = Activity.history.model._meta.db_table
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        with psycopg.connect(**params, autocommit=False) as other:
            other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            with connection.cursor() as cursor:
                # Give up waiting for the lock at once (a restart or a long migration would
                # break the connection instead: the same error class, the same 503).
                cursor.execute("SET lock_timeout = '50ms'")
            try:
                yield
            finally:
                other.rollback()
                with connection.cursor() as cursor:
                    cursor.execute("RESET lock_timeout")
    else:
        # In SQLite's shared cache a reader's table lock lasts until its transaction ends,
        # and a writer to that table is refused ("database table is locked").
        with closing(sqlite3.connect(connection.settings_dict["NAME"], uri=True)) as other:
            other.execute("BEGIN")
            other.execute(f"SELECT count(*) FROM {table}").fetchall()
            try:
                yield
            finally:
                other.rollback()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_write_refused_halfway_is_a_503_and_saves_nothing(strategy, staff_user, htmx, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client = Client()
    client.raise_request_exception = False
    client.force_login(staff_user)
    commitment = get_commitment()
    create = url("priorities:activity_create", commitment.priority.slug, commitment.number)
    data = activity_data(partners=[BilateralPartner.objects.get(slug="kaunas").pk])
    headers = HX if htmx else {}

    with history_table_held():
        refused = client.post(create, data, **headers)

    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "30"
    assert not Activity.objects.exists()
    assert not Activity.partners.through.objects.exists()
    assert not Activity.history.exists()
    # Sent again once the database is free, it is stored once.
    again = client.post(create, data, **headers)
    assert again.status_code == (200 if htmx else 303)
    assert Activity.objects.count() == Activity.history.filter(history_type="+").count() == 1

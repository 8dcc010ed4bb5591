"""A database fault is a clean 503 with Retry-After, and the next request after it recovers.

Real faults, no mocks: on PostgreSQL the connection points at a port where nothing listens
(as during a restart); on SQLite's shared in-memory test database a second connection holds
a write lock on the table the page reads.
"""

import sqlite3
from contextlib import contextmanager

import pytest
from django.db import connection


@contextmanager
def database_fault():
    if connection.vendor == "postgresql":
        original = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.update(original)
    else:
        locker = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
        locker.execute("BEGIN IMMEDIATE")
        locker.execute("UPDATE priorities_strategy SET slug = slug")
        try:
            yield
        finally:
            locker.rollback()
            locker.close()


@pytest.mark.django_db(transaction=True)
def test_requests_during_a_database_fault_get_503_and_later_ones_succeed(
    client, strategy, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client.raise_request_exception = False
    assert client.get("/").status_code == 200

    with database_fault():
        during = client.get("/")

    assert during.status_code == 503
    assert during.headers["Retry-After"] == "30"
    assert "midlertidig utilgjengelig" in during.text
    after = client.get("/")
    assert after.status_code == 200
    assert "Internasjonal strategi 2030" in after.text


def test_other_errors_are_still_a_500_page(rf):
    from strategy_portal.views import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Noe gikk galt" in response.content.decode()

"""Counting the database queries of a request: the one helper the query-count tests share.

A page's count is taken with a small data set, the data grows, and the same request must make
as many queries again (pytest-django's django_assert_num_queries, or a second count).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(send, path: str, *args, status: int = 200, **headers) -> tuple[int, object]:
    """The queries `send(path, *args, **headers)` (a test client's get or post) makes, and its
    response, which must have `status`."""
    with CaptureQueriesContext(connection) as queries:
        response = send(path, *args, **headers)
    assert response.status_code == status, f"{path} answered {response.status_code}"
    return len(queries), response

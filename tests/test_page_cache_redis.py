"""The page cache on Redis, as app servers behind a load balancer share it.

Runs against TEST_REDIS_URL (tests/conftest.py; the local redis://127.0.0.1:6379/5 by default)
and is skipped where nothing answers there; .ci/run makes sure Redis answers. Each test uses a
key prefix of its own and removes only its own keys afterwards, so pytest-xdist's workers (and
other runs) share the database safely.
"""

import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from priorities.models import Status
from strategy_portal.cache import VERSION_KEY, bump_version, page_cache
from tests.conftest import TEST_REDIS_URL as REDIS_URL
from tests.conftest import xdist_worker


def redis_settings(location: str, prefix: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }


@pytest.fixture
def prefix() -> str:
    # The worker's id only names whose keys they are: the uuid alone keeps tests apart.
    return f"test-page-cache-{xdist_worker() or 'main'}-{uuid.uuid4().hex}"


@pytest.fixture
def redis_page_cache(settings, prefix):
    settings.CACHES = redis_settings(REDIS_URL, prefix)
    settings.PAGE_CACHE = True
    cache = page_cache()
    assert isinstance(cache, RedisCache)
    yield cache
    # Only this test's keys: the Redis database may be shared (never FLUSHDB).
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def another_app_server(prefix: str) -> RedisCache:
    """A second cache client, as another app server configured the same way has."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


@pytest.mark.redis
def test_pages_are_stored_in_redis_and_served_from_it(
    client, strategy, redis_page_cache, prefix, django_assert_num_queries
):
    first = client.get("/")
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    client_ = redis_page_cache._cache.get_client()
    assert list(client_.scan_iter(match=f"{prefix}:*page:*"))


@pytest.mark.redis
def test_a_page_stored_by_one_app_server_is_served_by_another(
    client, strategy, redis_page_cache, prefix, settings
):
    assert client.get("/en/")["X-Cache"] == "MISS"
    # The other server is another process: its own connection, the same Redis and prefix.
    settings.CACHES = redis_settings(REDIS_URL, prefix)
    assert page_cache() is not redis_page_cache
    response = client.get("/en/")
    assert response["X-Cache"] == "HIT"
    assert '<html lang="en">' in response.text


@pytest.mark.redis
def test_a_change_on_another_app_server_makes_every_page_stale_here(
    client, strategy, redis_page_cache, prefix
):
    for path in ("/", "/nn/", "/partnere/"):
        client.get(path)
        assert client.get(path)["X-Cache"] == "HIT"
    # What bump_version does on the server that committed the change.
    another_app_server(prefix).incr(VERSION_KEY)
    for path in ("/", "/nn/", "/partnere/"):
        assert client.get(path)["X-Cache"] == "MISS", path


@pytest.mark.redis
def test_a_content_change_shows_on_the_next_request(
    client, commitment, editor_user, redis_page_cache, django_capture_on_commit_callbacks
):
    url = commitment.get_absolute_url()
    client.get(url)
    assert "Vurdert på Redis" not in client.get(url).text
    before = redis_page_cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        commitment.set_status(
            status=Status.ON_TRACK, assessment="Vurdert på Redis", author=editor_user
        )
    assert another_app_server(redis_page_cache.key_prefix).get(VERSION_KEY) == before + 1
    after = client.get(url)
    assert after["X-Cache"] == "MISS"
    assert "Vurdert på Redis" in after.text


@pytest.mark.redis
def test_the_version_never_expires_and_is_a_redis_integer(db, redis_page_cache, prefix):
    bump_version()
    client = redis_page_cache._cache.get_client(write=True)
    key = redis_page_cache.make_key(VERSION_KEY)
    assert client.ttl(key) == -1  # no expiry
    before = int(client.get(key))
    assert client.incr(key) == before + 1  # Redis's atomic INCR, as incr() uses


def test_a_cache_outage_serves_pages_uncached(client, strategy, settings, prefix, caplog):
    # Nothing listens on port 1: every cache call fails at once.
    settings.CACHES = redis_settings("redis://127.0.0.1:1/0", prefix)
    settings.PAGE_CACHE = True
    response = client.get("/")
    assert response.status_code == 200
    assert "Internasjonal strategi 2030" in response.text
    assert "X-Cache" not in response
    assert "page cache unavailable" in caplog.text
    bump_version()  # logs, never raises: it runs after a commit
    assert "could not be bumped" in caplog.text


@pytest.mark.redis
def test_the_portals_redis_backend_keeps_one_client_and_serves_pages(
    client, strategy, settings, prefix
):
    settings.CACHES = redis_settings(REDIS_URL, prefix)
    settings.CACHES["default"]["BACKEND"] = "strategy_portal.cache.RedisCache"
    settings.PAGE_CACHE = True
    cache = page_cache()
    try:
        assert isinstance(cache, RedisCache)
        assert cache._cache.get_client() is cache._cache.get_client(write=True)
        assert client.get("/nn/")["X-Cache"] == "MISS"
        assert client.get("/nn/")["X-Cache"] == "HIT"
        bump_version()
        assert client.get("/nn/")["X-Cache"] == "MISS"
    finally:
        redis = cache._cache.get_client(write=True)
        keys = list(redis.scan_iter(match=f"{prefix}:*"))
        if keys:
            redis.delete(*keys)

"""The content version on Redis, announced (strategy_portal.cache.VersionWatch).

With several app servers, every cached page checks the content version. Reading it from Redis
on every hit cost a round trip per page; each process now keeps a subscription on which
bump_version() announces every new version, and reads the version only when it cannot be
sure of it. These tests run two caches as two app servers would (each its own connections).
"""

import time
import uuid

import pytest

from strategy_portal.cache import VERSION_KEY, RedisCache, bump_version, current_version
from tests.conftest import TEST_REDIS_URL as REDIS_URL

pytestmark = pytest.mark.redis


def app_server(prefix: str) -> RedisCache:
    """The portal's Redis backend as one app server has it."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


@pytest.fixture
def prefix():
    prefix = f"test-version-watch-{uuid.uuid4().hex}"
    yield prefix
    client = app_server(prefix)._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def here(prefix) -> RedisCache:
    cache = app_server(prefix)
    yield cache
    cache.version_watch.stop()


def eventually(check, seconds: float = 2.0) -> bool:
    """Announcements travel over a socket: give one the time a network gives it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.005)
    return check()


def in_sync(cache: RedisCache) -> None:
    """Until the subscription is confirmed, the version is read from Redis on each call."""
    assert eventually(lambda: current_version(cache) and cache.version_watch.version is not None)


def bump_on(cache: RedisCache, settings) -> int:
    """bump_version() as the app server whose cache `cache` is would run it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "strategy_portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": cache.key_prefix,
        }
    }
    bump_version()
    return int(cache._cache.get_client().get(cache.make_key(VERSION_KEY)))


def test_a_bump_on_another_app_server_is_seen_here(here, prefix, settings):
    in_sync(here)
    before = current_version(here)
    after = bump_on(app_server(prefix), settings)
    assert after > before
    assert eventually(lambda: current_version(here) == after)


def test_a_hit_reads_the_announced_version_not_redis(here, prefix):
    in_sync(here)
    announced = current_version(here)
    # Written behind the portal's back (no announcement): the hits do not ask Redis for it.
    raw = here._cache.get_client(write=True)
    raw.set(here.make_key(VERSION_KEY), announced + 1000)
    for _ in range(20):
        assert current_version(here) == announced


def test_after_a_lost_connection_the_version_is_read_again(here, prefix, settings):
    in_sync(here)
    raw = here._cache.get_client(write=True)
    port = here.version_watch.pubsub.connection._sock.getsockname()[1]
    (mine,) = [c for c in raw.client_list(_type="pubsub") if c["addr"].endswith(f":{port}")]
    raw.client_kill_filter(_id=mine["id"])
    # Announced while this server's subscription is gone: it never hears of it...
    after = bump_on(app_server(prefix), settings)
    # ...but subscribing again means reading the version once.
    assert eventually(lambda: current_version(here) == after)


def test_the_bumping_server_knows_its_own_bump_at_once(here, settings):
    in_sync(here)
    settings.CACHES = {
        "default": {
            "BACKEND": "strategy_portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": here.key_prefix,
        }
    }
    from strategy_portal.cache import page_cache

    cache = page_cache()
    try:
        in_sync(cache)
        before = current_version(cache)
        bump_version()
        assert current_version(cache) == before + 1  # no waiting for its own announcement
        assert eventually(lambda: current_version(here) == before + 1)
    finally:
        cache.version_watch.stop()


def test_without_redis_the_watch_gives_up_quietly(client, strategy, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "strategy_portal.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.PAGE_CACHE = True
    response = client.get("/")
    assert response.status_code == 200
    assert "X-Cache" not in response
    assert "page cache unavailable" in caplog.text

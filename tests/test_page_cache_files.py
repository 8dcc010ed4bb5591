"""The page cache on one server without Redis: files that every gunicorn worker reads.

Each test has a cache directory of its own. A second FileCache on the same directory is
another worker of the same server (gunicorn's workers are processes, each with its own cache
client and its own memory); the bump test runs real processes.
"""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from priorities.models import Commitment, Status
from strategy_portal.cache import VERSION_KEY, FileCache, LocalPages, bump_version, page_cache
from tests.factories import get_commitment

ROOT = Path(__file__).resolve().parent.parent


def file_settings(location: Path) -> dict:
    # As settings.py configures it without REDIS_URL.
    return {
        "default": {
            "BACKEND": "strategy_portal.cache.FileCache",
            "LOCATION": str(location),
            "TIMEOUT": None,
        }
    }


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def file_page_cache(settings, cache_dir) -> FileCache:
    settings.CACHES = file_settings(cache_dir)
    settings.PAGE_CACHE = True
    cache = page_cache()
    assert isinstance(cache, FileCache)
    return cache


def another_worker(cache_dir: Path) -> FileCache:
    """The cache client of another worker process of the same server."""
    return FileCache(str(cache_dir), {"TIMEOUT": None})


@pytest.fixture
def commitment(strategy) -> Commitment:
    return get_commitment("1.2")


def test_pages_are_files_in_the_directory_and_served_without_queries(
    client, strategy, file_page_cache, cache_dir, django_assert_num_queries
):
    first = client.get("/")
    assert first["X-Cache"] == "MISS"
    assert list(cache_dir.glob("*.djcache"))
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content


def test_a_page_stored_by_one_worker_is_served_by_another(
    client, strategy, file_page_cache, cache_dir, settings
):
    assert client.get("/en/")["X-Cache"] == "MISS"
    # The other worker: its own cache client (and memory), the same directory.
    settings.CACHES = file_settings(cache_dir)
    assert page_cache() is not file_page_cache
    response = client.get("/en/")
    assert response["X-Cache"] == "HIT"
    assert '<html lang="en">' in response.text


def test_a_change_in_another_worker_makes_every_page_stale_here(
    client, strategy, file_page_cache, cache_dir
):
    paths = ("/", "/nn/", "/partnere/")
    for path in paths:
        client.get(path)
        # Served from this worker's memory, under the version in the shared directory.
        assert client.get(path)["X-Cache"] == "HIT"
    # What bump_version does in the worker that committed the change.
    another_worker(cache_dir).incr(VERSION_KEY)
    for path in paths:
        assert client.get(path)["X-Cache"] == "MISS", path


def test_a_content_change_in_one_worker_shows_at_once_in_another(
    client,
    commitment,
    editor_user,
    file_page_cache,
    cache_dir,
    settings,
    django_capture_on_commit_callbacks,
):
    url = commitment.get_absolute_url()
    client.get(url)
    assert "Vurdert uten Redis" not in client.get(url).text
    before = file_page_cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        commitment.set_status(
            status=Status.ON_TRACK, assessment="Vurdert uten Redis", author=editor_user
        )
    assert another_worker(cache_dir).get(VERSION_KEY) == before + 1
    # The other worker: the page in the directory is stale for it too.
    settings.CACHES = file_settings(cache_dir)
    after = client.get(url)
    assert after["X-Cache"] == "MISS"
    assert "Vurdert uten Redis" in after.text


def test_the_version_never_expires(db, file_page_cache, cache_dir):
    bump_version()
    bump_version()
    # The version's file starts with its expiry (FileBasedCache's format): None, never.
    path = Path(another_worker(cache_dir)._key_to_file(VERSION_KEY))
    with path.open("rb") as f:
        assert pickle.load(f) is None


BUMPS = 200
BUMPER = """
import sys
from strategy_portal.cache import VERSION_KEY, FileCache
cache = FileCache(sys.argv[1], {"TIMEOUT": None})
for _ in range(int(sys.argv[2])):
    cache.incr(VERSION_KEY)
"""


def test_bumps_from_two_processes_at_once_are_never_lost(cache_dir):
    # Django's own incr() reads, adds one and writes back: two workers at once could write
    # the same number, and a page rendered between two changes would stay current.
    cache = another_worker(cache_dir)
    cache.set(VERSION_KEY, 1000)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "strategy_portal.settings"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", BUMPER, str(cache_dir), str(BUMPS)], cwd=ROOT, env=env
        )
        for _ in range(2)
    ]
    for worker in workers:
        assert worker.wait(timeout=120) == 0
    assert cache.get(VERSION_KEY) == 1000 + 2 * BUMPS


def test_a_workers_memory_holds_pages_up_to_its_size():
    local = LocalPages(max_bytes=250)
    for n in range(5):
        local.put(f"page-{n}", (1, b"x" * 100, {}, float("inf")))
    # The least recently used go first: two pages of 100 bytes fit.
    assert [key for key in ("page-0", "page-1", "page-2") if local.get(key, 1)] == []
    assert local.get("page-3", 1) is not None
    assert local.get("page-4", 1) is not None
    assert local.size == 200
    # A page under another version is dropped, not served.
    assert local.get("page-4", 2) is None
    assert local.size == 100


def settings_in_a_fresh_process(env: dict) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.PAGE_CACHE)"
    )
    names = ("DEBUG", "REDIS_URL", "PAGE_CACHE", "CACHE_DIR", "SECRET_KEY")
    clean = {k: v for k, v in os.environ.items() if k not in names}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "strategy_portal.settings", **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # The README's deploy: one server, no Redis.
        ({}, ["strategy_portal.cache.FileCache", "True"]),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, ["strategy_portal.cache.RedisCache", "True"]),
        ({"PAGE_CACHE": "0"}, ["strategy_portal.cache.FileCache", "False"]),
        ({"DEBUG": "1"}, ["strategy_portal.cache.FileCache", "False"]),
    ],
)
def test_the_page_cache_is_on_in_production_with_or_without_redis(env, expected):
    assert settings_in_a_fresh_process({"SECRET_KEY": "x" * 50, **env}) == expected

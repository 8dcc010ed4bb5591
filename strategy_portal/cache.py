"""Whole-page cache for anonymous visitors, made stale at once by any change to the content.

Public pages are read far more often than they are written. An anonymous GET or HEAD of a
public page that answers 200 is stored whole (body and headers) under a key made of today's
date, the code version, the language, the absolute URL with its query string and the htmx
request headers, together with the content version it was rendered under. Signed-in users
neither get nor fill cached pages.

Any write to a table of the `priorities` or `partners` apps bumps the content version when its
transaction commits, so every cached page goes stale at once: a page stored under another
version is never served, and the next visitor's page replaces it.

Writes are seen where they reach the database (an execute wrapper on every connection), not
through model signals: bulk_create, QuerySet.update() and raw SQL send no signals, and an
activity hidden with `.update()` must leave the public pages as surely as one hidden through a
form.

The version lives in the shared cache itself, so every worker sees a change at once: on a
single server the file cache in CACHE_DIR (FileCache below), which every worker reads; with
several app servers Redis (REDIS_URL). A hit reads the version from the shared cache (one small
file; on Redis, what the server announced to this process, VersionWatch) and the page from this
process's memory (LocalPages) when it holds the page under that version, else from the shared
cache: a page rendered by one worker or server is served by the others without rendering it
again.

Signed-in users get no whole page from the cache (theirs carry their name and CSRF token), but
the parts of their pages that others see too: template tag cachedfragment, under the same
version (cached_fragment).
"""

import contextlib
import functools
import hashlib
import logging
import os
import re
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import redis as redis_backend
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
# Apps whose tables hold what public pages show.
CONTENT_APPS = ("priorities", "partners", "counties", "planning", "reporting", "projects")
# Never cached, with or without a language prefix.
EXCLUDED_PREFIXES = ("admin/", "accounts/")
# htmx sends these; a view may answer a fragment instead of the whole page (request.htmx).
HTMX_HEADERS = (
    "HX-Request",
    "HX-Boosted",
    "HX-History-Restore-Request",
    "HX-Target",
    "HX-Trigger",
    "HX-Trigger-Name",
)
HTMX_META = tuple("HTTP_" + header.upper().replace("-", "_") for header in HTMX_HEADERS)
# The key covers these; a response that varies on anything else is not stored. LocaleMiddleware
# adds Accept-Language to unprefixed pages, but takes their language from the path alone, as
# the key does (PageCacheMiddleware checks that the two agree).
KEYED_VARY = frozenset({"cookie", "accept-language", *(h.lower() for h in HTMX_HEADERS)})
# django.contrib.messages' cookie: a flash message waiting to be shown needs a fresh page.
MESSAGES_COOKIE = "messages"

_COMMA = re.compile(r"\s*,\s*")
_WRITE = re.compile(r"\s*(?:(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`\"]?(\w+)|TRUNCATE)", re.I)


# This process's copies of pages, at most this many bytes of them (a page is 10-80 KB).
LOCAL_PAGES_BYTES = 32 * 1024 * 1024


def page_cache():
    return caches["default"]


class FileCache(FileBasedCache):
    """Django's file-based cache, shared by the workers of one server, with add() and incr()
    atomic across processes (settings.CACHES without REDIS_URL).

    Django's own read, add one and write back: two workers bumping the content version at
    the same moment would both write the same number, and a page rendered between the two
    changes would be served as current. Here they take turns, under a lock on a file in
    the cache directory.
    """

    @contextlib.contextmanager
    def _exclusive(self):
        self._createdir()
        with open(os.path.join(self._dir, "lock"), "ab") as lock:
            locks.lock(lock, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._exclusive():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._exclusive():
            return super().incr(key, delta, version)

    def validate_key(self, key):
        # Django warns about keys memcached would refuse, reading every character of every
        # key; a file name here is the key's digest.
        pass


class LocalPages:
    """Pages this process served lately, each under the version it was rendered under.

    A hit then reads only the version from the shared cache, and the page from memory when
    the version is still the same: the page itself (up to 80 KB) is not read and unpickled
    again for every visitor. Least recently used pages go first once LOCAL_PAGES_BYTES
    are held.
    """

    def __init__(self, max_bytes: int = LOCAL_PAGES_BYTES):
        self.max_bytes = max_bytes
        self.size = 0
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()  # gunicorn's threaded workers

    def get(self, key: str, version) -> tuple | None:
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None
            if page[0] != version or page[3] < time.time():
                self._remove(key)
                return None
            self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: tuple) -> None:
        with self.lock:
            if key in self.pages:
                self._remove(key)
            self.pages[key] = page
            self.size += len(page[1])
            while self.size > self.max_bytes:
                self._remove(next(iter(self.pages)))

    def _remove(self, key: str) -> None:
        self.size -= len(self.pages.pop(key)[1])


# One LocalPages per cache client: Django makes a client per thread, and a test's second
# client (another app server) must not see the first one's memory.
_local_pages: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def local_pages(cache) -> LocalPages:
    pages = _local_pages.get(cache)
    if pages is None:
        pages = _local_pages[cache] = LocalPages()
    return pages


class RedisCacheClient(redis_backend.RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool.

    Django makes a new redis.Redis for every call, and redis-py builds the new client's table
    of response callbacks each time: a third of the CPU a cached page cost. A client is safe
    to share; it takes a connection from the pool for each command.
    """

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = getattr(pool, "shared_client", None)
        if client is None:
            client = pool.shared_client = self._client(connection_pool=pool)
        return client


class VersionWatch:
    """The content version as Redis announces it, so that a hit needs no round trip to Redis.

    bump_version() publishes each new version on a channel; this process keeps a subscribed
    connection and, before answering from the cache, drains what has arrived on it: a poll
    of a socket, where reading the version would be a request to Redis and a wait for its
    answer (on a busy two-core server, a third of a cached page's time). A change shows at
    once: the announcement is on its way before the writer's response is.

    Where nothing has been announced for sure, the version is read from Redis as before:
    until the subscription is confirmed, after redis-py reconnected and subscribed again
    (a confirmation means: read once, announcements follow), and while Redis is away.
    """

    RETRY_SECONDS = 5.0

    def __init__(self, cache):
        self.cache = cache
        self.channel = cache.make_key(VERSION_KEY)
        self.pid = os.getpid()
        self.pubsub = None
        self.version = None
        self.retry_at = 0.0

    def current(self) -> int:
        if self.pid != os.getpid():  # forked: the connection is the parent's
            self.__init__(self.cache)
        if self.pubsub is None and time.monotonic() >= self.retry_at:
            try:
                client = self.cache._cache.get_client(write=False)
                self.pubsub = client.pubsub()
                self.pubsub.subscribe(self.channel)
            except Exception:
                self.stop()
        if self.pubsub is not None:
            try:
                while (message := self.pubsub.get_message(timeout=0)) is not None:
                    if message["type"] == "subscribe":
                        self.version = read_version(self.cache)
                    elif message["type"] == "message" and self.version is not None:
                        self.version = max(self.version, int(message["data"]))
            except Exception:
                self.stop()
        if self.version is None:
            return read_version(self.cache)
        return self.version

    def announce(self, version: int) -> None:
        """After a bump: tell every process, and know it here at once."""
        self.cache._cache.get_client(write=True).publish(self.channel, version)
        if self.version is not None:
            self.version = max(self.version, version)

    def stop(self) -> None:
        if self.pubsub is not None:
            with contextlib.suppress(Exception):
                self.pubsub.close()
        self.pubsub, self.version = None, None
        self.retry_at = time.monotonic() + self.RETRY_SECONDS


class RedisCache(redis_backend.RedisCache):
    """django.core.cache.backends.redis.RedisCache with the client above and the content
    version announced (VersionWatch): settings.CACHES with REDIS_URL."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self.version_watch = VersionWatch(self)

    def validate_key(self, key):
        # Django warns about keys memcached would refuse, looking at every character of every
        # key on every call; Redis takes any key.
        pass


class PageCacheMiddleware:
    """Serve and fill the page cache, early: right after WhiteNoise, as static files are.

    A cached page is answered before the session, language, CSRF, user, messages, CSP and
    X-Frame-Options middleware run, so a hit costs little more than a static file. That is
    safe because only a request without a session cookie is served (it cannot be signed
    in), and the language is the path's: i18n_patterns with an unprefixed default, so
    LocaleMiddleware takes it from the path alone. What is stored is the response as all
    of those middleware left it: a hit carries the same CSP, X-Frame-Options,
    Content-Language and Vary headers as the miss that stored it. The request log sits
    outside this middleware and logs hits too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
        prefixes = "|".join(re.escape(prefix) for prefix in EXCLUDED_PREFIXES)
        self.excluded = re.compile(rf"/(?:(?:{languages})/)?(?:{prefixes})")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.may_use(request):
            return self.get_response(request)
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        cache = page_cache()
        local = local_pages(cache)
        key = self.key(request, language)
        try:
            version = current_version(cache)
            stored = local.get(key, version)
            if stored is None:
                stored = cache.get(key)
                if stored is not None and stored[0] == version:
                    local.put(key, stored)
                else:
                    stored = None
        except Exception:
            # A cache outage slows the site down; it must not take it down.
            logger.exception("page cache unavailable")
            return self.get_response(request)
        if stored is not None:
            _version, content, headers, _expires = stored
            response = HttpResponse(content, headers=headers)
            response["X-Cache"] = "HIT"
            return response

        response = self.get_response(request)
        # LocaleMiddleware records the language it activated; a page in any other language
        # than the one in the key is not stored.
        rendered_in = getattr(request, "LANGUAGE_CODE", language)
        if rendered_in == language and self.may_store(request, response):
            patch_vary_headers(response, ("Cookie", *HTMX_HEADERS))
            seconds = settings.PAGE_CACHE_SECONDS
            page = (version, response.content, dict(response.items()), time.time() + seconds)
            local.put(key, page)
            try:
                cache.set(key, page, seconds)
            except Exception:
                logger.exception("page cache unavailable")
            else:
                response["X-Cache"] = "MISS"
        return response

    def may_use(self, request: HttpRequest) -> bool:
        """A GET or HEAD of a public page by a visitor who cannot be signed in."""
        if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return False
        if self.excluded.match(request.path_info):
            return False
        # Without the session cookie there is no user and no session data: anyone signed in
        # (or with an anonymous session of their own) renders afresh. Credentials a view
        # might read itself, and a flash message waiting in a cookie, likewise.
        cookies = request.COOKIES
        return not (
            settings.SESSION_COOKIE_NAME in cookies
            or MESSAGES_COOKIE in cookies
            or "HTTP_AUTHORIZATION" in request.META
        )

    def may_store(self, request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        # Signed in during this request, or a session of their own begun.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        # The page holds a CSRF token, or the session changed: this visitor's own. (The
        # middleware set cookies for both, checked above; these cover a bare call.)
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        session = getattr(request, "session", None)
        if session is not None and (session.modified or session.keys()):
            return False
        # A flash message added or shown on this page is for this visitor only.
        storage = getattr(request, "_messages", None)
        if storage is not None and (storage.used or storage.added_new):
            return False
        directives = {
            d.split("=")[0].strip().lower() for d in _COMMA.split(response.get("Cache-Control", ""))
        }
        if directives & {"private", "no-store", "no-cache"}:
            return False
        vary = {v.strip().lower() for v in _COMMA.split(response.get("Vary", "")) if v.strip()}
        return vary <= KEYED_VARY

    def key(self, request: HttpRequest, language: str) -> str:
        parts = [
            code_version(),
            # Pages say "today" and "3 months ago": a new day is a new page.
            timezone.localdate().isoformat(),
            language,
            # Scheme and host too: the pages carry absolute hreflang links.
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            *(request.META.get(name, "") for name in HTMX_META),
        ]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return f"page:{digest}"


def current_version(cache) -> int:
    watch = getattr(cache, "version_watch", None)
    return watch.current() if watch is not None else read_version(cache)


def read_version(cache) -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use, or evicted: start from the clock, above any number used before.
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def cached_fragment(name: str, parts: Iterable[str], render: Callable[[], str]) -> str:
    """What render() returns, kept in the shared cache under the content version.

    For a part of a page that signed-in users get too (the whole-page cache serves only
    anonymous visitors): rendered once per content version, day, code version, language and
    `parts`, which must name everything else the text depends on (e.g. what the user may
    see). On with PAGE_CACHE, so template edits show in development.
    """
    if not settings.PAGE_CACHE or writes_pending():
        return render()
    cache = page_cache()
    fixed = [name, code_version(), timezone.localdate().isoformat(), translation.get_language()]
    key = "fragment:" + hashlib.sha256("\n".join([*fixed, *parts]).encode()).hexdigest()
    try:
        version = current_version(cache)
        stored = cache.get(key)
    except Exception:
        logger.exception("page cache unavailable")
        return render()
    if stored is not None and stored[0] == version:
        return stored[1]
    text = render()
    try:
        cache.set(key, (version, text), settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("page cache unavailable")
    return text


def writes_pending() -> bool:
    """True inside a transaction that has written content it has not committed yet.

    What such a request renders shows its own writes, which the version does not count
    yet: it must not be served from the cache, nor be kept in it.
    """
    for connection in connections.all(initialized_only=True):
        bump = getattr(connection, "page_cache_bump", None)
        if bump is not None and not bump.done and connection.in_atomic_block:
            return True
    return False


def bump_version() -> None:
    """Make every cached page stale. Never raises: it runs after a commit."""
    cache = page_cache()
    try:
        try:
            version = cache.incr(VERSION_KEY)
        except ValueError:
            # Not there: a fresh number from the clock is above any used before. If another
            # process added one at the same moment, step past it.
            version = time.time_ns() // 1000
            if not cache.add(VERSION_KEY, version, timeout=None):
                version = cache.incr(VERSION_KEY)
        watch = getattr(cache, "version_watch", None)
        if watch is not None:
            watch.announce(version)
    except Exception:
        logger.exception("page cache version could not be bumped; pages may be stale")


class _Bump:
    """One bump per transaction, however many writes registered it."""

    __slots__ = ("done",)

    def __init__(self):
        self.done = False

    def __call__(self):
        if not self.done:
            self.done = True
            bump_version()


def content_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Bump the version when the current transaction commits (at once outside one).

    Every write registers the same callback object until it has run, so an import of a
    thousand rows bumps once. A rolled-back transaction drops its callbacks but leaves the
    object pending, and the next write registers it again.
    """
    connection = connections[using]
    bump = getattr(connection, "page_cache_bump", None)
    if bump is None or bump.done:
        bump = connection.page_cache_bump = _Bump()
    transaction.on_commit(bump, using=using)


@functools.cache
def content_tables() -> frozenset[str]:
    from simple_history.models import HistoricalChanges

    return frozenset(
        model._meta.db_table
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        # History rows are only ever written together with the row they record.
        if not issubclass(model, HistoricalChanges)
    )


def watch_writes(execute, sql, params, many, context):
    """Execute wrapper: a write to a content table makes the cached pages stale on commit."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str):
        match = _WRITE.match(sql)
        if match and (match.group(1) is None or match.group(1) in content_tables()):
            content_changed(context["connection"].alias)
    return result


def install_write_watch(sender, connection, **kwargs) -> None:
    """connection_created receiver (see strategy_portal.apps)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


@functools.cache
def code_version() -> str:
    """A digest of the code, templates, translations and static files this process serves.

    Part of every key, so a new deploy never serves pages rendered by the old one (with
    links to static files that are gone), not even while servers sharing Redis roll over.
    """
    digest = hashlib.sha256(django.get_version().encode())
    base = settings.BASE_DIR
    folders = (
        "strategy_portal",
        "priorities",
        "partners",
        "planning",
        "reporting",
        "templates",
        "locale",
        "static",
    )
    files = [base / "pyproject.toml"] + [
        path for folder in folders for path in (base / folder).rglob("*") if path.is_file()
    ]
    for path in sorted(files):
        if path.exists() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

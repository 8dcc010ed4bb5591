"""Whole-page cache for anonymous visitors, made stale at once by any change to the content.

Public pages are read far more often than they are written. An anonymous GET or HEAD of a
public page that answers 200 is stored whole (body and headers) under a key made of today's
date, the code version, the language, the absolute URL with its query string and the htmx
request headers, together with the content version it was rendered under. Signed-in users
neither get nor fill cached pages.

Any write to a table of the `priorities` or `partners` apps bumps the content version when its
transaction commits, so every cached page goes stale at once: a page stored under another
version is never served, and the next visitor's page replaces it. The version and the page are
read together, in one round trip to the cache.

Writes are seen where they reach the database (an execute wrapper on every connection), not
through model signals: bulk_create, QuerySet.update() and raw SQL send no signals, and an
activity hidden with `.update()` must leave the public pages as surely as one hidden through a
form.

The version lives in the cache itself, so with Redis (REDIS_URL) every app server and worker
sees the same one. The default local-memory cache is per process: run one process per server
without Redis, or a change made through one worker is only seen by another worker after
PAGE_CACHE_SECONDS.
"""

import functools
import hashlib
import logging
import re
import time

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import redis as redis_backend
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
# Apps whose tables hold what public pages show.
CONTENT_APPS = ("priorities", "partners")
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


def page_cache():
    return caches["default"]


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


class RedisCache(redis_backend.RedisCache):
    """django.core.cache.backends.redis.RedisCache with the client above (settings.CACHES)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

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
        key = self.key(request, language)
        try:
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY) or current_version(cache)
        except Exception:
            # A cache outage slows the site down; it must not take it down.
            logger.exception("page cache unavailable")
            return self.get_response(request)
        stored = found.get(key)
        if stored is not None and stored[0] == version:
            _version, content, headers = stored
            response = HttpResponse(content, headers=headers)
            response["X-Cache"] = "HIT"
            return response

        response = self.get_response(request)
        # LocaleMiddleware records the language it activated; a page in any other language
        # than the one in the key is not stored.
        rendered_in = getattr(request, "LANGUAGE_CODE", language)
        if rendered_in == language and self.may_store(request, response):
            patch_vary_headers(response, ("Cookie", *HTMX_HEADERS))
            try:
                page = (version, response.content, dict(response.items()))
                cache.set(key, page, settings.PAGE_CACHE_SECONDS)
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
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use, or evicted: start from the clock, above any number used before.
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_version() -> None:
    """Make every cached page stale. Never raises: it runs after a commit."""
    cache = page_cache()
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            # Not there: a fresh number from the clock is above any used before. If another
            # process added one at the same moment, step past it.
            if not cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None):
                cache.incr(VERSION_KEY)
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
    folders = ("strategy_portal", "priorities", "partners", "templates", "locale", "static")
    files = [base / "pyproject.toml"] + [
        path for folder in folders for path in (base / folder).rglob("*") if path.is_file()
    ]
    for path in sorted(files):
        if path.exists() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

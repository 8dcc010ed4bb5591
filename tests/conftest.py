import importlib
import io
import os
import shutil
import socket
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from django.utils.module_loading import import_string

from priorities.roles import EDITOR_GROUP, STAFF_GROUP

# PASSWORD and make_user are imported from here by older test files too.
from tests.factories import PASSWORD, get_commitment, make_user  # noqa: F401

# Playwright runs its own event loop in the test thread; the ORM calls in tests are sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The Redis the page cache's Redis tests use (tests/test_page_cache_redis.py). Each test keeps
# to a key prefix of its own (with the pytest-xdist worker's id in it) and nothing flushes the
# database, so one database number is safe for every worker and for other runs at once.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/5"


def xdist_worker() -> str:
    """This process's pytest-xdist worker ("gw0", "gw1", ...); "" in a run without workers."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_process(tmp_path_factory):
    """The shared cache (pages and the content version, strategy_portal/cache.py) is this test
    process's own. Every committed write bumps the version in it: with pytest-xdist, another
    worker's commit would make a page stale between a test's two requests. Without REDIS_URL,
    files in a temporary folder (each worker has its own, and the project's cache/ folder is
    left alone); with it, the configured key prefix plus the worker's id."""
    cache = dict(settings.CACHES["default"])
    backend = import_string(cache["BACKEND"])
    if issubclass(backend, FileBasedCache):
        cache["LOCATION"] = str(tmp_path_factory.mktemp("cache"))
    elif issubclass(backend, RedisCache) and xdist_worker():
        cache["KEY_PREFIX"] = f"{cache.get('KEY_PREFIX', '')}-{xdist_worker()}"
    with override_settings(CACHES={**settings.CACHES, "default": cache}):
        yield


# --- Tests that need an outside service: skipped, with the reason, where it is absent ------
#
# `make test` passes on a machine without PostgreSQL, Redis or Chromium: the tests that need
# one are skipped and the summary lists them with the reason (-rs). In CI nothing may be
# skipped: REQUIRE_SERVICES=1 makes every skip a failure (pytest_runtest_makereport below).


def require_services() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "") not in ("", "0")


@cache
def redis_unreachable(url: str) -> str | None:
    """Why nothing answers PING at `url`, or None when Redis does."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    try:
        with socket.create_connection((host, port), timeout=1) as conn:
            conn.settimeout(1)
            conn.sendall(b"PING\r\n")
            answer = conn.recv(64)
    except OSError as exc:
        return f"no Redis at {host}:{port} ({exc.strerror or exc})"
    if not answer.startswith((b"+PONG", b"-NOAUTH")):
        return f"{host}:{port} did not answer PING like Redis: {answer[:40]!r}"
    return None


@cache
def chromium_missing() -> str | None:
    """Why there is no Chromium for Playwright, or None: CHROMIUM_PATH, Debian's
    /usr/bin/chromium, or Playwright's own download (make test installs one of them)."""
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if os.access(path, os.X_OK):
        return None
    downloads = Path(
        os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright"
    )
    if any(downloads.glob("chromium*")):
        return None
    return f"no Chromium at {path} (CHROMIUM_PATH) nor in {downloads}"


def service_missing(item) -> str | None:
    """Why `item` cannot run here, or None."""
    from django.db import connection

    if item.get_closest_marker("postgresql") and connection.vendor != "postgresql":
        return f"PostgreSQL only; the tests run on {connection.vendor} (set DATABASE_URL)"
    if item.get_closest_marker("postgresql_client") and connection.vendor == "postgresql":
        missing = [tool for tool in ("pg_dump", "pg_restore") if not shutil.which(tool)]
        if missing:
            return f"needs PostgreSQL's client tools on PATH: {', '.join(missing)} missing"
    if item.get_closest_marker("redis") and (why := redis_unreachable(TEST_REDIS_URL)):
        return f"needs Redis: {why} (TEST_REDIS_URL)"
    if item.get_closest_marker("browser") and (why := chromium_missing()):
        return f"needs Chromium: {why}"
    return None


def pytest_collection_modifyitems(config, items):
    # A skip mark (not pytest.skip() at setup): the summary then names each test skipped.
    for item in items:
        if why := service_missing(item):
            item.add_marker(pytest.mark.skip(reason=why))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and require_services() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        reason = str(reason).removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"REQUIRE_SERVICES=1 allows no skip, and this test was skipped: {reason}"
    return report


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language (bokmål). A request to an /en/ or /nn/
    page leaves its language active in the thread (LocaleMiddleware does not switch back), and
    reverse() in the next test would then give that language's paths."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def pdf_cache_of_this_test(settings, tmp_path):
    """Each test builds its PDFs into a folder of its own (strategy_portal/pdf.py)."""
    settings.PDF_CACHE_DIR = tmp_path / "pdf"


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Tests see pages as the views render them, whatever PAGE_CACHE the environment sets:
    the page cache's own tests switch it on (tests/test_page_cache*.py)."""
    settings.PAGE_CACHE = False


@pytest.fixture
def file_cache_on(settings, tmp_path):
    """The page cache on, in the deploy's set-up without Redis: the shared cache in files
    (FileCache, as settings.py configures it without REDIS_URL), in a folder of the test's own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "strategy_portal.cache.FileCache",
            "LOCATION": str(tmp_path / "cache"),
            "TIMEOUT": None,
        }
    }
    settings.PAGE_CACHE = True


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are made by the hundred here, and a production hash (PBKDF2, a million rounds)
    takes a quarter of a second: the suite would spend minutes hashing. MD5 for the tests'
    own users; PBKDF2 stays listed, so any hash made without this fixture still checks."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def strategy(db):
    """The real strategy content, loaded as in production."""
    from priorities.models import Strategy

    call_command("load_strategy", stdout=io.StringIO())

    return Strategy.objects.get()


@pytest.fixture
def commitment(strategy):
    """Commitment 1.1 (tests/factories.py's get_commitment gives any other)."""
    return get_commitment("1.1")


@pytest.fixture
def commitments(strategy) -> dict:
    """Every commitment, by code ("1.1")."""
    from priorities.models import Commitment

    return {c.code: c for c in Commitment.objects.select_related("priority")}


@pytest.fixture
def roles_from_the_migration(transactional_db):
    """The groups the migrations create (priorities 0002 and 0013, planning 0002): a transactional
    test's flush empties them."""
    migration = importlib.import_module("priorities.migrations.0002_roles")
    plan = importlib.import_module("planning.migrations.0002_roles")  # the action plan's
    rounds = importlib.import_module("reporting.migrations.0002_roles")  # reporting rounds'
    projects = importlib.import_module("projects.migrations.0002_roles")  # the project register's
    visits = importlib.import_module("priorities.migrations.0013_visit_roles")
    for name, codenames in migration.ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [*codenames, *visits.VISIT_PERMISSIONS[name]]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="priorities", codename__in=codenames)
            | Permission.objects.filter(
                content_type__app_label="planning", codename__in=plan.PLAN_PERMISSIONS[name]
            )
            | Permission.objects.filter(
                content_type__app_label="reporting",
                codename__in=rounds.REPORTING_PERMISSIONS[name],
            )
            | Permission.objects.filter(
                content_type__app_label="projects",
                codename__in=projects.PROJECT_PERMISSIONS[name],
            )
        )


@pytest.fixture
def staff_user(db):
    return make_user("staff", STAFF_GROUP)


@pytest.fixture
def other_staff_user(db):
    return make_user("otherstaff", STAFF_GROUP)


@pytest.fixture
def editor_user(db):
    return make_user("editor", EDITOR_GROUP)


@pytest.fixture
def admin_user(db):
    return make_user("administrator", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def editor_client(client, editor_user):
    client.force_login(editor_user)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# --- Browser tests: Playwright in Debian's Chromium (or CHROMIUM_PATH) ---------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    args = {
        **browser_type_launch_args,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
    # Without a system Chromium, Playwright's own download (make test installs it).
    if os.path.exists(path):
        args["executable_path"] = path
    return args


@pytest.fixture
def console_errors(page):
    """Collect console errors and failed requests of the page under test."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: failed(req, errors))
    return errors


def failed(request, errors: list[str]) -> None:
    # A load the browser dropped because the page went on (a form submitted while the
    # favicon loads) is aborted, not failed: a missing or broken file answers 4xx or 5xx,
    # which the console reports, or fails otherwise.
    if request.failure != "net::ERR_ABORTED":
        errors.append(f"request failed: {request.url} ({request.failure})")


# The browser tests' two widths: a desktop and a phone.
WIDTHS = [(1280, 900), (360, 740)]


def layout_problems(page) -> dict:
    """The page's problems at each of WIDTHS, by width: axe's violations, or a horizontal
    scroll on the phone (which wins). The viewport is back at 1280 afterwards."""
    problems = {}
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        if violations := axe_violations(page):
            problems[width] = violations
        if width == 360 and page.evaluate(
            "document.documentElement.scrollWidth > window.innerWidth"
        ):
            problems[width] = "horizontal scroll"
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


def axe_violations(page) -> list:
    """axe-core's WCAG 2.1 A/AA violations on the page (runs offline, works under CSP)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result.response["violations"]
    ]

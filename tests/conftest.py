import io
import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import translation

from priorities.roles import EDITOR_GROUP, STAFF_GROUP, ensure_roles

# Playwright runs its own event loop in the test thread; the ORM calls in tests are sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language (bokmål). A request to an /en/ or /nn/
    page leaves its language active in the thread (LocaleMiddleware does not switch back), and
    reverse() in the next test would then give that language's paths."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Tests see pages as the views render them, whatever PAGE_CACHE the environment sets:
    the page cache's own tests switch it on (tests/test_page_cache*.py)."""
    settings.PAGE_CACHE = False


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


def make_user(username: str, group: str | None = None, **extra) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name="Test", last_name=username.title(), **extra
    )
    if group:
        # Transactional tests flush the tables, groups made by the data migration included.
        ensure_roles()
        user.groups.add(Group.objects.get(name=group))
    return user


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
    page.on("requestfailed", lambda req: errors.append(f"request failed: {req.url}"))
    return errors


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

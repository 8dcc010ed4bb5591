"""Settings for Strategiportalen.

One file for every environment: production differs from development only by
environment variables (see README.md, "Configuration").
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG off) needs a long random SECRET_KEY "
            "in the environment; for local development set DEBUG=1."
        )
    # Development only: a fixed key is fine for a server on 127.0.0.1.
    SECRET_KEY = "development-only-not-secret"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_countries",
    "simple_history",
    "axes",
    "accounts",
    "counties",
    "partners",
    "priorities",
    "planning",
    "reporting",
    "projects",
    # The task queue of django.tasks' database backend (TASKS_BACKEND=database); before
    # reminders, whose admin takes the queue's admin away.
    "django_tasks_db",
    "reminders",
    # The project's own app config: connects the page cache's invalidation.
    "strategy_portal.apps.PortalConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost with SecurityMiddleware, so that every response gets their headers: also an
    # error that a middleware below turned into a response (a host name not served: 400).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # One line per request, cached pages included (static files are not logged).
    "strategy_portal.logs.RequestLogMiddleware",
    # An admin query string the database refuses (a NUL byte, "abc" for an IP address) is a
    # 400, not a database error (a 500).
    "strategy_portal.admin_guard.AdminQueryGuard",
    # The open data API refuses methods other than GET and HEAD in JSON, before
    # CsrfViewMiddleware would answer them with its HTML page (priorities/api.py).
    "priorities.api.OpenDataMiddleware",
    # Whole pages for anonymous visitors (strategy_portal/cache.py): a visitor without a
    # session cookie gets a cached page before anything below runs. A stored page carries
    # the headers the middleware below added to it (Vary, Content-Language); the security
    # headers above are added to every answer, a cached one too.
    "strategy_portal.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strategy_portal.urls"
WSGI_APPLICATION = "strategy_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Whether demo data is loaded: the banner on every page.
                "priorities.context_processors.demo",
                # The county that runs the portal, on every page (name, logo, contact).
                "counties.context_processors.portal_owner",
            ],
            "libraries": {"portal": "strategy_portal.templatetags.portal"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on SQLite wait their turn for the write lock (tests/test_concurrency).
    # IMMEDIATE: a transaction takes it when it begins; one that read first and then wrote
    # (an edit) was refused at once, without waiting: "database is locked", a 503. And up to
    # 20 s instead of the driver's 5: twenty writers at once ran over 5 s.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache every worker shares: it holds the whole-page cache and the content version that
# makes it stale (strategy_portal/cache.py). On one server, files in CACHE_DIR, read by every
# worker of that server; with several app servers behind a load balancer, Redis (REDIS_URL).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's RedisCache, reusing its redis-py client (strategy_portal/cache.py).
            "BACKEND": "strategy_portal.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "strategiportalen"),
        }
    }
else:
    CACHES = {
        "default": {
            # Django's file-based cache with an atomic version bump (strategy_portal/cache.py).
            "BACKEND": "strategy_portal.cache.FileCache",
            "LOCATION": os.environ.get("CACHE_DIR") or BASE_DIR / "cache",
            # Entries that give no timeout never expire (the content version); pages give one.
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Built PDFs (the yearly report, briefing packs), one file per content version
# (strategy_portal/pdf.py). On several app servers, a folder they share.
PDF_CACHE_DIR = os.environ.get("PDF_CACHE_DIR") or BASE_DIR / "cache" / "pdf"

# Whole public pages for anonymous visitors, and the yearly report's body for everyone
# (strategy_portal/cache.py). Off in development, so template edits show.
PAGE_CACHE = envbool("PAGE_CACHE", not DEBUG)
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, which LOCAL_PASSWORDS can switch off for all but one account.
    "accounts.backends.PasswordBackend",
    # Answers only the OpenID Connect callback, and only with a provider configured.
    "accounts.oidc.ProviderBackend",
]

# Login throttling (django-axes): lock the username + IP combination after repeated failures,
# so an attacker cannot lock a colleague out from everywhere. Admins unlock under
# "Axes > Access attempts" in /admin/ or with `manage.py axes_reset`.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_RESET_ON_SUCCESS = True
# Usernames cut to fit django-axes' column: a longer one made the sign-in page a 500.
AXES_USERNAME_CALLABLE = "strategy_portal.throttling.attempted_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Log who failed from where (never the password) so failed logins can be audited. The form's
# CSRF token is masked in the stored attempt (readable in the admin): it is the user's secret.
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken"]
# Behind the load balancer the client address is in X-Forwarded-For; set how many proxies.
AXES_IPWARE_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Sign-in with the county's own accounts through OpenID Connect (mozilla-django-oidc;
# accounts/oidc.py; README, "Sign-in with the county's accounts"). On when an issuer and a
# client id are set; without them the login page is the password form alone.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
# Read from the issuer's /.well-known/openid-configuration unless given.
OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_ENABLED = bool(OIDC_ISSUER and OIDC_RP_CLIENT_ID)
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile email")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
# The claim that lists the person's groups ("groups"; "roles" for Entra ID's app roles), and
# which of them give each portal role (comma-separated; Entra ID: the groups' object ids).
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
OIDC_GROUPS_STAFF = envlist("OIDC_GROUPS_STAFF", [])
OIDC_GROUPS_EDITOR = envlist("OIDC_GROUPS_EDITOR", [])
OIDC_GROUPS_ADMIN = envlist("OIDC_GROUPS_ADMIN", [])
OIDC_TIMEOUT = envint("OIDC_TIMEOUT_SECONDS", 10)
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
# Kept in the session for the provider's sign-out (id_token_hint).
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
# Passwords off for everyone but the named break-glass admin (accounts/backends.py).
LOCAL_PASSWORDS = envbool("LOCAL_PASSWORDS", True)
BREAK_GLASS_USERNAME = os.environ.get("BREAK_GLASS_USERNAME", "")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "priorities:my_work"
LOGOUT_REDIRECT_URL = "priorities:overview"

# Bokmål is the default and unprefixed; nynorsk under /nn/, English under /en/.
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "nb"
MODELTRANSLATION_LANGUAGES = ("nb", "nn", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nb",)

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed files in production; plain files where no collectstatic ran (tests).
STATIC_MANIFEST = envbool("STATIC_MANIFEST", not DEBUG)
# Without collectstatic (development, tests) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security. Production is HTTPS behind a proxy that sets X-Forwarded-Proto.
SECURE_HTTPS = envbool("SECURE_HTTPS", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = SECURE_HTTPS
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preload-ready by default (a year, subdomains, preload). The header alone submits nothing:
# adding the domain to browsers' preload list is a separate, deliberate step (README).
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", SECURE_HTTPS)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# 'self' only and no nonce: pages carry no inline script or style, so they can be
# cached whole and served to anyone.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if OIDC_ISSUER:
    # Sign-out is a form whose answer redirects to the provider's end_session_endpoint (on
    # the issuer's host, as Entra ID's is): form-action covers the redirect too.
    _issuer = urlsplit(OIDC_ISSUER)
    SECURE_CSP["form-action"] = [CSP.SELF, f"{_issuer.scheme}://{_issuer.netloc}"]

# Absolute links in e-mails (reminders/), which are sent without a request to build them
# from: the portal's address as people reach it, e.g. https://strategi.example.no.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# E-mail through Django's e-mail API (MAILERS, Django 6.1): an SMTP server, configured by the
# environment (README, "Configuration"); EMAIL_BACKEND=console prints e-mails instead.
EMAIL_BACKEND_NAME = os.environ.get("EMAIL_BACKEND", "smtp")
if EMAIL_BACKEND_NAME not in ("smtp", "console"):
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND must be 'smtp' or 'console', not {EMAIL_BACKEND_NAME!r}"
    )
MAILERS = {
    "default": {
        "BACKEND": f"django.core.mail.backends.{EMAIL_BACKEND_NAME}.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": envint("EMAIL_PORT", 25),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": envbool("EMAIL_USE_TLS", False),
            "use_ssl": envbool("EMAIL_USE_SSL", False),
            "timeout": envint("EMAIL_TIMEOUT_SECONDS", 30),
        }
        if EMAIL_BACKEND_NAME == "smtp"
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Strategiportalen <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# E-mails a request triggers (an entry returned or approved) are django.tasks tasks, so no
# request waits on SMTP. Development and tests run them at once (the immediate backend);
# production queues them in the database for `manage.py db_worker` (TASKS_BACKEND=database).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in ("immediate", "database"):
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be 'immediate' or 'database', not {TASKS_BACKEND!r}"
    )
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django.tasks.backends.immediate.ImmediateBackend"
    }
}

# Structured logs: one JSON object per line on stdout (LOG_FORMAT=plain for reading by eye).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "static_fields": {"service": "strategiportalen"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"no_request_object": {"()": "strategy_portal.logs.DropRequestObject"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": os.environ.get("LOG_FORMAT", "json"),
            "filters": ["no_request_object"],
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # RequestLogMiddleware logs every request once; django.server would repeat it.
        "django.server": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
        # WeasyPrint logs each step of each PDF; its warnings (a refused address) remain.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

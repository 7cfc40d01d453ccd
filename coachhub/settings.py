"""Settings, read from the environment. Every variable is documented in .env.example.

With no environment at all (plus DEBUG=1) the app runs embedded: SQLite and a filesystem broker
under var/, mail written to files under var/mail/. Production sets DATABASE_URL, CELERY_BROKER_URL,
the EMAIL_* variables, SECRET_KEY and ALLOWED_HOSTS.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already in the environment win over the file.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
# Production refuses to start without a real key; only local development gets a throwaway one.
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-development-key" if DEBUG else None)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set SECRET_KEY (required when DEBUG is off).")
# Anyone who knows the key can forge sessions and reset links: a short key can be guessed, and a
# placeholder copied from an example is known to everyone.
SECRET_KEY_MIN_LENGTH = 32
PLACEHOLDER_SECRET_KEYS = {"insecure-local-development-key", "changeme", "change-me", "secret", "your-secret-key"}
if not DEBUG and (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or SECRET_KEY.lower() in PLACEHOLDER_SECRET_KEYS
    or SECRET_KEY.startswith("django-insecure-")
    or len(set(SECRET_KEY)) < 5
):
    raise environ.ImproperlyConfigured(
        f"SECRET_KEY is too weak: use at least {SECRET_KEY_MIN_LENGTH} random characters, not a placeholder, e.g. "
        'from: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    # Two-factor sign-in: authenticator apps, recovery codes and passkeys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "coachhub.accounts",
    "sessions.apps.CoachingSessionsConfig",
    "assignments",
    "assignments.progress",
    "assignments.reminders",
    "assignments.programmes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body: too large a request is refused unread.
    "coachhub.middleware.RequestSizeLimitMiddleware",
    # Marks which people have passed their second factor in this session; the next one holds
    # everyone else at the second-step page, whichever way they logged in.
    "django_otp.middleware.OTPMiddleware",
    "coachhub.accounts.twofactor.middleware.SecondFactorMiddleware",
    # The signed-in person's own language and time zone, whatever the browser says.
    "coachhub.accounts.middleware.PersonalSettingsMiddleware",
    # Remembers which account this browser signed in with (see coachhub/accounts/devices.py).
    "coachhub.accounts.middleware.DeviceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coachhub.urls"
WSGI_APPLICATION = "coachhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # The design system's tags ({% icon %}) and `moment` (the date filter's output at a fraction of
            # its cost) in every template without a {% load %}.
            "builtins": ["coachhub.templatetags.ui", "assignments.templatetags.moments"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'coachhub.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: WAL lets readers run beside a writer, IMMEDIATE takes
    # the write lock at BEGIN (no failed lock upgrades), and the timeout waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The review loop's correlated subqueries make PostgreSQL estimate high costs for queries that
    # run in a millisecond; its JIT would then spend seconds compiling each one. Short queries only.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Holds the rate limits of login-link and invitation mails and the sessions, so every web process
# must see the same cache: files under var/ locally, Redis in production (docker-compose: its own
# Redis database, beside the broker's).
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

# --- Benchmark ------------------------------------------------------------------------------
# `make bench` routes two baseline pages under /bench/ (bench/views.py) to compare every page with.
# Only the benchmark turns this on; production never does.
BENCH_VIEWS = env.bool("BENCH_VIEWS", default=False)

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # One-time login links (django-sesame); after axes, so a locked-out address is refused first.
    "sesame.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login rate limit: five failures for one account from one address lock it for an hour.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The login form's field is called "username" (it holds the email); attempts are counted per email in
# lower case, as logins match it.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "coachhub.accounts.lockout.axes_username"
# Reverse proxies in front of the app that set X-Forwarded-For (docker-compose: 1, its Caddy). With 0
# the client is REMOTE_ADDR and the header is ignored, as anyone can send it. Lockouts and mail
# limits both ask coachhub.http.client_ip_address, so they count the same client.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "coachhub.http.client_ip_address"

# One-time login links mailed on request: valid for 15 minutes, and a link stops working once any
# login of that account has happened (it is bound to the last-login time).
SESAME_MAX_AGE = 15 * 60  # seconds
SESAME_ONE_TIME = True

# Sessions live in the database and are read through the cache: every request reads its session,
# and the cache answers that without a query. They stay rows in the database, not signed cookies:
# "Where you are signed in" lists a person's sessions from those rows and ends one by deleting its
# row and its cache entry (coachhub/accounts/devices.py); a signed cookie has no row to list, and
# nothing on the server could end it before it expires.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Two-factor sign-in ---
# A practice may insist that every coach sets up a second factor before doing anything else.
TWO_FACTOR_REQUIRED_FOR_COACHES = env.bool("TWO_FACTOR_REQUIRED_FOR_COACHES", default=False)
# Wrong codes in a row make the next try wait 1, 2, 4, 8, 16 ... seconds (per device).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "CoachHub"
# Passkeys are bound to the site's domain. WebAuthn accepts a domain, never an IP address, so a local
# run at 127.0.0.1 offers passkeys at http://localhost on the same port instead.
_webauthn_site = urlsplit(SITE_URL)
if _webauthn_site.hostname in ("127.0.0.1", "::1"):
    _port = f":{_webauthn_site.port}" if _webauthn_site.port else ""
    _webauthn_site = _webauthn_site._replace(netloc=f"localhost{_port}")
OTP_WEBAUTHN_RP_ID = _webauthn_site.hostname
OTP_WEBAUTHN_RP_NAME = "CoachHub"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{_webauthn_site.scheme}://{_webauthn_site.netloc}"]
# A passkey is a second factor after the password (or login link), never a login on its own: every
# login keeps going through the login rate limit.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# --- end two-factor sign-in ---

# How long an invitation link for a new coachee stays valid.
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)
# Invitations (sent or resent by the coach, or asked for again through an old link) in any 24 hours:
# to one coachee, and from one coach to all their coachees together. Keeps CoachHub from being
# used to flood inboxes.
INVITATIONS_PER_COACHEE_PER_DAY = env.int("INVITATIONS_PER_COACHEE_PER_DAY", default=3)
INVITATIONS_PER_COACH_PER_DAY = env.int("INVITATIONS_PER_COACH_PER_DAY", default=50)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Each language by its own name, so a person finds theirs whatever language the page is in.
LANGUAGES = [
    ("en", "English"),
    ("nl", "Nederlands"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# The named date formats (coachhub/formats/<language>/formats.py): pages and mails use their names,
# never a literal format, so order, names and clock follow the reader's language.
FORMAT_MODULE_PATH = ["coachhub.formats"]
TIME_ZONE = "UTC"  # stored times are UTC; pages show them in the viewer's own time zone
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# With DEBUG off WhiteNoise serves the files collected at build time (the Dockerfile runs
# collectstatic): compressed, under names that carry a hash of their content, so browsers may keep
# them for a year. Locally they are served as they are, without collecting first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads are private: kept outside the static tree and served only through views that check access.
MEDIA_ROOT = VAR_DIR / "uploads"
# --- Homework uploads (assignments) ---
# Largest file a coachee may add to creative homework. No MEDIA_URL is routed: files are served
# only by the view that checks who asks.
COACHHUB_UPLOAD_MAX_BYTES = env.int("COACHHUB_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# The most a form of text takes (twenty long answers, in any script), and so the most a visitor who
# is not logged in may send. A body past COACHHUB_UPLOAD_MAX_BYTES and a little room for the form
# around the file is refused unread (coachhub.middleware.RequestSizeLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Smaller files stay in memory; larger ones go to a temporary file while the request is handled.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The first handler keeps any file past the limit from reaching the ones that store it.
FILE_UPLOAD_HANDLERS = [
    "assignments.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# --- end homework uploads ---

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Mail -----------------------------------------------------------------------------------
# Locally mail is written to files; with DEBUG off it is sent over SMTP.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# A backend that delivers nothing would make production lose every invitation and reminder without a
# word; with DEBUG off it has to be asked for explicitly (a demo, a staging copy).
UNDELIVERED_MAIL_BACKENDS = {
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
if not DEBUG and EMAIL_BACKEND in UNDELIVERED_MAIL_BACKENDS and not env.bool("ALLOW_UNDELIVERED_MAIL", default=False):
    raise environ.ImproperlyConfigured(
        f"EMAIL_BACKEND={EMAIL_BACKEND} delivers no mail. With DEBUG off use the SMTP backend and set EMAIL_HOST, "
        "or set ALLOW_UNDELIVERED_MAIL=1 if no mail should leave."
    )
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CoachHub <noreply@coachhub.localhost>")

# --- Celery ---------------------------------------------------------------------------------
# The filesystem transport ignores the host, but kombu warns when a URL names none.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The beat schedule: every periodic task, each with a comment saying why it runs.
CELERY_BEAT_SCHEDULE: dict = {}
# --- Reminders (assignments.reminders) ---
# The reminder sweep: plans what is due into the outbox and hands it to workers. An interval, not a
# crontab: local send times are turned into UTC due moments in the database. Run exactly one beat
# per deployment; a sweep message older than its interval is dropped, as the next one is on its way.
CELERY_BEAT_SCHEDULE["reminders-sweep"] = {
    "task": "assignments.reminders.tasks.sweep",
    "schedule": 60.0,
    "options": {"expires": 55},
}
# Handing a task to the broker must never hang a web request when the broker is down: give up
# within seconds (the outbox row keeps the mail; the next sweep hands it out again).
# At worst two tries of two seconds each.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 10}
# --- end reminders ---

# --- Security -------------------------------------------------------------------------------
# HTTPS is on by default in production; local runs and the test server speak plain HTTP.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws form controls with data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django gives its own logger a console handler under DEBUG; passing everything to the root
    # handler alone keeps each line from being printed twice.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

"""Settings for the dangwu_wagtail demo site: a school's Wagtail site with the add-on installed.

SQLite in ``example_site/db.sqlite3`` by default; set ``DATABASE_URL`` (for example
``postgres://postgres@127.0.0.1:5432/example_demo``) to use PostgreSQL instead.

This is a demo, not a deployment: ``DEBUG`` is on unless ``DJANGO_DEBUG`` says otherwise and the
secret key is public unless ``DJANGO_SECRET_KEY`` is set.
"""

import datetime
import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent
BASE_DIR = PROJECT_DIR.parent


def env_flag(name, default):
    """A yes/no environment variable: 0, false, no and off (any case) mean no."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in {"", "0", "false", "no", "off"}


DEBUG = env_flag("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "demo-only-not-secret-do-not-deploy")
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")


# Applications

INSTALLED_APPS = [
    "home",
    # runserver leaves static files to WhiteNoise, as the site's server does.
    "whitenoise.runserver_nostatic",
    "dangwu_wagtail",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    # The task queue in the site's database; `manage.py dangwu_worker` runs it.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (compressed when collected) and the files at the site's root, such as
    # /favicon.ico, before anything else looks at the request.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed on the way out; Django's GZip middleware pads its output against
    # BREACH, so pages with a CSRF token may be compressed too.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Anonymous readers' pages of the columns, kept whole in the cache and served before
    # Wagtail routes the request: after the session and the language, before CSRF,
    # authentication and messages, whose traces in a response it looks for.
    "dangwu_wagtail.caching.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes), as the README's install steps set it: an account is locked
# out from one address for 15 minutes after five wrong passwords there; nobody else is.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dangwu_wagtail.accounts.lockout_response"

ROOT_URLCONF = "example_site.urls"
WSGI_APPLICATION = "example_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# Database

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other rather than fail with “database is locked”.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"


# Users

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Party members log in on the site itself, on the add-on's login page, to read their school's
# internal (党内) items.
LOGIN_URL = "dangwu_wagtail:login"
# Wagtail's own view restrictions (the internal section, the internal documents) send readers
# to the same login page.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"


# Internationalisation: Chinese first, English for those who ask for it.

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True


# Static and uploaded files

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static_collected"
STATIC_URL = "/static/"

MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic names each file after its content and writes a gzipped copy beside it:
    # WhiteNoise serves that copy to browsers that accept it, cached for a year.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Served at the site's root by WhiteNoise: favicon.ico, for browsers that ask for it there.
WHITENOISE_ROOT = PROJECT_DIR / "public"

# A catalog's edit form posts about a dozen fields per entry (some 400 for the 33 reference
# entries); leave room for a school's own entries beyond Django's default of 1,000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Every email (the add-on's, Wagtail's workflow emails, password resets) is queued in the
# database and sent by the task worker (run_demo.sh starts it), which prints them to its log
# here: DANGWU_WAGTAIL["EMAIL_BACKEND"] below. A real site puts Django's SMTP backend there.
EMAIL_BACKEND = "dangwu_wagtail.mail.QueuedEmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# Wagtail

WAGTAIL_SITE_NAME = "学校党务公开示范站"
# No Gravatar: gravatar.com is unreachable for many readers and editors in China, where every
# admin page would wait for avatars that never load and show broken images. Wagtail shows its
# own default avatar instead, and people may upload one in their account settings.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "dangwu_wagtail.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents are always served through Wagtail's view, where collection privacy applies.
WAGTAILDOCS_SERVE_METHOD = "serve_view"


# The add-on: every key is optional (see dangwu_wagtail/conf.py).

DANGWU_WAGTAIL = {
    "DEFAULT_PERIOD": "year",
    # The benchmarks set 0 to measure the column's page without its listing cache.
    "LISTING_CACHE_SECONDS": int(os.environ.get("DANGWU_LISTING_CACHE_SECONDS", 3600)),
    # And 0 here to measure the pages without the anonymous page cache.
    "PAGE_CACHE_SECONDS": int(os.environ.get("DANGWU_PAGE_CACHE_SECONDS", 300)),
    "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
}

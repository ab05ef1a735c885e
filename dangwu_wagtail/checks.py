"""System checks: settings of the host site that would let private content out, let anyone
guess passwords at leisure, send email during requests, or send readers to a login page that
is not there."""

from django.conf import global_settings, settings
from django.core.checks import Warning, register


def check_document_serving(app_configs, **kwargs):
    """Documents of internal items are protected only when Wagtail's serve view serves them.

    With ``WAGTAILDOCS_SERVE_METHOD = "direct"`` links point at the storage, and with
    ``"redirect"`` the view redirects to a storage URL that anyone who has it can fetch;
    left unset, Wagtail redirects for remote storages. Either way the file itself is public.
    """
    method = getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None)
    if method == "serve_view":
        return []
    if method is None:
        from wagtail.documents import get_document_model

        storage = get_document_model()._meta.get_field("file").storage
        try:
            storage.path("dangwu-check")
        except NotImplementedError:
            method = "redirect (the default for a storage without local paths)"
        else:
            return []
    return [
        Warning(
            f"WAGTAILDOCS_SERVE_METHOD is {method}: documents attached to internal (党内) "
            "items can be downloaded by anyone who has their storage URL.",
            hint='Set WAGTAILDOCS_SERVE_METHOD = "serve_view" so that every download goes '
            "through Wagtail's view, where dangwu_wagtail checks who may read it.",
            id="dangwu_wagtail.W001",
        )
    ]


AXES_BACKENDS = ("axes.backends.AxesStandaloneBackend", "axes.backends.AxesBackend")
THROTTLING_HINT = (
    'Install django-axes and set: INSTALLED_APPS += ["axes"]; AUTHENTICATION_BACKENDS = '
    '["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]; '
    'MIDDLEWARE += ["axes.middleware.AxesMiddleware"] (last); AXES_FAILURE_LIMIT = 5; '
    "AXES_COOLOFF_TIME = datetime.timedelta(minutes=15); "
    'AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]; AXES_RESET_ON_SUCCESS = True; '
    'AXES_LOCKOUT_CALLABLE = "dangwu_wagtail.accounts.lockout_response". '
    "See the README's install steps."
)


def check_login_throttling(app_configs, **kwargs):
    """Members' and staff accounts are protected from password guessing only when django-axes
    counts failed logins: its app, its authentication backend (first) and its middleware.

    Locked out by address alone, one person's mistakes would lock out a whole school behind
    one NAT address: the lockout must combine the username and the address.
    """
    from django.apps import apps

    backends = list(getattr(settings, "AUTHENTICATION_BACKENDS", []))
    middleware = list(getattr(settings, "MIDDLEWARE", []))
    missing = []
    if not apps.is_installed("axes"):
        missing.append('"axes" in INSTALLED_APPS')
    if not backends or backends[0] not in AXES_BACKENDS:
        missing.append("an axes backend first in AUTHENTICATION_BACKENDS")
    if "axes.middleware.AxesMiddleware" not in middleware:
        missing.append('"axes.middleware.AxesMiddleware" in MIDDLEWARE')
    if missing:
        return [
            Warning(
                "Logins are not throttled: anyone may try passwords for any account without "
                f"limit. Missing: {'; '.join(missing)}.",
                hint=THROTTLING_HINT,
                id="dangwu_wagtail.W002",
            )
        ]
    parameters = getattr(settings, "AXES_LOCKOUT_PARAMETERS", None) or ["ip_address"]
    combined = any(
        isinstance(parameter, list | tuple) and {"username", "ip_address"} <= set(parameter)
        for parameter in parameters
    )
    if not combined or "ip_address" in parameters or "username" in parameters:
        return [
            Warning(
                f"AXES_LOCKOUT_PARAMETERS is {parameters!r}: a lockout by address alone shuts "
                "out a whole school behind one NAT address, and by username alone lets anyone "
                "lock any account.",
                hint='Set AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]].',
                id="dangwu_wagtail.W003",
            )
        ]
    return []


def check_task_worker(app_configs, **kwargs):
    """For ``check --deploy``: emails wait for a worker only when they are queued in the
    database (django-tasks-db's backend) and the site's own emails go through the queue."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS

    backend = (getattr(settings, "TASKS", {}) or {}).get(DEFAULT_TASK_BACKEND_ALIAS, {})
    missing = []
    if backend.get("BACKEND") != "django_tasks_db.DatabaseBackend":
        missing.append('TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}')
    if getattr(settings, "EMAIL_BACKEND", "") != "dangwu_wagtail.mail.QueuedEmailBackend":
        missing.append('EMAIL_BACKEND = "dangwu_wagtail.mail.QueuedEmailBackend"')
    if not missing:
        return []
    return [
        Warning(
            "Emails are sent during requests: a slow or unavailable mail server delays "
            "reviewers' approvals and Wagtail's workflow emails can be lost. Missing: "
            f"{'; '.join(missing)}.",
            hint='Set them, with DANGWU_WAGTAIL["EMAIL_BACKEND"] naming the backend that '
            'really sends (e.g. "django.core.mail.backends.smtp.EmailBackend"), and run '
            "`manage.py dangwu_worker`. See the README's install steps.",
            id="dangwu_wagtail.W004",
        )
    ]


DATABASE_BACKENDS = ("wagtail.search.backends.database", "modelsearch.backends.database")


def check_search_backend(app_configs, **kwargs):
    """Wagtail's own database backend finds few Chinese words of more than two characters
    and no query typed without spaces: the add-on's backend asks for them as it indexes
    them."""
    backends = getattr(settings, "WAGTAILSEARCH_BACKENDS", None) or {
        "default": {"BACKEND": "wagtail.search.backends.database"}
    }
    return [
        Warning(
            f"WAGTAILSEARCH_BACKENDS[{name!r}] is Wagtail's database backend: searches for "
            "Chinese words of three or more characters, and queries typed without spaces, "
            "miss items that hold them.",
            hint='Set its "BACKEND" to "dangwu_wagtail.search_backend" (the same backend, '
            "asking for Chinese words the way the add-on indexes them).",
            id="dangwu_wagtail.W005",
        )
        for name, options in backends.items()
        if options.get("BACKEND") in DATABASE_BACKENDS
    ]


def default_login_url_unserved():
    """Whether ``LOGIN_URL`` is Django's default (``/accounts/login/``) and nothing of the
    site's URLs serves it but Wagtail's page router, which answers it with a 404: a
    ``wagtail start`` site before the members' pages are added (step 3 of the README)."""
    from django.urls import Resolver404, resolve

    if settings.LOGIN_URL != global_settings.LOGIN_URL:
        return False
    try:
        match = resolve(settings.LOGIN_URL)
    except Resolver404:
        return True
    return match.url_name == "wagtail_serve"


MEMBERS_PAGES_HINT = (
    'Add path("members/", include("dangwu_wagtail.urls")) to urls.py, before Wagtail\'s '
    'path("", include(wagtail_urls)), and set LOGIN_URL = "dangwu_wagtail:login" and '
    "WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL in the settings (step 3 of the README's "
    "install steps)."
)


def check_members_login(app_configs, **kwargs):
    """Members log in to read internal (党内) items. Without the add-on's members' pages in
    the site's URLs and no login page of the site's own, they are sent to Wagtail's bare
    login page (``/_util/login/``), which has no password reset: the README's step 3 is
    missing."""
    from django.urls import NoReverseMatch, reverse

    if getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None):
        return []
    try:
        reverse("dangwu_wagtail:login")
    except NoReverseMatch:
        pass
    else:
        return []
    if not default_login_url_unserved():
        return []
    return [
        Warning(
            "The members' pages (dangwu_wagtail.urls) are not in the site's URLs and "
            f"LOGIN_URL ({settings.LOGIN_URL}) serves no login page: readers of internal "
            "(党内) items are sent to Wagtail's bare login page (/_util/login/), where they "
            "cannot reset a forgotten password.",
            hint=MEMBERS_PAGES_HINT,
            id="dangwu_wagtail.W006",
        )
    ]


def register_checks():
    """Register the add-on's system checks; called once from ``AppConfig.ready()``."""
    register(check_document_serving, "security")
    register(check_login_throttling, "security")
    register(check_task_worker, "dangwu_wagtail", deploy=True)
    register(check_search_backend)
    register(check_members_login, "urls")

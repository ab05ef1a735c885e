"""Wagtail's test project (``wagtail.test.settings``) with the add-on installed as the README
tells a host to install it.

The only changes to Wagtail's settings are the host's steps that the add-on needs:

- ``dangwu_wagtail`` and ``wagtail_modeladmin`` in ``INSTALLED_APPS``, before Wagtail's apps
  (README, step 2). In Wagtail's test project the site's own apps (``wagtail.test.*``) are
  mixed with Wagtail's, and ``wagtail.test.earlypage`` must come first; the add-on goes right
  after it, before the first of Wagtail's apps. Wagtail's project already has ``taggit``.
- the members' pages in the URLs, before Wagtail's catch-all (step 3: ``tests.peer.urls``).

Left out on purpose, step 4: ``LOGIN_URL`` and ``WAGTAIL_FRONTEND_LOGIN_URL`` change where
Wagtail's own view restrictions send a reader, which Wagtail's tests assert; django-axes'
login throttling puts a backend first whose ``authenticate()`` needs the request, which
Django's ``Client.login``, used throughout Wagtail's tests, does not pass (the README says so
for a host's tests). The add-on works without either: it sends readers to its members' login
page, and its check ``dangwu_wagtail.W002`` warns that logins are not throttled.
"""

from wagtail.test import settings as wagtail_settings

globals().update({name: value for name, value in vars(wagtail_settings).items() if name.isupper()})

ADDON_APPS = ["dangwu_wagtail", "wagtail_modeladmin"]


def with_addon(installed_apps):
    """``installed_apps`` with the add-on's apps before the first of Wagtail's own."""
    apps = list(installed_apps)
    first_wagtail_app = next(
        index
        for index, app in enumerate(apps)
        if app.startswith("wagtail") and not app.startswith("wagtail.test.")
    )
    return apps[:first_wagtail_app] + ADDON_APPS + apps[first_wagtail_app:]


INSTALLED_APPS = with_addon(wagtail_settings.INSTALLED_APPS)
ROOT_URLCONF = "tests.peer.urls"

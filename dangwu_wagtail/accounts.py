"""Members' accounts on the site: log in, log out and reset a forgotten password, in the host
site's design (its ``base.html``), with Django's own views.

A host includes them once, e.g. ``path("members/", include("dangwu_wagtail.urls"))``; the
login page is then where an anonymous reader of an internal item is sent.

Logging in is throttled by django-axes, which the host configures (README, install steps):
it counts failed logins in Django's ``authenticate()``, so the member login and Wagtail's
admin login are both covered, and ``lockout_response`` is its lockout page. Password-reset
emails are limited here, per email address and per client address (``RATE_LIMITS``), for
members and, through ``limit_admin_password_resets``, in Wagtail's admin too.
"""

import math

from django.conf import global_settings, settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from .conf import dangwu_settings
from .models import Catalog
from .models.access import access_for


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page (``AXES_LOCKOUT_CALLABLE``), in the host's design: a 429
    that says for how long, in the reader's language."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    # Rendered now: django-axes' middleware returns it after the view's response is rendered.
    response = render(
        request, "dangwu_wagtail/account/locked_out.html", {"minutes": minutes}, status=429
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    patch_cache_control(response, private=True, no_store=True)
    return response


def password_reset_limited(request, email):
    """Whether a password-reset email to ``email`` goes over ``RATE_LIMITS``: the
    ``password_reset`` rate per email address, the ``password_reset_address`` rate per client
    address. Every request counts, whether or not an account has the address."""
    limits = dangwu_settings.RATE_LIMITS or {}
    limited = False
    rate = limits.get("password_reset")
    if rate:
        address = email.strip().lower()
        limited |= is_ratelimited(
            request,
            group="dangwu_wagtail.password_reset",
            key=lambda group, request: address,
            rate=rate,
            increment=True,
        )
    rate = limits.get("password_reset_address")
    if rate:
        limited |= is_ratelimited(
            request,
            group="dangwu_wagtail.password_reset_address",
            key="ip",
            rate=rate,
            increment=True,
        )
    return limited


def send_reset_unless_limited(view, form, send):
    """A password-reset view's ``form_valid``: ``send(form)`` unless ``RATE_LIMITS`` is
    reached, and the same answer either way, which tells nobody whether an account has the
    address."""
    if password_reset_limited(view.request, form.cleaned_data["email"]):
        return HttpResponseRedirect(view.get_success_url())
    return send(form)


def limit_admin_password_resets():
    """Give Wagtail's admin password reset the members' limits; called from ``ready()``."""
    from wagtail.admin.views.account import PasswordResetView

    from .admin_boundary import wrap

    @wrap(PasswordResetView, "form_valid")
    def form_valid(original, self, form):
        return send_reset_unless_limited(self, form, lambda form: original(self, form))


class MemberLoginView(auth_views.LoginView):
    template_name = "dangwu_wagtail/account/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Without ``next``: the site's ``LOGIN_REDIRECT_URL`` if it sets one, else the column
        of the member's own school, else the home page."""
        if settings.LOGIN_REDIRECT_URL != global_settings.LOGIN_REDIRECT_URL:
            return super().get_default_redirect_url()
        access = access_for(self.request.user)
        if not access.reads_every_catalog and access.reader_catalog_ids:
            catalog = Catalog.objects.filter(pk__in=access.reader_catalog_ids, live=True).first()
            if catalog is not None and catalog.url:
                return catalog.url
        return "/"


@method_decorator(never_cache, name="dispatch")
class MemberLogoutView(auth_views.LogoutView):
    template_name = "dangwu_wagtail/account/logged_out.html"


class MemberPasswordResetView(auth_views.PasswordResetView):
    template_name = "dangwu_wagtail/account/password_reset_form.html"
    email_template_name = "dangwu_wagtail/account/password_reset_email.txt"
    subject_template_name = "dangwu_wagtail/account/password_reset_subject.txt"
    success_url = reverse_lazy("dangwu_wagtail:password_reset_done")

    def form_valid(self, form):
        return send_reset_unless_limited(self, form, super().form_valid)


class MemberPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "dangwu_wagtail/account/password_reset_done.html"


class MemberPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "dangwu_wagtail/account/password_reset_confirm.html"
    success_url = reverse_lazy("dangwu_wagtail:password_reset_complete")


class MemberPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "dangwu_wagtail/account/password_reset_complete.html"

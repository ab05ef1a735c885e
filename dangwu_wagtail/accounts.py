"""Members' accounts on the site: log in, log out and reset a forgotten password, in the host
site's design (its ``base.html``), with Django's own views.

A host includes them once, e.g. ``path("members/", include("dangwu_wagtail.urls"))``; the
login page is then where an anonymous reader of an internal item is sent.
"""

from django.conf import global_settings, settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


class MemberLoginView(auth_views.LoginView):
    template_name = "dangwu_wagtail/account/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Without ``next``: the site's ``LOGIN_REDIRECT_URL`` if it sets one, else the column
        of the member's own school, else the home page."""
        if settings.LOGIN_REDIRECT_URL != global_settings.LOGIN_REDIRECT_URL:
            return super().get_default_redirect_url()
        from .privacy import ALL_SCHOOLS, internal_catalog_ids

        catalog_ids = internal_catalog_ids(self.request.user)
        if catalog_ids and catalog_ids is not ALL_SCHOOLS:
            from .models import Catalog

            catalog = Catalog.objects.filter(pk__in=catalog_ids, live=True).first()
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


class MemberPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "dangwu_wagtail/account/password_reset_done.html"


class MemberPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "dangwu_wagtail/account/password_reset_confirm.html"
    success_url = reverse_lazy("dangwu_wagtail:password_reset_complete")


class MemberPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "dangwu_wagtail/account/password_reset_complete.html"

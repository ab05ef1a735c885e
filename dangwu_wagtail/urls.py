"""The add-on's site URLs: members' accounts, the site-wide feed of public items, and the
district's statistics of requests.
Include them once in the host's ``urls.py``, before Wagtail's catch-all::

    path("members/", include("dangwu_wagtail.urls")),
"""

from django.urls import path

from . import accounts, views
from .feeds import SiteFeed

app_name = "dangwu_wagtail"

urlpatterns = [
    path("feed/", SiteFeed(), name="feed"),
    path("statistics/", views.district_statistics, name="statistics"),
    path("login/", accounts.MemberLoginView.as_view(), name="login"),
    path("logout/", accounts.MemberLogoutView.as_view(), name="logout"),
    path("password-reset/", accounts.MemberPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        accounts.MemberPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.MemberPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        accounts.MemberPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

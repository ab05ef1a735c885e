"""The column's pages where readers take part: requests (依申请公开), opinions (意见和建议) and
a member's own page with the answers. ``CatalogMixin`` routes to these views.

Every form is CSRF-protected (Django's middleware), validated, and rate-limited
(``RATE_LIMITS``): accepted submissions count, per user when logged in and per address when
anonymous. What a reader sends is saved before any email is queued.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from .conf import dangwu_settings
from .forms import ClarificationForm, DisclosureRequestForm, FeedbackForm
from .inputs import object_id
from .models import DisclosureItem, DisclosureRequest, Feedback, Follow, RequestStatus
from .notifications import notify, school_staff_emails
from .privacy import can_view_item, login_redirect, login_url


def submission_limited(request, action):
    """Whether a person has already sent the ``action``'s limit of accepted submissions:
    counted per user when logged in, per address only when anonymous (a school's NAT
    address is shared by everyone there). A refused or invalid submission counts nothing;
    call ``count_submission`` once one is accepted."""
    rate = (dangwu_settings.RATE_LIMITS or {}).get(action)
    if not rate:
        return False
    usage = get_usage(
        request, group=f"dangwu_wagtail.{action}", key=submission_key(request), rate=rate
    )
    # No usage when the cache fails and RATELIMIT_FAIL_OPEN is on.
    return usage is not None and usage["count"] >= usage["limit"]


def count_submission(request, action):
    rate = (dangwu_settings.RATE_LIMITS or {}).get(action)
    if rate:
        get_usage(
            request,
            group=f"dangwu_wagtail.{action}",
            key=submission_key(request),
            rate=rate,
            increment=True,
        )


def submission_key(request):
    return "user" if request.user.is_authenticated else "ip"


def too_many(request, catalog, template, **context):
    """The form shown back, with what was typed, and why it was not sent (HTTP 429)."""
    response = TemplateResponse(
        request,
        template,
        {
            **catalog.get_base_context(request),
            **context,
            "too_many": True,
        },
        status=429,
    )
    response["Retry-After"] = "3600"
    return response


def private(response):
    """What one reader sees of their own request or opinion is never stored in a cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def members_only(request, catalog):
    """What a visitor who is not logged in reads when ``catalog`` takes requests from
    logged-in readers only: that requests are for members, and where to log in. A form
    posted anyway is refused (403) and nothing is saved."""
    from django.contrib.auth import REDIRECT_FIELD_NAME
    from django.utils.http import urlencode

    context = {
        **catalog.get_base_context(request),
        "login_url": f"{login_url()}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}",
    }
    status = 403 if request.method == "POST" else 200
    return private(
        TemplateResponse(
            request, "dangwu_wagtail/request_members_only.html", context, status=status
        )
    )


def request_form_view(catalog, request):
    template = "dangwu_wagtail/request_form.html"
    if not request.user.is_authenticated and not catalog.accepts_public_requests():
        return members_only(request, catalog)
    form = DisclosureRequestForm(user=request.user)
    if request.method == "POST":
        form = DisclosureRequestForm(request.POST, request.FILES, user=request.user)
        if submission_limited(request, "request"):
            return private(too_many(request, catalog, template, form=form))
        if form.is_valid():
            with transaction.atomic():
                requester = request.user if request.user.is_authenticated else None
                disclosure_request = DisclosureRequest.objects.receive(
                    catalog, requester=requester, **form.cleaned_data
                )
                context = {"disclosure_request": disclosure_request, "catalog": catalog}
                notify("request_received", context, school_staff_emails(catalog))
                notify("request_acknowledged", context, [disclosure_request.email])
            count_submission(request, "request")
            return redirect(request_status_url(catalog, disclosure_request))
    context = {**catalog.get_base_context(request), "form": form}
    return private(TemplateResponse(request, template, context))


def request_status_url(catalog, disclosure_request):
    return catalog.subpage_url("request_status", disclosure_request.token)


def request_status_view(catalog, request, token):
    template = "dangwu_wagtail/request_status.html"
    disclosure_request = (
        DisclosureRequest.objects.filter(catalog=catalog, token=token)
        .select_related("answer_item")
        .first()
    )
    if disclosure_request is None:
        raise Http404
    if disclosure_request.requester_id is not None:
        # A member's request is read by that member, logged in; the link alone is not enough.
        if not request.user.is_authenticated:
            return login_redirect(request)
        if request.user.pk != disclosure_request.requester_id:
            raise Http404
    form = None
    if disclosure_request.status == RequestStatus.CLARIFICATION:
        form = ClarificationForm()
        if request.method == "POST":
            form = ClarificationForm(request.POST)
            if submission_limited(request, "clarification"):
                return private(
                    too_many(
                        request, catalog, template, form=form, disclosure_request=disclosure_request
                    )
                )
            if form.is_valid():
                with transaction.atomic():
                    user = request.user if request.user.is_authenticated else None
                    disclosure_request.clarify(form.cleaned_data["answer"], user=user)
                    notify(
                        "request_clarified",
                        {"disclosure_request": disclosure_request, "catalog": catalog},
                        school_staff_emails(catalog),
                    )
                count_submission(request, "clarification")
                messages.success(request, _("Thank you: your clarification was received."))
                return redirect(request_status_url(catalog, disclosure_request))
    item = disclosure_request.answer_item
    context = {
        **catalog.get_base_context(request),
        "disclosure_request": disclosure_request,
        "form": form,
        # The linked item is shown to a reader who may read it, and to nobody else.
        "answer_item": item
        if item is not None and item.live and can_view_item(request.user, item)
        else None,
    }
    return private(TemplateResponse(request, template, context))


def feedback_view(catalog, request):
    template = "dangwu_wagtail/feedback_form.html"
    if not request.user.is_authenticated:
        return login_redirect(request)
    if not catalog.may_comment(request.user):
        # Opinions come from the organisation's own people.
        raise PermissionDenied
    item = None
    item_id = request.POST.get("item") or request.GET.get("item")
    if item_id:
        item_id = object_id(item_id)
        item = (
            DisclosureItem.objects.live().filter(pk=item_id, entry__catalog=catalog).first()
            if item_id is not None
            else None
        )
        if item is None or not can_view_item(request.user, item):
            raise Http404
    form = FeedbackForm()
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if submission_limited(request, "feedback"):
            return private(too_many(request, catalog, template, form=form, item=item))
        if form.is_valid():
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    catalog=catalog,
                    item=item,
                    author=request.user,
                    author_name=request.user.get_full_name() or request.user.get_username(),
                    text=form.cleaned_data["text"],
                )
                notify(
                    "feedback_received",
                    {"feedback": feedback, "catalog": catalog},
                    school_staff_emails(catalog),
                )
            count_submission(request, "feedback")
            messages.success(request, _("Thank you: your opinion was received."))
            return redirect(catalog.subpage_url("mine"))
    context = {**catalog.get_base_context(request), "form": form, "item": item}
    return private(TemplateResponse(request, template, context))


def mine_view(catalog, request):
    """A reader's own requests and opinions to this column, with the answers."""
    if not request.user.is_authenticated:
        return login_redirect(request)
    disclosure_requests = list(
        DisclosureRequest.objects.filter(catalog=catalog, requester=request.user)
    )
    for disclosure_request in disclosure_requests:
        disclosure_request.status_url = request_status_url(catalog, disclosure_request)
    feedback = list(
        Feedback.objects.filter(catalog=catalog, author=request.user).select_related("item")
    )
    for opinion in feedback:
        # What the opinion was about, as the reader may read it now: a member who has left the
        # school keeps their own words, not the current title of an internal item.
        item = opinion.item
        opinion.readable_item = (
            item if item is not None and item.live and can_view_item(request.user, item) else None
        )
    context = {
        **catalog.get_base_context(request),
        "disclosure_requests": disclosure_requests,
        "feedback": feedback,
    }
    return private(TemplateResponse(request, "dangwu_wagtail/mine.html", context))


def follow_view(catalog, request):
    """Follow the column, or the entry ``entry`` of its form, or stop following it: for the
    school's own people, logged in. Answers a form (POST) and goes back to the page followed."""
    if request.method != "POST":
        return redirect(catalog.url or "/")
    if not request.user.is_authenticated:
        return login_redirect(request)
    if not catalog.may_follow(request.user):
        raise PermissionDenied
    entry = None
    entry_id = request.POST.get("entry")
    if entry_id:
        entry_id = object_id(entry_id)
        entry = catalog.entries.filter(pk=entry_id).first() if entry_id is not None else None
        if entry is None:
            raise Http404
    following = Follow.objects.toggle(request.user, catalog, entry)
    if following:
        messages.success(
            request, _("You follow it now: you will be emailed when a new item appears.")
        )
    else:
        messages.success(request, _("You no longer follow it."))
    return redirect(catalog.subpage_url("entry", entry.pk) if entry else catalog.url or "/")


def unfollow_view(catalog, request, token):
    """The unfollow link of the emails: it works without logging in (the link is the key),
    and stops the follow when its button is pressed, never on merely opening the link (mail
    programs open links to check them)."""
    template = "dangwu_wagtail/unfollow.html"
    follow = Follow.objects.filter(catalog=catalog, token=token).select_related("entry").first()
    context = {**catalog.get_base_context(request), "follow": follow}
    if follow is None:
        return private(TemplateResponse(request, template, context, status=404))
    if request.method == "POST":
        follow.delete()
        context["follow"] = None
        context["unfollowed"] = True
    return private(TemplateResponse(request, template, context))

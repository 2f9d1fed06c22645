"""Staff subscribe to the lists for their roles in one click."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from newsletter.models import NewsletterList, Subscriber
from newsletter.services import subscriptions
from selvhjelp.mfa import staff_page
from selvhjelp.privacy import normalise_email


def _staff_lists(user) -> tuple[list[str], object]:
    lists, region = [], None
    membership = user.contact_point_memberships.select_related(
        "contact_point__municipality__county__district_office"
    ).first()
    if membership is not None:
        lists.append(NewsletterList.CONTACT_POINTS)
        region = membership.contact_point.municipality.county.district_office
    if getattr(user, "facilitator", None) is not None:
        lists.append(NewsletterList.FACILITATORS)
    return lists, region


@staff_page
@login_required
@never_cache
def staff_subscribe(request: HttpRequest) -> HttpResponse:
    lists, region = _staff_lists(request.user)
    if request.method == "POST" and lists:
        subscriptions.subscriber_subscribe_staff(user=request.user, lists=lists, region=region)
        messages.success(request, _("Du får nå nyhetsbrevene for rollen din."))
        return redirect("newsletter:staff-subscribe")
    subscriber = Subscriber.objects.filter(email=normalise_email(request.user.email)).first()
    return render(
        request,
        "newsletter/staff_subscribe.html",
        {
            "lists": [NewsletterList(key).label for key in lists],
            "subscriber": subscriber,
            "subscribed_to": [
                NewsletterList(k).label for k in (subscriber.lists if subscriber else [])
            ],
            "manage_token": subscriptions.manage_token(subscriber.public_id) if subscriber else "",
        },
    )

"""The public newsletter pages: subscribe, confirm, preferences, unsubscribe, archive, feed."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from newsletter.forms import ListsForm, SubscribeForm
from newsletter.models import Issue
from newsletter.rendering import markdown_to_html
from newsletter.services import bounces, subscriptions
from selvhjelp import ratelimit


def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.hit(f"newsletter:ip:{ratelimit.client_ip(request)}", 20, 3600):
            form.refuse(_("Du har prøvd mange ganger på kort tid. Vent litt og prøv igjen."))
        elif form.is_valid():
            data = form.cleaned_data
            # Per address too, so no one can flood a stranger's inbox with confirmations.
            if ratelimit.hit(f"newsletter:email:{data['email'].lower()}", 5, 3600):
                subscriptions.subscriber_subscribe(
                    email=data["email"],
                    name=data["name"],
                    lists=data["lists"],
                    region=data["region"],
                )
            return redirect("newsletter:subscribe-done")
    return render(request, "newsletter/subscribe.html", {"form": form})


def subscribe_done(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/subscribe_done.html")


@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = subscriptions.subscriber_confirm(token=token)
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber}, status=200)


@never_cache
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    public_id, subscriber = subscriptions.subscriber_for_manage_token(token)
    if subscriber is None:
        return render(
            request, "newsletter/link_invalid.html", {"unsubscribed": public_id is not None}
        )
    form = ListsForm(
        request.POST or None,
        initial={"lists": subscriber.lists, "region": subscriber.region_id},
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        subscriptions.subscriber_update(
            subscriber=subscriber,
            lists=form.cleaned_data["lists"],
            region=form.cleaned_data["region"],
        )
        saved = True
    return render(
        request,
        "newsletter/preferences.html",
        {"form": form, "token": token, "saved": saved},
    )


@csrf_exempt  # RFC 8058: the mailbox provider POSTs with no cookie and no token
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button (link scanners follow GET links); POST leaves at once. The signed
    token is the proof: it cannot be guessed, so a forged cross-site POST has nothing to use."""
    public_id, subscriber = subscriptions.subscriber_for_manage_token(token)
    if public_id is None:
        return render(request, "newsletter/link_invalid.html", {"unsubscribed": False})
    if request.method == "POST":
        subscriptions.subscriber_unsubscribe(public_id=public_id)
        return render(request, "newsletter/unsubscribed.html")
    if subscriber is None:
        return render(request, "newsletter/unsubscribed.html")
    return render(request, "newsletter/unsubscribe.html", {"token": token})


def archive(request: HttpRequest) -> HttpResponse:
    issues = (
        Issue.objects.archived()
        .filter(office__isnull=True)
        .only("pk", "subject", "preheader", "sent_at")[:100]
    )
    return render(request, "newsletter/archive.html", {"issues": issues})


def archive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.archived().filter(office__isnull=True), pk=pk)
    return render(
        request,
        "newsletter/archive_detail.html",
        {"issue": issue, "body_html": markdown_to_html(issue.body_markdown)},
    )


class ArchiveFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Nyhetsbrev fra Selvhjelp")
    link = reverse_lazy("newsletter:archive")
    subtitle = gettext_lazy("Nyhetsbrevene vi har sendt.")

    def items(self):
        return Issue.objects.archived().filter(office__isnull=True)[:20]

    def item_title(self, item: Issue) -> str:
        return item.subject

    def item_description(self, item: Issue) -> str:
        return markdown_to_html(item.body_markdown)

    def item_link(self, item: Issue) -> str:
        return reverse("newsletter:archive-detail", args=[item.pk])

    def item_pubdate(self, item: Issue):
        return item.sent_at


@csrf_exempt  # a provider posts here; the shared secret is the check
@require_POST
def bounce_webhook(request: HttpRequest) -> HttpResponse:
    """JSON {"email": ..., "type": "hard" | "soft" | "complaint"}, or a list of those, with the
    secret in X-Webhook-Secret. Off (404) while NEWSLETTER_WEBHOOK_SECRET is unset."""
    secret = settings.NEWSLETTER_WEBHOOK_SECRET
    if not secret:
        raise Http404
    given = request.headers.get("X-Webhook-Secret", "")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return HttpResponse(status=403)
    try:
        payload = json.loads(request.body)
        events = payload if isinstance(payload, list) else [payload]
        pairs = [(str(e["email"]), str(e["type"])) for e in events]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "bad payload"}, status=400)
    if any(kind not in {bounces.HARD, bounces.SOFT, bounces.COMPLAINT} for _a, kind in pairs):
        return JsonResponse({"error": "bad type"}, status=400)
    suppressed = sum(bounces.bounce_record(address=a, kind=k) for a, k in pairs)
    return JsonResponse({"received": len(pairs), "suppressed": suppressed})

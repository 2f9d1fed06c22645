"""The public one-click confirm link from the reminder email."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from groups.services import confirmation as confirmation_services


@never_cache
@require_http_methods(["GET", "POST"])
def group_confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """One click from the reminder email, no login: opening the signed link confirms. It only
    ever confirms (never changes or hides anything), and confirming twice is harmless, so a
    mail scanner that opens the link does no damage. POST still works for older emails."""
    found = confirmation_services.group_from_confirmation_token(token)
    if found is None:
        return render(request, "groups/group_confirm.html", {"state": "gone"})
    group, requested_at = found
    if confirmation_services.group_confirm(group=group, requested_at=requested_at):
        return render(request, "groups/group_confirm.html", {"state": "done", "group": group})
    return render(request, "groups/group_confirm.html", {"state": "gone"})

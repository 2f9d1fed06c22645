"""The contact point's own pages in the workspace: its home, its facilitators and its public
profile.

The home shows other apps' data (interests, demand, groups) through their panels, loaded in the
template (`{% load group_panels %}`): this module must not import `groups`, dependencies point
one way.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from contactpoints.access import (
    get_contact_point_for_user,
    get_facilitator_for_contact_point,
    user_sees_people,
)
from contactpoints.forms import ContactPointProfileForm, FacilitatorForm
from contactpoints.models import Facilitator


@login_required
@never_cache
def home(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_contact_point_for_user(request, slug)
    context = {
        "contact_point": contact_point,
        "facilitator_count": contact_point.facilitators.count(),
        "can_see_people": user_sees_people(request.user, contact_point),
    }
    return render(request, "workspace/home.html", context)


@login_required
@never_cache
def facilitator_list(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_contact_point_for_user(request, slug)
    facilitators = contact_point.facilitators.order_by("name")
    return render(
        request,
        "workspace/facilitator_list.html",
        {"contact_point": contact_point, "facilitators": facilitators},
    )


@login_required
@never_cache
def facilitator_create(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_contact_point_for_user(request, slug)
    form = FacilitatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            facilitator = form.save()
            facilitator.contact_points.add(contact_point)
        messages.success(request, _("%(name)s er lagt til.") % {"name": facilitator.name})
        return redirect("workspace:facilitator-list", slug=contact_point.slug)
    return render(
        request,
        "workspace/facilitator_form.html",
        {"contact_point": contact_point, "form": form, "facilitator": None},
        status=400 if form.is_bound else 200,
    )


@login_required
@never_cache
def facilitator_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contact_point = get_contact_point_for_user(request, slug)
    facilitator = get_facilitator_for_contact_point(contact_point, pk)
    form = FacilitatorForm(request.POST or None, instance=facilitator)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Endringene er lagret."))
        return redirect("workspace:facilitator-list", slug=contact_point.slug)
    return render(
        request,
        "workspace/facilitator_form.html",
        {"contact_point": contact_point, "form": form, "facilitator": facilitator},
        status=400 if form.is_bound else 200,
    )


@login_required
@never_cache
def facilitator_unlink(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove the facilitator from this contact point. The person is deleted only when no other
    contact point and no user account refers to them."""
    contact_point = get_contact_point_for_user(request, slug)
    facilitator = get_facilitator_for_contact_point(contact_point, pk)
    if request.method == "POST":
        with transaction.atomic():
            facilitator.contact_points.remove(contact_point)
            orphan = Facilitator.objects.filter(
                pk=facilitator.pk, contact_points=None, user=None, groups=None
            )
            orphan.delete()
        messages.success(
            request, _("%(name)s er fjernet fra kontaktpunktet.") % {"name": facilitator.name}
        )
        return redirect("workspace:facilitator-list", slug=contact_point.slug)
    return render(
        request,
        "workspace/facilitator_unlink.html",
        {"contact_point": contact_point, "facilitator": facilitator},
    )


@login_required
@never_cache
def profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_contact_point_for_user(request, slug)
    form = ContactPointProfileForm(request.POST or None, instance=contact_point)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profilen er oppdatert."))
        return redirect("workspace:profile-edit", slug=contact_point.slug)
    return render(
        request,
        "workspace/profile_form.html",
        {"contact_point": contact_point, "form": form},
        status=400 if form.is_bound else 200,
    )

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from groups.models import Group


def group_search(request: HttpRequest) -> HttpResponse:
    groups = Group.objects.published().select_related("municipality", "contact_point")[:20]
    return render(request, "groups/group_search.html", {"groups": groups})


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group.objects.published(), slug=slug)
    return render(request, "groups/group_detail.html", {"group": group})


def what_is_self_help(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/what_is_self_help.html")

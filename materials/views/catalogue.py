"""The public catalogue: the list with its filters, and one title's page."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from materials.models import Material


class CatalogueFilterForm(forms.Form):
    malgruppe = forms.ChoiceField(
        label=_("Målgruppe"),
        required=False,
        choices=[("", _("Alle målgrupper")), *Material.Audience.choices],
    )
    sprak = forms.ChoiceField(
        label=_("Språk"),
        required=False,
        choices=[("", _("Alle språk")), *Material.Language.choices],
    )

    def filter(self, materials):
        if not self.is_valid():
            return materials
        if audience := self.cleaned_data["malgruppe"]:
            materials = materials.filter(audience=audience)
        if language := self.cleaned_data["sprak"]:
            materials = materials.filter(languages__contains=[language])
        return materials


def material_list(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    materials = form.filter(Material.objects.published())
    return render(
        request,
        "materials/material_list.html",
        {"filter_form": form, "materials": list(materials)},
    )


def material_detail(request: HttpRequest, slug: str) -> HttpResponse:
    material = get_object_or_404(Material.objects.published(), slug=slug)
    return render(request, "materials/material_detail.html", {"material": material})

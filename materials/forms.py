from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from materials.models import Material, Restock
from materials.services import Address, line_field
from selvhjelp.forms import HONEYPOT_FIELD, PublicFormMixin, validated_phone
from selvhjelp.models import PostalCode

QUANTITY_ERRORS = {
    "invalid": _("Skriv antallet som et helt tall, for eksempel 5."),
    "min_value": _("Antallet kan ikke være mindre enn 0."),
    "max_value": _("Du kan bestille høyst %(limit_value)s av denne."),
}


class OrderForm(PublicFormMixin, forms.Form):
    """The basket and the delivery address on one page: a quantity per orderable title, so it
    works without JavaScript. Caps are the title's public or staff cap."""

    name = forms.CharField(
        label=_("Navn"),
        max_length=150,
        error_messages={"required": _("Skriv navnet på den som skal ha pakken.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Organisasjon (valgfritt)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    street_address = forms.CharField(
        label=_("Adresse"),
        max_length=200,
        error_messages={"required": _("Skriv gateadressen eller postboksen.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postcode = forms.CharField(
        label=_("Postnummer"),
        max_length=4,
        help_text=_("Vi fyller inn poststedet."),
        error_messages={"required": _("Skriv postnummeret.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    email = forms.EmailField(
        label=_("E-post"),
        help_text=_("Vi sender en bekreftelse og en lenke der du kan følge bestillingen."),
        error_messages={
            "required": _("Skriv e-postadressen din."),
            "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Telefon (valgfritt)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Jeg godtar at Selvhjelp bruker navnet og adressen min til å sende materiellet. "
            "Vi sletter dem tre måneder etter at pakken er sendt."
        ),
        error_messages={"required": _("Du må krysse av her før vi kan sende bestillingen.")},
    )
    website = forms.CharField(
        label=_("Ikke fyll ut dette feltet"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, data=None, *, materials: list[Material], staff: bool, **kwargs):
        super().__init__(data, **kwargs)
        self.materials = materials
        self.staff = staff
        self.quantity_fields = []
        for material in materials:
            cap = material.cap_for(staff=staff)
            name = line_field(material.pk)
            self.fields[name] = forms.IntegerField(
                label=material.title,
                min_value=0,
                max_value=cap,
                required=False,
                help_text=_("Høyst %(cap)s") % {"cap": cap},
                error_messages=QUANTITY_ERRORS,
                widget=forms.NumberInput(attrs={"min": 0, "max": cap, "inputmode": "numeric"}),
            )
            self.quantity_fields.append((material, self[name]))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "name",
            "organisation",
            "street_address",
            "postcode",
            "email",
            "phone",
            "consent",
            Field(HONEYPOT_FIELD, wrapper_class="hp-field"),
        )

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        return validated_phone(self.cleaned_data["phone"])

    def clean_postcode(self) -> PostalCode:
        code = self.cleaned_data["postcode"].strip()
        postal_code = (
            PostalCode.objects.select_related("municipality").filter(code=code).first()
            if code.isdigit() and len(code) == 4
            else None
        )
        if postal_code is None:
            raise forms.ValidationError(
                _("Vi finner ikke postnummeret «%(value)s». Sjekk at det har fire sifre."),
                code="unknown_postcode",
                params={"value": code},
            )
        return postal_code

    def quantities(self) -> dict[int, int]:
        return {
            material.pk: self.cleaned_data.get(line_field(material.pk)) or 0
            for material in self.materials
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(self.quantities().values()):
            raise forms.ValidationError(
                _("Handlekurven er tom. Skriv et antall ved minst én tittel."), code="empty"
            )
        return cleaned

    def address(self) -> Address:
        data = self.cleaned_data
        return Address(
            name=data["name"],
            organisation=data["organisation"],
            street_address=data["street_address"],
            postal_code=data["postcode"],
            email=data["email"],
            phone=data["phone"],
        )


class RestockForm(forms.ModelForm):
    class Meta:
        model = Restock
        fields = ["quantity", "note"]
        error_messages = {
            "quantity": {"required": _("Skriv hvor mange som kom inn.")},
            "note": {"required": _("Skriv en kort merknad, for eksempel leverandør eller trykk.")},
        }


class FulfilmentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[],  # set in __init__
    )
    fra = forms.DateField(
        label=_("Fra dato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    til = forms.DateField(
        label=_("Til dato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    fylke = forms.ModelChoiceField(
        label=_("Fylke"), required=False, queryset=None, empty_label=_("Alle fylker")
    )

    def __init__(self, *args, **kwargs):
        from materials.models import Order
        from selvhjelp.models import County

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Alle åpne")), ("all", _("Alle"))] + list(
            Order.Status.choices
        )
        self.fields["fylke"].queryset = County.objects.order_by("name")

    def filter(self, orders):
        if not self.is_valid():
            return orders.open()
        data = self.cleaned_data
        if data["status"] == "":
            orders = orders.open()
        elif data["status"] != "all":
            orders = orders.filter(status=data["status"])
        if data["fra"]:
            orders = orders.filter(created_at__date__gte=data["fra"])
        if data["til"]:
            orders = orders.filter(created_at__date__lte=data["til"])
        if data["fylke"]:
            orders = orders.filter(county=data["fylke"])
        return orders

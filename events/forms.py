from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpoints.models import ContactPoint
from events.models import Event
from events.services import DEFAULT_REMINDER_DAYS, SessionTimes
from selvhjelp.forms import HONEYPOT_FIELD, PlaceField, PublicFormMixin, validated_phone
from selvhjelp.models import Municipality

CONSENT_VERSION = "arrangement-2026-11"
CONSENT_TEXT = _(
    "Jeg samtykker i at arrangøren lagrer opplysningene mine for å holde arrangementet. "
    "De slettes senest seks måneder etter at arrangementet er over."
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    follow_up_url = forms.URLField(
        label=_("Lenke til neste steg"), required=False, assume_scheme="https"
    )
    join_url = forms.URLField(
        label=_("Lenke for å delta digitalt"),
        required=False,
        assume_scheme="https",
        help_text=_("Sendes bare til påmeldte, aldri vist offentlig."),
    )
    reminder_days_text = forms.CharField(
        label=_("Påminnelser, antall dager før"),
        required=False,
        help_text=_("Skriv tall med komma mellom, for eksempel «7, 1». Tomt betyr ingen."),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "audience",
            "description",
            "follow_up_text",
            "follow_up_url",
            "format",
            "venue",
            "municipality",
            "join_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "ask_diet",
            "ask_accessibility",
            "ask_organisation",
            "question",
            "course_audience",
            "completion_minimum",
            "status",
        ]
        widgets = {
            "registration_opens_at": DATETIME_WIDGET,
            "registration_closes_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        # Scope holds for what staff create: only municipalities in the organiser's region.
        field = self.fields["municipality"]
        field.queryset = municipalities.order_by("name")
        field.error_messages["invalid_choice"] = _(
            "Kommunen ligger utenfor området deres. Velg en kommune i fylkene dere dekker."
        )
        # Courses are given by the national office or a district office, never a contact
        # point; cancelling has its own button.
        if self.instance.contact_point_id:
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] != Event.Kind.COURSE
            ]
            del self.fields["course_audience"]
            del self.fields["completion_minimum"]
        else:
            self.fields["course_audience"].help_text = _("Bare for igangsetterkurs.")
        self.fields["status"].choices = [
            c for c in Event.Status.choices if c[0] != Event.Status.CANCELLED
        ]
        days = self.instance.reminder_days if self.instance.pk else DEFAULT_REMINDER_DAYS
        self.initial.setdefault("reminder_days_text", ", ".join(str(d) for d in days))

    def clean_reminder_days_text(self) -> list[int]:
        text = self.cleaned_data["reminder_days_text"]
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        if not all(p.isdigit() and 0 < int(p) <= 60 for p in parts):
            raise forms.ValidationError(
                _("Skriv hele dager mellom 1 og 60, med komma mellom, for eksempel «7, 1»."),
                code="invalid_reminders",
            )
        return sorted({int(p) for p in parts}, reverse=True)

    def clean(self):
        data = super().clean()
        fmt = data.get("format")
        if fmt in (Event.Format.PHYSICAL, Event.Format.HYBRID):
            if not data.get("venue"):
                self.add_error("venue", _("Skriv hvor arrangementet holdes."))
            if not data.get("municipality") and "municipality" not in self.errors:
                self.add_error("municipality", _("Velg kommunen arrangementet holdes i."))
        if fmt in (Event.Format.DIGITAL, Event.Format.HYBRID) and not data.get("join_url"):
            self.add_error("join_url", _("Et digitalt arrangement trenger en lenke for å delta."))
        if "course_audience" in self.fields:
            if data.get("kind") == Event.Kind.COURSE:
                if not data.get("course_audience"):
                    self.add_error("course_audience", _("Velg hvem kurset er for."))
            else:
                data["course_audience"], data["completion_minimum"] = "", None
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Påmeldingen må stenge etter at den åpner."))
        return data

    def save(self, commit: bool = False) -> Event:
        event = super().save(commit=False)
        event.reminder_days = self.cleaned_data["reminder_days_text"]
        if event.format == Event.Format.DIGITAL:
            event.venue, event.municipality = "", None
        return event


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Starter"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Slutter"), widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("Slutten må være etter starten."))
        return data

    def times(self) -> SessionTimes:
        tz = timezone.get_current_timezone()
        date = self.cleaned_data["date"]
        return SessionTimes(
            starts_at=dt.datetime.combine(date, self.cleaned_data["start"], tzinfo=tz),
            ends_at=dt.datetime.combine(date, self.cleaned_data["end"], tzinfo=tz),
        )


class BaseSessionFormSet(forms.BaseFormSet):
    def sessions(self) -> list[SessionTimes]:
        return [f.times() for f in self.forms if f.has_changed() and f.cleaned_data]


SessionFormSet = forms.formset_factory(
    SessionForm,
    formset=BaseSessionFormSet,
    extra=1,
    min_num=1,
    max_num=10,
    validate_min=True,
    validate_max=True,
)


def session_initial(event: Event) -> list[dict]:
    tz = timezone.get_current_timezone()
    return [
        {
            "date": s.starts_at.astimezone(tz).date(),
            "start": s.starts_at.astimezone(tz).time(),
            "end": s.ends_at.astimezone(tz).time(),
        }
        for s in event.sessions.all()
    ]


def check_close_before_start(form: EventForm, sessions: list[SessionTimes]) -> bool:
    """Registration must close before the event starts: the message goes next to the field."""
    closes = form.cleaned_data.get("registration_closes_at")
    if closes and sessions and closes > min(s.starts_at for s in sessions):
        form.add_error(
            "registration_closes_at",
            _("Påmeldingen må stenge før arrangementet starter."),
        )
        return False
    return True


class RegistrationForm(PublicFormMixin, forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=150)
    email = forms.EmailField(label=_("E-post"), max_length=254)
    phone = forms.CharField(label=_("Telefon (valgfritt)"), max_length=30, required=False)
    diet = forms.CharField(
        label=_("Allergier eller hensyn til mat"), max_length=250, required=False
    )
    accessibility = forms.CharField(
        label=_("Behov for tilrettelegging"), max_length=250, required=False
    )
    from_contact_point = forms.ModelChoiceField(
        label=_("Hvilket kontaktpunkt kommer du fra?"),
        queryset=ContactPoint.objects.none(),
        required=False,
        empty_label=_("Ingen av disse"),
        help_text=_("Velg fra listen, eller skriv organisasjonen din i feltet under."),
        error_messages={"invalid_choice": _("Velg et kontaktpunkt fra listen.")},
    )
    organisation = forms.CharField(label=_("Organisasjon"), max_length=150, required=False)
    answer = forms.CharField(max_length=500, required=False)
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Du må samtykke for at vi kan ta imot påmeldingen.")},
    )
    waiting_list = forms.BooleanField(
        label=_("Sett meg på ventelisten hvis det er fullt"), required=False
    )
    website = forms.CharField(
        label=_("Ikke fyll ut dette feltet"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        if event.is_course:
            # Courses ask where the person comes from: the facilitator registry rests on it.
            self.fields["from_contact_point"].queryset = ContactPoint.objects.published().order_by(
                "name"
            )
            self.fields["organisation"].label = _("Eller: organisasjon eller arbeidssted")
        else:
            del self.fields["from_contact_point"]
        for flag, name in (
            (event.ask_diet, "diet"),
            (event.ask_accessibility, "accessibility"),
            (event.ask_organisation or event.is_course, "organisation"),
        ):
            if not flag:
                del self.fields[name]
        if event.question:
            self.fields["answer"].label = event.question
        else:
            del self.fields["answer"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[
                Field(name, wrapper_class="hp-field") if name == HONEYPOT_FIELD else name
                for name in self.fields
            ]
        )

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        return validated_phone(self.cleaned_data["phone"])


MONTH_WIDGET = forms.TextInput(attrs={"type": "month"})


class CalendarFilterForm(forms.Form):
    """The calendar's filters, in the query string so a search can be shared."""

    sted = PlaceField(required=False, suggest_in_message=True)
    avstand = forms.TypedChoiceField(
        label=_("Avstand"),
        required=False,
        coerce=int,
        choices=[("", _("Hvor som helst")), (10, "10 km"), (30, "30 km"), (100, "100 km")],
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Alle typer")), *Event.Kind.choices],
    )
    for_hvem = forms.ChoiceField(
        label=_("For hvem"),
        required=False,
        choices=[("", _("Alle")), *Event.Audience.choices],
    )
    form = forms.ChoiceField(
        label=_("Form"), required=False, choices=[("", _("Alle")), *Event.Format.choices]
    )
    maaned = forms.CharField(label=_("Måned"), required=False, widget=MONTH_WIDGET)

    def clean_maaned(self) -> dt.date | None:
        value = self.cleaned_data["maaned"].strip()
        if not value:
            return None
        try:
            return dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(
                _("Skriv måneden som år og måned, for eksempel 2026-10."), code="invalid_month"
            ) from None


def municipalities_for_counties(counties) -> object:
    return Municipality.objects.filter(county__in=counties)


RATING_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class EvaluationForm(PublicFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Vil du si noe mer? (valgfritt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 er svakest, 5 er best."),
                error_messages={"required": _("Velg et tall fra 1 til 5.")},
            )
        self.order_fields([f"q{q.pk}" for q in self.questions] + ["comment"])

    def ratings(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}

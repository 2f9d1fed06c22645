"""The public group search form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Group, Topic
from groups.topics import all_topics
from selvhjelp.forms import PlaceField, PlaceSearchForm
from selvhjelp.geo import Place, place_lookup


class TopicChoiceField(forms.ModelChoiceField):
    """A topic by slug. The topics (a small table) come from the list held in memory per public
    data version (groups/topics.py), serving both validation and the options."""

    _topics: list[Topic] | None = None

    def topics(self) -> list[Topic]:
        if self._topics is None:
            # The list held in memory per public data version: no query per search.
            self._topics = all_topics()
        return self._topics

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for topic in self.topics():
            if topic.slug == str(value):
                return topic
        raise forms.ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )

    def choice_pairs(self) -> list[tuple[str, str]]:
        return [
            ("", self.empty_label),
            *((topic.slug, topic.display_name) for topic in self.topics()),
        ]


class GroupPlaceField(PlaceField):
    """A known place, or else the public area of a published group ("Dombås sentrum"), which
    then means that group's public point: people search for the words the groups use."""

    def lookup(self, value: str) -> Place | None:
        return place_lookup(value) or Group.objects.published().area_place(value)


class GroupSearchForm(PlaceSearchForm):
    sted = GroupPlaceField(required=False, suggest_in_message=False)
    q = forms.CharField(
        label=_("Søkeord"),
        required=False,
        max_length=200,
        help_text=_("For eksempel «sorg», «angst» eller «pårørende»."),
    )
    tema = TopicChoiceField(
        label=_("Tema"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle temaer"),
        error_messages={
            "invalid_choice": _("Vi kjenner ikke det temaet. Velg et tema fra listen."),
        },
    )
    format = forms.ChoiceField(
        label=_("Form"),
        choices=[("", _("Alle")), *Group.Format.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Velg fysisk, digital eller hybrid."),
        },
    )
    ukedag = forms.TypedChoiceField(
        label=_("Ukedag"),
        choices=[("", _("Alle dager")), *Group.Weekday.choices],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={
            "invalid_choice": _("Velg en ukedag fra listen."),
        },
    )
    apen = forms.BooleanField(label=_("Bare grupper med ledig plass"), required=False)

    field_order = ["sted", "avstand", "tema", "q", "format", "ukedag", "apen", "lat", "lon"]

    def filters(self) -> dict:
        """Keyword arguments for `GroupQuerySet.matching()`."""
        data = self.cleaned_data
        return {
            "text": data.get("q", "").strip(),
            "topic": data.get("tema"),
            "format": data.get("format") or None,
            "weekday": data.get("ukedag"),
            "open_only": bool(data.get("apen")),
        }

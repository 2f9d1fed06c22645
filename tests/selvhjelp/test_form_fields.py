"""selvhjelp/includes/_form_fields.html (FormView, FieldView) draws a form as `{% crispy %}` with
crispy's bootstrap5 pack does: the same elements, ids, labels, errors and aria attributes, in
every state of the sign-up form (the form with every kind of field the public pages use)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from crispy_forms.utils import render_crispy_form
from django.template.loader import render_to_string
from pytest_django.asserts import assertHTMLEqual

from groups.consent import CURRENT_CONSENT_VERSION
from groups.forms.interests import InterestForm
from selvhjelp.forms import HONEYPOT_FIELD
from tests import factories

pytestmark = pytest.mark.django_db

FILLED = {
    "name": 'Kari "<b>&',
    "email": "kari@example.test",
    "phone": "912 34 567",
    "place": "2660",
    "preferred_format": "hybrid",
    "note": "\nFørste linje\n<script>x</script> & «»",
    "consent": "on",
    "consent_version": CURRENT_CONSENT_VERSION,
    "website": "",
}


def _crispy(form: InterestForm) -> str:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        *(name for name in form.fields if name != HONEYPOT_FIELD),
        Field(HONEYPOT_FIELD, wrapper_class="hp-field"),
    )
    return render_crispy_form(form, helper)


def _drawn(form: InterestForm) -> str:
    return render_to_string("selvhjelp/includes/_form_fields.html", {"form": form.display})


def _filled(made) -> dict:
    return {**FILLED, "topic": str(made.topic.pk)}


def _refused(made) -> InterestForm:
    form = InterestForm(_filled(made))
    form.refuse("For mange <meldinger> & slikt")
    return form


# Each state from the fixtures the test made (`made`: topic, contact point, groups).
STATES = {
    "empty": lambda made: InterestForm(),
    "topic and place from the query": lambda made: InterestForm(
        topic=made.topic, initial={"place": "Dombås"}
    ),
    "a contact point's place": lambda made: InterestForm(contact_point=made.contact_point),
    "a group with a place": lambda made: InterestForm(group=made.group),
    "a digital group": lambda made: InterestForm(group=made.digital),
    "sent empty": lambda made: InterestForm({}),
    "sent empty to a group": lambda made: InterestForm({}, group=made.group),
    "filled in": lambda made: InterestForm(_filled(made)),
    "mistakes": lambda made: InterestForm(
        {
            **_filled(made),
            "email": "ikke-en-adresse",
            "phone": "12ab",
            "place": "Xyzzy",
            "topic": "999999",
            "preferred_format": "annet",
            "consent": "",
        }
    ),
    "control characters": lambda made: InterestForm(
        {**_filled(made), "name": "a\x01b", "preferred_format": "\x03", "note": "x\x04"}
    ),
    "mistakes on a digital group": lambda made: InterestForm(
        {**_filled(made), "email": "nei", "name": ""}, group=made.digital
    ),
    "refused": _refused,
}


@pytest.fixture
def made(contact_point):
    topic = factories.make_topic("Sorg")
    return SimpleNamespace(
        topic=topic,
        contact_point=contact_point,
        group=factories.make_group(contact_point, topics=[topic], name="Sorggruppe Dombås"),
        digital=factories.make_group(
            contact_point, topics=[topic], name="Digital", format="digital", municipality=None
        ),
    )


def _made_form(made, state: str) -> InterestForm:
    form = STATES[state](made)
    if form.is_bound:
        form.is_valid()
    return form


@pytest.mark.parametrize("state", list(STATES))
def test_a_form_is_drawn_as_crispy_draws_it(made, state):
    # Two forms: crispy adds its classes to the widgets of the form it draws.
    drawn, crispy = _made_form(made, state), _made_form(made, state)

    assertHTMLEqual(_drawn(drawn), _crispy(crispy))


def test_a_text_area_keeps_its_first_line_break(made):
    # An HTML parser drops one newline after <textarea>: Django writes one, so that text
    # starting with a line break keeps it.
    form = _made_form(made, "filled in")

    assert "\n\nFørste linje\n&lt;script&gt;" in _drawn(form)

"""Forms with required fields explain the "*" that crispy puts after their labels."""

import pytest

pytestmark = pytest.mark.django_db

NOTE = "Felt merket * må fylles ut."


@pytest.mark.parametrize(
    "path", ["/bli-kontaktpunkt/", "/grupper/meld-interesse/", "/konto/login/"]
)
def test_a_form_with_required_fields_explains_the_asterisk_once(client, path):
    html = client.get(path).content.decode()

    assert html.count(NOTE) == 1
    assert 'class="asteriskField"' in html


def test_the_english_page_explains_it_in_english(client):
    html = client.get("/en/bli-kontaktpunkt/").content.decode()

    assert "Fields marked * must be filled in." in html


def test_a_search_form_without_required_fields_has_no_such_line(client):
    html = client.get("/kontaktpunkter/").content.decode()

    assert NOTE not in html
    assert 'class="asteriskField"' not in html

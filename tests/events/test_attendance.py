"""Attendance per session, the sign-in list as a PDF, and the CSV and XLSX exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from events.models import Attendance
from selvhjelp.models import AuditEntry
from tests import factories
from tests.events.conftest import make_event, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def cp_client(cp_user):
    return factories.logged_in_client(cp_user)


@pytest.fixture
def course(contact_point):
    event = make_event(contact_point=contact_point, capacity=2, days=2, ask_organisation=True)
    people = [
        register(event, "kari@example.test", name="Kari Nordmann"),
        register(event, "ola@example.test", name='=HYPERLINK("http://x")'),
    ]
    waiting = register(event, "vent@example.test", name="Vera Venter", waiting=True)
    return event, people, waiting


def _url(name, event, **extra):
    return reverse(
        f"workspace:{name}", kwargs={"slug": event.contact_point.slug, "pk": event.pk, **extra}
    )


def test_staff_mark_who_came_per_session(cp_client, course):
    event, (kari, ola), waiting = course
    first, second = event.sessions.all()
    url = _url("event-attendance", event, session_pk=first.pk)

    page = cp_client.get(url).content.decode()
    assert "Kari Nordmann" in page and "Vera Venter" not in page

    response = cp_client.post(url, {"present": [str(kari.pk), str(waiting.pk), "x"]})
    assert "Lagret: 1 til stede." in response.content.decode()
    cp_client.post(
        _url("event-attendance", event, session_pk=second.pk), {"present": [kari.pk, ola.pk]}
    )
    # Unticking removes the mark.
    cp_client.post(url, {"present": []})

    assert set(Attendance.objects.values_list("registration_id", "session_id")) == {
        (kari.pk, second.pk),
        (ola.pk, second.pk),
    }


def test_a_session_of_another_event_is_404(cp_client, course, contact_point):
    event, *_ = course
    other = make_event(contact_point=contact_point)
    url = _url("event-attendance", event, session_pk=other.sessions.first().pk)
    assert cp_client.get(url).status_code == 404


def test_the_csv_export_has_everyone_with_attendance_and_no_formulas(cp_client, course):
    event, (kari, ola), waiting = course
    Attendance.objects.create(registration=kari, session=event.sessions.first())

    response = cp_client.get(_url("event-export-csv", event))

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Navn", "E-post", "Telefon", "Status"]
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email["kari@example.test"][3] == "Påmeldt"
    assert by_email["kari@example.test"][-2:] == ["ja", ""]
    assert by_email["vent@example.test"][3] == "På venteliste"
    assert by_email["ola@example.test"][0].startswith("'=")
    assert AuditEntry.objects.filter(action="export", object_id=str(event.pk)).count() == 1


def test_the_xlsx_export(cp_client, course):
    event, *_ = course
    response = cp_client.get(_url("event-export-xlsx", event))

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Navn"
    assert sorted(row[1] for row in values[1:]) == [
        "kari@example.test",
        "ola@example.test",
        "vent@example.test",
    ]


def test_the_sign_in_list_is_a_pdf_with_one_page_per_session(cp_client, course):
    event, *_ = course
    response = cp_client.get(_url("event-sign-in-pdf", event))

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert "Kari Nordmann" in text
    assert "Vera Venter" not in text  # the waiting list does not sign in


def test_the_district_office_gets_404_on_a_contact_points_people(district_user, course):
    event, *_ = course
    client = factories.logged_in_client(district_user)
    for name in ("event-export-csv", "event-export-xlsx", "event-sign-in-pdf"):
        assert client.get(_url(name, event)).status_code == 404

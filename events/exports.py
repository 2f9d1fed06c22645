"""Registrations, attendance and the waiting list as CSV and XLSX (openpyxl: a well-kept library
that writes real spreadsheets, with no system dependencies), and the sign-in list as a PDF
(WeasyPrint: HTML and CSS to PDF, so the list is a Django template like every other page)."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Registration


def _rows(event: Event) -> tuple[list[str], list[list[str]]]:
    sessions = list(event.sessions.all())
    registrations = event.registrations.order_by("status", "created_at", "pk").prefetch_related(
        "attendances"
    )
    tz = timezone.get_current_timezone()
    header = [
        _("Navn"),
        _("E-post"),
        _("Telefon"),
        _("Status"),
        _("Organisasjon"),
        _("Allergier og mat"),
        _("Tilrettelegging"),
        _("Svar"),
        _("Påmeldt"),
        *[
            _("Til stede %(date)s") % {"date": s.starts_at.astimezone(tz).strftime("%d.%m %H:%M")}
            for s in sessions
        ],
    ]
    rows = []
    for r in registrations:
        present = {a.session_id for a in r.attendances.all() if a.status == "present"}
        rows.append(
            [
                r.name,
                r.email,
                r.phone,
                str(r.get_status_display()),
                r.organisation,
                r.diet,
                r.accessibility,
                r.answer,
                r.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                *[_("ja") if s.pk in present else "" for s in sessions],
            ]
        )
    return header, rows


def _safe(value: str) -> str:
    # A cell starting with = + - @ is a formula in a spreadsheet: a name can be an attack.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def registrations_csv(event: Event) -> bytes:
    header, rows = _rows(event)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows([[_safe(cell) for cell in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel reads UTF-8 then


def registrations_xlsx(event: Event) -> bytes:
    from openpyxl import Workbook

    header, rows = _rows(event)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Påmeldte")[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sign_in_pdf(event: Event, sessions=None) -> bytes:
    from weasyprint import HTML

    registrations = event.registrations.filter(status=Registration.Status.CONFIRMED).order_by(
        "name", "pk"
    )
    html = render_to_string(
        "events/sign_in_list.html",
        {
            "event": event,
            "sessions": list(event.sessions.all() if sessions is None else sessions),
            "registrations": registrations,
        },
    )
    return HTML(string=html).write_pdf()

"""Course certificates: the code, the verify address the QR code carries, and the PDF (A4)."""

from __future__ import annotations

import base64
import io
import secrets

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from events.models import Certificate
from selvhjelp.emails import absolute_url

# 24 random bytes = 192 bits, well above the 128 the issue asks for; 32 URL-safe characters.
CODE_BYTES = 24


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def verify_url(certificate: Certificate) -> str:
    return absolute_url(
        reverse("certificates:certificate-verify", kwargs={"code": certificate.code})
    )


def qr_payload(certificate: Certificate) -> str:
    """What the QR code encodes: the public verify page, nothing else."""
    return verify_url(certificate)


def qr_data_uri(data: str) -> str:
    import qrcode

    image = qrcode.make(data, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def certificate_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML

    registration = certificate.registration
    event = registration.event
    tz = timezone.get_current_timezone()
    sessions = list(event.sessions.all())
    days = sorted({s.starts_at.astimezone(tz).date() for s in sessions})
    html = render_to_string(
        "events/courses/certificate_pdf.html",
        {
            "certificate": certificate,
            "event": event,
            "days": days,
            "verify_url": verify_url(certificate),
            "qr": qr_data_uri(qr_payload(certificate)),
        },
    )
    return HTML(string=html).write_pdf()


def filename(certificate: Certificate) -> str:
    return f"kursbevis-{certificate.registration.event_id}-{certificate.pk}.pdf"

"""Consent texts for interest registrations, kept in code with a version key.

An interest row stores the version the person saw, so the exact wording can always be shown
again (GDPR Art. 7(1)). Never edit a published text: add a new version and point
`CURRENT_CONSENT_VERSION` at it, and keep the old one for as long as rows refer to it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CONSENT_TEXTS = {
    "2026-11": _(
        "Jeg samtykker i at kontaktpunktet lagrer det jeg har skrevet her, og bruker det til å "
        "ta kontakt med meg om en selvhjelpsgruppe. Jeg kan trekke meldingen når jeg vil, og "
        "da blir den slettet."
    ),
}
CURRENT_CONSENT_VERSION = "2026-11"


def consent_text(version: str = CURRENT_CONSENT_VERSION) -> str:
    return str(CONSENT_TEXTS[version])

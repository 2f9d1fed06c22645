"""Contact point workflows: applications from organisations, decisions by the district office,
and contact points created directly by a district office."""

from __future__ import annotations

import logging

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactpoints import emails as contactpoint_emails
from contactpoints.access import check_served_municipalities
from contactpoints.models import ContactPoint, ContactPointApplication, ContactPointMembership
from selvhjelp.models import DistrictOffice, Municipality, PostalCode, User
from selvhjelp.text import unique_slug

logger = logging.getLogger(__name__)


def district_office_for(municipality: Municipality) -> DistrictOffice | None:
    """The office that decides an application from the municipality (closed offices left out)."""
    return DistrictOffice.objects.active().for_municipality(municipality)


@transaction.atomic
def application_submit(
    *,
    organisation: str,
    host_kind: str,
    street_address: str,
    postal_code: PostalCode,
    municipalities: list[Municipality],
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    message: str = "",
) -> ContactPointApplication:
    check_served_municipalities(postal_code.municipality, municipalities)
    application = ContactPointApplication(
        organisation=organisation,
        host_kind=host_kind,
        street_address=street_address,
        postal_code=postal_code,
        contact_name=contact_name,
        contact_email=contact_email.lower(),
        contact_phone=contact_phone,
        message=message,
    )
    application.full_clean()
    application.save()
    application.municipalities.set(municipalities)
    contactpoint_emails.application_received(
        application, district_office_for(postal_code.municipality)
    )
    return application


def _locked_pending(application: ContactPointApplication) -> ContactPointApplication:
    application = (
        ContactPointApplication.objects.select_for_update()
        .select_related("postal_code__municipality")
        .get(pk=application.pk)
    )
    if application.status != ContactPointApplication.Status.PENDING:
        raise ValidationError(
            _("Søknaden er allerede behandlet. Ingenting ble endret."), code="decided"
        )
    return application


@transaction.atomic
def contact_point_create(
    *,
    name: str,
    host_kind: str,
    street_address: str,
    postal_code: PostalCode,
    municipalities: list[Municipality],
    email: str = "",
    phone: str = "",
    staff_email: str = "",
    staff_name: str = "",
) -> ContactPoint:
    """A new contact point, and (with `staff_email`) its first staff account, invited by email
    to set a password. It may serve only municipalities in its district office's counties."""
    municipalities = municipalities or [postal_code.municipality]
    check_served_municipalities(postal_code.municipality, municipalities)
    contact_point = ContactPoint(
        name=name,
        slug=unique_slug(ContactPoint, name, fallback="kontaktpunkt"),
        host_organisation=name,
        host_kind=host_kind,
        street_address=street_address,
        postal_code=postal_code,
        municipality=postal_code.municipality,
        latitude=postal_code.latitude,
        longitude=postal_code.longitude,
        email=email,
        phone=phone,
    )
    contact_point.full_clean()
    contact_point.save()
    contact_point.municipalities_served.set(municipalities)
    if staff_email:
        _invite_staff(contact_point=contact_point, email=staff_email, name=staff_name)
    return contact_point


def _invite_staff(*, contact_point: ContactPoint, email: str, name: str) -> User:
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    is_new = user is None
    if is_new:
        user = User.objects.create_user(email=email, password=None, name=name)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    ContactPointMembership.objects.get_or_create(user=user, contact_point=contact_point)
    contactpoint_emails.application_invitation(
        user=user, email=email, name=name, contact_point=contact_point, is_new=is_new
    )
    return user


@transaction.atomic
def application_approve(*, application: ContactPointApplication, actor: User) -> ContactPoint:
    application = _locked_pending(application)
    contact_point = contact_point_create(
        name=application.organisation,
        host_kind=application.host_kind,
        street_address=application.street_address,
        postal_code=application.postal_code,
        municipalities=list(application.municipalities.all()),
        email=application.contact_email,
        phone=application.contact_phone,
        staff_email=application.contact_email,
        staff_name=application.contact_name,
    )
    application.status = ContactPointApplication.Status.APPROVED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.contact_point = contact_point
    application.save()
    return contact_point


@transaction.atomic
def application_decline(
    *, application: ContactPointApplication, actor: User, reason: str
) -> ContactPointApplication:
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Skriv en begrunnelse, så søkeren forstår avgjørelsen."), code="reason_required"
        )
    application = _locked_pending(application)
    application.status = ContactPointApplication.Status.DECLINED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_reason = reason
    application.save()
    contactpoint_emails.application_declined(
        application, district_office_for(application.postal_code.municipality)
    )
    return application

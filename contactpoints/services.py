"""Contact point workflows: applications from organisations, decisions by the district office,
and contact points created directly by a district office."""

from __future__ import annotations

import logging

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contactpoints.access import check_served_municipalities
from contactpoints.models import ContactPoint, ContactPointApplication, ContactPointMembership
from selvhjelp import emails
from selvhjelp.models import DistrictOffice, Municipality, PostalCode, User

logger = logging.getLogger(__name__)


def district_office_for(municipality: Municipality) -> DistrictOffice | None:
    return DistrictOffice.objects.filter(counties__municipalities=municipality).first()


def applications_in_counties(county_numbers) -> QuerySet[ContactPointApplication]:
    return ContactPointApplication.objects.in_counties(county_numbers)


def user_may_decide_application(user, application: ContactPointApplication) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_national_admin:
        return True
    return application.postal_code.municipality.county_id in user.county_numbers


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
    office = district_office_for(postal_code.municipality)
    addresses = _office_addresses(office)
    if not addresses:
        logger.warning("application %s: no district office address to notify", application.pk)
    context = {
        "organisation": application.organisation,
        "municipality": postal_code.municipality.name,
        "review_url": settings.SITE_URL
        + reverse("district:application-review", kwargs={"pk": application.pk}),
    }
    for to in addresses:
        emails.queue(to=to, name="application-received", context=context)
    return application


def _office_addresses(office: DistrictOffice | None) -> list[str]:
    if office is None:
        return []
    staff = list(
        User.objects.filter(district_office_memberships__district_office=office, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )
    return staff or ([office.email] if office.email else [])


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


def _unique_slug(name: str) -> str:
    base = slugify(name)[:150] or "kontaktpunkt"
    slug, n = base, 2
    while ContactPoint.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


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
        slug=_unique_slug(name),
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
    context = {
        "name": name or email,
        "contact_point": contact_point.name,
        "is_new": is_new,
        "login_url": settings.SITE_URL + reverse("account_login"),
        "set_password_url": settings.SITE_URL
        + reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        ),
    }
    emails.queue(to=email, name="application-invitation", context=context)
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
    office = district_office_for(application.postal_code.municipality)
    context = {
        "name": application.contact_name,
        "organisation": application.organisation,
        "reason": reason,
        "office": office.name if office else "",
        "office_email": office.email if office else "",
    }
    emails.queue(to=application.contact_email, name="application-declined", context=context)
    return application

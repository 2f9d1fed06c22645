"""Every email the contactpoints app sends: one function per message, queued through
`selvhjelp.emails` in the caller's transaction, with absolute links."""

from __future__ import annotations

import logging

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from contactpoints.models import ContactPoint, ContactPointApplication
from selvhjelp import emails
from selvhjelp.emails import absolute_url, staff_addresses
from selvhjelp.models import DistrictOffice, User

logger = logging.getLogger(__name__)


def application_received(application: ContactPointApplication, office: DistrictOffice | None):
    """To the district office: an organisation applies to become a contact point."""
    addresses = staff_addresses(office)
    if not addresses:
        logger.warning("application %s: no district office address to notify", application.pk)
    context = {
        "organisation": application.organisation,
        "municipality": application.postal_code.municipality.name,
        "review_url": absolute_url(
            reverse("district:application-review", kwargs={"pk": application.pk})
        ),
    }
    for to in addresses:
        emails.queue(to=to, name="application-received", context=context)


def application_invitation(
    *, user: User, email: str, name: str, contact_point: ContactPoint, is_new: bool
) -> None:
    """To a contact point's new staff member: log in, or set a password first."""
    context = {
        "name": name or email,
        "contact_point": contact_point.name,
        "is_new": is_new,
        "login_url": absolute_url(reverse("account_login")),
        "set_password_url": absolute_url(
            reverse(
                "account_reset_password_from_key",
                kwargs={
                    "uidb36": user_pk_to_url_str(user),
                    "key": default_token_generator.make_token(user),
                },
            )
        ),
    }
    emails.queue(to=email, name="application-invitation", context=context)


def application_declined(application: ContactPointApplication, office: DistrictOffice | None):
    """To the applicant: the decision and the reason, and whom to ask."""
    context = {
        "name": application.contact_name,
        "organisation": application.organisation,
        "reason": application.decision_reason,
        "office": office.name if office else "",
        "office_email": office.email if office else "",
    }
    emails.queue(to=application.contact_email, name="application-declined", context=context)

"""Demo data for development: the contact points named in public material, one login per role,
topics and a few hundred groups. Safe to run twice: everything is matched on a natural key.

Like `selvhjelp/urls.py`, this command is a composition root: it may import every app, and each
app keeps its own demo data in `<app>/demo.py`."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from contactpoints.models import ContactPoint, ContactPointMembership, Facilitator
from events.demo import create_demo_courses, create_demo_events
from groups.demo import create_demo_groups, create_topics
from materials.demo import create_demo_materials
from newsletter.demo import create_demo_newsletter
from selvhjelp.models import DistrictOffice, DistrictOfficeMembership, PostalCode, User

K = ContactPoint.HostKind
# name, host organisation, kind, postcode, street address
CONTACT_POINTS = [
    ("Dombås frivilligsentral", "Dovre kommune", K.VOLUNTEER_CENTRE, "2660", "Sentrumsvegen 1"),
    ("Frisklivssentralen i Rælingen", "Rælingen kommune", K.HEALTHY_LIVING_CENTRE, "2008", ""),
    ("Frisklivssentralen i Sogn", "Sogndal kommune", K.HEALTHY_LIVING_CENTRE, "6856", ""),
    ("LINK Oslo", "LINK Oslo", K.LINK_CENTRE, "0182", ""),
    ("LINK Trondheim", "LINK Trondheim", K.LINK_CENTRE, "7011", ""),
    ("LINK Bergen og omegn", "LINK Bergen og omegn", K.LINK_CENTRE, "5015", ""),
    ("LINK Vestfold og Telemark", "LINK Vestfold og Telemark", K.LINK_CENTRE, "3126", ""),
    ("LINK Tromsø", "LINK Tromsø", K.LINK_CENTRE, "9008", ""),
    ("Bodø frivilligsentral", "Bodø frivilligsentral", K.VOLUNTEER_CENTRE, "8006", ""),
    ("Kristiansand frivilligsentral", "Kristiansand kommune", K.VOLUNTEER_CENTRE, "4612", ""),
    ("Frisklivssentralen i Stavanger", "Stavanger kommune", K.HEALTHY_LIVING_CENTRE, "4006", ""),
    ("Alta frivilligsentral", "Alta frivilligsentral", K.VOLUNTEER_CENTRE, "9510", ""),
    ("Ålesund frivilligsentral", "Ålesund kommune", K.VOLUNTEER_CENTRE, "6003", ""),
    ("Hamar frisklivssentral", "Hamar kommune", K.HEALTHY_LIVING_CENTRE, "2317", ""),
]

DEMO_USERS = [
    # email, name, role
    ("admin@selvhjelp.example", "Nina Nasjonal", "national"),
    ("distrikt@selvhjelp.example", "Dag Distrikt", "district:innlandet"),
    ("kontaktpunkt@selvhjelp.example", "Kari Kontakt", "contact_point:dombas-frivilligsentral"),
    ("igangsetter@selvhjelp.example", "Ivar Igangsetter", "facilitator:dombas-frivilligsentral"),
]


class Command(BaseCommand):
    help = "Loads demo contact points, one login per role and demo groups (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DEBUG is off).")
        with transaction.atomic():
            contact_points = [self._contact_point(*row) for row in CONTACT_POINTS]
            create_topics()
            groups = create_demo_groups(contact_points)
            titles, orders = create_demo_materials(contact_points[0])
            users = [self._user(*row) for row in DEMO_USERS]
            events = create_demo_events()
            create_demo_newsletter()
            courses = create_demo_courses()
        self.stdout.write(
            f"Demo data: {len(contact_points)} contact points, {groups} groups, "
            f"{len(users)} demo logins, {titles} material titles, {orders} material orders, "
            f"{events} new events, {courses} new facilitator courses."
        )
        self.stdout.write("Demo logins (development only), password: " + settings.DEMO_PASSWORD)
        for email, _name, role in DEMO_USERS:
            self.stdout.write(f"  {role.split(':')[0]:<15} {email}")
        if settings.STAFF_MFA_REQUIRED:
            self.stdout.write("Two-step login is on: each login sets up an authenticator app.")

    def _contact_point(self, name, host, kind, postcode, street) -> ContactPoint:
        postal = PostalCode.objects.select_related("municipality").get(code=postcode)
        contact_point, _ = ContactPoint.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "host_organisation": host,
                "host_kind": kind,
                "street_address": street,
                "postal_code": postal,
                "municipality": postal.municipality,
                "latitude": postal.latitude,
                "longitude": postal.longitude,
                "email": f"{slugify(name)}@kontaktpunkt.example",
                "phone": "+47 00 00 00 00",
                "opening_hours": "Mandag–torsdag 09–15",
                "description": f"{name} hjelper deg å finne eller starte en selvhjelpsgruppe.",
            },
        )
        contact_point.municipalities_served.add(postal.municipality)
        return contact_point

    def _user(self, email, name, role) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=settings.DEMO_PASSWORD, name=name)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        kind, _, target = role.partition(":")
        if kind == "national":
            user.is_national_admin = user.is_staff = user.is_superuser = True
            user.save()
        elif kind == "district":
            office = DistrictOffice.objects.get(slug=target)
            DistrictOfficeMembership.objects.get_or_create(user=user, district_office=office)
        elif kind == "contact_point":
            ContactPointMembership.objects.get_or_create(
                user=user, contact_point=ContactPoint.objects.get(slug=target)
            )
        elif kind == "facilitator":
            facilitator, _ = Facilitator.objects.get_or_create(user=user, defaults={"name": name})
            facilitator.contact_points.add(ContactPoint.objects.get(slug=target))
        return user

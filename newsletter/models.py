"""Subscribers, newsletter issues and one delivery row per recipient of an issue."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from selvhjelp.models import DistrictOffice

# The consent text a subscriber agrees to; bump the version when the text changes.
CONSENT_VERSION = "2026-11"


class NewsletterList(models.TextChoices):
    GENERAL = "general", _("Nyhetsbrevet")
    CONTACT_POINTS = "contactpoints", _("Nytt for kontaktpunkter")
    FACILITATORS = "facilitators", _("Nytt for igangsettere")
    REGION = "region", _("Nytt fra min region")


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriberQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def audience(self, *, newsletter_list: str, region: DistrictOffice | None):
        """Who an issue goes to: confirmed subscribers of the list, in the region if given."""
        rows = self.confirmed().filter(lists__contains=[newsletter_list])
        if region is not None:
            rows = rows.filter(region=region)
        return rows

    def unconfirmed_expired(self) -> SubscriberQuerySet:
        cutoff = timezone.now() - timezone.timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS)
        return self.filter(confirmed_at__isnull=True, created_at__lt=cutoff)


class Subscriber(models.Model):
    email = models.EmailField(_("e-post"), unique=True)
    name = models.CharField(_("navn"), max_length=100, blank=True)
    lists = ArrayField(models.CharField(max_length=20, choices=NewsletterList.choices))
    region = models.ForeignKey(
        DistrictOffice,
        verbose_name=_("region"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Signed links carry this id, never the address or the primary key.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consent_version = models.CharField(_("samtykketekst"), max_length=20)
    consent_channel = models.CharField(_("kanal"), max_length=20, default="web")
    created_at = models.DateTimeField(_("meldt på"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bekreftet"), null=True, blank=True)
    soft_bounces = models.PositiveSmallIntegerField(default=0)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        indexes = [models.Index(fields=["confirmed_at", "created_at"])]
        verbose_name = _("abonnent")
        verbose_name_plural = _("abonnenter")

    def __str__(self) -> str:
        return self.email


class IssueQuerySet(models.QuerySet):
    def archived(self) -> IssueQuerySet:
        return self.filter(status=Issue.Status.SENT).order_by("-sent_at")

    def visible_to(self, *, office: DistrictOffice | None) -> IssueQuerySet:
        """The national desk sees the national issues; an office its own."""
        return self.filter(office=office) if office else self.filter(office__isnull=True)


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SCHEDULED = "scheduled", _("Planlagt")
        SENDING = "sending", _("Sendes")
        PAUSED = "paused", _("Satt på pause")
        SENT = "sent", _("Sendt")

    subject = models.CharField(_("emne"), max_length=150)
    preheader = models.CharField(
        _("ingress i innboksen"),
        max_length=150,
        blank=True,
        help_text=_("Vises etter emnet i mange e-postprogrammer."),
    )
    body_markdown = models.TextField(
        _("tekst"), help_text=_("Markdown: **fet**, *kursiv*, [lenke](https://…), - punkt.")
    )
    newsletter_list = models.CharField(
        _("liste"), max_length=20, choices=NewsletterList.choices, default=NewsletterList.GENERAL
    )
    # Written by a district office: goes to that office's region only.
    office = models.ForeignKey(
        DistrictOffice,
        verbose_name=_("distriktskontor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    scheduled_at = models.DateTimeField(_("sendes"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    paused_reason = models.CharField(max_length=200, blank=True)
    # The worker that sends it now, and when it last reported (see newsletter/sending.py).
    runner = models.UUIDField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    recipients_created = models.BooleanField(default=False)
    # Counts kept when old delivery rows are deleted (privacy: a year).
    archived_sent = models.PositiveIntegerField(default=0)
    archived_failed = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nyhetsbrev")
        verbose_name_plural = _("nyhetsbrev")

    def __str__(self) -> str:
        return self.subject

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.SCHEDULED}


class Delivery(models.Model):
    """One recipient of one issue. The address is copied so a later unsubscribe or erasure does
    not change what was sent; erasure deletes the row."""

    class Status(models.TextChoices):
        PENDING = "pending", _("venter")
        CLAIMED = "claimed", _("sendes")
        SENT = "sent", _("sendt")
        FAILED = "failed", _("feilet")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )
    email = models.EmailField()
    subscriber_public_id = models.UUIDField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message_id = models.CharField(max_length=255, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "email"], name="one_delivery_per_address")
        ]
        indexes = [
            models.Index(
                fields=["issue", "id"], name="delivery_pending", condition=Q(status="pending")
            ),
            models.Index(fields=["sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id}/{self.pk} {self.status}"

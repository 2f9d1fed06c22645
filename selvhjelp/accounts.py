"""django-allauth adapter: accounts are given by admins and invitations, never by open signup,
and allauth's emails go through the outbox like every other email."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.translation import gettext

from selvhjelp import emails
from selvhjelp.ratelimit import client_ip


def site_for_emails() -> SimpleNamespace:
    """The site as allauth's templates name it ("Hei fra Selvhjelp!"). We do not install
    django.contrib.sites: one site, whose address is SITE_URL."""
    return SimpleNamespace(name=gettext("Selvhjelp"), domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        # allauth's login limits count per client like the portal's own (TRUSTED_PROXY_COUNT):
        # behind the TLS proxy REMOTE_ADDR is the proxy, and one client's failed logins would
        # lock everyone out. allauth's own reading raises on a short X-Forwarded-For; ours
        # falls back to REMOTE_ADDR.
        return client_ip(request) or super().get_client_ip(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # The same context allauth's own send_mail gives its templates.
        context = {
            "request": allauth_context.request,
            "email": email,
            "current_site": site_for_emails(),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next((c for c, mime in message.alternatives if mime == "text/html"), "")
        emails.queue_rendered(
            kind=template_prefix.rsplit("/", 1)[-1],
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
        )

"""django-allauth adapter: accounts are given by admins and invitations, never by open signup,
and allauth's emails go through the outbox like every other email."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMultiAlternatives

from selvhjelp import emails
from selvhjelp.ratelimit import client_ip


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

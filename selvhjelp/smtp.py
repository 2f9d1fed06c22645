"""Django's SMTP backend, telling "the relay may have the message" apart from "it has not".

A relay that goes quiet or drops the connection after the DATA command may already have stored
the message and be about to deliver it: a fast retry would send a second copy. Before DATA
(connecting, logging in, MAIL, RCPT) nothing was handed over, and a refusal with a reply code is
a clear no. selvhjelp/outbox.py retries the two cases differently.
"""

from __future__ import annotations

import smtplib

from django.core.mail.backends.smtp import EmailBackend


class DeliveryUncertain(smtplib.SMTPServerDisconnected):
    """The connection timed out or dropped after the message was handed to the relay."""


class _SMTPMixin:
    def data(self, msg):  # noqa: ANN001, ANN201 (smtplib's signature)
        try:
            return super().data(msg)
        except smtplib.SMTPServerDisconnected as exc:
            # smtplib turns a timeout or a dropped connection into SMTPServerDisconnected; a
            # reply with an error code (SMTPDataError) is a refusal and passes through.
            raise DeliveryUncertain(str(exc)) from exc


class _SMTP(_SMTPMixin, smtplib.SMTP):
    pass


class _SMTPSSL(_SMTPMixin, smtplib.SMTP_SSL):
    pass


class SMTPBackend(EmailBackend):
    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return _SMTPSSL if self.use_ssl else _SMTP

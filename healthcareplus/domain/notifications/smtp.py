"""Email over SMTP: the message as the receiver sees it, and the sender the worker uses."""

from __future__ import annotations

import hashlib
import ipaddress
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from functools import cached_property
from urllib.parse import unquote, urlsplit

from healthcareplus.core.models import Notification
from healthcareplus.domain.notifications.calendar import method_of

MESSAGE_ID_DOMAIN = "healthcareplus.in"


def message_id(key: str) -> str:
    """The same ``Message-ID`` for every send of one outbox row."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{MESSAGE_ID_DOMAIN}>"


def _private(server: smtplib.SMTP) -> bool:
    """Whether a password may go over this connection: inside TLS, or to a relay on this
    machine (loopback). STARTTLS is only used when offered, and an attacker on the path can
    strip the offer; without this check the password would then cross the network in the
    clear (the rule Go's net/smtp applies to PLAIN auth)."""
    if isinstance(server.sock, ssl.SSLSocket):
        return True
    try:
        peer = server.sock.getpeername()[0] if server.sock is not None else ""
        return ipaddress.ip_address(str(peer).split("%", 1)[0]).is_loopback
    except (OSError, ValueError):
        return False


def email_message(message: Notification, mail_from: str) -> EmailMessage:
    """Text and HTML as alternatives; the invitation, if any, as a text/calendar part."""
    mail = EmailMessage()
    mail["From"] = mail_from
    mail["To"] = message.to_address
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = message_id(message.key)
    mail.set_content(message.body)
    if message.body_html:
        mail.add_alternative(message.body_html, subtype="html")
    if message.attachment:
        mail.add_attachment(
            message.attachment,
            subtype="calendar",
            filename="invite.ics",
            params={"method": method_of(message.attachment) or "PUBLISH"},
        )
    return mail


@dataclass
class SmtpSender:
    """Email over SMTP: ``smtp://[user:password@]host[:port]`` (STARTTLS when the server
    offers it) or ``smtps://`` (TLS from the start). The server's certificate is always
    verified (a failure is an error, never a plaintext retry), and the URL's password is
    only sent inside TLS or to a relay on this machine."""

    url: str
    mail_from: str
    timeout: float = 15.0
    channel: str = "email"
    # A CA bundle to trust instead of the system's (a relay with a private CA); "" = system.
    ca_file: str = ""

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("the SMTP URL must look like smtp://[user:pass@]host[:port]")

    @cached_property
    def tls_context(self) -> ssl.SSLContext:
        """Made once per sender, when first needed: loading the system's CA store costs
        tens of milliseconds, more than the rest of a send to a nearby relay."""
        return ssl.create_default_context(cafile=self.ca_file or None)

    def send(self, message: Notification) -> None:
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        server: smtplib.SMTP
        if parts.scheme == "smtps":
            server = smtplib.SMTP_SSL(
                host, parts.port or 465, timeout=self.timeout, context=self.tls_context
            )
        else:
            server = smtplib.SMTP(host, parts.port or 25, timeout=self.timeout)
        with server:
            server.ehlo()
            if parts.scheme == "smtp" and server.has_extn("starttls"):
                server.starttls(context=self.tls_context)
                server.ehlo()
            if parts.username:
                if not _private(server):
                    raise smtplib.SMTPException(
                        f"refusing to send the SMTP password to {host} without TLS "
                        "(the server did not offer STARTTLS; use smtps:// or fix the relay)"
                    )
                server.login(unquote(parts.username), unquote(parts.password or ""))
            server.send_message(
                email_message(message, self.mail_from), to_addrs=[message.to_address]
            )


__all__ = ["MESSAGE_ID_DOMAIN", "SmtpSender", "email_message", "message_id"]

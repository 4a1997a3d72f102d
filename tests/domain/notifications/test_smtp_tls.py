"""``SmtpSender`` over TLS, against a real SMTP server (aiosmtpd) in the test process with
a certificate from a test CA (trustme): STARTTLS on ``smtp://`` when offered, TLS from the
start on ``smtps://``, an untrusted certificate refused with no plaintext fallback, and the
URL's credentials sent only inside TLS (or to a relay on this machine)."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Notification
from healthcareplus.domain.notifications.smtp import SmtpSender, message_id

MAIL_FROM = "HealthCarePlus <no-reply@healthcareplus.in>"
USER, PASSWORD = "asha@clinic.in", "p@ss:word"
CREDENTIALS = "asha%40clinic.in:p%40ss%3Aword"  # as they appear in HCP_SMTP_URL
TLS_VERSIONS = ("TLSv1.2", "TLSv1.3")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _non_loopback_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    return None if address.startswith("127.") else address


NON_LOOPBACK = _non_loopback_address()


def tls_version(server: Any) -> str | None:
    """The TLS version of the connection an aiosmtpd hook runs on, None when plaintext
    (``session.ssl`` is only set after STARTTLS; the transport knows in both cases)."""
    ssl_object = server.transport.get_extra_info("ssl_object") if server.transport else None
    return ssl_object.version() if ssl_object is not None else None


@dataclass
class Inbox:
    """An aiosmtpd handler recording each MAIL command and accepted message, with the TLS
    version of the connection it came on."""

    mail_commands: list[str | None] = field(default_factory=list)
    accepted: list[tuple[bytes, str | None, bool]] = field(default_factory=list)

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        self.mail_commands.append(tls_version(server))
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.accepted.append((envelope.content, tls_version(server), session.ssl is not None))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [
            message_from_bytes(c, policy=policy.default)["Message-ID"] for c, _, _ in self.accepted
        ]


@dataclass
class Logins:
    """An aiosmtpd authenticator accepting USER/PASSWORD; records each attempt with the
    TLS version of its connection."""

    seen: list[tuple[bytes, bytes, str | None]] = field(default_factory=list)

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.seen.append((data.login, data.password, tls_version(server)))
        ok = (data.login, data.password) == (USER.encode(), PASSWORD.encode())
        return AuthResult(success=ok)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    """The server side: a certificate for 127.0.0.1 issued by ``ca``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture(scope="module")
def trusted_tls(ca: trustme.CA) -> ssl.SSLContext:
    return server_context(ca)


@pytest.fixture(scope="module")
def untrusted_tls() -> ssl.SSLContext:
    """A certificate from a CA nobody trusts (not the system's, not ``ca_file``)."""
    return server_context(trustme.CA())


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    """The test CA as a PEM bundle: what HCP_SMTP_CA_FILE names."""
    path = tmp_path / "relay-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def serve() -> Iterator[Any]:
    """Start aiosmtpd servers for one test (options as aiosmtpd's Controller takes them);
    returns (inbox, port). Stopped afterwards."""
    started: list[Controller] = []

    def start(host: str = "127.0.0.1", **options: Any) -> tuple[Inbox, int]:
        inbox, port = Inbox(), free_port(host)
        controller = Controller(inbox, hostname=host, port=port, **options)
        controller.start()
        started.append(controller)
        return inbox, port

    yield start
    for controller in started:
        controller.stop()


def outgoing(key: str = "tls-test:1") -> Notification:
    return Notification(
        key=key,
        event="test",
        user_id=1,
        channel="email",
        to_address="patient@example.in",
        subject="Your appointment",
        body="See you on Monday.",
        due_at=utcnow(),
    )


def test_smtp_upgrades_with_starttls_when_the_server_offers_it(
    serve: Any, trusted_tls: ssl.SSLContext, ca_file: str
) -> None:
    # require_starttls: this server refuses MAIL on a plaintext connection ...
    inbox, port = serve(tls_context=trusted_tls, require_starttls=True)
    with (
        smtplib.SMTP("127.0.0.1", port, timeout=10) as plain,
        pytest.raises(smtplib.SMTPSenderRefused, match="STARTTLS"),
    ):
        plain.sendmail("no-reply@healthcareplus.in", ["x@example.in"], b"Subject: x\r\n\r\nx")
    assert inbox.accepted == []

    # ... so the sender's message arriving means it upgraded first.
    message = outgoing()
    SmtpSender(f"smtp://127.0.0.1:{port}", MAIL_FROM, ca_file=ca_file).send(message)

    [(_, version, starttls)] = inbox.accepted
    assert starttls and version in TLS_VERSIONS
    assert inbox.message_ids() == [message_id(message.key)]


def test_smtps_speaks_tls_from_the_start(
    serve: Any, trusted_tls: ssl.SSLContext, ca_file: str
) -> None:
    inbox, port = serve(ssl_context=trusted_tls)
    message = outgoing()

    SmtpSender(f"smtps://127.0.0.1:{port}", MAIL_FROM, ca_file=ca_file).send(message)

    [(_, version, starttls)] = inbox.accepted
    assert version in TLS_VERSIONS and not starttls  # TLS before the greeting
    assert inbox.mail_commands == [version]
    assert inbox.message_ids() == [message_id(message.key)]


@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
@pytest.mark.parametrize("trust", ["system", "another CA"])
def test_an_untrusted_certificate_is_refused_without_falling_back_to_plaintext(
    serve: Any, untrusted_tls: ssl.SSLContext, ca_file: str, scheme: str, trust: str
) -> None:
    # On smtp:// the server would take the message in plaintext too (STARTTLS offered, not
    # required): only the sender can refuse to go on.
    options = {"tls_context": untrusted_tls} if scheme == "smtp" else {"ssl_context": untrusted_tls}
    inbox, port = serve(**options)
    sender = SmtpSender(
        f"{scheme}://{CREDENTIALS}@127.0.0.1:{port}",
        MAIL_FROM,
        ca_file=ca_file if trust == "another CA" else "",
        timeout=10,
    )

    with pytest.raises(ssl.SSLCertVerificationError, match="certificate verify failed"):
        sender.send(outgoing())

    assert inbox.mail_commands == [] and inbox.accepted == []  # nothing said in the clear


@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_url_credentials_sign_in_over_tls(
    serve: Any, trusted_tls: ssl.SSLContext, ca_file: str, scheme: str
) -> None:
    logins = Logins()
    # aiosmtpd's auth_require_tls knows STARTTLS only; on smtps:// the session is TLS from
    # the start, which the authenticator records.
    tls = (
        {"tls_context": trusted_tls, "require_starttls": True, "auth_require_tls": True}
        if scheme == "smtp"
        else {"ssl_context": trusted_tls, "auth_require_tls": False}
    )
    inbox, port = serve(authenticator=logins, auth_required=True, **tls)
    message = outgoing()

    SmtpSender(f"{scheme}://{CREDENTIALS}@127.0.0.1:{port}", MAIL_FROM, ca_file=ca_file).send(
        message
    )

    [(login, password, version)] = logins.seen
    assert (login, password) == (USER.encode(), PASSWORD.encode())
    assert version in TLS_VERSIONS
    assert inbox.message_ids() == [message_id(message.key)]


@pytest.mark.skipif(NON_LOOPBACK is None, reason="this machine has no non-loopback address")
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_password_never_crosses_the_network_in_the_clear(serve: Any) -> None:
    # A relay on another machine that does not offer STARTTLS (or from which an attacker
    # stripped the offer): the sender must not log in, and so sends nothing.
    assert NON_LOOPBACK is not None
    logins = Logins()
    inbox, port = serve(
        host=NON_LOOPBACK, authenticator=logins, auth_required=True, auth_require_tls=False
    )
    sender = SmtpSender(f"smtp://{CREDENTIALS}@{NON_LOOPBACK}:{port}", MAIL_FROM, timeout=10)

    with pytest.raises(smtplib.SMTPException, match="without TLS"):
        sender.send(outgoing())

    assert logins.seen == [] and inbox.accepted == []

    # Without credentials there is no secret to protect: the message goes, as documented
    # for smtp:// ("STARTTLS when offered").
    open_inbox, open_port = serve(host=NON_LOOPBACK)
    SmtpSender(f"smtp://{NON_LOOPBACK}:{open_port}", MAIL_FROM, timeout=10).send(outgoing())
    assert len(open_inbox.accepted) == 1

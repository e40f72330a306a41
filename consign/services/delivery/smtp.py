"""The mail server, through the standard library's ``smtplib``: where it is and how to log
in (``CONSIGN_SMTP_URL``), who the mail is from (``CONSIGN_MAIL_FROM``), and handing it one
message at a time.

- ``smtps://USER:PASSWORD@HOST:465``: TLS from the first byte (port 465 unless given);
- ``smtp://USER:PASSWORD@HOST:587``: STARTTLS, required: a password is never sent in the
  clear (port 587 unless given);
- ``smtp://HOST:25``: no login and no TLS, for a relay on the same machine or network
  (port 25 unless given).

A user name or password holding ``@``, ``:`` or ``/`` is written percent-encoded
(``%40``, ``%3A``, ``%2F``). The password is never shown: not in a message, not in the
record of a failure.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from urllib.parse import unquote, urlsplit

from consign.errors import EnvironmentFailure, InvalidInput, MalformedSetting
from consign.i18n import Message, msg

URL_SETTING, FROM_SETTING = "CONSIGN_SMTP_URL", "CONSIGN_MAIL_FROM"
PORTS = {"smtps": 465, "smtp": 587}  # smtp without a login: 25
PLAIN_PORT = 25
TIMEOUT_SECONDS = 30
REASON_MAX = 500
_FORMS = msg("smtp://USER:PASSWORD@HOST:587 (STARTTLS), smtps://USER:PASSWORD@HOST:465 or "
             "smtp://HOST:25 (a relay without login)")


@dataclass(frozen=True)
class SmtpSettings:
    scheme: str
    host: str
    port: int
    user: str | None
    password: str | None = field(repr=False)
    sender: str  # the From header: "Name <address>" or the address
    sender_address: str

    @property
    def where(self) -> str:
        """The server as it may be shown: no password."""
        login = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{login}{self.host}:{self.port}"


def hidden(url: str) -> str:
    """A URL as it may be shown, however malformed, with no part of a password: of what
    stands between the scheme's ``//`` and the last ``@``, only a user name followed by
    ``:`` is kept (``smtp://sri:***@host``), the rest is ``***``; without an ``@``,
    whatever follows a ``:`` after the ``//`` unless it is a port (``smtp://user:***``)."""
    if "@" in url:
        before, host = url.rsplit("@", 1)
        scheme, slashes, login = before.partition("//")
        if not slashes:
            return f"***@{host}"
        user, colon, _password = login.partition(":")
        shown = f"{user}:***" if colon and user and "/" not in user else "***"
        return f"{scheme}//{shown}@{host}"
    scheme, slashes, rest = url.partition("//")
    if slashes and ":" in rest:
        name, _colon, tail = rest.partition(":")
        if not tail.isdigit():  # host:port is no secret
            return f"{scheme}//{name}:***"
    return url


def settings(url: str | None, sender: str | None) -> SmtpSettings:
    """The mail server and sender the environment names. Unset: the environment's failure
    (exit 3); set but not readable: a malformed setting (exit 2)."""
    if url is None or not url.strip():
        raise EnvironmentFailure(msg(
            "{name} is not set: statements are sent by e-mail through the mail server it "
            "names ({forms}). Nothing was sent.", name=URL_SETTING, forms=_FORMS),
            field=URL_SETTING)
    if sender is None or not sender.strip():
        raise EnvironmentFailure(msg(
            "{name} is not set: it is the address statements are sent from (e.g. "
            "konsinyasi@example.go.id). Nothing was sent.", name=FROM_SETTING),
            field=FROM_SETTING)
    scheme, host, port, user, password = _server(url.strip())
    name, address = _sender(sender.strip())
    return SmtpSettings(scheme, host, port, user, password,
                        formataddr((name, address)) if name else address, address)


def _server(url: str) -> tuple[str, str, int, str | None, str | None]:
    def refuse(why):
        return MalformedSetting(msg(
            "{name} {url!r} is not a mail server URL consign can read ({why}): write {forms}",
            name=URL_SETTING, url=hidden(url), why=why, forms=_FORMS), field=URL_SETTING)

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise refuse(msg("its host or port cannot be read")) from None
    scheme = parts.scheme.lower()
    if scheme not in PORTS:
        raise refuse(msg("scheme {scheme!r}", scheme=scheme) if scheme else msg("no scheme"))
    if not parts.hostname:
        raise refuse(msg("no host"))
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise refuse(msg("it holds more than a server"))
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if (user is None) != (password is None):
        raise refuse(msg("a login needs both a user name and a password"))
    if port is None:
        port = PORTS[scheme] if user or scheme == "smtps" else PLAIN_PORT
    return scheme, parts.hostname, port, user, password


def _sender(text: str) -> tuple[str, str]:
    from consign.contacts import parse_email

    refused = MalformedSetting(msg(
        "{name} {text!r} is not an e-mail address (write konsinyasi@example.go.id or "
        "\"Diskopindag Kota Malang <konsinyasi@example.go.id>\")", name=FROM_SETTING,
        text=text[:80]), field=FROM_SETTING)
    name, address = parseaddr(text)
    if not address:
        raise refused
    try:
        address = parse_email(address, FROM_SETTING)
    except InvalidInput:
        raise refused from None
    return name.strip(), address


# ---- talking to the server ---------------------------------------------------------------

class Unreachable(Exception):
    """The server could not be reached, would not talk TLS, refused the login, or the
    connection was lost: no message can go now. ``reason`` says which, in one line: a
    sentence (a ``Message``) said in the reader's language when it is shown; what the
    server or the system said (``Connection refused``, a reply) is put in it as it came."""

    def __init__(self, reason: Message):
        super().__init__(reason)
        self.reason = reason


class Refused(Exception):
    """The server refused this one message (its recipient, its sender or its content),
    with the reason it gave; the others may still go."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def one_line(text: str) -> str:
    """A server's reply (or an error) as one printable line of at most 500 characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:REASON_MAX]


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return one_line(f"{code} {text}")


class Connection:
    """An open session with the mail server: ``send`` hands it one message."""

    def __init__(self, client: smtplib.SMTP, settings: SmtpSettings):
        self.client, self.settings = client, settings

    def send(self, message: EmailMessage, recipient: str) -> None:
        """Hand ``message`` to the server for ``recipient``; returns once the server has
        accepted it. ``Refused``: the server said no to this message; ``Unreachable``:
        the connection is gone."""
        try:
            self.client.send_message(message, self.settings.sender_address, [recipient])
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients.get(recipient, (0, b"recipient refused"))
            raise Refused(_reply(code, text)) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            raise Refused(_reply(error.smtp_code, error.smtp_error)) from None
        except smtplib.SMTPServerDisconnected as error:
            raise Unreachable(msg("the connection to {server} was lost: {why}",
                                  server=_where(self.settings),
                                  why=one_line(str(error)) or msg("closed"))) from None
        except smtplib.SMTPResponseException as error:
            raise Refused(_reply(error.smtp_code, error.smtp_error)) from None
        except (OSError, smtplib.SMTPException) as error:
            raise Unreachable(msg("the connection to {server} failed: {why}",
                                  server=_where(self.settings), why=_why(error))) from None

    def close(self) -> None:
        try:
            self.client.quit()
        except (OSError, smtplib.SMTPException):
            self.client.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _where(settings: SmtpSettings) -> str:
    """The server as a reason names it: as it may be shown, on one line."""
    return one_line(settings.where)


def _why(error: BaseException) -> str:
    """What the system said of a failure, as one line."""
    return one_line(getattr(error, "strerror", None) or str(error) or type(error).__name__)


def connect(settings: SmtpSettings, tls: ssl.SSLContext | None = None) -> Connection:
    """Open a session: TLS as the scheme says (certificates checked against the system's
    authorities unless ``tls`` is given), and the login. ``Unreachable`` if any of it
    fails, with the reason and the server (never its password)."""
    tls = tls or ssl.create_default_context()
    client = None
    try:
        if settings.scheme == "smtps":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS,
                                      context=tls)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        if settings.user is not None:
            _log_in(client, settings, tls)
        return Connection(client, settings)
    except Unreachable:
        _drop(client)
        raise
    except smtplib.SMTPAuthenticationError as error:
        _drop(client)
        raise Unreachable(msg("the mail server {server} refused the login: {reply}",
                              server=_where(settings),
                              reply=_reply(error.smtp_code, error.smtp_error))) from None
    except (OSError, smtplib.SMTPException) as error:
        _drop(client)
        raise Unreachable(msg("cannot reach the mail server {server}: {why}",
                              server=_where(settings), why=_why(error))) from None


def _log_in(client: smtplib.SMTP, settings: SmtpSettings, tls: ssl.SSLContext) -> None:
    if settings.scheme == "smtp":
        client.ehlo()
        if not client.has_extn("starttls"):
            raise Unreachable(msg(
                "the mail server {server} does not offer STARTTLS, and a password is never "
                "sent in the clear (use smtps:// or a server with STARTTLS)",
                server=_where(settings)))
        client.starttls(context=tls)
        client.ehlo()
    client.login(settings.user, settings.password)


def _drop(client: smtplib.SMTP | None) -> None:
    if client is not None:
        with contextlib.suppress(OSError):
            client.close()

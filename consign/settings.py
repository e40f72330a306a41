"""Configuration read from the environment, at the edge only (CLI, web)."""

import getpass
import os

DEFAULT_URL = "sqlite:///consign.db"


def database_url(option: str | None, environ=os.environ) -> str:
    """``--db``, else ``CONSIGN_DATABASE_URL``, else the SQLite file consign.db here. A
    blank one given is a malformed setting, not a reason to use another database."""
    for given, name in ((option, "db"), (environ.get("CONSIGN_DATABASE_URL"),
                                         "CONSIGN_DATABASE_URL")):
        if given is not None:
            if not given.strip():
                from consign.errors import MalformedSetting
                from consign.i18n import msg

                raise MalformedSetting(msg("{name} is blank: give a database URL or a "
                                           "SQLite file", name=name), field=name)
            return given.strip()
    return DEFAULT_URL


def actor(option: str | None, environ=os.environ) -> str | None:
    """``--as``, else ``CONSIGN_USER``, else the operating-system user (None if the system
    cannot tell: the command then asks for ``--as``)."""
    if option is not None:
        return option
    if environ.get("CONSIGN_USER"):
        return environ["CONSIGN_USER"]
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment (a container without one)
        return None


def timezone_name(environ=os.environ) -> str | None:
    """``CONSIGN_TIMEZONE`` (an IANA name); unset means Asia/Jakarta."""
    return environ.get("CONSIGN_TIMEZONE") or None


PUBLIC_URL_MAX = 80  # so that a label's QR code of {url}/p/{SKU} scans at its printed size


def public_url(environ=os.environ) -> str | None:
    """``CONSIGN_PUBLIC_URL``: where the public catalogue is served
    (``https://katalog.example.id``); a product's page is ``{url}/p/{SKU}``. None if unset
    or blank. Anything but an http(s) address of a host, without credentials, query or
    fragment, of at most 80 characters, is refused as a malformed setting."""
    given = (environ.get("CONSIGN_PUBLIC_URL") or "").strip()
    if not given:
        return None
    from urllib.parse import urlsplit

    url = given.rstrip("/")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number is refused here)
    except ValueError:
        parts = None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname
            or "@" in parts.netloc or "?" in url or "#" in url or len(url) > PUBLIC_URL_MAX
            or not url.isascii() or any(not char.isprintable() or char.isspace()
                                        for char in url)):
        import re

        from consign.errors import MalformedSetting
        from consign.i18n import msg

        shown = re.sub(r"//[^/]*@", "//…@", given)[:60]  # never a password on the screen
        raise MalformedSetting(msg(
            "CONSIGN_PUBLIC_URL {url!r} is not an address the QR codes of labels can hold: "
            "give an http:// or https:// address of at most {most} characters, without a "
            "query (e.g. https://katalog.example.id), or unset it.", url=shown,
            most=PUBLIC_URL_MAX), field="CONSIGN_PUBLIC_URL")
    return url


def smtp_url(environ=os.environ) -> str | None:
    """``CONSIGN_SMTP_URL``: the mail server statements are sent through
    (``smtp://USER:PASSWORD@HOST:587``, ``smtps://…``, ``smtp://HOST:25``); None if unset."""
    return environ.get("CONSIGN_SMTP_URL")


def mail_from(environ=os.environ) -> str | None:
    """``CONSIGN_MAIL_FROM``: the sender of the statements' e-mail (an address, or
    ``Name <address>``); None if unset."""
    return environ.get("CONSIGN_MAIL_FROM")

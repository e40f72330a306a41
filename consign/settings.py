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

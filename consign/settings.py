"""Configuration read from the environment, at the edge only (CLI, web)."""

import getpass
import os

DEFAULT_URL = "sqlite:///consign.db"


def database_url(option: str | None, environ=os.environ) -> str:
    """``--db``, else ``CONSIGN_DATABASE_URL``, else the SQLite file consign.db here."""
    return option or environ.get("CONSIGN_DATABASE_URL") or DEFAULT_URL


def actor(option: str | None, environ=os.environ) -> str:
    """``--as``, else ``CONSIGN_USER``, else the operating-system user."""
    return option or environ.get("CONSIGN_USER") or getpass.getuser()


def timezone_name(environ=os.environ) -> str | None:
    """``CONSIGN_TIMEZONE`` (an IANA name); unset means Asia/Jakarta."""
    return environ.get("CONSIGN_TIMEZONE") or None

"""Web forms that are sent once: a form that writes carries a random one-time key, and the
request that does what the form asks spends it, in its own transaction, with the page it led
to. The same form sent again (a second tap on a slow phone, or a browser sending it once
more after its answer was lost on the hotel's Wi-Fi) finds its key spent: it does nothing,
and is sent to that page. Two sendings at the same moment cannot both spend it (the key is
the table's primary key): the later one's work is undone.

A key is 128 random bits (:mod:`secrets`), written into the page when it is shown; a form
shown again after a refusal carries a new one, as nothing of the refused sending was done.
Keys go once no form could still carry them (``KEEP``: a form's CSRF token lasts a
shift).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from consign import fields
from consign.db import upsert
from consign.errors import InvalidInput
from consign.i18n import msg
from consign.models.users import FormKey

FIELD = "once"  # the form's field that carries the key
KEEP = timedelta(days=2)
ANSWER = 2000  # the longest address kept as a key's answer
_KEY = re.compile(r"[0-9a-f]{32}")


def new_key() -> str:
    """A key for a form about to be shown."""
    return secrets.token_hex(16)


def key(value, field: str = FIELD) -> str:
    """A form's key as sent: 32 hexadecimal digits, as :func:`new_key` makes them."""
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        raise InvalidInput(msg("{field} is not the key of a form shown by consign: open the "
                               "page again and send its form from there.", field=field),
                           field=field)
    return value


def answer_of(session: Session, value) -> str | None:
    """The page the form's first sending led to, if its key is spent; else None."""
    return session.scalar(select(FormKey.answer).where(FormKey.key == key(value)))


def spend(session: Session, value, answer: str, now: datetime) -> bool:
    """Spend the form's key, with the page its sending led to (``answer``, an address);
    False when another sending spent it first (the caller undoes its own work). Keys older
    than ``KEEP`` go."""
    spent = session.execute(
        upsert(session, FormKey.__table__)
        .values(key=key(value), answer=fields.text(answer, "answer", ANSWER), spent_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(FormKey.key)).first()
    session.execute(delete(FormKey).where(FormKey.spent_at < now - KEEP))
    return spent is not None

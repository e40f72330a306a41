"""Web forms that are sent once: a form that writes carries a random one-time key, and the
request that does what the form asks spends it, in its own transaction, with the page it led
to. The same form sent again (a second tap on a slow phone, or a browser sending it once
more after its answer was lost on the hotel's Wi-Fi) finds its key spent: it does nothing,
and is sent to that page. Two sendings at the same moment cannot both spend it (the key is
the table's primary key): the later one waits for the earlier to end, and finds the key spent.

A key is 128 random bits (:mod:`secrets`), written into the page when it is shown. It is
claimed before the form's work starts, and given back when that work is refused: a form
shown again after a refusal carries a new key, and the old one may be sent again.
Keys go once no form could still carry them (``KEEP``: a form's CSRF token lasts a
shift).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
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


def claim(session: Session, value, now: datetime) -> bool:
    """Claim the form's key for this sending, before anything of its work is done; False
    when it is spent (another sending did the form's work). A sending of the same form
    still at work holds the key: the claim waits for it to end (PostgreSQL waits on the
    row; on SQLite writers take turns), and then either finds it spent or, when that
    sending did nothing, claims it. Keys older than ``KEEP`` go."""
    session.execute(delete(FormKey).where(FormKey.spent_at < now - KEEP))
    claimed = session.execute(
        upsert(session, FormKey.__table__)
        .values(key=key(value), answer="", spent_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(FormKey.key)).first()
    return claimed is not None


def spend(session: Session, value, answer: str) -> None:
    """The claimed key spent: the form's work is done, and led to ``answer`` (an address)."""
    session.execute(update(FormKey).where(FormKey.key == key(value))
                    .values(answer=fields.text(answer, "answer", ANSWER)))


def release(session: Session, value) -> None:
    """The claimed key given back: nothing of what the form asked was done."""
    session.execute(delete(FormKey).where(FormKey.key == key(value)))

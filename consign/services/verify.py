"""Checking a paper statement without logging in (the public ``/verify`` page): an owner or
a bank types the statement's number and the verification code printed on it, and learns
whether the paper is genuine; for a genuine one, what the paper must say: the parties, the
period and the net.

The answer reveals nothing else. A wrong code, a number never issued and a draft (which
has no code) get the same answer, so that no one learns whether a number exists; the
typed code is compared with the expected one in constant time (``hmac.compare_digest``),
and an unknown number is compared with a stand-in code, so that the two cases cost the
same. Like the public catalogue (SPEC section 6), this read takes no role: anyone may
check a paper they hold, and learns only what is printed on it.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import fields
from consign.models import Statement
from consign.services.settlement.statements import statement_number
from consign.settlement import code_of

_STAND_IN = "0000 0000 0000"  # what a number never issued is compared with


@dataclass(frozen=True)
class Genuine:
    """What a genuine statement's paper must say."""

    number: str
    hotel: str
    hotel_name: str
    consignor: str
    consignor_name: str
    period: str  # YYYY-MM
    net: int
    code: str  # as printed: 'A1B2 C3D4 E5F6'


def check(session: Session, number, code) -> Genuine | None:
    """The statement ``number`` (``ST-000042``, any case) if ``code`` (spaces, dashes and
    case ignored) is the verification code of that issued statement; else None, the same
    for a wrong code, a number never issued and a draft. A malformed number, or a code that
    is not 12 hexadecimal digits, is refused as malformed input (``InvalidInput``), which
    says nothing of what is registered."""
    number = statement_number(number)
    typed = fields.verification_code(code)
    statement = session.scalar(select(Statement).where(Statement.number == number,
                                                       Statement.status != "draft"))
    expected = code_of(statement) if statement is not None else None
    matches = hmac.compare_digest(typed.encode("utf-8"), (expected or _STAND_IN).encode("utf-8"))
    if statement is None or expected is None or not matches:
        return None
    return Genuine(statement.number, statement.hotel_code, statement.hotel_name,
                   statement.consignor_code, statement.consignor_name, statement.period,
                   statement.net, expected)

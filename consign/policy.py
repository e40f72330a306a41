"""Who may do what (SPEC section 6): one pure policy over plain values, applied at the top
of every use case and to the scope of every read query, whoever calls it (the command
line, the web app, the API).

A ``Role`` is ``admin``, ``auditor``, ``hotel:CODE`` or ``consignor:CODE``. ``ACTIONS``
says which kinds of role may perform each action; ``scope`` says which hotel's or IKM's
records a role sees. What lies outside a role's scope is answered as if it did not exist
("not found"), so that no one learns the codes, names or figures of another hotel or IKM.
"""

from __future__ import annotations

from dataclasses import dataclass

from consign.i18n import msg

KINDS = ("admin", "auditor", "hotel", "consignor")
SCOPED = ("hotel", "consignor")


@dataclass(frozen=True)
class Role:
    kind: str
    code: str | None = None  # the hotel's or IKM's code of a scoped role

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}" if self.code else self.kind

    @property
    def writes(self) -> bool:
        return self.kind != "auditor"


FULL = Role("admin")  # also an identity without a user record: the owner of the database


@dataclass(frozen=True)
class Scope:
    """The records a role sees: all (both None), one hotel's, or one IKM's."""

    hotel: str | None = None
    consignor: str | None = None

    @property
    def everything(self) -> bool:
        return self.hotel is None and self.consignor is None


EVERYTHING = Scope()

ALL = frozenset(KINDS)
READERS = ALL
AGENCY = frozenset({"admin", "auditor"})
ADMIN = frozenset({"admin"})
HOTEL_STAFF = frozenset({"admin", "hotel"})
# a stock count compared with the ledger, not applied: whoever reads a whole hotel's shelf
HOTEL_READERS = frozenset({"admin", "auditor", "hotel"})
# one IKM's statements at every hotel in one document: not for a hotel's staff
CONSIGNOR_READERS = frozenset({"admin", "auditor", "consignor"})

# action -> the kinds of role that may perform it (within their scope)
ACTIONS: dict[str, frozenset[str]] = {
    # the registry: the agency writes; everyone reads within scope
    "registry.read": READERS,
    "registry.write": ADMIN,
    "terms.read": READERS,
    "terms.write": ADMIN,
    # the ledger: a hotel's staff record at their hotel
    "ledger.read": READERS,
    "ledger.write": HOTEL_STAFF,
    "ledger.count": HOTEL_READERS,
    # settlement: a hotel settles and closes its own months and records its payments
    "settlement.read": READERS,
    "settlement.settle": HOTEL_STAFF,
    "settlement.close": HOTEL_STAFF,
    "settlement.pay": HOTEL_STAFF,
    "settlement.consolidated": CONSIGNOR_READERS,
    # the agency's audit: reports within scope; the change log for the agency
    "audit.report": READERS,
    "audit.log": AGENCY,
    "agency.pages": AGENCY,  # the agency's own web pages (dashboard, registers, management)
    "hotel.pages": HOTEL_READERS,  # a hotel's web pages that read (shelf, count, statements)
    # for the administrator alone: db, check, demo, user, token, statement send
    "admin": ADMIN,
}


def parse_role(text: str) -> Role:
    """``admin``, ``auditor``, ``hotel:ATRIA`` or ``consignor:IKM-0001`` (codes in any case);
    ValueError with a sentence naming what is allowed for anything else."""
    kind, _, code = text.strip().partition(":")
    kind, code = kind.strip().lower(), code.strip().upper()
    if kind not in KINDS:
        raise ValueError(msg("role {text!r} is not one of admin, auditor, hotel:CODE, "
                             "consignor:CODE", text=text))
    if kind in SCOPED and not code:
        raise ValueError(msg("role {text!r}: {kind} needs a code (hotel:ATRIA, "
                             "consignor:IKM-0001)", text=text, kind=kind))
    if code and kind not in SCOPED:
        raise ValueError(msg("role {text!r}: {kind} takes no code", text=text, kind=kind))
    return Role(kind, code or None)


def said(role: Role):
    """The role as a sentence names it (a ``Message``): in English as it is written
    (``hotel:ATRIA``), in Indonesian in words (``staf hotel ATRIA``)."""
    if role.kind == "hotel":
        return msg("hotel:{code}", code=role.code)
    if role.kind == "consignor":
        return msg("consignor:{code}", code=role.code)
    return msg("auditor") if role.kind == "auditor" else msg("admin")


def allows(role: Role, action: str) -> bool:
    """Whether ``role`` may perform ``action`` at all (its scope aside)."""
    return role.kind in ACTIONS[action]


def scope(role: Role) -> Scope:
    """The records ``role`` sees."""
    if role.kind == "hotel":
        return Scope(hotel=role.code)
    if role.kind == "consignor":
        return Scope(consignor=role.code)
    return EVERYTHING


def within(role: Role, hotel: str | None = None, consignor: str | None = None) -> bool:
    """Whether a record of ``hotel`` and/or ``consignor`` lies inside the role's scope. A
    hotel role sees its own hotel's records (and the IKM with goods there, which the
    caller decides by passing ``hotel``); a consignor role its own IKM's, at any hotel."""
    seen = scope(role)
    if seen.hotel is not None:
        return hotel is not None and hotel.upper() == seen.hotel
    if seen.consignor is not None:
        return consignor is not None and consignor.upper() == seen.consignor
    return True


def require(role: Role, action: str, hotel: str | None = None,
            consignor: str | None = None) -> None:
    """Refuse, at the top of a use case, what ``role`` may not do: an action its kind may
    not perform (``Forbidden``), or a record outside its scope, answered "not found" as if
    it did not exist (``NotFound``)."""
    from consign.errors import Forbidden, NotFound

    if not allows(role, action):
        raise Forbidden(msg("As {role} you may not {what}.", role=said(role),
                            what=_WHAT[action]))
    if (hotel is not None or consignor is not None) and not within(role, hotel, consignor):
        seen = scope(role)
        if seen.hotel is not None and hotel is not None or consignor is None:
            raise NotFound(msg("No hotel with code {code}.", code=hotel), field="hotel")
        raise NotFound(msg("No IKM with code {code}.", code=consignor), field="consignor")


def reads_accounts(role: Role) -> bool:
    """Whether the role reads an IKM's bank account, NIB and contacts: a hotel's staff
    read only the names of the IKM with goods at their hotel (and their products)."""
    return role.kind != "hotel"


# what each action is, in the sentence that refuses it (each a whole phrase to translate)
_WHAT = {
    "registry.read": msg("read the registry"),
    "registry.write": msg("register or change hotels, IKM, products or users"),
    "terms.read": msg("read commission terms"),
    "terms.write": msg("set commission terms"),
    "ledger.read": msg("read the ledger"),
    "ledger.write": msg("record placements, sales, voids, returns, losses or counts"),
    "ledger.count": msg("compare a stock count"),
    "settlement.read": msg("read statements"),
    "settlement.settle": msg("settle statements"),
    "settlement.close": msg("close a month"),
    "settlement.pay": msg("record or void payments"),
    "settlement.consolidated": msg("print an IKM's consolidated statement"),
    "audit.report": msg("read the agency's reports"),
    "audit.log": msg("read the audit log"),
    "agency.pages": msg("use the agency's pages"),
    "hotel.pages": msg("use a hotel's pages"),
    "admin": msg("run the administrator's commands (db, check, demo, user, token, serve, "
                 "statement send)"),
}

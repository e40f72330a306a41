"""What the use cases return: plain frozen records, read after the transaction has
ended (the command line prints them only once it has committed; a web handler renders
them). Built from the models inside the transaction by the ``*_of`` functions; turned
into the JSON shapes of SPEC section 5 by :mod:`consign.serialize`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from consign.settlement import code_of


@dataclass(frozen=True)
class Hotel:
    code: str
    name: str
    address: str
    phone: str | None
    phri_no: str | None
    active: bool
    commission: int | None = None  # the default rate in force today, in basis points


@dataclass(frozen=True)
class Consignor:
    code: str
    name: str
    owner: str
    sector: str
    nib: str | None
    phone: str | None
    email: str | None
    address: str
    bank: str | None
    account: str | None
    holder: str | None
    active: bool
    public: bool = False  # consents to appear in the public catalogue
    description: str = ""  # what it shows of itself on its public pages
    public_contact: bool = False  # consents to its phone and e-mail on its public pages


@dataclass(frozen=True)
class Holding:
    """Units of a product on hand at one hotel."""

    hotel: str
    on_hand: int


@dataclass(frozen=True)
class Product:
    sku: str
    consignor: str
    name: str
    category: str
    price: int
    active: bool
    on_hand: int | None = None  # at the hotel a listing is of (``product list --hotel``)
    at_hotels: tuple[Holding, ...] | None = None  # where its goods are (``product show``)


@dataclass(frozen=True)
class Edit:
    """What an edit of a hotel, IKM or product returns: the record as it now stands and the
    fields the edit changed (none: the values given were those registered)."""

    record: Hotel | Consignor | Product
    changed: tuple[str, ...]


@dataclass(frozen=True)
class Terms:
    id: int
    hotel: str
    consignor: str | None
    rate_bp: int
    valid_from: date | None
    valid_to: date | None
    display_days: int
    payment_days: int


@dataclass(frozen=True)
class Movement:
    id: int
    kind: str
    hotel: str
    consignor: str
    sku: str
    qty: int
    unit_price: int | None
    at: datetime
    recorded_at: datetime
    actor: str
    note: str | None
    receipt: str | None
    payment: str | None
    reason: str | None
    liable: str | None
    reverses: int | None
    cancels: bool | None
    note_id: int | None = None
    reversed_by: int | None = None  # the id of its reversal, where one was read
    in_force: bool | None = None  # where it was read: not voided (or its void voided)


@dataclass(frozen=True)
class Note:
    id: int
    number: str
    kind: str
    hotel: str
    consignor: str | None
    at: datetime
    reason: str | None
    movements: tuple[Movement, ...]


@dataclass(frozen=True)
class StatementLine:
    kind: str
    day: date
    sku: str
    name: str
    qty: int
    unit_price: int
    amount: int
    rate_bp: int
    at: datetime | None = None  # a sale's moment, receipt and payment method
    receipt: str | None = None
    payment: str | None = None
    note: str | None = None  # a loss's note number
    reason: str | None = None  # a loss's reason, or the void's of a correction
    corrects_day: date | None = None  # a correction: the line it corrects
    corrects_receipt: str | None = None
    corrects_number: str | None = None


@dataclass(frozen=True)
class StatementLoss:
    kind: str
    day: date
    sku: str
    name: str
    qty: int
    note: str | None
    reason: str | None


@dataclass(frozen=True)
class StockRow:
    sku: str
    name: str
    opening: int
    placed: int
    sold: int
    returned: int
    lost: int
    counted: int
    corrected: int
    closing: int


@dataclass(frozen=True)
class Statement:
    number: str | None
    hotel: str
    consignor: str
    period: str
    status: str
    gross: int
    commission: int
    opening_balance: int
    net: int
    issued_on: date | None
    due_on: date | None
    pdf_sha256: str | None
    verification_code: str | None  # printed on the issued PDF; None for a draft
    paid: int = 0  # what its payments in force add up to
    owed: int = 0
    overdue: bool = False
    paid_on: date | None = None  # the payment that completed it
    pay_ref: str | None = None
    lines: tuple[StatementLine, ...] = ()
    stock: tuple[StockRow, ...] = ()
    losses: tuple[StatementLoss, ...] = ()

    @property
    def label(self) -> str:
        return self.number or f"draft {self.hotel}/{self.consignor} {self.period}"

    @property
    def file_name(self) -> str:
        """What its PDF is called: ``ST-000042.pdf``, or which draft it is."""
        if self.number:
            return f"{self.number}.pdf"
        return f"draft_{self.hotel}_{self.consignor}_{self.period}.pdf"


@dataclass(frozen=True)
class Payment:
    id: int
    number: str
    hotel: str
    consignor: str
    on: date
    amount: int
    ref: str
    bank: str
    account: str
    holder: str
    recorded_at: datetime
    actor: str
    voided: bool = False
    void_reason: str | None = None
    voided_at: datetime | None = None
    voided_by: str | None = None


@dataclass(frozen=True)
class Paid:
    """What ``pay`` and ``payment void`` return: the payment and its statement after it."""

    payment: Payment
    statement: Statement


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    recorded_at: datetime
    actor: str
    action: str
    record: str
    detail: str


# ---- from the models, inside the transaction ----------------------------------------------------

def hotel_of(row, commission: int | None = None) -> Hotel:
    return Hotel(row.code, row.name, row.address, row.phone, row.phri_no, row.active,
                 commission)


def consignor_of(row) -> Consignor:
    return Consignor(row.code, row.name, row.owner, row.sector, row.nib, row.phone, row.email,
                     row.address, row.bank, row.account, row.holder, row.active, row.public,
                     row.description, row.public_contact)


def product_of(row) -> Product:
    return Product(row.sku, row.consignor.code, row.name, row.category, row.price, row.active)


def terms_of(row) -> Terms:
    return Terms(row.id, row.hotel.code, row.consignor.code if row.consignor else None,
                 row.rate_bp, row.valid_from, row.valid_to, row.display_days, row.payment_days)


def movement_of(row) -> Movement:
    return Movement(
        id=row.id, kind=row.kind, hotel=row.hotel.code, consignor=row.product.consignor.code,
        sku=row.product.sku, qty=row.qty, unit_price=row.unit_price, at=row.at,
        recorded_at=row.recorded_at, actor=row.actor,
        note=row.note.number if row.note_id else None, receipt=row.receipt,
        payment=row.payment, reason=row.reason, liable=row.liable, reverses=row.reverses_id,
        cancels=row.cancels, note_id=row.note_id,
    )


def movement_written(movement_id: int, values: dict, names: dict) -> Movement:
    """The record of a movement just written, from the values it was written with and
    the codes it names (no query)."""
    return Movement(
        id=movement_id, kind=values["kind"], hotel=names["hotel"],
        consignor=names["consignor"], sku=names["sku"], qty=values["qty"],
        unit_price=values["unit_price"], at=values["at"], recorded_at=values["recorded_at"],
        actor=values["actor"], note=names.get("note"), receipt=values["receipt"],
        payment=values["payment"], reason=values["reason"], liable=values["liable"],
        reverses=values["reverses_id"], cancels=values["cancels"], note_id=values["note_id"],
    )


def note_of(row) -> Note:
    """A note's record; one written in this request lists the movements it wrote
    (``written``), else those stored."""
    written = getattr(row, "written", None)
    lines = written if written is not None else [movement_of(m) for m in row.movements]
    return Note(row.id, row.number, row.kind, row.hotel.code,
                row.consignor.code if row.consignor else None, row.at, row.reason,
                tuple(lines))


LINE_DETAIL = ("at", "receipt", "payment", "note", "reason", "corrects_day",
               "corrects_receipt", "corrects_number")


def statement_of(row, owing=None, parts: bool = False) -> Statement:
    """A statement's record; ``owing`` (``settlement.owing``) what its payments make of it,
    by default that nothing is paid."""
    lines = stock = losses = ()
    if parts:
        lines = tuple(StatementLine(line.kind, line.day, line.sku, line.name, line.qty,
                                    line.unit_price, line.amount, line.rate_bp,
                                    *(getattr(line, name) for name in LINE_DETAIL))
                      for line in row.lines)
        stock = tuple(StockRow(s.sku, s.name, s.opening, s.placed, s.sold, s.returned, s.lost,
                               s.counted, s.corrected, s.closing) for s in row.stock)
        losses = tuple(StatementLoss(loss.kind, loss.day, loss.sku, loss.name, loss.qty,
                                     loss.note, loss.reason) for loss in row.losses)
    if owing is None:
        owed = row.net if row.status != "draft" and row.net > 0 else 0
        state = {"status": row.status, "owed": owed}
    else:
        state = {"status": owing.status, "paid": owing.paid, "owed": owing.owed,
                 "overdue": owing.overdue, "paid_on": owing.paid_on, "pay_ref": owing.pay_ref}
    return Statement(
        number=row.number, hotel=row.hotel_code, consignor=row.consignor_code,
        period=row.period, gross=row.gross, commission=row.commission,
        opening_balance=row.opening_balance, net=row.net, issued_on=row.issued_on,
        due_on=row.due_on, pdf_sha256=row.pdf_sha256, verification_code=code_of(row),
        lines=lines, stock=stock,
        losses=losses, **state,
    )


def payment_of(row, statement, void=None) -> Payment:
    """A payment's record: ``row`` a ``Payment``, ``statement`` its ``Statement``, ``void``
    its ``PaymentVoid`` if it was voided."""
    return Payment(
        id=row.id, number=statement.number, hotel=statement.hotel_code,
        consignor=statement.consignor_code, on=row.paid_on, amount=row.amount, ref=row.ref,
        bank=row.bank, account=row.account, holder=row.holder, recorded_at=row.recorded_at,
        actor=row.actor, voided=void is not None,
        void_reason=void.reason if void else None, voided_at=void.voided_at if void else None,
        voided_by=void.actor if void else None,
    )

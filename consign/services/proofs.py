"""The proofs of what changed hands (SPEC sections 4 and 5): a placement's receipt, a
return note, and a payment's advice, each as a PDF.

A proof is archived, byte for byte, the first time it is made (in each language), and
handed out from the archive ever after: a later rename in the registry, a void in the
ledger or a new payment never changes a proof already handed out. Archiving is a record
consign keeps, so whoever may read the placement, the return or the payment may have its
proof made, as with statements: a hotel's staff, their hotel's; an IKM, its own; the
agency, all.

The views are built here from the note and its movements (with the registry's names and
the terms in force on the note's day), or from the payment and its statement's snapshot;
``reports.proofs`` renders them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consign import fields, money, policy
from consign import terms as term_rules
from consign.contacts import account_display, phone_display
from consign.context import Context
from consign.errors import AlreadyReversed, InvalidInput, NotFound
from consign.i18n import Message, msg
from consign.models import Movement, Note, Payment, PaymentVoid, Statement, Terms
from consign.periods import Period
from consign.policy import Role
from consign.services import access, archive, lookup
from consign.services.documents import AGENCY_NAME, PROGRAMME_NAME
from consign.services.ledger import book
from reports.proofs import (
    AdviceView,
    EarlierPaymentView,
    NoteView,
    PartyView,
    ProofLineView,
    TermsView,
)

LANGUAGES = ("id", "en")
LEDGER_READ = "ledger.read"
SETTLEMENT_READ = "settlement.read"
KINDS = ("receipt", "return-note", "advice")  # as the archive names them

# what each note proof is made of: the note's kind, its number's prefix, its archive key
_NOTE_PROOFS = {
    "receipt": ("placement", "PL", archive.receipt_key),
    "return-note": ("return", "RT", archive.return_note_key),
}
_NUMBER = re.compile(r"(PL|RT)-\d{4}-\d{5,}", re.ASCII)


@dataclass(frozen=True)
class Proof:
    """One proof as handed out: what it is of, and its bytes."""

    kind: str  # receipt | return-note | advice
    reference: str  # the note's number, or the payment's id
    consignor: str  # the IKM's code
    data: bytes


# ---- the use cases -----------------------------------------------------------------------

def receipt(session: Session, ctx: Context, number: str, lang: str = "id") -> Proof:
    """``doc receipt``: the receipt of placement ``number`` (``PL-2020-00042``)."""
    return _note_proof(session, ctx, "receipt", number, lang)


def return_note(session: Session, ctx: Context, number: str, lang: str = "id") -> Proof:
    """``doc return-note``: the note of return ``number`` (``RT-2020-00001``)."""
    return _note_proof(session, ctx, "return-note", number, lang)


def receipts(session: Session, ctx: Context, numbers: list[str], lang: str = "id"
             ) -> list[Proof]:
    """The receipts of placements just recorded (``place --pdf``), in their order."""
    return [receipt(session, ctx, number, lang) for number in numbers]


def return_notes(session: Session, ctx: Context, numbers: list[str], lang: str = "id"
                 ) -> list[Proof]:
    """The notes of returns just recorded (``return --pdf``), in their order."""
    return [return_note(session, ctx, number, lang) for number in numbers]


def advice(session: Session, ctx: Context, payment_id, lang: str = "id") -> Proof:
    """``doc advice``: the advice of payment ``payment_id``: what was paid, for which
    statement, when, under which reference, and what the statement still owes after it.
    A voided payment has none."""
    role = access.require(session, ctx, SETTLEMENT_READ)
    payment_id = fields.identifier(payment_id, "payment")
    lang = fields.choice(lang, "lang", LANGUAGES)
    payment = session.get(Payment, payment_id)
    if payment is None or not _sees_payment(session, role, payment.statement_id):
        raise NotFound(msg("No payment with id {id}.", id=payment_id), field="payment")
    void = session.get(PaymentVoid, payment.id)
    if void is not None:
        raise AlreadyReversed(msg(
            "Payment {id} was voided ({reason}): a voided payment has no payment advice.",
            id=payment.id, reason=void.reason))
    statement = session.get(Statement, payment.statement_id)
    key = archive.advice_key(payment.id, lang)
    data = archive.find(session, key)
    if data is None:
        from reports.proofs import render_advice

        rendered = render_advice(build_advice_view(session, payment, statement, ctx.tz), lang)
        data = archive.keep(session, ctx, key, "advice", lang, rendered,
                            statement_id=statement.id, consignor_id=statement.consignor_id,
                            period=statement.period)
    return Proof("advice", str(payment.id), statement.consignor_code, data)


def _note_proof(session: Session, ctx: Context, kind: str, number: str, lang: str) -> Proof:
    role = access.require(session, ctx, LEDGER_READ)
    note_kind, prefix, key_of = _NOTE_PROOFS[kind]
    number = note_number(number, prefix)
    lang = fields.choice(lang, "lang", LANGUAGES)
    note = lookup.note(session, number, field="number", role=role)
    if note.kind != note_kind:
        raise NotFound(msg("No {what} {number}.", what=note_kind, number=number),
                       field="number")
    key = key_of(note.number, lang)
    data = archive.find(session, key)
    if data is None:
        from reports.proofs import render_note

        rendered = render_note(build_note_view(session, note, ctx.tz), lang)
        data = archive.keep(session, ctx, key, kind, lang, rendered,
                            consignor_id=note.consignor_id,
                            period=str(Period.of(note.at, ctx.tz)))
    return Proof(kind, note.number, note.consignor.code, data)


def note_number(text: str, prefix: str, field: str = "number") -> str:
    """A placement (``PL-``) or return (``RT-``) number as typed (case does not matter)."""
    number = fields.text(text, field, 30).upper()
    match = _NUMBER.fullmatch(number)
    if match is None or match[1] != prefix:
        what = msg("placement") if prefix == "PL" else msg("return note")
        raise InvalidInput(msg("{what} number {text!r} is not of the form {prefix}-2020-00042",
                               what=what, text=str(text)[:40], prefix=prefix), field=field)
    return number


def _sees_payment(session: Session, role: Role, statement_id: int) -> bool:
    from consign.services.settlement.statements import seen

    return access.sees(session, role, (Statement.id == statement_id) & seen(role))


# ---- the views ---------------------------------------------------------------------------

def build_note_view(session: Session, note: Note, tz: tzinfo) -> NoteView:
    """The view of a placement's receipt or a return note: the note's lines as recorded
    (those voided since marked so), with the registry's names as they stand and, for a
    placement, the terms in force for the pair on its day."""
    receipt_ = note.kind == "placement"
    voided = _voided(session, [m.id for m in note.movements])
    lines = tuple(
        ProofLineView(m.product.sku, m.product.name, abs(m.qty), price, abs(m.qty) * price,
                      m.id in voided)
        for m in note.movements
        for price in [m.unit_price if receipt_ else _hotel_price(session, note, m)]
    )
    day = _day(note.at, tz)
    owner = note.consignor
    return NoteView(
        kind="receipt" if receipt_ else "return", number=note.number, day=day,
        time=_time(note.at, tz), agency_name=AGENCY_NAME, programme_name=PROGRAMME_NAME,
        hotel=PartyView(note.hotel.code, note.hotel.name, note.hotel.address or "",
                        phone_display(note.hotel.phone)),
        consignor=PartyView(owner.code, owner.name, owner.address or "",
                            phone_display(owner.phone), owner.owner),
        lines=lines, recorded_by=note.actor, recorded_on=_day(note.recorded_at, tz),
        recorded_time=_time(note.recorded_at, tz),
        terms=terms_on(session, note.hotel_id, owner.id, day) if receipt_ else None,
    )


def _hotel_price(session: Session, note: Note, movement: Movement) -> int:
    """What a returned unit was worth at the hotel: the price of its latest placement
    there up to the return, else its list price."""
    price = book.latest_price(session, note.hotel_id, movement.product_id, note.at)
    return price if price is not None else movement.product.price


def _voided(session: Session, ids: list[int]) -> set[int]:
    """Of the movements ``ids``, those out of force: voided an odd number of times."""
    if not ids:
        return set()
    rows = session.execute(
        select(Movement.root_id, func.count(Movement.id))
        .where(Movement.root_id.in_(ids)).group_by(Movement.root_id))
    return {root for root, reversals in rows if reversals % 2 == 1}


def terms_on(session: Session, hotel_id: int, consignor_id: int, day) -> TermsView:
    """The terms for the pair on ``day``: the pair's rate if one covers it, else the
    hotel's default; with no rate at all, the standard display and payment terms."""
    rows = list(session.scalars(select(Terms).where(
        Terms.hotel_id == hotel_id,
        (Terms.consignor_id == consignor_id) | Terms.consignor_id.is_(None))))
    found = term_rules.covering(rows, consignor_id, day)
    display = found.display_days if found else term_rules.DISPLAY_DAYS
    payment = found.payment_days if found else term_rules.PAYMENT_DAYS
    return TermsView(on=day, rate_bp=found.rate_bp if found else None,
                     pair_rate=bool(found and found.consignor_id is not None),
                     display_days=display, payment_days=payment,
                     due_back=day + timedelta(days=display))


def build_advice_view(session: Session, payment: Payment, statement: Statement,
                      tz: tzinfo) -> AdviceView:
    """The view of a payment's advice: the statement's parties as it froze them, the
    account the payment went to as registered then, and what the statement owed after
    it, counting the payments recorded before it that were in force at that moment."""
    earlier = tuple(EarlierPaymentView(p.paid_on, p.ref, p.amount)
                    for p in _earlier_in_force(session, payment))
    paid_before = sum(p.amount for p in earlier)
    return AdviceView(
        payment_id=payment.id, paid_on=payment.paid_on, amount=payment.amount,
        ref=payment.ref, bank=payment.bank, account=account_display(payment.account),
        holder=payment.holder, statement_number=statement.number, period=statement.period,
        due_on=statement.due_on, statement_net=statement.net, earlier=earlier,
        owed_after=statement.net - paid_before - payment.amount,
        agency_name=AGENCY_NAME, programme_name=PROGRAMME_NAME,
        hotel=PartyView(statement.hotel_code, statement.hotel_name, statement.hotel_address,
                        phone_display(statement.hotel_phone)),
        consignor=PartyView(statement.consignor_code, statement.consignor_name,
                            statement.consignor_address, "", statement.owner_name),
        recorded_by=payment.actor, recorded_on=_day(payment.recorded_at, tz),
        recorded_time=_time(payment.recorded_at, tz),
    )


def _earlier_in_force(session: Session, payment: Payment) -> list[Payment]:
    """The statement's payments recorded before ``payment`` and not voided by then."""
    query = (select(Payment).outerjoin(PaymentVoid, PaymentVoid.payment_id == Payment.id)
             .where(Payment.statement_id == payment.statement_id, Payment.id < payment.id,
                    PaymentVoid.payment_id.is_(None)
                    | (PaymentVoid.voided_at > payment.recorded_at))
             .order_by(Payment.id))
    return list(session.scalars(query))


def _time(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%H:%M} {local.tzname()}"


def _day(moment: datetime, tz: tzinfo):
    return moment.astimezone(tz).date()


# ---- what verify says of an archived proof -------------------------------------------------

def parties(session: Session, document) -> tuple[str, str]:
    """(hotel code, IKM code) of an archived proof, for the scope of who asks about it."""
    if document.kind == "advice":
        statement = session.get(Statement, document.statement_id)
        return statement.hotel_code, statement.consignor_code
    note = _archived_note(session, document)
    return note.hotel.code, note.consignor.code


def described(session: Session, document, name: str, digest: str, tz: tzinfo
              ) -> tuple[str, Message]:
    """What an archived proof is, in one sentence, and the number it is of (the note's, or
    for an advice its statement's)."""
    language = msg(" in English") if document.lang == "en" else ""
    if document.kind == "advice":
        return _described_advice(session, document, name, digest, language)
    note = _archived_note(session, document)
    what = (msg("the receipt of placement") if document.kind == "receipt"
            else msg("return note"))
    return note.number, msg(
        "{name} is {what} {number} ({hotel} / {consignor}, {at}){language}, unaltered: "
        "SHA-256 {digest}.", name=name, what=what, number=note.number, hotel=note.hotel.code,
        consignor=note.consignor.code, at=f"{note.at.astimezone(tz):%Y-%m-%d %H:%M}",
        language=language,
        digest=digest)


def _described_advice(session: Session, document, name: str, digest: str, language
                      ) -> tuple[str, Message]:
    payment = session.get(Payment, int(document.key.split(":")[1]))
    statement = session.get(Statement, payment.statement_id)
    void = session.get(PaymentVoid, payment.id)
    since = (msg(" The payment has since been voided ({reason}).", reason=void.reason)
             if void else "")
    return statement.number, msg(
        "{name} is the payment advice of payment {id}: {amount} on {on} for statement "
        "{number} ({hotel} / {consignor}, {period}), ref {ref}{language}, unaltered: "
        "SHA-256 {digest}.{since}", name=name, id=payment.id,
        amount=money.rupiah(payment.amount), on=payment.paid_on.isoformat(),
        number=statement.number, hotel=statement.hotel_code,
        consignor=statement.consignor_code, period=statement.period, ref=payment.ref,
        language=language, digest=digest, since=since)


def _archived_note(session: Session, document) -> Note:
    number = document.key.split(":")[1]
    return session.scalar(select(Note).where(Note.number == number))


def claimed_note(session: Session, texts, role: Role = policy.FULL) -> Note | None:
    """The first placement or return in scope whose number ``texts`` name (a re-saved or
    printed copy of a proof keeps its words, not its bytes)."""
    for text in texts:
        for number in dict.fromkeys(match[0] for match in _NUMBER.finditer(text)):
            note = session.scalar(select(Note).where(Note.number == number))
            if note is not None and note.consignor is not None and policy.within(
                    role, note.hotel.code, note.consignor.code):
                return note
    return None


def proof_command(note: Note) -> str:
    """The command that hands the proof of ``note`` out again."""
    command = "receipt" if note.kind == "placement" else "return-note"
    return f"consign doc {command} {note.number}"

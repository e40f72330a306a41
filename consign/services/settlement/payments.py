"""Payments of issued statements: records of their own, append-only (SPEC section 5).

A statement may be paid in parts; each payment keeps its date, amount, reference and the
bank account it went to as registered at that moment. A payment entered by mistake is
voided, which keeps both. What the payments make of a statement (paid, owed, overdue) is
decided by ``consign.settlement.owing``.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import fields, money, records
from consign import settlement as rules
from consign.context import Context
from consign.errors import (
    AlreadyPaid,
    AlreadyReversed,
    Duplicate,
    InvalidInput,
    NotFound,
    NothingToPay,
    OutOfOrder,
    Overpayment,
)
from consign.i18n import msg
from consign.models import Consignor, Payment, PaymentVoid, Statement
from consign.periods import start_of
from consign.services import access, audit, lookup
from consign.services.settlement.statements import get_statement, seen, with_owing

PAY = "settlement.pay"


def pay(session: Session, ctx: Context, number: str, on, ref: str, amount=None) -> records.Paid:
    """Record a payment of statement ``number``: on ``on``, under the transfer reference
    ``ref``, of ``amount`` (by default what is still owed), to the IKM's bank account as
    registered now. Refused on a nil or negative net, once paid in full, and above what is
    owed. A hotel's staff record the payments of their hotel's statements."""
    role = access.require(session, ctx, PAY)
    on = fields.day(on, "on")
    ref = fields.reference(ref)
    amount = fields.amount(amount) if amount is not None else None
    statement = _locked(session, get_statement(session, number, role))
    [(_row, owing)] = with_owing(session, ctx, [statement])
    amount = owing.owed if amount is None else amount
    problem = rules.payment_problem(statement.net, owing.owed, amount)
    if problem == "nothing to pay":
        raise NothingToPay(_nothing_to_pay(statement))
    if problem == "paid in full":
        raise AlreadyPaid(msg("Statement {number} is already paid in full ({paid}, completed "
                              "on {on}, ref {ref}).", number=statement.number,
                              paid=money.rupiah(owing.paid), on=owing.paid_on.isoformat(),
                              ref=owing.pay_ref))
    if problem == "above what is owed":
        raise Overpayment(msg("A payment of {amount} is above what statement {number} still "
                              "owes: {owed}.", amount=money.rupiah(amount),
                              number=statement.number, owed=money.rupiah(owing.owed)),
                          field="amount")
    if on < statement.issued_on:
        raise OutOfOrder(msg(
            "Cannot record a payment of {number} on {on}: it was issued on {issued}.",
            number=statement.number, on=on.isoformat(), issued=statement.issued_on.isoformat()),
            field="on")
    if on > ctx.today:
        raise InvalidInput(msg("payment date {on} is in the future", on=on.isoformat()),
                           field="on")
    _refuse_same_transfer(session, statement, ref)
    owner = session.get(Consignor, statement.consignor_id)
    if not (owner.bank and owner.account and owner.holder):
        raise NothingToPay(msg(
            "IKM {code} has no bank account registered, so there is nowhere to record the "
            "payment as going.", code=owner.code), command=msg(
            "Add it with 'consign consignor edit {code} --bank B --account NO --holder H'.",
            code=owner.code))
    payment = Payment(statement_id=statement.id, paid_on=on, amount=amount, ref=ref,
                      bank=owner.bank, account=owner.account, holder=owner.holder,
                      recorded_at=ctx.now, actor=ctx.actor)
    session.add(payment)
    session.flush()
    # the entry's business moment is the payment's day (now, if it is paid today)
    paid_at = ctx.now if on == ctx.today else start_of(on, ctx.tz)
    audit.record(session, ctx, "payment.record", f"payment:{payment.id}", at=paid_at,
                 statement=statement.number, on=on.isoformat(), amount=amount, ref=ref,
                 bank=owner.bank, account=owner.account, holder=owner.holder)
    return _paid(session, ctx, payment, statement)


def _refuse_same_transfer(session: Session, statement: Statement, ref: str) -> None:
    """A transfer is recorded once: a payment in force of the statement under the same
    reference (a form sent twice, a payment typed again) is refused; a voided one is not in
    the way."""
    earlier = session.scalar(
        select(Payment).where(Payment.statement_id == statement.id, Payment.ref == ref,
                              ~select(PaymentVoid.payment_id)
                              .where(PaymentVoid.payment_id == Payment.id).exists())
        .order_by(Payment.id).limit(1))
    if earlier is not None:
        raise Duplicate(msg(
            "Statement {number} already has a payment under ref {ref}: {amount} on {on} "
            "(payment {id}). A transfer is recorded once; void that payment if it was wrong.",
            number=statement.number, ref=ref, amount=money.rupiah(earlier.amount),
            on=earlier.paid_on.isoformat(), id=earlier.id), field="ref")


def void_payment(session: Session, ctx: Context, payment_id, reason: str) -> records.Paid:
    """Undo a payment entered by mistake: it stays, marked void with the reason, and the
    statement owes it again."""
    role = access.require(session, ctx, PAY)
    payment_id = fields.identifier(payment_id, "payment")
    reason = fields.note(reason)
    payment = session.get(Payment, payment_id)
    if payment is None or not _sees(session, role, payment):
        raise NotFound(msg("No payment with id {id}.", id=payment_id), field="payment")
    statement = _locked(session, session.get(Statement, payment.statement_id))
    done = session.get(PaymentVoid, payment.id)
    if done is not None:
        raise AlreadyReversed(msg("Payment {id} was already voided ({reason}).",
                                  id=payment.id, reason=done.reason))
    session.add(PaymentVoid(payment_id=payment.id, reason=reason, voided_at=ctx.now,
                            actor=ctx.actor))
    session.flush()
    audit.record(session, ctx, "payment.void", f"payment:{payment.id}",
                 statement=statement.number, amount=payment.amount, reason=reason)
    return _paid(session, ctx, payment, statement)


def list_payments(session: Session, number: str | None = None, hotel: str | None = None,
                  consignor: str | None = None, *, ctx: Context | None = None
                  ) -> list[records.Payment]:
    """``statement payments``: the payments of a statement, a hotel or an IKM (or all),
    voided ones included, in the order they were recorded; of the statements the acting
    role sees."""
    role = access.require(session, ctx, "settlement.read")
    query = (select(Payment, Statement, PaymentVoid)
             .join(Statement, Statement.id == Payment.statement_id)
             .outerjoin(PaymentVoid, PaymentVoid.payment_id == Payment.id)
             .where(seen(role)))
    if number is not None:
        query = query.where(Statement.id == get_statement(session, number, role).id)
    if hotel:
        query = query.where(Statement.hotel_id == lookup.hotel(session, hotel, role=role).id)
    if consignor:
        query = query.where(
            Statement.consignor_id == lookup.consignor(session, consignor, role=role).id)
    return [records.payment_of(payment, statement, void)
            for payment, statement, void in session.execute(query.order_by(Payment.id))]


def _sees(session: Session, role, payment: Payment) -> bool:
    return access.sees(session, role, (Statement.id == payment.statement_id) & seen(role))


def _locked(session: Session, statement: Statement) -> Statement:
    """On PostgreSQL, hold the statement's row until commit (a lock, not a change): two
    payments of it at once are taken one after the other, so they never add up to more
    than is owed. SQLite's BEGIN IMMEDIATE does as much."""
    session.execute(select(Statement.id).where(Statement.id == statement.id).with_for_update())
    return statement


def _paid(session: Session, ctx: Context, payment: Payment, statement: Statement
          ) -> records.Paid:
    [(row, owing)] = with_owing(session, ctx, [statement])
    void = session.get(PaymentVoid, payment.id)
    return records.Paid(records.payment_of(payment, statement, void),
                        records.statement_of(row, owing))


def _nothing_to_pay(statement: Statement):
    net = money.rupiah(statement.net)
    if statement.net < 0:
        return msg("Statement {number} has nothing to pay: its net is {net} and is carried "
                   "into the next statement.", number=statement.number, net=net)
    return msg("Statement {number} has nothing to pay: its net is {net}.",
               number=statement.number, net=net)

"""Records as plain dicts, in the JSON conventions scripts rely on (SPEC section 5): money
as integers, hotels and IKM by code, periods ``YYYY-MM``, dates ``YYYY-MM-DD``, moments
ISO 8601 with their offset, statement numbers as strings (null for a draft). The command
line prints these; the web app's API returns them."""

import json
from datetime import date, datetime, tzinfo

from consign import records
from consign.money import rate_text
from consign.periods import iso


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def moment(value: datetime | None, tz: tzinfo) -> str | None:
    return iso(value, tz) if value else None


def hotel(record: records.Hotel) -> dict:
    return {
        "code": record.code,
        "name": record.name,
        "commission": rate_text(record.commission) if record.commission is not None else None,
        "address": record.address,
        "phone": record.phone,
        "phri_no": record.phri_no,
        "active": record.active,
    }


def consignor(record: records.Consignor) -> dict:
    return {
        "code": record.code,
        "name": record.name,
        "owner": record.owner,
        "sector": record.sector,
        "nib": record.nib,
        "phone": record.phone,
        "email": record.email,
        "address": record.address,
        "bank": record.bank,
        "account": record.account,
        "holder": record.holder,
        "active": record.active,
        "public": record.public,
        "description": record.description,
        "public_contact": record.public_contact,
    }


def product(record: records.Product) -> dict:
    """A product; listed for a hotel, with its ``on_hand`` there; shown, with where its
    goods are (``at_hotels``: each hotel with units on hand, and how many)."""
    result = {
        "sku": record.sku,
        "consignor": record.consignor,
        "name": record.name,
        "category": record.category,
        "price": record.price,
        "active": record.active,
    }
    if record.on_hand is not None:
        result["on_hand"] = record.on_hand
    if record.at_hotels is not None:
        result["at_hotels"] = [{"hotel": held.hotel, "on_hand": held.on_hand}
                               for held in record.at_hotels]
    return result


def terms(record: records.Terms) -> dict:
    return {
        "hotel": record.hotel,
        "consignor": record.consignor,
        "commission": rate_text(record.rate_bp),
        "valid_from": day(record.valid_from),
        "valid_to": day(record.valid_to),
        "display_days": record.display_days,
        "payment_days": record.payment_days,
    }


def movement(record: records.Movement, tz: tzinfo) -> dict:
    return {
        "id": record.id, "kind": record.kind, "hotel": record.hotel,
        "consignor": record.consignor, "sku": record.sku, "qty": record.qty,
        "unit_price": record.unit_price, "at": iso(record.at, tz),
        "recorded_at": iso(record.recorded_at, tz), "actor": record.actor,
        "recorded_by": record.actor, "note": record.note, "receipt": record.receipt,
        "payment": record.payment, "reason": record.reason, "liable": record.liable,
        "reverses": record.reverses, "reversed_by": record.reversed_by,
        "cancels": record.cancels,
        **({"in_force": bool(record.in_force)} if record.in_force is not None else {}),
    }


def note(record: records.Note, tz: tzinfo) -> dict:
    return {
        "number": record.number, "kind": record.kind, "hotel": record.hotel,
        "consignor": record.consignor, "at": iso(record.at, tz), "reason": record.reason,
        "movements": [movement(line, tz) for line in record.movements],
    }


def audit_entry(record: records.AuditEntry, tz: tzinfo) -> dict:
    return {
        "id": record.id,
        "at": moment(record.at, tz),
        "recorded_at": moment(record.recorded_at, tz),
        "actor": record.actor,
        "action": record.action,
        "record": record.record,
        "detail": _detail(record.detail),
    }


def _detail(text: str):
    """An entry's detail as the object it was written as (as stored, if it is not JSON:
    ``check`` reports such an entry)."""
    try:
        return json.loads(text) if text else {}
    except ValueError:
        return text


def statement(record: records.Statement) -> dict:
    """A statement's summary: the keys of ``statement list`` (SPEC section 5)."""
    return {
        "number": record.number,
        "hotel": record.hotel,
        "consignor": record.consignor,
        "period": record.period,
        "status": record.status,
        "gross": record.gross,
        "commission": record.commission,
        "opening_balance": record.opening_balance,
        "net": record.net,
        "issued_on": day(record.issued_on),
        "due_on": day(record.due_on),
        "paid": record.paid,
        "owed": record.owed,
        "overdue": record.overdue,
        "paid_on": day(record.paid_on),
        "pay_ref": record.pay_ref,
    }


def statement_detail(record: records.Statement, tz: tzinfo) -> dict:
    """``statement show``: the summary with its lines (each with what an owner ticks it off
    with), stock rows, the losses the IKM bore (``consignor_losses``, without an amount)
    and, once issued, the SHA-256 of its PDF."""
    result = statement(record)
    result["lines"] = [
        {"kind": line.kind, "date": line.day.isoformat(), "sku": line.sku, "name": line.name,
         "qty": line.qty, "unit_price": line.unit_price, "amount": line.amount,
         "rate": rate_text(line.rate_bp), "at": moment(line.at, tz), "receipt": line.receipt,
         "payment": line.payment, "note": line.note, "reason": line.reason,
         **({"corrects": {"date": day(line.corrects_day), "receipt": line.corrects_receipt,
                          "note": line.note, "number": line.corrects_number}}
            if line.kind == "correction" else {})}
        for line in record.lines
    ]
    result["consignor_losses"] = [
        {"date": loss.day.isoformat(), "kind": loss.kind, "sku": loss.sku, "name": loss.name,
         "qty": loss.qty, "note": loss.note, "reason": loss.reason}
        for loss in record.losses
    ]
    result["stock"] = [
        {"sku": row.sku, "name": row.name, "opening": row.opening, "placed": row.placed,
         "sold": row.sold, "returned": row.returned, "lost": row.lost, "counted": row.counted,
         "corrected": row.corrected, "closing": row.closing}
        for row in record.stock
    ]
    if record.status != "draft":
        result["pdf_sha256"] = record.pdf_sha256
        result["verification_code"] = record.verification_code
    return result


def payment(record: records.Payment, tz: tzinfo) -> dict:
    """A payment (``statement payments``, SPEC section 5)."""
    return {
        "id": record.id, "number": record.number, "hotel": record.hotel,
        "consignor": record.consignor, "on": day(record.on), "amount": record.amount,
        "ref": record.ref, "bank": record.bank, "account": record.account,
        "holder": record.holder, "recorded_at": moment(record.recorded_at, tz),
        "recorded_by": record.actor, "voided": record.voided,
        "void_reason": record.void_reason, "voided_at": moment(record.voided_at, tz),
    }


def paid(record: records.Paid, tz: tzinfo) -> dict:
    """What ``pay`` and ``payment void`` print: the payment with its ``id``, and the keys
    of its statement as it stands after it (``status``, ``owed``, ``overdue``, …)."""
    return {**statement(record.statement), **payment(record.payment, tz)}

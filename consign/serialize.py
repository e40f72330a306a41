"""Records as plain dicts, in the JSON conventions scripts rely on: money as integers,
hotels and IKM by code, dates ``YYYY-MM-DD``, moments ISO 8601 with their offset."""

from datetime import date, datetime, tzinfo

from consign.money import rate_text
from consign.periods import iso


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def moment(value: datetime | None, tz: tzinfo) -> str | None:
    return iso(value, tz) if value else None


def hotel(record, default_rate: int | None = None) -> dict:
    return {
        "code": record.code,
        "name": record.name,
        "commission": rate_text(default_rate) if default_rate is not None else None,
        "address": record.address,
        "phone": record.phone,
        "phri_no": record.phri_no,
        "active": record.active,
    }


def consignor(record) -> dict:
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
    }


def product(record) -> dict:
    return {
        "sku": record.sku,
        "consignor": record.consignor.code,
        "name": record.name,
        "category": record.category,
        "price": record.price,
        "active": record.active,
    }


def terms(record) -> dict:
    return {
        "hotel": record.hotel.code,
        "consignor": record.consignor.code if record.consignor else None,
        "commission": rate_text(record.rate_bp),
        "valid_from": day(record.valid_from),
        "valid_to": day(record.valid_to),
        "display_days": record.display_days,
        "payment_days": record.payment_days,
    }


def audit_entry(record, tz: tzinfo) -> dict:
    return {
        "id": record.id,
        "at": moment(record.at, tz),
        "actor": record.actor,
        "action": record.action,
        "entity": record.entity,
        "key": record.key,
        "detail": record.detail,
    }

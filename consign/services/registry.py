"""Registering and looking up hotels, IKM (consignors) and products."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign import contacts, money
from consign.context import Context
from consign.errors import Duplicate, Inactive, InvalidInput, InvalidRows, NotFound
from consign.models import Consignor, Hotel, Product
from consign.services import audit
from consign.tabular import Row, read_rows

HOTEL_FIELDS = ("name", "address", "phone", "phri_no")
CONSIGNOR_FIELDS = (
    "name",
    "owner",
    "sector",
    "nib",
    "phone",
    "email",
    "address",
    "bank",
    "account",
    "holder",
)
PRODUCT_FIELDS = ("name", "price", "category")


# ---- look-ups ---------------------------------------------------------------------------


def get_hotel(session: Session, code: str, *, for_use: bool = False) -> Hotel:
    hotel = session.scalar(select(Hotel).where(Hotel.code == code.upper()))
    if hotel is None:
        raise NotFound(f"No hotel with code {code}.")
    if for_use and not hotel.active:
        raise Inactive(f"Hotel {hotel.code} is deactivated and accepts no new placements or sales.")
    return hotel


def get_consignor(session: Session, code: str, *, for_use: bool = False) -> Consignor:
    consignor = session.scalar(select(Consignor).where(Consignor.code == code.upper()))
    if consignor is None:
        raise NotFound(f"No IKM with code {code}.")
    if for_use and not consignor.active:
        raise Inactive(
            f"IKM {consignor.code} is deactivated and accepts no new placements or sales."
        )
    return consignor


def get_product(session: Session, sku: str, *, for_use: bool = False) -> Product:
    product = session.scalar(select(Product).where(Product.sku == sku.strip().upper()))
    if product is None:
        raise NotFound(f"No product with SKU {sku}.")
    if for_use and not product.active:
        raise Inactive(f"Product {sku} is deactivated and accepts no new placements or sales.")
    if for_use and not product.consignor.active:
        raise Inactive(
            f"Product {sku} belongs to IKM {product.consignor.code}, which is deactivated."
        )
    return product


def hotels(session: Session) -> list[Hotel]:
    return list(session.scalars(select(Hotel).order_by(Hotel.code)))


def consignors(session: Session) -> list[Consignor]:
    return list(session.scalars(select(Consignor).order_by(Consignor.code)))


def products(session: Session, consignor: str | None = None) -> list[Product]:
    query = select(Product).order_by(Product.sku)
    if consignor:
        query = query.where(Product.consignor_id == get_consignor(session, consignor).id)
    return list(session.scalars(query))


# ---- adding and deactivating ------------------------------------------------------------


def add_hotel(session: Session, ctx: Context, code: str, name: str, commission_bp=None, **fields):
    from consign.services import terms

    if session.scalar(select(Hotel.id).where(Hotel.code == code)) is not None:
        raise Duplicate(f"Hotel {code} is already registered.")
    hotel = Hotel(code=code, name=name, **_clean(fields))
    session.add(hotel)
    session.flush()
    audit.record(session, ctx, "hotel.add", "hotel", code, name=name, **_clean(fields))
    if commission_bp is not None:
        terms.set_terms(session, ctx, hotel=code, rate_bp=commission_bp)
    return hotel


def add_consignor(session: Session, ctx: Context, code: str, **fields) -> Consignor:
    if session.scalar(select(Consignor.id).where(Consignor.code == code)) is not None:
        raise Duplicate(f"IKM {code} is already registered.")
    consignor = Consignor(code=code, **_clean(fields))
    session.add(consignor)
    session.flush()
    audit.record(session, ctx, "consignor.add", "consignor", code, **_clean(fields))
    return consignor


def add_product(session: Session, ctx: Context, sku: str, consignor: str, **fields) -> Product:
    sku = contacts.parse_sku(sku)
    owner = get_consignor(session, consignor, for_use=True)
    if session.scalar(select(Product.id).where(Product.sku == sku)) is not None:
        raise Duplicate(f"Product {sku} is already registered.")
    product = Product(sku=sku, consignor=owner, **_clean(fields))
    session.add(product)
    session.flush()
    audit.record(
        session, ctx, "product.add", "product", sku, consignor=owner.code, **_clean(fields)
    )
    return product


def deactivate(session: Session, ctx: Context, entity: str, key: str):
    getter = {"hotel": get_hotel, "consignor": get_consignor, "product": get_product}[entity]
    record = getter(session, key)
    if not record.active:
        raise Inactive(f"{_label(entity)} {key} is already deactivated.")
    record.active = False
    audit.record(session, ctx, f"{entity}.deactivate", entity, key)
    return record


def _clean(fields: dict) -> dict:
    """Blank optional fields are stored as NULL (text fields with a default as '')."""
    return {name: value for name, value in fields.items() if value is not None}


def _label(entity: str) -> str:
    return {"hotel": "Hotel", "consignor": "IKM", "product": "Product"}[entity]


# ---- parsing the fields of a row --------------------------------------------------------


def _optional(row: Row, column: str, parse):
    text = row[column]
    return parse(text) if text else None


def hotel_row(row: Row) -> dict:
    return {
        "code": contacts.parse_code(row["code"], "hotel code"),
        "name": _required(row, "name"),
        "commission_bp": _optional(row, "commission", money.parse_rate),
        "address": row["address"],
        "phone": _optional(row, "phone", contacts.parse_phone),
        "phri_no": row["phri_no"] or None,
    }


def consignor_row(row: Row) -> dict:
    return {
        "code": contacts.parse_code(row["code"], "IKM code"),
        "name": _required(row, "name"),
        "owner": _required(row, "owner"),
        "sector": contacts.parse_sector(row["sector"]),
        "nib": _optional(row, "nib", contacts.parse_nib),
        "phone": _optional(row, "phone", contacts.parse_phone),
        "email": _optional(row, "email", contacts.parse_email),
        "address": row["address"],
        "bank": row["bank"] or None,
        "account": _optional(row, "account", contacts.parse_account),
        "holder": row["holder"] or None,
    }


def product_row(row: Row) -> dict:
    return {
        "sku": contacts.parse_sku(_required(row, "sku")),
        "consignor": contacts.parse_code(row["consignor"], "IKM code"),
        "name": _required(row, "name"),
        "price": money.parse_price(row["price"]),
        "category": row["category"],
    }


def _required(row: Row, column: str) -> str:
    if not row[column]:
        raise InvalidInput(f"{column} is missing")
    return row[column]


# ---- imports ----------------------------------------------------------------------------


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Kind:
    entity: str
    model: type
    key: str
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    parse: object
    add: object


KINDS = {
    "hotel": _Kind(
        "hotel",
        Hotel,
        "code",
        HOTEL_FIELDS,
        ("code", "name", "commission", "address", "phone", "phri_no"),
        hotel_row,
        add_hotel,
    ),
    "consignor": _Kind(
        "consignor",
        Consignor,
        "code",
        CONSIGNOR_FIELDS,
        ("code",) + CONSIGNOR_FIELDS,
        consignor_row,
        add_consignor,
    ),
    "product": _Kind(
        "product",
        Product,
        "sku",
        PRODUCT_FIELDS,
        ("sku", "consignor", "name", "price", "category"),
        product_row,
        add_product,
    ),
}


def import_file(session: Session, ctx: Context, entity: str, path) -> ImportResult:
    """All or nothing: every bad row is reported as ``FILE:LINE: message``; rows identical to
    what is registered are skipped, rows that differ update the record (and the audit log)."""
    kind = KINDS[entity]
    rows = read_rows(path, kind.columns[:2], kind.columns[2:])
    parsed, problems, seen = [], [], {}
    for row in rows:
        try:
            values = kind.parse(row)
        except InvalidInput as error:
            problems.append((f"{path}:{row.line}", error))
            continue
        key = values[kind.key]
        if key in seen:
            problems.append(
                (f"{path}:{row.line}", InvalidInput(f"{key} already appears on line {seen[key]}"))
            )
        seen[key] = row.line
        parsed.append((row.line, values))
    result = ImportResult()
    for line, values in parsed:
        try:
            _import_one(session, ctx, kind, values, result)
        except (InvalidInput, NotFound, Inactive) as error:
            problems.append((f"{path}:{line}", error))
    if problems:
        raise InvalidRows(problems)
    return result


def _import_one(session, ctx, kind: _Kind, values: dict, result: ImportResult) -> None:
    key = values[kind.key]
    existing = session.scalar(select(kind.model).where(getattr(kind.model, kind.key) == key))
    if existing is None:
        kind.add(session, ctx, **values)
        result.added.append(key)
        return
    if kind.entity == "product" and existing.consignor.code != values["consignor"]:
        raise InvalidInput(
            f"product {key} belongs to IKM {existing.consignor.code}, not {values['consignor']}"
        )
    changes = {
        name: (getattr(existing, name), values[name])
        for name in kind.fields
        if _stored(values[name], existing, name) != getattr(existing, name)
    }
    if not changes:
        result.unchanged.append(key)
        return
    for name, (_, new) in changes.items():
        setattr(existing, name, _stored(new, existing, name))
    audit.record(
        session,
        ctx,
        f"{kind.entity}.update",
        kind.entity,
        key,
        **{name: f"{old} -> {new}" for name, (old, new) in changes.items()},
    )
    result.updated.append(key)


def _stored(value, record, name: str):
    """What the column would hold for an imported value: a blank cell of a column that
    cannot be NULL (address, category) holds ''."""
    if value is None and not type(record).__table__.c[name].nullable:
        return ""
    return value

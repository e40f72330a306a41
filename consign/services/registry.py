"""Registering hotels, IKM (consignors) and products, reading them, and importing them
from the agency's spreadsheets. Every value is checked here against SPEC section 2,
whoever calls: the command line, a web form, a script."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consign import fields, money, policy, records
from consign.context import Context
from consign.errors import (
    ConsignError,
    Duplicate,
    Inactive,
    InvalidInput,
    InvalidRows,
    NotFound,
    OverlappingTerms,
    WrongConsignor,
)
from consign.i18n import msg
from consign.models import Consignor, Hotel, Product, Stock
from consign.services import access, audit, lookup, terms
from consign.tabular import Row, Upload, read_rows

DESCRIPTION = 500  # an IKM's short description on its public pages
_LINE_BREAK = re.compile(r"[ ]*(?:\r\n|\r|\n)[ ]*")


def parse_description(value, field: str = "description") -> str:
    """An IKM's short description for its public pages: one paragraph of at most 500
    characters, printable, without control characters (the line breaks of a form's text
    box are read as spaces); blank clears it."""
    if isinstance(value, str):
        value = _LINE_BREAK.sub(" ", value)
    return fields.text(value, field, DESCRIPTION, required=False) or ""


def parse_consent(value, field: str) -> bool:
    """A consent (``yes`` or ``no``, or a bool); none given (blank) is no."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    return _yes_no(value, field)


# what each field of a record is parsed with (the same parsers for a form, an option, a cell)
HOTEL_FIELDS = {"name": fields.name, "address": fields.address, "phone": fields.phone,
                "phri_no": fields.phri_no}
CONSIGNOR_FIELDS = {
    "name": fields.name, "owner": lambda v, f: fields.name(v, f), "sector": fields.sector,
    "nib": fields.nib, "phone": fields.phone, "email": fields.email, "address": fields.address,
    "bank": fields.optional_name, "account": fields.account, "holder": fields.optional_name,
    "description": parse_description, "public_contact": parse_consent,
}
PRODUCT_FIELDS = {"name": fields.name, "price": fields.price, "category": fields.category}
BANK = ("bank", "account", "holder")
READ, WRITE = "registry.read", "registry.write"


# ---- reading ------------------------------------------------------------------------------------

def hotels(session: Session, today: date, *, ctx: Context | None = None
           ) -> list[records.Hotel]:
    """Every hotel the acting role sees, with the default rate in force ``today``."""
    role = access.require(session, ctx, READ)
    rates = terms.default_rates(session, today)
    query = select(Hotel).where(access.hotels(role, Hotel.id)).order_by(Hotel.code)
    return [records.hotel_of(h, rates[h.id].rate_bp if h.id in rates else None)
            for h in session.scalars(query)]


def hotel(session: Session, code: str, today: date, *, ctx: Context | None = None
          ) -> records.Hotel:
    role = access.require(session, ctx, READ)
    found = lookup.hotel(session, code, field="code", role=role)
    current = terms.default_rate(session, found, today)
    return records.hotel_of(found, current.rate_bp if current else None)


def consignors(session: Session, *, ctx: Context | None = None) -> list[records.Consignor]:
    """Every IKM the acting role sees (a hotel's staff: the names of those with goods at
    their hotel)."""
    role = access.require(session, ctx, READ)
    query = select(Consignor).where(access.consignors(role, Consignor.id))
    return [_consignor_of(c, role) for c in session.scalars(query.order_by(Consignor.code))]


def consignor(session: Session, code: str, *, ctx: Context | None = None) -> records.Consignor:
    role = access.require(session, ctx, READ)
    return _consignor_of(lookup.consignor(session, code, field="code", role=role), role)


# what a hotel's staff do not read of an IKM (SPEC section 6: its name, and its products)
ACCOUNT_FIELDS = {"nib": None, "phone": None, "email": None, "address": "", "bank": None,
                  "account": None, "holder": None}


def _consignor_of(row: Consignor, role: policy.Role = policy.FULL) -> records.Consignor:
    record = records.consignor_of(row)
    return record if policy.reads_accounts(role) else replace(record, **ACCOUNT_FIELDS)


def products(session: Session, consignor: str | None = None, hotel: str | None = None,
             search: str | None = None, *, ctx: Context | None = None
             ) -> list[records.Product]:
    """Products by SKU: of one IKM; or those ever placed at a hotel (or on hand there), each
    with its units on hand there (``on_hand``); or whose SKU or name holds ``search``, in
    any case (``%`` and ``_`` are taken as they are); or any of these together. Only
    those the acting role sees: a hotel's, those placed there; an IKM's, its own."""
    role = access.require(session, ctx, READ)
    query = select(Product).where(access.products(role, Product.id)).order_by(Product.sku)
    if search is not None:
        pattern = f"%{_literal(fields.text(search, 'search', fields.NAME))}%"
        query = query.where(Product.sku.ilike(pattern, escape="\\")
                            | Product.name.ilike(pattern, escape="\\"))
    if consignor:
        query = query.where(
            Product.consignor_id == lookup.consignor(session, consignor, role=role).id)
    if not hotel:
        return [records.product_of(p) for p in session.scalars(query)]
    at = lookup.hotel(session, hotel, role=role)
    query = query.add_columns(Stock.on_hand).join(
        Stock, (Stock.product_id == Product.id) & (Stock.hotel_id == at.id))
    return [replace(records.product_of(p), on_hand=units) for p, units in session.execute(query)]


def _literal(text: str) -> str:
    """``text`` for a LIKE pattern that matches it as it is (escaped with a backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def product(session: Session, sku: str, located: bool = False, *,
            ctx: Context | None = None) -> records.Product:
    """A product; ``located``, with where its goods are: each hotel with units of it on hand
    (``at_hotels``) that the acting role sees, by hotel code."""
    role = access.require(session, ctx, READ)
    found = lookup.product(session, sku, role=role)
    record = records.product_of(found)
    if not located:
        return record
    held = session.execute(
        select(Hotel.code, Stock.on_hand).join(Hotel, Hotel.id == Stock.hotel_id)
        .where(Stock.product_id == found.id, Stock.on_hand > 0,
               access.hotels(role, Stock.hotel_id)).order_by(Hotel.code))
    return replace(record, at_hotels=tuple(records.Holding(code, units) for code, units in held))


# ---- adding -----------------------------------------------------------------------------------

def add_hotel(session: Session, ctx: Context, code: str, name: str, commission=None,
              address=None, phone=None, phri_no=None) -> records.Hotel:
    """Register a hotel; ``commission`` is its default rate from the beginning of time."""
    access.require(session, ctx, WRITE)
    code = fields.code(code, "code")
    values = _parsed(HOTEL_FIELDS, {"name": name, "address": address, "phone": phone,
                                    "phri_no": phri_no})
    rate = fields.rate(commission) if commission is not None else None
    if session.scalar(select(Hotel.id).where(Hotel.code == code)) is not None:
        raise Duplicate(msg("Hotel {code} is already registered.", code=code), field="code")
    session.add(Hotel(code=code, **values))
    session.flush()
    audit.record(session, ctx, "hotel.add", f"hotel:{code}", **values)
    if rate is not None:
        terms.set_terms(session, ctx, hotel=code, commission=rate)
    return hotel(session, code, ctx.today)


def add_consignor(session: Session, ctx: Context, code: str, name: str, owner: str,
                  sector: str, nib=None, phone=None, email=None, address=None, bank=None,
                  account=None, holder=None, description=None, public_contact=None
                  ) -> records.Consignor:
    """Register an IKM. Its bank, account number and account holder go together;
    ``description`` is its short description for its public pages, ``public_contact``
    (yes or no, no if not given) its consent to show its phone and e-mail there."""
    access.require(session, ctx, WRITE)
    code = fields.code(code, "code")
    values = _parsed(CONSIGNOR_FIELDS, {
        "name": name, "owner": owner, "sector": sector, "nib": nib, "phone": phone,
        "email": email, "address": address, "bank": bank, "account": account,
        "holder": holder, "description": description, "public_contact": public_contact})
    _bank_together(code, values)
    if session.scalar(select(Consignor.id).where(Consignor.code == code)) is not None:
        raise Duplicate(msg("IKM {code} is already registered.", code=code), field="code")
    session.add(Consignor(code=code, **values))
    session.flush()
    audit.record(session, ctx, "consignor.add", f"consignor:{code}", **values)
    return consignor(session, code)


def add_product(session: Session, ctx: Context, sku: str, consignor: str, name: str, price,
                category=None) -> records.Product:
    access.require(session, ctx, WRITE)
    sku = fields.sku(sku)
    values = _parsed(PRODUCT_FIELDS, {"name": name, "price": price, "category": category})
    owner = lookup.consignor(session, consignor, for_use=True)
    if session.scalar(select(Product.id).where(Product.sku == sku)) is not None:
        raise Duplicate(msg("Product {sku} is already registered.", sku=sku), field="sku")
    session.add(Product(sku=sku, consignor=owner, **values))
    session.flush()
    audit.record(session, ctx, "product.add", f"product:{sku}", consignor=owner.code, **values)
    return product(session, sku)


# ---- editing ----------------------------------------------------------------------------------

def edit_hotel(session: Session, ctx: Context, code: str, name=None, address=None,
               phone=None, phri_no=None) -> records.Edit:
    """Change a hotel's name, address, phone or PHRI number. A value None is left as it is;
    an empty one clears an optional field (a name cannot be cleared). Audited with the
    old and the new value of each field changed; an edit that changes nothing writes
    nothing. Issued statements keep the names they were issued with."""
    access.require(session, ctx, WRITE)
    values = _given(HOTEL_FIELDS, name=name, address=address, phone=phone, phri_no=phri_no)
    found = lookup.hotel(session, code, field="code")
    changed = _edit(session, ctx, "hotel", found, found.code, values)
    return records.Edit(hotel(session, found.code, ctx.today), changed)


def edit_consignor(session: Session, ctx: Context, code: str, name=None, owner=None,
                   phone=None, email=None, address=None, nib=None, bank=None, account=None,
                   holder=None, public=None, description=None, public_contact=None
                   ) -> records.Edit:
    """Change an IKM's registration, as :func:`edit_hotel` does a hotel's. Its bank, account
    number and holder are changed together (or cleared together, with empty values);
    ``public`` (yes or no) is its consent to appear in the public catalogue,
    ``public_contact`` (yes or no) its consent to show its phone and e-mail there, and
    ``description`` its short description there (empty clears it)."""
    access.require(session, ctx, WRITE)
    code = fields.code(code, "code")
    bank_account = {"bank": bank, "account": account, "holder": holder}
    _bank_given_together(code, bank_account)
    values = _given(CONSIGNOR_FIELDS, name=name, owner=owner, phone=phone, email=email,
                    address=address, nib=nib, description=description, **bank_account)
    consents = {"public": public, "public_contact": public_contact}
    values.update({key: _yes_no(value, key) for key, value in consents.items()
                   if value is not None})
    found = lookup.consignor(session, code, field="code")
    changed = _edit(session, ctx, "consignor", found, found.code, values)
    return records.Edit(consignor(session, found.code), changed)


def edit_product(session: Session, ctx: Context, sku: str, name=None, price=None,
                 category=None) -> records.Edit:
    """Change a product's name, list price or category, as :func:`edit_hotel` does a
    hotel's. A new list price is the price of placements to come: goods already placed
    keep the price they were placed at."""
    access.require(session, ctx, WRITE)
    values = _given(PRODUCT_FIELDS, name=name, price=price, category=category)
    found = lookup.product(session, sku)
    changed = _edit(session, ctx, "product", found, found.sku, values)
    return records.Edit(product(session, found.sku, located=True), changed)


def _given(parsers: dict, **given) -> dict:
    """Each value given (not None) through its field's parser."""
    return {name: parsers[name](value, name) for name, value in given.items()
            if value is not None}


def _yes_no(value, field: str) -> bool:
    if isinstance(value, bool):
        return value
    return fields.choice(value, field, ("yes", "no")) == "yes"


def _bank_given_together(code: str, given: dict) -> None:
    """An edit changes a bank account as a whole: its bank, account number and holder, or
    none of them."""
    missing = [name for name in BANK if given.get(name) is None]
    if missing and len(missing) < len(BANK):
        raise InvalidInput(
            msg("IKM {code}: a bank account is changed as a whole: give its bank, account "
                "number and holder together, or clear all three (not given: {missing})",
                code=code, missing=", ".join(missing)),
            field=missing[0],
        )


def _edit(session: Session, ctx: Context, entity: str, existing, key: str,
          values: dict) -> tuple[str, ...]:
    """Apply the values that differ from those registered; the names of the fields changed."""
    changes = {name: (getattr(existing, name), new) for name, new in values.items()
               if getattr(existing, name) != new}
    if changes:
        apply_changes(session, ctx, entity, existing, key, changes)
    return tuple(changes)


# ---- deactivating -----------------------------------------------------------------------------

ENTITIES = ("hotel", "consignor", "product")


def deactivate(session: Session, ctx: Context, entity: str, key: str):
    """Retire a hotel, IKM or product: it keeps its history, takes no new placements or
    sales."""
    access.require(session, ctx, WRITE)
    entity = fields.choice(entity, "entity", ENTITIES)
    found = {"hotel": lookup.hotel, "consignor": lookup.consignor,
             "product": lookup.product}[entity](session, key)
    code = found.sku if entity == "product" else found.code
    if not found.active:
        raise Inactive(msg("{what} {code} is already deactivated.", what=_label(entity),
                           code=code))
    found.active = False
    session.flush()
    audit.record(session, ctx, f"{entity}.deactivate", f"{entity}:{code}")
    return {"hotel": lambda: hotel(session, code, ctx.today),
            "consignor": lambda: consignor(session, code),
            "product": lambda: product(session, code)}[entity]()


def _label(entity: str) -> str:
    return {"hotel": "Hotel", "consignor": "IKM", "product": "Product"}[entity]


def _parsed(parsers: dict, given: dict) -> dict:
    """Each given value through its field's parser."""
    return {name: parsers[name](value, name) for name, value in given.items()}


def _bank_together(code: str, values: dict) -> None:
    present = [name for name in BANK if values.get(name)]
    if present and len(present) < len(BANK):
        missing = [name for name in BANK if not values.get(name)]
        raise InvalidInput(
            msg("IKM {code}: a bank account needs its bank, account number and holder; "
                "{missing} is missing", code=code, missing=", ".join(missing)),
            field=missing[0],
        )


# ---- imports ----------------------------------------------------------------------------------

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
    parsers: dict
    required: tuple[str, ...]  # what a new record needs
    extra: tuple[str, ...]  # columns that are no field of the record


KINDS = {
    "hotel": _Kind("hotel", Hotel, "code", HOTEL_FIELDS, ("name",), ("commission",)),
    "consignor": _Kind("consignor", Consignor, "code", CONSIGNOR_FIELDS,
                       ("name", "owner", "sector"), ()),
    "product": _Kind("product", Product, "sku", PRODUCT_FIELDS, ("name", "price"),
                     ("consignor",)),
}
COLUMNS = {
    "hotel": ("code", "name", "commission", "address", "phone", "phri_no"),
    "consignor": ("code", "name", "owner", "sector", "nib", "phone", "email", "address",
                  "bank", "account", "holder", "description", "public_contact"),
    "product": ("sku", "consignor", "name", "price", "category"),
}


def import_file(session: Session, ctx: Context, entity: str, upload: Upload) -> ImportResult:
    """All or nothing: every bad row is reported as ``FILE:LINE: message``. Rows identical
    to what is registered are skipped; rows that differ update the record, and only in
    the columns the file has: a column left out never erases anything, an empty cell of a
    column that is there clears an optional field."""
    access.require(session, ctx, WRITE)
    kind = KINDS[fields.choice(entity, "entity", tuple(KINDS))]
    parsed, problems, seen = [], [], {}
    table = read_rows(upload, (kind.key,), tuple(c for c in COLUMNS[entity] if c != kind.key),
                      problems)
    # the programme's registry is thousands of rows, not millions
    if len(table.rows) > fields.REGISTRY_ROWS:
        raise InvalidInput(msg(
            "{file} holds {rows} rows; a registry file holds at most {most}: split it into "
            "files of that many rows or fewer. Nothing was imported.", file=upload.name,
            rows=len(table.rows), most=fields.REGISTRY_ROWS), field="file")
    for row in table.rows:
        try:
            values = _row_values(kind, row)
        except ConsignError as error:
            problems.append((f"{upload.name}:{row.line}", error))
            continue
        key = values[kind.key]
        if key in seen:
            problems.append((f"{upload.name}:{row.line}", InvalidInput(
                msg("{key} already appears on line {line}", key=key, line=seen[key]),
                field=kind.key)))
            continue
        seen[key] = row.line
        parsed.append((row.line, values))
    result = ImportResult()
    for line, values in parsed:
        try:
            _import_one(session, ctx, kind, values, result)
        except ConsignError as error:
            problems.append((f"{upload.name}:{line}", error))
    if problems:
        raise InvalidRows(problems)
    return result


def _row_values(kind: _Kind, row: Row) -> dict:
    """The row's values of the columns it has, each through its field's parser."""
    parse = {kind.key: fields.sku if kind.key == "sku" else fields.code,
             "commission": lambda v, f: fields.rate(v, f) if v else None,
             "consignor": fields.code, **kind.parsers}
    return {column: parse[column](row[column], column) for column in row.values
            if column != "consignor" or row[column]}


def _import_one(session, ctx, kind: _Kind, values: dict, result: ImportResult) -> None:
    key = values.pop(kind.key)
    model = kind.model
    existing = session.scalar(select(model).where(getattr(model, kind.key) == key))
    if existing is None:
        _add_imported(session, ctx, kind, key, values)
        result.added.append(key)
        return
    if kind.entity == "product" and values.get("consignor", existing.consignor.code) \
            != existing.consignor.code:
        raise WrongConsignor(msg("product {key} belongs to IKM {owner}, not {other}", key=key,
                                 owner=existing.consignor.code, other=values["consignor"]),
                             field="consignor")
    if kind.entity == "hotel" and values.get("commission") is not None:
        _same_commission(session, ctx, existing, values["commission"])
    changes = _changes(existing, kind, values)
    if not changes:
        result.unchanged.append(key)
        return
    apply_changes(session, ctx, kind.entity, existing, key, changes)
    result.updated.append(key)


def _same_commission(session: Session, ctx: Context, existing: Hotel, rate: int) -> None:
    """A hotel file gives a hotel's default rate from the beginning of time: for a hotel
    already registered it must be the rate in force, which only ``terms set`` changes."""
    current = terms.default_rate(session, existing, ctx.today)
    if current is None or current.rate_bp != rate:
        raise OverlappingTerms(msg(
            "hotel {code}'s commission is {current}, not {given}: a file sets only a new "
            "hotel's rate", code=existing.code,
            current=money.rate_text(current.rate_bp) if current else msg("none"),
            given=money.rate_text(rate)), field="commission", command=msg(
            "(change a rate with 'consign terms set --hotel {code}')", code=existing.code))


def _add_imported(session, ctx, kind: _Kind, key: str, values: dict) -> None:
    needed = list(kind.required) + (["consignor"] if kind.entity == "product" else [])
    missing = [name for name in needed if values.get(name) in (None, "")]
    if missing:
        raise InvalidInput(
            msg("{key} is not registered yet, and a new {what} needs {missing}", key=key,
                what=_label(kind.entity), missing=", ".join(missing)),
            field=missing[0],
        )
    adders = {"hotel": add_hotel, "consignor": add_consignor, "product": add_product}
    adders[kind.entity](session, ctx, key, **values)


def _changes(existing, kind: _Kind, values: dict) -> dict:
    """The fields whose stored value the row changes: ``{name: (old, new)}``."""
    changes = {}
    for name, new in values.items():
        if name not in kind.parsers:
            continue
        stored = "" if new is None and not type(existing).__table__.c[name].nullable else new
        if kind.required and name in kind.required and stored in (None, ""):
            raise InvalidInput(msg("{name} is blank; it cannot be cleared", name=name),
                               field=name)
        if stored != getattr(existing, name):
            changes[name] = (getattr(existing, name), stored)
    return changes


def apply_changes(session: Session, ctx: Context, entity: str, existing, key: str,
                  changes: dict) -> None:
    """Change a registered record's fields (``{name: (old, new)}``), audited with the old
    and the new value; issued statements keep the names they were issued with."""
    access.require(session, ctx, WRITE)
    if entity == "consignor":
        after = {name: getattr(existing, name) for name in BANK}
        after.update({name: new for name, (_old, new) in changes.items() if name in BANK})
        _bank_together(key, after)
    for name, (_old, new) in changes.items():
        setattr(existing, name, new)
    session.flush()
    audit.record(session, ctx, f"{entity}.update", f"{entity}:{key}",
                 **{name: {"old": old, "new": new} for name, (old, new) in changes.items()})



# ---- the public catalogue -----------------------------------------------------------------
# What anyone may read without logging in (SPEC section 6, the one exception to every
# role's scope): the active products of the active IKM that agreed to appear (``public``),
# their IKM's public profile, their price and the active partner hotels where they are on
# the shelf now. Never an account figure, nor how many units a shelf holds (from which
# what sold could be read). These reads take no role: they show the same to everyone.

CATALOGUE_PAGE = 60  # products on one page of the catalogue


@dataclass(frozen=True)
class Shelf:
    """A partner hotel where a product is on the shelf now, with its price there (that of
    the latest placement at that hotel, else the list price: what a sale there costs)."""

    hotel: str
    name: str
    address: str
    price: int


@dataclass(frozen=True)
class Maker:
    """An IKM as its public pages show it: phone and e-mail only if it agreed."""

    code: str
    name: str
    sector: str
    description: str
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class Listed:
    """A product of the public catalogue, with the hotels where it is on the shelf now."""

    sku: str
    name: str
    category: str
    maker: Maker
    shelves: tuple[Shelf, ...]


@dataclass(frozen=True)
class Catalogue:
    """One page of the catalogue: its products, how many there are in all, the page."""

    products: tuple[Listed, ...]
    total: int
    page: int
    pages: int


def _public_condition():
    return Product.active & Consignor.active & Consignor.public


def _maker_of(owner: Consignor) -> Maker:
    shown = owner.public_contact
    return Maker(owner.code, owner.name, owner.sector, owner.description,
                 owner.phone if shown else None, owner.email if shown else None)


def _shelves(session: Session, product_ids: list[int], now: datetime,
             hotel_id: int | None = None) -> dict[int, list[Shelf]]:
    """Per product: the active hotels with units of it on hand now, by hotel name."""
    from consign.services.ledger.book import latest_price_of

    if not product_ids:
        return {}
    price = func.coalesce(
        latest_price_of(Stock.hotel_id, Stock.product_id, now).scalar_subquery(),
        Product.price)
    query = (select(Stock.product_id, Hotel.code, Hotel.name, Hotel.address, price)
             .join(Hotel, Hotel.id == Stock.hotel_id)
             .join(Product, Product.id == Stock.product_id)
             .where(Stock.product_id.in_(product_ids), Stock.on_hand > 0, Hotel.active)
             .order_by(Hotel.name, Hotel.code))
    if hotel_id is not None:
        query = query.where(Stock.hotel_id == hotel_id)
    found: dict[int, list[Shelf]] = {}
    for product_id, code, name, address, amount in session.execute(query):
        found.setdefault(product_id, []).append(Shelf(code, name, address, amount))
    return found


def public_product(session: Session, sku: str, now: datetime) -> Listed:
    """The page a price label's QR code opens: an active product of an active IKM that
    agreed to appear in the catalogue, with the hotels where it is on the shelf now (none,
    once its goods are sold out). Any other SKU (unknown, malformed, deactivated, of an
    IKM that did not agree) is refused in the same words: nothing is revealed of it."""
    missing = NotFound(msg("This product is not in the public catalogue."), field="sku")
    try:
        sku = fields.sku(sku)
    except InvalidInput:
        raise missing from None
    found = session.scalar(select(Product).join(Consignor, Consignor.id == Product.consignor_id)
                           .where(Product.sku == sku, _public_condition()))
    if found is None:
        raise missing
    shelves = _shelves(session, [found.id], now).get(found.id, [])
    return Listed(found.sku, found.name, found.category, _maker_of(found.consignor),
                  tuple(shelves))


def catalogue_hotels(session: Session, now: datetime) -> list[Shelf]:
    """The partner hotels with something of the catalogue on the shelf now, by name
    (``price`` is 0: a hotel has no price of its own)."""
    held = (select(Stock.hotel_id).join(Product, Product.id == Stock.product_id)
            .join(Consignor, Consignor.id == Product.consignor_id)
            .where(Stock.on_hand > 0, _public_condition()))
    query = (select(Hotel.code, Hotel.name, Hotel.address)
             .where(Hotel.active, Hotel.id.in_(held)).order_by(Hotel.name, Hotel.code))
    return [Shelf(code, name, address, 0) for code, name, address in session.execute(query)]


def catalogue(session: Session, now: datetime, sector=None, hotel=None,
              page=None) -> Catalogue:
    """The programme's catalogue: the public products on a partner hotel's shelf now, by
    sector, then IKM, then name; of one sector, of one hotel (``hotel``: its code; one
    without such goods lists none), ``CATALOGUE_PAGE`` a page (``page`` from 1)."""
    sector = fields.sector(sector) if sector is not None and str(sector).strip() else None
    code = fields.code(hotel, "hotel") if hotel is not None and str(hotel).strip() else None
    number = fields.integer(page, "page", 1, fields.ID_MAX) if page not in (None, "") else 1
    on_shelf = (select(Stock.product_id).join(Hotel, Hotel.id == Stock.hotel_id)
                .where(Stock.on_hand > 0, Hotel.active))
    hotel_id = None
    if code is not None:
        hotel_id = session.scalar(select(Hotel.id).where(Hotel.code == code)) or 0
        on_shelf = on_shelf.where(Stock.hotel_id == hotel_id)
    query = (select(Product).join(Consignor, Consignor.id == Product.consignor_id)
             .where(_public_condition(), Product.id.in_(on_shelf)))
    if sector is not None:
        query = query.where(Consignor.sector == sector)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // CATALOGUE_PAGE))
    chosen = list(session.scalars(
        query.order_by(Consignor.sector, Consignor.name, Consignor.code, Product.name,
                       Product.sku)
        .limit(CATALOGUE_PAGE).offset((min(number, pages) - 1) * CATALOGUE_PAGE)))
    shelves = _shelves(session, [p.id for p in chosen], now, hotel_id)
    listed = tuple(Listed(p.sku, p.name, p.category, _maker_of(p.consignor),
                          tuple(shelves.get(p.id, ()))) for p in chosen)
    return Catalogue(listed, total, min(number, pages), pages)

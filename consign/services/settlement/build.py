"""Building a hotel's drafts for a month from the ledger as it stands.

The queries here decide which movements count in the period (SPEC section 4; see
:mod:`consign.settlement` for the rules over the gathered values):

- a movement counts in the month of its ``counts_at`` in the business time zone: its own
  ``at``, except for a reversal that *cancels* (recorded while its movement's period was
  open), which counts where the reversed movement does and is read into that movement's
  entry, never on its own;
- a reversal that does not cancel is a correction in the month of its own ``at``.

Opening stock is the closing stock of the hotel's latest closed period (its issued
statements are exact and frozen), plus what counted in any months between that one and
this one.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, tzinfo

from sqlalchemy import and_, bindparam, delete, func, insert, select, union_all, update
from sqlalchemy.orm import Session

from consign import settlement
from consign.context import Context
from consign.db import bulk_read
from consign.errors import AlreadyIssued, MissingRate
from consign.i18n import msg
from consign.models import (
    Consignor,
    Hotel,
    Movement,
    Note,
    Product,
    Statement,
    StatementLine,
    StatementLoss,
    StatementStock,
    Terms,
)
from consign.periods import Period, parse_period
from consign.services.ledger import book
from consign.services.settlement import plain
from consign.terms import changes, covering

Key = tuple[int, int]  # (hotel_id, consignor_id): one statement of a month


@dataclass
class Pair:
    """What one IKM's statement at a hotel is built from."""

    entries: list[settlement.Entry] = field(default_factory=list)
    openings: dict[str, tuple[str, int]] = field(default_factory=dict)
    sold: list[settlement.Sold] = field(default_factory=list)  # the plain sales (:mod:`.plain`)
    placed: list[settlement.Placed] = field(default_factory=list)  # the plain placements


# ---- the period lock, as settlement reads it ---------------------------------------------

def closed_before(session: Session, hotel_id: int, period: Period | None = None) -> Period | None:
    """The hotel's latest closed period (before ``period``, if given), or None."""
    latest = book.closed_through(session, hotel_id, before=period)
    return parse_period(latest) if latest else None


def is_closed(session: Session, hotel_id: int, period: Period) -> bool:
    latest = closed_before(session, hotel_id)
    return latest is not None and period <= latest


# ---- rebuilding the drafts ---------------------------------------------------------------

def rebuild(session: Session, ctx: Context, hotels: list[Hotel], period: Period) -> None:
    """Replace the hotels' drafts of ``period`` with statements built from the ledger now,
    every hotel in the same few statements (not a round of them per hotel).

    Every (hotel, IKM) pair with a movement in the period or stock at its end gets one;
    a draft whose pair no longer qualifies goes. Raises MissingRate, writing nothing,
    when a line has no commission rate on its date. The plain sales' lines are copied by
    the database (:mod:`.plain`) and their figures summed from what it wrote."""
    if not hotels:
        return
    ids = [hotel.id for hotel in hotels]
    _refuse_issued(session, hotels, period)
    rate_for = _prepared(session, hotels, period, ctx.tz)
    pairs = gather(session, hotels, period, ctx.tz, sold=False)
    for key in plain.sellers(session, ids, period, ctx.tz):
        pairs.setdefault(key, Pair())
    pairs = dict(sorted(pairs.items()))
    previous = previous_nets(session, ids, period)
    ruled = {key: tuple(settlement.lines_of(pair.entries, rate_for(*key)))
             for key, pair in pairs.items()}
    _drop_parts(session, ids, period)
    existing = {(hotel_id, consignor_id): sid for hotel_id, consignor_id, sid in bulk_read(
        session, select(Statement.hotel_id, Statement.consignor_id, Statement.id)
        .where(plain.at_hotels(Statement.hotel_id, ids), Statement.period == str(period)))}
    gone = [sid for key, sid in existing.items() if key not in pairs]
    if gone:
        session.execute(delete(Statement).where(Statement.id.in_(gone)),
                        execution_options={"synchronize_session": False})
    provisional = {key: settlement.figures(ruled[key], (), previous.get(key)) for key in pairs}
    statement_ids = _write_statements(session, ctx, hotels, period, provisional, existing)
    plain.write_lines(session, ids, period, ctx.tz, ruled)
    sold = plain.written(session, ids, period)
    built = {key: _figures(pair, ruled[key], sold.get(key, ()), previous.get(key))
             for key, pair in pairs.items()}
    update_rows(session, Statement.__table__, [
        {"id": statement_ids[key], "gross": figures.gross, "commission": figures.commission,
         "opening_balance": figures.opening_balance, "net": figures.net}
        for key, figures in built.items()])
    _write_parts(session, statement_ids, built)


def _prepared(session: Session, hotels: list[Hotel], period: Period, tz: tzinfo):
    """The hotels' rates, ``rate_for(hotel_id, consignor_id)(day)``, with the scratch tables
    of days and rates filled for ``period``; MissingRate for the first plain sale on a day
    no terms cover."""
    by_id = {hotel.id: hotel for hotel in hotels}
    rate_for = rates(session, hotels)
    ids = list(by_id)
    plain.prepare(session, ids, period, tz, rate_for)
    plain.refuse_unrated(session, ids, period, tz, lambda hotel_id, consignor_id, day:
                         _missing_rate(session, by_id[hotel_id], consignor_id, day))
    return rate_for


def _figures(pair: Pair, lines, sold, previous_net: int | None) -> settlement.Figures:
    stock = settlement.stock_rows(pair.openings, pair.entries, sold, pair.placed)
    return settlement.figures(lines, stock, previous_net, settlement.losses_of(pair.entries),
                              sold)


def _refuse_issued(session: Session, hotels: list[Hotel], period: Period) -> None:
    """Issued statements are never rebuilt, whatever the period lock says."""
    issued = set(session.scalars(
        select(Statement.hotel_id).distinct().where(
            plain.at_hotels(Statement.hotel_id, [hotel.id for hotel in hotels]),
            Statement.period == str(period), Statement.status != "draft")))
    for hotel in sorted(hotels, key=lambda hotel: hotel.code):
        if hotel.id in issued:
            raise AlreadyIssued(msg("{hotel}'s statements of {period} are already issued.",
                                    hotel=hotel.code, period=str(period)))


def compute(session: Session, hotels: list[Hotel], period: Period, tz: tzinfo
            ) -> dict[Key, settlement.Figures]:
    """The figures of the hotels' statements of ``period`` as the ledger stands, per
    (hotel id, IKM id), writing nothing but the transaction's scratch tables
    (:mod:`.plain`): the lines the rules make one by one in ``lines``, the plain sales
    taken together in ``sold``. Raises MissingRate when a line has no commission rate on
    its date."""
    if not hotels:
        return {}
    rate_for = _prepared(session, hotels, period, tz)
    pairs = gather(session, hotels, period, tz)
    previous = previous_nets(session, [hotel.id for hotel in hotels], period)
    return {key: _figures(pair, settlement.lines_of(pair.entries, rate_for(*key)), pair.sold,
                          previous.get(key))
            for key, pair in pairs.items()}


def _drop_parts(session: Session, hotel_ids: list[int], period: Period) -> None:
    drafts = select(Statement.id).where(
        plain.at_hotels(Statement.hotel_id, hotel_ids), Statement.period == str(period),
        Statement.status == "draft",
    )
    for part in (StatementLine, StatementStock, StatementLoss):
        session.execute(delete(part).where(part.statement_id.in_(drafts)),
                        execution_options={"synchronize_session": False})


def _write_statements(session, ctx, hotels: list[Hotel], period: Period, built, existing
                      ) -> dict[Key, int]:
    """Update the pairs' drafts in place, insert the new ones; {(hotel id, IKM id):
    statement id}."""
    by_id = {hotel.id: hotel for hotel in hotels}
    consignors = {c.id: c for c in session.scalars(
        select(Consignor).where(Consignor.id.in_({cid for _, cid in built})))}
    rows = {key: _statement_row(ctx, by_id[key[0]], consignors[key[1]], period, figures)
            for key, figures in built.items()}
    kept = [{"id": existing[key], **row} for key, row in rows.items() if key in existing]
    update_rows(session, Statement.__table__, kept)
    new = [row for key, row in rows.items() if key not in existing]
    ids = {key: existing[key] for key in rows if key in existing}
    if new:  # plain rows, no ORM objects; their ids read back by the pair each is unique to
        # (on SQLite, an INSERT that returns the ids in order is sent once per row)
        insert_rows(session, Statement.__table__, new)
        ids.update({(hotel_id, consignor_id): sid for sid, hotel_id, consignor_id in bulk_read(
            session, select(Statement.id, Statement.hotel_id, Statement.consignor_id)
            .where(plain.at_hotels(Statement.hotel_id, sorted({row["hotel_id"] for row in new})),
                   Statement.period == str(period), Statement.status == "draft"))
            if (hotel_id, consignor_id) in rows})
    return ids


def _statement_row(ctx, hotel: Hotel, consignor: Consignor, period, figures) -> dict:
    return {
        "hotel_id": hotel.id, "consignor_id": consignor.id, "period": str(period),
        "status": "draft", "built_at": ctx.now,
        "gross": figures.gross, "commission": figures.commission,
        "opening_balance": figures.opening_balance, "net": figures.net,
        "hotel_code": hotel.code, "hotel_name": hotel.name, "hotel_address": hotel.address,
        "hotel_phone": hotel.phone or "", "consignor_code": consignor.code,
        "consignor_name": consignor.name, "owner_name": consignor.owner,
        "consignor_address": consignor.address, "bank": consignor.bank or "",
        "account": consignor.account or "", "holder": consignor.holder or "",
    }


def _write_parts(session: Session, ids: dict[Key, int], built) -> None:
    """The drafts' stock rows and the IKM's losses (their lines: :func:`.plain.write_lines`)."""
    stock, losses = [], []
    for key, figures in built.items():
        sid = ids[key]
        losses += [
            {"statement_id": sid, "position": n, "day": loss.day, "kind": loss.kind,
             "sku": loss.sku, "name": loss.name, "qty": loss.qty, "note": loss.note,
             "reason": loss.reason, "movement_id": loss.movement_id}
            for n, loss in enumerate(figures.losses, start=1)
        ]
        stock += [
            {"statement_id": sid, "position": n, "sku": row.sku, "name": row.name,
             "opening": row.opening, "placed": row.placed, "sold": row.sold,
             "returned": row.returned, "lost": row.lost, "counted": row.counted,
             "corrected": row.corrected, "closing": row.closing}
            for n, row in enumerate(figures.stock, start=1)
        ]
    insert_rows(session, StatementStock.__table__, stock)
    insert_rows(session, StatementLoss.__table__, losses)


def update_rows(session: Session, table, rows: list[dict]) -> None:
    """Many rows changed at once by id (each dict: its ``id`` and the same other columns),
    one ``executemany`` UPDATE, no ORM objects."""
    if not rows:
        return
    names = [name for name in rows[0] if name != "id"]
    session.flush()
    session.connection().execute(
        update(table).where(table.c.id == bindparam("row_id"))
        .values({name: bindparam(name) for name in names}),
        [{"row_id": row["id"], **{name: row[name] for name in names}} for row in rows])


def insert_rows(session: Session, table, rows: list[dict]) -> None:
    """Many plain rows at once, no ORM objects (a month has many thousands): ``COPY`` on
    PostgreSQL, an ``executemany`` INSERT elsewhere; in the session's transaction."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(
        f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


# ---- rates and balances -------------------------------------------------------------------

def rates(session: Session, hotels: list[Hotel]):
    """``rates(hotel_id, consignor_id)(day)``: the pair's rate in basis points on that day,
    else the hotel's default; MissingRate naming hotel, IKM and date when neither covers
    it. At a hotel, IKM with the same terms of their own (most have none) share what each
    day was found to be; each pair's function carries that in its ``group``, and in
    ``changes(first, last)`` the days of a span on which its rate can change
    (:func:`consign.terms.changes`)."""
    by_id = {hotel.id: hotel for hotel in hotels}
    own: dict[tuple[int, int | None], list] = defaultdict(list)
    for terms in session.execute(  # rows of what the rules read (thousands: no ORM objects)
            select(Terms.id, Terms.hotel_id, Terms.consignor_id, Terms.rate_bp,
                   Terms.valid_from, Terms.valid_to)
            .where(plain.at_hotels(Terms.hotel_id, list(by_id))).order_by(Terms.id)):
        own[terms.hotel_id, terms.consignor_id].append(terms)
    found: dict[tuple, dict[date, int | None]] = {}
    made: dict[tuple[int, int], object] = {}

    def for_pair(hotel_id: int, consignor_id: int):
        if (hotel_id, consignor_id) in made:
            return made[hotel_id, consignor_id]
        mine = own.get((hotel_id, consignor_id), [])
        group = (hotel_id, tuple(t.id for t in mine))
        cache = found.setdefault(group, {})
        candidates = mine + own.get((hotel_id, None), [])

        def rate_on(day: date) -> int:
            if day not in cache:
                terms = covering(candidates, consignor_id, day)
                cache[day] = terms.rate_bp if terms is not None else None
            if cache[day] is None:
                raise _missing_rate(session, by_id[hotel_id], consignor_id, day)
            return cache[day]

        rate_on.group = group
        rate_on.changes = lambda first, last: changes(candidates, first, last)
        made[hotel_id, consignor_id] = rate_on
        return rate_on

    return for_pair


def _missing_rate(session: Session, hotel: Hotel, consignor_id: int, day: date) -> MissingRate:
    code = session.get(Consignor, consignor_id).code
    return MissingRate(msg(
        "No commission rate for {hotel} / {code} on {day}: the movements of that day cannot "
        "be settled.", hotel=hotel.code, code=code, day=day.isoformat()), command=msg(
        "Set one with 'consign terms set --hotel {hotel} --consignor {code} --commission "
        "RATE --from DATE'.", hotel=hotel.code, code=code))


def previous_nets(session: Session, hotel_ids: list[int], period: Period) -> dict[Key, int]:
    """Per (hotel, IKM), the net of its latest statement at the hotel before ``period``, as
    it stands."""
    latest = (
        select(Statement.hotel_id, Statement.consignor_id,
               func.max(Statement.period).label("period"))
        .where(plain.at_hotels(Statement.hotel_id, hotel_ids), Statement.period < str(period))
        .group_by(Statement.hotel_id, Statement.consignor_id)
        .subquery()
    )
    rows = bulk_read(
        session, select(Statement.hotel_id, Statement.consignor_id, Statement.net).join(
            latest, and_(Statement.hotel_id == latest.c.hotel_id,
                         Statement.consignor_id == latest.c.consignor_id,
                         Statement.period == latest.c.period))
    )
    return {(hotel_id, consignor_id): net for hotel_id, consignor_id, net in rows}


# ---- gathering the ledger ------------------------------------------------------------------

def gather(session: Session, hotels: list[Hotel], period: Period, tz: tzinfo,
           sold: bool = True) -> dict[Key, Pair]:
    """The hotels' pairs with a movement in the period or stock at its end, with their
    entries (in ledger order), their plain sales taken together (unless not ``sold``: then
    a pair with nothing but plain sales is not there), their plain placements taken
    together and opening stock per SKU. The scratch tables must be ready
    (:func:`.plain.prepare`)."""
    pairs: dict[Key, Pair] = defaultdict(Pair)
    ids = [hotel.id for hotel in hotels]
    for hotel_id, consignor_id, sku, name, units in openings(session, ids, period, tz):
        if units:
            pairs[hotel_id, consignor_id].openings[sku] = (name, units)
    sales, placements = plain.sums(session, ids, period, tz, sold)
    for key, together in sales.items():
        pairs[key].sold = together
    for key, together in placements.items():
        pairs[key].placed = together
    for key, entry in period_entries(session, ids, period, tz):
        pairs[key].entries.append(entry)
    return dict(sorted(pairs.items()))


def period_entries(session: Session, hotel_ids: list[int], period: Period, tz: tzinfo):
    """((hotel_id, consignor_id), Entry) for every movement that counts in the period but
    the plain sales and placements (:mod:`.plain`), in ledger order: each cancelling
    reversal is read into the entry of what its chain of voids cancels (which counts at the
    same moment, so in the same period)."""
    def counting(*conditions):
        return (select(Movement.id, Movement.hotel_id, Movement.kind, Movement.qty,
                       Movement.unit_price, Movement.at, Movement.counts_at, Movement.liable,
                       Movement.reverses_id, Movement.root_id, Movement.cancels,
                       Movement.receipt, Movement.payment, Movement.reason,
                       Note.number.label("note"), Product.sku, Product.name,
                       Product.consignor_id)
                .join(Product, Product.id == Movement.product_id)
                .outerjoin(Note, Note.id == Movement.note_id)
                .where(plain.counting_in(hotel_ids, period, tz, *conditions)))

    # what is not plain: the few movements the partial index holds, and the sales and
    # placements a reversal reverses, found from the reversals (each movement once)
    every = union_all(counting(plain.unplain()),
                      counting(plain.ever_reversed(), ~plain.unplain())).subquery("entries")
    rows = bulk_read(session, select(every).order_by(every.c.counts_at, every.c.id)).all()
    by_id = {row.id: row for row in rows}
    cancelled: dict[int, int] = defaultdict(int)
    for row in rows:
        if _cancelling(row):
            cancelled[_anchor(row, by_id).id] += row.qty
    corrections = [row for row in rows if row.kind == "reversal" and not row.cancels]
    originals = _originals(session, corrections, tz) if corrections else {}
    days, entry = _Days(tz), settlement.Entry
    for row in rows:
        if _cancelling(row):
            continue  # in the entry of what it cancels
        detail = settlement.Detail(row.at, row.receipt, row.payment, row.note, row.reason)
        yield (row.hotel_id, row.consignor_id), entry(
            row.id, row.kind, row.sku, row.name, row.qty, days(row.at), row.unit_price,
            row.liable, cancelled.get(row.id, 0), originals.get(row.id), detail)


def _cancelling(row) -> bool:
    return row.kind == "reversal" and bool(row.cancels)


def _anchor(row, by_id):
    """What a cancelling reversal cancels, through the cancelling voids before it: a
    movement or a correction (a reversal that does not cancel)."""
    target = by_id[row.reverses_id]
    while _cancelling(target):
        target = by_id[target.reverses_id]
    return target


class _Days:
    """Business dates of moments, remembered per minute (every zone's offset is a whole
    number of minutes), so a month of sales converts only its distinct minutes."""

    def __init__(self, tz: tzinfo):
        self.tz = tz
        self.cache: dict = {}

    def __call__(self, moment) -> date:
        key = moment.replace(second=0, microsecond=0)
        if key not in self.cache:
            self.cache[key] = moment.astimezone(self.tz).date()
        return self.cache[key]


def _originals(session: Session, corrections: list, tz: tzinfo) -> dict[int, settlement.Original]:
    """Per correction (a reversal in a later period than what it reverses): what it needs of
    the movement its chain of voids began with (kind, liability, quantity, and the price
    and rate frozen on an issued statement line of the chain), and the line it corrects
    (that of the movement it reverses if it made one, else the original's)."""
    roots = {row.root_id for row in corrections}
    ids = roots | {row.reverses_id for row in corrections}
    frozen = {
        line.movement_id: line
        for line in bulk_read(
            session,
            select(StatementLine.movement_id, StatementLine.unit_price, StatementLine.rate_bp,
                   StatementLine.day, StatementLine.receipt, Statement.number)
            .join(Statement, Statement.id == StatementLine.statement_id)
            .where(StatementLine.movement_id.in_(ids), Statement.status != "draft")
        )
    }
    root_rows = {
        row.id: row for row in bulk_read(
            session, select(Movement.id, Movement.kind, Movement.liable, Movement.qty,
                   Movement.unit_price, Movement.at, Movement.receipt,
                   Note.number.label("note"))
            .outerjoin(Note, Note.id == Movement.note_id)
            .where(Movement.id.in_(roots)))
    }
    originals = {}
    for correction in corrections:
        root = root_rows[correction.root_id]
        settled = frozen.get(root.id) or frozen.get(correction.reverses_id)
        corrected = frozen.get(correction.reverses_id) or frozen.get(root.id)
        day = root.at.astimezone(tz).date()
        originals[correction.id] = settlement.Original(
            kind=root.kind, liable=root.liable, qty=root.qty,
            unit_price=settled.unit_price if settled else root.unit_price, day=day,
            rate_bp=settled.rate_bp if settled else None,
            line_day=corrected.day if corrected else day,
            receipt=(corrected.receipt if corrected else None) or root.receipt,
            number=corrected.number if corrected else None, note=root.note,
        )
    return originals


def openings(session: Session, hotel_ids: list[int], period: Period, tz: tzinfo):
    """(hotel_id, consignor_id, sku, name, units) of the stock at the start of the period,
    per hotel and product: the closing stock of the hotel's latest closed period, plus
    what counted in the months since. Hotels closed through the same month are read
    together."""
    by_closed: dict[Period | None, list[int]] = defaultdict(list)
    for hotel_id in hotel_ids:
        by_closed[closed_before(session, hotel_id, period)].append(hotel_id)
    units: dict[tuple[int, int], int] = defaultdict(int)
    for closed, ids in by_closed.items():
        if closed is not None:
            for hotel_id, product_id, closing in _closings(session, ids, closed):
                units[hotel_id, product_id] += closing
        since = closed.end(tz) if closed is not None else None
        if since is None or since < period.start(tz):
            for key, moved in _moved(session, ids, since, period.start(tz)).items():
                units[key] += moved
    wanted = {product_id for (_, product_id), n in units.items() if n}
    if not wanted:
        return []
    products = {row.id: row for row in bulk_read(
        session, select(Product.id, Product.consignor_id, Product.sku, Product.name)
        .where(Product.id.in_(wanted)))}
    return [(hotel_id, products[product_id].consignor_id, products[product_id].sku,
             products[product_id].name, n)
            for (hotel_id, product_id), n in sorted(units.items()) if n]


def _closings(session: Session, hotel_ids: list[int], period: Period):
    return bulk_read(
        session, select(Statement.hotel_id, Product.id, StatementStock.closing)
        .join(Statement, Statement.id == StatementStock.statement_id)
        .join(Product, Product.sku == StatementStock.sku)
        .where(plain.at_hotels(Statement.hotel_id, hotel_ids),
               Statement.period == str(period), StatementStock.closing != 0)
    )


def _moved(session: Session, hotel_ids: list[int], since, until) -> dict[tuple[int, int], int]:
    """Per (hotel, product), the units of the movements that count in [since, until), each
    at its ``counts_at`` (a cancelling reversal with what it cancels)."""
    query = (
        select(Movement.hotel_id, Movement.product_id, func.sum(Movement.qty))
        .where(plain.at_hotels(Movement.hotel_id, hotel_ids), Movement.counts_at < until)
        .group_by(Movement.hotel_id, Movement.product_id)
    )
    if since is not None:
        query = query.where(Movement.counts_at >= since)
    return {(hotel_id, product_id): int(moved) for hotel_id, product_id, moved
            in bulk_read(session, query)}

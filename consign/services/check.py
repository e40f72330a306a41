"""``consign check``: every invariant that can be recomputed from the database.

Each check is a function ``(session, tz) -> list[str]`` that returns *all* the problems it
finds, each a finished sentence; an empty list means the invariant holds. ``CHECKS`` lists
them in the order they run; more can be appended (statements add theirs).
"""

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from itertools import chain

from sqlalchemy import DateTime, String, cast, func, literal, select, tuple_, type_coerce
from sqlalchemy.orm import Session, aliased

from consign.context import Context
from consign.models import (
    AuditEntry,
    AuditLink,
    AuditQueue,
    Counter,
    Hotel,
    Movement,
    Note,
    Product,
    Statement,
    Stock,
)
from consign.periods import shown
from consign.services import access, audit
from consign.services.settlement import checks as statement_checks

Check = Callable[[Session, tzinfo], list[str]]
TAKE_AWAY = ("sold", "returned", "lost", "damaged")


def run(session: Session, tz: tzinfo, checks: list[Check] | None = None, *,
        ctx: Context | None = None) -> list[str]:
    """The problems found by every check, in order. A check that cannot even read what
    it checks (a value consign never wrote) says so, and the others still run. For the
    administrator alone."""
    access.require(session, ctx, "admin")
    problems = []
    for check in CHECKS if checks is None else checks:
        try:
            with session.begin_nested():
                problems += check(session, tz)
        except (ValueError, TypeError, OverflowError, KeyError) as error:
            problems.append(
                f"Check '{check.__name__}' could not read the database: it holds a value "
                f"consign did not write ({type(error).__name__}: {str(error)[:120]}).")
    return problems


class _Names:
    """``BTK-001 at ATRIA`` for a (hotel id, product id) pair."""

    def __init__(self, session: Session):
        self.hotels = dict(session.execute(select(Hotel.id, Hotel.code)).all())
        self.skus = dict(session.execute(select(Product.id, Product.sku)).all())

    def __call__(self, pair: tuple[int, int]) -> str:
        return f"{self.skus[pair[1]]} at {self.hotels[pair[0]]}"


def _stored(session: Session) -> dict[tuple[int, int], int]:
    rows = session.execute(select(Stock.hotel_id, Stock.product_id, Stock.on_hand))
    return {(hotel_id, product_id): on_hand for hotel_id, product_id, on_hand in rows}


def stored_stock_matches_movements(session: Session, tz: tzinfo) -> list[str]:
    """The running stock kept for speed equals the sum of the movements of each pair."""
    summed = session.execute(
        select(Movement.hotel_id, Movement.product_id, func.sum(Movement.qty))
        .group_by(Movement.hotel_id, Movement.product_id)
    )
    sums = {(hotel_id, product_id): units for hotel_id, product_id, units in summed}
    stored, name = _stored(session), _Names(session)
    return [
        f"Stock of {name(pair)} is stored as {stored.get(pair, 0)} "
        f"but its movements add up to {sums.get(pair, 0)}."
        for pair in sorted(set(sums) | set(stored))
        if stored.get(pair, 0) != sums.get(pair, 0)
    ]


def stock_never_negative(session: Session, tz: tzinfo) -> list[str]:
    """No pair has fewer than zero units at any moment (movements of one moment together)."""
    return [f"Stock of {pair} goes below zero ({units}) at {shown(at, tz)}."
            for pair, at, units in _first_below_zero(session, Movement.at)]


def stock_never_negative_as_settled(session: Session, tz: tzinfo) -> list[str]:
    """Nor as settlement counts it: each movement at its ``counts_at`` (a reversal that
    cancels its movement, recorded while that one's period was open, at the time of what
    it cancels). A pair already found below zero at the same moment by
    ``stock_never_negative`` is not reported twice: so only the pairs with a movement counted
    at another moment than its own are reckoned again (the others' two timelines are one)."""
    elsewhere = Movement.counts_at.is_distinct_from(Movement.at)
    if session.scalar(select(Movement.id).where(elsewhere).limit(1)) is None:
        return []
    moved = select(Movement.hotel_id, Movement.product_id).where(elsewhere).distinct()
    settled = _first_below_zero(session, Movement.counts_at, moved)
    found = set(_first_below_zero(session, Movement.at, moved)) if settled else set()
    return [
        f"Stock of {pair} goes below zero ({units}) at {shown(at, tz)} as settled, a void "
        "that cancels its movement counted at that movement's time."
        for pair, at, units in settled if (pair, at, units) not in found
    ]


def _first_below_zero(session: Session, at, pairs=None):
    """``(pair name, moment, units)`` of the first moment each pair (of those ``pairs``
    selects, or every one) has fewer than zero units, its movements taken at the times
    ``at`` gives them (movements of one moment together)."""
    balance = func.sum(Movement.qty).over(
        partition_by=(Movement.hotel_id, Movement.product_id), order_by=at
    )
    timeline = select(
        Movement.hotel_id, Movement.product_id, at.label("at"), balance.label("balance")
    )
    if pairs is not None:
        timeline = timeline.where(tuple_(Movement.hotel_id, Movement.product_id).in_(pairs))
    timeline = timeline.subquery()
    rows = session.execute(
        select(timeline).where(timeline.c.balance < 0).order_by(timeline.c.at)
    )
    first = {}
    for hotel_id, product_id, moment, units in rows:
        first.setdefault((hotel_id, product_id), (moment, units))
    name = _Names(session)
    return [(name(pair), moment, units) for pair, (moment, units) in sorted(first.items())]


def reversals_are_sound(session: Session, tz: tzinfo) -> list[str]:
    """Every reversal mirrors one movement, reversed once, is not dated before it, counts
    where it should (with what it cancels, or at its own moment) and names the movement
    its chain of voids began with; only reversals name a movement they reverse."""
    original = aliased(Movement)
    rows = session.execute(
        select(Movement, original)
        .outerjoin(original, original.id == Movement.reverses_id)
        .where((Movement.kind == "reversal") | Movement.reverses_id.is_not(None))
        .order_by(Movement.id)
    ).all()
    problems, seen = [], defaultdict(list)
    for reversal, target in rows:
        problems.extend(_reversal_problems(reversal, target, tz))
        if target is not None:
            seen[target.id].append(reversal.id)
    problems.extend(
        f"Movement {target_id} is reversed more than once (by {', '.join(map(str, ids))})."
        for target_id, ids in sorted(seen.items())
        if len(ids) > 1
    )
    return problems


def _reversal_problems(reversal: Movement, target: Movement | None, tz: tzinfo) -> list[str]:
    label = f"Movement {reversal.id}"
    if reversal.kind != "reversal":
        return [f"{label} ({reversal.kind}) names movement {reversal.reverses_id} "
                "as reversed but is not a reversal."]
    if target is None:
        return [f"{label} is a reversal that names no movement."]
    problems = []
    if (reversal.hotel_id, reversal.product_id, reversal.qty) != (
        target.hotel_id, target.product_id, -target.qty
    ):
        problems.append(f"{label} does not mirror movement {target.id} "
                        f"({reversal.qty:+d} against {target.qty:+d}).")
    if reversal.at < target.at:
        problems.append(f"{label} is dated {shown(reversal.at, tz)}, before movement "
                        f"{target.id} that it reverses ({shown(target.at, tz)}).")
    counts_at = target.counts_at if reversal.cancels else reversal.at
    if reversal.counts_at != counts_at:
        problems.append(f"{label} counts at {shown(reversal.counts_at, tz)} in settlement, "
                        f"not at {shown(counts_at, tz)}.")
    root = target.root_id if target.kind == "reversal" else target.id
    if reversal.root_id != root:
        problems.append(f"{label} names movement {reversal.root_id} as the start of its "
                        f"chain of voids, not movement {root}.")
    return problems


def movements_count_at_their_time(session: Session, tz: tzinfo) -> list[str]:
    """A movement that is not a reversal counts in settlement at its own moment and starts
    no chain of voids."""
    wrong = session.scalars(
        select(Movement)
        .where(Movement.kind != "reversal",
               (Movement.counts_at != Movement.at) | Movement.root_id.is_not(None))
        .order_by(Movement.id)
    )
    problems = []
    for movement in wrong:
        label = f"Movement {movement.id} ({movement.kind})"
        if movement.counts_at != movement.at:
            problems.append(f"{label} counts at {shown(movement.counts_at, tz)} in "
                            f"settlement, not at its own moment {shown(movement.at, tz)}.")
        if movement.root_id is not None:
            problems.append(f"{label} names movement {movement.root_id} as the start of a "
                            "chain of voids, but is not a reversal.")
    return problems


def movements_have_their_sign(session: Session, tz: tzinfo) -> list[str]:
    """Placements add units; sales, returns and write-offs take them away."""
    wrong = session.scalars(
        select(Movement)
        .where(((Movement.kind == "placed") & (Movement.qty < 0))
               | (Movement.kind.in_(TAKE_AWAY) & (Movement.qty > 0)))
        .order_by(Movement.id)
    )
    return [
        f"Movement {movement.id} ({movement.kind}) "
        f"{'takes away' if movement.qty < 0 else 'adds'} {abs(movement.qty)} "
        f"unit{'' if abs(movement.qty) == 1 else 's'}."
        for movement in wrong
    ]


def placed_units_accounted_for(session: Session, tz: tzinfo) -> list[str]:
    """Every unit placed is on hand, sold, returned, or lost/damaged, allowing for count
    differences; a reversal counts with the kind of the movement it reverses."""
    flows = _flows(session)
    stored, name = _stored(session), _Names(session)
    problems = []
    for pair in sorted(set(flows) | set(stored)):
        flow = flows.get(pair, {})
        placed, counted = flow.get("placed", 0), flow.get("counted", 0)
        sold, returned = -flow.get("sold", 0), -flow.get("returned", 0)
        lost = -flow.get("lost", 0) - flow.get("damaged", 0)
        on_hand = stored.get(pair, 0)
        if placed != on_hand + sold + returned + lost - counted:
            problems.append(
                f"{name(pair)}: {placed} placed, but {on_hand} on hand + {sold} sold + "
                f"{returned} returned + {lost} lost or damaged − {counted:+d} counted = "
                f"{on_hand + sold + returned + lost - counted}."
            )
    return problems


def _flows(session: Session) -> dict[tuple[int, int], dict[str, int]]:
    """Units per pair and kind, a reversal netted into the kind of the movement its chain
    of voids began with: the others summed from an index alone, the reversals (few) with
    the movement each chain began with."""
    original = aliased(Movement)
    kind = func.coalesce(original.kind, Movement.kind)
    rows = [
        session.execute(
            select(Movement.hotel_id, Movement.product_id, Movement.kind,
                   func.sum(Movement.qty))
            .where(Movement.kind.is_distinct_from("reversal"))
            .group_by(Movement.hotel_id, Movement.product_id, Movement.kind)),
        session.execute(
            select(Movement.hotel_id, Movement.product_id, kind, func.sum(Movement.qty))
            .outerjoin(original, original.id == Movement.root_id)
            .where(Movement.kind == "reversal")
            .group_by(Movement.hotel_id, Movement.product_id, kind)),
    ]
    flows = defaultdict(dict)
    for hotel_id, product_id, kind_name, units in chain(*rows):
        flow = flows[(hotel_id, product_id)]
        flow[kind_name] = _sum(flow.get(kind_name), units)
    return flows


def _sum(units: int | None, more: int | None) -> int | None:
    """Two sums of units as SQL adds them: NULL only if both are."""
    if units is None or more is None:
        return more if units is None else units
    return units + more


# ---- the audit log and its chain ---------------------------------------------------------------

def audit_chain_intact(session: Session, tz: tzinfo) -> list[str]:
    """Take the queue into the chain, then walk the chain: every link in order, its entry
    there and hashing to it; and no entry outside both the chain and the queue. The links
    are read as plain rows, a few thousand at a time, their moments as plain ``DateTime``
    values (naive in UTC on SQLite)."""
    audit.extend_chain(session)
    links = statement_checks.stream(session, (
        select(AuditLink.seq, AuditLink.entry_id, AuditLink.hash, AuditEntry.id,
               _plain(AuditEntry.at), _plain(AuditEntry.recorded_at), AuditEntry.actor,
               AuditEntry.action, AuditEntry.record, AuditEntry.detail)
        .outerjoin(AuditEntry, AuditEntry.id == AuditLink.entry_id)
        .order_by(AuditLink.seq)))
    problems, previous, expected_seq = [], audit.GENESIS, 1
    for seq, entry_id, stored, *entry in links:
        if seq != expected_seq:
            problems.append(f"The audit chain lacks link(s) {expected_seq} to {seq - 1}: "
                            "entries were removed from it.")
        expected_seq = seq + 1
        if entry[0] is None:
            problems.append(f"Audit entry {entry_id} (link {seq} of the chain) is gone.")
        elif audit.chain_hash(previous, *entry) != stored:
            problems.append(f"Audit entry {entry_id} (link {seq} of the chain) was altered, "
                            "or the chain was changed before it.")
        previous = stored
    outside = session.scalars(
        select(AuditEntry.id)
        .where(~select(AuditLink.seq).where(AuditLink.entry_id == AuditEntry.id).exists(),
               ~select(AuditQueue.entry_id).where(AuditQueue.entry_id == AuditEntry.id)
               .exists())
        .order_by(AuditEntry.id)
    )
    problems += [f"Audit entry {entry_id} is in neither the chain nor its queue: it was written "
                 "behind the database's back." for entry_id in outside]
    return problems


def movements_audited(session: Session, tz: tzinfo) -> list[str]:
    """Every movement has its audit entry, and the entry says what the movement is. The
    moments are read as plain ``DateTime`` values (naive in UTC on SQLite) and compared as
    moments only where they differ so."""
    entry = aliased(AuditEntry)
    concerns = literal("movement:") + cast(Movement.id, String)
    rows = statement_checks.stream(session, (
        select(Movement.id, Movement.kind, Movement.qty, Movement.unit_price,
               _plain(Movement.at), Movement.reverses_id, entry.detail,
               _plain(entry.at).label("entry_at"))
        .outerjoin(entry, entry.record == concerns)
        .order_by(Movement.id)))
    problems = []
    for mid, kind, qty, price, at, reverses, detail, entry_at in rows:
        if detail is None:
            problems.append(f"Movement {mid} has no audit entry.")
            continue
        try:
            said = json.loads(detail)
        except ValueError:
            problems.append(f"The audit entry of movement {mid} is damaged: it is no JSON.")
            continue
        recorded = (said.get("kind"), said.get("qty"), said.get("unit_price"),
                    said.get("reverses"))
        if recorded != (kind, qty, price, reverses) or (
                entry_at != at and _aware(entry_at) != _aware(at)):
            problems.append(f"Movement {mid} is not what its audit entry recorded "
                            f"({kind} {qty:+d}, not {said.get('kind')} {said.get('qty')}).")
    return problems


def _plain(moment):
    """A ``Moment`` column read as a plain ``DateTime``: on SQLite naive, in UTC, without
    the conversion of each value to an aware one."""
    return type_coerce(moment, DateTime())


def _aware(moment: datetime | None) -> datetime | None:
    """A moment as ``Moment`` reads it: aware, a naive one taken to be in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


# ---- numbers ----------------------------------------------------------------------------------

def numbers_without_gaps(session: Session, tz: tzinfo) -> list[str]:
    """Statement numbers run from ST-000001 without a gap; so do each series of notes
    (PL-2020-00001, …); and every counter stands at the highest number in use: behind it,
    a number would be given twice; ahead of it, numbers were given out and are gone."""
    counters = dict(session.execute(select(Counter.name, Counter.value)).all())
    issued = [int(number[3:]) for number in session.scalars(
        select(Statement.number).where(Statement.number.is_not(None)))]
    problems = _series("statement numbers", "The statement counter", "ST-{:06d}", issued,
                       counters.get("statement", 0))
    series: dict[str, list[int]] = defaultdict(list)
    for number in session.scalars(select(Note.number)):
        prefix, _, value = number.rpartition("-")
        series[prefix].append(int(value))
    for name in counters:
        if name != "statement":
            series.setdefault(name, [])
    for prefix, values in sorted(series.items()):
        problems += _series(f"note numbers {prefix}", f"The counter of {prefix}",
                            prefix + "-{:05d}", values, counters.get(prefix, 0))
    return problems


def _series(what: str, counter: str, form: str, values: list[int], at: int) -> list[str]:
    highest = max(values, default=0)
    problems = _gaps(what, form, values)
    if at < highest:
        problems.append(f"{counter} is at {at}, behind {form.format(highest)}, the highest "
                        "number in use.")
    elif at > highest:
        gone = ", ".join(form.format(n) for n in range(highest + 1, min(at, highest + 10) + 1))
        more = f" and {at - highest - 10} more" if at - highest > 10 else ""
        problems.append(f"{counter} is at {at}, ahead of the highest number in use: {gone}"
                        f"{more} were given out and are gone.")
    return problems


def references_intact(session: Session, tz: tzinfo) -> list[str]:
    """Every reference between records leads to a record (a movement's note, a statement
    line's movement, …): what the database's own foreign keys guarantee, checked again
    for a database whose keys were switched off."""
    from consign.models import Base

    problems = []
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_key_constraints:
            column, target = key.elements[0].parent, key.elements[0].column
            referred = target.table.alias()
            dangling = session.scalar(
                select(func.count()).select_from(table)
                .outerjoin(referred, referred.c[target.name] == column)
                .where(column.is_not(None), referred.c[target.name].is_(None)))
            if dangling:
                problems.append(f"{dangling} row(s) of {table.name} refer to a {target.table.name} "
                                f"row that is not there ({column.name}).")
    return problems


def _gaps(what: str, form: str, values: list[int]) -> list[str]:
    missing = sorted(set(range(1, max(values, default=0) + 1)) - set(values))
    if not missing:
        return []
    shown_missing = ", ".join(form.format(n) for n in missing[:10])
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return [f"The {what} have a gap: {shown_missing}{more} missing."]


LEDGER_CHECKS: list[Check] = [
    stored_stock_matches_movements,
    stock_never_negative,
    stock_never_negative_as_settled,
    reversals_are_sound,
    movements_count_at_their_time,
    movements_have_their_sign,
    placed_units_accounted_for,
    movements_audited,
]

CHECKS: list[Check] = [
    *LEDGER_CHECKS,
    *statement_checks.CHECKS,
    numbers_without_gaps,
    references_intact,
    audit_chain_intact,
]

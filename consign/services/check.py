"""``consign check``: every invariant that can be recomputed from the database.

Each check is a function ``(session, tz) -> list`` that returns *all* the problems it
finds, each a finished sentence (a ``Message``, so that it can be said in Indonesian or
English; a plain string is taken as it is); an empty list means the invariant holds.
``CHECKS`` lists them in the order they run; more can be appended (statements add theirs).
``run`` gives the problems as text, in the language it is asked for.
"""

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from itertools import chain

from sqlalchemy import DateTime, String, cast, func, literal, select, tuple_, type_coerce
from sqlalchemy.orm import Session, aliased

from consign.context import Context
from consign.i18n import Message, msg
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

Check = Callable[[Session, tzinfo], list[Message | str]]
TAKE_AWAY = ("sold", "returned", "lost", "damaged")


def run(session: Session, tz: tzinfo, checks: list[Check] | None = None, *,
        ctx: Context | None = None, lang: str | None = None) -> list[str]:
    """The problems found by every check, in order, each in ``lang`` (else the default
    language, ``consign.i18n``). A check that cannot even read what it checks (a value
    consign never wrote) says so, and the others still run. For the administrator alone."""
    return [as_text(problem, lang) for problem in problems(session, tz, checks, ctx=ctx)]


def as_text(problem: Message | str, lang: str | None = None) -> str:
    """A problem as text in ``lang``: a ``Message`` rendered, a plain string as it is."""
    return problem.text(lang) if isinstance(problem, Message) else problem


def problems(session: Session, tz: tzinfo, checks: list[Check] | None = None, *,
             ctx: Context | None = None) -> list[Message | str]:
    """The problems found by every check, in order, not yet rendered (see ``run``)."""
    access.require(session, ctx, "admin")
    problems = []
    for check in CHECKS if checks is None else checks:
        try:
            with session.begin_nested():
                problems += check(session, tz)
        except (ValueError, TypeError, OverflowError, KeyError) as error:
            problems.append(msg(
                "Check '{check}' could not read the database: it holds a value consign did "
                "not write ({error}: {why}).", check=check.__name__,
                error=type(error).__name__, why=str(error)[:120]))
    return problems


class _Names:
    """``BTK-001 at ATRIA`` for a (hotel id, product id) pair."""

    def __init__(self, session: Session):
        self.hotels = dict(session.execute(select(Hotel.id, Hotel.code)).all())
        self.skus = dict(session.execute(select(Product.id, Product.sku)).all())

    def __call__(self, pair: tuple[int, int]) -> Message:
        return msg("{sku} at {hotel}", sku=self.skus[pair[1]], hotel=self.hotels[pair[0]])


def _stored(session: Session) -> dict[tuple[int, int], int]:
    rows = session.execute(select(Stock.hotel_id, Stock.product_id, Stock.on_hand))
    return {(hotel_id, product_id): on_hand for hotel_id, product_id, on_hand in rows}


def stored_stock_matches_movements(session: Session, tz: tzinfo) -> list[Message]:
    """The running stock kept for speed equals the sum of the movements of each pair."""
    summed = session.execute(
        select(Movement.hotel_id, Movement.product_id, func.sum(Movement.qty))
        .group_by(Movement.hotel_id, Movement.product_id)
    )
    sums = {(hotel_id, product_id): units for hotel_id, product_id, units in summed}
    stored, name = _stored(session), _Names(session)
    return [
        msg("Stock of {pair} is stored as {stored} but its movements add up to {summed}.",
            pair=name(pair), stored=stored.get(pair, 0), summed=sums.get(pair, 0))
        for pair in sorted(set(sums) | set(stored))
        if stored.get(pair, 0) != sums.get(pair, 0)
    ]


def stock_never_negative(session: Session, tz: tzinfo) -> list[Message]:
    """No pair has fewer than zero units at any moment (movements of one moment together)."""
    name = _Names(session)
    return [msg("Stock of {pair} goes below zero ({units}) at {at}.", pair=name(pair),
                units=units, at=shown(at, tz))
            for pair, at, units in _first_below_zero(session, Movement.at)]


def stock_never_negative_as_settled(session: Session, tz: tzinfo) -> list[Message]:
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
    name = _Names(session)
    return [
        msg("Stock of {pair} goes below zero ({units}) at {at} as settled, a void that "
            "cancels its movement counted at that movement's time.", pair=name(pair),
            units=units, at=shown(at, tz))
        for pair, at, units in settled if (pair, at, units) not in found
    ]


def _first_below_zero(session: Session, at, pairs=None):
    """``(pair, moment, units)`` of the first moment each pair (of those ``pairs``
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
    return [(pair, moment, units) for pair, (moment, units) in sorted(first.items())]


def reversals_are_sound(session: Session, tz: tzinfo) -> list[Message]:
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
        msg("Movement {id} is reversed more than once (by {ids}).", id=target_id,
            ids=", ".join(map(str, ids)))
        for target_id, ids in sorted(seen.items())
        if len(ids) > 1
    )
    return problems


def _reversal_problems(reversal: Movement, target: Movement | None,
                       tz: tzinfo) -> list[Message]:
    mid = reversal.id
    if reversal.kind != "reversal":
        return [msg("Movement {id} ({kind}) names movement {reverses} as reversed but is not "
                    "a reversal.", id=mid, kind=reversal.kind, reverses=reversal.reverses_id)]
    if target is None:
        return [msg("Movement {id} is a reversal that names no movement.", id=mid)]
    problems = []
    if (reversal.hotel_id, reversal.product_id, reversal.qty) != (
        target.hotel_id, target.product_id, -target.qty
    ):
        problems.append(msg("Movement {id} does not mirror movement {target} ({qty} against "
                            "{target_qty}).", id=mid, target=target.id,
                            qty=f"{reversal.qty:+d}", target_qty=f"{target.qty:+d}"))
    if reversal.at < target.at:
        problems.append(msg("Movement {id} is dated {at}, before movement {target} that it "
                            "reverses ({target_at}).", id=mid, at=shown(reversal.at, tz),
                            target=target.id, target_at=shown(target.at, tz)))
    counts_at = target.counts_at if reversal.cancels else reversal.at
    if reversal.counts_at != counts_at:
        problems.append(msg("Movement {id} counts at {at} in settlement, not at {expected}.",
                            id=mid, at=shown(reversal.counts_at, tz),
                            expected=shown(counts_at, tz)))
    root = target.root_id if target.kind == "reversal" else target.id
    if reversal.root_id != root:
        problems.append(msg("Movement {id} names movement {root} as the start of its chain of "
                            "voids, not movement {expected}.", id=mid, root=reversal.root_id,
                            expected=root))
    return problems


def movements_count_at_their_time(session: Session, tz: tzinfo) -> list[Message]:
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
        mid, kind = movement.id, movement.kind
        if movement.counts_at != movement.at:
            problems.append(msg("Movement {id} ({kind}) counts at {at} in settlement, not at "
                                "its own moment {own}.", id=mid, kind=kind,
                                at=shown(movement.counts_at, tz), own=shown(movement.at, tz)))
        if movement.root_id is not None:
            problems.append(msg("Movement {id} ({kind}) names movement {root} as the start of "
                                "a chain of voids, but is not a reversal.", id=mid, kind=kind,
                                root=movement.root_id))
    return problems


def movements_have_their_sign(session: Session, tz: tzinfo) -> list[Message]:
    """Placements add units; sales, returns and write-offs take them away."""
    wrong = session.scalars(
        select(Movement)
        .where(((Movement.kind == "placed") & (Movement.qty < 0))
               | (Movement.kind.in_(TAKE_AWAY) & (Movement.qty > 0)))
        .order_by(Movement.id)
    )
    return [_wrong_sign(movement) for movement in wrong]


def _wrong_sign(movement: Movement) -> Message:
    values = {"id": movement.id, "kind": movement.kind, "units": abs(movement.qty)}
    if movement.qty < 0:
        return (msg("Movement {id} ({kind}) takes away {units} unit.", **values)
                if abs(movement.qty) == 1 else
                msg("Movement {id} ({kind}) takes away {units} units.", **values))
    return (msg("Movement {id} ({kind}) adds {units} unit.", **values) if movement.qty == 1
            else msg("Movement {id} ({kind}) adds {units} units.", **values))


def placed_units_accounted_for(session: Session, tz: tzinfo) -> list[Message]:
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
            problems.append(msg(
                "{pair}: {placed} placed, but {on_hand} on hand + {sold} sold + {returned} "
                "returned + {lost} lost or damaged{counts} = {total}.",
                pair=name(pair), placed=placed, on_hand=on_hand, sold=sold, returned=returned,
                lost=lost, counts=_counts_term(counted),
                total=on_hand + sold + returned + lost - counted))
    return problems


def _counts_term(counted: int):
    """The count differences' term of that sum: the units counts found over what the books
    said come off it, those they found short go on it; none, no term."""
    if counted > 0:
        return msg(" − {units} found over in counts", units=counted)
    if counted < 0:
        return msg(" + {units} found short in counts", units=-counted)
    return ""


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

def audit_chain_intact(session: Session, tz: tzinfo) -> list[Message]:
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
            problems.append(msg("The audit chain lacks link(s) {first} to {last}: entries "
                                "were removed from it.", first=expected_seq, last=seq - 1))
        expected_seq = seq + 1
        if entry[0] is None:
            problems.append(msg("Audit entry {id} (link {seq} of the chain) is gone.",
                                id=entry_id, seq=seq))
        elif audit.chain_hash(previous, *entry) != stored:
            problems.append(msg("Audit entry {id} (link {seq} of the chain) was altered, or "
                                "the chain was changed before it.", id=entry_id, seq=seq))
        previous = stored
    outside = session.scalars(
        select(AuditEntry.id)
        .where(~select(AuditLink.seq).where(AuditLink.entry_id == AuditEntry.id).exists(),
               ~select(AuditQueue.entry_id).where(AuditQueue.entry_id == AuditEntry.id)
               .exists())
        .order_by(AuditEntry.id)
    )
    problems += [msg("Audit entry {id} is in neither the chain nor its queue: it was written "
                     "behind the database's back.", id=entry_id) for entry_id in outside]
    return problems


def movements_audited(session: Session, tz: tzinfo) -> list[Message]:
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
            problems.append(msg("Movement {id} has no audit entry.", id=mid))
            continue
        try:
            said = json.loads(detail)
        except ValueError:
            problems.append(msg("The audit entry of movement {id} is damaged: it is no JSON.",
                                id=mid))
            continue
        recorded = (said.get("kind"), said.get("qty"), said.get("unit_price"),
                    said.get("reverses"))
        if recorded != (kind, qty, price, reverses) or (
                entry_at != at and _aware(entry_at) != _aware(at)):
            problems.append(msg("Movement {id} is not what its audit entry recorded ({kind} "
                                "{qty}, not {entry_kind} {entry_qty}).", id=mid, kind=kind,
                                qty=f"{qty:+d}", entry_kind=said.get("kind"),
                                entry_qty=said.get("qty")))
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

def numbers_without_gaps(session: Session, tz: tzinfo) -> list[Message]:
    """Statement numbers run from ST-000001 without a gap; so do each series of notes
    (PL-2020-00001, …); and every counter stands at the highest number in use: behind it,
    a number would be given twice; ahead of it, numbers were given out and are gone."""
    counters = dict(session.execute(select(Counter.name, Counter.value)).all())
    issued = [int(number[3:]) for number in session.scalars(
        select(Statement.number).where(Statement.number.is_not(None)))]
    problems = _series(msg("The statement numbers"), msg("The statement counter"),
                       "ST-{:06d}", issued, counters.get("statement", 0))
    series: dict[str, list[int]] = defaultdict(list)
    for number in session.scalars(select(Note.number)):
        prefix, _, value = number.rpartition("-")
        series[prefix].append(int(value))
    for name in counters:
        if name != "statement":
            series.setdefault(name, [])
    for prefix, values in sorted(series.items()):
        problems += _series(msg("The note numbers {prefix}", prefix=prefix),
                            msg("The counter of {prefix}", prefix=prefix),
                            prefix + "-{:05d}", values, counters.get(prefix, 0))
    return problems


def _series(what: Message, counter: Message, form: str, values: list[int],
            at: int) -> list[Message]:
    """The problems of one series of numbers: ``what`` names its numbers ("The statement
    numbers"), ``counter`` its counter, each a phrase that opens a sentence."""
    highest = max(values, default=0)
    problems = _gaps(what, form, values)
    if at < highest:
        problems.append(msg("{counter} is at {at}, behind {highest}, the highest number in "
                            "use.", counter=counter, at=at, highest=form.format(highest)))
    elif at > highest:
        gone = ", ".join(form.format(n) for n in range(highest + 1, min(at, highest + 10) + 1))
        if at - highest > 10:
            problems.append(msg("{counter} is at {at}, ahead of the highest number in use: "
                                "{gone} and {more} more were given out and are gone.",
                                counter=counter, at=at, gone=gone, more=at - highest - 10))
        else:
            problems.append(msg("{counter} is at {at}, ahead of the highest number in use: "
                                "{gone} were given out and are gone.", counter=counter, at=at,
                                gone=gone))
    return problems


def references_intact(session: Session, tz: tzinfo) -> list[Message]:
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
                problems.append(msg("{count} row(s) of {table} refer to a {target} row that is "
                                    "not there ({column}).", count=dangling, table=table.name,
                                    target=target.table.name, column=column.name))
    return problems


def _gaps(what: Message, form: str, values: list[int]) -> list[Message]:
    missing = sorted(set(range(1, max(values, default=0) + 1)) - set(values))
    if not missing:
        return []
    shown_missing = ", ".join(form.format(n) for n in missing[:10])
    if len(missing) > 10:
        return [msg("{what} have a gap: {missing} and {more} more missing.", what=what,
                    missing=shown_missing, more=len(missing) - 10)]
    return [msg("{what} have a gap: {missing} missing.", what=what, missing=shown_missing)]


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

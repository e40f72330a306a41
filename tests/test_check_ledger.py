"""``consign check`` on the ledger: it finds every broken invariant, each in one sentence."""

import pytest
from sqlalchemy import text

from consign.models import Movement
from consign.services import audit, check
from tests.ledger_support import WIB, wib

# the ledger tests' fixtures


@pytest.fixture
def stocked(book, shop):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 5, None)], at=wib("2020-10-01 09:00"))
    book.sell("ATRIA", "BTK-001", 2, at=wib("2020-10-05 14:30"))
    return book


def problems(db) -> list[str]:
    with db.transaction() as session:  # check may extend the audit chain: it writes
        return check.run(session, WIB, check.LEDGER_CHECKS)


def append(db, ctx, audited=True, **values) -> int:
    """A movement written behind the services' back (as a bug or a hand edit would); with
    ``audited``, together with the audit entry a service writes for it, so that only the
    ledger's own invariants are in question."""
    values.setdefault("hotel_id", 1)
    values.setdefault("product_id", 1)
    values.setdefault("at", wib("2020-10-06 09:00"))
    with db.transaction() as session:
        target = session.get(Movement, values["reverses_id"]) if values.get("reverses_id") else None
        if target is not None and values.get("kind") == "reversal":  # as a service would
            values.setdefault("root_id", target.root_id or target.id)
            values.setdefault("counts_at", target.counts_at if values.get("cancels")
                              else values["at"])
        values.setdefault("counts_at", values["at"])
        movement = Movement(recorded_at=ctx.now, actor="someone", **values)
        session.add(movement)
        session.flush()
        if audited:
            detail = audit.movement_detail(
                movement.kind, movement.hotel.code, movement.product.consignor.code,
                movement.product.sku, movement.qty, movement.unit_price,
                reason=movement.reason, liable=movement.liable,
                reverses=movement.reverses_id)
            audit.record_many(session, [audit.movement_entry(ctx, movement.id, movement.at,
                                                             detail)])
        return movement.id


def set_stock(db, on_hand: int) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE stock SET on_hand = :n"), {"n": on_hand})


def test_a_sound_ledger_has_no_problems(stocked, db):
    stocked.void(2, "rang up twice")
    assert problems(db) == []


def test_a_movement_without_its_audit_entry_or_unlike_it_is_found(stocked, db, ctx):
    append(db, ctx, audited=False, kind="placed", qty=1, unit_price=150_000)  # 3
    with db.transaction() as session:  # an entry that says another movement than 4 is
        audit.record(session, ctx, "placed", "movement:4", at=wib("2020-10-06 09:00"),
                     **audit.movement_detail("placed", "ATRIA", "IKM-0001", "BTK-001", 9,
                                             150_000))
    append(db, ctx, audited=False, kind="placed", qty=2, unit_price=150_000)  # 4
    set_stock(db, 6)
    assert problems(db) == [
        "Movement 3 has no audit entry.",
        "Movement 4 is not what its audit entry recorded (placed +2, not placed 9).",
    ]


def test_a_stored_stock_that_differs_from_its_movements_is_found(stocked, db):
    set_stock(db, 7)
    assert problems(db) == [
        "Stock of BTK-001 at ATRIA is stored as 7 but its movements add up to 3.",
        "BTK-001 at ATRIA: 5 placed, but 7 on hand + 2 sold + 0 returned + 0 lost or damaged "
        "= 9.",
    ]


def test_a_moment_with_less_than_nothing_on_hand_is_found(stocked, db, ctx):
    append(db, ctx, kind="sold", qty=-1, unit_price=150_000, at=wib("2020-09-30 10:00"))
    set_stock(db, 2)
    assert problems(db) == [
        "Stock of BTK-001 at ATRIA goes below zero (-1) at 2020-09-30 10:00."]


def test_unsound_reversals_are_found(stocked, db, ctx):
    append(db, ctx, kind="reversal", qty=2, reverses_id=2, reason="void")      # 3: sound
    append(db, ctx, kind="reversal", qty=-2, reverses_id=3, reason="undo",     # 4: of a reversal,
           root_id=3)                                                            # its chain wrong
    append(db, ctx, kind="reversal", qty=1, reason="void")                     # 5: names none
    append(db, ctx, kind="sold", qty=-1, unit_price=150_000, reverses_id=1)    # 6: not a reversal
    set_stock(db, 3)
    found = problems(db)
    assert found[:4] == [
        "Movement 4 names movement 3 as the start of its chain of voids, not movement 2.",
        "Movement 5 is a reversal that names no movement.",
        "Movement 6 (sold) names movement 1 as reversed but is not a reversal.",
        "BTK-001 at ATRIA: 5 placed, but 3 on hand + 1 sold + 0 returned + 0 lost or damaged "
        "= 4.",
    ]
    assert len(found) == 4


def test_a_reversal_that_does_not_mirror_or_comes_first_is_found(stocked, db, ctx):
    append(db, ctx, kind="reversal", qty=1, reverses_id=2, reason="void",
           at=wib("2020-10-05 09:00"))
    set_stock(db, 4)
    assert problems(db) == [
        "Movement 3 does not mirror movement 2 (+1 against -2).",
        "Movement 3 is dated 2020-10-05 09:00, before movement 2 that it reverses "
        "(2020-10-05 14:30).",
    ]


def test_a_movement_with_the_wrong_sign_is_found(stocked, db, ctx):
    append(db, ctx, kind="sold", qty=1, unit_price=150_000)
    append(db, ctx, kind="placed", qty=-3, unit_price=150_000)
    set_stock(db, 1)
    assert problems(db) == [
        "Movement 3 (sold) adds 1 unit.",
        "Movement 4 (placed) takes away 3 units.",
    ]


def test_stock_that_goes_below_zero_only_as_settled_is_found(book, shop, db, ctx):
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-10-02 00:00"))
    book.sell("ATRIA", "BTK-001", 3, at=wib("2020-10-05 00:00"))
    book.place("ATRIA", "IKM-0001", [("BTK-001", 3, None)], at=wib("2020-11-02 00:00"))
    # a void of the first placement, recorded while October is open: it cancels it there
    append(db, ctx, kind="reversal", qty=-3, reverses_id=1, cancels=True, reason="void",
           at=wib("2020-11-03 09:00"))
    set_stock(db, 0)
    assert problems(db) == [
        "Stock of BTK-001 at ATRIA goes below zero (-3) at 2020-10-05 00:00 as settled, a void "
        "that cancels its movement counted at that movement's time."]


@pytest.mark.parametrize(("found", "term", "total"), [
    (2, "− 2 found over in counts", 7), (-2, "+ 2 found short in counts", 11)])
def test_the_sum_of_a_shelf_that_does_not_add_up_says_its_count_differences_in_words(
        stocked, db, ctx, found, term, total):
    append(db, ctx, kind="counted", qty=found)
    set_stock(db, 7)
    assert problems(db)[-1] == (
        f"BTK-001 at ATRIA: 5 placed, but 7 on hand + 2 sold + 0 returned + 0 lost or damaged "
        f"{term} = {total}.")


def test_the_count_differences_term_is_said_in_indonesian(stocked, db, ctx):
    append(db, ctx, kind="counted", qty=-2)
    set_stock(db, 7)
    with db.transaction() as session:
        found = check.run(session, WIB, check.LEDGER_CHECKS, lang="id")
    assert found[-1] == ("BTK-001 di ATRIA: 5 dititipkan, tetapi 7 di rak + 2 terjual + 0 "
                         "diretur + 0 hilang atau rusak + 2 kurang saat dihitung = 11.")

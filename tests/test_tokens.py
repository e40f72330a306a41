"""The hotels' point-of-sale API tokens (SPEC section 6): ``token create|list|revoke``, for
the administrator alone; a token is random, shown once, kept only as its SHA-256, and
refused once revoked; ``authenticate`` says which hotel a token acts for."""

import base64
import hashlib
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from consign.cli import main
from consign.context import Context
from consign.errors import Forbidden, Inactive, InvalidInput, NotFound
from consign.models import AuditEntry, Base
from consign.models.users import ApiToken
from consign.policy import Role
from consign.services import registry, tokens, users
from tests.conftest import NOW


@pytest.fixture
def hotels(make_hotel):
    make_hotel("ATRIA")
    make_hotel("TUGU", name="Hotel Tugu Malang")


def make(db, ctx, hotel="ATRIA", label=""):
    with db.transaction() as session:
        return tokens.create(session, ctx, hotel, label)


def holder(db, plain, now=NOW):
    with db.transaction() as session:
        return tokens.authenticate(session, plain, now)


def stored(db, token_id) -> ApiToken:
    with db.transaction(readonly=True) as session:
        return session.get(ApiToken, token_id)


def everything_stored(db) -> str:
    """Every value of every row of every table, as text."""
    parts = []
    with db.transaction(readonly=True) as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def counts(db) -> tuple[int, int]:
    with db.transaction(readonly=True) as session:
        return (session.scalar(select(func.count()).select_from(ApiToken)),
                session.scalar(select(func.count()).select_from(AuditEntry)))


def test_a_new_token_authenticates_as_its_hotel_and_only_its_digest_is_kept(db, ctx, hotels):
    record, plain = make(db, ctx, "atria", label="Kasir lobi")
    assert (record.hotel, record.label, record.created_by) == ("ATRIA", "Kasir lobi", "tester")
    assert record.created_at == NOW and record.last_used_at is None and not record.revoked
    found = holder(db, plain)
    assert (found.token_id, found.hotel, found.label) == (record.id, "ATRIA", "Kasir lobi")
    assert stored(db, record.id).digest == hashlib.sha256(plain.encode()).hexdigest()
    dump = everything_stored(db)
    assert plain not in dump and plain.removeprefix(tokens.PREFIX) not in dump
    assert holder(db, plain + "x") is None and holder(db, plain.upper()) is None


def test_a_token_holds_256_random_bits_and_no_two_are_alike(db, ctx, hotels):
    made = {make(db, ctx)[1] for _ in range(5)}
    assert len(made) == 5
    for plain in made:
        assert plain.startswith(tokens.PREFIX)
        random = plain.removeprefix(tokens.PREFIX)
        assert len(base64.urlsafe_b64decode(random + "=" * (-len(random) % 4))) == 32


def test_a_revoked_token_is_refused_and_cannot_be_revoked_twice(db, ctx, hotels):
    record, plain = make(db, ctx)
    _other, kept = make(db, ctx, "TUGU")
    with db.transaction() as session:
        revoked = tokens.revoke(session, ctx, record.id)
    assert revoked.revoked and revoked.revoked_at == NOW
    assert holder(db, plain) is None
    assert holder(db, kept).hotel == "TUGU"  # the other token holds
    with pytest.raises(Inactive) as refused, db.transaction() as session:
        tokens.revoke(session, ctx, record.id)
    assert str(refused.value) == f"API token {record.id} is already revoked."
    with pytest.raises(NotFound) as unknown, db.transaction() as session:
        tokens.revoke(session, ctx, 999)
    assert str(unknown.value) == "No API token with id 999."


def test_last_used_is_noted_when_a_token_authenticates_to_the_minute(db, ctx, hotels):
    record, plain = make(db, ctx)
    assert stored(db, record.id).last_used_at is None
    holder(db, plain, NOW + timedelta(hours=1))
    assert stored(db, record.id).last_used_at == NOW + timedelta(hours=1)
    holder(db, plain, NOW + timedelta(hours=1, seconds=30))  # within the minute: not written
    assert stored(db, record.id).last_used_at == NOW + timedelta(hours=1)
    holder(db, plain, NOW + timedelta(hours=1, minutes=2))
    with db.transaction(readonly=True) as session:
        listed = tokens.list(session, ctx)
    assert [(r.id, r.last_used_at) for r in listed] == [(record.id,
                                                          NOW + timedelta(hours=1, minutes=2))]


def test_what_is_not_a_token_authenticates_nobody(db, ctx, hotels):
    make(db, ctx)
    for given in ("", None, 42, "x" * 201, "consign_", "Bearer"):
        assert holder(db, given) is None


def test_tokens_are_listed_by_hotel_with_who_made_them_and_whether_revoked(db, ctx, hotels):
    first, _ = make(db, ctx, "ATRIA", "lobi")
    second, _ = make(db, ctx, "TUGU", "restoran")
    third, _ = make(db, ctx, "ATRIA", "spa")
    with db.transaction() as session:
        tokens.revoke(session, ctx, first.id)
    with db.transaction(readonly=True) as session:
        atria = tokens.list(session, ctx, hotel="atria")
        every = tokens.list(session, ctx)
    assert [(r.id, r.label, r.revoked) for r in atria] == [(first.id, "lobi", True),
                                                           (third.id, "spa", False)]
    assert [r.id for r in every] == [first.id, second.id, third.id]
    with pytest.raises(NotFound), db.transaction(readonly=True) as session:
        tokens.list(session, ctx, hotel="NOWHERE")


def test_each_change_is_in_the_audit_log_without_the_token(db, ctx, hotels):
    record, plain = make(db, ctx, label="lobi")
    with db.transaction() as session:
        tokens.revoke(session, ctx, record.id)
    with db.transaction(readonly=True) as session:
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.record == f"token:{record.id}").order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor, json.loads(e.detail)) for e in entries] == [
        ("token.create", "tester", {"hotel": "ATRIA", "label": "lobi"}),
        ("token.revoke", "tester", {"hotel": "ATRIA", "label": "lobi"})]
    digest = stored(db, record.id).digest
    assert all(digest not in e.detail and plain not in e.detail for e in entries)


@pytest.mark.parametrize("role", [Role("auditor"), Role("hotel", "ATRIA"),
                                  Role("consignor", "IKM-0001")])
def test_only_the_administrator_makes_lists_or_revokes_tokens(db, ctx, hotels, role):
    record, _ = make(db, ctx)
    other = Context.make("someone", now=NOW, role=role)
    before = counts(db)
    for attempt in (lambda s: tokens.create(s, other, "ATRIA"), lambda s: tokens.list(s, other),
                    lambda s: tokens.revoke(s, other, record.id)):
        with pytest.raises(Forbidden), db.transaction() as session:
            attempt(session)
    assert counts(db) == before and not stored(db, record.id).revoked_at


def test_a_token_is_made_only_for_an_active_hotel_with_a_label_within_bounds(db, ctx, hotels):
    with pytest.raises(NotFound), db.transaction() as session:
        tokens.create(session, ctx, "NOWHERE")
    with db.transaction() as session:
        registry.deactivate(session, ctx, "hotel", "TUGU")
    with pytest.raises(Inactive), db.transaction() as session:
        tokens.create(session, ctx, "TUGU")
    with pytest.raises(InvalidInput) as long, db.transaction() as session:
        tokens.create(session, ctx, "ATRIA", "x" * 121)
    assert long.value.field == "label"
    assert counts(db)[0] == 0


# ---- the command line ------------------------------------------------------------------------

@pytest.fixture
def run(db_url):
    runner = CliRunner()

    def invoke(*args, name="tester"):
        return runner.invoke(main, ["--db", db_url, "--as", name, *map(str, args)],
                             catch_exceptions=False)

    return invoke


def test_token_create_prints_the_token_alone_on_its_last_line_once(run, db, hotels):
    result = run("token", "create", "--hotel", "ATRIA", "--label", "Kasir lobi")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    plain = lines[-1]
    assert plain.startswith(tokens.PREFIX) and " " not in plain
    assert "only this once" in lines[-2]
    assert lines[0].startswith("API token 1 for ATRIA made")
    assert holder(db, plain).hotel == "ATRIA"
    listed = run("token", "list", "--format", "json")
    assert plain not in listed.output
    assert [(r["id"], r["hotel"], r["label"], r["created_by"], r["revoked"])
            for r in json.loads(listed.output)] == [(1, "ATRIA", "Kasir lobi", "tester", False)]
    assert json.loads(listed.output)[0]["last_used_at"] is not None


def test_token_list_and_revoke_at_the_command_line(run, db, ctx, hotels):
    make(db, ctx, "ATRIA", "lobi")
    make(db, ctx, "TUGU", "resto")
    revoked = run("token", "revoke", "1")
    assert revoked.exit_code == 0 and revoked.output == "API token 1 of ATRIA revoked.\n"
    again = run("token", "revoke", "1")
    assert again.exit_code == 1 and "already revoked" in again.output
    listed = run("token", "list", "--hotel", "TUGU", "--format", "csv")
    assert listed.output.splitlines()[0] == ("id,hotel,label,created_at,created_by,"
                                             "last_used_at,revoked,revoked_at")
    assert listed.output.splitlines()[1].startswith("2,TUGU,resto,2020-12-15T12:00:00+07:00,")
    assert len(listed.output.splitlines()) == 2
    table = run("token", "list")
    assert table.exit_code == 0 and "lobi" in table.output and "resto" in table.output
    assert run("token", "revoke", "0").exit_code == 2


def test_token_commands_are_for_the_administrator_alone(run, db, ctx, hotels):
    with db.transaction() as session:
        users.add(session, ctx, "citra", "hotel:ATRIA")
    before = counts(db)
    for args in (("token", "create", "--hotel", "ATRIA"), ("token", "list"),
                 ("token", "revoke", "1")):
        result = run(*args, name="citra")
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ") and "hotel:ATRIA" in result.output
    assert counts(db) == before

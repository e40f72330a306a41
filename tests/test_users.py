"""People and their roles (SPEC section 6): ``user add|list|role|passwd|deactivate``, who a
name is at the command line, and passwords kept only as argon2 hashes."""

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from consign.cli import main
from consign.models import AuditEntry, User
from consign.policy import FULL, Role
from consign.services import users
from tests.boundary_support import fingerprint

PASSWORD = "kopi-luwak-2020"


@pytest.fixture
def run(db_url):
    """``consign --db URL --as NAME ARGS...``; ``input`` is standard input."""
    runner = CliRunner()

    def invoke(name, *args, input=None, env=None):
        return runner.invoke(main, ["--db", db_url, "--as", name, *map(str, args)],
                             input=input, env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def atria(make_hotel, make_consignor):
    make_hotel("ATRIA")
    make_consignor("IKM-0001")


def one_line(result, code: int, said: str) -> None:
    assert result.exit_code == code, result.output
    assert said in result.output, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output


def stored(db, name: str) -> User:
    with db.transaction(readonly=True) as session:
        return session.scalar(select(User).where(User.name == name))


def log(db) -> list[AuditEntry]:
    with db.transaction(readonly=True) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.record.like("user:%"))
                                    .order_by(AuditEntry.id)))


def test_a_user_is_added_with_a_role_and_listed(run, atria, db):
    added = run("ani", "user", "add", "Siti Rahayu", "--role", "hotel:atria", "--format",
                "json")
    assert added.exit_code == 0, added.output
    record = json.loads(added.output)
    assert (record["name"], record["role"], record["active"], record["password_set"]) == (
        "Siti Rahayu", "hotel:ATRIA", True, False)
    run("ani", "user", "add", "Budi", "--role", "auditor")
    listed = json.loads(run("ani", "user", "list", "--format", "json").output)
    assert [(u["name"], u["role"]) for u in listed] == [("Budi", "auditor"),
                                                        ("Siti Rahayu", "hotel:ATRIA")]
    assert run("ani", "user", "list").output.splitlines()[0].split() == [
        "name", "role", "active", "password_set", "created_at"]
    assert [(e.actor, e.action, json.loads(e.detail)) for e in log(db)] == [
        ("ani", "user.add", {"role": "hotel:ATRIA"}), ("ani", "user.add", {"role": "auditor"})]


@pytest.mark.parametrize(("role", "code", "said"), [
    ("owner", 2, "role 'owner' is not one of admin, auditor, hotel:CODE, consignor:CODE"),
    ("hotel", 2, "hotel needs a code"),
    ("auditor:X", 2, "auditor takes no code"),
    ("hotel:BATU", 1, "No hotel with code BATU."),
    ("consignor:IKM-0404", 1, "No IKM with code IKM-0404."),
    ("hotel:AT RIA", 2, "may hold only letters"),
])
def test_a_role_that_is_no_role_or_names_no_registered_code_is_refused(run, atria, db, role,
                                                                        code, said):
    before = fingerprint(db)
    one_line(run("ani", "user", "add", "Siti", "--role", role), code, said)
    assert fingerprint(db) == before


def test_a_name_is_registered_once_whatever_its_case(run, atria, db):
    run("ani", "user", "add", "Siti", "--role", "auditor")
    before = fingerprint(db)
    one_line(run("ani", "user", "add", "SITI", "--role", "admin"), 1,
             "User Siti is already registered.")
    assert fingerprint(db) == before


def test_a_name_typed_in_another_case_is_held_to_the_same_role(run, atria, db):
    run("ani", "user", "add", "Siti", "--role", "hotel:ATRIA")
    before = fingerprint(db)
    one_line(run("siti", "hotel", "add", "BATU", "--name", "Hotel Batu"), 1,
             "As hotel:ATRIA you may not register or change hotels, IKM, products or users.")
    assert fingerprint(db) == before


def test_a_role_is_changed_and_audited_with_the_old_and_the_new_one(run, atria, db):
    run("ani", "user", "add", "Siti", "--role", "hotel:ATRIA")
    version = stored(db, "Siti").session_version
    changed = run("ani", "user", "role", "siti", "consignor:ikm-0001", "--format", "json")
    assert changed.exit_code == 0, changed.output
    assert json.loads(changed.output)["role"] == "consignor:IKM-0001"
    assert stored(db, "Siti").session_version == version + 1
    assert json.loads(log(db)[-1].detail) == {"role": {"old": "hotel:ATRIA",
                                                       "new": "consignor:IKM-0001"}}
    one_line(run("ani", "user", "role", "Nobody", "admin"), 1, "No user named Nobody.")


def test_a_password_is_read_from_standard_input_and_kept_only_as_an_argon2_hash(run, atria,
                                                                                 db):
    run("ani", "user", "add", "Siti", "--role", "hotel:ATRIA")
    done = run("ani", "user", "passwd", "Siti", input=PASSWORD + "\n")
    assert done.exit_code == 0, done.output
    assert done.output == "Password of Siti set.\n"
    user = stored(db, "Siti")
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert user.session_version == 1
    with db.transaction(readonly=True) as session:
        assert users.authenticate(session, "siti", PASSWORD) == (Role("hotel", "ATRIA"), 1)
        assert users.authenticate(session, "Siti", PASSWORD + "x") is None
        assert users.authenticate(session, "Nobody", PASSWORD) is None
    entries = log(db)
    assert (entries[-1].action, entries[-1].detail) == ("user.passwd", "{}")
    every_entry = " ".join(e.detail for e in entries)
    assert PASSWORD not in every_entry and "argon2" not in every_entry


def test_a_password_is_asked_twice_on_a_terminal_until_both_agree(run, atria, db,
                                                                 monkeypatch):
    import sys

    import consign.cli.users as command

    class Terminal:
        def __getattr__(self, name):
            return getattr(sys.stdin, name)

        def isatty(self):
            return True

    class System:
        stdin = Terminal()

    monkeypatch.setattr(command, "sys", System)
    run("ani", "user", "add", "Siti", "--role", "auditor")
    done = run("ani", "user", "passwd", "Siti",
               input=f"{PASSWORD}\nsomething-else\n{PASSWORD}\n{PASSWORD}\n")
    assert done.exit_code == 0, done.output
    assert "The two entered values do not match." in done.output
    with db.transaction(readonly=True) as session:
        assert users.authenticate(session, "Siti", PASSWORD) is not None


def test_a_short_password_is_malformed_input_and_sets_nothing(run, atria, db):
    run("ani", "user", "add", "Siti", "--role", "auditor")
    before = fingerprint(db)
    one_line(run("ani", "user", "passwd", "Siti", input="pendek\n"), 2,
             "the password is too short: at least 10 characters")
    assert fingerprint(db) == before


def test_a_password_longer_than_a_kilobyte_is_malformed_input(run, atria):
    run("ani", "user", "add", "Siti", "--role", "auditor")
    one_line(run("ani", "user", "passwd", "Siti", input="x" * 1025 + "\n"), 2,
             "the password is longer than 1024 characters")


def test_a_password_is_never_taken_from_an_argument(run, atria):
    run("ani", "user", "add", "Siti", "--role", "auditor")
    result = run("ani", "user", "passwd", "Siti", PASSWORD, input=PASSWORD + "\n")
    assert result.exit_code == 2
    assert "unexpected extra argument" in result.output.lower()


def test_the_password_of_someone_not_registered_is_not_asked_for(run, atria):
    one_line(run("ani", "user", "passwd", "Nobody", input=PASSWORD + "\n"), 1,
             "No user named Nobody.")


def test_a_deactivated_user_is_refused_everything_and_nothing_is_written(run, atria, db):
    run("ani", "user", "add", "Ani", "--role", "admin")
    run("ani", "user", "add", "Siti", "--role", "admin")
    done = run("ani", "user", "deactivate", "Siti", "--format", "json")
    assert done.exit_code == 0 and json.loads(done.output)["active"] is False
    assert stored(db, "Siti").session_version == 1
    before = fingerprint(db)
    for args in (["hotel", "list"], ["hotel", "add", "BATU", "--name", "Hotel Batu"],
                 ["terms", "list"], ["user", "list"], ["db", "upgrade"]):
        one_line(run("Siti", *args), 1, "User Siti is deactivated and may do nothing.")
    assert fingerprint(db) == before
    one_line(run("ani", "user", "deactivate", "siti"), 1, "User Siti is already deactivated.")


def test_the_last_active_admin_keeps_the_role_until_another_has_it(run, atria, db):
    """Demoting or deactivating the only active admin would leave the programme with no one
    to manage it from the web app: refused, writing nothing; once another admin is there,
    either is allowed."""
    run("ani", "user", "add", "Siti", "--role", "admin")
    run("ani", "user", "add", "Budi", "--role", "admin")
    assert run("ani", "user", "deactivate", "Budi").exit_code == 0
    before = fingerprint(db)
    said = ("Siti is the last active admin: give another user the admin role first, so that "
            "someone can still manage the programme.")
    one_line(run("Siti", "user", "role", "Siti", "auditor"), 1, said)
    one_line(run("ani", "user", "deactivate", "siti"), 1, said)
    assert fingerprint(db) == before
    run("ani", "user", "add", "Eko", "--role", "admin")
    assert run("Siti", "user", "role", "Siti", "auditor").exit_code == 0
    assert stored(db, "Siti").role == "auditor"
    one_line(run("ani", "user", "role", "Eko", "hotel:ATRIA"), 1,
             "Eko is the last active admin")


def test_user_commands_are_for_the_administrator_alone(run, atria, db):
    run("ani", "user", "add", "Budi", "--role", "auditor")
    run("ani", "user", "add", "Siti", "--role", "hotel:ATRIA")
    before = fingerprint(db)
    for name, args in [("Budi", ["user", "add", "Eko", "--role", "admin"]),
                       ("Budi", ["user", "list"]),
                       ("Siti", ["user", "role", "Siti", "admin"]),
                       ("Siti", ["user", "deactivate", "Budi"])]:
        one_line(run(name, *args), 1,
                 "you may not run the administrator's commands (db, check, demo, user, "
                 "token, serve, statement send).")
    one_line(run("Siti", "user", "passwd", "Siti", input=PASSWORD + "\n"), 1,
             "As hotel:ATRIA you may not run the administrator's commands (db, check, demo, "
             "user, token, serve, statement send).")
    assert fingerprint(db) == before


def test_an_identity_without_a_user_record_acts_with_full_rights(run, atria):
    run("ani", "user", "add", "Budi", "--role", "auditor")
    added = run("someone-else", "hotel", "add", "BATU", "--name", "Hotel Batu")
    assert added.exit_code == 0, added.output


def test_the_identity_comes_from_consign_user_when_no_as_is_given(db_url, atria):
    runner = CliRunner()
    runner.invoke(main, ["--db", db_url, "--as", "ani", "user", "add", "Budi", "--role",
                         "auditor"], catch_exceptions=False)
    result = runner.invoke(main, ["--db", db_url, "hotel", "add", "BATU", "--name", "B"],
                           env={"CONSIGN_USER": "Budi"}, catch_exceptions=False)
    assert result.exit_code == 1
    assert ("As auditor you may not register or change hotels, IKM, products or users."
            in result.output)


def test_identify_says_who_a_name_is(db, atria, ctx):
    with db.transaction() as session:
        users.add(session, ctx, "Siti", "consignor:IKM-0001")
        users.add(session, ctx, "Ani", "admin")
        users.add(session, ctx, "Budi", "admin")
        users.deactivate(session, ctx, "Budi")
    with db.transaction(readonly=True) as session:
        assert users.identify(session, "SITI") == Role("consignor", "IKM-0001")
        assert users.identify(session, "Eko") == FULL
        with pytest.raises(Exception, match="Budi is deactivated"):
            users.identify(session, "budi")


def test_who_acts_is_not_looked_up_in_a_database_that_is_not_there(tmp_path):
    missing = tmp_path / "missing.db"
    one_line(CliRunner().invoke(main, ["--db", missing, "--as", "Siti", "hotel", "list"]), 3,
             f"No consign database at {missing}")
    assert not missing.exists()


@pytest.mark.parametrize("consign_lang", ["en", None])
def test_a_role_that_is_no_role_is_refused_in_the_language_it_is_shown_in(db, atria, ctx,
                                                                           monkeypatch,
                                                                           consign_lang):
    """The web shows a refusal in the request's language, whatever CONSIGN_LANG says."""
    from consign.errors import InvalidInput

    if consign_lang is None:
        monkeypatch.delenv("CONSIGN_LANG", raising=False)
    else:
        monkeypatch.setenv("CONSIGN_LANG", consign_lang)
    before = fingerprint(db)
    refused = {}
    for role in ("owner", "auditor:X"):
        with db.transaction() as session, pytest.raises(InvalidInput) as raised:
            users.add(session, ctx, "Siti", role)
        refused[role] = raised.value
    assert fingerprint(db) == before
    assert {role: error.field for role, error in refused.items()} == {
        "owner": "role", "auditor:X": "role"}
    assert [error.text("id") for error in refused.values()] == [
        "peran 'owner' bukan salah satu dari admin, auditor, hotel:KODE, consignor:KODE",
        "peran 'auditor:X': auditor tidak memakai kode"]
    assert [error.text("en") for error in refused.values()] == [
        "role 'owner' is not one of admin, auditor, hotel:CODE, consignor:CODE",
        "role 'auditor:X': auditor takes no code"]
    assert refused["owner"].text() == refused["owner"].text(consign_lang or "id")

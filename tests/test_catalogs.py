"""consign speaks Indonesian by default and English on request: every sentence made with
``consign.i18n.msg`` has its Indonesian in the catalog (consign/translations), the
compiled catalog is the compilation of the ``.po`` file, and the command line speaks the
language of ``CONSIGN_LANG``."""

import ast
import io
import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from consign import errors, i18n
from consign.i18n import msg

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "consign" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
SPEAKING = ("consign", "reports")  # the packages whose sentences are in the catalog


def _named_msg(function: ast.expr) -> bool:
    """``msg(...)`` or ``i18n.msg(...)``."""
    return (isinstance(function, ast.Name) and function.id == "msg"
            or isinstance(function, ast.Attribute) and function.attr == "msg")


def templates_in_code() -> dict[str, str]:
    """Every ``msg("...")`` template of the code, with where it first appears."""
    found: dict[str, str] = {}
    for package in SPEAKING:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (isinstance(node, ast.Call) and _named_msg(node.func) and node.args
                        and isinstance(node.args[0], ast.Constant)):
                    found.setdefault(node.args[0].value,
                                     f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def the_catalog():
    with PO.open("rb") as po:
        return read_po(po, locale="id")


def placeholders(template: str) -> set[tuple]:
    """The ``{name!conversion:spec}`` fields of a template (a malformed one raises)."""
    return {(name, conversion, spec) for _text, name, spec, conversion
            in string.Formatter().parse(template) if name is not None}


def words_outside_placeholders(template: str) -> str:
    return "".join(text for text, *_rest in string.Formatter().parse(template))


CODE = templates_in_code()


def test_a_sentence_shown_without_a_language_is_in_that_of_consign_lang_else_indonesian(
        monkeypatch):
    assert len(CODE) > 150  # the AST walk finds the sentences (a broken walk finds none)
    assert (i18n.DEFAULT_LANG, i18n.LANGUAGES) == ("id", ("id", "en"))
    refusal = errors.NotFound(msg("No hotel with code {code}.", code="NOPE"))
    monkeypatch.delenv("CONSIGN_LANG")
    assert str(msg("No hotel with code {code}.", code="NOPE")) == (
        "Tidak ada hotel dengan kode NOPE.")
    assert refusal.text() == "Tidak ada hotel dengan kode NOPE."
    for given, shown in (("en", "No hotel with code NOPE."), (" EN ", "No hotel with code NOPE."),
                         ("id", "Tidak ada hotel dengan kode NOPE."),
                         ("xx", "Tidak ada hotel dengan kode NOPE.")):
        monkeypatch.setenv("CONSIGN_LANG", given)
        assert refusal.text() == shown
    assert refusal.text("id") == "Tidak ada hotel dengan kode NOPE."


def test_every_sentence_of_the_code_has_an_indonesian_translation_with_its_placeholders():
    catalog = the_catalog()
    problems = []
    for template, where in CODE.items():
        entry = catalog.get(template)
        if entry is None or not entry.string or not entry.string.strip():
            problems.append(f"{where}: no translation of {template!r}")
        elif entry.fuzzy:
            problems.append(f"{where}: the translation of {template!r} is marked fuzzy")
        elif placeholders(entry.string) != placeholders(template):
            problems.append(f"{where}: {entry.string!r} has placeholders "
                            f"{sorted(placeholders(entry.string))}, not those of "
                            f"{template!r}")
        elif entry.string == template and any(
                char.isalpha() for char in words_outside_placeholders(template)):
            problems.append(f"{where}: {template!r} is left in English")
    assert not problems, "\n".join(problems)


def test_the_catalog_holds_no_sentence_the_code_no_longer_says():
    stale = [entry.id for entry in the_catalog() if entry.id and entry.id not in CODE]
    assert not stale, "run 'make catalog' to drop: " + "; ".join(map(repr, stale))
    assert not the_catalog().obsolete


def test_babel_extraction_with_babel_cfg_finds_every_sentence_of_the_code():
    with (ROOT / "babel.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    extracted = {message for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords={"msg": None})}
    assert extracted == set(templates_in_code())  # both read now: the same files


def test_the_compiled_catalog_is_the_compilation_of_the_po_file():
    compiled = io.BytesIO()
    write_mo(compiled, the_catalog())
    assert MO.read_bytes() == compiled.getvalue(), (
        "messages.mo is not the compilation of messages.po: run 'make catalog'")


def test_a_sentence_is_rendered_in_indonesian_or_english_with_nested_sentences_in_kind():
    refusal = msg("Cannot {what}: only {left} on hand.", left=3,
                  what=msg("sell {qty} × {sku} at {hotel}", qty=5, sku="BTK-001",
                           hotel="ATRIA"))
    assert refusal.text("id") == "Tidak dapat menjual 5 × BTK-001 di ATRIA: stok yang ada hanya 3."
    assert refusal.text("en") == "Cannot sell 5 × BTK-001 at ATRIA: only 3 on hand."
    assert msg("No hotel with code {code}.", code="ATRIA").text("id_ID") == (
        "Tidak ada hotel dengan kode ATRIA.")
    assert msg("a sentence no catalog holds").text("id") == "a sentence no catalog holds"
    with pytest.raises(ValueError, match="'fr'"):
        msg("No hotel with code {code}.", code="ATRIA").text("fr")


def test_the_catalog_read_at_run_time_gives_every_translation_with_its_values_in_it():
    translations = {entry.id: entry.string for entry in the_catalog() if entry.id}
    for template in CODE:
        values = {name: 7 if spec else "x" for name, _conversion, spec in placeholders(template)}
        assert i18n.catalog("id").gettext(template) == translations[template]
        assert msg(template, **values).text("id") == translations[template].format(**values)


def test_the_catalog_is_read_without_importing_babel():
    code = ("import sys\nfrom consign.i18n import msg\n"
            "print(msg('No hotel with code {code}.', code='ATRIA').text('id'))\n"
            "print('babel' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.splitlines() == ["Tidak ada hotel dengan kode ATRIA.", "False"]


# ---- the command line -------------------------------------------------------------------


@pytest.fixture
def indonesian_by_default(monkeypatch):
    """The language a user gets: CONSIGN_LANG unset (the suite sets it to en)."""
    monkeypatch.delenv("CONSIGN_LANG", raising=False)


def error_line(result, code: int) -> str:
    """The one line of a refusal, without its word for an error: Indonesian's unless
    CONSIGN_LANG is en."""
    english = os.environ.get("CONSIGN_LANG", "").lower() == "en"
    prefix = "Error: " if english else "Galat: "
    assert result.exit_code == code, result.output
    assert result.output.startswith(prefix) and result.output.count("\n") == 1, (
        result.output)
    return result.output.removeprefix(prefix).rstrip("\n")


def stocked(cli):
    """ATRIA holds 3 × BTK-001 of IKM-0001."""
    for args in (("hotel", "add", "ATRIA", "--name", "Hotel Atria Malang", "--commission",
                  "20%"),
                 ("consignor", "add", "IKM-0001", "--name", "Batik Tulis Celaket", "--owner",
                  "Sri Wahyuni", "--sector", "fashion"),
                 ("product", "add", "BTK-001", "--consignor", "IKM-0001", "--name",
                  "Batik tulis", "--price", "150000"),
                 ("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--at",
                  "2020-10-05", "BTK-001=3")):
        result = cli(*args)
        assert result.exit_code == 0, result.output


REFUSALS = [
    (("hotel", "show", "NOPE"), 1, "Tidak ada hotel dengan kode NOPE.",
     "No hotel with code NOPE."),
    (("sell", "--hotel", "ATRIA", "BTK-001", "--qty", "5"), 1,
     "Tidak dapat menjual 5 × BTK-001 di ATRIA: stok yang ada hanya 3.",
     "Cannot sell 5 × BTK-001 at ATRIA: only 3 on hand."),
    (("product", "deactivate", "BTK-001"), 0, None, None),
    (("sell", "--hotel", "ATRIA", "BTK-001"), 1,
     "Produk BTK-001 sudah dinonaktifkan dan tidak menerima penitipan atau penjualan baru.",
     "Product BTK-001 is deactivated and accepts no new placements or sales."),
    (("hotel", "add", "BALI", "--name", "Hotel Bali", "--commission", "150%"), 2,
     "commission '150%' tidak di antara 0% dan 100%",
     "commission '150%' is not between 0% and 100%"),
    (("statement", "show", "ST-42"), 2, "nomor laporan 'ST-42' tidak berbentuk ST-000042",
     "statement number 'ST-42' is not of the form ST-000042"),
]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_refusals_are_said_in_indonesian_by_default_and_in_english_with_consign_lang_en(
        cli, lang, monkeypatch, indonesian_by_default):
    if lang == "en":
        monkeypatch.setenv("CONSIGN_LANG", "en")
    stocked(cli)
    for args, code, indonesian, english in REFUSALS:
        result = cli(*args)
        if code == 0:
            assert result.exit_code == 0, result.output
            continue
        assert (indonesian if lang == "id" else english) in error_line(result, code)


def test_every_bad_row_of_an_import_is_said_in_the_language_of_consign_lang(
        cli, tmp_path, monkeypatch, indonesian_by_default):
    rows = tmp_path / "hotels.csv"
    rows.write_text("code,name,commission\nBALI,Hotel Bali,150%\nX Y,Hotel Tugu,10%\n")
    said = cli("hotel", "import", rows)
    assert said.exit_code == 2, said.output
    assert said.output.splitlines() == [
        f"Galat: {rows}:2: commission '150%' tidak di antara 0% dan 100%",
        f"{rows}:3: code 'X Y' hanya boleh berisi huruf, angka, dan '-' (mis. ATRIA, IKM-0001)"]
    monkeypatch.setenv("CONSIGN_LANG", "EN")  # the setting is read in either case
    assert cli("hotel", "import", rows).output.splitlines()[1] == (
        f"{rows}:3: code 'X Y' may hold only letters, digits and '-' (e.g. ATRIA, IKM-0001)")


def test_a_missing_database_is_said_in_indonesian_by_default(tmp_path, indonesian_by_default):
    from click.testing import CliRunner

    from consign.cli import main

    missing = tmp_path / "consign.db"
    result = CliRunner().invoke(main, ["--db", f"sqlite:///{missing}", "hotel", "list"])
    assert error_line(result, 3) == (
        f"Tidak ada basis data consign di {missing}: buat dengan 'consign db upgrade', atau "
        "arahkan --db (atau CONSIGN_DATABASE_URL) ke basis data Anda.")
    assert not missing.exists()


@pytest.mark.parametrize("given", ["xx", "english", "id_ID"])
def test_an_unknown_consign_lang_is_a_malformed_setting_said_in_one_line(cli, given,
                                                                        monkeypatch):
    monkeypatch.setenv("CONSIGN_LANG", given)
    line = error_line(cli("hotel", "show", "NOPE"), 2)
    assert line.startswith(f"CONSIGN_LANG {given!r} ")
    assert "id" in line and "en" in line and "NOPE" not in line


def test_an_unknown_consign_lang_is_refused_before_a_command_that_would_succeed(
        cli, monkeypatch, snapshot):
    before = snapshot()
    monkeypatch.setenv("CONSIGN_LANG", "xx")
    line = error_line(cli("hotel", "add", "BATU", "--name", "Hotel Batu"), 2)
    assert line.startswith("CONSIGN_LANG 'xx' ")
    assert snapshot() == before


def test_a_blank_consign_lang_is_the_default(cli, monkeypatch, indonesian_by_default):
    monkeypatch.setenv("CONSIGN_LANG", "  ")
    assert error_line(cli("hotel", "show", "NOPE"), 1) == "Tidak ada hotel dengan kode NOPE."


def test_the_command_line_in_a_fresh_process_speaks_indonesian_unless_told_otherwise(
        tmp_path):
    missing = tmp_path / "consign.db"
    command = [sys.executable, "-m", "consign", "--db", f"sqlite:///{missing}", "hotel",
               "list"]
    environment = {name: value for name, value in os.environ.items()
                   if name != "CONSIGN_LANG"}
    said = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert said.returncode == 3
    assert said.stderr.startswith(f"Galat: Tidak ada basis data consign di {missing}")
    english = subprocess.run(command, capture_output=True, text=True,
                             env={**environment, "CONSIGN_LANG": "en"})
    assert english.stderr.startswith(f"Error: No consign database at {missing}")


# ---- what the command line says when it succeeds ------------------------------------------

CLI = ROOT / "consign" / "cli"
PRINTERS = {"echo", "secho", "print", "prompt", "UsageError", "BadParameter", "Refused"}
# machine output, or words that are the same in every language: (file, the literal)
NOT_SENTENCES = {("consign/cli/statement_send.py", "\nWhatsApp:")}


def _printer(function: ast.expr) -> bool:
    """``click.echo(...)``, ``print(...)``, ``click.UsageError(...)`` and the like."""
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name in PRINTERS


def _words(node: ast.expr) -> str | None:
    """The literal text a printed argument holds with letters in it (a string, an f-string
    or a ``+`` of them), or None: a sentence written in English in the code."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if any(char.isalpha() for char in node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        return ast.unparse(node) if any(char.isalpha() for char in text) else None
    if isinstance(node, ast.BinOp):
        return _words(node.left) or _words(node.right)
    if isinstance(node, ast.IfExp):
        return _words(node.body) or _words(node.orelse)
    return None


def untranslated_lines(source: str, where: str) -> list[str]:
    """Each call of ``source`` that prints (or raises for click to print) a literal
    English sentence instead of a ``msg(...)`` said in the language of CONSIGN_LANG."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and _printer(node.func)):
            continue
        for argument in [*node.args, *(keyword.value for keyword in node.keywords
                                       if keyword.arg in ("message", "text",
                                                          "confirmation_prompt"))]:
            words = _words(argument)
            if words is not None and (where, words) not in NOT_SENTENCES:
                found.append(f"{where}:{node.lineno}: {words!r}")
    return found


def test_the_walk_finds_a_literal_sentence_and_passes_one_said_through_msg():
    bad = ('click.echo(f"Sold {qty} × {sku}.")\nclick.echo("No problems found.")\n'
           'raise click.UsageError("--receipt needs --hotel")\n'
           'click.echo("Recorded as " + number)\nprint("done" if ok else "failed")\n'
           'click.prompt(f"New password for {name}", confirmation_prompt="Repeat it")\n')
    assert len(untranslated_lines(bad, "x.py")) == 7
    good = ('say(msg("Sold {qty} × {sku}.", qty=2, sku="BTK-001"))\nclick.echo()\n'
            'click.echo(f"  {problem}")\nclick.echo(json.dumps(data))\n'
            'raise usage(msg("--receipt needs --hotel"))\nclick.echo("\\nWhatsApp:")\n')
    assert untranslated_lines(good, "consign/cli/statement_send.py") == []
    assert untranslated_lines('click.echo("\\nWhatsApp:")', "consign/cli/ledger.py")


def test_the_command_line_prints_no_sentence_that_is_not_a_translated_template():
    problems, printing = [], 0
    for path in sorted(CLI.glob("*.py")):
        source = path.read_text()
        printing += source.count("say(") + source.count("click.echo(")
        problems += untranslated_lines(source, str(path.relative_to(ROOT)))
    assert printing > 60  # the walk reads the commands (a broken one reads none)
    assert not problems, "say these with say(msg(...)):\n" + "\n".join(problems)


def speak(monkeypatch, lang: str) -> None:
    if lang == "en":
        monkeypatch.setenv("CONSIGN_LANG", "en")
    else:
        monkeypatch.delenv("CONSIGN_LANG", raising=False)


SAID = {  # a few commands that succeed, and what they say: (args, Indonesian, English)
    "sell": (("sell", "--hotel", "ATRIA", "BTK-001", "--qty", "2", "--price", "150000",
              "--at", "2020-10-06 10:30", "--receipt", "R-7"),
             ["Terjual 2 × BTK-001 di ATRIA seharga Rp300.000 (Rp150.000 per unit), "
              "6 Oktober 2020 10:30: mutasi 2."],
             ["Sold 2 × BTK-001 at ATRIA for Rp300.000 (Rp150.000 each), "
              "6 Oktober 2020 10:30: movement 2."]),
    "again": (("sell", "--hotel", "ATRIA", "BTK-001", "--qty", "2", "--price", "150000",
               "--at", "2020-10-06 10:30", "--receipt", "R-7"),
              ["Struk R-7: 2 × BTK-001 di ATRIA sudah tercatat (mutasi 2, terjual "
               "6 Oktober 2020 10:30); tidak ada yang berubah."],
              ["Receipt R-7: 2 × BTK-001 at ATRIA is already recorded (movement 2, sold "
               "6 Oktober 2020 10:30); nothing changed."]),
    "void": (("void", "2", "--reason", "salah ketik", "--at", "2020-10-07"),
             ["Mutasi 2 (2 × BTK-001 di ATRIA) dibatalkan: pembalikan 3 meniadakannya "
              "dalam periodenya sendiri."],
             ["Voided movement 2 (2 × BTK-001 at ATRIA): reversal 3 cancels it in its own "
              "period."]),
    "edit": (("hotel", "edit", "ATRIA", "--phone", "0341 363891"),
             ["Hotel ATRIA: diubah phone."], ["Hotel ATRIA: changed phone."]),
    "same": (("hotel", "edit", "ATRIA", "--phone", "0341 363891"),
             ["Hotel ATRIA: tidak ada yang diubah; isiannya sudah seperti itu."],
             ["Hotel ATRIA: nothing to change; it already has these values."]),
}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_what_a_command_says_on_success_is_indonesian_by_default_english_with_en(
        cli, lang, monkeypatch, indonesian_by_default):
    speak(monkeypatch, lang)
    stocked(cli)
    for name, (args, indonesian, english) in SAID.items():
        result = cli(*args)
        assert result.exit_code == 0, (name, result.output)
        lines = result.output.splitlines()
        assert lines[:len(indonesian)] == (indonesian if lang == "id" else english), name
    edited = cli("hotel", "edit", "ATRIA", "--name", "Hotel Atria").output.splitlines()
    assert edited[0] == ("Hotel ATRIA: diubah name." if lang == "id"
                         else "Hotel ATRIA: changed name.")
    record = dict(line.split(None, 1) for line in edited[1:] if line.strip())
    assert record["active"] == ("ya" if lang == "id" else "yes")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_check_says_its_verdict_and_chain_in_the_language_of_consign_lang(
        cli, lang, monkeypatch, indonesian_by_default):
    import json

    speak(monkeypatch, lang)
    stocked(cli)
    chain = json.loads(cli("check", "--format", "json").output)["audit_chain"]
    assert chain["length"] == 5  # 3 registrations, the placement's note and its line
    said = cli("check")
    assert said.exit_code == 0, said.output
    assert said.output.splitlines() == (
        ["Tidak ditemukan masalah.",
         f"Rantai audit: 5 entri, ujung {chain['head']}."] if lang == "id" else
        ["No problems found.", f"Audit chain: 5 entries, head {chain['head']}."])
    anchored = cli("check", "--anchor", "f" * 64)
    assert anchored.exit_code == 1
    assert anchored.output.splitlines()[0] == (
        f"Rantai audit tidak memuat {'f' * 64}: rantai itu dipotong mundur melewati ujung "
        "tersebut, atau ujung itu dicatat dari basis data lain." if lang == "id" else
        f"The audit chain does not hold {'f' * 64}: it was cut back behind that head, or "
        "the head was written down from another database.")


def test_csv_and_json_output_is_the_same_in_either_language(cli, monkeypatch,
                                                             indonesian_by_default):
    stocked(cli)
    commands = [("stock", "--format", "json"), ("stock", "--format", "csv"),
                ("check", "--format", "json"), ("check", "--format", "csv"),
                ("check", "--anchor", "f" * 64, "--format", "json"),
                ("hotel", "show", "ATRIA", "--format", "csv")]
    indonesian = [cli(*args).output for args in commands]
    monkeypatch.setenv("CONSIGN_LANG", "en")
    assert [cli(*args).output for args in commands] == indonesian
    assert '"on_hand": 3' in indonesian[0]
    assert "The audit chain does not hold" in indonesian[4]  # a script's, as it was


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_command_used_the_wrong_way_is_told_so_in_the_language_of_consign_lang(
        cli, lang, monkeypatch, indonesian_by_default):
    speak(monkeypatch, lang)
    line = error_line(cli("void", "--reason", "x"), 2)  # in-process, the program is "main"
    assert line == ("berikan MOVEMENT_ID, --hotel dengan --receipt, atau --note (lihat "
                    "'main void --help')" if lang == "id" else
                    "give a MOVEMENT_ID, --hotel with --receipt, or --note (see "
                    "'main void --help')")


def test_a_refusal_names_the_role_and_the_action_in_whole_indonesian_phrases():
    from consign import policy
    from consign.errors import Forbidden

    refused = {}
    for role, action in (("hotel:ATRIA", "registry.write"), ("consignor:IKM-0001", "audit.log"),
                         ("auditor", "ledger.write")):
        with pytest.raises(Forbidden) as raised:
            policy.require(policy.parse_role(role), action)
        refused[role] = raised.value
    assert [error.text("id") for error in refused.values()] == [
        "Sebagai staf hotel ATRIA, Anda tidak boleh mendaftarkan atau mengubah hotel, IKM, "
        "produk, atau pengguna.",
        "Sebagai pemilik IKM IKM-0001, Anda tidak boleh membaca log audit.",
        "Sebagai auditor Diskopindag, Anda tidak boleh mencatat penitipan, penjualan, "
        "pembatalan, retur, kehilangan, atau penghitungan stok."]
    assert refused["consignor:IKM-0001"].text("en") == (
        "As consignor:IKM-0001 you may not read the audit log.")
    for action in policy.ACTIONS:  # every action is a whole phrase of the catalog
        assert policy._WHAT[action].text("id") != policy._WHAT[action].text("en")
    with pytest.raises(ValueError) as raised:
        policy.parse_role("hotel")
    assert raised.value.args[0].text("id") == (
        "peran 'hotel': hotel memerlukan kode (hotel:ATRIA, consignor:IKM-0001)")


def test_the_problems_check_finds_are_said_in_the_language_asked_for(db):
    from consign.services import check
    from tests.ledger_support import WIB

    gap = check._series(msg("The statement numbers"), msg("The statement counter"),
                        "ST-{:06d}", [1, 3], 5)
    assert [problem.text("id") for problem in gap] == [
        "Nomor laporan memiliki celah: ST-000002 tidak ada.",
        "Penghitung nomor laporan berada di 5, di depan nomor tertinggi yang terpakai: "
        "ST-000004, ST-000005 sudah diberikan lalu hilang."]
    assert [problem.text("en") for problem in gap] == [
        "The statement numbers have a gap: ST-000002 missing.",
        "The statement counter is at 5, ahead of the highest number in use: ST-000004, "
        "ST-000005 were given out and are gone."]

    def unaudited(session, tz):
        return [msg("Movement {id} has no audit entry.", id=7), "a plain sentence"]

    with db.transaction() as session:
        assert check.run(session, WIB, [unaudited], lang="id") == [
            "Mutasi 7 tidak memiliki entri audit.", "a plain sentence"]
        assert check.run(session, WIB, [unaudited], lang="en") == [
            "Movement 7 has no audit entry.", "a plain sentence"]


def test_statement_send_sums_up_and_labels_statuses_in_the_language_of_consign_lang(
        monkeypatch, indonesian_by_default):
    from collections import Counter
    from types import SimpleNamespace

    from consign.cli.statement_send import _status, _summary

    report = SimpleNamespace(
        counts=Counter({"would send": 2, "whatsapp": 1, "to print": 1}),
        items=[SimpleNamespace(whatsapp=link) for link in ("https://wa.me/62", None, None,
                                                           None)],
        plan=SimpleNamespace(period="2020-10", dry_run=True))
    skipped = {"status": "skipped", "reason": "already sent"}
    refused = {"status": "failed", "reason": "550 mailbox unavailable"}
    assert _summary(report).text("id") == (
        "2020-10 (uji coba: tidak ada yang dikirim atau ditulis): 4 laporan, 2 akan dikirim, "
        "1 hanya lewat WhatsApp, 1 untuk dicetak, 1 tautan WhatsApp.")
    assert [_status(skipped), _status(refused)] == [
        "dilewati: sudah pernah dikirim", "gagal: 550 mailbox unavailable"]
    monkeypatch.setenv("CONSIGN_LANG", "en")
    assert _summary(report).text() == (
        "2020-10 (dry run: nothing sent or written): 4 statement(s), 2 would be sent, "
        "1 by WhatsApp only, 1 to print, 1 WhatsApp link(s).")
    assert [_status(skipped), _status(refused)] == [
        "skipped: already sent", "failed: 550 mailbox unavailable"]


def test_where_a_database_is_and_the_span_of_terms_are_said_in_whole_phrases():
    from datetime import date

    from consign.db import describe
    from consign.services.terms import scope_label, span

    assert describe("sqlite:///demo/consign.db").text("id") == "berkas SQLite demo/consign.db"
    assert describe("postgresql://u@db.local/consign").text("en") == (
        "the PostgreSQL database consign at db.local:5432")
    open_ended = SimpleTerms(valid_from=None, valid_to=date(2020, 12, 31))
    assert span(open_ended).text("id") == "awal s.d. 2020-12-31"
    assert span(open_ended).text("en") == "the beginning to 2020-12-31"
    assert scope_label("ATRIA", None).text("id") == "ATRIA (tarif bawaan hotel)"


class SimpleTerms:
    def __init__(self, valid_from, valid_to):
        self.valid_from, self.valid_to = valid_from, valid_to


def test_the_problems_check_finds_in_statements_are_said_in_the_language_asked_for(
        db, office, make_hotel, make_product):
    """ATRIA at 20 %: two batik placed, one sold at Rp100.000; October's draft statement
    then altered behind consign's back (its gross one rupiah up, its stock closing at 99)."""
    from sqlalchemy import text

    from consign.services import check
    from consign.services.settlement import checks as statement_checks
    from tests.ledger_support import WIB
    from tests.settlement_support import OCT, wib

    make_hotel()
    make_product(price=100_000)
    office.place("ATRIA", "IKM-0001", [("BTK-001", 2, None)], at=wib("2020-10-02 09:00"))
    office.sell("ATRIA", "BTK-001", at=wib("2020-10-05 10:00"))
    office.settle(OCT)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE statements SET gross = gross + 1"))
        connection.execute(text("UPDATE statement_stock SET closing = 99"))
    checks = [statement_checks.statements_add_up, statement_checks.stock_rows_close]
    with db.transaction(readonly=True) as session:
        said = {lang: check.run(session, WIB, checks, lang=lang) for lang in ("id", "en")}
    assert said["id"] == [
        "Laporan draf ATRIA/IKM-0001 2020-10: baris-barisnya berjumlah 100000, tidak sama "
        "dengan brutonya 100001.",
        "Laporan draf ATRIA/IKM-0001 2020-10: bruto − komisi + saldo awal adalah 80001, "
        "bukan nilai bersihnya 80000.",
        "Laporan-laporan tidak seimbang: bruto 100001 tidak sama dengan komisi 20000 "
        "ditambah nilai bersih dikurangi saldo awal 80000.",
        "Laporan draf ATRIA/IKM-0001 2020-10: stok akhir BTK-001 seharusnya 1, bukan 99."]
    assert said["en"] == [
        "Statement draft ATRIA/IKM-0001 2020-10: its lines add up to 100000, not its gross "
        "100001.",
        "Statement draft ATRIA/IKM-0001 2020-10: gross − commission + opening balance is "
        "80001, not its net 80000.",
        "Statements do not balance: gross 100001 is not commission 20000 plus net less "
        "opening balance 80000.",
        "Statement draft ATRIA/IKM-0001 2020-10: stock of BTK-001 should close at 1, not 99."]

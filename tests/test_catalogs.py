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
    assert result.exit_code == code, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, (
        result.output)
    return result.output.removeprefix("Error: ").rstrip("\n")


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
        f"Error: {rows}:2: commission '150%' tidak di antara 0% dan 100%",
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
    assert said.stderr.startswith(f"Error: Tidak ada basis data consign di {missing}")
    english = subprocess.run(command, capture_output=True, text=True,
                             env={**environment, "CONSIGN_LANG": "en"})
    assert english.stderr.startswith(f"Error: No consign database at {missing}")

"""What click itself tells a user (an option that does not exist, an argument left out, a
value outside a choice, a file that is not there) is said in the command line's language,
Indonesian by default, like every other refusal; the templates are click's own, word for
word, so that a new click that rewords one is noticed here."""

import ast
import importlib
import inspect

import pytest
from click.testing import CliRunner

from consign.cli import click_words, main


def click_templates() -> set[str]:
    """Every string literal of click's modules that make sentences."""
    found = set()
    for name in click_words.MODULES:
        tree = ast.parse(inspect.getsource(importlib.import_module(f"click.{name}")))
        found |= {node.value for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    return found


def test_every_sentence_listed_is_one_click_says_word_for_word():
    missing = [s.template for s in click_words.SENTENCES if s.template not in click_templates()]
    assert missing == []


def said(args, lang=None, monkeypatch=None):
    if lang is None:
        monkeypatch.delenv("CONSIGN_LANG", raising=False)
    else:
        monkeypatch.setenv("CONSIGN_LANG", lang)
    result = CliRunner().invoke(main, args, prog_name="consign")
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1, result.output
    return result.output.rstrip("\n")


CASES = [
    (["sell", "--frob"],
     "Galat: Tidak ada opsi '--frob'. (lihat 'consign sell --help')",
     "Error: No such option '--frob'. (see 'consign sell --help')"),
    (["sell", "--hotel", "ATRIA"],
     "Galat: Kurang argumen 'SKU'. (lihat 'consign sell --help')",
     "Error: Missing argument 'SKU'. (see 'consign sell --help')"),
    (["sel"],
     "Galat: Tidak ada perintah 'sel'. (Maksudnya salah satu dari: 'sell', 'settle'?) "
     "(lihat 'consign --help')",
     "Error: No such command 'sel'. (Did you mean one of: 'sell', 'settle'?) "
     "(see 'consign --help')"),
    (["sell", "BTK-001", "--hotel", "ATRIA", "--payment", "bitcoin"],
     "Galat: Nilai tidak sah untuk '--payment': 'bitcoin' bukan salah satu dari 'cash', "
     "'card', 'qris', 'transfer'. (lihat 'consign sell --help')",
     "Error: Invalid value for '--payment': 'bitcoin' is not one of 'cash', 'card', 'qris', "
     "'transfer'. (see 'consign sell --help')"),
    (["sell", "BTK-001", "BTK-002", "--hotel", "ATRIA"],
     "Galat: Ada argumen yang tidak diminta (BTK-002) (lihat 'consign sell --help')",
     "Error: Got unexpected extra argument (BTK-002) (see 'consign sell --help')"),
]


@pytest.mark.parametrize(("args", "indonesian", "english"), CASES)
def test_clicks_refusals_are_said_in_indonesian_by_default_and_in_english_on_request(
        args, indonesian, english, monkeypatch, tmp_path):
    monkeypatch.setenv("CONSIGN_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    assert said(args, monkeypatch=monkeypatch) == indonesian
    assert said(args, "en", monkeypatch) == english


def test_a_folder_where_a_file_is_meant_is_said_in_indonesian(monkeypatch, tmp_path):
    monkeypatch.setenv("CONSIGN_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    line = said(["db", "backup", str(tmp_path)], monkeypatch=monkeypatch)
    assert line == (f"Galat: Nilai tidak sah untuk 'FILE': Berkas '{tmp_path}' adalah "
                    "folder. (lihat 'consign db backup --help')")


def test_the_help_pages_stay_as_they_are_written(monkeypatch):
    monkeypatch.delenv("CONSIGN_LANG", raising=False)
    result = CliRunner().invoke(main, ["sell", "--help"], prog_name="consign")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: consign sell [OPTIONS] SKU")
    assert "Show this message and exit." in result.output


def test_a_group_named_alone_shows_its_help_as_consign_alone_does(monkeypatch):
    monkeypatch.delenv("CONSIGN_LANG", raising=False)
    for args, usage in ((["hotel"], "Usage: consign hotel [OPTIONS] COMMAND [ARGS]..."),
                        ([], "Usage: consign [OPTIONS] COMMAND [ARGS]...")):
        result = CliRunner().invoke(main, args, prog_name="consign")
        assert result.exit_code == 2
        assert result.output.startswith(usage), result.output
        assert "Galat" not in result.output and "Error" not in result.output

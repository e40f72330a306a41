"""Every sentence of the service layer is made by the one gettext-ready function,
``consign.i18n.msg``, from a literal template (what a message catalog translates), and
every refusal of malformed input names its field."""

import ast
import inspect
from pathlib import Path

import pytest

from consign import errors
from consign.i18n import msg

SOURCES = sorted((Path(__file__).parent.parent / "consign").rglob("*.py"))
ERRORS = {name for name, value in vars(errors).items()
          if inspect.isclass(value) and issubclass(value, errors.ConsignError)}


def calls(tree: ast.AST, named: set[str]):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in named:
            yield node


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(
    path.parents[1])))
def test_every_refusal_is_a_sentence_made_by_msg_from_a_literal_template(path):
    tree = ast.parse(path.read_text())
    for call in calls(tree, ERRORS - {"InvalidRows"}):
        first = call.args[0] if call.args else None
        assert not isinstance(first, ast.Constant | ast.JoinedStr), (
            f"{path.name}:{call.lineno}: {call.func.id} is given a plain string, not msg(...)")
        if call.func.id in {"InvalidInput", "MalformedSetting"}:
            assert any(keyword.arg == "field" for keyword in call.keywords), (
                f"{path.name}:{call.lineno}: {call.func.id} names no field")
    for call in calls(tree, {"msg"}):
        assert call.args and isinstance(call.args[0], ast.Constant) and isinstance(
            call.args[0].value, str), f"{path.name}:{call.lineno}: msg() of a non-literal"


def test_a_sentence_is_rendered_when_shown_with_its_values_in_it():
    sentence = msg("Cannot sell {qty} × {sku}: only {left} on hand.", qty=5, sku="BTK-001",
                   left=3)
    assert sentence.text() == "Cannot sell 5 × BTK-001: only 3 on hand."
    nested = msg("{sku}: {problem}", sku="BTK-001", problem=msg("qty {n} is too many", n=9))
    assert nested.text("en") == "BTK-001: qty 9 is too many"
    error = errors.InvalidInput(sentence, field="qty")
    assert (error.message, error.field, str(error)) == (sentence.text(), "qty", sentence.text())


def test_a_long_value_quoted_back_is_cut_so_the_sentence_stays_one_line():
    from consign import fields
    from consign.errors import InvalidInput
    from consign.i18n import ECHOED

    with pytest.raises(InvalidInput) as refused:
        fields.period("1" * 10_000)
    said = refused.value.message
    assert f"'{'1' * (ECHOED - 20)}…'" in said and len(said) < 200
    exact = "2" * ECHOED  # as long as may be quoted whole: quoted whole
    assert msg("{text!r} is odd", text=exact).text("en") == f"'{exact}' is odd"
    assert msg("{text} is plain", text="3" * 500).text("en") == "3" * 500 + " is plain"
    assert msg("{code:04X}", code=255).text("en") == "00FF"

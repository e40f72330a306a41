"""Every command explains itself, and the entry points work."""

import subprocess
import sys

import click
import pytest

from consign.cli import main


def all_commands(group: click.Group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*path, name))


@pytest.mark.parametrize("path", [p for p, _ in all_commands(main)], ids=" ".join)
def test_every_command_has_help_text(path):
    command = dict(all_commands(main))[path]
    assert command.help and command.help.strip(), f"consign {' '.join(path)} has no help"
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help":
            assert param.help, f"consign {' '.join(path)} {param.opts[0]} has no help"


def test_python_dash_m_consign_prints_help():
    result = subprocess.run([sys.executable, "-m", "consign", "--help"], capture_output=True,
                            text=True, check=True)
    assert "Usage: python -m consign" in result.stdout or "Usage: consign" in result.stdout
    assert "hotel" in result.stdout


def test_help_does_not_import_sqlalchemy():
    code = ("import sys; from consign.cli import main\n"
            "try:\n    main(['hotel', 'list', '--help'])\nexcept SystemExit:\n    pass\n"
            "print('sqlalchemy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().endswith("False")

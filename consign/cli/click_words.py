"""click's own sentences, in the language of the command line.

click says some things itself, before a command runs: an option that does not exist, an
argument left out, a value that is not one of a choice, a file that is not there. It makes
those sentences with the standard library's gettext; :func:`speak` points click's lookups
at consign's catalog (:mod:`consign.i18n`), in the language of ``CONSIGN_LANG``, so that
they read as Indonesian as the rest. The templates below are click's own, word for word
(``tests/test_cli_click_words.py`` holds them to click's source), listed with ``msg`` so
that ``make catalog`` keeps their translations. A plural is listed in both its forms;
Indonesian says them alike.

The help pages (``--help``) stay in English, as the README: only what a user is told
went wrong is translated.
"""

from __future__ import annotations

import importlib

from consign import i18n
from consign.i18n import msg

SENTENCES = (
    msg("Error: {message}"),
    msg("Aborted!"),
    msg("Missing command."),
    msg("Got unexpected extra argument ({args})"),
    msg("Got unexpected extra arguments ({args})"),
    msg("Did you mean {possibility}?"),
    msg("(Did you mean one of: {possibilities}?)"),
    msg("Invalid value: {message}"),
    msg("Invalid value for {param_hint}: {message}"),
    msg("Missing argument"),
    msg("Missing option"),
    msg("Missing parameter"),
    msg("Missing {param_type}"),
    msg("Missing parameter: {param_name}"),
    msg("No such option {name!r}."),
    msg("No such command {name!r}."),
    msg("Could not open file {filename!r}: {message}"),
    msg("Argument {name!r} takes {nargs} values."),
    msg("Option {name!r} does not take a value."),
    msg("Option {name!r} requires an argument."),
    msg("Option {name!r} requires {nargs} arguments."),
    msg("{value!r} is not {choice}."),
    msg("{value!r} is not one of {choices}."),
    msg("{value!r} is not a valid {number_type}."),
    msg("{value} is not in the range {range}."),
    msg("file"),
    msg("directory"),
    msg("path"),
    msg("{name} {filename!r} does not exist."),
    msg("{name} {filename!r} is a file."),
    msg("{name} {filename!r} is a directory."),
    msg("{name} {filename!r} is not readable."),
    msg("{name} {filename!r} is not writable."),
    msg("Repeat for confirmation"),
    msg("Error: The two entered values do not match."),
)

# the modules of click that make sentences, each with its own names for gettext's lookups
MODULES = ("core", "decorators", "exceptions", "parser", "termui", "types", "utils")


def gettext(template: str) -> str:
    return i18n.catalog(i18n.default_language()).gettext(template)


def ngettext(singular: str, plural: str, count: int) -> str:
    return gettext(singular if count == 1 else plural)


def speak() -> None:
    """click's sentences from now on in the command line's language (looked up as each is
    made, so that ``CONSIGN_LANG`` set later still counts)."""
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext

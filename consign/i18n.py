"""Every sentence consign says goes through here, so that it can be translated.

A sentence is made with :func:`msg`: its template (the text that a message catalog
translates, with ``{name}`` placeholders) and the values to put in it. It is rendered in
a language only when it is shown (``Message.text(lang)``), at the edge: the command line
in the language of ``CONSIGN_LANG``, the web app in the request's. consign speaks
Indonesian (``id``, the default) and English (``en``); a sentence shown without a language
(``str(error)``) is in that of ``CONSIGN_LANG`` too, so that it reads as the command line
would print it, in a worker process as well. The English text is the template itself;
the Indonesian is the compiled catalog ``consign/translations/id/LC_MESSAGES/messages.mo``,
read with the standard library's gettext (no Babel at run time). Babel extracts the
templates of every ``msg(...)`` call (keyword ``msg``, see ``babel.cfg``); ``make catalog``
re-extracts, updates the catalog and compiles it.
"""

from __future__ import annotations

import gettext as _gettext
import os
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("id", "en")
DEFAULT_LANG = "id"
SETTING = "CONSIGN_LANG"
TRANSLATIONS = Path(__file__).parent / "translations"
DOMAIN = "messages"
_catalogs: dict[str, _gettext.NullTranslations] = {}


@dataclass(frozen=True)
class Message:
    """A sentence not yet rendered: its template and the values it names."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        """The sentence in ``lang`` (else :func:`default_language`), a value that is itself
        a sentence rendered in the same language."""
        lang = lang or default_language()
        template = catalog(lang).gettext(self.template)
        values = {name: _shown(value, lang) for name, value in self.params.items()}
        return _FORMATTER.vformat(template, (), values)

    def __str__(self) -> str:
        return self.text()


ECHOED = 80  # the most characters of a value a sentence quotes ({name!r}) whole


class _Quoting(string.Formatter):
    """``str.format``, except that a text quoted back (``{name!r}``: what was typed, a file
    name) longer than :data:`ECHOED` characters is cut, so that the sentence stays one
    line whatever was given."""

    def convert_field(self, value, conversion):
        if conversion == "r" and isinstance(value, str) and len(value) > ECHOED:
            value = value[:ECHOED - 20] + "…"
        return super().convert_field(value, conversion)


_FORMATTER = _Quoting()


def msg(template: str, /, **params: Any) -> Message:
    """The one way to make a sentence: ``msg("No hotel with code {code}.", code=code)``."""
    return Message(template, params)


def why(error: OSError) -> Message | str:
    """Why the operating system refused, in the user's language where it is one of the
    common reasons (a full disk, no permission, a folder where a file was meant), else as
    the system says it."""
    import errno

    reasons = {
        errno.ENOSPC: msg("no space is left on the disk"),
        errno.EDQUOT: msg("the disk quota is used up"),
        errno.EACCES: msg("permission denied"),
        errno.EPERM: msg("permission denied"),
        errno.EROFS: msg("the disk is read-only"),
        errno.ENOENT: msg("no such file or folder"),
        errno.EISDIR: msg("it is a folder"),
        errno.ENOTDIR: msg("part of the path is not a folder"),
        errno.ENAMETOOLONG: msg("the name is too long"),
        errno.EFBIG: msg("the file is too large"),
        errno.EIO: msg("the device failed"),
        errno.EBADF: msg("the output is closed"),
    }
    return reasons.get(error.errno) or error.strerror or str(error)


def _shown(value: Any, lang: str) -> Any:
    return value.text(lang) if isinstance(value, Message) else value


def default_language(environ=os.environ) -> str:
    """The language of a sentence shown without one: ``CONSIGN_LANG`` where it names one
    consign speaks (``id``, ``en``, in any case), else Indonesian. The command line refuses
    any other value (``consign.cli.language``)."""
    given = (environ.get(SETTING) or "").strip().lower()
    return given if given in LANGUAGES else DEFAULT_LANG


def language_of(lang: str) -> str:
    """The language consign speaks for ``lang`` (``id``, ``en``; ``id_ID`` or ``en-US``
    are taken as their language); any other is refused with a ``ValueError``."""
    code = str(lang).strip().replace("-", "_").split("_", 1)[0].lower()
    if code not in LANGUAGES:
        raise ValueError(f"consign speaks {' and '.join(LANGUAGES)}, not {lang!r}")
    return code


def catalog(lang: str) -> _gettext.NullTranslations:
    """The translations of ``lang``: the compiled Indonesian catalog for ``id``; for
    ``en`` none, the templates are the text. Each is read once per process."""
    code = language_of(lang)
    if code not in _catalogs:
        if code == "en":
            _catalogs[code] = _gettext.NullTranslations()
        else:
            _catalogs[code] = _gettext.translation(DOMAIN, TRANSLATIONS, languages=[code])
    return _catalogs[code]

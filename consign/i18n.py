"""Every sentence consign says goes through here, so that it can be translated.

A sentence is made with :func:`msg`: its template (the text that a message catalog
translates, with ``{name}`` placeholders) and the values to put in it. It is rendered in
a language only when it is shown (``Message.text(lang)``), at the edge: the command line
in the language of ``CONSIGN_LANG``, the web app in the request's. Until a catalog for a
language is installed, the template itself is the text. Babel extracts the templates of
every ``msg(...)`` call (keyword ``msg``).
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass, field
from typing import Any

DEFAULT_LANG = "en"
_catalogs: dict[str, _gettext.NullTranslations] = {}


@dataclass(frozen=True)
class Message:
    """A sentence not yet rendered: its template and the values it names."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        template = catalog(lang or DEFAULT_LANG).gettext(self.template)
        values = {name: _shown(value, lang) for name, value in self.params.items()}
        return template.format(**values)

    def __str__(self) -> str:
        return self.text()


def msg(template: str, /, **params: Any) -> Message:
    """The one way to make a sentence: ``msg("No hotel with code {code}.", code=code)``."""
    return Message(template, params)


def _shown(value: Any, lang: str | None) -> Any:
    return value.text(lang) if isinstance(value, Message) else value


def catalog(lang: str) -> _gettext.NullTranslations:
    """The translations of ``lang`` (none installed yet: the templates are the text)."""
    if lang not in _catalogs:
        _catalogs[lang] = _gettext.NullTranslations()
    return _catalogs[lang]

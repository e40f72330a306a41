"""Re-extract every sentence of consign, update the Indonesian catalog and compile it.

    python tools/catalog.py          (or: make catalog)

1. extracts the templates of every ``msg(...)`` call from the files ``babel.cfg`` maps;
2. updates ``consign/translations/id/LC_MESSAGES/messages.po``: a new template is added
   with an empty translation, a template no longer in the code is dropped, a translation
   already there is kept;
3. compiles the catalog to ``messages.mo`` beside it (``babel.messages.mofile.write_mo``),
   the file consign reads at run time.

It lists the templates that still need a translation and exits 1 while there are any:
translate them in the ``.po`` file and run it again.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
CATALOGS = ROOT / "consign" / "translations"
LOCALES = ("id",)
KEYWORDS = {"msg": None}  # gettext calls (the web pages' own domain) are not ours


def extracted() -> Catalog:
    """Every template the code holds, with the files it is in."""
    with MAPPING.open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping, str(MAPPING))
    template = Catalog(project="consign", fuzzy=False)
    for filename, _line, message, comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS):
        template.add(message, None, [(filename, None)], auto_comments=comments,
                     context=context)
    return template


def po_path(locale: str) -> Path:
    return CATALOGS / locale / "LC_MESSAGES" / "messages.po"


def compiled(catalog: Catalog) -> bytes:
    """The ``.mo`` of a catalog: what consign reads."""
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _entries(catalog: Catalog) -> list:
    return [(message.id, message.string, sorted(message.locations)) for message in catalog
            if message.id]


def update(locale: str, template: Catalog) -> Catalog:
    """The catalog of ``locale`` brought up to the extracted templates."""
    path = po_path(locale)
    if path.exists():
        with path.open("rb") as existing:
            catalog = read_po(existing, locale=locale)
    else:
        catalog = Catalog(locale=locale, project="consign", fuzzy=False)
    before, dates = _entries(catalog), (catalog.creation_date, catalog.revision_date)
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=True)
    catalog.obsolete.clear()
    for message in catalog:  # a "%" in a msg() template is a percent, never a %-format
        message.flags.discard("python-format")
    if _entries(catalog) == before:  # nothing changed: the file stays as it is
        catalog.creation_date, catalog.revision_date = dates
    return catalog


def write(locale: str, catalog: Catalog) -> None:
    path = po_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    write_po(out, catalog, width=88, sort_output=True, include_lineno=False,
             ignore_obsolete=True)
    if not path.exists() or path.read_bytes() != out.getvalue():
        path.write_bytes(out.getvalue())
    mo = path.with_suffix(".mo")
    data = compiled(catalog)
    if not mo.exists() or mo.read_bytes() != data:
        mo.write_bytes(data)


def main() -> int:
    template = extracted()
    missing = 0
    for locale in LOCALES:
        catalog = update(locale, template)
        write(locale, catalog)
        untranslated = [message.id for message in catalog if message.id and not message.string]
        missing += len(untranslated)
        print(f"{po_path(locale).relative_to(ROOT)}: {len(template)} templates, "
              f"{len(untranslated)} without a translation")
        for text in untranslated:
            print(f"  {text}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

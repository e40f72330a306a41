"""Indonesian first: every string of the pages goes through the "web" catalog, which holds
an Indonesian translation of each; English by a switch; the compiled catalog is the
compilation of the one written by hand."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

import consign.web

WEB = Path(consign.web.__file__).parent
CATALOG = WEB / "translations" / "id" / "LC_MESSAGES"
ROOT = WEB.parent.parent
# words a page shows the same in both languages: the product's name, and each language's
# own name on the switch
SAME_IN_BOTH = {"consign", "English", "Bahasa Indonesia"}


def catalog():
    with open(CATALOG / "web.po", "rb") as po:
        return read_po(po, locale="id", domain="web")


def test_the_compiled_catalog_is_the_compilation_of_the_written_one():
    with open(CATALOG / "web.mo", "rb") as mo:
        compiled = read_mo(mo)
    written = catalog()

    def messages(source):
        return {tuple(m.id) if isinstance(m.id, list | tuple) else m.id:
                tuple(m.string) if isinstance(m.string, list | tuple) else m.string
                for m in source if m.id and m.string and not m.fuzzy}

    assert messages(compiled) == messages(written), (
        "web.mo is not web.po compiled: run 'make web-catalog'")
    assert len(messages(written)) == len([m for m in written if m.id])


def used_messages() -> set:
    found = extract_from_dir(
        str(ROOT), method_map=[("consign/web/**.py", "python"),
                               ("consign/web/templates/**.html", "jinja2")],
        keywords={"_": None, "gettext": None, "ngettext": (1, 2)})
    return {message for _file, _line, message, _comments, _context in found}


def test_every_string_of_the_pages_has_an_indonesian_translation():
    translations = {m.id: m.string for m in catalog() if m.id}
    used = used_messages()
    assert len(used) > 50
    missing = [m for m in used if not translations.get(m) or (
        isinstance(translations[m], tuple) and not all(translations[m]))]
    assert not missing, f"no Indonesian for: {missing}"
    assert not set(translations) - used, "web.po holds messages no page uses"


class _Text(HTMLParser):
    """The text a template writes outside gettext, attributes that show text included."""

    SHOWN = ("placeholder", "title", "alt", "aria-label", "data-label")

    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.extend(value or "" for name, value in attrs if name in self.SHOWN)


@pytest.mark.parametrize("template", sorted(p.relative_to(WEB / "templates").as_posix()
                                            for p in (WEB / "templates").rglob("*.html")))
def test_a_template_writes_no_text_outside_the_catalog(template):
    source = (WEB / "templates" / template).read_text()
    environment = Environment(extensions=["jinja2.ext.i18n"])
    literal = "".join(value for _line, kind, value in environment.lex(source) if kind == "data")
    reader = _Text()
    reader.feed(literal)
    text = " ".join(reader.parts)
    for same in SAME_IN_BOTH:
        text = text.replace(same, "")
    words = re.findall(r"[^\W\d_]{2,}", text)
    assert not words, f"{template} writes {words} outside gettext"


def test_templates_hold_no_inline_script_or_style():
    for path in (WEB / "templates").rglob("*.html"):
        source = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), path
        assert not re.search(r"\son[a-z]+=|\sstyle=|<style", source), path


PAGES = {
    "hotel:ATRIA": ["/hotel/ATRIA/sell", "/hotel/ATRIA/shelf"],
    "admin": ["/agency/", "/ikm/IKM-0001/"],
    "consignor:IKM-0002": ["/ikm/IKM-0002/"],
    None: ["/login", "/no/such/page"],
}


def visible(page: str) -> list[str]:
    reader = _Text()
    reader.feed(re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S))
    return [part.strip() for part in reader.parts if re.search(r"[^\W\d_]{3,}", part)]


def test_every_page_is_indonesian_by_default_and_english_by_the_switch(world_app, browser_for):
    for role, addresses in PAGES.items():
        browser = browser_for(world_app, role)
        for address in addresses:
            indonesian = browser.get(address).get_data(as_text=True)
            english = browser.get(f"{address}?lang=en").get_data(as_text=True)
            assert '<html lang="id">' in indonesian and '<html lang="en">' in english
            assert re.search(rf'href="({re.escape(address)})?\?lang=en"', indonesian)
            # what is the same in both is data (codes, names), not the page's own words
            shared = set(visible(indonesian)) & set(visible(english))
            interface = {m.id for m in catalog() if m.id and m.id == m.string}
            assert not shared & (used_messages() - interface), (address, shared)
            kept = browser.get(address).get_data(as_text=True)
            assert '<html lang="en">' in kept  # the switch is remembered
            browser.get(f"{address}?lang=id")


def test_money_and_dates_read_the_indonesian_way_in_both_languages(world_app, browser_for):
    clerk = browser_for(world_app, "hotel:ATRIA")
    indonesian = clerk.get("/hotel/ATRIA/shelf").get_data(as_text=True)
    english = clerk.get("/hotel/ATRIA/shelf?lang=en").get_data(as_text=True)
    assert "Rp150.000" in indonesian and "Rp150.000" in english
    assert "1 November 2020" in indonesian
    assert "Nilai barang di rak: Rp1.860.000" in indonesian
    assert "Value on the shelf: Rp1.860.000" in english

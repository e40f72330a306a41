"""The typeface every consign document is set in, embedded in the file.

Bitstream Vera Sans, the TrueType family that reportlab ships, so that an archived
document looks the same in every viewer for as long as it is kept, and no new dependency
is needed. Only the glyphs a document uses are embedded (reportlab subsets the font).

``PRINTABLE`` holds the characters all four faces have: text that the input bounds let
into a name, an address or a reason must be made of them, so that it prints on every
document. It is written out here (the test suite checks it against the font files), so
that checking a name does not load a font.
"""

from __future__ import annotations

from pathlib import Path

FAMILY = "ConsignSans"
FACES = {
    FAMILY: "Vera.ttf",
    f"{FAMILY}-Bold": "VeraBd.ttf",
    f"{FAMILY}-Oblique": "VeraIt.ttf",
    f"{FAMILY}-BoldOblique": "VeraBI.ttf",
}

# the code points every face of the family maps to a glyph (U+FFFF, a non-character, left out)
PRINTABLE_RANGES = (
    (0x0020, 0x007E), (0x00A0, 0x00FF), (0x0106, 0x0107), (0x010C, 0x0111),
    (0x011E, 0x011F), (0x0130, 0x0131), (0x0141, 0x0142), (0x0152, 0x0153),
    (0x015E, 0x0161), (0x0178, 0x0178), (0x017D, 0x017E), (0x0192, 0x0192),
    (0x02C6, 0x02C7), (0x02D8, 0x02DD), (0x03A9, 0x03A9), (0x03C0, 0x03C0),
    (0x2013, 0x2026), (0x2030, 0x2030), (0x2039, 0x203A), (0x20AC, 0x20AC),
    (0x2122, 0x2122), (0x2202, 0x2206), (0x220F, 0x221E), (0x222B, 0x222B),
    (0x2248, 0x2248), (0x2260, 0x2265), (0x25CA, 0x25CA), (0xFB01, 0xFB02),
)
PRINTABLE = frozenset(
    chr(code) for first, last in PRINTABLE_RANGES for code in range(first, last + 1)
)


def unprintable(text: str) -> str | None:
    """The first character of ``text`` that the documents' typeface has no glyph for."""
    return next((char for char in text if char not in PRINTABLE), None)


def font_files() -> dict[str, Path]:
    import reportlab

    folder = Path(reportlab.__file__).resolve().parent / "fonts"
    return {name: folder / file for name, file in FACES.items()}


_registered = False
WIDTHS_KEPT = 20_000  # string widths a face remembers before it starts again
SUBSETS_KEPT = 64  # embedded subsets a face remembers


def register() -> None:
    """Make the family known to reportlab, once per process."""
    global _registered
    if _registered:
        return
    from reportlab.pdfbase import pdfmetrics

    face = _face_class()
    for name, path in font_files().items():
        pdfmetrics.registerFont(face(name, str(path)))
    pdfmetrics.registerFontFamily(
        FAMILY, normal=FAMILY, bold=f"{FAMILY}-Bold", italic=f"{FAMILY}-Oblique",
        boldItalic=f"{FAMILY}-BoldOblique",
    )
    _registered = True


def _face_class():
    """reportlab's TrueType font, remembering the width of each string it has measured.

    Every table cell, right-aligned figure and line of a paragraph is measured, most of
    them more than once and many (dates, prices, names) in every statement; reportlab
    sums the glyph widths anew each time. A width is a pure function of the text and the
    size, so what is drawn does not change."""
    from reportlab.pdfbase.ttfonts import TTFont

    class Face(TTFont):
        def __init__(self, name: str, path: str) -> None:
            super().__init__(name, path)
            self._widths: dict[tuple, float] = {}
            self.face.makeSubset = _remembered(self.face.makeSubset)

        def stringWidth(self, text, size, encoding="utf8"):
            key = (text, size, encoding)
            width = self._widths.get(key)
            if width is None:
                if len(self._widths) >= WIDTHS_KEPT:
                    self._widths.clear()
                width = self._widths[key] = super().stringWidth(text, size, encoding)
            return width

        def splitString(self, text, doc, encoding="utf-8"):
            """The text as (subset, codes) runs, as reportlab makes them, remembered for
            the document: once each of a string's characters has its code in the
            document's subsets, splitting it again assigns nothing and gives the same
            runs, and a statement draws the same dates, prices and names many times."""
            state = self.state.get(doc)
            known = state.__dict__.get("consign_runs") if state is not None else None
            if known is not None and text in known:
                return known[text]
            runs = super().splitString(text, doc, encoding)
            self.state[doc].__dict__.setdefault("consign_runs", {})[text] = runs
            return runs

    return Face


def _remembered(make_subset):
    """The embedded subset of a face for each list of characters, made once: statements
    laid out alike use their characters in the same order, so most of them embed the
    very subset the one before did (a pure function of the list: the same bytes)."""
    made: dict[tuple[int, ...], bytes] = {}

    def makeSubset(subset):
        key = tuple(subset)
        data = made.get(key)
        if data is None:
            if len(made) >= SUBSETS_KEPT:
                made.clear()
            data = made[key] = make_subset(subset)
        return data

    return makeSubset

"""Whole numbers in words, as written on Indonesian payment documents.

Indonesian spelling uses the prefix *se-* for "one" before puluh, belas, ratus
and ribu (sepuluh, sebelas, seratus, seribu) but not before juta, miliar or
triliun (satu juta).  *Seribu* is only for a thousands group that is exactly
one: 1.001.000 is "satu juta seribu", while 21.000 is "dua puluh satu ribu".
Amounts of a thousand triliun and more are spelled with a compound top unit
("seribu triliun"), the usage of Indonesian newspapers, so no amount is refused.

English follows the same shape without "and" or commas ("one million two
hundred fifty thousand"), with hyphenated tens ("twenty-one").
"""

from __future__ import annotations

from reports.fmt import check_lang

_ID_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_ID_SCALES = ((10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))
_ID_TOP = (10**12, "triliun")

_EN_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen",
)
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_SCALES = ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
_EN_TOP = (10**12, "trillion")


def terbilang(n: int) -> str:
    """Indonesian words for ``n``: 1250000 -> 'satu juta dua ratus lima puluh ribu'."""
    _check_whole(n)
    if n < 0:
        return "minus " + terbilang(-n)
    if n == 0:
        return "nol"
    return " ".join(_id_words(n))


def english_words(n: int) -> str:
    """English words for ``n``: 1250000 -> 'one million two hundred fifty thousand'."""
    _check_whole(n)
    if n < 0:
        return "minus " + english_words(-n)
    if n == 0:
        return "zero"
    return " ".join(_en_words(n))


def amount_in_words(n: int, lang: str = "id") -> str:
    """Whole rupiah in words, lower case: 'satu juta seribu rupiah', 'one thousand rupiah'."""
    words = english_words(n) if check_lang(lang) == "en" else terbilang(n)
    return words + " rupiah"


def _check_whole(n: object) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"Only whole rupiah (int) can be spelled, not {n!r}.")


def _id_words(n: int) -> list[str]:
    """Words for 0 < n, top unit spelled recursively."""
    top, name = _ID_TOP
    count, rest = divmod(n, top)
    words = (_id_words(count) + [name]) if count else []
    for scale, scale_name in _ID_SCALES:
        group, rest = divmod(rest, scale)
        if group == 1 and scale_name == "ribu":
            words.append("seribu")
        elif group:
            words += _id_below_thousand(group) + [scale_name]
    if rest:
        words += _id_below_thousand(rest)
    return words


def _id_below_thousand(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_ID_DIGITS[hundreds], "ratus"]
    if rest:
        words += _id_below_hundred(rest)
    return words


def _id_below_hundred(n: int) -> list[str]:
    if n == 10:
        return ["sepuluh"]
    if n == 11:
        return ["sebelas"]
    if n < 10:
        return [_ID_DIGITS[n]]
    if n < 20:
        return [_ID_DIGITS[n - 10], "belas"]
    tens, ones = divmod(n, 10)
    words = [_ID_DIGITS[tens], "puluh"]
    return words + [_ID_DIGITS[ones]] if ones else words


def _en_words(n: int) -> list[str]:
    top, name = _EN_TOP
    count, rest = divmod(n, top)
    words = (_en_words(count) + [name]) if count else []
    for scale, scale_name in _EN_SCALES:
        group, rest = divmod(rest, scale)
        if group:
            words += _en_below_thousand(group) + [scale_name]
    if rest:
        words += _en_below_thousand(rest)
    return words


def _en_below_thousand(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = [_EN_ONES[hundreds], "hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(_EN_ONES[rest])
    return words

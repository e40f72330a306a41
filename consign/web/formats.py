"""How figures, moments and the service layer's sentences read on a page: money through
the reports' explicit patterns (``Rp1.250.000``), dates in the request's language, times
in the business time zone, and every ``consign.i18n`` sentence rendered in the request's
language."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, g, make_response
from flask_babel import get_locale
from flask_babel import gettext as _

from consign.periods import zone


def lang() -> str:
    """The request's language: ``id`` or ``en`` (looked up once a request: every date and
    amount of a page asks)."""
    found = g.get("language")
    if found is None:
        found = g.language = get_locale().language
    return found


def said(sentence) -> str:
    """A sentence of the service layer (a ``Message``, or an error carrying one) in the
    request's language; an error's without the command line's remedy (a page has its own
    forms for it), and the field it names in words rather than as the command line's
    option (``jumlah``, not ``qty``)."""
    from consign.errors import ConsignError

    if isinstance(sentence, ConsignError):
        worded = _in_words(sentence.sentence, field_words())
        if worded is sentence.sentence:
            return sentence.fact(lang())
        sentence = worded
    return sentence.text(lang())


def _in_words(sentence, words: dict[str, str]):
    """The sentence with the field it names, and those of the sentences within it (a line's
    quantity within the line's SKU), in words; the very sentence where it names none."""
    from consign.i18n import Message

    params = {}
    for name, value in sentence.params.items():
        if name == "field" and isinstance(value, str) and value in words:
            params[name] = words[value]
        elif isinstance(value, Message):
            params[name] = _in_words(value, words)
        else:
            params[name] = value
    if all(params[name] is value for name, value in sentence.params.items()):
        return sentence
    return Message(sentence.template, params)


def remedy(error) -> dict:
    """What a page adds to a refusal whose remedy is one of the agency's forms: for a
    missing commission rate, a link to the Terms page (``rates``)."""
    from consign.errors import MissingRate

    return {"rates": True} if isinstance(error, MissingRate) else {}


def field_words() -> dict[str, str]:
    """The fields the services name in their sentences, as a page's reader knows them."""
    return {
        "account": _("account number"), "address": _("address"), "amount": _("amount"),
        "at": _("time"), "category": _("category"), "code": _("code"),
        "commission": _("commission"), "counted": _("count"), "date": _("date"),
        "days": _("days"), "display_days": _("display term"), "email": _("e-mail"),
        "name": _("name"), "nib": _("NIB"), "number": _("statement number"), "on": _("date"),
        "password": _("password"), "payment_days": _("payment term"), "period": _("month"),
        "phone": _("phone"), "phri_no": _("PHRI number"), "price": _("price"),
        "qty": _("quantity"), "reason": _("reason"), "receipt": _("receipt"),
        "ref": _("reference"), "sector": _("sector"), "sku": _("SKU"), "time": _("time"),
        "to": _("end"), "--to": _("end"), "from": _("start"), "payment": _("payment method"),
        "consignor": _("IKM"), "kind": _("what happened"), "liable": _("who bears it"),
        "owner": _("owner"), "description": _("description"), "holder": _("account holder"),
        "bank": _("bank"), "public_contact": _("contact shown"), "role": _("role"),
        "as-of": _("as of the day"), "as_of": _("as of the day"), "since": _("since"),
        "actor": _("recorded by"), "by": _("grouping"), "copies": _("labels of each product"),
        "movement": _("movement"),
    }


def rupiah(amount: int | None) -> str:
    from reports.fmt import rupiah as shown

    return "" if amount is None else shown(amount)


def number(value: int | None) -> str:
    from reports.fmt import number as shown

    return "" if value is None else shown(value, lang())


def clock(moment: datetime) -> str:
    """A moment's time of day in the business time zone: ``14.30`` (id), ``14:30`` (en)."""
    local = moment.astimezone(zone(current_app.config["CONSIGN_TZ"]))
    return local.strftime("%H.%M" if lang() == "id" else "%H:%M")


def long_date(day: date | None) -> str:
    from reports.fmt import long_date as shown

    return "" if day is None else shown(day, lang())


def moment(value: datetime | None) -> str:
    """A moment as its day and time in the business time zone: ``2 Desember 2026 14.05``."""
    if value is None:
        return ""
    local = value.astimezone(zone(current_app.config["CONSIGN_TZ"]))
    return f"{long_date(local.date())} {clock(value)}"


def month(period: str | None) -> str:
    """A month (``2020-08``) as its name and year: ``Agustus 2020`` (id), ``August 2020``."""
    from reports.fmt import period_label

    return "" if not period else period_label(period, lang())


def register(app: Flask) -> None:
    for function in (rupiah, number, clock, long_date, moment, month):
        app.add_template_filter(function)
    from consign.web.once import form_fields

    for function in (said, lang, switch_to, payment_label, form_fields):
        app.add_template_global(function)


def switch_to(code: str) -> str:
    """This page in another language: its address with ``lang`` set."""
    from flask import request, url_for

    if request.endpoint is None or request.endpoint == "static":
        return f"?lang={code}"
    args = request.args.to_dict()
    args["lang"] = code
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def payment_label(method: str) -> str:
    from flask_babel import gettext as _

    return {"cash": _("cash"), "card": _("card"), "qris": _("QRIS"),
            "transfer": _("bank transfer")}.get(method, method)


def download(data: bytes, kind: str, name: str):
    """``data`` handed out as a file called ``name`` of the media type ``kind``."""
    response = make_response(data)
    response.headers["Content-Type"] = kind
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def pdf_file(data: bytes, name: str):
    return download(data, "application/pdf", name)

"""A hotel's staff receive goods from an IKM, hand unsold goods back and write off what was
lost or damaged; each on one page of its own hotel, with a fixed number of line rows.

The services check every line and refuse the whole form on the first bad one: the form is
shown again as it was typed, the sentence next to the field it is about (an IKM's code,
the lines, a loss's kind, who is liable or its reason), and nothing of it is written. A
placement's receipt and a return's note are handed out as the archived PDF.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from consign.errors import ConsignError, NotFound
from consign.i18n import msg
from consign.ledger import LIABLE, LOSS_KINDS
from consign.services import access, ledger, lookup, proofs, registry
from consign.web.auth import context
from consign.web.errors import status_of
from consign.web.formats import lang, pdf_file, said
from consign.web.hotel import SHELF, WRITE, blueprint

ROWS = 5  # line rows on a form; a longer delivery is sent in more than one
LINE_FIELDS = ("sku", "qty", "price")


def _rows(priced: bool) -> list[dict]:
    names = LINE_FIELDS if priced else LINE_FIELDS[:2]
    return [{name: request.form.get(f"{name}-{row}", "") for name in names}
            for row in range(ROWS)]


def _lines(rows: list[dict]) -> list[tuple]:
    """The rows with anything typed in them, as the services take lines."""
    filled = [row for row in rows if any(value.strip() for value in row.values())]
    if rows and "price" in rows[0]:
        return [(row["sku"], row["qty"], row["price"] or None) for row in filled]
    return [(row["sku"], row["qty"]) for row in filled]


def _problems(error: ConsignError, names: tuple[str, ...]) -> dict:
    """A refusal of a line (its SKU, quantity or price; the sentence names the SKU) is shown
    next to the lines; another field's next to that field; a rule's refusal of the whole
    (a closed period, not enough on hand) above the form; anything else is the error
    page's."""
    if error.field == "lines" and "lines" in names:  # none typed: the page's own words
        return {"lines": _("Type at least one SKU with its quantity.")}
    field = "lines" if error.field in LINE_FIELDS else error.field
    if field in names:
        return {field: said(error)}
    if status_of(error) == 409:
        return {"form": said(error)}
    raise error


def _blank_rows(priced: bool) -> list[dict]:
    names = LINE_FIELDS if priced else LINE_FIELDS[:2]
    return [dict.fromkeys(names, "") for _row in range(ROWS)]


def _page(template: str, code: str, form: dict, rows: list[dict], problems: dict,
          status: int = 200, **more):
    ctx = context()
    access.require_at(g.session, ctx, WRITE, code)
    hotel = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    shelf = ledger.stock(g.session, hotel=hotel.code, tz=ctx.tz, now=ctx.now, ctx=ctx)
    return render_template(template, hotel=hotel, form=form, rows=rows, problems=problems,
                           shelf=shelf, done=request.args.getlist("done"), **more), status


# ---- receiving goods from an IKM ---------------------------------------------------------

@blueprint.get("/receive")
def receive(code):
    return _receive_page(code, {"consignor": ""}, _blank_rows(True), {})


def _receive_page(code, form, rows, problems, status=200):
    ctx = context()
    access.require_at(g.session, ctx, WRITE, code)
    return _page("hotel/receive.html", code, form, rows, problems, status,
                 consignors=registry.consignors(g.session, ctx=ctx))


@blueprint.post("/receive")
def receive_post(code):
    ctx = context()
    form = {"consignor": request.form.get("consignor", "")}
    rows = _rows(priced=True)
    try:
        with g.session.begin_nested():
            note = ledger.place(g.session, ctx, code, form["consignor"], _lines(rows))
    except ConsignError as error:
        return _receive_page(code, form, rows, _problems(error, ("consignor", "lines")),
                             status_of(error))
    units = sum(movement.qty for movement in note.movements)
    flash(ngettext("Received %(num)d unit from %(ikm)s on placement %(number)s.",
                   "Received %(num)d units from %(ikm)s on placement %(number)s.", units,
                   ikm=note.consignor, number=note.number), "done")
    return redirect(url_for(".receive", code=code, done=note.number))


# ---- handing goods back to their IKM -----------------------------------------------------

@blueprint.get("/return")
def give_back(code):
    return _page("hotel/return.html", code, {}, _blank_rows(False), {})


@blueprint.post("/return")
def give_back_post(code):
    ctx = context()
    rows = _rows(priced=False)
    try:
        with g.session.begin_nested():
            notes = ledger.return_goods(g.session, ctx, code, _lines(rows))
    except ConsignError as error:
        return _page("hotel/return.html", code, {}, rows, _problems(error, ("lines",)),
                     status_of(error))
    for note in notes:
        units = -sum(movement.qty for movement in note.movements)
        flash(ngettext("Returned %(num)d unit to %(ikm)s on return note %(number)s.",
                       "Returned %(num)d units to %(ikm)s on return note %(number)s.", units,
                       ikm=note.consignor, number=note.number), "done")
    return redirect(url_for(".give_back", code=code, done=[note.number for note in notes]))


# ---- a placement's receipt and a return's note, as archived ------------------------------

@blueprint.post("/notes/<number>.pdf")
def note_pdf(code, number):
    """The PDF of a placement (``PL-``) or return (``RT-``) of this page's hotel. A POST, as
    the first copy asked for in a language is archived."""
    ctx = context()
    access.require_at(g.session, ctx, WRITE, code)
    hotel = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    make = proofs.return_note if number.upper().startswith("RT-") else proofs.receipt
    proof = make(g.session, ctx, number, lang())
    if lookup.note(g.session, proof.reference, field="number").hotel.code != hotel.code:
        raise NotFound(msg("No note {number}.", number=proof.reference), field="number")
    return pdf_file(proof.data, f"{proof.reference}.pdf")


# ---- goods lost or damaged ---------------------------------------------------------------

LOSS_FIELDS = ("kind", "liable", "reason")


@blueprint.get("/loss")
def loss(code):
    return _loss_page(code, {"kind": "", "liable": "", "reason": ""}, _blank_rows(False), {})


def _loss_page(code, form, rows, problems, status=200):
    return _page("hotel/loss.html", code, form, rows, problems, status, kinds=LOSS_KINDS,
                 liable=LIABLE, label=loss_label)


@blueprint.post("/loss")
def loss_post(code):
    ctx = context()
    form = {name: request.form.get(name, "") for name in LOSS_FIELDS}
    rows = _rows(priced=False)
    try:
        with g.session.begin_nested():
            notes = ledger.write_off(g.session, ctx, code, form["kind"], form["liable"],
                                     form["reason"], _lines(rows))
    except ConsignError as error:
        return _loss_page(code, form, rows, _problems(error, ("lines", *LOSS_FIELDS)),
                          status_of(error))
    for note in notes:
        units = -sum(movement.qty for movement in note.movements)
        flash(ngettext("Wrote off %(num)d unit of %(ikm)s on loss note %(number)s.",
                       "Wrote off %(num)d units of %(ikm)s on loss note %(number)s.", units,
                       ikm=note.consignor, number=note.number), "done")
    return redirect(url_for(".loss", code=code))


def loss_label(value: str) -> str:
    return {"lost": _("lost"), "damaged": _("damaged"), "hotel": _("the hotel"),
            "consignor": _("the IKM")}.get(value, value)


# ---- price labels for the shelf ----------------------------------------------------------

LABEL_FIELDS = ("consignor", "copies")


@blueprint.get("/labels")
def labels(code):
    return _labels_page(code, dict.fromkeys(LABEL_FIELDS, ""), {})


def _labels_page(code, form, problems, status=200):
    ctx = context()
    access.require_at(g.session, ctx, SHELF, code)
    hotel = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    return render_template("hotel/labels.html", hotel=hotel, form=form, problems=problems,
                           consignors=registry.consignors(g.session, ctx=ctx)), status


@blueprint.get("/labels.pdf")
def labels_pdf(code):
    """Sheets of cut-out price labels, as ``consign doc labels`` writes them: one a unit on
    hand, or the copies asked for of each product; of one IKM's goods if one is named."""
    from consign import settings
    from consign.services import shelf_paper
    from reports.price_labels import render_price_labels

    ctx = context()
    access.require_at(g.session, ctx, SHELF, code)
    form = {name: request.args.get(name, "") for name in LABEL_FIELDS}
    try:
        view = shelf_paper.build_price_labels_view(
            g.session, ctx, code, form["consignor"] or None, (), form["copies"] or None,
            settings.public_url())
    except ConsignError as error:
        return _labels_page(code, form, _problems(error, LABEL_FIELDS), status_of(error))
    return pdf_file(render_price_labels(view, lang()), f"labels-{view.hotel_code}.pdf")


# ---- a stock count -----------------------------------------------------------------------

COUNT_FORM = "count"  # the name the count's rows are refused under: "count:LINE"


@blueprint.get("/count")
def count(code):
    ctx = context()
    access.require_at(g.session, ctx, SHELF, code)
    hotel = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    shelf = ledger.stock(g.session, hotel=hotel.code, tz=ctx.tz, now=ctx.now, ctx=ctx)
    rows = [{"sku": row.sku, "name": row.name, "counted": "", "found": False}
            for row in shelf]
    return _count_page(hotel, rows + _found_rows(), {}, None, "hotel")


FOUND_ROWS = 3  # rows for goods found on the shelf that the ledger has none of there


def _found_rows() -> list[dict]:
    return [{"sku": "", "name": "", "counted": "", "found": True} for _ in range(FOUND_ROWS)]


def _count_page(hotel, rows, problems, result, liable, status=200):
    return render_template("hotel/count.html", hotel=hotel, rows=rows, problems=problems,
                           result=result, liable=liable, choices=LIABLE,
                           label=loss_label), status


@blueprint.post("/count")
def count_post(code):
    """The counted units compared with the ledger and shown, nothing written; with
    ``apply``, the differences recorded under a count note."""
    import csv
    import io

    from consign.tabular import Upload

    ctx = context()
    apply = request.form.get("apply") == "yes"
    access.require_at(g.session, ctx, WRITE if apply else SHELF, code)
    hotel = registry.hotel(g.session, code, ctx.today, ctx=ctx)
    rows, index = [], 0
    while f"sku-{index}" in request.form and index < 1000:
        rows.append({"sku": request.form.get(f"sku-{index}", ""),
                     "name": request.form.get(f"name-{index}", ""),
                     "counted": request.form.get(f"counted-{index}", ""),
                     "found": request.form.get(f"found-{index}") == "yes"})
        index += 1
    liable = request.form.get("liable", "hotel")
    text, lines = io.StringIO(), {}
    writer = csv.writer(text)
    writer.writerow(("sku", "counted"))
    for index, row in enumerate(rows):
        if row["counted"].strip() or (row["found"] and row["sku"].strip()):
            writer.writerow((row["sku"], row["counted"]))
            lines[len(lines) + 2] = index  # the header is line 1
    upload = Upload(COUNT_FORM, text.getvalue().encode())
    try:
        with g.session.begin_nested():
            result = ledger.count(g.session, ctx, code, upload, apply=apply, liable=liable)
    except ConsignError as error:
        return _count_page(hotel, rows, _count_problems(error, lines, rows), None, liable,
                           status_of(error))
    if not apply:
        return _count_page(hotel, rows, {}, result, liable)
    if not result.note.movements:  # the count is on record, with nothing to correct
        flash(_("The count matches the ledger: recorded on count note %(number)s, with no "
                "differences.", number=result.note.number), "done")
    else:
        flash(_("Recorded the differences of the count on count note %(number)s.",
                number=result.note.number), "done")
    return redirect(url_for(".shelf", code=code))


def _count_problems(error: ConsignError, lines: dict[int, int], rows: list[dict]) -> dict:
    """A refused row's sentence next to its counted units (next to the SKU typed in a row
    of goods found, when the SKU is what is wrong); a refusal of the whole (who is liable,
    a closed period) above the form."""
    from consign.errors import InvalidRows

    if isinstance(error, InvalidRows):
        problems = {}
        for where, refusal in zip(error.where, error.errors, strict=True):
            line = int(where.rsplit(":", 1)[1]) if where.rsplit(":", 1)[-1].isdigit() else 0
            index = lines.get(line)
            if index is None:
                key = "form"
            elif rows[index]["found"] and refusal.field == "sku":
                key = f"sku-{index}"
            else:
                key = f"counted-{index}"
            problems.setdefault(key, said(refusal))
        return problems
    if error.field == "liable":
        return {"liable": said(error)}
    if error.field in ("file", "lines") or status_of(error) == 409:
        return {"form": said(error)}
    raise error

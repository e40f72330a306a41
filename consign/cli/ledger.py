"""Ledger commands: place, sell, sales import, void, movements, return, loss, count, stock,
and check.

Hotel staff type these all day, so nothing heavy is imported until a command runs.
"""

import re
import sys

import click

from consign import fields
from consign import ledger as rules
from consign.cli import App, pass_app, usage
from consign.cli import types as t
from consign.cli.output import emit, format_option, say, text
from consign.errors import InvalidInput
from consign.i18n import msg

MONEY = ("unit_price", "amount")
PDF_LANGUAGES = ("id", "en")
_LINE = re.compile(r"(?P<sku>[^=@\s]+)=(?P<qty>[^@\s]+)(?:@(?P<price>.+))?")


# ---- parameter types --------------------------------------------------------------------

def _line(text: str, field: str, priced: bool):
    """``SKU=QTY`` or ``SKU=QTY@PRICE``: the line's grammar here, each part through its
    field's parser."""
    match = _LINE.fullmatch(text.strip())
    if not match or (match["price"] and not priced):
        said = (msg("{text!r} is not written SKU=QTY or SKU=QTY@PRICE (e.g. BTK-001=3)",
                    text=text[:40]) if priced else
                msg("{text!r} is not written SKU=QTY (e.g. BTK-001=3)", text=text[:40]))
        raise InvalidInput(said, field=field)
    sku = fields.sku(match["sku"])
    qty = fields.quantity(match["qty"], f"{sku} qty")
    if not priced:
        return sku, qty
    return sku, qty, fields.optional_price(match["price"], f"{sku} price")


PLACED = t.Parsed("SKU=QTY[@PRICE]", lambda text, field: _line(text, "lines", priced=True))
LINE = t.Parsed("SKU=QTY", lambda text, field: _line(text, "lines", priced=False))


class When(click.ParamType):
    """``WHEN``: a date (the start of that day) or a date and time, in the business time
    zone; not in the future. With ``end_of_day``, a date means the end of that day."""

    name = "when"

    def __init__(self, end_of_day: bool = False):
        self.end_of_day = end_of_day

    def convert(self, value, param, ctx):
        from consign.cli import language

        context = ctx.find_object(App).context()
        field = t.field_name(param, "at")
        try:
            if self.end_of_day:
                return fields.moment(value, context.tz, field, end_of_day=True)
            return fields.when(value, context.now, context.tz, field)
        except InvalidInput as error:
            self.fail(error.text(language()), param, ctx)


WHEN = When()
AT_OPTION = click.option(
    "--at", type=WHEN, metavar="WHEN",
    help="When it happened: 2020-10-05 (start of the day), '2020-10-05 14:30', "
         "'05/10/2020 14.30' or '5 Oktober 2020'. Default: now.",
)
HOTEL_OPTION = click.option("--hotel", type=t.CODE, required=True, help="The hotel's code.")


def shown(moment, tz) -> str:
    """``5 Oktober 2020 14:30``."""
    from consign.periods import spoken

    return spoken(moment, tz)


def _emit_note(record: dict, fmt: str, title) -> None:
    if fmt != "table":
        emit(record if fmt == "json" else record["movements"], fmt)
        return
    say(title)
    rows = [{key: line[key] for key in ("id", "sku", "qty", "unit_price")}
            for line in record["movements"]]
    emit(rows, "table", money=MONEY)


# ---- placing, returning, writing off ----------------------------------------------------

@click.command()
@HOTEL_OPTION
@click.option("--consignor", type=t.CODE, help="The IKM whose goods these are.")
@click.option("--file", "path", type=click.Path(dir_okay=False),
              help="CSV or .xlsx with columns consignor,sku,qty,price (price may be blank): "
                   "one placement per IKM.")
@AT_OPTION
@click.argument("lines", nargs=-1, type=PLACED, metavar="SKU=QTY[@PRICE]...")
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False), metavar="FILE.pdf",
              help="Also write the receipt (tanda terima) to FILE.pdf, archived as the proof. "
                   "A file of several IKM makes one placement and one receipt each: "
                   "FILE-IKM-0001.pdf, FILE-IKM-0002.pdf, ...")
@click.option("--lang", type=t.choice(PDF_LANGUAGES), default="id", show_default=True,
              help="Language of the --pdf receipt.")
@format_option
@pass_app
def place(app, hotel, consignor, path, at, lines, pdf, lang, fmt):
    """Record goods received by a hotel from an IKM: one numbered placement (PL-2020-00042)
    per IKM, each line at its price (default: the product's list price)."""
    from consign import serialize
    from consign.cli import doc_proofs
    from consign.cli.files import recorded
    from consign.services import ledger
    from consign.tabular import Upload

    if path and (lines or consignor):
        raise usage(msg("give either --file or --consignor with SKU=QTY lines"))
    if not path and not (consignor and lines):
        raise usage(msg("give --consignor and at least one SKU=QTY line, or --file"))
    ctx = app.context()
    upload = Upload.read(path) if path else None
    written = []
    with recorded(app, path) as (session, files):
        if pdf is not None:
            files.check(pdf, "pdf")
        if upload:
            notes = ledger.place_file(session, ctx, hotel, upload, at)
        else:
            notes = [ledger.place(session, ctx, hotel, consignor, list(lines), at)]
        if pdf is not None:
            made = _proofs(session, ctx, "receipts", notes, lang)
            written = doc_proofs.write_proofs(files, pdf, made)
    records = [serialize.note(note, ctx.tz) for note in notes]
    if fmt == "json":
        emit(records if path else records[0], fmt)
    elif fmt == "csv":
        emit([line for record in records for line in record["movements"]], fmt)
    else:
        for note, record in zip(notes, records, strict=True):
            _emit_note(record, fmt, msg(
                "Placement {number} at {hotel} from {consignor}, {at}:",
                number=record["number"], hotel=record["hotel"],
                consignor=record["consignor"], at=shown(note.at, ctx.tz)))
        for target in written:
            say(msg("Receipt written to {target}.", target=str(target)))


def _proofs(session, ctx, which: str, notes, lang: str):
    """The proofs of the notes just recorded (``receipts`` or ``return_notes``), made and
    archived in the same transaction; the PDF renderer is loaded only when asked for."""
    from consign.services import proofs

    return getattr(proofs, which)(session, ctx, [note.number for note in notes], lang)


def _emit_notes(notes, fmt: str, ctx, title) -> None:
    """Print the notes a command wrote: with ``--format json`` the note's object, or a list
    of them when the goods of several IKM made one note each."""
    from consign import serialize

    records = [serialize.note(note, ctx.tz) for note in notes]
    if fmt == "json":
        emit(records[0] if len(records) == 1 else records, fmt)
    elif fmt == "csv":
        emit([line for record in records for line in record["movements"]], fmt)
    else:
        for note, record in zip(notes, records, strict=True):
            _emit_note(record, fmt, title(note, record))


@click.command("return")
@HOTEL_OPTION
@AT_OPTION
@click.argument("lines", nargs=-1, required=True, type=LINE, metavar="SKU=QTY...")
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False), metavar="FILE.pdf",
              help="Also write the return note (nota retur) to FILE.pdf, archived as the "
                   "proof. Goods of several IKM make one note each, each in its own file for "
                   "its owner to sign: FILE-IKM-0001.pdf, FILE-IKM-0002.pdf, ...")
@click.option("--lang", type=t.choice(PDF_LANGUAGES), default="id", show_default=True,
              help="Language of the --pdf return note.")
@format_option
@pass_app
def return_(app, hotel, at, lines, pdf, lang, fmt):
    """Record unsold goods handed back to their IKM: a return note (RT-2020-00001) per IKM."""
    from consign.cli import doc_proofs
    from consign.cli.files import recorded
    from consign.services import ledger

    ctx = app.context()
    written = []
    with recorded(app) as (session, files):
        if pdf is not None:
            files.check(pdf, "pdf")
        notes = ledger.return_goods(session, ctx, hotel, list(lines), at)
        if pdf is not None:
            made = _proofs(session, ctx, "return_notes", notes, lang)
            written = doc_proofs.write_proofs(files, pdf, made)
    _emit_notes(notes, fmt, ctx, lambda note, record: msg(
        "Return {number} from {hotel} to {consignor}, {at}:", number=note.number,
        hotel=note.hotel, consignor=note.consignor, at=shown(note.at, ctx.tz)))
    if fmt == "table":
        for target in written:
            say(msg("Return note written to {target}.", target=str(target)))


@click.command()
@HOTEL_OPTION
@click.option("--kind", type=t.choice(rules.LOSS_KINDS), required=True,
              help="Lost (gone) or damaged (unsellable).")
@click.option("--liable", type=t.choice(rules.LIABLE), required=True,
              help="Who bears it: the hotel pays for it like a sale; the IKM does not get paid.")
@click.option("--reason", required=True, type=t.TEXT, help="What happened.")
@AT_OPTION
@click.argument("lines", nargs=-1, required=True, type=LINE, metavar="SKU=QTY...")
@format_option
@pass_app
def loss(app, hotel, kind, liable, reason, at, lines, fmt):
    """Write off goods lost or damaged at a hotel: a loss note (LS-2020-00001) per IKM."""
    from consign.services import ledger

    ctx = app.context()
    with app.transaction() as session:
        notes = ledger.write_off(session, ctx, hotel, kind, liable, reason, list(lines), at)
    _emit_notes(notes, fmt, ctx, lambda note, record: msg(
        "Write-off {number} at {hotel} of {consignor}'s goods ({kind}, {liable}), {at}:",
        number=note.number, hotel=note.hotel, consignor=note.consignor,
        kind=LOSS_SAID[kind], liable=LIABLE_SAID[liable], at=shown(note.at, ctx.tz)))


# the words of a write-off's title, per kind and per who is liable (rules.LOSS_KINDS, LIABLE)
LOSS_SAID = {"lost": msg("lost"), "damaged": msg("damaged")}
LIABLE_SAID = {"hotel": msg("liable: hotel"), "consignor": msg("liable: consignor")}


# ---- sales ------------------------------------------------------------------------------

@click.command()
@HOTEL_OPTION
@click.argument("sku", type=t.SKU)
@click.option("--qty", type=t.QTY, default="1", show_default=True, help="Units sold.")
@click.option("--price", type=t.PRICE,
              help="Unit price. Default: the latest placement's price at the hotel, else the "
                   "list price.")
@AT_OPTION
@click.option("--receipt", type=t.RECEIPT,
              help="Receipt number: logging the same sale again changes nothing.")
@click.option("--payment", type=t.choice(rules.PAYMENT_METHODS), help="How it was paid.")
@format_option
@pass_app
def sell(app, hotel, sku, qty, price, at, receipt, payment, fmt):
    """Log a sale of SKU at a hotel."""
    from consign import serialize
    from consign.money import rupiah
    from consign.services import ledger

    ctx = app.context()
    with app.transaction() as session:
        result = ledger.sell(session, ctx, hotel, sku, qty, price, at, receipt, payment)
    record = serialize.movement(result.movement, ctx.tz)
    record["already_recorded"] = result.already_recorded
    record["voided"] = result.voided
    if fmt != "table":
        emit(record, fmt, money=MONEY)
        return
    values = {"receipt": record["receipt"], "qty": -record["qty"], "sku": record["sku"],
              "hotel": record["hotel"], "id": record["id"],
              "at": shown(result.movement.at, ctx.tz)}
    if result.voided:
        say(msg("Receipt {receipt}: {qty} × {sku} at {hotel} is already recorded (voided): "
                "movement {id}, sold {at} and since voided; nothing changed.", **values))
    elif result.already_recorded:
        say(msg("Receipt {receipt}: {qty} × {sku} at {hotel} is already recorded (movement "
                "{id}, sold {at}); nothing changed.", **values))
    else:
        say(msg("Sold {qty} × {sku} at {hotel} for {total} ({price} each), {at}: movement "
                "{id}.", **{**values, "qty": qty}, total=rupiah(qty * record["unit_price"]),
                price=rupiah(record["unit_price"])))


@click.group()
def sales():
    """Sales in bulk: import the file a hotel's till exports."""


@sales.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@HOTEL_OPTION
@format_option
@pass_app
def sales_import(app, file, hotel, fmt):
    """Import sales from CSV or .xlsx (columns: sold_at,sku,qty,unit_price,receipt, and
    optionally payment; unit_price, receipt and payment may be blank). All or nothing;
    rows whose receipt is already recorded are skipped, so the same or an overlapping
    file can be imported again."""
    from consign.services import ledger
    from consign.tabular import Upload

    upload = Upload.read(file)
    with app.transaction() as session, _progress() as progress:
        result = ledger.import_sales(session, app.context(), hotel, upload, progress=progress)
    record = {"file": file, "added": result.added, "already_recorded": result.already_recorded,
              "voided": result.voided}
    if fmt == "table" and result.voided:
        say(msg("{file}: {added} added, {already} already recorded ({voided} of them "
                "voided).", file=file, added=result.added, already=result.already_recorded,
                voided=result.voided))
    elif fmt == "table":
        say(msg("{file}: {added} added, {already} already recorded.", file=file,
                added=result.added, already=result.already_recorded))
    else:
        emit(record, fmt)


class _progress:
    """A progress bar on stderr, shown only on a terminal."""

    def __enter__(self):
        self.bar = None
        return self if sys.stderr.isatty() else None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=text(msg("Importing")),
                                         file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@click.command()
@click.argument("movement_id", type=t.ID, metavar="[MOVEMENT_ID]", required=False)
@click.option("--hotel", type=t.CODE, help="With --receipt: the hotel of the receipt.")
@click.option("--receipt", type=t.RECEIPT,
              help="Void the receipt's sales still in force (all its lines, or --sku's).")
@click.option("--sku", type=t.SKU, help="With --receipt: only this SKU's line.")
@click.option("--note", "note_number", metavar="NUMBER",
              help="Void the lines still in force of a placement, return, loss or count "
                   "note (PL-2020-00042).")
@click.option("--reason", required=True, type=t.TEXT, help="Why it is voided.")
@AT_OPTION
@format_option
@pass_app
def void(app, movement_id, hotel, receipt, sku, note_number, reason, at, fmt):
    """Undo a movement with a reversal that names it: by MOVEMENT_ID (see 'consign
    movements'), every sale of a receipt (--hotel --receipt [--sku]), or every line of a
    note (--note). All or nothing. A void made by mistake is undone by voiding the
    reversal: that puts the original back in force."""
    from consign import serialize
    from consign.services import ledger

    ways = [movement_id is not None, receipt is not None, note_number is not None]
    if sum(ways) != 1:
        raise usage(msg("give a MOVEMENT_ID, --hotel with --receipt, or --note"))
    if receipt is not None and hotel is None:
        raise usage(msg("--receipt needs --hotel"))
    if (hotel or sku) and receipt is None:
        raise usage(msg("--hotel and --sku go with --receipt"))
    ctx = app.context()
    with app.transaction() as session:
        if movement_id is not None:
            reversals = [ledger.void(session, ctx, movement_id, reason, at)]
        elif receipt is not None:
            voided = ledger.void_receipt(session, ctx, hotel, receipt, reason, sku, at)
            reversals = list(voided.movements)
        else:
            voided = ledger.void_note(session, ctx, note_number, reason, at)
            reversals = list(voided.movements)
    records = [serialize.movement(reversal, ctx.tz) for reversal in reversals]
    if fmt == "csv":
        emit(records, fmt)
    elif fmt == "json":
        emit(records[0] if movement_id is not None else
             {"number": voided.note, "note": voided.note, "hotel": voided.hotel,
              "receipt": voided.receipt, "movements": records}, fmt)
    else:
        for reversal, record in zip(reversals, records, strict=True):
            values = {"reverses": reversal.reverses, "qty": abs(reversal.qty),
                      "sku": reversal.sku, "hotel": reversal.hotel, "id": record["id"]}
            say(msg("Voided movement {reverses} ({qty} × {sku} at {hotel}): reversal {id} "
                    "cancels it in its own period.", **values) if reversal.cancels else
                msg("Voided movement {reverses} ({qty} × {sku} at {hotel}): reversal {id} "
                    "corrects it in the period of the void, its own being closed.", **values))


MOVEMENT_COLUMNS = ["id", "at", "kind", "sku", "qty", "unit_price", "receipt", "note",
                    "recorded_by", "reversed_by", "in_force"]


@click.command()
@click.option("--hotel", type=t.CODE, help="Only this hotel's.")
@click.option("--consignor", type=t.CODE, help="Only this IKM's goods.")
@click.option("--sku", type=t.SKU, help="Only this product's.")
@click.option("--kind", type=t.choice(rules.MOVEMENT_KINDS), help="Only this kind.")
@click.option("--from", "since", type=t.DATE, metavar="DATE", help="From this day on.")
@click.option("--to", "until", type=t.DATE, metavar="DATE", help="Up to the end of this day.")
@click.option("--receipt", type=t.RECEIPT, help="Only this receipt's.")
@click.option("--note", "note_number", metavar="NUMBER", help="Only this note's lines.")
@click.option("--limit", type=t.ID, metavar="N", help="At most this many (the newest).")
@format_option
@pass_app
def movements(app, hotel, consignor, sku, kind, since, until, receipt, note_number, limit,
              fmt):
    """The ledger, newest first: each movement's id, moment, kind, SKU, quantity, unit
    price, receipt, note, who recorded it and the reversal that voided it, if any. How a
    clerk finds the sale to void: 'consign movements --hotel ATRIA --from 2020-10-05'."""
    from consign import serialize
    from consign.services import ledger

    ctx = app.context()
    with app.transaction(readonly=True) as session:
        found = ledger.movements(session, ctx.tz, hotel, consignor, sku, kind, since, until,
                                 receipt, note_number, limit)
    rows = [serialize.movement(movement, ctx.tz) for movement in found]
    if fmt == "table":
        for row, movement in zip(rows, found, strict=True):
            row["at"] = movement.at.astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M")
    emit(rows, fmt, money=MONEY, columns=MOVEMENT_COLUMNS if fmt == "table" else None)


# ---- counting and reading the stock -----------------------------------------------------

@click.command()
@HOTEL_OPTION
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--apply", is_flag=True,
              help="Record the differences as movements (otherwise only show them).")
@click.option("--liable", type=t.choice(rules.LIABLE), default="hotel", show_default=True,
              help="Who bears a shortage; it is settled like a loss.")
@AT_OPTION
@format_option
@pass_app
def count(app, hotel, file, apply, liable, at, fmt):
    """Stock count (stock opname): compare FILE (columns sku,counted) with the ledger, SKU by
    SKU. With --apply, record each difference under a count note (SO-2020-00001). SKUs on
    hand that FILE does not list are shown, and left as they are."""
    from consign import serialize
    from consign.periods import iso
    from consign.services import ledger
    from consign.tabular import Upload

    ctx = app.context()
    upload = Upload.read(file)
    with app.transaction(readonly=not apply) as session:
        result = ledger.count(session, ctx, hotel, upload, apply=apply, liable=liable, at=at)
    note = serialize.note(result.note, ctx.tz) if result.note else None
    lines = [_count_line(line) for line in result.lines + result.not_counted]
    record = {"hotel": result.hotel, "at": iso(result.at, ctx.tz), "applied": apply,
              "number": note["number"] if note else None, "lines": lines,
              "movements": note["movements"] if note else []}
    if fmt != "table":
        emit(record if fmt == "json" else lines, fmt)
        return
    say(msg("Count at {hotel}, {at}:", hotel=result.hotel, at=shown(result.at, ctx.tz)))
    emit(lines, "table")
    if note:
        ids = ", ".join(str(movement["id"]) for movement in note["movements"])
        say(msg("Recorded as {number}: movements {ids}.", number=note["number"], ids=ids)
            if ids else msg("Recorded as {number}: no differences to record.",
                            number=note["number"]))
    elif any(line["difference"] for line in lines if line["counted"] is not None):
        say(msg("Nothing recorded: run again with --apply to record the differences."))


def _count_line(line) -> dict:
    return {"sku": line.sku, "name": line.name, "consignor": line.consignor,
            "expected": line.expected, "counted": line.counted,
            "difference": line.difference if line.counted is not None else None}


@click.command()
@click.option("--hotel", type=t.CODE, help="Only this hotel.")
@click.option("--consignor", type=t.CODE, help="Only this IKM's goods.")
@click.option("--as-of", type=When(end_of_day=True), metavar="DATE",
              help="As it stood at the end of DATE (or at 'DATE HH:MM'). Default: now.")
@format_option
@pass_app
def stock(app, hotel, consignor, as_of, fmt):
    """What is on which hotel's shelf: units on hand per hotel, IKM and SKU, their value at
    the latest placement's price (else the list price), the days on display of the oldest
    unit (first in, first out), the last day of its display term (due_on) and whether it
    is past it (due_back)."""
    from consign.serialize import day
    from consign.services import ledger

    ctx = app.context()
    with app.transaction(readonly=True) as session:
        rows = ledger.stock(session, hotel=hotel, consignor=consignor, as_of=as_of,
                            tz=ctx.tz, now=ctx.now)
    emit([{"hotel": r.hotel, "consignor": r.consignor, "sku": r.sku, "name": r.name,
           "on_hand": r.on_hand, "value": r.value, "oldest_days": r.oldest_days,
           "due_on": day(r.due_on), "due_back": r.due_back} for r in rows], fmt,
         money=("value",), columns=["hotel", "consignor", "sku", "name", "on_hand", "value",
                                    "oldest_days", "due_on", "due_back"])


@click.command()
@click.option("--anchor", metavar="HASH",
              help="The head of the audit chain written down at an earlier check: the chain "
                   "must still hold it (so it was not cut back behind it).")
@format_option
@pass_app
@click.pass_context
def check(click_ctx, app, anchor, fmt):
    """Recompute every invariant (stock from movements, never below zero, reversals, every
    unit accounted for, statements as issued with their archived PDFs, number series
    without gaps, references intact, every movement audited, the audit log's hash chain)
    and print each problem; exit 1 if any. The audit log's queue is first taken into its
    chain, and the chain's head is printed: write it down, and give it to a later check as
    --anchor."""
    from consign.cli import language
    from consign.services import audit
    from consign.services import check as checks

    with app.transaction() as session:
        found = checks.problems(session, app.context().tz)
        length, head = audit.chain_head(session)
        if anchor and not audit.holds(session, anchor):
            found.append(msg("The audit chain does not hold {anchor}: it was cut back behind "
                             "that head, or the head was written down from another database.",
                             anchor=anchor.strip()))
    # CSV and JSON are for scripts and stay as they were, in English; the table is said
    lang = language() if fmt == "table" else "en"
    problems = [checks.as_text(problem, lang) for problem in found]
    if fmt == "json":
        emit({"problems": problems, "audit_chain": {"length": length, "head": head}}, fmt)
    elif fmt == "csv":
        emit([{"problem": problem} for problem in problems], fmt, columns=["problem"])
    else:
        if problems:
            click.echo("\n".join(problems))
        else:
            say(msg("No problems found."))
        say(msg("Audit chain: {length} entries, head {head}.", length=length, head=head))
    if problems:
        click_ctx.exit(1)


COMMANDS = [place, sell, sales, void, movements, return_, loss, count, stock, check]

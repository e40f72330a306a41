"""Reading statements (with what their payments make of them), their PDFs, and checking a
PDF file or the code on a paper copy."""

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from consign import fields, money, policy, records
from consign import settlement as settlement_rules
from consign.context import Context
from consign.errors import InvalidInput, NotFound
from consign.i18n import Message, msg
from consign.models import Payment, PaymentVoid, Statement
from consign.models.documents import PROOF_KINDS
from consign.periods import parse_period, zone
from consign.policy import Role
from consign.services import access, archive, lookup

STATUSES = ("draft", "issued", "overdue", "paid")  # what ``statement list --status`` takes
READ = "settlement.read"
_NUMBER_TEXT = re.compile(r"ST-\d{6}")


def with_parts():
    return (selectinload(Statement.lines), selectinload(Statement.stock),
            selectinload(Statement.losses))


def _ordered(query):
    return query.order_by(Statement.period, Statement.hotel_code, Statement.consignor_code)


def list_statements(
    session: Session,
    ctx: Context,
    period=None,
    hotel: str | None = None,
    consignor: str | None = None,
    status: str | None = None,
) -> list[records.Statement]:
    """``statement list``: the statements chosen, each with what its payments make of it;
    ``status`` as they stand today (``overdue``: something owed after the due date). Only
    those the acting role sees: a hotel's, its own; an IKM's, its own at every hotel."""
    role = access.require(session, ctx, READ)
    status = fields.choice(status, "status", STATUSES) if status else None
    chosen = _chosen(session, period, hotel, consignor,
                     "draft" if status == "draft" else None, role=role)
    found = [records.statement_of(s, o) for s, o in with_owing(session, ctx, chosen)]
    if status == "overdue":
        return [record for record in found if record.overdue]
    return [record for record in found if status is None or record.status == status]


def with_owing(session: Session, ctx: Context, statements: list[Statement]):
    """(statement, ``settlement.Owing``) for each of ``statements``: their payments read
    in one query."""
    made = payments_made(session, [s.id for s in statements if s.status != "draft"])
    return [(s, settlement_rules.owing(s.status, s.net, s.due_on, made.get(s.id, ()),
                                       ctx.today))
            for s in statements]


def payments_made(session: Session, statement_ids: list[int]
                  ) -> dict[int, list[settlement_rules.PaymentMade]]:
    """Per statement id, its payments in the order they were recorded, voided or not."""
    made: dict[int, list[settlement_rules.PaymentMade]] = defaultdict(list)
    if not statement_ids:
        return made
    rows = session.execute(
        select(Payment.statement_id, Payment.paid_on, Payment.amount, Payment.ref,
               PaymentVoid.payment_id.is_not(None).label("voided"))
        .outerjoin(PaymentVoid, PaymentVoid.payment_id == Payment.id)
        .where(Payment.statement_id.in_(statement_ids))
        .order_by(Payment.id)
    )
    for statement_id, on, amount, ref, voided in rows:
        made[statement_id].append(settlement_rules.PaymentMade(on, amount, ref, bool(voided)))
    return made


def seen(role: Role):
    """The statements ``role`` sees: a hotel's, its own; an IKM's, its own."""
    return access.records(role, Statement.hotel_id, Statement.consignor_id)


def _chosen(session: Session, period=None, hotel=None, consignor=None, status=None,
            parts: bool = False, role: Role = policy.FULL) -> list[Statement]:
    query = select(Statement).where(seen(role))
    if period is not None:
        query = query.where(Statement.period == str(fields.period(period)))
    if hotel:
        query = query.where(Statement.hotel_id == lookup.hotel(session, hotel, role=role).id)
    if consignor:
        query = query.where(
            Statement.consignor_id == lookup.consignor(session, consignor, role=role).id)
    if status:
        query = query.where(Statement.status == status)
    if parts:
        query = query.options(*with_parts())
    return list(session.scalars(_ordered(query)))


FROZEN = ("number", "hotel_code", "consignor_code", "period", "issued_on", "due_on",
          "pdf_sha256", "gross", "commission", "opening_balance", "net", "hotel_name",
          "hotel_address", "hotel_phone", "consignor_name", "owner_name", "consignor_address",
          "bank", "account", "holder")
FROZEN_LINE = ("kind", "day", "sku", "name", "qty", "unit_price", "amount", "rate_bp",
               "movement_id")
FROZEN_STOCK = ("sku", "name", "opening", "placed", "sold", "returned", "lost", "counted",
                "corrected", "closing")
FROZEN_LOSS = ("kind", "day", "sku", "name", "qty", "note", "reason", "movement_id")
DIGEST_EDITION = 2  # 2: a line's receipt, time, note and what it corrects, and the losses


def frozen_digest(statement: Statement, edition: int = DIGEST_EDITION) -> str:
    """The SHA-256 of everything an issued statement froze: its row, its lines, its stock
    rows and (from ``edition`` 2, the statements issued since lines say what an owner
    ticks them off with) the lines' details and the losses the IKM bore. Written into the
    audit entry of its issue, with its edition; ``check`` holds the statement to it."""
    line_fields = FROZEN_LINE + (records.LINE_DETAIL if edition >= 2 else ())
    return digest_of(
        tuple(getattr(statement, name) for name in FROZEN),
        [tuple(getattr(line, name) for name in line_fields) for line in statement.lines],
        [tuple(getattr(row, name) for name in FROZEN_STOCK) for row in statement.stock],
        [tuple(getattr(loss, name) for name in FROZEN_LOSS) for loss in statement.losses],
        edition)


def digest_of(row: tuple, lines, stock, losses, edition: int) -> str:
    """``frozen_digest`` of a statement given as tuples of what it reads: the statement's
    ``FROZEN`` values, and each line's, stock row's and loss's (``check`` hands them over
    from plain rows: a year's million lines as objects would take minutes and gigabytes)."""
    parts = [repr(row)]
    parts += [repr(line) for line in lines]
    parts += [repr(stock_row) for stock_row in stock]
    if edition >= 2:
        parts += [repr(loss) for loss in losses]
    return archive.sha256("\n".join(parts).encode("utf-8"))


def statement_number(text: str, field: str = "number") -> str:
    """A statement number as typed: ``ST-000042`` (case does not matter)."""
    number = fields.text(text, field, 20).upper()
    if not _NUMBER_TEXT.fullmatch(number):
        raise InvalidInput(msg("statement number {text!r} is not of the form ST-000042",
                               text=str(text)[:40]), field=field)
    return number


def get_statement(session: Session, number: str, role: Role = policy.FULL) -> Statement:
    """An issued (or paid) statement by its number, with its lines and stock rows; one
    outside the scope of ``role`` is answered as if it were not issued."""
    number = statement_number(number)
    statement = session.scalar(
        select(Statement).where(Statement.number == number, seen(role))
        .options(*with_parts()))
    if statement is None:
        raise NotFound(msg(
            "No issued statement {number}: statements get their number when their period is "
            "closed.", number=number), field="number")
    return statement


def statement(session: Session, ctx: Context, number: str) -> records.Statement:
    """``statement show``: the statement with its lines, stock rows and losses, and what its
    payments make of it today."""
    role = access.require(session, ctx, READ)
    found = get_statement(session, number, role)
    [(row, owing)] = with_owing(session, ctx, [found])
    return records.statement_of(row, owing, parts=True)


def of_period(session: Session, period, role: Role = policy.FULL) -> list[Statement]:
    return _chosen(session, period, parts=True, role=role)


def consignors_of_period(session: Session, period, role: Role = policy.FULL) -> list[str]:
    """The codes of the IKM with an issued statement in the period (that ``role`` sees)."""
    return list(
        session.scalars(
            select(Statement.consignor_code)
            .where(Statement.period == str(fields.period(period)), Statement.status != "draft",
                   seen(role))
            .distinct()
            .order_by(Statement.consignor_code)
        )
    )


# ---- PDFs --------------------------------------------------------------------------------


def render(statement: Statement, lang: str = "id", tz=None) -> bytes:
    """The statement rendered now by this release's renderer (a draft's only form)."""
    from consign.services import documents as documents_
    from reports.statement import render_statement

    return render_statement(documents_.build_statement_view(statement, tz), lang)


def pdf(session: Session, ctx: Context, statement: Statement, lang: str = "id") -> bytes:
    """The statement's PDF: a draft rendered now; an issued statement as archived (its
    Indonesian original since its close; another language archived the first time it is
    asked for)."""
    return documents(session, ctx, [statement], lang)[0]


def documents(session: Session, ctx: Context, chosen: list[Statement], lang: str = "id"):
    """The PDFs of ``chosen``, in order: archived bytes where there are some, else rendered
    now (many at once over the machine's cores) and, for an issued statement, archived."""
    from consign.services import documents as documents_
    from reports.pool import render_statements

    found = [
        archive.find(session, archive.statement_key(s.number, lang)) if s.number else None
        for s in chosen
    ]
    missing = [i for i, data in enumerate(found) if data is None]
    rendered = render_statements(
        [documents_.build_statement_view(chosen[i], ctx.tz) for i in missing], lang)
    for i, data in zip(missing, rendered, strict=True):
        statement = chosen[i]
        if statement.number:
            data = archive.keep(session, ctx, archive.statement_key(statement.number, lang),
                                "statement", lang, data, statement_id=statement.id,
                                period=statement.period)
        found[i] = data
    return found


def statement_pdfs(session: Session, ctx: Context, number: str | None = None, period=None,
                   lang: str = "id") -> list[tuple[str, bytes]]:
    """``statement pdf``: (file name, PDF) of statement ``number`` or of every statement of
    ``period`` (issued ones from the archive, drafts rendered now), of those the acting
    role sees."""
    role = access.require(session, ctx, READ)
    lang = fields.choice(lang, "lang", LANGUAGES)
    chosen = ([get_statement(session, number, role)] if number
              else of_period(session, period, role))
    if number is None and not chosen:
        period = str(fields.period(period))
        raise NotFound(msg("No statements for {period}.", period=period), field="period",
                       command=msg("Make them with 'consign settle {period}'.", period=period))
    names = [records.statement_of(s).file_name for s in chosen]
    return list(zip(names, documents(session, ctx, chosen, lang), strict=True))


def consolidated_pdfs(session: Session, ctx: Context, period, lang: str = "id"
                      ) -> list[tuple[str, bytes]]:
    """``statement pdf --consolidated``: one file per IKM with issued statements in the
    period (``IKM-0001_2020-10.pdf``): an IKM, its own. Not for a hotel's staff: the file
    holds the IKM's statements of every hotel."""
    role = access.require(session, ctx, CONSOLIDATED)
    lang = fields.choice(lang, "lang", LANGUAGES)
    period = fields.period(period)
    codes = consignors_of_period(session, period, role)
    if not codes:
        raise NotFound(msg("No issued statements for {period}: close the period first.",
                           period=str(period)), field="period")
    return [(f"{code}_{period}.pdf", consolidated_pdf(session, ctx, code, period, lang))
            for code in codes]


LANGUAGES = ("id", "en")
CONSOLIDATED = "settlement.consolidated"


def sha256(data: bytes) -> str:
    return archive.sha256(data)


@dataclass(frozen=True)
class Verdict:
    number: str | None  # the statement (or note) the file is, or claims to be
    unaltered: bool
    sentence: Message
    kind: str | None = None  # what the file is: statement, consolidated, receipt, ...

    @property
    def message(self) -> str:
        return self.sentence.text()


def verify(session: Session, data: bytes, name: str = "the file", *,
           ctx: Context | None = None) -> Verdict:
    """Which archived document a PDF file is, byte for byte (a statement, a consolidated
    statement, or a proof: a placement's receipt, a return note, a payment's advice); or,
    if it is none, which statement or note it claims to be and that it is not the issued
    file. A document outside the acting role's scope is answered as one not issued here."""
    role = access.require(session, ctx, READ)
    digest = sha256(data)
    document = archive.by_digest(session, digest)
    if document is not None and _sees_document(session, role, document):
        return _archived(session, document, name, digest, ctx)
    texts = list(_texts(data))
    claimed = _claimed(session, texts, role)
    if claimed is None:
        return _claimed_proof(session, texts, role, name, digest)
    return Verdict(claimed.number, False, msg(
        "{name} names statement {number} ({about}) but is not the issued file: its SHA-256 "
        "{digest} is not that of any document archived for it (a re-saved or printed copy, "
        "or an altered one). Ask for the statement again.", name=name, number=claimed.number,
        about=_about(claimed), digest=digest))


def _claimed_proof(session: Session, texts: list[str], role: Role, name: str,
                   digest: str) -> Verdict:
    """The verdict on a file that is no archived document and names no statement: whether
    it names a real placement or return (a copy of its proof), else that it is nothing
    issued here."""
    from consign.services import proofs

    note = proofs.claimed_note(session, texts, role)
    if note is None:
        return Verdict(None, False, msg(
            "{name} is not a document issued here: no archived document has SHA-256 "
            "{digest}, and it names no statement.", name=name, digest=digest))
    return Verdict(note.number, False, msg(
        "{name} names {what} {number} ({hotel} / {consignor}) but is not the issued file: "
        "its SHA-256 {digest} is not that of any document archived for it (a re-saved or "
        "printed copy, or an altered one). Ask for it again: '{command}'.", name=name,
        what=msg("placement") if note.kind == "placement" else msg("return note"),
        number=note.number, hotel=note.hotel.code, consignor=note.consignor.code,
        digest=digest, command=proofs.proof_command(note)))


def _sees_document(session: Session, role: Role, document) -> bool:
    if policy.scope(role).everything:
        return True
    if document.kind in PROOF_KINDS:
        from consign.services import proofs

        return policy.within(role, *proofs.parties(session, document))
    if document.kind == "consolidated":
        return policy.allows(role, CONSOLIDATED) and policy.within(
            role, "", document.key.split(":")[1])
    statement = session.get(Statement, document.statement_id)
    return policy.within(role, statement.hotel_code, statement.consignor_code)


def _archived(session: Session, document, name: str, digest: str,
              ctx: Context | None = None) -> Verdict:
    english = document.lang == "en"
    if document.kind in PROOF_KINDS:
        from consign.services import proofs

        number, sentence = proofs.described(session, document, name, digest,
                                            ctx.tz if ctx else zone())
        return Verdict(number, True, sentence, document.kind)
    if document.kind == "consolidated":
        numbers = document.key.rsplit(":", 1)[1]
        return Verdict(numbers.split(",")[0], True, kind="consolidated", sentence=msg(
            "{name} is the consolidated statement of {consignor} for {period} (statements "
            "{numbers}){language}, unaltered: SHA-256 {digest}.",
            name=name, consignor=document.key.split(":")[1], period=document.period,
            numbers=numbers.replace(",", ", "), language=_language(english), digest=digest))
    statement = session.get(Statement, document.statement_id)
    return Verdict(statement.number, True, msg(
        "{name} is statement {number} ({about}){language}, unaltered: SHA-256 {digest}.",
        name=name, number=statement.number, about=_about(statement),
        language=_language(english), digest=digest), "statement")


def _language(english: bool):
    return msg(" in English") if english else ""


def consolidated_pdf(session: Session, ctx: Context, consignor: str, period, lang: str = "id"):
    """One IKM's issued statements of a period across its hotels, as one PDF: archived
    under its IKM, period, language and the statement numbers it holds, the first time."""
    from consign.services import documents as documents_
    from reports.consolidated import render_consolidated

    role = access.require(session, ctx, CONSOLIDATED)
    owner = lookup.consignor(session, consignor, role=role)
    period = parse_period(str(period))
    view = documents_.build_consolidated_view(session, owner, period, ctx.tz)
    numbers = [s.number for s in view.statements]
    if not numbers:
        raise NotFound(msg(
            "IKM {code} has no issued statement for {period}: a consolidated statement holds "
            "issued statements only.", code=owner.code, period=str(period)), field="period")
    key = archive.consolidated_key(owner.code, str(period), lang, numbers)
    return archive.find(session, key) or archive.keep(
        session, ctx, key, "consolidated", lang, render_consolidated(view, lang),
        consignor_id=owner.id, period=str(period),
    )


def _claimed(session: Session, texts: list[str], role: Role = policy.FULL
             ) -> Statement | None:
    """The first real statement whose number the file's ``texts`` name: in its bytes, its
    metadata or its text (a re-saved or printed copy keeps the words, not the bytes)."""
    numbers = (match for text in texts for match in _NUMBER_TEXT.findall(text))
    for number in dict.fromkeys(numbers):
        statement = session.scalar(select(Statement).where(Statement.number == number,
                                                           seen(role)))
        if statement is not None:
            return statement
    return None


def _texts(data: bytes):
    """What a file says: its bytes read as Latin-1 (a number written in a page's content
    reads the same), then its metadata and the text of its first pages where it is a PDF
    pypdf can read."""
    yield data.decode("latin-1")
    try:
        import io
        import logging

        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken file is said in one line
        reader = PdfReader(io.BytesIO(data))
        info = reader.metadata or {}
        texts = [str(value) for value in info.values()]
        texts += [page.extract_text() or "" for page in reader.pages[:3]]
    except Exception:  # not a PDF at all, or one pypdf cannot read: it names nothing more
        return
    yield from texts


def verify_code(session: Session, number: str, code: str, *,
                ctx: Context | None = None) -> Verdict:
    """Whether ``code``, as printed on a paper copy of statement ``number`` (spaces and
    case ignored), is that statement's verification code."""
    role = access.require(session, ctx, READ)
    number = statement_number(number)
    code = fields.verification_code(code)
    statement = session.scalar(select(Statement).where(Statement.number == number,
                                                       seen(role)))
    if statement is None or statement.status == "draft":
        return Verdict(None, False, msg("No statement {number} has been issued.",
                                        number=number))
    expected = settlement_rules.code_of(statement)
    if code != expected:
        return Verdict(number, False, msg(
            "The code {code} is not that of statement {number}: the paper copy does not match "
            "what was issued.", code=code, number=number))
    return Verdict(number, True, msg(
        "Statement {number} is genuine: {hotel_name} ({hotel}) to {consignor_name} "
        "({consignor}), {period}, net {net}; verification code {code}.", number=number,
        hotel_name=statement.hotel_name, hotel=statement.hotel_code,
        consignor_name=statement.consignor_name, consignor=statement.consignor_code,
        period=statement.period, net=money.rupiah(statement.net), code=expected))


def _about(statement: Statement) -> str:
    return f"{statement.hotel_code} / {statement.consignor_code}, {statement.period}"

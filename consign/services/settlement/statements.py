"""Reading statements, recording their payment, their PDFs and checking a PDF file."""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from consign import money
from consign import settlement as settlement_rules
from consign.context import Context
from consign.errors import AlreadyPaid, InvalidInput, NotFound, NothingToPay, OutOfOrder
from consign.models import Statement
from consign.periods import Period, local_date, parse_period
from consign.services import archive, audit
from consign.services import documents as documents_
from consign.services.registry import get_consignor, get_hotel

STATUSES = ("draft", "issued", "paid")
_NUMBER = re.compile(rb"ST-\d{6}")
_NUMBER_TEXT = re.compile(r"ST-\d{6}")


def with_parts():
    return (selectinload(Statement.lines), selectinload(Statement.stock))


def _ordered(query):
    return query.order_by(Statement.period, Statement.hotel_code, Statement.consignor_code)


def list_statements(
    session: Session,
    period: Period | None = None,
    hotel: str | None = None,
    consignor: str | None = None,
    status: str | None = None,
) -> list[Statement]:
    query = select(Statement)
    if period is not None:
        query = query.where(Statement.period == str(period))
    if hotel:
        query = query.where(Statement.hotel_id == get_hotel(session, hotel).id)
    if consignor:
        query = query.where(Statement.consignor_id == get_consignor(session, consignor).id)
    if status:
        if status not in STATUSES:
            raise InvalidInput(f"status {status!r} is not one of {', '.join(STATUSES)}")
        query = query.where(Statement.status == status)
    return list(session.scalars(_ordered(query)))


def get_statement(session: Session, number: str) -> Statement:
    """An issued (or paid) statement by its number, with its lines and stock rows."""
    statement = session.scalar(
        select(Statement).where(Statement.number == number.strip().upper()).options(*with_parts())
    )
    if statement is None:
        raise NotFound(
            f"No issued statement {number}: statements get their number when their "
            "period is closed ('consign close PERIOD --hotel CODE')."
        )
    return statement


def of_period(session: Session, period: Period) -> list[Statement]:
    query = select(Statement).where(Statement.period == str(period)).options(*with_parts())
    return list(session.scalars(_ordered(query)))


def consignors_of_period(session: Session, period: Period) -> list[str]:
    """The codes of the IKM with an issued statement in the period."""
    return list(
        session.scalars(
            select(Statement.consignor_code)
            .where(Statement.period == str(period), Statement.status != "draft")
            .distinct()
            .order_by(Statement.consignor_code)
        )
    )


# ---- payment -----------------------------------------------------------------------------


def pay(session: Session, ctx: Context, number: str, on: date, ref: str) -> Statement:
    """Record that the statement was paid, once: the date and the transfer reference."""
    statement = get_statement(session, number)
    ref = (ref or "").strip()
    if not ref:
        raise InvalidInput("a payment needs a reference (--ref), e.g. the transfer number")
    if statement.status == "paid":
        raise AlreadyPaid(
            f"Statement {statement.number} was already paid on {statement.paid_on.isoformat()} "
            f"(ref {statement.pay_ref})."
        )
    if statement.net <= 0:
        raise NothingToPay(_nothing_to_pay(statement))
    if on < statement.issued_on:
        raise OutOfOrder(
            f"Cannot record a payment of {statement.number} on {on.isoformat()}: it was "
            f"issued on {statement.issued_on.isoformat()}."
        )
    if on > local_date(ctx.now, ctx.tz):
        raise InvalidInput(f"payment date {on.isoformat()} is in the future")
    statement.status, statement.paid_on, statement.pay_ref = "paid", on, ref
    session.flush()
    audit.record(session, ctx, "statement.pay", "statement", statement.number, paid_on=on, ref=ref)
    return statement


def _nothing_to_pay(statement: Statement) -> str:
    carried = " and is carried into the next statement" if statement.net < 0 else ""
    return (
        f"Statement {statement.number} has nothing to pay: its net is "
        f"{money.rupiah(statement.net)}{carried}."
    )


# ---- PDFs --------------------------------------------------------------------------------


def render(statement: Statement, lang: str = "id") -> bytes:
    """The statement rendered now by this release's renderer (a draft's only form)."""
    from reports.statement import render_statement

    return render_statement(documents_.build_statement_view(statement), lang)


def pdf(session: Session, ctx: Context, statement: Statement, lang: str = "id") -> bytes:
    """The statement's PDF: a draft rendered now; an issued statement as archived (its
    Indonesian original since its close; another language archived the first time it is
    asked for)."""
    return documents(session, ctx, [statement], lang)[0]


def documents(session: Session, ctx: Context, chosen: list[Statement], lang: str = "id"):
    """The PDFs of ``chosen``, in order: archived bytes where there are some, else rendered
    now (many at once over the machine's cores) and, for an issued statement, archived."""
    from reports.pool import render_statements

    found = [
        archive.find(session, archive.statement_key(s.number, lang)) if s.number else None
        for s in chosen
    ]
    missing = [i for i, data in enumerate(found) if data is None]
    rendered = render_statements(
        [documents_.build_statement_view(chosen[i]) for i in missing], lang)
    for i, data in zip(missing, rendered, strict=True):
        statement = chosen[i]
        if statement.number:
            data = archive.keep(session, ctx, archive.statement_key(statement.number, lang),
                                "statement", lang, data, statement_id=statement.id,
                                period=statement.period)
        found[i] = data
    return found


def sha256(data: bytes) -> str:
    return archive.sha256(data)


@dataclass(frozen=True)
class Verdict:
    number: str | None  # the statement the file is, or claims to be
    unaltered: bool
    message: str


def verify(session: Session, data: bytes, name: str = "the file") -> Verdict:
    """Which archived document a PDF file is, byte for byte; or, if it is none, which
    statement it claims to be and that it is not the issued file."""
    digest = sha256(data)
    document = archive.by_digest(session, digest)
    if document is not None:
        return _archived(session, document, name, digest)
    claimed = _claimed(session, data)
    if claimed is None:
        return Verdict(
            None,
            False,
            f"{name} is not a document issued here: no archived document has SHA-256 "
            f"{digest}, and it names no statement.",
        )
    return Verdict(
        claimed.number,
        False,
        f"{name} names statement {claimed.number} ({_about(claimed)}) but is not the issued "
        f"file: its SHA-256 {digest} is not that of any document archived for it (a "
        "re-saved or printed copy, or an altered one). Ask for the statement again.",
    )


def _archived(session: Session, document, name: str, digest: str) -> Verdict:
    if document.kind == "consolidated":
        numbers = document.key.rsplit(":", 1)[1]
        first = numbers.split(",")[0]
        what = (f"the consolidated statement of {document.key.split(':')[1]} for "
                f"{document.period} (statements {numbers.replace(',', ', ')})")
    else:
        statement = session.get(Statement, document.statement_id)
        first = statement.number
        what = f"statement {statement.number} ({_about(statement)})"
    language = " in English" if document.lang == "en" else ""
    return Verdict(first, True, f"{name} is {what}{language}, unaltered: SHA-256 {digest}.")


def consolidated_pdf(session: Session, ctx: Context, consignor: str, period, lang: str = "id"):
    """One IKM's issued statements of a period across its hotels, as one PDF: archived
    under its IKM, period, language and the statement numbers it holds, the first time."""
    from reports.consolidated import render_consolidated

    owner = get_consignor(session, consignor)
    period = parse_period(str(period))
    view = documents_.build_consolidated_view(session, owner, period)
    numbers = [s.number for s in view.statements]
    if not numbers:
        raise NotFound(
            f"IKM {owner.code} has no issued statement for {period}: a consolidated "
            "statement holds issued statements only."
        )
    key = archive.consolidated_key(owner.code, str(period), lang, numbers)
    return archive.find(session, key) or archive.keep(
        session, ctx, key, "consolidated", lang, render_consolidated(view, lang),
        consignor_id=owner.id, period=str(period),
    )


def _claimed(session: Session, data: bytes) -> Statement | None:
    """The first real statement whose number the file names: in its bytes, its metadata or
    its text (a re-saved or printed copy keeps the words, not the bytes)."""
    for number in dict.fromkeys(_numbers_named(data)):
        statement = session.scalar(select(Statement).where(Statement.number == number))
        if statement is not None:
            return statement
    return None


def _numbers_named(data: bytes):
    yield from (match.decode() for match in _NUMBER.findall(data))
    try:
        import io

        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        info = reader.metadata or {}
        texts = [str(value) for value in info.values()]
        texts += [page.extract_text() or "" for page in reader.pages[:3]]
    except Exception:  # not a PDF at all, or one pypdf cannot read: it names nothing more
        return
    for text in texts:
        yield from _NUMBER_TEXT.findall(text)


def verify_code(session: Session, number: str, code: str) -> Verdict:
    """Whether ``code``, as printed on a paper copy of statement ``number`` (spaces and
    case ignored), is that statement's verification code."""
    statement = session.scalar(select(Statement).where(Statement.number == number))
    if statement is None or statement.status == "draft":
        return Verdict(None, False, f"No statement {number} has been issued.")
    expected = documents_.code_of(statement)
    if not settlement_rules.same_code(code, expected):
        return Verdict(number, False, (
            f"The code {code.strip()} is not that of statement {number}: the paper copy does "
            "not match what was issued."))
    return Verdict(number, True, (
        f"Statement {number} is genuine: {statement.hotel_name} ({statement.hotel_code}) to "
        f"{statement.consignor_name} ({statement.consignor_code}), {statement.period}, net "
        f"{money.rupiah(statement.net)}; verification code {expected}."))


def _about(statement: Statement) -> str:
    return f"{statement.hotel_code} / {statement.consignor_code}, {statement.period}"

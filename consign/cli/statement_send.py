"""``consign statement send``: the issued statements of a month delivered to their IKM, by
e-mail through the outbox, with a WhatsApp link for each IKM with a mobile number, and
"to print" for an IKM with neither."""

import click

from consign.cli import pass_app
from consign.cli import types as t
from consign.cli.output import emit, format_option, say, text
from consign.cli.settlement import statement
from consign.i18n import msg

COLUMNS = ["number", "hotel", "consignor", "email", "status"]

# the table's words for each status of consign.services.delivery (CSV and JSON keep the
# statuses themselves), and for the one reason the service gives of its own
STATUSES = {"sent": msg("sent"), "failed": msg("failed"), "skipped": msg("skipped"),
            "would send": msg("would send"), "pending": msg("pending"),
            "whatsapp": msg("whatsapp"), "to print": msg("to print"),
            "by email": msg("by email")}
REASONS = {"already sent": msg("already sent")}


@statement.command("send")
@click.argument("period", type=t.PERIOD)
@click.option("--hotel", type=t.CODE, help="Only this hotel's statements.")
@click.option("--consignor", type=t.CODE, help="Only this IKM's statements.")
@click.option("--dry-run", is_flag=True,
              help="List what would be sent, and the WhatsApp links; send and write nothing.")
@click.option("--resend", is_flag=True,
              help="Send again what was sent already (same Message-ID).")
@click.option("--whatsapp", "whatsapp_only", is_flag=True,
              help="Only list the WhatsApp links (and what is to print); send no e-mail.")
@format_option
@pass_app
def statement_send(app, period, hotel, consignor, dry_run, resend, whatsapp_only, fmt):
    """E-mail each IKM owner the issued statements of PERIOD (YYYY-MM), the archived PDF
    attached, through $CONSIGN_SMTP_URL from $CONSIGN_MAIL_FROM; list a WhatsApp link for
    each IKM with a mobile number, and what is to print for an IKM with neither.

    What was sent already is skipped (unless --resend). A message the server refuses, or
    cannot take because it cannot be reached, is listed as failed with the server's reason
    and goes with the next send; the others go through. Exit 0 when every e-mail went, 1
    when the server refused some, 3 when it could not be reached. For the administrator
    alone."""
    from datetime import UTC, datetime

    from consign import settings
    from consign.services import delivery

    ctx = app.context()
    readonly = dry_run or whatsapp_only
    with app.transaction(readonly=readonly) as session:
        plan = delivery.prepare(
            session, ctx, period, hotel, consignor, smtp_url=settings.smtp_url(),
            mail_from=settings.mail_from(), resend=resend, dry_run=dry_run,
            whatsapp_only=whatsapp_only)
    # each message is recorded in a transaction of its own, as soon as the server answers
    report = delivery.deliver(plan, app.transaction, ctx, lambda: datetime.now(UTC))
    _emit(report, ctx, fmt)
    _exit(report)


def _emit(report, ctx, fmt: str) -> None:
    from consign.periods import iso

    rows = [{"number": item.number, "hotel": item.hotel, "consignor": item.consignor,
             "period": item.period, "email": item.email, "status": item.status,
             "reason": item.reason, "message_id": item.message_id,
             "sent_at": iso(item.sent_at, ctx.tz) if item.sent_at else None,
             "phone": item.phone, "whatsapp": item.whatsapp}
            for item in report.items]
    if fmt == "json":
        emit({"period": report.plan.period, "dry_run": report.plan.dry_run,
              "statements": rows, "summary": dict(sorted(report.counts.items())),
              "unreachable": report.unreachable}, fmt)
        return
    if fmt == "csv":
        emit(rows, fmt)
        return
    shown = [{**row, "status": _status(row, item.why)}
             for row, item in zip(rows, report.items, strict=True)]
    emit(shown, fmt, columns=COLUMNS)
    links = [item for item in report.items if item.whatsapp]
    if links:
        click.echo("\nWhatsApp:")  # a name, the same in every language
        for item in links:
            click.echo(f"{item.number}  {item.consignor}  {_phone(item.phone)}  {item.whatsapp}")
    say(_summary(report))


def _status(row: dict, why=None) -> str:
    """The status as the table says it, with its reason in the reader's language where the
    service words it (else as the server gave it)."""
    status = text(STATUSES[row["status"]]) if row["status"] in STATUSES else row["status"]
    if why is not None:
        return f"{status}: {text(why)}"
    if row["reason"]:
        reason = REASONS.get(row["reason"])
        return f"{status}: {text(reason) if reason else row['reason']}"
    return status


def _phone(stored: str) -> str:
    from consign.contacts import phone_display

    return phone_display(stored)


def _summary(report):
    from consign.services import delivery

    counts = report.counts
    named = [
        (delivery.SENT, lambda n: msg("{count} sent", count=n)),
        (delivery.WOULD_SEND, lambda n: msg("{count} would be sent", count=n)),
        (delivery.FAILED, lambda n: msg("{count} failed", count=n)),
        (delivery.SKIPPED, lambda n: msg("{count} already sent", count=n)),
        (delivery.BY_EMAIL, lambda n: msg("{count} by e-mail", count=n)),
        (delivery.WHATSAPP, lambda n: msg("{count} by WhatsApp only", count=n)),
        (delivery.TO_PRINT, lambda n: msg("{count} to print", count=n)),
    ]
    parts = [text(said(counts[status])) for status, said in named if counts[status]]
    links = sum(1 for item in report.items if item.whatsapp)
    parts.append(text(msg("{count} WhatsApp link(s)", count=links)))
    values = {"period": report.plan.period, "count": len(report.items),
              "parts": ", ".join(parts)}
    if report.plan.dry_run:
        return msg("{period} (dry run: nothing sent or written): {count} statement(s), "
                   "{parts}.", **values)
    return msg("{period}: {count} statement(s), {parts}.", **values)


def _exit(report) -> None:
    """Exit 3 if the server could not be reached, 1 if it refused some messages; either way
    the failed ones stay queued for the next send."""
    from consign.errors import ConsignError, EnvironmentFailure
    from consign.i18n import msg

    if report.unreachable:
        raise EnvironmentFailure(msg(
            "Could not send {failed} message(s): {why}. They stay queued for the next "
            "'consign statement send'.", failed=report.failed,
            why=report.why or report.unreachable),
            field="CONSIGN_SMTP_URL")
    if report.failed:
        raise ConsignError(msg(
            "The mail server refused {failed} of {count} message(s); the others were sent. "
            "The refused ones stay queued for the next 'consign statement send'.",
            failed=report.failed, count=report.failed + report.counts["sent"]))

"""What an IKM owner reads: the e-mail that carries an issued statement, and the WhatsApp
message a clerk sends by hand (a click-to-chat link). In Indonesian; every figure is the
statement's own snapshot (its number, parties, net, due date and verification code)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

from consign.money import rupiah
from consign.services.documents import AGENCY_NAME, PROGRAMME_NAME

AGENCY_SHORT = "Diskopindag Kota Malang"
WA_ME = "https://wa.me/"
MESSAGE_ID_DOMAIN = "consign.invalid"  # reserved (RFC 2606): never anyone's real domain


@dataclass(frozen=True)
class Notice:
    """The figures a message about one issued statement gives."""

    number: str
    hotel_name: str
    period: str  # YYYY-MM
    consignor_name: str
    owner_name: str
    net: int
    due_on: date
    code: str  # the verification code, as printed on the statement

    @property
    def period_label(self) -> str:
        from reports.fmt import period_label

        return period_label(self.period, "id")

    @property
    def due_label(self) -> str:
        from reports.fmt import long_date

        return long_date(self.due_on, "id")


def message_id(number: str) -> str:
    """A new Message-ID for the e-mail of statement ``number``, unique everywhere."""
    return f"<{number}.{uuid.uuid4().hex}@{MESSAGE_ID_DOMAIN}>"


def subject(notice: Notice) -> str:
    return (f"Laporan konsinyasi {notice.number} - {notice.hotel_name}, "
            f"{notice.period_label}")


def _payment_lines(notice: Notice) -> list[str]:
    if notice.net > 0:
        return [f"Jumlah yang dibayarkan kepada Anda: {rupiah(notice.net)}",
                f"Jatuh tempo pembayaran: {notice.due_label}"]
    if notice.net < 0:
        return ["Tidak ada pembayaran untuk periode ini: saldo "
                f"{rupiah(notice.net)} dibawa ke laporan berikutnya."]
    return ["Tidak ada pembayaran untuk periode ini (jumlah bersih Rp0)."]


def body(notice: Notice) -> str:
    """The e-mail's text; the statement itself is the PDF attached to it."""
    return "\n".join([
        f"Yth. {notice.owner_name} ({notice.consignor_name}),",
        "",
        f"terlampir laporan penjualan konsinyasi {notice.number} dari {notice.hotel_name} "
        f"untuk periode {notice.period_label}.",
        "",
        *_payment_lines(notice),
        f"Kode verifikasi: {notice.code}",
        "",
        "Kode verifikasi yang tercetak pada laporan dapat dicocokkan dengan kode di atas. "
        "Jika ada yang tidak sesuai, mohon hubungi petugas program.",
        "",
        "Hormat kami,",
        PROGRAMME_NAME,
        AGENCY_NAME,
        "",
    ])


def email(notice: Notice, *, sender: str, recipient: str, message_id: str, when: datetime,
          pdf: bytes, file_name: str) -> EmailMessage:
    """The e-mail of one statement, its archived PDF attached exactly as archived."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject(notice)
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id
    message.set_content(body(notice))
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=file_name)
    return message


def whatsapp_text(notice: Notice) -> str:
    """The message a clerk sends from a phone: short, the figures that matter."""
    if notice.net > 0:
        payment = (f"Jumlah dibayarkan: {rupiah(notice.net)}, jatuh tempo "
                   f"{notice.due_label}.")
    else:
        payment = "Tidak ada pembayaran untuk periode ini."
    return "\n".join([
        f"Yth. {notice.owner_name} ({notice.consignor_name}),",
        f"laporan konsinyasi {notice.number} dari {notice.hotel_name} periode "
        f"{notice.period_label} sudah terbit.",
        payment,
        f"Kode verifikasi: {notice.code}.",
        f"Salam, {AGENCY_SHORT}",
    ])


def whatsapp_link(phone: str, notice: Notice) -> str:
    """``https://wa.me/6281234567890?text=…``: a stored ``+62…`` number and the message,
    so that one tap opens the chat with the message written."""
    return f"{WA_ME}{phone.lstrip('+')}?text={quote(whatsapp_text(notice), safe='')}"

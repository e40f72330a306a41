"""The proofs of what changed hands: a placement's receipt, a return note and a payment's
advice (``consign doc receipt|return-note|advice``, and ``place``, ``return`` and
``statement pay`` with ``--pdf``): their figures as printed, byte-for-byte reproducible,
archived the first time they are made and handed out unchanged after, recognised by
``statement verify``, each only to whoever may read it.

The story, with figures worked out by hand:

- ATRIA charges 20% by default; IKM-0001 has its own 17.5% there from 1 January 2020,
  with a 60-day display term (IKM-0002 takes the hotel's 90 days).
- PL-2020-00001, 2 October 2020 09:00, IKM-0001: BTK-001 10 × Rp160.000 = Rp1.600.000 and
  BTK-002 5 × Rp85.000 (its list price) = Rp425.000: 15 units, Rp2.025.000, due back
  2 October + 60 days = 1 December 2020.
- PL-2020-00002, 2 October 10:00, IKM-0002: KRM-001 4 × Rp75.000 = Rp300.000, due back
  31 December 2020.
- Sold: 3 × BTK-001 at Rp160.000 = Rp480.000 (5 October); 1 × KRM-001 = Rp75.000.
- Returned on 20 October 10:00: BTK-002 2 and KRM-001 1, two IKM, so two notes:
  RT-2020-00001 (IKM-0001) 2 × Rp85.000 = Rp170.000; RT-2020-00002 (IKM-0002) Rp75.000.
- October closed on 2 November: ST-000001 (IKM-0001) gross Rp480.000, commission 17.5%
  = Rp84.000, net Rp396.000; ST-000002 (IKM-0002) gross Rp75.000, commission 20% =
  Rp15.000, net Rp60.000.
- ST-000001 paid Rp100.000 on 5 November (TRF-001, payment 1), then Rp50.000 on
  10 November (TRF-002, payment 2): after it Rp396.000 - Rp150.000 = Rp246.000 is owed.
"""

import io
import json
import shutil
from datetime import date

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import func, select

from consign.cli import main
from consign.context import Context
from consign.models import Document, Note, Payment, Statement
from consign.services import access, archive, ledger, proofs, registry, settlement, terms, users
from consign.services.settlement import statements
from reports import proofs as proof_reports
from tests.conftest import built_from_template
from tests.ledger_support import wib


def at(text: str) -> Context:
    return Context.make("Siti", now=wib(text))


@pytest.fixture(scope="module")
def story_file(tmp_path_factory, sqlite_template):
    """The story told once into a SQLite file, for each SQLite test to start from a copy."""
    path = tmp_path_factory.mktemp("story") / "story.db"
    built_from_template(sqlite_template, path, tell_story)
    return path


@pytest.fixture
def story(db, db_url, request):
    """A database holding the story: on SQLite a copy of ``story_file``; on PostgreSQL
    told afresh."""
    if db.is_sqlite:
        db.dispose()
        shutil.copy(request.getfixturevalue("story_file"), db_url.removeprefix("sqlite:///"))
    else:
        tell_story(db)
    return db


def tell_story(db) -> None:
    """The story of the module docstring, each day its own transaction."""
    start = at("2020-10-01 08:00")
    with db.transaction() as s:
        registry.add_hotel(s, start, "ATRIA", "Hotel Atria Malang", commission="20%",
                           address="Jl. Letjen S. Parman No. 87, Malang", phone="0341-417888")
        registry.add_hotel(s, start, "TUGU", "Hotel Tugu Malang", commission="20%")
        registry.add_consignor(s, start, "IKM-0001", "Batik Tulis Celaket", "Sri Wahyuni",
                               "fashion", phone="0812-3456-7890", address="Jl. Celaket 12",
                               bank="BRI", account="002101000123567", holder="Sri Wahyuni")
        registry.add_consignor(s, start, "IKM-0002", "Gerabah Dinoyo", "Slamet Riyadi",
                               "kriya", bank="BNI", account="0123456789",
                               holder="Slamet Riyadi")
        registry.add_product(s, start, "BTK-001", "IKM-0001", "Batik tulis Kendedes", 150_000)
        registry.add_product(s, start, "BTK-002", "IKM-0001", "Selendang Malangan", 85_000)
        registry.add_product(s, start, "KRM-001", "IKM-0002", "Vas gerabah Dinoyo", 75_000)
        terms.set_terms(s, start, "ATRIA", "17.5%", "IKM-0001", valid_from="2020-01-01",
                        display_days=60)
    october = at("2020-10-31 20:00")
    with db.transaction() as s:
        ledger.place(s, october, "ATRIA", "IKM-0001", [("BTK-001", 10, 160_000),
                                                       ("BTK-002", 5, None)],
                     at="2020-10-02 09:00")
        ledger.place(s, october, "ATRIA", "IKM-0002", [("KRM-001", 4, None)],
                     at="2020-10-02 10:00")
        ledger.sell(s, october, "ATRIA", "BTK-001", 3, at="2020-10-05 14:00", receipt="R-1")
        ledger.sell(s, october, "ATRIA", "KRM-001", 1, at="2020-10-06 14:00", receipt="R-2")
        ledger.return_goods(s, october, "ATRIA", [("BTK-002", 2), ("KRM-001", 1)],
                            at="2020-10-20 10:00")
    with db.transaction() as s:
        settlement.close_period(s, at("2020-11-02 10:00"), "2020-10", "ATRIA")
    with db.transaction() as s:
        settlement.pay(s, at("2020-11-05 09:00"), "ST-000001", "2020-11-05", "TRF-001",
                       100_000)
    with db.transaction() as s:
        settlement.pay(s, at("2020-11-10 09:00"), "ST-000001", "2020-11-10", "TRF-002",
                       "Rp50.000")


def make(db, what: str, reference, lang: str = "id", when: str = "2020-11-15 12:00") -> bytes:
    """A proof as ``doc`` hands it out, in a transaction of its own."""
    with db.transaction() as s:
        return getattr(proofs, what)(s, at(when), reference, lang).data


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(data: bytes) -> str:
    """The text with its line breaks as spaces, for sentences that wrap."""
    return " ".join(text_of(data).split())


def archived(db) -> int:
    with db.transaction(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(Document))


# ---- what each proof says ---------------------------------------------------------------------

def test_a_receipt_holds_the_placement_its_lines_totals_terms_and_signatures(story):
    text = flat(make(story, "receipt", "PL-2020-00001"))
    for expected in [
        "TANDA TERIMA BARANG KONSINYASI", "Dinas Koperasi, Perindustrian dan Perdagangan",
        "PL-2020-00001", "2 Oktober 2020 09:00 WIB", "Hotel Atria Malang (ATRIA)",
        "Batik Tulis Celaket (IKM-0001)", "Pemilik: Sri Wahyuni",
        "1 BTK-001 Batik tulis Kendedes 10 Rp160.000 Rp1.600.000",
        "2 BTK-002 Selendang Malangan 5 Rp85.000 Rp425.000",
        "Jumlah 15 Rp2.025.000",
        "Masa pajang 60 hari", "Batas ambil kembali 1 Desember 2020",
        "17,5% dari harga jual (tarif khusus hotel ini untuk IKM ini)",
        "Jangka pembayaran 14 hari",
        "Diserahkan oleh IKM", "Diterima oleh staf hotel", "Halaman 1 dari 1",
        "Dicatat oleh Siti pada 31 Oktober 2020 20:00 WIB.",
    ]:
        assert expected in text, expected


def test_a_receipt_under_the_hotels_default_terms_says_so(story):
    text = flat(make(story, "receipt", "PL-2020-00002"))
    assert "1 KRM-001 Vas gerabah Dinoyo 4 Rp75.000 Rp300.000" in text
    assert "20% dari harga jual (tarif umum hotel)" in text
    assert "Batas ambil kembali 31 Desember 2020" in text


def test_a_return_note_per_ikm_holds_what_went_back_when_and_at_what_value(story):
    first = flat(make(story, "return_note", "RT-2020-00001"))
    for expected in ["NOTA RETUR BARANG KONSINYASI", "RT-2020-00001",
                     "20 Oktober 2020 10:00 WIB", "Batik Tulis Celaket (IKM-0001)",
                     "1 BTK-002 Selendang Malangan 2 Rp85.000 Rp170.000",
                     "Jumlah 2 Rp170.000", "Diserahkan oleh staf hotel", "Diterima oleh IKM"]:
        assert expected in first, expected
    assert "KRM-001" not in first
    second = flat(make(story, "return_note", "RT-2020-00002"))
    assert "1 KRM-001 Vas gerabah Dinoyo 1 Rp75.000 Rp75.000" in second
    assert "Gerabah Dinoyo (IKM-0002)" in second


def test_a_payment_advice_says_what_was_paid_for_which_statement_and_what_is_still_owed(
        story):
    text = flat(make(story, "advice", 2))
    for expected in [
        "BUKTI PEMBAYARAN KONSINYASI", "ST-000001", "Oktober 2020", "10 November 2020",
        "Jumlah bersih laporan ST-000001 Rp396.000", "Telah dibayar sebelumnya -Rp100.000",
        "Pembayaran ini -Rp50.000", "Sisa yang masih terutang Rp246.000",
        "Lima puluh ribu rupiah", "TRF-002", "BRI 0021 0100 0123 567 a.n. Sri Wahyuni",
        "5 Nov 2020 TRF-001 Rp100.000",
        "masih terutang Rp246.000, jatuh tempo 16 November 2020",
    ]:
        assert expected in text, expected
    first = flat(make(story, "advice", 1))
    assert "Sisa yang masih terutang Rp296.000" in first
    assert "Pembayaran sebelumnya" not in first


def test_a_receipt_made_after_its_placement_was_voided_marks_the_voided_line(story):
    with story.transaction() as s:
        later = at("2020-11-16 12:00")
        ledger.place(s, later, "ATRIA", "IKM-0001", [("BTK-002", 1, None)],
                     at="2020-11-16 09:00")
        ledger.void_note(s, later, "PL-2020-00003", "salah input", at="2020-11-16 11:00")
    text = flat(make(story, "receipt", "PL-2020-00003", when="2020-11-16 12:00"))
    assert "1 BTK-002 Selendang Malangan (dibatalkan) 1 Rp85.000 Rp85.000" in text
    assert "Jumlah 0 Rp0" in text
    assert "telah dibatalkan di buku besar" in text


def test_the_proofs_speak_english_when_asked(story):
    assert "CONSIGNMENT GOODS RECEIPT" in flat(make(story, "receipt", "PL-2020-00001", "en"))
    receipt = flat(make(story, "receipt", "PL-2020-00001", "en"))
    assert "Due back by 1 December 2020" in receipt
    assert "Recorded by Siti on 31 October 2020 20:00 WIB." in receipt
    assert "CONSIGNMENT RETURN NOTE" in flat(make(story, "return_note", "RT-2020-00001",
                                                  "en"))
    advice = flat(make(story, "advice", 2, "en"))
    assert "Still owed Rp246.000" in advice and "Fifty thousand rupiah" in advice


# ---- reproducible, archived -------------------------------------------------------------------

def test_each_proof_renders_to_the_same_bytes_twice(story):
    with story.transaction(readonly=True) as s:
        note = s.scalar(select(Note).where(Note.number == "PL-2020-00001"))
        ret = s.scalar(select(Note).where(Note.number == "RT-2020-00002"))
        payment = s.get(Payment, 2)
        statement = s.get(Statement, payment.statement_id)
        tz = at("2020-11-15 12:00").tz
        views = [proofs.build_note_view(s, note, tz), proofs.build_note_view(s, ret, tz)]
        advice = proofs.build_advice_view(s, payment, statement, tz)
    for view in views:
        assert proof_reports.render_note(view) == proof_reports.render_note(view)
    assert proof_reports.render_advice(advice, "en") == proof_reports.render_advice(advice,
                                                                                    "en")


def test_a_proof_is_archived_when_first_made_and_handed_out_unchanged_after_a_rename(story):
    before = archived(story)
    first = make(story, "receipt", "PL-2020-00001")
    advice = make(story, "advice", 2)
    assert archived(story) == before + 2
    with story.transaction() as s:
        renamed = at("2020-11-20 09:00")
        registry.edit_hotel(s, renamed, "ATRIA", name="Atria Hotel & Residence")
        registry.edit_product(s, renamed, "BTK-001", name="Batik Kendedes baru")
        registry.edit_consignor(s, renamed, "IKM-0001", name="Batik Celaket Jaya")
    assert make(story, "receipt", "PL-2020-00001", when="2020-11-21 09:00") == first
    assert make(story, "advice", 2, when="2020-11-21 09:00") == advice
    assert archived(story) == before + 2
    english = flat(make(story, "receipt", "PL-2020-00001", "en", when="2020-11-21 09:00"))
    assert "Atria Hotel & Residence" in english  # a new rendering shows the registry now
    assert archived(story) == before + 3
    with story.transaction(readonly=True) as s:
        assert archive.find(s, archive.receipt_key("PL-2020-00001", "id")) == first


def test_place_return_and_pay_write_the_archived_proof_with_pdf(story, tmp_path, db_url):
    out = tmp_path
    placed = run(db_url, "Siti", "place", "--hotel", "ATRIA", "--consignor", "IKM-0001",
                 "--at", "2020-11-16 09:00", "BTK-001=2", "--pdf", out / "terima.pdf")
    assert placed.exit_code == 0, placed.output
    assert f"Receipt written to {out / 'terima.pdf'}." in placed.output
    again = run(db_url, "Siti", "doc", "receipt", "PL-2020-00003", "--out", out / "lagi.pdf")
    assert again.exit_code == 0, again.output
    assert (out / "terima.pdf").read_bytes() == (out / "lagi.pdf").read_bytes()
    returned = run(db_url, "Siti", "return", "--hotel", "ATRIA", "--at", "2020-11-16 10:00",
                   "BTK-001=1", "KRM-001=1", "--pdf", out / "retur.pdf")
    assert returned.exit_code == 0, returned.output
    assert "RT-2020-00003" in text_of((out / "retur-IKM-0001.pdf").read_bytes())
    assert "RT-2020-00004" in text_of((out / "retur-IKM-0002.pdf").read_bytes())
    assert not (out / "retur.pdf").exists()
    paid = run(db_url, "Siti", "statement", "pay", "ST-000002", "--on", "2020-11-16",
               "--ref", "TRF-009", "--pdf", out / "bayar.pdf", "--lang", "en")
    assert paid.exit_code == 0, paid.output
    text = flat((out / "bayar.pdf").read_bytes())
    assert "Net of statement ST-000002 Rp60.000" in text and "Still owed Rp0" in text
    assert "With this payment statement ST-000002 is paid in full." in text


# ---- verify ----------------------------------------------------------------------------------

def test_verify_says_which_proof_a_file_is(story, tmp_path, db_url):
    files = {"receipt.pdf": make(story, "receipt", "PL-2020-00001"),
             "retur.pdf": make(story, "return_note", "RT-2020-00002", "en"),
             "advice.pdf": make(story, "advice", 2)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    said = {name: json.loads(run(db_url, "Siti", "statement", "verify", tmp_path / name,
                                 "--format", "json").output) for name in files}
    assert [(said[n]["kind"], said[n]["number"], said[n]["unaltered"]) for n in files] == [
        ("receipt", "PL-2020-00001", True), ("return-note", "RT-2020-00002", True),
        ("advice", "ST-000001", True)]
    assert said["receipt.pdf"]["message"].startswith(
        f"{tmp_path / 'receipt.pdf'} is the receipt of placement PL-2020-00001 (ATRIA / "
        "IKM-0001, 2020-10-02 09:00), unaltered")
    assert "is return note RT-2020-00002 (ATRIA / IKM-0002, 2020-10-20 10:00) in " \
           "English, unaltered" in said["retur.pdf"]["message"]
    assert "is the payment advice of payment 2: Rp50.000 on 2020-11-10 for statement " \
           "ST-000001 (ATRIA / IKM-0001, 2020-10), ref TRF-002, unaltered" \
           in said["advice.pdf"]["message"]


def test_verify_of_a_copy_of_a_receipt_names_the_placement_and_refuses_it(story, tmp_path,
                                                                          db_url):
    copy = make(story, "receipt", "PL-2020-00001") + b"\n% saved again\n"
    (tmp_path / "copy.pdf").write_bytes(copy)
    result = run(db_url, "Siti", "statement", "verify", tmp_path / "copy.pdf")
    assert result.exit_code == 1
    assert "names placement PL-2020-00001 (ATRIA / IKM-0001) but is not the issued file" \
           in result.output
    assert "'consign doc receipt PL-2020-00001'" in result.output


def test_verify_tells_of_an_advice_whose_payment_was_voided_since(story):
    data = make(story, "advice", 1)
    with story.transaction() as s:
        settlement.void_payment(s, at("2020-11-20 09:00"), 1, "salah rekening")
    with story.transaction(readonly=True) as s:
        verdict = statements.verify(s, data, "a.pdf")
    assert verdict.unaltered and verdict.kind == "advice"
    assert verdict.message.endswith("The payment has since been voided (salah rekening).")


# ---- who may have which proof ----------------------------------------------------------------

def run(db_url, actor, *args):
    return CliRunner().invoke(main, ["--db", db_url, "--as", actor, *map(str, args)],
                              catch_exceptions=False)


@pytest.fixture
def people(story):
    with story.transaction() as s:
        for name, role in (("Wayan", "hotel:TUGU"), ("Sri", "consignor:IKM-0001"),
                           ("Slamet", "consignor:IKM-0002"), ("Budi", "auditor")):
            users.add(s, at("2020-11-01 08:00"), name, role)
    return story


@pytest.mark.parametrize("actor, args, refusal", [
    ("Wayan", ("doc", "receipt", "PL-2020-00001"), "No note PL-2020-00001."),
    ("Slamet", ("doc", "receipt", "PL-2020-00001"), "No note PL-2020-00001."),
    ("Sri", ("doc", "return-note", "RT-2020-00002"), "No note RT-2020-00002."),
    ("Wayan", ("doc", "advice", "2"), "No payment with id 2."),
    ("Slamet", ("doc", "advice", "2"), "No payment with id 2."),
])
def test_another_hotels_or_ikms_proof_is_not_found_and_nothing_is_written(
        people, snapshot, tmp_path, db_url, actor, args, refusal):
    before = snapshot()
    result = run(db_url, actor, *args, "--out", tmp_path / "x.pdf")
    assert (result.exit_code, result.output.strip()) == (1, f"Error: {refusal}")
    assert snapshot() == before
    assert not (tmp_path / "x.pdf").exists()


def test_the_ikm_the_hotel_and_the_auditor_each_get_their_own_proofs(people, tmp_path,
                                                                     db_url):
    for actor, args in [("Sri", ("doc", "receipt", "PL-2020-00001")),
                        ("Slamet", ("doc", "return-note", "RT-2020-00002")),
                        ("Sri", ("doc", "advice", "2")),
                        ("Budi", ("doc", "advice", "1"))]:
        result = run(db_url, actor, *args, "--out", tmp_path / f"{actor}.pdf")
        assert result.exit_code == 0, (actor, result.output)
    with people.transaction(readonly=True) as s:
        assert statements.verify(s, (tmp_path / "Budi.pdf").read_bytes()).unaltered
    with people.transaction(readonly=True) as s:
        access.bind(s, users.role(s, "hotel:TUGU"))
        verdict = statements.verify(s, (tmp_path / "Sri.pdf").read_bytes())
    assert not verdict.unaltered and verdict.kind is None


# ---- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args, code, message", [
    (("doc", "receipt", "PL-20-1"), 2, "placement number 'PL-20-1' is not of the form "
                                       "PL-2020-00042"),
    (("doc", "receipt", "RT-2020-00001"), 2, "placement number 'RT-2020-00001' is not of "
                                             "the form PL-2020-00042"),
    (("doc", "return-note", "PL-2020-00001"), 2, "return note number 'PL-2020-00001' is "
                                                 "not of the form RT-2020-00042"),
    (("doc", "receipt", "PL-2020-00099"), 1, "No note PL-2020-00099."),
    (("doc", "advice", "99"), 1, "No payment with id 99."),
    (("doc", "advice", "0"), 2, None),
    (("doc", "advice", "satu"), 2, None),
    (("doc", "receipt", "PL-2020-00001", "--lang", "fr"), 2, None),
])
def test_a_bad_number_or_a_missing_one_exits_with_one_line_and_writes_nothing(
        story, snapshot, tmp_path, db_url, args, code, message):
    before = snapshot()
    result = run(db_url, "Siti", *args, "--out", tmp_path / "x.pdf")
    assert result.exit_code == code, result.output
    assert len(result.output.strip().splitlines()) == 1
    if message:
        assert message in result.output
    assert snapshot() == before
    assert not (tmp_path / "x.pdf").exists()


def test_a_voided_payment_has_no_advice(story, db_url, tmp_path):
    with story.transaction() as s:
        settlement.void_payment(s, at("2020-11-20 09:00"), 1, "salah rekening")
    result = run(db_url, "Siti", "doc", "advice", "1", "--out", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert "Payment 1 was voided (salah rekening): a voided payment has no payment " \
           "advice." in result.output


def test_a_pdf_into_a_missing_folder_exits_3_before_anything_is_recorded(story, snapshot,
                                                                         tmp_path, db_url):
    before = snapshot()
    missing = tmp_path / "nowhere" / "terima.pdf"
    for args in [("place", "--hotel", "ATRIA", "--consignor", "IKM-0001", "--at",
                  "2020-11-16 09:00", "BTK-001=1", "--pdf", missing),
                 ("return", "--hotel", "ATRIA", "--at", "2020-11-16 09:00", "BTK-001=1",
                  "--pdf", missing),
                 ("statement", "pay", "ST-000002", "--on", "2020-11-16", "--ref", "T",
                  "--pdf", missing),
                 ("doc", "receipt", "PL-2020-00001", "--out", missing)]:
        result = run(db_url, "Siti", *args)
        assert result.exit_code == 3, (args, result.output)
        assert f"Cannot write to {missing}: no such folder. Nothing was written." \
               in result.output
    assert snapshot() == before


def test_a_refused_placement_writes_no_receipt(story, snapshot, tmp_path, db_url):
    before = snapshot()
    result = run(db_url, "Siti", "place", "--hotel", "ATRIA", "--consignor", "IKM-0001",
                 "--at", "2020-11-16 09:00", "KRM-001=1", "--pdf", tmp_path / "t.pdf")
    assert result.exit_code == 1
    assert snapshot() == before
    assert not (tmp_path / "t.pdf").exists()


# ---- the page holds what the bounds allow, and more --------------------------------------------

def _party(code: str, size: int) -> proof_reports.PartyView:
    return proof_reports.PartyView(code, "N" * size, "Jl. " + "alamat panjang " * (size // 15),
                                   "+62 341 417888", "O" * size)


def _note_view(lines: int, size: int) -> proof_reports.NoteView:
    day = date(2020, 10, 2)
    return proof_reports.NoteView(
        kind="receipt", number="PL-2020-00001", day=day, time="09:00 WIB",
        agency_name="Dinas", programme_name="Program", hotel=_party("ATRIA", size),
        consignor=_party("IKM-0001", size),
        lines=tuple(proof_reports.ProofLineView(f"SKU-{n:012d}", ("kata " * size)[:size],
                                                100_000, 1_000_000_000,
                                                100_000_000_000_000)
                    for n in range(lines)),
        recorded_by="R" * size, recorded_on=day, recorded_time="09:05 WIB",
        terms=proof_reports.TermsView(day, 1750, True, 3650, 3650, date(2030, 9, 30)))


def test_names_as_long_as_the_bounds_allow_wrap_and_longer_ones_are_cut_not_the_page():
    bounded = text_of(proof_reports.render_note(_note_view(3, 120)))
    assert "Rp100.000.000.000.000" in bounded and "Rp300.000.000.000.000" in bounded
    huge = proof_reports.render_note(_note_view(2, 10_000))
    assert len(PdfReader(io.BytesIO(huge)).pages) <= 3
    assert "…" in text_of(huge)


def test_a_long_placement_runs_over_pages_numbered_as_one_document():
    data = proof_reports.render_note(_note_view(80, 40))
    pages = len(PdfReader(io.BytesIO(data)).pages)
    text = text_of(data)
    assert pages > 1
    assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text
    assert "SKU-000000000079" in text and "Jumlah 8.000.000 Rp8.000.000.000.000.000" \
        in " ".join(text.split())

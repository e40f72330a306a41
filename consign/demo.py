"""Realistic sample data for Kota Malang: PHRI partner hotels, IKM and their goods."""

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consign import serialize
from consign.contacts import parse_phone
from consign.context import Context
from consign.errors import InsufficientStock
from consign.models import Movement, Note, Payment
from consign.periods import Period
from consign.services import check, ledger, lookup, registry, settlement, terms, users
from consign.tabular import Upload

HOTELS = [
    # code, name, commission (bp), address, phone, PHRI number
    (
        "ATRIA",
        "Atria Hotel Malang",
        2000,
        "Jl. Letjen S. Parman No. 87, Malang",
        "0341-4345888",
        "PHRI-MLG-0014",
    ),
    ("TUGU", "Hotel Tugu Malang", 2500, "Jl. Tugu No. 3, Malang", "0341-363891", "PHRI-MLG-0002"),
    (
        "IJEN",
        "Ijen Suites Resort",
        1750,
        "Jl. Ijen Nirwana Raya Blok A No. 16, Malang",
        "0341-4350888",
        "PHRI-MLG-0031",
    ),
    (
        "SANTIKA",
        "Hotel Santika Premiere Malang",
        2000,
        "Jl. Letjen Sutoyo No. 79, Malang",
        "0341-405405",
        "PHRI-MLG-0009",
    ),
]

CONSIGNORS = [
    # code, business, owner, sector, NIB, phone, email, address, bank, account, holder
    (
        "IKM-0001",
        "Batik Tulis Celaket",
        "Sri Wahyuni",
        "fashion",
        "9120001234567",
        "0812-3300-1122",
        "batikceleket@example.id",
        "Jl. Celaket Gg. II No. 12, Klojen",
        "BRI",
        "002101000123567",
        "Sri Wahyuni",
    ),
    (
        "IKM-0002",
        "Keramik Dinoyo Jaya",
        "Slamet Riyadi",
        "kriya",
        "9120007654321",
        "0813-3456-2211",
        None,
        "Jl. MT Haryono Gg. IX No. 5, Dinoyo, Lowokwaru",
        "BNI",
        "0123456789",
        "Slamet Riyadi",
    ),
    (
        "IKM-0003",
        "Sanggar Topeng Malangan Asmorobangun",
        "Tri Handoyo",
        "kriya",
        None,
        "0857-4900-3311",
        None,
        "Dusun Kedungmonggo, Pakisaji",
        "Bank Jatim",
        "0061234567",
        "Tri Handoyo",
    ),
    (
        "IKM-0004",
        "Keripik Tempe Sanan Bu Rini",
        "Rini Astuti",
        "kuliner",
        "9120001112223",
        "0821-4400-5566",
        "rini.sanan@example.id",
        "Jl. Sanan No. 27, Purwantoro, Blimbing",
        "BRI",
        "002101000765432",
        "Rini Astuti",
    ),
    (
        "IKM-0005",
        "Tenun Ikat Bumi Arema",
        "Dewi Lestari",
        "fashion",
        None,
        "0812-5200-7788",
        None,
        "Jl. Kawi Atas No. 40, Klojen",
        "Mandiri",
        "1440012345678",
        "Dewi Lestari",
    ),
]

PRODUCTS = [
    # SKU, IKM, name, list price, category
    ("BTK-001", "IKM-0001", "Batik tulis motif Kendedes, 2 m", 450_000, "kain"),
    ("BTK-002", "IKM-0001", "Batik cap motif Teratai, 2 m", 185_000, "kain"),
    ("BTK-003", "IKM-0001", "Selendang batik sutra", 275_000, "aksesori"),
    ("KRM-001", "IKM-0002", "Vas keramik Dinoyo glasir biru", 125_000, "keramik"),
    ("KRM-002", "IKM-0002", "Set cangkir keramik isi 4", 160_000, "keramik"),
    ("TPG-001", "IKM-0003", "Topeng Malangan Panji Asmorobangun", 350_000, "kriya kayu"),
    ("TPG-002", "IKM-0003", "Topeng Malangan mini (hiasan dinding)", 85_000, "kriya kayu"),
    ("KRP-001", "IKM-0004", "Keripik tempe Sanan original 250 g", 25_000, "makanan"),
    ("KRP-002", "IKM-0004", "Keripik tempe Sanan pedas 250 g", 27_500, "makanan"),
    ("TNN-001", "IKM-0005", "Kain tenun ikat Arema, 2 m", 525_000, "kain"),
]

PAIR_TERMS = [
    # a pair's own rate: the hotel keeps less of the food it sells for the IKM
    ("ATRIA", "IKM-0004", 1500, date(2000, 1, 1)),
]


def seed_registry(session: Session, ctx: Context) -> None:
    for code, name, rate, address, phone, phri in HOTELS:
        registry.add_hotel(
            session,
            ctx,
            code,
            name,
            commission=rate,
            address=address,
            phone=_phone(phone),
            phri_no=phri,
        )
    for code, name, owner, sector, nib, phone, email, address, bank, account, holder in CONSIGNORS:
        registry.add_consignor(
            session,
            ctx,
            code,
            name=name,
            owner=owner,
            sector=sector,
            nib=nib,
            phone=_phone(phone),
            email=email,
            address=address,
            bank=bank,
            account=account,
            holder=holder,
        )
    for sku, owner, name, price, category in PRODUCTS:
        registry.add_product(session, ctx, sku, owner, name=name, price=price, category=category)
    for code, description, contact in PUBLIC:
        registry.edit_consignor(session, ctx, code, public="yes", description=description,
                                public_contact=contact)
    for hotel, owner, rate, start in PAIR_TERMS:
        terms.set_terms(session, ctx, hotel, rate, consignor=owner, valid_from=start)


def _phone(text: str) -> str:
    return parse_phone(text)


# ---- the whole cycle --------------------------------------------------------------------
# Three closed months before the current one, and the current month as drafts. Every step
# is its own transaction, as hotel staff and the agency would do them one by one.

PLACEMENTS = {
    # hotel: [(IKM, [(SKU, qty, price at this hotel or None for the list price)])]
    "ATRIA": [
        ("IKM-0001", [("BTK-001", 6, None), ("BTK-002", 10, None), ("BTK-003", 5, None)]),
        ("IKM-0002", [("KRM-001", 8, None), ("KRM-002", 6, None)]),
        ("IKM-0004", [("KRP-001", 40, None), ("KRP-002", 40, None)]),
    ],
    "TUGU": [
        ("IKM-0001", [("BTK-001", 4, 475_000)]),
        ("IKM-0003", [("TPG-001", 5, None), ("TPG-002", 12, None)]),
        ("IKM-0005", [("TNN-001", 5, None)]),
    ],
    "IJEN": [
        ("IKM-0002", [("KRM-001", 6, None)]),
        ("IKM-0003", [("TPG-002", 10, None)]),
        ("IKM-0004", [("KRP-001", 30, None)]),
    ],
    "SANTIKA": [
        ("IKM-0005", [("TNN-001", 10, None)]),
        ("IKM-0001", [("BTK-002", 12, None)]),
    ],
}
RESTOCKS = [
    ("ATRIA", "IKM-0004", [("KRP-001", 30, None)]),
    ("ATRIA", "IKM-0001", [("BTK-001", 3, None)]),
    ("TUGU", "IKM-0001", [("BTK-001", 4, 475_000)]),
    ("SANTIKA", "IKM-0005", [("TNN-001", 6, None)]),
    ("IJEN", "IKM-0002", [("KRM-001", 4, None)]),
]
PAYMENTS = ("cash", "cash", "qris", "qris", "card", "transfer")
# the IKM that agreed to the public catalogue (/katalog, /p/SKU): its description, and
# whether its phone and e-mail may be shown there
PUBLIC = (
    ("IKM-0001", "Batik tulis dan cap khas Malang, dikerjakan tangan di Celaket sejak 1998.",
     "yes"),
    ("IKM-0002", "Keramik hias dan peralatan makan dari sentra keramik Dinoyo.", "no"),
)
# who may log in to the web app on the demo's data (consign serve), one of each kind
WEB_USERS = (("agency", "admin"), ("auditor", "auditor"), ("siti", "hotel:ATRIA"),
             ("sri", "consignor:IKM-0001"))
WEB_PASSWORD = "malang-demo-2026"  # the demo's, for trying it out; never a real one


@dataclass
class DemoRun:
    """What the demo did, for its summary."""

    months: list = field(default_factory=list)
    statements: list = field(default_factory=list)
    pdfs: list = field(default_factory=list)
    extra_pdfs: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    web_users: tuple = ()
    problems: list = field(default_factory=list)


class Cycle:
    """Drives the demo's months through the services, each step one transaction."""

    def __init__(self, database, ctx: Context, out: Path):
        self.database, self.out = database, out
        self.rng = random.Random(2020)
        self.receipts = 0
        current = Period.of(ctx.now, ctx.tz)
        self.months = [
            current.previous().previous().previous(),
            current.previous().previous(),
            current.previous(),
        ]
        self.current = current
        # The demo's clock: each step is recorded a few minutes after the moment it is
        # about, never before an earlier step and never after the real now.
        self.real = ctx
        self.clock = self.at(self.months[0], 1, 8)

    @property
    def ctx(self) -> Context:
        return replace(self.real, now=self.clock)

    def at(self, period: Period, day: int, hour: int = 10, minute: int = 0) -> datetime:
        day = min(day, period.last_day.day)
        return datetime.combine(
            date(period.year, period.month, day), time(hour, minute), self.real.tz
        ).astimezone(UTC)

    def step(self, work, when: datetime | None = None):
        """``work`` in one transaction, recorded just after ``when`` (or at the clock)."""
        if when is not None:
            self.clock = min(max(self.clock, when + timedelta(minutes=5)), self.real.now)
        with self.database.transaction() as session:
            return work(session)

    def seed(self) -> None:
        """The agency registers the programme's hotels, IKM and products on the first day."""
        self.step(lambda s: seed_registry(s, self.ctx))

    def run(self) -> DemoRun:
        result = DemoRun(months=[str(m) for m in self.months])
        first, second, third = self.months
        self.seed()
        self.place_all(first)
        self.sell_month(first, skip=set())
        self.step(
            lambda s: ledger.sell(
                s,
                self.ctx,
                "ATRIA",
                "BTK-002",
                price=165_000,
                at=self.at(first, 31, 23, 30),
                receipt="ATRIA-DISC-001",
                payment="cash",
            ),
            self.at(first, 31, 23, 30),
        )
        self.close(first)
        self.second_month(second)
        self.close(second)
        self.third_month(third)
        self.close(third)
        self.payments()
        self.new_phone()
        self.current_month()
        result.statements = self.summary()
        result.pdfs = self.write_pdfs()
        result.documents = self.write_documents()
        result.web_users = self.step(self.add_web_users)
        result.problems = self.step(lambda s: check.run(s, self.ctx.tz))
        return result

    def place_all(self, period: Period) -> None:
        for hotel, placements in PLACEMENTS.items():
            for owner, lines in placements:
                self.step(
                    lambda s, h=hotel, o=owner, ls=lines: ledger.place(
                        s, self.ctx, h, o, ls, at=self.at(period, 2, 9, 30)
                    ),
                    self.at(period, 2, 9, 30),
                )

    def sell_month(self, period: Period, skip: set, last_day: int | None = None) -> None:
        final = last_day or period.last_day.day
        for day in range(3, final + 1):
            for hotel, placements in PLACEMENTS.items():
                if self.rng.random() < 0.35:
                    owner, lines = self.rng.choice(placements)
                    sku = self.rng.choice(lines)[0]
                    if (hotel, sku) not in skip:
                        self.try_sale(
                            hotel,
                            sku,
                            self.at(
                                period,
                                day,
                                self.rng.randint(9, 21),
                                self.rng.choice((0, 15, 30, 45)),
                            ),
                        )

    def try_sale(self, hotel: str, sku: str, at: datetime):
        self.receipts += 1
        qty = 2 if sku.startswith("KRP") and self.rng.random() < 0.5 else 1
        try:
            return self.step(
                lambda s: ledger.sell(
                    s,
                    self.ctx,
                    hotel,
                    sku,
                    qty=qty,
                    at=at,
                    receipt=f"{hotel}-{self.receipts:05d}",
                    payment=self.rng.choice(PAYMENTS),
                ),
                at,
            )
        except InsufficientStock:
            return None

    def close(self, period: Period) -> None:
        """The agency closes each hotel's month a few days after it ends."""
        issued = datetime.combine(period.last_day + timedelta(days=3), time(10),
                                  self.real.tz).astimezone(UTC)
        for n, hotel in enumerate(PLACEMENTS):
            self.step(lambda s, h=hotel: settlement.close_period(s, self.ctx, period, h),
                      issued + timedelta(minutes=10 * n))

    def second_month(self, period: Period) -> None:
        first = self.months[0]
        voided = self.step(lambda s: _sales_of(s, "IJEN", "TPG-002", first, self.ctx.tz))[:2]
        for movement_id in voided:
            self.step(
                lambda s, m=movement_id: ledger.void(
                    s,
                    self.ctx,
                    m,
                    "Pembeli mengembalikan topeng: cat mengelupas",
                    at=self.at(period, 4, 11),
                ),
                self.at(period, 4, 11),
            )
        self.step(
            lambda s: terms.set_terms(
                s, self.ctx, "TUGU", 2250, valid_from=self.at(period, 16).date()
            ),
            self.at(period, 5, 9),
        )
        self.step(
            lambda s: ledger.write_off(
                s,
                self.ctx,
                "TUGU",
                "lost",
                "hotel",
                "Hilang dari etalase lobi",
                [("TPG-002", 1)],
                at=self.at(period, 10, 20),
            ),
            self.at(period, 10, 20),
        )
        self.step(
            lambda s: ledger.write_off(
                s,
                self.ctx,
                "IJEN",
                "damaged",
                "consignor",
                "Retak saat pengiriman",
                [("KRM-001", 1)],
                at=self.at(period, 12, 14),
            ),
            self.at(period, 12, 14),
        )
        self.import_sales_file("ATRIA", period)
        self.sell_month(
            period,
            skip={
                ("IJEN", "TPG-002"),
                ("ATRIA", "KRP-001"),
                ("ATRIA", "KRP-002"),
                ("ATRIA", "BTK-001"),
            },
        )
        oops = self.try_sale("SANTIKA", "BTK-002", self.at(period, 18, 15))
        if oops is not None:
            self.step(
                lambda s: ledger.void(
                    s,
                    self.ctx,
                    oops.movement.id,
                    "Salah input: barang belum terjual",
                    at=self.at(period, 18, 16),
                ),
                self.at(period, 18, 16),
            )
        self.correct_receipt("TUGU", period)
        self.restock(period, 20)
        self.count_shelf("ATRIA", period)

    def restock(self, period: Period, day: int) -> None:
        for hotel, owner, lines in RESTOCKS:
            self.step(
                lambda s, h=hotel, o=owner, ls=lines: ledger.place(
                    s, self.ctx, h, o, ls, at=self.at(period, day, 9)
                ),
                self.at(period, day, 9),
            )

    def import_sales_file(self, hotel: str, period: Period) -> None:
        """The hotel's till exports the month's sales of keripik as one file."""
        path = self.out / f"sales-{hotel}-{period}.csv"
        rows = ["sold_at,sku,qty,unit_price,receipt"]
        for n, day in enumerate(range(3, period.last_day.day + 1, 2), start=1):
            sku = ("KRP-001", "KRP-002")[n % 2]
            rows.append(
                f"{period}-{day:02d} 1{n % 10}:{(n * 7) % 60:02d},{sku},1,,POS-{period}-{n:04d}"
            )
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        upload = Upload.read(path)
        self.step(lambda s: ledger.import_sales(s, self.ctx, hotel, upload),
                  self.at(period, 31, 22))
        # One line of the file was wrong: the guest bought the other flavour. The clerk
        # voids its receipt; the till's file, imported again, does not bring it back.
        wrong = f"POS-{period}-0003"
        self.step(lambda s: ledger.void_receipt(s, self.ctx, hotel, wrong,
                                                "Salah rasa: tamu membeli keripik pedas"),
                  self.at(period, 31, 22, 10))
        self.step(lambda s: ledger.import_sales(s, self.ctx, hotel, Upload.read(path)),
                  self.at(period, 31, 22, 15))

    def count_shelf(self, hotel: str, period: Period) -> None:
        """Stock opname on the last evening of the month: two bags of keripik are missing."""
        at = self.at(period, 31, 21)
        shelf = self.step(lambda s: ledger.stock(s, hotel=hotel, as_of=at), at)
        lines = [
            f"{row.sku},{row.on_hand - 2 if row.sku == 'KRP-001' else row.on_hand}"
            for row in shelf
            if row.on_hand
        ]
        path = self.out / f"count-{hotel}-{period}.csv"
        path.write_text("sku,counted\n" + "\n".join(lines) + "\n", encoding="utf-8")
        upload = Upload.read(path)
        self.step(lambda s: ledger.count(s, self.ctx, hotel, upload, apply=True, at=at))

    def third_month(self, period: Period) -> None:
        self.step(
            lambda s: ledger.return_goods(
                s, self.ctx, "SANTIKA", [("TNN-001", 2)], at=self.at(period, 5, 10)
            ),
            self.at(period, 5, 10),
        )
        self.sell_month(period, skip={("IJEN", "TPG-002")})

    def correct_receipt(self, hotel: str, period: Period) -> None:
        """A guest's sale logged at the list price had a discount: the clerk voids the
        receipt and logs it again, under the same receipt, at the price paid."""
        found = self.step(lambda s: ledger.movements(
            s, self.real.tz, hotel=hotel, kind="sold", since=period.start(self.real.tz),
            until=period.end(self.real.tz)))
        sale = next(m for m in reversed(found)
                    if m.receipt and m.unit_price >= 100_000 and m.reversed_by is None)
        when = sale.at + timedelta(hours=1)
        self.step(lambda s: ledger.void_receipt(
            s, self.ctx, hotel, sale.receipt, "Salah harga: tamu mendapat diskon 10%",
            at=when), when)
        self.step(lambda s: ledger.sell(
            s, self.ctx, hotel, sale.sku, qty=-sale.qty, price=sale.unit_price * 9 // 10,
            at=sale.at, receipt=sale.receipt, payment=sale.payment), when)

    def payments(self) -> None:
        """The agency pays Batik Tulis Celaket's first statement from Atria in full, and
        part of Tenun Ikat's from Santika; the rest of the first month is overdue."""
        first = self.months[0]
        def number(hotel: str, consignor: str) -> str:
            return self.step(lambda s: settlement.list_statements(
                s, self.ctx, period=first, hotel=hotel, consignor=consignor)[0].number)
        paid_on = first.last_day + timedelta(days=12)
        full = number("ATRIA", "IKM-0001")
        self.step(lambda s: settlement.pay(s, self.ctx, full, paid_on, "TRF-BRI-0099812"),
                  datetime.combine(paid_on, time(14), self.real.tz))
        part = number("SANTIKA", "IKM-0005")
        owed = self.step(lambda s: settlement.statement(s, self.ctx, part).owed)
        self.step(lambda s: settlement.pay(s, self.ctx, part, paid_on, "TRF-BNI-0012240",
                                           amount=owed // 2),
                  datetime.combine(paid_on, time(14, 30), self.real.tz))

    def new_phone(self) -> None:
        """After her statements were issued, Batik Tulis Celaket's owner has a new number:
        the registry changes, the issued statements keep the one they were issued with."""
        self.step(lambda s: registry.edit_consignor(s, self.ctx, "IKM-0001",
                                                    phone="0813-3300-4412"))

    def return_unsold(self, hotel: str, sku: str, at: datetime) -> None:
        """The IKM takes back two pieces that did not sell (or what is left of them)."""
        shelf = self.step(lambda s: ledger.stock(s, hotel=hotel, as_of=at))
        left = sum(row.on_hand for row in shelf if row.sku == sku)
        if left:
            self.step(
                lambda s: ledger.return_goods(s, self.ctx, hotel, [(sku, min(2, left))], at=at)
            )

    def current_month(self) -> None:
        today = self.ctx.now.astimezone(self.ctx.tz).day
        if today > 1:
            self.sell_month(self.current, skip=set(), last_day=today - 1)
        self.step(lambda s: settlement.settle(s, self.ctx, self.current))

    def summary(self) -> list:
        return self.step(
            lambda s: [
                serialize.statement(statement)
                for statement in settlement.list_statements(s, self.ctx)
            ]
        )

    def write_pdfs(self) -> list[Path]:
        folder = self.out / "statements"
        folder.mkdir(exist_ok=True)
        written = []
        with self.database.transaction() as session:
            issued = [s.number for s in settlement.list_statements(session, self.ctx)
                      if s.number]
            for number in issued:
                for name, data in settlement.statement_pdfs(session, self.ctx, number):
                    (folder / name).write_bytes(data)
                    written.append(folder / name)
        return sorted(written)


    def add_web_users(self, session: Session) -> tuple:
        """The people who try the web app on the demo's data: the agency's administrator
        and auditor, Atria's clerk and Batik Tulis Celaket's owner."""
        for name, role in WEB_USERS:
            users.add(session, self.ctx, name, role)
            users.set_password(session, self.ctx, name, WEB_PASSWORD)
        return WEB_USERS

    def write_documents(self, hotel: str = "ATRIA") -> list[Path]:
        """One of each paper document next to the statements: the receipt of the first
        placement, the note of the first return, the advice of the first payment (each
        archived as it is first made), and the hotel's price labels (one per product on
        its shelf), count sheet and count file."""
        from consign.services import proofs, shelf_paper
        from reports.count_sheet import render_count_sheet
        from reports.price_labels import render_price_labels

        folder = self.out / "documents"
        folder.mkdir(exist_ok=True)
        with self.database.transaction() as session:
            first = {kind: session.scalar(select(func.min(Note.number))
                                          .where(Note.kind == kind))
                     for kind in ("placement", "return")}
            made = [proofs.receipt(session, self.ctx, first["placement"]),
                    proofs.return_note(session, self.ctx, first["return"]),
                    proofs.advice(session, self.ctx, session.scalar(select(func.min(Payment.id))))]
            labels = shelf_paper.build_price_labels_view(session, self.ctx, hotel, copies_each=1)
            sheet = shelf_paper.build_count_sheet_view(session, self.ctx, hotel)
        files = {folder / f"{proof.kind}-{proof.reference}.pdf": proof.data for proof in made}
        files[folder / f"labels-{hotel}.pdf"] = render_price_labels(labels)
        files[folder / f"count-sheet-{hotel}.pdf"] = render_count_sheet(sheet)
        files[folder / f"count-template-{hotel}.csv"] = shelf_paper.count_template(
            sheet).encode("utf-8")
        for path, data in files.items():
            path.write_bytes(data)
        return sorted(files)


def _sales_of(session: Session, hotel: str, sku: str, period: Period, tz: tzinfo) -> list[int]:
    """The ids of the sales of one SKU at one hotel in a month, oldest first."""
    the_hotel, product = lookup.hotel(session, hotel), lookup.product(session, sku)
    return list(
        session.scalars(
            select(Movement.id)
            .where(
                Movement.hotel_id == the_hotel.id,
                Movement.product_id == product.id,
                Movement.kind == "sold",
                Movement.at >= period.start(tz),
                Movement.at < period.end(tz),
            )
            .order_by(Movement.id)
        )
    )

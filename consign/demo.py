"""Realistic sample data for Kota Malang: PHRI partner hotels, IKM and their goods."""

from datetime import date

from sqlalchemy.orm import Session

from consign.context import Context
from consign.services import registry, terms

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
            commission_bp=rate,
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
    for hotel, owner, rate, start in PAIR_TERMS:
        terms.set_terms(session, ctx, hotel, rate, consignor=owner, valid_from=start)


def _phone(text: str) -> str:
    from consign.contacts import parse_phone

    return parse_phone(text)

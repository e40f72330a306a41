"""How fast does ``consign`` start? Hotel staff type it all day.

Compares, in one run, ``consign --help`` and ``consign hotel list`` (on a small SQLite
database) with a bare click program that prints its help; and a sale as a whole process,
``consign sell --hotel H SKU``, with a bare click + SQLAlchemy ORM program that records
the same sale in the same database (it looks up the hotel and the product, takes the unit
off the stock row only if one is there, adds the movement and its audit entry, commits
and prints a line). Prints the medians and ratios. Targets: help within 2x of bare click,
hotel list within 4x, a sale within 1.5x of the bare program.

    .venv/bin/python bench/startup.py [--runs 15]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_CLICK = '''
import click

@click.group()
def main():
    """A bare click program."""

@main.command()
def hello():
    """Say hello."""

main()
'''

BARE_SALE = '''
import sys
from datetime import datetime, timezone

import click
from sqlalchemy import ForeignKey, String, create_engine, event, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class Hotel(Base):
    __tablename__ = "hotels"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(60))
    price: Mapped[int]


class Stock(Base):
    __tablename__ = "stock"
    hotel_id: Mapped[int] = mapped_column(ForeignKey("hotels.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    on_hand: Mapped[int]


class Movement(Base):
    __tablename__ = "movements"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    hotel_id: Mapped[int]
    product_id: Mapped[int]
    qty: Mapped[int]
    unit_price: Mapped[int]
    at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    counts_at: Mapped[datetime]
    receipt_version: Mapped[int]


class Entry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    record: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str]


@click.command()
@click.option("--db", required=True)
@click.option("--hotel", required=True)
@click.argument("sku")
def sell(db, hotel, sku):
    engine = create_engine(db)
    event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA journal_mode=WAL"))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with Session(engine) as session, session.begin():
        hotel_id = session.scalar(select(Hotel.id).where(Hotel.code == hotel))
        product = session.scalars(select(Product).where(Product.sku == sku)).one()
        taken = session.execute(update(Stock).where(
            Stock.hotel_id == hotel_id, Stock.product_id == product.id, Stock.on_hand >= 1
        ).values(on_hand=Stock.on_hand - 1)).rowcount
        if not taken:
            sys.exit("none on hand")
        movement = Movement(kind="sold", hotel_id=hotel_id, product_id=product.id, qty=-1,
                            unit_price=product.price, at=now, recorded_at=now, actor="bare",
                            counts_at=now, receipt_version=0)
        session.add(movement)
        session.flush()
        movement_id = movement.id
        session.add(Entry(at=now, recorded_at=now, actor="bare", action="movement.sold",
                          record=f"movement:{movement_id}", detail="{}"))
    click.echo(f"Sold 1 x {sku} at {hotel}: movement {movement_id}.")


sell()
'''


def timed(command: list[str], runs: int) -> float:
    subprocess.run(command, check=True, capture_output=True)  # warm the caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    # consign's modules compiled as an installed program's are (the bare programs import
    # only installed libraries, compiled when pip installed them): where
    # PYTHONDONTWRITEBYTECODE is set, each start would otherwise compile consign again
    here = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(here / "consign"),
                    str(here / "reports")], check=True, capture_output=True)
    consign = [sys.executable, "-m", "consign"]
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare.py"
        bare.write_text(BARE_CLICK)
        url = f"sqlite:///{Path(folder) / 'small.db'}"
        subprocess.run([*consign, "--db", url, "db", "upgrade"], check=True, capture_output=True)
        for n in range(1, 21):
            subprocess.run([*consign, "--db", url, "hotel", "add", f"HOTEL-{n:02d}", "--name",
                            f"Hotel {n}", "--commission", "20%"], check=True, capture_output=True)
        base = timed([sys.executable, str(bare), "--help"], runs)
        help_time = timed([*consign, "--help"], runs)
        list_time = timed([*consign, "--db", url, "hotel", "list"], runs)
        for command in (["consignor", "add", "IKM-0001", "--name", "Batik", "--owner", "Sri",
                         "--sector", "fashion"],
                        ["product", "add", "BTK-001", "--consignor", "IKM-0001", "--name",
                         "Batik tulis", "--price", "150000"],
                        ["place", "--hotel", "HOTEL-01", "--consignor", "IKM-0001",
                         f"BTK-001={4 * runs + 8}"]):
            subprocess.run([*consign, "--db", url, *command], check=True, capture_output=True)
        bare_sale = Path(folder) / "bare_sale.py"
        bare_sale.write_text(BARE_SALE)
        sale_base = timed([sys.executable, str(bare_sale), "--db", url, "--hotel", "HOTEL-01",
                           "BTK-001"], runs)
        sale_time = timed([*consign, "--db", url, "sell", "--hotel", "HOTEL-01", "BTK-001"],
                          runs)
    print(f"bare click --help        {base * 1000:7.1f} ms")
    print(f"consign --help           {help_time * 1000:7.1f} ms   ratio {help_time / base:4.2f}x "
          "(target 2x)")
    print(f"consign hotel list (20)  {list_time * 1000:7.1f} ms   ratio {list_time / base:4.2f}x "
          "(target 4x)")
    print(f"bare click + ORM sale    {sale_base * 1000:7.1f} ms")
    print(f"consign sell             {sale_time * 1000:7.1f} ms   ratio "
          f"{sale_time / sale_base:4.2f}x (target 1.5x)")


if __name__ == "__main__":
    main()

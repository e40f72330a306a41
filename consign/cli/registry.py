"""Registry commands: hotels, IKM (consignors), products and commission terms."""

import click

from consign.cli import pass_app
from consign.cli import types as t
from consign.cli.output import emit, format_option
from consign.contacts import SECTORS
from consign.terms import DISPLAY_DAYS, PAYMENT_DAYS

PRODUCT_MONEY = ("price",)


@click.group()
def hotel():
    """Partner hotels: register, list, show, deactivate, import."""


@hotel.command("add")
@click.argument("code", type=t.CODE)
@click.option("--name", required=True, type=t.NAME, help="The hotel's name.")
@click.option("--commission", type=t.RATE, help="Default commission the hotel keeps, e.g. 20%.")
@click.option("--address", type=t.ADDRESS, help="Street address.")
@click.option("--phone", type=t.PHONE, help="0341-403388 or +62341403388.")
@click.option("--phri-no", type=t.PHRI_NO, help="PHRI membership number.")
@format_option
@pass_app
def hotel_add(app, code, name, commission, address, phone, phri_no, fmt):
    """Register a hotel with code CODE (e.g. ATRIA)."""
    from consign import serialize
    from consign.services import registry

    with app.transaction() as session:
        record = registry.add_hotel(session, app.context(), code, name, commission=commission,
                                    address=address, phone=phone, phri_no=phri_no)
    emit(serialize.hotel(record), fmt)


@hotel.command("list")
@format_option
@pass_app
def hotel_list(app, fmt):
    """List every hotel with its current default commission."""
    from consign import serialize
    from consign.services import registry

    with app.transaction(readonly=True) as session:
        found = registry.hotels(session, app.today())
    emit([serialize.hotel(record) for record in found], fmt,
         columns=["code", "name", "commission", "phone", "active"] if fmt == "table" else None)


@hotel.command("show")
@click.argument("code", type=t.CODE)
@format_option
@pass_app
def hotel_show(app, code, fmt):
    """Show one hotel, with its commission terms."""
    from consign import serialize
    from consign.services import registry, terms

    with app.transaction(readonly=True) as session:
        record = registry.hotel(session, code, app.today())
        rates = terms.list_terms(session, hotel=code)
    shown = serialize.hotel(record)
    shown["terms"] = [serialize.terms(row) for row in rates]
    emit(shown, fmt)


@hotel.command("deactivate")
@click.argument("code", type=t.CODE)
@format_option
@pass_app
def hotel_deactivate(app, code, fmt):
    """Deactivate a hotel: it keeps its history but accepts no new placements or sales."""
    from consign import serialize
    from consign.services import registry

    with app.transaction() as session:
        record = registry.deactivate(session, app.context(), "hotel", code)
    emit(serialize.hotel(record), fmt)


@click.group()
def consignor():
    """IKM (consignors): register, list, show, deactivate, import."""


@consignor.command("add")
@click.argument("code", type=t.CODE)
@click.option("--name", required=True, type=t.NAME, help="Business name.")
@click.option("--owner", required=True, type=t.NAME, help="Owner's name.")
@click.option("--sector", type=t.choice(SECTORS), required=True, help="Sector of the business.")
@click.option("--nib", type=t.NIB, help="Business identity number (NIB): 13 digits.")
@click.option("--phone", type=t.PHONE, help="0812 3456 7890 or +6281234567890.")
@click.option("--email", type=t.EMAIL, help="E-mail address for statements.")
@click.option("--address", type=t.ADDRESS, help="Address.")
@click.option("--bank", type=t.NAME, help="Bank name, e.g. BRI (with --account and --holder).")
@click.option("--account", type=t.ACCOUNT,
              help="Bank account number; spaces, dots and dashes are ignored.")
@click.option("--holder", type=t.NAME, help="Name of the account holder.")
@format_option
@pass_app
def consignor_add(app, code, fmt, **values):
    """Register an IKM with code CODE (e.g. IKM-0001)."""
    from consign import serialize
    from consign.services import registry

    with app.transaction() as session:
        record = registry.add_consignor(session, app.context(), code, **values)
    emit(serialize.consignor(record), fmt)


@consignor.command("list")
@format_option
@pass_app
def consignor_list(app, fmt):
    """List every IKM."""
    from consign import serialize
    from consign.services import registry

    with app.transaction(readonly=True) as session:
        found = registry.consignors(session)
    emit([serialize.consignor(record) for record in found], fmt,
         columns=["code", "name", "owner", "sector", "phone", "active"] if fmt == "table"
         else None)


@consignor.command("show")
@click.argument("code", type=t.CODE)
@format_option
@pass_app
def consignor_show(app, code, fmt):
    """Show one IKM, with its products."""
    from consign import serialize
    from consign.services import registry

    with app.transaction(readonly=True) as session:
        record = registry.consignor(session, code)
        goods = registry.products(session, consignor=code)
    shown = serialize.consignor(record)
    shown["products"] = [serialize.product(row) for row in goods]
    emit(shown, fmt, money=PRODUCT_MONEY)


@consignor.command("deactivate")
@click.argument("code", type=t.CODE)
@format_option
@pass_app
def consignor_deactivate(app, code, fmt):
    """Deactivate an IKM: its goods accept no new placements or sales."""
    from consign import serialize
    from consign.services import registry

    with app.transaction() as session:
        record = registry.deactivate(session, app.context(), "consignor", code)
    emit(serialize.consignor(record), fmt)


@click.group()
def product():
    """Products: register, list, show, deactivate, import."""


@product.command("add")
@click.argument("sku", type=t.SKU)
@click.option("--consignor", "owner", type=t.CODE, required=True, help="The IKM's code.")
@click.option("--name", required=True, type=t.NAME, help="Product name.")
@click.option("--price", type=t.PRICE, required=True, help="List price: 150000 or Rp150.000.")
@click.option("--category", type=t.CATEGORY, help="Category, e.g. kain, tas, keramik.")
@format_option
@pass_app
def product_add(app, sku, owner, name, price, category, fmt):
    """Register a product with code SKU (unique across the system, at most 16 characters)."""
    from consign import serialize
    from consign.services import registry

    with app.transaction() as session:
        record = registry.add_product(session, app.context(), sku, owner, name=name,
                                      price=price, category=category)
    emit(serialize.product(record), fmt, money=PRODUCT_MONEY)


@product.command("list")
@click.option("--consignor", "owner", type=t.CODE, help="Only this IKM's products.")
@format_option
@pass_app
def product_list(app, owner, fmt):
    """List products."""
    from consign import serialize
    from consign.services import registry

    with app.transaction(readonly=True) as session:
        found = registry.products(session, owner)
    emit([serialize.product(record) for record in found], fmt, money=PRODUCT_MONEY)


@product.command("show")
@click.argument("sku", type=t.SKU)
@format_option
@pass_app
def product_show(app, sku, fmt):
    """Show one product."""
    from consign import serialize
    from consign.services import registry

    with app.transaction(readonly=True) as session:
        record = registry.product(session, sku)
    emit(serialize.product(record), fmt, money=PRODUCT_MONEY)


@product.command("deactivate")
@click.argument("sku", type=t.SKU)
@format_option
@pass_app
def product_deactivate(app, sku, fmt):
    """Deactivate a product: no new placements or sales of it."""
    from consign import serialize
    from consign.services import registry

    with app.transaction() as session:
        record = registry.deactivate(session, app.context(), "product", sku)
    emit(serialize.product(record), fmt, money=PRODUCT_MONEY)


def _import_command(group: click.Group, entity: str, columns: str) -> None:
    @group.command(
        "import",
        help=f"Import {entity} records from CSV or .xlsx (columns: {columns}; the key column "
        "is required, the others may be left out). All or nothing; identical rows are "
        "skipped, changed rows update only the columns the file has.",
    )
    @click.argument("file", type=click.Path(dir_okay=False))
    @format_option
    @pass_app
    def import_(app, file, fmt):
        from consign.services import registry
        from consign.tabular import Upload

        upload = Upload.read(file)
        with app.transaction() as session:
            result = registry.import_file(session, app.context(), entity, upload)
        summary = {"added": len(result.added), "updated": len(result.updated),
                   "unchanged": len(result.unchanged)}
        if fmt == "table":
            click.echo(f"{file}: {summary['added']} added, {summary['updated']} updated, "
                       f"{summary['unchanged']} already registered")
        else:
            emit(summary, fmt)


_import_command(hotel, "hotel", "code,name,commission,address,phone,phri_no")
_import_command(
    consignor, "consignor", "code,name,owner,sector,nib,phone,email,address,bank,account,holder"
)
_import_command(product, "product", "sku,consignor,name,price,category")


@click.group()
def terms():
    """Commission terms: a hotel's default rate and a (hotel, IKM) pair's own rate."""


@terms.command("set")
@click.option("--hotel", "hotel_code", type=t.CODE, required=True, help="The hotel's code.")
@click.option("--consignor", "consignor_code", type=t.CODE,
              help="An IKM's code, for a rate of that pair only (else the hotel's default).")
@click.option("--commission", type=t.RATE, required=True, help="Rate the hotel keeps: 17.5%.")
@click.option("--from", "valid_from", type=t.DATE, required=True,
              help="First day: 2021-01-01, 01/01/2021 or 1 Januari 2021.")
@click.option("--to", "valid_to", type=t.DATE, help="Last day (inclusive); open-ended if absent.")
@click.option("--display-days", type=t.DAYS, default=DISPLAY_DAYS, show_default=True,
              help="Days on display after which unsold goods are due back (1 to 3650).")
@click.option("--payment-days", type=t.DAYS, default=PAYMENT_DAYS, show_default=True,
              help="Days after issue when a statement is overdue (1 to 3650).")
@format_option
@pass_app
def terms_set(app, hotel_code, consignor_code, commission, valid_from, valid_to,
              display_days, payment_days, fmt):
    """Set a commission rate from a date. A new open-ended rate ends the current one the day
    before it starts; any other overlap is refused."""
    from consign import serialize
    from consign.services import terms as service

    with app.transaction() as session:
        record = service.set_terms(session, app.context(), hotel_code, commission,
                                   consignor=consignor_code, valid_from=valid_from,
                                   valid_to=valid_to, display_days=display_days,
                                   payment_days=payment_days)
    emit(serialize.terms(record), fmt)


@terms.command("list")
@click.option("--hotel", "hotel_code", type=t.CODE, help="Only this hotel's terms.")
@click.option("--consignor", "consignor_code", type=t.CODE, help="Only this IKM's terms.")
@format_option
@pass_app
def terms_list(app, hotel_code, consignor_code, fmt):
    """List commission terms with their validity."""
    from consign import serialize
    from consign.services import terms as service

    with app.transaction(readonly=True) as session:
        found = service.list_terms(session, hotel_code, consignor_code)
    emit([serialize.terms(row) for row in found], fmt)


COMMANDS = [hotel, consignor, product, terms]

"""Registry commands: hotels, IKM (consignors), products and commission terms."""

import click

from consign.cli import pass_app
from consign.cli import types as t
from consign.cli.output import emit, format_option

HOTEL_MONEY = ()
PRODUCT_MONEY = ("price",)


@click.group()
def hotel():
    """Partner hotels: register, list, show, deactivate, import."""


@hotel.command("add")
@click.argument("code", type=t.CODE)
@click.option("--name", required=True, help="The hotel's name.")
@click.option("--commission", type=t.RATE, help="Default commission the hotel keeps, e.g. 20%.")
@click.option("--address", default="", help="Street address.")
@click.option("--phone", type=t.PHONE, help="0341-403388 or +62341403388.")
@click.option("--phri-no", help="PHRI membership number.")
@format_option
@pass_app
def hotel_add(app, code, name, commission, address, phone, phri_no, fmt):
    """Register a hotel with code CODE (e.g. ATRIA)."""
    from consign.services import registry

    with app.transaction() as session:
        record = registry.add_hotel(
            session,
            app.context(),
            code,
            name,
            commission_bp=commission,
            address=address,
            phone=phone,
            phri_no=phri_no,
        )
        emit(_hotel(session, record, app.today()), fmt)


@hotel.command("list")
@format_option
@pass_app
def hotel_list(app, fmt):
    """List every hotel with its current default commission."""
    from consign import serialize
    from consign.services import registry
    from consign.services import terms as service

    with app.transaction(readonly=True) as session:
        rates = service.default_rates(session, app.today())
        rows = [
            serialize.hotel(record, rates[record.id].rate_bp if record.id in rates else None)
            for record in registry.hotels(session)
        ]
    emit(
        rows,
        fmt,
        columns=["code", "name", "commission", "phone", "active"] if fmt == "table" else None,
    )


@hotel.command("show")
@click.argument("code", type=t.CODE)
@format_option
@pass_app
def hotel_show(app, code, fmt):
    """Show one hotel, with its commission terms."""
    from consign import serialize
    from consign.services import registry, terms

    with app.transaction(readonly=True) as session:
        record = _hotel(session, registry.get_hotel(session, code), app.today())
        record["terms"] = [serialize.terms(row) for row in terms.list_terms(session, hotel=code)]
    emit(record, fmt)


@hotel.command("deactivate")
@click.argument("code", type=t.CODE)
@format_option
@pass_app
def hotel_deactivate(app, code, fmt):
    """Deactivate a hotel: it keeps its history but accepts no new placements or sales."""
    from consign.services import registry

    with app.transaction() as session:
        record = registry.deactivate(session, app.context(), "hotel", code)
        emit(_hotel(session, record, app.today()), fmt)


def _hotel(session, record, today) -> dict:
    from consign import serialize
    from consign.services import terms

    current = terms.default_rate(session, record, today)
    return serialize.hotel(record, current.rate_bp if current else None)


@click.group()
def consignor():
    """IKM (consignors): register, list, show, deactivate, import."""


@consignor.command("add")
@click.argument("code", type=t.CODE)
@click.option("--name", required=True, help="Business name.")
@click.option("--owner", required=True, help="Owner's name.")
@click.option("--sector", type=t.SECTOR, required=True, help="Sector of the business.")
@click.option("--nib", type=t.NIB, help="Business identity number (NIB): 13 digits.")
@click.option("--phone", type=t.PHONE, help="0812 3456 7890 or +6281234567890.")
@click.option("--email", type=t.EMAIL, help="E-mail address for statements.")
@click.option("--address", default="", help="Address.")
@click.option("--bank", help="Bank name, e.g. BRI.")
@click.option("--account", type=t.ACCOUNT, help="Bank account number (digits only).")
@click.option("--holder", help="Name of the account holder.")
@format_option
@pass_app
def consignor_add(app, code, fmt, **fields):
    """Register an IKM with code CODE (e.g. IKM-0001)."""
    from consign import serialize
    from consign.services import registry

    with app.transaction() as session:
        record = registry.add_consignor(session, app.context(), code, **fields)
        emit(serialize.consignor(record), fmt)


@consignor.command("list")
@format_option
@pass_app
def consignor_list(app, fmt):
    """List every IKM."""
    from consign import serialize
    from consign.services import registry

    with app.transaction(readonly=True) as session:
        rows = [serialize.consignor(record) for record in registry.consignors(session)]
    emit(
        rows,
        fmt,
        columns=["code", "name", "owner", "sector", "phone", "active"] if fmt == "table" else None,
    )


@consignor.command("show")
@click.argument("code", type=t.CODE)
@format_option
@pass_app
def consignor_show(app, code, fmt):
    """Show one IKM, with its products."""
    from consign import serialize
    from consign.services import registry

    with app.transaction(readonly=True) as session:
        record = serialize.consignor(registry.get_consignor(session, code))
        record["products"] = [
            serialize.product(row) for row in registry.products(session, consignor=code)
        ]
    emit(record, fmt, money=PRODUCT_MONEY)


@consignor.command("deactivate")
@click.argument("code", type=t.CODE)
@format_option
@pass_app
def consignor_deactivate(app, code, fmt):
    """Deactivate an IKM: its goods accept no new placements or sales."""
    from consign import serialize
    from consign.services import registry

    with app.transaction() as session:
        emit(
            serialize.consignor(registry.deactivate(session, app.context(), "consignor", code)), fmt
        )


@click.group()
def product():
    """Products: register, list, show, deactivate, import."""


@product.command("add")
@click.argument("sku")
@click.option("--consignor", "owner", type=t.CODE, required=True, help="The IKM's code.")
@click.option("--name", required=True, help="Product name.")
@click.option("--price", type=t.PRICE, required=True, help="List price: 150000 or Rp150.000.")
@click.option("--category", default="", help="Category, e.g. kain, tas, keramik.")
@format_option
@pass_app
def product_add(app, sku, owner, name, price, category, fmt):
    """Register a product with code SKU (unique across the system)."""
    from consign import serialize
    from consign.services import registry

    with app.transaction() as session:
        record = registry.add_product(
            session, app.context(), sku, owner, name=name, price=price, category=category
        )
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
        rows = [serialize.product(record) for record in registry.products(session, owner)]
    emit(rows, fmt, money=PRODUCT_MONEY)


@product.command("show")
@click.argument("sku")
@format_option
@pass_app
def product_show(app, sku, fmt):
    """Show one product."""
    from consign import serialize
    from consign.services import registry

    with app.transaction(readonly=True) as session:
        emit(serialize.product(registry.get_product(session, sku)), fmt, money=PRODUCT_MONEY)


@product.command("deactivate")
@click.argument("sku")
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
        help=f"Import {entity} records from CSV or .xlsx (columns: "
        f"{columns}). All or nothing; identical rows are skipped, changed rows update.",
    )
    @click.argument("file", type=click.Path(dir_okay=False))
    @format_option
    @pass_app
    def import_(app, file, fmt):
        from consign.services import registry

        with app.transaction() as session:
            result = registry.import_file(session, app.context(), entity, file)
        summary = {
            "added": len(result.added),
            "updated": len(result.updated),
            "unchanged": len(result.unchanged),
        }
        if fmt == "table":
            click.echo(
                f"{file}: {summary['added']} added, {summary['updated']} updated, "
                f"{summary['unchanged']} already registered"
            )
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
@click.option(
    "--consignor",
    "consignor_code",
    type=t.CODE,
    help="An IKM's code, for a rate of that pair only (else the hotel's default).",
)
@click.option("--commission", type=t.RATE, required=True, help="Rate the hotel keeps: 17.5%.")
@click.option("--from", "valid_from", type=t.DATE, required=True, help="First day, YYYY-MM-DD.")
@click.option("--to", "valid_to", type=t.DATE, help="Last day (inclusive); open-ended if absent.")
@click.option(
    "--display-days",
    type=click.IntRange(min=1),
    default=90,
    show_default=True,
    help="Days on display after which unsold goods are due back.",
)
@click.option(
    "--payment-days",
    type=click.IntRange(min=0),
    default=14,
    show_default=True,
    help="Days after issue when a statement is overdue.",
)
@format_option
@pass_app
def terms_set(
    app,
    hotel_code,
    consignor_code,
    commission,
    valid_from,
    valid_to,
    display_days,
    payment_days,
    fmt,
):
    """Set a commission rate from a date. A new open-ended rate ends the current one the day
    before it starts; any other overlap is refused."""
    from consign import serialize
    from consign.services import terms as service

    if valid_to is not None and valid_to < valid_from:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    with app.transaction() as session:
        record = service.set_terms(
            session,
            app.context(),
            hotel_code,
            commission,
            consignor=consignor_code,
            valid_from=valid_from,
            valid_to=valid_to,
            display_days=display_days,
            payment_days=payment_days,
        )
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
        rows = [serialize.terms(r) for r in service.list_terms(session, hotel_code, consignor_code)]
    emit(rows, fmt)


COMMANDS = [hotel, consignor, product, terms]

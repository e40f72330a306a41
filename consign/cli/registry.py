"""Registry commands: hotels, IKM (consignors), products and commission terms."""

import click

from consign import fields
from consign.cli import pass_app, usage
from consign.cli import types as t
from consign.cli.output import emit, format_option, say
from consign.contacts import SECTORS
from consign.i18n import msg
from consign.terms import DISPLAY_DAYS, PAYMENT_DAYS

PRODUCT_MONEY = ("price",)


def _or_clear(parse):
    """An optional field's value for ``edit``: empty clears the field (passed on as ``""``),
    anything else goes through the field's parser."""
    return lambda value, field: "" if not value.strip() else parse(value, field)


CLEARABLE_PHONE = t.Parsed("phone", _or_clear(fields.phone))
CLEARABLE_EMAIL = t.Parsed("email", _or_clear(fields.email))
CLEARABLE_NIB = t.Parsed("nib", _or_clear(fields.nib))
CLEARABLE_ADDRESS = t.Parsed("address", _or_clear(fields.address))
CLEARABLE_PHRI_NO = t.Parsed("phri_no", _or_clear(fields.phri_no))
CLEARABLE_NAME = t.Parsed("name", _or_clear(fields.name))  # bank and holder: with the account
CLEARABLE_ACCOUNT = t.Parsed("account", _or_clear(fields.account))
CLEARABLE_CATEGORY = t.Parsed("category", _or_clear(fields.category))
CLEARS = " An empty value ('') clears it."


def _description(value, field):
    """An IKM's short description, through the registry's own parser (imported when used:
    the command line starts without the services)."""
    from consign.services.registry import parse_description

    return parse_description(value, field)


DESCRIPTION = t.Parsed("description", _description)
CLEARABLE_DESCRIPTION = t.Parsed("description", _or_clear(_description))
DESCRIPTION_HELP = ("A short description for the public catalogue: what the IKM makes, at "
                    "most 500 characters.")
CONTACT_HELP = "Whether its phone and e-mail are shown on its public pages (default: no)."


SEARCH = t.Parsed("search", lambda value, field: fields.text(value, field, fields.NAME))


# what an edit says, per record: (what changed, nothing changed), each a whole sentence
EDITED = {
    "hotel": (lambda key, fields: msg("Hotel {key}: changed {fields}.", key=key, fields=fields),
              lambda key: msg("Hotel {key}: nothing to change; it already has these values.",
                              key=key)),
    "consignor": (lambda key, fields: msg("IKM {key}: changed {fields}.", key=key,
                                          fields=fields),
                  lambda key: msg("IKM {key}: nothing to change; it already has these "
                                  "values.", key=key)),
    "product": (lambda key, fields: msg("Product {key}: changed {fields}.", key=key,
                                        fields=fields),
                lambda key: msg("Product {key}: nothing to change; it already has these "
                                "values.", key=key)),
}


def _emit_edit(edit, what: str, key: str, shown: dict, fmt: str, money=()) -> None:
    """Print an edited record (``what``: hotel, consignor or product): what changed (or
    that nothing did), then the record; as JSON the record with ``changed``, the names of
    the fields changed."""
    if fmt == "json":
        emit({**shown, "changed": list(edit.changed)}, fmt)
        return
    if fmt == "table":
        changed, unchanged = EDITED[what]
        say(changed(key, ", ".join(edit.changed)) if edit.changed else unchanged(key))
    emit(shown, fmt, money=money)


def _some_given(values: dict, options: str) -> None:
    if all(value is None for value in values.values()):
        raise usage(msg("give at least one of {options} to change", options=options))


@click.group()
def hotel():
    """Partner hotels: register, list, show, edit, deactivate, import."""


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


@hotel.command("edit")
@click.argument("code", type=t.CODE)
@click.option("--name", type=t.NAME, help="The hotel's name.")
@click.option("--address", type=CLEARABLE_ADDRESS, help="Street address." + CLEARS)
@click.option("--phone", type=CLEARABLE_PHONE, help="0341-403388 or +62341403388." + CLEARS)
@click.option("--phri-no", type=CLEARABLE_PHRI_NO, help="PHRI membership number." + CLEARS)
@format_option
@pass_app
def hotel_edit(app, code, fmt, **values):
    """Change a hotel's name, address, phone or PHRI number; audited with the old and the new
    value. Issued statements keep the name they were issued with."""
    from consign import serialize
    from consign.services import registry

    _some_given(values, "--name, --address, --phone, --phri-no")
    with app.transaction() as session:
        edit = registry.edit_hotel(session, app.context(), code, **values)
    _emit_edit(edit, "hotel", edit.record.code, serialize.hotel(edit.record), fmt)


@click.group()
def consignor():
    """IKM (consignors): register, list, show, edit, deactivate, import."""


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
@click.option("--description", type=DESCRIPTION, help=DESCRIPTION_HELP)
@click.option("--public-contact", type=t.choice(("yes", "no")), help=CONTACT_HELP)
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


@consignor.command("edit")
@click.argument("code", type=t.CODE)
@click.option("--name", type=t.NAME, help="Business name.")
@click.option("--owner", type=t.NAME, help="Owner's name.")
@click.option("--phone", type=CLEARABLE_PHONE, help="0812 3456 7890 or +6281234567890." + CLEARS)
@click.option("--email", type=CLEARABLE_EMAIL, help="E-mail address for statements." + CLEARS)
@click.option("--address", type=CLEARABLE_ADDRESS, help="Address." + CLEARS)
@click.option("--nib", type=CLEARABLE_NIB, help="Business identity number (NIB): 13 digits."
              + CLEARS)
@click.option("--bank", type=CLEARABLE_NAME,
              help="Bank name, with --account and --holder (all three '' clear the account).")
@click.option("--account", type=CLEARABLE_ACCOUNT,
              help="Bank account number, with --bank and --holder.")
@click.option("--holder", type=CLEARABLE_NAME,
              help="Name of the account holder, with --bank and --account.")
@click.option("--public", type=t.choice(("yes", "no")),
              help="Whether the IKM appears in the public catalogue.")
@click.option("--description", type=CLEARABLE_DESCRIPTION, help=DESCRIPTION_HELP + CLEARS)
@click.option("--public-contact", type=t.choice(("yes", "no")),
              help="Whether its phone and e-mail are shown on its public pages.")
@format_option
@pass_app
def consignor_edit(app, code, fmt, **values):
    """Change an IKM's registration; audited with the old and the new value. Issued
    statements keep the name and bank account they were issued with."""
    from consign import serialize
    from consign.services import registry

    _some_given(values, "--name, --owner, --phone, --email, --address, --nib, --bank, "
                        "--account, --holder, --public, --description, --public-contact")
    with app.transaction() as session:
        edit = registry.edit_consignor(session, app.context(), code, **values)
    _emit_edit(edit, "consignor", edit.record.code, serialize.consignor(edit.record), fmt)


@click.group()
def product():
    """Products: register, list, show, edit, deactivate, import."""


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
@click.option("--hotel", type=t.CODE,
              help="Only products ever placed at this hotel, with their units on hand there.")
@click.option("--search", type=SEARCH, metavar="TEXT",
              help="Only products whose SKU or name holds this text (any case).")
@format_option
@pass_app
def product_list(app, owner, hotel, search, fmt):
    """List products."""
    from consign import serialize
    from consign.services import registry

    with app.transaction(readonly=True) as session:
        found = registry.products(session, owner, hotel=hotel, search=search)
    emit([serialize.product(record) for record in found], fmt, money=PRODUCT_MONEY)


@product.command("show")
@click.argument("sku", type=t.SKU)
@format_option
@pass_app
def product_show(app, sku, fmt):
    """Show one product, with the hotels that have its goods on hand."""
    from consign import serialize
    from consign.services import registry

    with app.transaction(readonly=True) as session:
        record = registry.product(session, sku, located=True)
    emit(serialize.product(record), fmt, money=PRODUCT_MONEY)


@product.command("edit")
@click.argument("sku", type=t.SKU)
@click.option("--name", type=t.NAME, help="Product name.")
@click.option("--price", type=t.PRICE,
              help="New list price: goods already placed keep the price they were placed at.")
@click.option("--category", type=CLEARABLE_CATEGORY, help="Category." + CLEARS)
@format_option
@pass_app
def product_edit(app, sku, fmt, **values):
    """Change a product's name, list price or category; audited with the old and the new
    value. Issued statements keep the name they were issued with."""
    from consign import serialize
    from consign.services import registry

    _some_given(values, "--name, --price, --category")
    with app.transaction() as session:
        edit = registry.edit_product(session, app.context(), sku, **values)
    _emit_edit(edit, "product", edit.record.sku, serialize.product(edit.record), fmt,
               money=PRODUCT_MONEY)


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
        f"is required, the others may be left out; at most {fields.REGISTRY_ROWS:,} rows a "
        "file). All or nothing; identical rows are skipped, changed rows update only the "
        "columns the file has.",
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
            say(msg("{file}: {added} added, {updated} updated, {unchanged} already registered",
                    file=file, **summary))
        else:
            emit(summary, fmt)


_import_command(hotel, "hotel", "code,name,commission,address,phone,phri_no")
_import_command(
    consignor, "consignor",
    "code,name,owner,sector,nib,phone,email,address,bank,account,holder,description,"
    "public_contact")
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
@click.option("--display-days", type=t.DAYS,
              help="Days on display after which unsold goods are due back (1 to 3650). "
                   f"Default: for a pair, the hotel's default term on --from; else "
                   f"{DISPLAY_DAYS}.")
@click.option("--payment-days", type=t.DAYS,
              help="Days after issue when a statement is overdue (1 to 3650). Default: for "
                   f"a pair, the hotel's default term on --from; else {PAYMENT_DAYS}.")
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

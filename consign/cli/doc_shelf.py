"""The shelf's paper, under ``consign doc``: sheets of price labels, the count sheet, and the
count file that ``consign count`` reads back."""

import click

from consign.cli import pass_app
from consign.cli import types as t
from consign.cli.doc import doc
from consign.cli.files import recorded
from consign.cli.output import say
from consign.i18n import msg

LANGUAGES = ("id", "en")

LANG_OPTION = click.option("--lang", type=t.choice(LANGUAGES), default="id",
                           show_default=True, help="Language of the document.")
OUT_OPTION = click.option("--out", required=True, type=click.Path(dir_okay=False),
                          metavar="FILE.pdf", help="The PDF file to write.")
HOTEL_OPTION = click.option("--hotel", type=t.CODE, required=True, help="The hotel's code.")


def _copies(value, field):
    from consign.services.shelf_paper import copies

    return copies(value, field)


COPIES = t.Parsed("copies", _copies)


def _written(app, out: str, build, render):
    """The view ``build(session, ctx)`` makes, rendered by ``render`` and written to ``out``
    in the same (read-only) transaction; the path is checked before anything is read."""
    with recorded(app, readonly=True) as (session, files):
        files.check(out)
        view = build(session, app.context())
        files.write(out, render(view))
    return view


@doc.command("labels")
@HOTEL_OPTION
@click.option("--consignor", type=t.CODE, help="Only this IKM's goods.")
@click.option("--sku", "skus", type=t.SKU, multiple=True, metavar="SKU",
              help="Only this product (repeat for more).")
@click.option("--copies", type=COPIES, metavar="N",
              help="N labels of each product (1 to 100) instead of one per unit on hand.")
@OUT_OPTION
@LANG_OPTION
@pass_app
def labels(app, hotel, consignor, skus, copies, out, lang):
    """Write sheets of cut-out price labels (3 × 8 on A4) for the goods on a hotel's shelf:
    one per unit on hand, each with the name, the hotel price, the IKM, a Code128 barcode of
    the SKU (scan it to type the SKU for 'consign sell') and a QR code of the product's
    public page ($CONSIGN_PUBLIC_URL/p/SKU), else of the SKU."""
    from consign import settings
    from consign.services import shelf_paper
    from reports.price_labels import pages, render_price_labels

    public = settings.public_url()
    view = _written(app, out, lambda session, ctx: shelf_paper.build_price_labels_view(
        session, ctx, hotel, consignor, skus, copies, public),
        lambda view: render_price_labels(view, lang))
    count = len(view.labels)
    say(msg("Wrote {count} label(s) for {hotel} on {pages} page(s) to {path}.", count=count,
            hotel=view.hotel_code, pages=pages(count), path=out))


@doc.command("count-sheet")
@HOTEL_OPTION
@OUT_OPTION
@LANG_OPTION
@pass_app
def count_sheet(app, hotel, out, lang):
    """Write the sheet a stock count is written on: the hotel's shelf by the ledger (SKU,
    name, IKM, units on record), an empty column for the units counted, and lines to sign
    and date; in the order of 'consign doc count-template'."""
    from consign.services import shelf_paper
    from reports.count_sheet import render_count_sheet

    view = _written(app, out, lambda session, ctx: shelf_paper.build_count_sheet_view(
        session, ctx, hotel), lambda view: render_count_sheet(view, lang))
    say(msg("Wrote the count sheet of {hotel} ({skus} SKU(s), {units} unit(s) on record) to "
            "{path}.", hotel=view.hotel_code, skus=len(view.lines), units=view.units,
            path=out))


@doc.command("count-template")
@HOTEL_OPTION
@pass_app
def count_template(app, hotel):
    """Print the file that 'consign count' reads (columns sku,counted) for the hotel's
    shelf, in the order of the count sheet: fill in counted and give it to 'consign count
    --hotel CODE FILE.csv'."""
    from consign.services import shelf_paper

    ctx = app.context()
    with app.transaction(readonly=True) as session:
        view = shelf_paper.build_count_sheet_view(session, ctx, hotel)
    click.echo(shelf_paper.count_template(view), nl=False)

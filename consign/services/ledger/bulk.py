"""Writing many movements in one go, for imports.

On SQLite the rows go to the driver's ``executemany`` on the session's own connection (in its
transaction), with every value already in the form the column stores: SQLAlchemy's
per-row parameter processing would otherwise cost more than SQLite takes to insert the row.
Elsewhere, ``Connection.execute(insert(...), rows)`` batches the rows itself.
"""

from collections.abc import Callable, Iterable
from operator import itemgetter

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from consign.models import Movement

MOVEMENTS = Movement.__table__


def insert_movements(
    session: Session, constants: dict, columns: tuple[str, ...], rows: list[tuple],
    chunk: int, done: Callable[[int], None],
) -> list[int]:
    """Insert ``rows`` (tuples of ``columns``), each with the ``constants`` too, ``chunk``
    rows at a time, calling ``done(n)`` after each chunk; the new movements' ids, in the
    order of ``rows``."""
    connection = session.connection()
    write = (_sqlite_writer if connection.dialect.name == "sqlite" else _writer)(
        connection, constants, columns
    )
    ids: list[int] = []
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        ids += write(part)
        done(len(part))
    return ids


def _writer(connection, constants: dict, columns: tuple[str, ...]):
    """A batched INSERT … RETURNING id, the ids in the order of the rows."""
    statement = insert(MOVEMENTS).values(constants).returning(
        MOVEMENTS.c.id, sort_by_parameter_order=True)

    def write(part: list[tuple]) -> list[int]:
        result = connection.execute(statement, [dict(zip(columns, row, strict=True))
                                                for row in part])
        return list(result.scalars())

    return write


_LAST_ID = select(func.max(MOVEMENTS.c.id))


def _sqlite_writer(connection, constants: dict, columns: tuple[str, ...]):
    """The driver's ``executemany``. The transaction holds SQLite's write lock (``BEGIN
    IMMEDIATE``), so the rows take the ids after the highest one, in order; that is
    checked after each chunk rather than assumed."""
    sql, prepare = _sqlite(connection.dialect, constants, columns)

    def write(part: list[tuple]) -> list[int]:
        before = connection.scalar(_LAST_ID) or 0
        connection.exec_driver_sql(sql, prepare(part))
        after = connection.scalar(_LAST_ID) or 0
        if after - before != len(part):
            raise RuntimeError("movements were inserted by another writer during an import")
        return list(range(before + 1, after + 1))

    return write


def _sqlite(dialect, constants: dict, columns: tuple[str, ...]):
    names = (*constants, *columns)
    statement = insert(MOVEMENTS).values(
        {name: bindparam(name, type_=MOVEMENTS.c[name].type) for name in names}
    )
    compiled = statement.compile(dialect=dialect)
    in_order = itemgetter(*(names.index(name) for name in compiled.positiontup))
    fixed = tuple(_processor(dialect, name)(value) for name, value in constants.items())
    changing = [(index, process) for index, process in
                enumerate(_processor(dialect, name) for name in columns) if process is not _same]

    def prepare(part: Iterable[tuple]) -> list[tuple]:
        prepared = []
        for row in part:
            values = list(row)
            for index, process in changing:
                values[index] = process(values[index])
            prepared.append(in_order(fixed + tuple(values)))
        return prepared

    return compiled.string, prepare


def _same(value):
    return value


def _processor(dialect, name: str):
    """What SQLAlchemy does to a value of this column before handing it to the driver: the
    processor of the column's type *as this dialect implements it* (SQLite's ``DATETIME``
    writes ``2020-10-31 17:00:00.000000``, always with microseconds, so that moments compare
    as text; the generic type's processor would leave that to the driver, which drops
    ``.000000``)."""
    column_type = MOVEMENTS.c[name].type
    return column_type.dialect_impl(dialect).bind_processor(dialect) or _same

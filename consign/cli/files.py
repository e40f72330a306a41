"""Files a command writes as part of what it records (``place --pdf``, ``doc receipt``,
``doc labels`` ...): written inside the command's transaction, so that a file that cannot
be written records nothing, and a transaction that does not commit leaves no file.

A file is never the command's own database or a file it reads: ``--out consign.db`` would
otherwise replace the database with a PDF."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from consign.errors import EnvironmentFailure, InvalidInput
from consign.i18n import msg, why


class Files:
    """The files of one command: :meth:`write` writes one now; should anything fail before
    the command's transaction commits, every file written is removed again."""

    def __init__(self, keep_clear: list[str]):
        self._clear = {_same(path) for path in keep_clear if path}
        self.written: list[Path] = []

    def check(self, path: str | os.PathLike, field: str = "out") -> Path:
        """Refuse, before anything is recorded, a path that is one of the command's own
        files (exit 2), or that cannot be written: a missing or read-only folder, a folder
        itself (exit 3)."""
        target = Path(path)
        if not str(path).strip():
            raise InvalidInput(msg("--{field} needs a file name.", field=field), field=field)
        if _same(target) in self._clear:
            raise InvalidInput(msg(
                "{path} is a file this command reads or its database: give another file "
                "name.", path=_short(target)), field=field)
        folder = target.parent
        why = None
        if not folder.is_dir():
            why = msg("no such folder")
        elif not os.access(folder, os.W_OK):
            why = msg("the folder cannot be written")
        elif target.is_dir():
            why = msg("it is a folder")
        elif target.exists() and not os.access(target, os.W_OK):
            why = msg("the file cannot be written")
        if why is not None:
            raise EnvironmentFailure(msg("Cannot write to {path}: {why}. Nothing was written.",
                                         path=_short(target), why=why), field=field)
        return target

    def write(self, path: str | os.PathLike, data: bytes, field: str = "out") -> Path:
        target = self.check(path, field)
        made = not target.exists()
        try:
            target.write_bytes(data)
        except OSError as error:
            if made:  # what this command began to write goes; nothing else ever does
                _unlink(target)
            raise EnvironmentFailure(msg(
                "Cannot write to {path}: {why}. Nothing was written.", path=_short(target),
                why=why(error)), field=field) from None
        self.written.append(target)
        return target

    def remove(self) -> None:
        for target in self.written:
            _unlink(target)
        self.written = []


@contextlib.contextmanager
def recorded(app, *reads: str | None, readonly: bool = False) -> Iterator[tuple]:
    """``(session, files)``: the command's transaction and the files written in it. The
    files may not be the database or any of ``reads`` (the files the command reads)."""
    files = Files([*(path for path in reads if path), *database_files(app)])
    try:
        with app.transaction(readonly=readonly) as session:
            yield session, files
    except BaseException:
        files.remove()
        raise


def database_files(app) -> list[str]:
    from sqlalchemy.engine import make_url

    from consign.db import sqlite_file

    try:
        path = sqlite_file(make_url(app.url))
    except Exception:  # a URL that cannot be read says so when the database is opened
        return []
    return [path, f"{path}-wal", f"{path}-shm", f"{path}-journal"] if path else []


def _unlink(target: Path) -> None:
    """Remove a file this command wrote: a regular file only (never a device such as
    /dev/null that output was sent to)."""
    with contextlib.suppress(OSError):
        if target.is_file() and not target.is_symlink():
            target.unlink()


def _same(path) -> str:
    return os.path.realpath(os.fspath(path))


def _short(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 120 else f"{text[:80]}…{text[-30:]}"

"""Rendering many statements at once, shared out over the machine's cores.

The workers are forked from a fork server that has imported the renderer (reportlab and
the fonts) once, so each starts ready to draw; ``start`` gets them going in the
background while the caller is still reading the database. Views go to the workers as
they are made, a few at a time, and the PDFs come back in order as each is ready, so the
caller archives one while the workers draw the next.
"""

from __future__ import annotations

import atexit
import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from multiprocessing import get_context

from reports.statement import StatementView, render_statement

PARALLEL_FROM = 24  # fewer statements than this render in this process
CHUNK = 2  # views sent to a worker at a time


def render_statements(views: Sequence[StatementView], lang: str = "id",
                      workers: int | None = None) -> list[bytes]:
    """Every view's PDF, in order; many of them are shared out over the machine's cores."""
    return list(iter_render(views, lang, workers))


def iter_render(views: Iterable[StatementView], lang: str = "id",
                workers: int | None = None, count: int | None = None,
                meanwhile: Callable[[], None] | None = None) -> Iterator[bytes]:
    """Every view's PDF, in order, as each is ready. ``views`` may be made as they are
    taken (a generator, with ``count`` saying how many it makes): each is handed to a
    worker as soon as it is made, while the next ones are being made. ``meanwhile``: work
    of the caller's done once every view is handed out, while the workers draw (before the
    first PDF, where this process draws them)."""
    if count is None:
        views = list(views)
        count = len(views)
    workers = workers_for(count, workers)
    if workers == 1:
        if meanwhile is not None:
            meanwhile()
        yield from (render_statement(view, lang) for view in views)
        return
    pool = _pool(workers)
    pending: deque[Future] = deque()
    try:
        for chunk in _chunks(iter(views), CHUNK):
            pending.append(pool.submit(_render_all, chunk, lang))
        if meanwhile is not None:
            meanwhile()
        while pending:
            yield from pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def workers_for(count: int, workers: int | None = None) -> int:
    """How many processes render ``count`` statements (1: this one, alone)."""
    workers = workers or min(os.cpu_count() or 1, 8)
    return workers if workers >= 2 and count >= PARALLEL_FROM else 1


def start(count: int, workers: int | None = None) -> None:
    """Start, in the background, the workers that will render ``count`` statements (if
    they are not running yet), so that they are ready when the views are."""
    workers = workers_for(count, workers)
    if workers > 1 and workers not in _POOLS:
        pool = _pool(workers)
        for _ in range(workers):  # a worker is forked for each task that finds none idle
            pool.submit(_ready)


def _render_all(views: tuple[StatementView, ...], lang: str) -> list[bytes]:
    return [render_statement(view, lang) for view in views]


def _ready() -> None:
    """Nothing: a task that makes the pool fork a worker."""


def _chunks(views: Iterator[StatementView], size: int) -> Iterator[tuple[StatementView, ...]]:
    while chunk := tuple(islice(views, size)):
        yield chunk


_POOLS: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    """One pool per size, started on first use and kept for the life of the process (a
    worker imports reportlab once, not once per close). Workers start from a fork server,
    never from this process's threads or open database connections; the server imports
    the renderer first (and the main module, as it does by default), so each worker is
    forked with it loaded; each collects garbage as often as this process does."""
    if workers not in _POOLS:
        context = get_context("forkserver")
        context.set_forkserver_preload(["__main__", "reports.statement"])
        _POOLS[workers] = ProcessPoolExecutor(workers, mp_context=context,
                                              initializer=gc.set_threshold,
                                              initargs=gc.get_threshold())
        atexit.register(_POOLS[workers].shutdown)
    return _POOLS[workers]

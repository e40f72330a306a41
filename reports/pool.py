"""Rendering many statements at once, shared out over the machine's cores."""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from reports.statement import StatementView, render_statement

PARALLEL_FROM = 24  # fewer statements than this render in this process


def _render(job: tuple[StatementView, str]) -> bytes:
    view, lang = job
    return render_statement(view, lang)


def render_statements(views: Sequence[StatementView], lang: str = "id",
                      workers: int | None = None) -> list[bytes]:
    """Every view's PDF, in order; many of them are shared out over the machine's cores."""
    return list(iter_render(views, lang, workers))


def iter_render(views: Sequence[StatementView], lang: str = "id",
                workers: int | None = None) -> Iterator[bytes]:
    """Every view's PDF, in order, as each is ready (for a progress bar)."""
    jobs = [(view, lang) for view in views]
    workers = workers or min(os.cpu_count() or 1, 8)
    if workers < 2 or len(jobs) < PARALLEL_FROM:
        yield from map(_render, jobs)
        return
    chunk = max(1, min(16, len(jobs) // (workers * 4)))
    yield from _pool(workers).map(_render, jobs, chunksize=chunk)


_POOLS: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    """One pool per size, started on first use and kept for the life of the process (a
    worker imports reportlab once, not once per close). Workers start from a fork server,
    never from this process's threads or open database connections."""
    if workers not in _POOLS:
        _POOLS[workers] = ProcessPoolExecutor(workers, mp_context=get_context("forkserver"))
        atexit.register(_POOLS[workers].shutdown)
    return _POOLS[workers]

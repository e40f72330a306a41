"""How a consign process runs Python: what the command line (and so ``consign serve`` and
its workers) sets before any command runs."""

import gc

#: net allocations between two collections of the youngest generation. CPython's 700 makes
#: a month's settlement (83,000 sales read in a few thousand rows and records) run a
#: collection every few hundred of them, and a full one over the whole heap every 70,000:
#: a fifth to a quarter of its time (``bench/settlement.py``, ``bench/audit.py``). What
#: consign allocates is rows and records without cycles, freed when their count drops, so
#: collecting less often holds no more memory (the benchmarks print their peak RSS).
YOUNG = 20_000


def collect_less() -> None:
    """Collect cyclic garbage less often than CPython does by default."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)


def keep_for_good() -> None:
    """Take every object made so far out of the cyclic collector's reach for the rest of
    the process (``gc.freeze``): a server calls it once its app is built, so that what
    lives as long as it does (the modules, the app, its catalogs and templates' environment,
    some 170,000 objects) is not scanned again by every full collection a warmed server runs
    now and then (one in a run of ten sales registers of a year: 0.12 s, 0.06 s frozen)."""
    gc.freeze()

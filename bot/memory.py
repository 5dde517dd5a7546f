"""Keep the garbage collector off the objects every running bot holds for its whole life."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Move what start-up built (modules, PTB's handlers, SQLAlchemy's tables, the texts)
    into the collector's permanent generation.

    They live as long as the process, yet each full collection walked them all again:
    about 140,000 objects, a 40-50 ms pause every few thousand updates under load, which
    every update waiting behind it felt (tests/benchmarks/load.py). Collected first, so no
    garbage is frozen with them. Only for `thidua-bot run` and the load benchmark: tests
    build many applications in one process and must let them go.
    """
    gc.collect()
    gc.freeze()

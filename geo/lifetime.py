"""Indexes that live as long as the process, kept out of the garbage collector's passes.

The gazetteer, its match index and its sound index are loaded once per process
and never freed. Their lists hold about a million names, and every full pass of
CPython's cyclic garbage collector walks them again: 70 to 400 ms a pass, and a
corpus's first pass over the eval corpora made two or three of them, about a
tenth of its time. :func:`exempt_loaded` moves everything alive at that moment
into the collector's permanent generation (``gc.freeze``), which later passes
skip.

Trade-off: cyclic garbage alive at that moment is never reclaimed (the indexes
load early, when there is next to none); frozen objects are still freed by
reference counting, like any other.
"""

from __future__ import annotations

import gc


def exempt_loaded() -> None:
    """Keep every object alive now (a just-loaded index above all) out of the
    cyclic garbage collector's future passes."""
    gc.freeze()

"""gunicorn settings of a Kharita server (README "Serving many readers").

gunicorn reads this file when started from the project directory (or given
``-c gunicorn.conf.py``); command-line options override it.
"""

from __future__ import annotations

import gc
from typing import Any

worker_class = "gthread"
workers = 2  # one per core
threads = 4  # at most DATABASE_POOL_SIZE


def post_worker_init(worker: Any) -> None:
    """Leave the objects of the app's start out of garbage collection: a full collection
    over them (about 190,000) held every thread of a worker for 80-180 ms, the slowest
    OGC answers on a loaded 2-core machine."""
    gc.freeze()

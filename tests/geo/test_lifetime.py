"""The indexes a process loads once stay out of the garbage collector's passes
(:mod:`geo.lifetime`): a full pass would otherwise walk their million names again."""

from __future__ import annotations

import subprocess
import sys

# In a fresh process, so that the test process itself is not frozen. Prints
# which of the indexes' big sequences a full collection still walks, and the
# length of the shortest.
RUN = """
import gc, time
from geo import geoparse
from geo.gazetteer import get_gazetteer
from geo.matchindex import match_index
geoparse("Clashes in Mali, near Gao and north of Kidal.", lang="en")
gazetteer = get_gazetteer()
lists = {"names": gazetteer._data.names, "match keys": match_index(gazetteer).keys,
         "place names": gazetteer._data.table.name}
walked = {id(o) for o in gc.get_objects()}
print(sorted(label for label, big in lists.items() if id(big) in walked))
print(min(len(big) for big in lists.values()))
"""


def test_loaded_indexes_are_left_out_of_full_collections() -> None:
    out = subprocess.run([sys.executable, "-c", RUN], capture_output=True, text=True,
                         check=True)
    walked, smallest = out.stdout.strip().splitlines()
    assert int(smallest) > 100_000  # the lists that cost a pass its time
    assert walked == "[]"

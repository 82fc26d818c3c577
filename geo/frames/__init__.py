"""The event stage: frames found in a geoparsed text, with their participants.

``find`` fires frames on trigger phrases and merges those about the same
thing; ``binding`` binds each frame's participants, with ``context`` (the
shared look-up of places, actors and quantities around a trigger),
``movements`` (deployments, displacement), ``violence`` (attacks, strikes),
``status`` (negation, hedging, past background), ``exclusions`` (places that
only qualify a person or an object, datelines, names of organisations),
``actors``, ``coref``, ``quantities``, ``clauses`` (sentences and clauses
with exact offsets) and ``phrasehits`` (every phrase list of the lexicon found
in one pass over the text). The records they exchange (:class:`geo.records.Frame`
and its kin) live with the other stages' records in :mod:`geo.records`.

>>> frames = extract_frames(geoparse(text))  # doctest: +SKIP
"""

from geo.frames.find import extract_frames, find_frames

__all__ = ["extract_frames", "find_frames"]

"""Acronyms that GeoNames holds as alternate names are not those places.

"GAT" (groupes armés terroristes) is no Ghat, "UBS" no Uvs, "FAMa" (Forces
armées maliennes) no Fama: a short upper-case token names a place only when it is
the place's own name (its main name or its name in the text's language:
"GAO", "GENÈVE" in a headline), a country's code ("USA") or the initials of
its words ("NYC"). A token shaped like an acronym with a
lower-case tail ("FAMa") is one, and the same name elsewhere in the text
("les Fama") is that acronym too.

Longer upper-case words are names written in capitals ("COPENHAGUE").

Trade-off: an abbreviation GeoNames lists that is not the initials of the
name ("Fla." for Florida) is lost when written in capitals without its dot;
news writes such abbreviations with the dot, which the matcher reads apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from geo.gazetteer import Gazetteer
from geo.normalize import normalize_key
from geo.records import Candidate

#: An acronym with a lower-case tail ("FAMa", "MINUSMa"): never a place's name.
_TAILED = re.compile(r"[A-Z]{3,}[a-z]")
#: A short upper-case token ("GAT", "UBS"): a place's name only if it spells one.
_SHORT_CAPS = re.compile(r"[A-Z]{3,4}")
_WORD = re.compile(r"[^\W\d_]+")
#: Place types whose upper-case codes are names in their own right ("USA", "UAE").
_CODED = frozenset({"country", "group"})
_HAMLETS = frozenset({"village"})


def drop_acronyms(candidates: Sequence[Candidate], text: str, lang: str,
                  gazetteer: Gazetteer) -> list[Candidate]:
    """``candidates`` less the acronyms read as places (see module doc)."""
    if lang == "ar":
        return list(candidates)
    tailed = {c.key for c in candidates if _TAILED.fullmatch(c.surface)}
    out: list[Candidate] = []
    for c in candidates:
        if c.key in tailed:
            continue
        if _SHORT_CAPS.fullmatch(c.surface):
            # Only the places the token spells remain readings of it.
            spelled = tuple(p for p in c.place_ids if _spells(c, lang, gazetteer, p))
            if all(gazetteer.place(p).type in _HAMLETS for p in spelled):
                continue  # an acronym far more often than a village's name
            c = replace(c, place_ids=spelled)
        out.append(c)
    return out


def _spells(cand: Candidate, lang: str, gazetteer: Gazetteer, place_id: str) -> bool:
    """Whether the upper-case token is the place's name (its main one, or its
    name in ``lang``), the initials of its words, or a country's code."""
    place = gazetteer.place(place_id)
    token = cand.surface
    if place.type in _CODED:
        return True
    if normalize_key(place.name) == cand.key or any(
            e.place_id == place_id and e.lang == lang for e in gazetteer.lookup(cand.key)):
        return True
    return token == "".join(w[0] for w in _WORD.findall(place.name)).upper()

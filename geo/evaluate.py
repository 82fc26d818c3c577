"""Scoring the geoparser against gold toponym corpora.

Gold files are JSON lines ``{"id", "lang", "text", "toponyms": [{"start",
"end", "name", "lat", "lon"}]}``. Definitions (as in the shared eval README):

* **Recognition**: a predicted mention and a gold toponym match when their
  spans overlap; matching is one-to-one, in text order. Precision, recall
  and F1 follow from the matched count.
* **Resolution** (accuracy@161 km): among matched pairs whose gold toponym has
  coordinates and whose prediction has a place, the share whose predicted
  point lies within 161 km of the gold point, or whose predicted area
  contains it.

Demonyms ("Algerian") are counted as predictions only with
``demonyms=True``, for corpora whose guidelines annotate them (TR-News).

Gold documents may mark organisation names (``"organisations": [[start, end,
text], ...]``, as the events dev set does); predicted toponyms inside one are
counted, because a place inside "Mouvement arabe de l'Azawad" is not a place.
With ``errors=True`` every miss and false positive is listed with its context,
the raw material for grouping errors into classes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely.geometry import Point

from geo.distance import km_between
from geo.errors import InputError
from geo.gazetteer import Gazetteer
from geo.records import GeoparseResult, Mention
from geo.text import iter_numbered_documents

RADIUS_KM = 161.0


@dataclass(slots=True)
class Score:
    """Running counts for one language (or one corpus)."""

    docs: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    resolvable: int = 0
    correct: int = 0
    seconds: float = 0.0
    chars: int = 0
    org_docs: int = 0
    org_predicted: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Precision, recall, F1 and acc@161 with the raw counts."""
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        acc = self.correct / self.resolvable if self.resolvable else None
        org = self.org_predicted / self.predicted if self.org_docs and self.predicted else None
        return {
            "docs": self.docs, "gold": self.gold, "predicted": self.predicted,
            "matched": self.matched, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(f1, 4), "acc161": None if acc is None else round(acc, 4),
            "resolvable": self.resolvable,
            "org_predicted": self.org_predicted if self.org_docs else None,
            "org_share": None if org is None else round(org, 4),
        }


def read_gold(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield gold documents from a JSON-lines file, with clear errors."""
    for _, doc in read_numbered_gold(path):
        yield doc


def read_numbered_gold(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, document)`` pairs of a gold JSON-lines file.

    Lines end at ``"\n"`` only (see :func:`geo.text.iter_numbered_documents`).
    """
    path = Path(path)
    try:
        fh = path.open(encoding="utf-8", newline="\n")
    except OSError as exc:
        raise InputError(f"{path}: cannot read gold file ({exc.strerror})") from None
    with fh:
        yield from iter_numbered_documents(fh, name=str(path))


def evaluate(
    docs: Iterable[dict[str, Any]],
    parse: Callable[[str, str | None], GeoparseResult],
    *,
    gazetteer: Gazetteer,
    demonyms: bool = False,
    errors: bool = False,
) -> dict[str, Score]:
    """Score ``parse`` on gold documents, per language.

    Parameters
    ----------
    docs : iterable of dict
        Gold documents (see :func:`read_gold`).
    parse : callable
        ``parse(text, lang) -> GeoparseResult``, usually :func:`geo.geoparse`.
    gazetteer : Gazetteer
        To test whether a predicted area contains the gold point.
    demonyms : bool
        Count demonym mentions as predictions.
    errors : bool
        List each miss and false positive in ``Score.errors``.
    """
    import time

    scores: dict[str, Score] = {}
    for doc in docs:
        lang = doc.get("lang")
        started = time.perf_counter()
        result = parse(doc["text"], lang)
        score = scores.setdefault(lang or result.lang, Score())
        score.seconds += time.perf_counter() - started
        score.chars += len(doc["text"])
        predicted = [m for m in result.mentions
                     if m.kind == "toponym" or (demonyms and m.kind == "demonym")]
        gold = doc.get("toponyms") or []
        pairs = _score_doc(score, gold, predicted, gazetteer)
        _count_organisations(score, doc, predicted)
        if errors:
            score.errors.extend(_list_errors(doc, gold, predicted, pairs))
    return scores


def _score_doc(score: Score, gold: list[dict[str, Any]], predicted: list[Mention],
               gazetteer: Gazetteer) -> list[tuple[dict[str, Any], Mention]]:
    """Add one document's counts to ``score``; return the matched pairs."""
    score.docs += 1
    score.gold += len(gold)
    score.predicted += len(predicted)
    pairs = list(_match(gold, predicted))
    for g, m in pairs:
        score.matched += 1
        if g.get("lat") is None or g.get("lon") is None or m.place is None:
            continue
        score.resolvable += 1
        score.correct += _is_correct(m, float(g["lat"]), float(g["lon"]), gazetteer)
    return pairs


def _count_organisations(score: Score, doc: dict[str, Any], predicted: list[Mention]) -> None:
    """Count predicted toponyms inside the organisation names the gold marks."""
    spans = doc.get("organisations")
    if spans is None:
        return
    score.org_docs += 1
    score.org_predicted += sum(
        1 for m in predicted if any(s <= m.start and m.end <= e for s, e, *_ in spans))


def _list_errors(doc: dict[str, Any], gold: list[dict[str, Any]], predicted: list[Mention],
                 pairs: list[tuple[dict[str, Any], Mention]]) -> Iterator[str]:
    """One line per miss (``MISS``) and false positive (``FP``), with context."""
    text, doc_id = doc["text"], doc.get("id", "?")
    hit_gold = {id(g) for g, _ in pairs}
    hit_pred = {id(m) for _, m in pairs}
    for g in gold:
        if id(g) not in hit_gold:
            yield f"MISS {doc_id} {_in_context(text, g['start'], g['end'])}"
    for m in predicted:
        if id(m) not in hit_pred:
            name = m.place.name if m.place else m.reason
            yield f"FP   {doc_id} {_in_context(text, m.start, m.end)} -> {name}"


def _in_context(text: str, start: int, end: int, width: int = 40) -> str:
    """``left [span] right`` on one line."""
    def flat(s: str) -> str:
        return " ".join(s.split())
    return (f"{flat(text[max(0, start - width):start])} [{flat(text[start:end])}] "
            f"{flat(text[end:end + width])}")


def _match(gold: list[dict[str, Any]], predicted: list[Mention]
           ) -> Iterator[tuple[dict[str, Any], Mention]]:
    """One-to-one pairs of overlapping spans, in text order."""
    used: set[int] = set()
    for g in sorted(gold, key=lambda t: (t["start"], t["end"])):
        for i, m in enumerate(predicted):
            if i not in used and m.start < g["end"] and g["start"] < m.end:
                used.add(i)
                yield g, m
                break


def _is_correct(mention: Mention, lat: float, lon: float, gazetteer: Gazetteer) -> bool:
    """Within 161 km of the gold point, or an area containing it."""
    place = mention.place
    assert place is not None
    if km_between(place.lat, place.lon, lat, lon) <= RADIUS_KM:
        return True
    if place.bbox is None:
        return False
    x0, y0, x1, y1 = place.bbox
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        return False
    geom = gazetteer.geometry(place.id)
    return geom is not None and geom.contains(Point(lon, lat))  # shapely is (x=lon, y=lat)


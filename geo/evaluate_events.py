"""Scoring map-layer features against gold events (``kharita eval --events``).

Gold documents are read and checked by :mod:`geo.event_gold`. Each document is
geoparsed and drawn as on the map (:func:`geo.layers.layer_features`, the
features :func:`geo.layers.build_layers` turns into tables, with the gold
``published`` day), and scored by these rules:

* **Predictions**: every feature of every layer except ``mentions``, less the
  ones the default map does not draw (:func:`geo.layers.on_default_map`:
  ``inferred``, or ``status`` in ``past``/``negated``/``hypothetical``). These
  are the *drawn* features.
* **Targets**: gold events whose status is ``reported``, ``ongoing``,
  ``planned`` or ``agreed``. ``negated`` and ``hypothetical`` events are not
  targets (a feature drawn for one is a false positive); ``past`` events are
  ignorable (below).
* **Reach**: a feature reaches an anchor when the shortest ground distance
  between them (:func:`geo.geometry.distance_km`, in a metric CRS) is at most
  50 km, or ``radius_km`` for a point anchor. A feature can match a gold event
  of the same layer when it reaches at least one of its ``anchors`` (the
  ``origin`` is not used for matching).
* **Matching** is one-to-one and maximum (augmenting paths), per document.
  After it, an unmatched feature that can match a ``past`` event is dropped:
  neither true nor false positive. TP = matched pairs; predicted = drawn less
  dropped; gold = targets. P, R, F1 per layer, per language and overall
  (micro: sums of counts).
* **Misplaced**: a drawn feature farther than 50 km (or a point anchor's
  radius, when larger) from every anchor and origin of every gold event of its
  document, any layer and status. Reported with its share of drawn features.
* **Too coarse**: a matched feature whose area (km², equal-area CRS) exceeds
  the limit of the anchors of its event it reaches (the most generous one when
  several): 20 times the country's area for a country anchor or a toponym of
  type ``country``; 20 times the first-level unit holding the gold point for
  a toponym of type ``admin1`` (not judged when the gazetteer has none);
  2,000,000 km² for a toponym of type ``town``, ``camp``, ``site`` or
  ``admin2``. Other anchors are not judged. Reported with the number judged.
* **Roles**: among matched events that have an ``origin`` (movements), a
  line feature has the wrong role when its first coordinate is not within
  reach of an origin anchor; any other feature when it reaches an origin
  anchor but none of the event's anchors (its destination). A matched feature
  always reaches one, so in practice only lines are counted wrong.
* **Datelines, organisations**: in documents with ``datelines`` or
  ``organisations`` spans, the drawn features one of whose place mentions
  (:attr:`geo.features.LayerFeature.mentions`) overlaps such a span. Target 0.

Each error is also listed (:class:`ScoringError`, ``kharita eval --events
--errors``): unmatched drawn features (``false_positive``, or ``misplaced``
when it is also misplaced), unmatched targets (``miss``), and features drawn
from a dateline or an organisation's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Point

from geo import geometry as geom
from geo.event_gold import (
    IGNORABLE_STATUSES,
    MATCH_KM,
    TARGET_STATUSES,
    Anchor,
    GoldDocument,
    GoldEvent,
)
from geo.features import LayerFeature
from geo.layers import on_default_map

#: ``draw(doc) -> features``: the features a gold document's text gets on the map.
Draw = Callable[[GoldDocument], Sequence[LayerFeature]]


@dataclass(slots=True)
class Counts:
    """Gold, predicted and matched counts, with P/R/F1."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0

    def add(self, gold: int, predicted: int, matched: int) -> None:
        """Add one document's counts."""
        self.gold += gold
        self.predicted += predicted
        self.matched += matched

    def summary(self) -> dict[str, Any]:
        """The counts with precision, recall and F1 (0 when undefined)."""
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"gold": self.gold, "predicted": self.predicted, "tp": self.matched,
                "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


@dataclass(frozen=True, slots=True)
class ScoringError:
    """One error of one document, to read what to fix rather than only count it.

    ``kind`` is ``false_positive``, ``misplaced`` (a false positive far from
    every gold place), ``miss``, ``dateline`` or ``organisation``; ``places``
    names the feature's places or the missed event's anchors; ``evidence`` is
    the sentence that produced the feature, or the gold event's evidence.
    """

    doc: str
    kind: str
    layer: str
    places: str
    evidence: str
    trigger: str | None = None

    def line(self) -> str:
        """One readable line: document, kind, layer, places, trigger, evidence."""
        said = " ".join(self.evidence.split())
        said = said if len(said) <= _EVIDENCE_CHARS else said[:_EVIDENCE_CHARS - 1] + "…"
        trigger = f" [{self.trigger}]" if self.trigger else ""
        return f"{self.doc:<8} {self.kind:<14} {self.layer:<18} {self.places}{trigger} | {said}"


#: Evidence is cut to this many characters in an error line.
_EVIDENCE_CHARS = 160


@dataclass(slots=True)
class EventReport:
    """Everything ``kharita eval --events`` reports, summed over documents."""

    docs: int = 0
    layers: dict[str, Counts] = field(default_factory=dict)
    langs: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)
    drawn: int = 0
    ignored: int = 0
    misplaced: int = 0
    coarse_judged: int = 0
    too_coarse: int = 0
    with_origin: int = 0
    role_wrong: int = 0
    dateline_docs: int = 0
    dateline_features: int = 0
    organisation_docs: int = 0
    organisation_features: int = 0
    errors: list[ScoringError] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """JSON-ready view (the table prints the same numbers)."""
        share = round(self.misplaced / self.drawn, 4) if self.drawn else 0.0
        return {
            "docs": self.docs,
            "layers": {k: v.summary() for k, v in sorted(self.layers.items())},
            "langs": {k: v.summary() for k, v in sorted(self.langs.items())},
            "overall": self.overall.summary(),
            "drawn": self.drawn, "ignored_past": self.ignored,
            "misplaced": {"count": self.misplaced, "share": share},
            "too_coarse": {"count": self.too_coarse, "judged": self.coarse_judged},
            "roles": {"with_origin": self.with_origin, "wrong": self.role_wrong},
            "datelines": {"docs": self.dateline_docs, "features": self.dateline_features},
            "organisations": {"docs": self.organisation_docs,
                              "features": self.organisation_features},
        }


def evaluate_events(docs: Iterable[GoldDocument], draw: Draw | None = None) -> EventReport:
    """Score the features drawn for gold documents.

    Parameters
    ----------
    docs : iterable of GoldDocument
        From :func:`geo.event_gold.read_event_gold`.
    draw : callable, optional
        ``draw(doc) -> features``; default :func:`draw_features` (the real
        pipeline). Tests pass hand-made features.
    """
    report = EventReport()
    for doc in docs:
        features = (draw or draw_features)(doc)
        score_document(report, doc, [f for f in features if _is_prediction(f)])
    return report


def draw_features(doc: GoldDocument) -> list[LayerFeature]:
    """Geoparse a gold document's text and return its map features."""
    from geo.layers import layer_features
    from geo.pipeline import geoparse

    features, _ = layer_features(geoparse(doc.text, lang=doc.lang), published=doc.published)
    return features


def _is_prediction(feature: LayerFeature) -> bool:
    return feature.layer != "mentions" and on_default_map(feature.row())


def score_document(report: EventReport, doc: GoldDocument,
                   drawn: Sequence[LayerFeature]) -> None:
    """Add one document's counts to ``report`` (``drawn``: the predictions)."""
    reach = _Reach(drawn, doc.events)
    targets = [i for i, e in enumerate(doc.events) if e.status in TARGET_STATUSES]
    pairs = maximum_matching([[j for j in targets if reach.can_match(i, j)]
                              for i in range(len(drawn))])
    past = [j for j, e in enumerate(doc.events) if e.status in IGNORABLE_STATUSES]
    ignored = {i for i in range(len(drawn))
               if i not in pairs and any(reach.can_match(i, j) for j in past)}
    report.docs += 1
    for layer in {e.layer for e in doc.events} | {f.layer for f in drawn}:
        report.layers.setdefault(layer, Counts()).add(
            sum(doc.events[j].layer == layer for j in targets),
            sum(f.layer == layer for i, f in enumerate(drawn) if i not in ignored),
            sum(drawn[i].layer == layer for i in pairs))
    counts = (len(targets), len(drawn) - len(ignored), len(pairs))
    report.langs.setdefault(doc.lang, Counts()).add(*counts)
    report.overall.add(*counts)
    report.drawn += len(drawn)
    report.ignored += len(ignored)
    report.misplaced += sum(reach.misplaced(i) for i in range(len(drawn)))
    for i, j in pairs.items():
        _judge_match(report, reach, i, doc.events[j])
    _count_spans(report, doc, drawn)
    _list_errors(report, doc, drawn, reach, set(pairs) | ignored,
                 set(targets) - set(pairs.values()))


def _list_errors(report: EventReport, doc: GoldDocument, drawn: Sequence[LayerFeature],
                 reach: _Reach, scored: set[int], missed: set[int]) -> None:
    """Record one document's unmatched features, missed targets and span participants."""
    for i, f in enumerate(drawn):
        said = f.evidence[0].text if f.evidence else ""
        if i not in scored:
            kind = "misplaced" if reach.misplaced(i) else "false_positive"
            report.errors.append(ScoringError(doc.id, kind, f.layer, f.name, said, f.trigger))
        for kind, spans in (("dateline", doc.datelines), ("organisation", doc.organisations)):
            if _touches(f, spans):
                report.errors.append(ScoringError(doc.id, kind, f.layer, f.name, said,
                                                  f.trigger))
    for j in sorted(missed):
        e = doc.events[j]
        report.errors.append(ScoringError(
            doc.id, "miss", e.layer, " / ".join(a.label for a in e.anchors),
            doc.text[e.evidence[0]:e.evidence[1]]))


def maximum_matching(edges: Sequence[Sequence[int]]) -> dict[int, int]:
    """Return a maximum one-to-one matching ``{left: right}`` of a bipartite graph.

    ``edges[i]`` lists the right nodes left node ``i`` may take, in order of
    preference. Kuhn's augmenting paths: each left node in turn takes a free
    right node or moves an earlier match along; the result has maximum size,
    which a greedy choice does not guarantee (a feature at a tripoint can
    take the one border another feature needed).
    """
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(edges)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


class _Reach:
    """Distances from each drawn feature to each anchor of one document, computed once."""

    def __init__(self, drawn: Sequence[LayerFeature], events: Sequence[GoldEvent]) -> None:
        self.drawn, self.events = drawn, events
        self._km: dict[tuple[int, int], float] = {}

    def km(self, i: int, anchor: Anchor) -> float:
        key = (i, id(anchor))
        if key not in self._km:
            self._km[key] = geom.distance_km(self.drawn[i].geometry, anchor.shape)
        return self._km[key]

    def reaches(self, i: int, anchors: Iterable[Anchor]) -> list[Anchor]:
        """The anchors feature ``i`` reaches."""
        return [a for a in anchors if self.km(i, a) <= a.reach_km]

    def can_match(self, i: int, j: int) -> bool:
        event = self.events[j]
        return self.drawn[i].layer == event.layer and bool(self.reaches(i, event.anchors))

    def misplaced(self, i: int) -> bool:
        return all(self.km(i, a) > max(MATCH_KM, a.reach_km)
                   for e in self.events for a in (*e.anchors, *e.origin))


def _judge_match(report: EventReport, reach: _Reach, i: int, event: GoldEvent) -> None:
    """Too-coarse and role checks of one matched pair."""
    limits = [a.coarse_km2 for a in reach.reaches(i, event.anchors) if a.coarse_km2 is not None]
    if limits:
        report.coarse_judged += 1
        report.too_coarse += geom.area_km2(reach.drawn[i].geometry) > max(limits)
    if event.origin:
        report.with_origin += 1
        report.role_wrong += _wrong_role(reach, i, event)


def _wrong_role(reach: _Reach, i: int, event: GoldEvent) -> bool:
    shape = reach.drawn[i].geometry
    lines = [g for g in getattr(shape, "geoms", [shape]) if g.geom_type == "LineString"]
    if lines:
        start = Point(lines[0].coords[0])
        return not any(geom.distance_km(start, a.shape) <= a.reach_km for a in event.origin)
    return bool(reach.reaches(i, event.origin)) and not reach.reaches(i, event.anchors)


def _count_spans(report: EventReport, doc: GoldDocument, drawn: Sequence[LayerFeature]) -> None:
    """Drawn features whose place mentions sit in a dateline or an organisation's name."""
    if doc.datelines:
        report.dateline_docs += 1
        report.dateline_features += sum(_touches(f, doc.datelines) for f in drawn)
    if doc.organisations:
        report.organisation_docs += 1
        report.organisation_features += sum(_touches(f, doc.organisations) for f in drawn)


def _touches(feature: LayerFeature, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether one of the feature's place mentions overlaps one of ``spans``."""
    return any(m.start < e and s < m.end for m in feature.mentions for s, e in spans)

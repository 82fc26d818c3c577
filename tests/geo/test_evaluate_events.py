"""Event scoring: reach, maximum matching, statuses, misplaced, too coarse, roles, CLI.

Gold documents here are short sentences written for these tests. Most tests
score hand-made features, so every expected figure can be worked out by hand;
the CLI tests run the real pipeline.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import LineString, Point

from geo import geometry as geom
from geo.errors import InputError
from geo.evaluate_events import EventReport, evaluate_events, maximum_matching
from geo.event_gold import GoldDocument, check_document, read_event_gold
from geo.features import LayerFeature
from geo.records import Span
from webapp.cli import cli

GAO, KIDAL, MENAKA = (16.27, -0.04), (18.44, 1.41), (15.92, 2.40)
BAMAKO, NIAMEY, TIMBUKTU = (12.65, -8.0), (13.51, 2.11), (16.77, -3.01)
TRIPOINT = (24.995, -4.822)  # Algeria, Mali, Mauritania


@pytest.fixture(scope="module")
def gazetteer():
    from geo.gazetteer import get_gazetteer

    return get_gazetteer()


def toponym(text: str, name: str, latlon: tuple[float, float] | None, kind: str = "town",
            country: str | None = "ML", nth: int = 0) -> dict[str, Any]:
    """A gold toponym for the ``nth`` occurrence of ``name`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    lat, lon = latlon if latlon else (None, None)
    return {"start": start, "end": start + len(name), "name": name, "lat": lat, "lon": lon,
            "type": kind, "country": country}


def event(layer: str, anchors: list[dict], status: str = "reported", **extra: Any) -> dict:
    return {"layer": layer, "anchors": anchors, "status": status, "evidence": [0, 1],
            "actor": None, **extra}


def document(text: str, toponyms: list[dict], events: list[dict], lang: str = "en",
             **extra: Any) -> dict[str, Any]:
    return {"id": f"{lang}-1", "lang": lang, "text": text, "toponyms": toponyms,
            "events": events, **extra}


def feature(layer: str, shape: Any, *, status: str = "reported", inferred: str | None = None,
            mentions: Sequence[tuple[int, int]] = ()) -> LayerFeature:
    return LayerFeature(layer=layer, name=layer, geometry=shape, confidence=1.0, precision=1,
                        evidence=(), status=status, inferred=inferred,
                        mentions=tuple(Span(start=s, end=e, text="") for s, e in mentions))


def at(latlon: tuple[float, float]) -> Point:
    return geom.point(*latlon)


def country(gazetteer, iso2: str):
    return gazetteer.geometry(gazetteer.country(iso2).id)


def score(gazetteer, pairs: list[tuple[dict, list[LayerFeature]]]) -> EventReport:
    """Score hand-made features: one (raw gold document, features) pair per document."""
    docs = [check_document(raw, gazetteer, where=f"t.jsonl:{n}")
            for n, (raw, _) in enumerate(pairs, start=1)]
    drawn = {id(doc): features for doc, (_, features) in zip(docs, pairs, strict=True)}

    def draw(doc: GoldDocument) -> list[LayerFeature]:
        return drawn[id(doc)]

    return evaluate_events(docs, draw)


# ---------------------------------------------------------------- P/R/F1 by hand

def test_precision_recall_f1_per_layer_language_and_overall(gazetteer) -> None:
    en = "Gunmen ambushed a convoy near Gao. Army chiefs later met in Bamako."
    fr = "Des soldats ont été déployés à Tombouctou. Une frappe de drone a visé Kidal."
    ar = "أغلقت الجزائر حدودها مع مالي. وفر مدنيون من غاو إلى النيجر."
    docs = [
        (document(en, [toponym(en, "Gao", GAO), toponym(en, "Bamako", BAMAKO)],
                  [event("attacks", [{"toponym": 0}]), event("meetings", [{"toponym": 1}])]),
         [feature("attacks", at((16.40, -0.10))),  # 16 km from Gao: TP
          feature("meetings", at(NIAMEY))]),  # 1,000 km from Bamako: FP, misplaced
        (document(fr, [toponym(fr, "Tombouctou", TIMBUKTU), toponym(fr, "Kidal", KIDAL)],
                  [event("deployments", [{"toponym": 0}]), event("strikes", [{"toponym": 1}])],
                  lang="fr"),
         [feature("deployments", geom.buffer_km(at(TIMBUKTU), 10)),  # TP
          feature("strikes", at(KIDAL)), feature("strikes", at((18.5, 1.4)))]),  # TP, FP
        (document(ar, [toponym(ar, "الجزائر", (28.0, 2.0), "country", "DZ"),
                       toponym(ar, "مالي", (17.0, -4.0), "country"),
                       toponym(ar, "غاو", GAO), toponym(ar, "النيجر", (17.6, 8.1), "country",
                                                        "NE")],
                  [event("border_security", [{"border": ["DZ", "ML"]}]),
                   event("displacement", [{"toponym": 3}], origin=[{"toponym": 2}])],
                  lang="ar"),
         [feature("border_security", at((22.18, -0.51))),  # on the Algeria-Mali border: TP
          feature("displacement", LineString([(8.1, 17.6), (-0.04, 16.27)]))]),  # TP, reversed
    ]
    s = score(gazetteer, docs).summary()
    assert s["overall"] == {"gold": 6, "predicted": 7, "tp": 5, "precision": 0.7143,
                            "recall": 0.8333, "f1": 0.7692}
    assert {k: (v["gold"], v["predicted"], v["tp"]) for k, v in s["layers"].items()} == {
        "attacks": (1, 1, 1), "meetings": (1, 1, 0), "deployments": (1, 1, 1),
        "strikes": (1, 2, 1), "border_security": (1, 1, 1), "displacement": (1, 1, 1)}
    assert s["layers"]["meetings"]["f1"] == 0.0 and s["layers"]["strikes"]["precision"] == 0.5
    assert {k: (v["precision"], v["recall"]) for k, v in s["langs"].items()} == {
        "en": (0.5, 0.5), "fr": (0.6667, 1.0), "ar": (1.0, 1.0)}
    assert s["misplaced"] == {"count": 1, "share": round(1 / 7, 4)}
    assert s["roles"] == {"with_origin": 1, "wrong": 1}  # the line starts in Niger
    assert s["drawn"] == 7 and s["docs"] == 3


def test_a_country_toponym_is_the_whole_country(gazetteer) -> None:
    text = "Refugees fled from Gao to Mauritania. The army closed the road to Niger."
    gold = document(text, [toponym(text, "Gao", GAO),
                           toponym(text, "Mauritania", (20.25, -10.35), "country", "MR"),
                           toponym(text, "Niger", NIAMEY, "town", "NE")],
                    [event("displacement", [{"toponym": 1}], origin=[{"toponym": 0}]),
                     event("meetings", [{"toponym": 2}])])
    # The flow ends in Mauritania 400 km from the annotated point: it reaches the country.
    flow = feature("displacement", LineString([(-0.04, 16.27), (-12.0, 17.0)]))
    # A toponym of another type stays a point: 200 km from it is too far.
    far = feature("meetings", at((13.51, 3.9)))
    s = score(gazetteer, [(gold, [flow, far])]).summary()
    assert s["layers"]["displacement"]["tp"] == 1 and s["layers"]["meetings"]["tp"] == 0


def test_a_point_anchor_reaches_as_far_as_its_radius(gazetteer) -> None:
    text = "Fighters attacked a well north of Gao."
    gold = document(text, [toponym(text, "Gao", GAO)],
                    [event("attacks", [{"point": [16.9, -0.04], "radius_km": 30}])])
    near = feature("attacks", at((17.1, -0.04)))  # 22 km from the point
    outside = feature("attacks", at((17.26, -0.04)))  # 40 km: beyond its radius, within 50
    far = feature("attacks", at((17.4, -0.04)))  # 55 km: beyond 50 km too
    assert score(gazetteer, [(gold, [near])]).overall.matched == 1
    s = score(gazetteer, [(gold, [outside])]).summary()
    assert s["overall"]["tp"] == 0 and s["misplaced"]["count"] == 0
    s = score(gazetteer, [(gold, [far])]).summary()
    assert s["overall"]["tp"] == 0 and s["misplaced"]["count"] == 1
    wide = {**gold, "events": [event("attacks", [{"point": [16.9, -0.04], "radius_km": 100}])]}
    s = score(gazetteer, [(wide, [feature("attacks", at((17.6, -0.04)))])]).summary()  # 78 km
    assert s["overall"]["tp"] == 1 and s["misplaced"]["count"] == 0


# ---------------------------------------------------------------- maximum matching

def test_tripoint_needs_maximum_matching_not_greedy(gazetteer) -> None:
    text = "Algeria sealed its border with Mali, and Mali its border with Mauritania."
    gold = document(text, [], [event("border_security", [{"border": ["DZ", "ML"]}]),
                               event("border_security", [{"border": ["ML", "MR"]}])])
    at_tripoint = feature("border_security", at(TRIPOINT))  # reaches both borders
    east = feature("border_security", at((22.18, -0.51)))  # Algeria-Mali only, 540 km away
    doc = check_document(gold, gazetteer, where="t.jsonl:1")
    reach = [[j for j, e in enumerate(doc.events)
              if any(geom.distance_km(f.geometry, a.shape) <= 50 for a in e.anchors)]
             for f in (at_tripoint, east)]
    assert reach == [[0, 1], [0]]
    # A greedy matcher gives the tripoint feature the first border and strands the other.
    taken: set[int] = set()
    greedy = sum(1 for options in reach
                 if (free := [j for j in options if j not in taken]) and not taken.add(free[0]))
    assert greedy == 1
    s = score(gazetteer, [(gold, [at_tripoint, east])]).summary()
    assert s["overall"]["tp"] == 2 and s["overall"]["f1"] == 1.0


@pytest.mark.parametrize(("edges", "size"), [
    ([[0, 1], [0]], 2),
    ([[0], [0, 1]], 2),
    ([[0, 1, 2], [0], [1]], 3),
    ([[0], [0], [0]], 1),
    ([[], [1], [1, 2], [2]], 2),
    ([], 0),
])
def test_maximum_matching_is_one_to_one_and_maximum(edges: list[list[int]], size: int) -> None:
    pairs = maximum_matching(edges)
    assert len(pairs) == size and len(set(pairs.values())) == size
    assert all(j in edges[i] for i, j in pairs.items())


# ---------------------------------------------------------------- statuses

def test_past_is_ignorable_and_negated_is_a_false_positive(gazetteer) -> None:
    text = "In 2012 rebels seized Kidal. The army denies it bombed Gao. Rebels hold Menaka."
    gold = document(text, [toponym(text, "Kidal", KIDAL), toponym(text, "Gao", GAO),
                           toponym(text, "Menaka", MENAKA)],
                    [event("control_zones", [{"toponym": 0}], "past"),
                     event("strikes", [{"toponym": 1}], "negated"),
                     event("control_zones", [{"toponym": 2}], "reported")])
    drawn = [feature("control_zones", at(KIDAL)), feature("control_zones", at((18.5, 1.5))),
             feature("strikes", at(GAO)), feature("control_zones", at(MENAKA)),
             feature("control_zones", at(KIDAL), status="past"),  # not on the default map
             feature("strikes", at(GAO), inferred="destination: neighbouring states"),
             feature("mentions", at(GAO))]  # mentions are never predictions
    s = score(gazetteer, [(gold, drawn)]).summary()
    assert s["overall"] == {"gold": 1, "predicted": 2, "tp": 1, "precision": 0.5,
                            "recall": 1.0, "f1": 0.6667}
    assert s["drawn"] == 4 and s["ignored_past"] == 2
    assert s["layers"]["strikes"] == {"gold": 0, "predicted": 1, "tp": 0, "precision": 0.0,
                                      "recall": 0.0, "f1": 0.0}


def test_a_feature_near_a_past_and_a_current_event_is_matched(gazetteer) -> None:
    text = "Rebels held Gao in 2012; they hold it again."
    gold = document(text, [toponym(text, "Gao", GAO)],
                    [event("control_zones", [{"toponym": 0}], "past"),
                     event("control_zones", [{"toponym": 0}], "ongoing")])
    s = score(gazetteer, [(gold, [feature("control_zones", at(GAO))])]).summary()
    assert s["overall"]["tp"] == 1 and s["ignored_past"] == 0


# ---------------------------------------------------------------- misplaced, too coarse

def test_misplaced_counts_features_far_from_every_anchor_and_origin(gazetteer) -> None:
    text = "Refugees fled Gao for Niamey."
    gold = document(text, [toponym(text, "Gao", GAO), toponym(text, "Niamey", NIAMEY, "town",
                                                                "NE")],
                    [event("displacement", [{"toponym": 1}], origin=[{"toponym": 0}])])
    drawn = [feature("deployments", at((16.5, 0.1))),  # wrong layer, but near the origin
             feature("strikes", at(BAMAKO)),  # far from everything
             feature("displacement", LineString([(-0.04, 16.27), (2.11, 13.51)]))]
    s = score(gazetteer, [(gold, drawn)]).summary()
    assert s["misplaced"] == {"count": 1, "share": 0.3333}
    assert s["roles"] == {"with_origin": 1, "wrong": 0}
    empty = document("Nothing happened in Gao.", [], [])
    s = score(gazetteer, [(empty, [feature("strikes", at(GAO)),
                                   feature("meetings", at(GAO))])]).summary()
    assert s["misplaced"] == {"count": 2, "share": 1.0}
    assert s["overall"] == {"gold": 0, "predicted": 2, "tp": 0, "precision": 0.0,
                            "recall": 0.0, "f1": 0.0}


def test_too_coarse_by_anchor_kind(gazetteer) -> None:
    text = "Strikes hit Gao, Mali, the Kidal region and the Algeria-Mali border."
    kidal_region = toponym(text, "Kidal", (19.43, 1.09), "admin1")
    gold = document(text, [toponym(text, "Gao", GAO), toponym(text, "Mali", (17.0, -4.0),
                                                               "country"), kidal_region],
                    [event("strikes", [{"toponym": 0}]), event("strikes", [{"country": "ML"}]),
                     event("strikes", [{"toponym": 2}]),
                     event("strikes", [{"border": ["DZ", "ML"]}])])
    dz, ml, ne = (country(gazetteer, c) for c in ("DZ", "ML", "NE"))
    africa = gazetteer.geometry("kh:africa")

    def coarse(shape: Any, j: int) -> tuple[int, int]:
        doc = {**gold, "events": [gold["events"][j]]}
        r = score(gazetteer, [(doc, [feature("strikes", shape)])])
        assert r.overall.matched == 1
        return r.too_coarse, r.coarse_judged

    # A town: over 2,000,000 km² is too coarse (Algeria 2.3M, Mali 1.25M).
    assert coarse(shapely.union(dz, ml), 0) == (1, 1)
    assert coarse(ml, 0) == (0, 1)
    # A country anchor: over 20 times Mali (25M km²): Africa (30M) is, Mali and Niger not.
    assert coarse(africa, 1) == (1, 1)
    assert coarse(shapely.union(ml, ne), 1) == (0, 1)
    # An admin-1 toponym: 20 times the unit holding its point (Kidal, 146,000 km²), so
    # Mali and Niger (2.4M km²) pass, while for a town they are too coarse.
    assert coarse(shapely.union(ml, ne), 2) == (0, 1)
    assert coarse(shapely.union(ml, ne), 0) == (1, 1)
    assert coarse(shapely.union(dz, ml), 2) == (1, 1)
    # A border is not judged.
    assert coarse(africa, 3) == (0, 0)
    # Reaching a town and its country, the country's (more generous) limit applies.
    both = {**gold, "events": [event("strikes", [{"toponym": 0}, {"toponym": 1}])]}
    r = score(gazetteer, [(both, [feature("strikes", shapely.union(ml, ne))])])
    assert (r.overall.matched, r.too_coarse, r.coarse_judged) == (1, 0, 1)


def test_a_country_toponym_without_a_code_uses_the_country_holding_its_point(
        gazetteer) -> None:
    text = "Talks were held in Mali."
    gold = document(text, [toponym(text, "Mali", (17.0, -4.0), "country", None)],
                    [event("meetings", [{"toponym": 0}])])
    doc = check_document(gold, gazetteer, where="t.jsonl:1")
    limit = doc.events[0].anchors[0].coarse_km2
    assert limit == pytest.approx(20 * geom.area_km2(country(gazetteer, "ML")))


# ---------------------------------------------------------------- datelines, organisations

def test_features_drawn_from_datelines_and_organisation_names(gazetteer) -> None:
    text = "GAO, 4 May - Al-Qaeda in the Islamic Maghreb fighters seized Menaka."
    group = "Al-Qaeda in the Islamic Maghreb"
    g, m, menaka = text.index(group), text.index("Maghreb"), text.index("Menaka")
    gold = document(text, [toponym(text, "GAO", GAO), toponym(text, "Menaka", MENAKA)],
                    [event("control_zones", [{"toponym": 1}])],
                    datelines=[[0, 11]], organisations=[[g, g + len(group), group]])
    drawn = [feature("control_zones", at(GAO), mentions=[(0, 3)]),  # the dateline's Gao
             feature("risk_zones", at(MENAKA), mentions=[(m, m + 7), (menaka, menaka + 6)]),
             feature("control_zones", at(MENAKA), mentions=[(menaka, menaka + 6)])]
    s = score(gazetteer, [(gold, drawn)]).summary()
    assert s["datelines"] == {"docs": 1, "features": 1}
    assert s["organisations"] == {"docs": 1, "features": 1}
    none = score(gazetteer, [(document(text, [], []), drawn)]).summary()
    assert none["datelines"] == {"docs": 0, "features": 0}


def test_errors_list_each_false_positive_miss_and_span_participant(gazetteer) -> None:
    text = "GAO, 4 May - Fighters seized Menaka. Troops were sent to Kidal."
    gold = document(text, [toponym(text, "GAO", GAO), toponym(text, "Menaka", MENAKA),
                           toponym(text, "Kidal", KIDAL)],
                    [event("control_zones", [{"toponym": 1}], evidence=[13, 36]),
                     event("deployments", [{"toponym": 2}], evidence=[37, len(text)])],
                    datelines=[[0, 11]])
    drawn = [feature("control_zones", at(GAO), mentions=[(0, 3)]),  # dateline, misplaced
             feature("attacks", at(MENAKA)),  # near a gold place: FP, not misplaced
             feature("meetings", at(NIAMEY)),  # far from every gold place
             feature("control_zones", at(MENAKA))]  # TP
    errors = [(e.kind, e.layer, e.places) for e in score(gazetteer, [(gold, drawn)]).errors]
    assert errors == [("misplaced", "control_zones", "control_zones"),
                      ("dateline", "control_zones", "control_zones"),
                      ("false_positive", "attacks", "attacks"),
                      ("misplaced", "meetings", "meetings"),
                      ("miss", "deployments", "Kidal")]
    miss = score(gazetteer, [(gold, drawn)]).errors[-1]
    assert miss.evidence == "Troops were sent to Kidal." and "Kidal" in miss.line()


def test_cli_lists_event_errors_with_events(gold_file) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["eval", "--events", "--errors", str(gold_file), "--json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output)["errors"] == []  # every event of the file is found
    refused = runner.invoke(cli, ["eval", "--events", "--demonyms", str(gold_file)])
    assert refused.exit_code == 2 and "--demonyms" in refused.output


# ---------------------------------------------------------------- bad input

GOOD_TEXT = "Armed groups attacked Gao."


def good() -> dict[str, Any]:
    return document(GOOD_TEXT, [toponym(GOOD_TEXT, "Gao", GAO)],
                    [event("attacks", [{"toponym": 0}], evidence=[0, len(GOOD_TEXT)])])


def _without_id(d: dict) -> None:
    del d["id"]


@pytest.mark.parametrize(("change", "field"), [
    (_without_id, "'id'"),
    (lambda d: d["events"][0].update(anchors=[{"toponym": 1}]), "'events[0].anchors[0].toponym'"),
    (lambda d: d["events"][0].update(anchors=[{"toponym": -1}]), "'events[0].anchors[0].toponym'"),
    (lambda d: d["events"][0].update(origin=[{"toponym": 5}]), "'events[0].origin[0].toponym'"),
    (lambda d: d["events"][0].update(layer="attack"), "'events[0].layer'"),
    (lambda d: d["events"][0].update(layer="mentions"), "'events[0].layer'"),
    (lambda d: d["toponyms"][0].update(end=99), "'toponyms[0]'"),
    (lambda d: d["toponyms"][0].update(start=-1), "'toponyms[0]'"),
    (lambda d: d["events"][0].update(evidence=[10, 200]), "'events[0].evidence'"),
    (lambda d: d["events"][0].update(evidence=[5]), "'events[0].evidence'"),
    (lambda d: d["toponyms"][0].update(name="Gai"), "'toponyms[0].name'"),
    (lambda d: d["events"][0].update(status="rumoured"), "'events[0].status'"),
    (lambda d: d["events"][0].update(anchors=[{"town": "Gao"}]), "'events[0].anchors[0]'"),
    (lambda d: d["events"][0].update(anchors=["Gao"]), "'events[0].anchors[0]'"),
    (lambda d: d["events"][0].update(anchors=[{"toponym": 0, "country": "ML"}]),
     "'events[0].anchors[0]'"),
    (lambda d: d["events"][0].update(anchors=[{"country": "XX"}]),
     "'events[0].anchors[0].country'"),
    (lambda d: d["events"][0].update(anchors=[{"border": ["DZ"]}]),
     "'events[0].anchors[0].border'"),
    (lambda d: d["events"][0].update(anchors=[{"border": ["DZ", "BF"]}]),
     "'events[0].anchors[0].border'"),
    (lambda d: d["events"][0].update(anchors=[{"point": [16.3]}]),
     "'events[0].anchors[0].point'"),
    (lambda d: d["events"][0].update(anchors=[{"point": [-0.04, 216.3]}]),
     "'events[0].anchors[0].point'"),
    (lambda d: d["events"][0].update(anchors=[{"point": [16.3, 0], "radius_km": 0}]),
     "'events[0].anchors[0].radius_km'"),
    (lambda d: d["events"][0].update(anchors=[]), "'events[0].anchors'"),
    (lambda d: d["toponyms"][0].update(lat=None), "'events[0].anchors[0].toponym'"),
    (lambda d: d.update(events={}), "'events'"),
    (lambda d: d.update(lang=None), "'lang'"),
    (lambda d: d.update(published="2 May 2019"), "'published'"),
    (lambda d: d.update(datelines=[[0, 400]]), "'datelines[0]'"),
    (lambda d: d.update(organisations=[[0, 5, "Armed groups"]]), "'organisations[0]'"),
])
def test_bad_gold_names_file_line_and_field(change, field: str, gazetteer, tmp_path) -> None:
    bad = good()
    change(bad)
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(good()) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_event_gold(path, gazetteer))
    message = str(caught.value)
    assert f"bad.jsonl:2: {field}" in message, message


def test_good_gold_reads(gazetteer, tmp_path) -> None:
    path = tmp_path / "good.jsonl"
    path.write_text(json.dumps(good()) + "\n\n" + json.dumps(good()) + "\n", encoding="utf-8")
    docs = list(read_event_gold(path, gazetteer))
    assert [d.where for d in docs] == [f"{path}:1", f"{path}:3"]
    assert docs[0].events[0].anchors[0].coarse_km2 == 2_000_000


# ---------------------------------------------------------------- CLI, real pipeline

def pipeline_docs() -> list[dict[str, Any]]:
    """Sentences in three languages with what today's pipeline draws for them noted."""
    en1 = "In 2012 jihadists seized Kidal. Armed groups now control Gao."
    en2 = "NIAMEY, 3 March - Army chiefs met in Niamey to discuss the border."
    fr = ("Les réfugiés ont quitté Gao pour la Mauritanie. Les chefs d'état-major se sont "
          "réunis à Nouakchott.")
    ar = ("فر اللاجئون من غاو إلى النيجر. وتسيطر الجماعات المسلحة على مدينة كيدال. "
          "وهاجم مسلحون نقطة تفتيش قرب تمبكتو.")
    return [
        # Kidal, seized in 2012 (a 2019 report): past, not drawn. Gao: TP.
        {**document(en1, [toponym(en1, "Kidal", None), toponym(en1, "Gao", GAO)],
                    [event("control_zones", [{"point": list(KIDAL), "radius_km": 20}], "past"),
                     event("control_zones", [{"toponym": 1}])]),
         "id": "en-1", "published": "2019-11-02", "source": "written for the tests"},
        # The meeting binds the second Niamey, not the dateline.
        {**document(en2, [toponym(en2, "NIAMEY", NIAMEY, country="NE"),
                          toponym(en2, "Niamey", NIAMEY, country="NE")],
                    [event("meetings", [{"toponym": 1}])], datelines=[[0, 16]]), "id": "en-2"},
        # The flow ends at Natural Earth's label point of Mauritania, 97 km from the
        # annotated point but inside the country: a country toponym is its outline. TP.
        # Nouakchott: TP.
        document(fr, [toponym(fr, "Gao", GAO), toponym(fr, "Mauritanie", (20.25, -10.35),
                                                          "country", "MR"),
                      toponym(fr, "Nouakchott", (18.09, -15.98), country="MR")],
                 [event("displacement", [{"toponym": 1}], origin=[{"toponym": 0}]),
                  event("meetings", [{"toponym": 2}])], lang="fr"),
        # Flow, control zone and attack: TP.
        document(ar, [toponym(ar, "غاو", GAO), toponym(ar, "النيجر", (17.6, 8.08), "country",
                                                         "NE"),
                      toponym(ar, "كيدال", KIDAL), toponym(ar, "تمبكتو", TIMBUKTU)],
                 [event("displacement", [{"toponym": 1}], origin=[{"toponym": 0}]),
                  event("control_zones", [{"toponym": 2}]),
                  event("attacks", [{"point": [16.9, -3.0], "radius_km": 30}])], lang="ar"),
    ]


@pytest.fixture
def gold_file(tmp_path):
    path = tmp_path / "dev.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in pipeline_docs()),
                    encoding="utf-8")
    return path


def test_cli_scores_events_as_json(gold_file) -> None:
    result = CliRunner().invoke(cli, ["eval", "--events", str(gold_file), "--json"])
    assert result.exit_code == 0, result.output
    s = json.loads(result.output)
    assert s["overall"] == {"gold": 7, "predicted": 7, "tp": 7, "precision": 1.0,
                            "recall": 1.0, "f1": 1.0}
    assert {k: (v["gold"], v["predicted"], v["tp"]) for k, v in s["langs"].items()} == {
        "ar": (3, 3, 3), "en": (2, 2, 2), "fr": (2, 2, 2)}
    assert s["layers"]["attacks"]["recall"] == 1.0
    assert s["ignored_past"] == 0 and s["misplaced"]["count"] == 0  # 2012 is past: hidden
    assert s["roles"] == {"with_origin": 2, "wrong": 0}
    assert s["datelines"] == {"docs": 1, "features": 0} and s["files"] == ["dev.jsonl"]


def test_cli_table_and_mention_scorer_read_the_same_file(gold_file) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["eval", "--events", str(gold_file), str(gold_file)])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    overall = next(x for x in lines if x.startswith("overall")).split()
    assert overall[1:4] == ["14", "14", "14"]  # the file twice: counts double
    assert any(x.startswith("lang ar") for x in lines)
    assert any(x.startswith("misplaced 0 of 14") for x in lines)
    mentions = runner.invoke(cli, ["eval", str(gold_file), "--json"])  # extra keys, null lat
    assert mentions.exit_code == 0, mentions.output
    assert json.loads(mentions.output)["dev.jsonl"]["en"]["gold"] == 4


def test_cli_bad_gold_fails_cleanly(tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    bad = good()
    bad["events"][0]["status"] = "maybe"
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--events", str(path)])
    assert result.exit_code == 1
    assert "bad.jsonl:1: 'events[0].status'" in result.output
    both = CliRunner().invoke(cli, ["eval", "--events", "--demonyms", str(path)])
    assert both.exit_code == 2


# ---------------------------------------------------------------- the seed, end to end

def seed_gold(text: str) -> dict[str, Any]:
    """Gold events for the seed article, annotated here by the guideline (offsets found at
    run time: the article is read from ../shared/seeds, never copied)."""

    def place(context: str, name: str, latlon: tuple[float, float], kind: str,
              code: str | None) -> dict[str, Any]:
        start = text.index(context) + context.index(name)
        return {"start": start, "end": start + len(name), "name": name, "lat": latlon[0],
                "lon": latlon[1], "type": kind, "country": code}

    north = (19.5, -2.0)
    toponyms = [
        place("على شمال مالي", "شمال مالي", north, "region", "ML"),  # 0
        place("الموجودة في شمال مالي", "شمال مالي", north, "region", "ML"),  # 1
        place("مثل باكستان", "باكستان", (30.0, 70.0), "country", "PK"),  # 2
        place("واليمن", "واليمن", (15.5, 47.5), "country", "YE"),  # 3
        place("أو الصومال", "الصومال", (6.0, 46.0), "country", "SO"),  # 4
        place("أفريقية في شمال مالي", "شمال مالي", north, "region", "ML"),  # 5
        place("في موريتانيا وقرروا", "موريتانيا", (20.25, -10.5), "country", "MR"),  # 6
        place("المثلث الحدودي الرابط", "المثلث الحدودي", TRIPOINT, "border", None),  # 7
        place("كل من موريتانيا", "موريتانيا", (20.25, -10.5), "country", "MR"),  # 8
        place("والنيجر ونيجيريا", "والنيجر", (17.6, 8.08), "country", "NE"),  # 9
        place("ونيجيريا", "ونيجيريا", (10.0, 8.0), "country", "NG"),  # 10
        place("ونيجيريا وبوركينا فاسو", "وبوركينا فاسو", (12.5, -1.67), "country", "BF"),  # 11
    ]

    def ev(layer: str, anchors: list[dict], status: str, at_offset: int, **extra: Any) -> dict:
        start = max(text.rfind(".", 0, at_offset), text.rfind("\n", 0, at_offset)) + 1
        ends = [i for i in (text.find(".", at_offset), text.find("\n", at_offset)) if i >= 0]
        return {"layer": layer, "anchors": anchors, "status": status,
                "evidence": [start, min(ends) + 1 if ends else len(text)], **extra}

    def t(i: int) -> dict[str, int]:
        return {"toponym": i}

    def at_toponym(i: int) -> int:
        return int(toponyms[i]["start"])

    pursuit = [["DZ", "ML"], ["DZ", "MR"], ["DZ", "NE"], ["ML", "MR"], ["ML", "NE"],
               ["ML", "BF"], ["NE", "BF"]]
    field_states = text.index("دول الميدان")
    events = [
        ev("control_zones", [t(0)], "reported", at_toponym(0), actor="AQIM"),
        ev("deployments", [t(0)], "hypothetical", at_toponym(0)),
        ev("strikes", [t(1)], "planned", at_toponym(1), actor="United States"),
        *(ev("strikes", [t(i)], "past", at_toponym(i)) for i in (2, 3, 4)),
        ev("deployments", [t(5)], "planned", at_toponym(5)),
        ev("deployments", [{"border": ["DZ", "ML"]}], "planned", text.index("أربعون ألف"),
           actor="Algerian army", strength=40000),
        *(ev("pursuit_corridors", [{"border": pair}], "agreed", text.index("المطاردة الساخنة"))
          for pair in pursuit),
        ev("coalitions", [{"country": c} for c in ("NE", "MR", "ML", "BF", "DZ")], "agreed",
           field_states, members=["NE", "MR", "ML", "BF", "DZ"]),
        ev("deployments", [{"country": "DZ"}], "ongoing", text.index("جنوب البلاد"),
           actor="Algerian army", strength=25000),
        *(ev("risk_zones", [t(i)], "planned", at_toponym(i)) for i in (8, 9, 10, 11)),
        ev("border_security", [{"country": "ML"}], "planned", text.index("إقليم أزواد")),
        ev("meetings", [t(6)], "reported", at_toponym(6)),
        ev("sanctuaries", [t(7)], "reported", at_toponym(7)),
    ]
    organisations = []
    for name in ("تنظيم القاعدة في بلاد المغرب الإسلامي", "واشنطن بوست",
                 "الجماعة السلفية للدعوة والقتال"):
        start = text.find(name)
        while start >= 0:
            organisations.append([start, start + len(name), name])
            start = text.find(name, start + 1)
    return {"id": "ar-seed", "lang": "ar", "text": text, "toponyms": toponyms,
            "events": events, "organisations": organisations}


def test_seed_sanity_sample(seed_text: str, tmp_path) -> None:
    path = tmp_path / "seed.jsonl"
    path.write_text(json.dumps(seed_gold(seed_text), ensure_ascii=False) + "\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--events", str(path), "--json"])
    assert result.exit_code == 0, result.output
    s = json.loads(result.output)
    # Sanity bounds, not a benchmark: the seed is what the frames were first written for.
    assert s["overall"]["gold"] == 20
    assert s["overall"]["precision"] >= 0.8 and s["overall"]["recall"] >= 0.75
    assert s["ignored_past"] == 0  # drones already used in Pakistan...: not drawn at all
    assert s["misplaced"]["count"] == 0 and s["too_coarse"]["count"] == 0
    assert s["organisations"] == {"docs": 1, "features": 0}

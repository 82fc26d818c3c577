"""The offline gazetteer, built from the real bundled data."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point

from geo.errors import GazetteerError
from geo.gazetteer import Gazetteer, NameEntry, get_gazetteer
from geo.gazetteer.cache import cache_path, fingerprint
from geo.gazetteer.geonames import split_names
from geo.gazetteer.regions import part_geometry
from geo.normalize import normalize_key
from geo.records import Place

TRIPOINT = Point(-4.822, 24.995)  # Algeria–Mali–Mauritania, lon/lat
TOWNS = {"Kidal": Point(1.40921, 18.44345), "Gao": Point(-0.04472, 16.27167),
         "Timbuktu": Point(-3.00742, 16.77348)}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def ids(gaz: Gazetteer, name: str, kind: str = "toponym") -> set[str]:
    return {e.place_id for e in gaz.lookup(normalize_key(name)) if e.kind == kind}


def test_warm_load_is_fast(gaz: Gazetteer) -> None:
    start = time.perf_counter()
    again = Gazetteer.load()
    elapsed = time.perf_counter() - start
    assert len(again) == len(gaz) > 200_000
    assert elapsed < 3.0, f"warm load took {elapsed:.2f} s"


@pytest.mark.parametrize(("name", "expected"), [
    ("الجزائر", {"ne:admin0:DZA", "gn:2507480"}),
    ("Algérie", {"ne:admin0:DZA"}),
    ("مالي", {"ne:admin0:MLI"}),
    ("Tombouctou", {"gn:2449067"}),
    ("تمبكتو", {"gn:2449067"}),
    ("Timbuktu", {"gn:2449067"}),
    ("تساليت", {"gn:2449893"}),
    ("أغلهوك", {"gn:2461247"}),
    ("برج باجي مختار", {"kh:bordj-badji-mokhtar"}),
    ("Bordj Badji Mokhtar", {"kh:bordj-badji-mokhtar"}),
    ("أزواد", {"kh:azawad"}),
    ("الولايات المتحدة الأمريكية", {"ne:admin0:USA"}),
    ("Etats-Unis", {"ne:admin0:USA"}),
    ("Grande-Bretagne", {"ne:admin0:GBR"}),
    ("ساحل العاج", {"ne:admin0:CIV"}),
    ("بوركينافاسو", {"ne:admin0:BFA"}),
    ("كيدال", {"gn:2455290", "ne:admin1:MLI-2689"}),
    ("حفر الباطن", {"gn:106297"}),  # GeoNames writes it with a trailing LRM
])
def test_names_resolve(gaz: Gazetteer, name: str, expected: set[str]) -> None:
    assert expected <= ids(gaz, name)


@pytest.mark.parametrize(("form", "iso"), [
    ("جزائرية", "DZ"), ("جزائريين", "DZ"), ("جزائريون", "DZ"), ("ماليين", "ML"),
    ("أميركي", "US"), ("امريكية", "US"), ("فرنسي", "FR"),
    ("algériennes", "DZ"), ("malien", "ML"), ("maliennes", "ML"), ("française", "FR"),
    ("Algerian", "DZ"), ("Malians", "ML"), ("Americans", "US"), ("Burkinabe", "BF"),
])
def test_demonyms_point_to_their_country(gaz: Gazetteer, form: str, iso: str) -> None:
    country = gaz.country(iso)
    assert country is not None
    assert country.id in ids(gaz, form, kind="demonym")


def test_ambiguous_words_are_flagged(gaz: Gazetteer) -> None:
    mali = [e for e in gaz.lookup(normalize_key("مالية")) if e.kind == "demonym"]
    assert mali and all(e.ambiguous for e in mali)
    assert all(e.ambiguous for e in gaz.lookup("français") if e.kind == "demonym")
    assert not any(e.ambiguous for e in gaz.lookup(normalize_key("الجزائر")))


def test_entries_are_name_entries(gaz: Gazetteer) -> None:
    entry = gaz.lookup(normalize_key("Kidal"))[0]
    assert isinstance(entry, NameEntry)
    assert entry.lang in {"ar", "fr", "en", "*"}
    assert gaz.lookup("no such name at all") == ()


def test_persian_spellings_are_not_indexed(gaz: Gazetteer) -> None:
    # Persian spellings fold to the same key; they must not be kept as names.
    assert "کیدال" not in {e.name for e in gaz.lookup(normalize_key("كيدال"))}
    assert not gaz.lookup(normalize_key("تیمبوکتو"))


def test_geonames_names_lose_stray_direction_marks() -> None:
    # GeoNames ends some Arabic names with a left-to-right mark; the name is
    # still Arabic. Pashto spellings are not.
    latin, arabic = split_names("Hafar Al-Batin", ["حفر الباطن\u200e", "\u200fمعسكر ",
                                                    "ورګون", "hfr albatn\u200e"])
    assert arabic == ["حفر الباطن", "معسكر"]
    assert latin == ["Hafar Al-Batin"]


def test_place_records(gaz: Gazetteer) -> None:
    mali = gaz.place("ne:admin0:MLI")
    assert (mali.type, mali.country, mali.names["ar"]) == ("country", "ML", "مالي")
    assert mali.bbox is not None and mali.bbox[0] < -12 and mali.bbox[3] > 24.9
    france = gaz.country("FR")
    assert france is not None and france.id == "ne:admin0:FRA"
    assert france.bbox is not None and france.bbox[0] > -6  # not French Guiana
    kidal = gaz.place("gn:2455290")
    assert (kidal.type, kidal.country, kidal.parent) == ("town", "ML", "ne:admin1:MLI-2689")
    assert gaz.place("ne:admin1:MLI-2689").parent == "ne:admin0:MLI"
    with pytest.raises(KeyError):
        gaz.place("gn:1")
    assert gaz.country("XX") is None


def test_countries_of(gaz: Gazetteer) -> None:
    assert gaz.countries_of("gn:2455290") == ("ML",)
    assert set(gaz.countries_of("kh:dz-ml-mr-triangle")) == {"DZ", "ML", "MR"}
    assert {"ML", "NE", "TD"} <= set(gaz.countries_of("kh:sahel"))


def test_azawad_covers_the_northern_towns(gaz: Gazetteer) -> None:
    azawad = gaz.geometry("kh:azawad")
    assert azawad is not None
    for town, point in TOWNS.items():
        assert azawad.contains(point), town


def test_border_triangle(gaz: Gazetteer) -> None:
    triangle = gaz.geometry("kh:dz-ml-mr-triangle")
    assert triangle is not None and triangle.buffer(1e-6).contains(TRIPOINT)
    states = shapely.union_all([gaz.geometry(f"ne:admin0:{c}") for c in ("DZA", "MLI", "MRT")])
    assert triangle.difference(states).area < 1e-6 * triangle.area + 1e-9


def test_groups(gaz: Gazetteer) -> None:
    field = gaz.place("kh:field-states")
    assert field.type == "group" and set(field.members) == {"DZ", "ML", "MR", "NE"}
    assert ids(gaz, "دول الميدان") == ids(gaz, "pays du champ") == {"kh:field-states"}
    shape = gaz.geometry("kh:field-states")
    assert shape is not None and shape.contains(TOWNS["Kidal"])
    assert gaz.place("kh:g5-sahel").members == ("MR", "ML", "BF", "NE", "TD")


def test_northern_part_of_mali(gaz: Gazetteer) -> None:
    north = gaz.part("ne:admin0:MLI", "north")
    assert (north.id, north.type, north.country) == ("ne:admin0:MLI#north", "part", "ML")
    assert gaz.place("ne:admin0:MLI#north") == north
    shape, mali = gaz.geometry(north.id), gaz.geometry("ne:admin0:MLI")
    assert shape is not None and mali is not None
    assert mali.buffer(0.05).contains(shape)
    assert shape.centroid.y > mali.centroid.y


@pytest.mark.parametrize("direction", ["south", "east", "west", "northeast", "center"])
def test_derived_parts(gaz: Gazetteer, direction: str) -> None:
    part = gaz.part("ne:admin0:DZA", direction)
    shape, whole = gaz.geometry(part.id), gaz.geometry("ne:admin0:DZA")
    assert shape is not None and whole is not None and shape.is_valid
    assert 0.05 * whole.area < shape.area < 0.75 * whole.area
    assert whole.buffer(1e-6).contains(shape)
    with pytest.raises(ValueError, match="direction"):
        gaz.part("ne:admin0:DZA", "up")


@pytest.mark.parametrize("place_id", ["ne:admin0:MLI", "ne:admin0:USA", "kh:sahel"])
@pytest.mark.parametrize("direction", ["north", "southwest", "center"])
def test_parts_placed_at_build_match_their_geometry(
    gaz: Gazetteer, place_id: str, direction: str
) -> None:
    # Countries' and curated areas' parts are placed when the index is built;
    # the place must be what the part's geometry, made now, says.
    part = gaz.part(place_id, direction)
    shape = gaz.geometry(part.id)
    assert shape is not None and part.has_geometry
    point = shape.representative_point()
    assert (part.lat, part.lon) == (point.y, point.x)
    assert part.bbox == tuple(shape.bounds)


def test_a_part_is_cut_from_its_area_unless_a_curated_region_is_it(gaz: Gazetteer) -> None:
    cut = part_geometry(gaz.geometry("ne:admin0:USA"), "southwest")  # type: ignore[arg-type]
    assert gaz.geometry("ne:admin0:USA#southwest").equals(cut)  # type: ignore[union-attr]
    northern_mali = gaz.geometry("ne:admin0:MLI#north")
    assert northern_mali is not None and not northern_mali.equals(
        part_geometry(gaz.geometry("ne:admin0:MLI"), "north"))  # type: ignore[arg-type]


def test_parts_of_other_units_are_placed_on_demand(gaz: Gazetteer) -> None:
    unit = next(pid for pid in gaz.areas() if ":admin1:" in pid)
    part = gaz.part(unit, "north")
    shape = gaz.geometry(part.id)
    assert shape is not None and part.bbox == tuple(shape.bounds)
    assert shape.contains(Point(part.lon, part.lat))


def test_points_have_no_geometry(gaz: Gazetteer) -> None:
    assert gaz.geometry("gn:2455290") is None
    with pytest.raises(KeyError):
        gaz.geometry("kh:nowhere")


def test_all_geometries_valid(gaz: Gazetteer) -> None:
    bad = [pid for pid in gaz.areas() if not gaz.geometry(pid).is_valid]  # type: ignore[union-attr]
    assert bad == []


def test_traps_and_automaton(gaz: Gazetteer) -> None:
    automaton = gaz.automaton()
    assert gaz.automaton() is automaton
    key = normalize_key("Tombouctou")
    assert automaton.get(key) == key
    assert len(list(gaz.keys())) > 400_000


@pytest.mark.slow
def test_corrupt_cache_is_rebuilt(gaz: Gazetteer, tmp_path: Path) -> None:
    good = gaz.cache_path
    assert good is not None and good.exists()
    fp = fingerprint()
    for kind in ("index", "geometry"):
        shutil.copy(cache_path(good.parent, kind, fp), cache_path(tmp_path, kind, fp))
    cache_path(tmp_path, "index", fp).write_bytes(b"\x80\x05 not a pickle")
    rebuilt = Gazetteer.load(cache_dir=tmp_path)
    assert len(rebuilt) == len(gaz)
    assert isinstance(rebuilt.place("ne:admin0:MLI"), Place)


def test_wrong_object_in_cache_raises(tmp_path: Path) -> None:
    import pickle

    cache_path(tmp_path, "index", fingerprint()).write_bytes(pickle.dumps({"not": "index"}))
    with pytest.raises(GazetteerError, match="rebuild=True"):
        Gazetteer.load(cache_dir=tmp_path)


def test_unwritable_cache_dir_raises_gazetteer_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    from geo.gazetteer.cache import write_pickle

    with pytest.raises(GazetteerError, match="KHARITA_CACHE_DIR"):
        write_pickle({"x": 1}, blocker / "index-x.pkl")

"""Stored test data for the API and OGC tests: small hand-made layers.

Layer features follow the DESIGN layer contract as geo.layers writes them;
the store gets them directly so the tests control every coordinate.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask

from webapp import create_app

TOKEN = "s3cret-token"  # the write token the API and OGC test apps are given


def token_app(tmp_path: Path, **config: Any) -> Flask:
    """An app on a fresh SQLite file that requires ``TOKEN`` for writes."""
    return create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0, "API_TOKEN": TOKEN,
                       "WTF_CSRF_ENABLED": False,
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'kharita.sqlite3'}", **config})


def point(name: str, lon: float, lat: float) -> dict:
    """Return a mention feature as geo.layers writes them (DESIGN layer contract)."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "layer": "mentions",
            "name": name,
            "confidence": 0.9,
            "precision": 1,
            "evidence": [{"start": 0, "end": len(name), "text": name}],
            "trigger": name,
        },
    }


def triangle() -> dict:
    """A control zone whose bbox corner (4, 24) lies outside the polygon."""
    ring = [[-5, 15], [5, 15], [-5, 25], [-5, 15]]  # counter-clockwise (RFC 7946)
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {
            "layer": "control_zones",
            "name": "Northern Mali",
            "confidence": 0.8,
            "precision": 5,
            "actor": "AQIM",
            "evidence": [],
            "trigger": "held by",
        },
    }


def collection(*features: dict) -> dict:
    """Wrap features with their bbox, as geo.layers.to_feature_collection does."""
    xs, ys = [], []
    for f in features:
        coords = f["geometry"]["coordinates"]
        pts = coords[0] if f["geometry"]["type"] == "Polygon" else [coords]
        xs += [p[0] for p in pts]
        ys += [p[1] for p in pts]
    return {
        "type": "FeatureCollection",
        "features": list(features),
        "bbox": [min(xs), min(ys), max(xs), max(ys)],
    }


def seed(store) -> dict[str, str]:
    """Store three documents (two dated), a public map and a private map."""
    kidal = store.add_document(
        text="Kidal and Gao",
        title="North",
        lang="en",
        mentions=[],
        published=date(2024, 5, 1),
        layers={
            "mentions": collection(point("Kidal", 1.41, 18.44), point("Gao", -0.04, 16.27)),
            "control_zones": collection(triangle()),
        },
    )
    tam = store.add_document(
        text="Tamanrasset",
        title="South Algeria",
        lang="en",
        mentions=[],
        published=date(2023, 1, 10),
        layers={"mentions": collection(point("Tamanrasset", 5.52, 22.79))},
    )
    nkc = store.add_document(
        text="Nouakchott",
        title="Undated",
        lang="en",
        mentions=[],
        layers={"mentions": collection(point("Nouakchott", -15.98, 18.09))},
    )
    public = store.create_map(title="Sahel", document_ids=[kidal.id, tam.id])
    private = store.create_map(title="Draft", document_ids=[nkc.id], public=False)
    return {
        "kidal": kidal.id,
        "tam": tam.id,
        "nkc": nkc.id,
        "public": public.id,
        "private": private.id,
    }


def first_feature_id(store: Any, doc_id: str, layer: str = "mentions") -> str:
    """The id of a document's first feature of ``layer`` (ids are digests, not positions)."""
    return store.get_layers(doc_id, [layer], private=True)[layer]["features"][0]["id"]

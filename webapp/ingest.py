"""From pasted or uploaded text to a stored document with its layers.

The geo stages are called, never re-implemented: :func:`geo.geoparse` finds
the mentions, :func:`geo.layers.build_layers` makes the layers and
:func:`geo.layers.to_feature_collection` serialises them. The gazetteer is
loaded once per process through :func:`init_app`/:func:`get_gazetteer`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from werkzeug.datastructures import FileStorage

from geo.errors import InputError
from geo.text import decode_text, html_to_text, looks_like_html
from webapp.store import DocumentRecord, Store

EXTENSION = "kharita"
UPLOAD_TYPES = {".txt": "text", ".md": "text", ".markdown": "text", ".html": "html", ".htm": "html"}
LANGS = ("ar", "fr", "en")


@dataclass
class Resources:
    """Process-wide geo resources of one app, loaded on first use."""

    gazetteer: Any = None
    geocoder: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def init_app(app: Flask) -> None:
    """Register the (lazily loaded) gazetteer of ``app``."""
    app.extensions[EXTENSION] = Resources()


def get_gazetteer() -> Any:
    """Return the gazetteer of the current app, loading it once."""
    resources: Resources = current_app.extensions[EXTENSION]
    with resources.lock:
        if resources.gazetteer is None:
            from geo.gazetteer import get_gazetteer as load

            resources.gazetteer = load()
    return resources.gazetteer


def get_geocoder() -> Any:
    """The fallback geocoder of the current app (``GEOCODER_FALLBACK``), or None."""
    name = current_app.config["GEOCODER_FALLBACK"]
    if not name:
        return None
    gazetteer = get_gazetteer()
    resources: Resources = current_app.extensions[EXTENSION]
    with resources.lock:
        if resources.geocoder is None:
            from geo.geocoder import make_geocoder

            resources.geocoder = make_geocoder(
                fallback=name, fallback_url=current_app.config["GEOCODER_URL"] or None,
                user_agent=current_app.config["GEOCODER_USER_AGENT"], gazetteer=gazetteer,
                cache_path=Path(current_app.config["GEOCODER_CACHE"]
                                or Path(current_app.instance_path) / "geocoder.sqlite"))
    return resources.geocoder


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission:
    """A text to store, with the metadata the form or API gave."""

    text: str
    title: str = ""
    source_url: str | None = None
    published: date | None = None
    lang: str | None = None
    public: bool = True


def read_upload(upload: FileStorage) -> str:
    """Return the text of an uploaded .txt/.md/.html file or raise InputError."""
    name = upload.filename or "upload"
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in UPLOAD_TYPES:
        raise InputError(
            f"{name}: unsupported file type {suffix or '(none)'}; upload .txt, .md or .html"
        )
    text = decode_text(upload.read(), name=name)
    if UPLOAD_TYPES[suffix] == "html" or looks_like_html(text):
        return html_to_text(text)
    return text


def parse(
    text: str, lang: str | None = None, published: date | None = None
) -> tuple[str, list[dict], dict[str, dict]]:
    """Run the geo pipeline: ``(lang, mention dicts, {layer: FeatureCollection})``.

    ``published`` dates the features whose sentence gives no date of its own.
    """
    from geo import geoparse
    from geo.layers import build_layers, to_feature_collection

    gazetteer = get_gazetteer()
    result = geoparse(text, lang=lang, gazetteer=gazetteer, geocoder=get_geocoder())
    layers = build_layers(result, gazetteer=gazetteer, published=published)
    collections = {
        layer: to_feature_collection(layers, select=[layer])
        for layer, frame in layers.items()
        if len(frame)
    }
    return result.lang, [m.to_dict() for m in result.mentions], collections


def ingest(store: Store, submission: Submission, *, map_title: str | None = None) -> DocumentRecord:
    """Parse a submission and store it (with its own map) in one transaction."""
    text = submission.text.strip("\ufeff")
    if not text.strip():
        raise InputError("text: empty; paste a report or upload a .txt, .md or .html file")
    if submission.lang is not None and submission.lang not in LANGS:
        choices = ", ".join(LANGS)
        raise InputError(f"lang: expected one of {choices} or auto, got {submission.lang!r}")
    lang, mentions, layers = parse(text, submission.lang, submission.published)
    title = submission.title.strip() or first_line(text)
    return store.add_document(
        text=text,
        title=title,
        lang=lang,
        mentions=mentions,
        layers=layers,
        source_url=submission.source_url,
        published=submission.published,
        map_title=map_title if map_title is not None else title,
        public=submission.public,
    )


def first_line(text: str, limit: int = 80) -> str:
    """Return a title made from the first non-empty line of ``text``."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


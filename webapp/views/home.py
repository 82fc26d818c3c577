"""Home page: a live preview of the demo map, recent maps and documents, the paste/upload
form with an example report in each language."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml
from flask import Blueprint, current_app, render_template

from webapp.access import sees_private
from webapp.demo import DEMO_TITLE
from webapp.form_errors import FormError
from webapp.store import MapRecord, get_store

#: How many recent public maps are searched for the demo map before taking the newest.
PREVIEW_SEARCH = 200

bp = Blueprint("home", __name__)


def render_home(form: dict[str, str] | None = None, error: FormError | None = None,
                status: int = 200):
    """Render the home page, optionally with the form's values and an error."""
    store = get_store()
    limit = int(current_app.config["RECENT_MAPS"])
    return (
        render_template(
            "index.html",
            maps=store.list_maps(limit=limit, private=sees_private()),
            documents=store.list_documents(limit=limit, private=sees_private()),
            form=form or {},
            error=error,
            preview=preview_map(),
            examples=examples(),
        ),
        status,
    )


@bp.get("/")
def index():
    """Show recent maps and the form to paste or upload a report."""
    return render_home()


@lru_cache(maxsize=1)
def examples() -> dict[str, dict[str, str]]:
    """The example reports of ``webapp/data/examples.yaml``: ``{lang: {title, text}}``."""
    text = resources.files("webapp").joinpath("data/examples.yaml").read_text(encoding="utf-8")
    return {lang: {"title": str(e["title"]), "text": str(e["text"])}
            for lang, e in yaml.safe_load(text).items()}


def preview_map() -> MapRecord | None:
    """The map a first-time visitor sees: the demo map, else the newest public map."""
    maps = get_store().list_maps(limit=PREVIEW_SEARCH)
    return next((m for m in maps if m.title == DEMO_TITLE), maps[0] if maps else None)

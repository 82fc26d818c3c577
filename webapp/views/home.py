"""Home page: recent maps and documents, the paste/upload form."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from webapp.access import sees_private
from webapp.form_errors import FormError
from webapp.store import get_store

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
        ),
        status,
    )


@bp.get("/")
def index():
    """Show recent maps and the form to paste or upload a report."""
    return render_home()

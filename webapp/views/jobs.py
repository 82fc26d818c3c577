"""Parse jobs: where a submitted text waits until its document is stored."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for

from webapp.store import get_store

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
REFRESH_SECONDS = 2


@bp.get("/<kid:job_id>")
def show(job_id: str):
    """Go to the document once parsed; until then a page that reloads itself."""
    job = get_store().get_job(job_id)
    if job is None:
        abort(404, description=f"No job with id {job_id!r}; check the link.")
    if job.status == "done" and job.document_id:
        return redirect(url_for("documents.show", doc_id=job.document_id), code=303)
    status = 422 if job.status == "failed" else 202
    return render_template("job.html", job=job, refresh=REFRESH_SECONDS), status

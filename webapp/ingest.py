"""From submitted text to a stored document with its layers.

A :class:`Submission` (from the paste form, an upload or the JSON API) is
checked by :func:`prepare`, parsed by the app's parser (:mod:`webapp.parsing`:
worker processes, a queue bound and a time limit) and stored with its own map.

* :func:`ingest` does it all before returning (the demo map, tests, scripts).
* :func:`submit` records a **job** first, so nothing is lost if the server
  stops: the text is in the database until its document is stored (in the same
  transaction that marks the job done), and :func:`resume` queues unfinished
  jobs again when the app starts. The caller may wait a little for the result
  (:meth:`Pending.wait`) and otherwise points the user at the job's page.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from flask import Flask, current_app
from werkzeug.datastructures import FileStorage

from geo.errors import InputError, KharitaError
from geo.language import LANGUAGES as LANGS
from geo.text import decode_text, html_to_text, looks_like_html
from webapp.inputs import blank
from webapp.parsing import ParserBusyError, ParseRequest, ParseResult, get_parser
from webapp.store import DocumentRecord, Store, get_store

UPLOAD_TYPES = {".txt": "text", ".md": "text", ".markdown": "text", ".html": "html", ".htm": "html"}
#: What a ``lang`` field takes: a language Kharita reads, or ``auto`` (detect it).
LANG_CHOICES = (*LANGS, "auto")
__all__ = ["LANGS", "LANG_CHOICES", "Pending", "Submission", "ingest", "prepare", "read_upload",
           "submit", "unknown_lang"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission:
    """A text to store, with the metadata the form or API gave."""

    text: str
    title: str = ""
    source_url: str | None = None
    published: date | None = None
    lang: str | None = None
    public: bool = True
    map_id: str | None = None  # an API batch's map, which it goes onto (no map of its own)


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


def unknown_lang(value: str) -> str:
    """The one message for a language Kharita does not read, wherever ``lang`` is given
    (the paste form, the JSON API, a submission): one wording, one list."""
    return f"lang: expected one of {', '.join(LANG_CHOICES)}, got {value[:20]!r}"


def prepare(submission: Submission) -> Submission:
    """Return the submission ready to parse (BOM dropped, title made) or raise InputError."""
    text = submission.text.strip("\ufeff")
    if blank(text):
        raise InputError("text: empty; paste a report or upload a .txt, .md or .html file")
    if submission.lang is not None and submission.lang not in LANGS:
        raise InputError(unknown_lang(submission.lang))
    title = submission.title.strip() or first_line(text)
    return replace(submission, text=text, title=title)


def _request(submission: Submission) -> ParseRequest:
    return ParseRequest(text=submission.text, lang=submission.lang,
                        published=submission.published)


def _store(store: Store, submission: Submission, result: ParseResult, *,
           map_title: str | None = None, job_id: str | None = None) -> DocumentRecord:
    own_map = None if submission.map_id else map_title or submission.title
    return store.add_document(
        text=submission.text, title=submission.title, lang=result.lang,
        mentions=result.mentions, layers=result.layers, source_url=submission.source_url,
        published=submission.published, map_title=own_map,
        public=submission.public, job_id=job_id,
    )


def text_digest(text: str) -> str:
    """The digest that tells one report's text from another's on a map (spacing ignored): a
    text sent again, or republished under another address, is not stored twice."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def ingest(store: Store, submission: Submission, *, map_title: str | None = None,
           own_map: bool = True) -> DocumentRecord:
    """Parse a submission and store it (with its own map, unless ``own_map`` is false).

    Feed items go straight onto the map that follows the feed: no map of their own.
    """
    ready = prepare(submission)
    result = get_parser().parse(_request(ready))
    if not own_map:
        return store.add_document(
            text=ready.text, title=ready.title, lang=result.lang, mentions=result.mentions,
            layers=result.layers, source_url=ready.source_url, published=ready.published,
            public=ready.public)
    return _store(store, ready, result, map_title=map_title)


@dataclass(slots=True)
class Pending:
    """A submitted job; :meth:`wait` for its document (None while it is still parsing)."""

    job_id: str
    done: threading.Event = field(default_factory=threading.Event)

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the job to finish (stored or failed)."""
        return self.done.wait(seconds)


def submit(store: Store, submission: Submission) -> Pending:
    """Record ``submission`` as a job and queue its parse; return at once.

    Raises :class:`~webapp.parsing.ParserBusyError` (and records nothing) when the
    parse queue is full.
    """
    ready = prepare(submission)
    job = store.create_job(text=ready.text, title=ready.title, source_url=ready.source_url,
                           published=ready.published, lang=ready.lang, public=ready.public,
                           map_id=ready.map_id,
                           digest=text_digest(ready.text) if ready.map_id else None)
    pending = Pending(job.id)
    try:
        _queue(current_app._get_current_object(), store, ready, pending)  # type: ignore[attr-defined]
    except ParserBusyError as error:
        store.fail_job(job.id, str(error))
        raise
    return pending


def _queue(app: Flask, store: Store, submission: Submission, pending: Pending) -> None:
    if not store.claim_job(pending.job_id, stale_before=_stale(app)):
        pending.done.set()  # another server took it
        return
    future = get_parser().submit(_request(submission))
    future.add_done_callback(lambda done: _finish(app, store, submission, pending, done))


def _finish(app: Flask, store: Store, submission: Submission, pending: Pending,
            future: Future[ParseResult]) -> None:
    """Store the document of a finished parse, or record why it failed."""
    try:
        with app.app_context():
            try:
                _store(store, submission, future.result(), job_id=pending.job_id)
            except (KharitaError, RuntimeError, OSError) as error:
                store.fail_job(pending.job_id, str(error))
    finally:
        pending.done.set()


def _stale(app: Flask) -> datetime:
    """Jobs ``running`` since before this were left by a server that stopped."""
    seconds = 2 * float(app.config["PARSE_TIMEOUT"]) + 60
    return datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=seconds)


def resume(app: Flask) -> int:
    """Queue again every job a stopped server left unfinished; return how many."""
    with app.app_context():
        store = get_store()
        count = 0
        for job_id in store.unfinished_jobs(stale_before=_stale(app)):
            fields = store.job_submission(job_id)
            if fields is None:
                continue
            try:
                _queue(app, store, Submission(**fields), Pending(job_id))
            except ParserBusyError:
                break  # the rest waits for the next start
            count += 1
        return count


def first_line(text: str, limit: int = 80) -> str:
    """Return a title made from the first non-empty line of ``text``."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"

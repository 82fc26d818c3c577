"""Geoparsing off the request threads: worker processes, a queue bound and a time limit.

Parsing is CPU work measured in seconds for long texts (about 1 MB/s, and
slower for texts dense with names, such as lists of places: every mention has a
cost). Done on the web server's threads, eight large submissions at once would
hold every thread and starve unrelated reads. So the web process hands texts to
a :class:`Parser`:

* ``PARSE_WORKERS`` ≥ 1: that many worker **processes**, each loading the
  gazetteer once. A parse holds no thread of the web process while it runs
  (waiting on a pipe releases the GIL), a parse that takes longer than
  ``PARSE_TIMEOUT`` seconds is stopped (its process is killed and replaced) and
  answered with a clear error, and at most ``PARSE_QUEUE`` texts wait; beyond
  that a submission is refused with "busy, retry later" (HTTP 503).
* ``PARSE_WORKERS = 0``: parse in the calling thread, one at a time (a lock),
  with no time limit: for tests and scripts that run the app in-process.

What is parsed is a :class:`ParseRequest`; what comes back a
:class:`ParseResult` of plain JSON-able data (mention dicts and one GeoJSON
FeatureCollection per layer), ready for :meth:`webapp.store.Store.add_document`.

An editor's save that changes mentions (a new reading, a mention added or
taken off) is a :class:`CorrectionRequest`: it needs the gazetteer (the new
place, and the layers rebuilt through the pipeline), so it runs on a worker
too, and the web process never loads the gazetteer's index; its name lookups
read the name file instead (:mod:`webapp.gazetteer_search`).
"""

from __future__ import annotations

import datetime
import logging
import multiprocessing
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from geo.errors import GazetteerError, InputError, KharitaError

if TYPE_CHECKING:  # both import webapp.errors, which imports this module
    from webapp.corrections import Corrected
    from webapp.store import DocumentState

EXTENSION = "kharita.parser"
GAZETTEER = "kharita.gazetteer"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseRequest:
    """A text to geoparse, with what the pipeline needs to know about it."""

    text: str
    lang: str | None = None
    published: datetime.date | None = None
    layers: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseResult:
    """A parse as plain data: ``mentions`` (DESIGN contract) and ``layers`` by id."""

    lang: str
    mentions: list[dict[str, Any]]
    layers: dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrectionRequest:
    """A save's changes to a document state (:func:`webapp.corrections.apply_changes`)."""

    state: DocumentState
    changes: Any


class ParseTimeoutError(KharitaError):
    """A parse ran past ``PARSE_TIMEOUT`` and was stopped (HTTP 422)."""


class ParserBusyError(RuntimeError):
    """Every worker is busy and the queue is full (HTTP 503, retry later)."""


@dataclass(frozen=True, slots=True)
class GeocoderSettings:
    """What a worker needs to build the optional fallback geocoder (picklable)."""

    fallback: str = ""
    url: str = ""
    user_agent: str = "kharita"
    cache: str = ""


def parse_text(request: ParseRequest, *, gazetteer: Any = None, geocoder: Any = None
               ) -> ParseResult:
    """Run :func:`geo.pipeline.map_text` and serialise the result."""
    from geo.layers import to_feature_collection
    from geo.pipeline import map_text

    mapped = map_text(request.text, lang=request.lang, published=request.published,
                      layers=request.layers, gazetteer=gazetteer, geocoder=geocoder)
    collections = {
        layer: to_feature_collection(mapped.layers, select=[layer])
        for layer, frame in mapped.layers.items()
        if len(frame)
    }
    return ParseResult(lang=mapped.lang, mentions=[m.to_dict() for m in mapped.result.mentions],
                       layers=collections)


def run_request(request: ParseRequest | CorrectionRequest, *, gazetteer: Any,
                geocoder: Any = None) -> Any:
    """Parse a text (a :class:`ParseResult`) or apply a correction (a ``Corrected``)."""
    if isinstance(request, CorrectionRequest):
        from webapp.corrections import apply_changes  # imports this module (see above)

        return apply_changes(request.state, request.changes, lambda: gazetteer)
    return parse_text(request, gazetteer=gazetteer, geocoder=geocoder)


def make_geocoder(settings: GeocoderSettings, gazetteer: Any) -> Any:
    """The fallback geocoder the settings name, or None (offline only)."""
    if not settings.fallback:
        return None
    from geo.geocoder import make_geocoder as build

    return build(fallback=settings.fallback, fallback_url=settings.url or None,
                 user_agent=settings.user_agent, gazetteer=gazetteer,
                 cache_path=Path(settings.cache))


#: One short text per language, parsed before a worker says it is ready, so that what the
#: pipeline loads on first use is not timed against the first request's PARSE_TIMEOUT.
WARM_UP = (("en", "Troops left Gao for Kidal."), ("fr", "Des troupes ont quitté Gao pour Kidal."),
           ("ar", "غادرت القوات غاو إلى كيدال."))


def _worker_main(conn: Connection, settings: GeocoderSettings) -> None:
    """A worker process: load the gazetteer once, then parse what comes down the pipe."""
    from geo.gazetteer import get_gazetteer

    try:
        gazetteer = get_gazetteer()
        geocoder = make_geocoder(settings, gazetteer)
        for lang, text in WARM_UP:  # the match and sound indexes and the lexicons load lazily
            parse_text(ParseRequest(text=text, lang=lang), gazetteer=gazetteer)
    except KharitaError as error:
        conn.send(("failed", str(error)))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", run_request(request, gazetteer=gazetteer, geocoder=geocoder)))
        except InputError as error:
            conn.send(("input", str(error)))
        except KharitaError as error:
            conn.send(("error", f"{type(error).__name__}: {error}"))


class _Worker:
    """One worker process and the pipe to it; replaced when it overruns or dies."""

    def __init__(self, context: Any, settings: GeocoderSettings) -> None:
        self.context, self.settings = context, settings
        self.process: Any = None
        self.conn: Connection | None = None

    def _start(self) -> Connection:
        parent, child = self.context.Pipe()
        self.process = self.context.Process(target=_worker_main, args=(child, self.settings),
                                            name="kharita-parse", daemon=True)
        self.process.start()
        child.close()
        try:
            kind, message = parent.recv()  # "ready" once the gazetteer is loaded
        except EOFError:
            kind, message = "failed", "the process exited while starting"
        if kind != "ready":
            self.stop()
            parent.close()
            raise GazetteerError(f"the parse worker could not start: {message}")
        self.conn = parent
        return parent

    def run(self, request: ParseRequest | CorrectionRequest, timeout: float) -> Any:
        conn = self.conn or self._start()
        conn.send(request)
        if not conn.poll(timeout):
            self.stop()
            if isinstance(request, CorrectionRequest):
                raise ParseTimeoutError(
                    f"changes: rebuilding the document's layers took longer than the limit of "
                    f"{timeout:g} s (setting PARSE_TIMEOUT) and nothing was saved; retry, or "
                    "ask an administrator to raise PARSE_TIMEOUT")
            raise ParseTimeoutError(
                f"text: parsing took longer than the limit of {timeout:g} s (setting "
                "PARSE_TIMEOUT) and was stopped; split the text into shorter reports")
        try:
            kind, value = conn.recv()
        except EOFError:
            self.stop()
            raise RuntimeError("the parse worker stopped unexpectedly") from None
        if kind == "input":
            raise InputError(value)
        if kind == "error":
            raise RuntimeError(value)
        return value

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        if self.conn is not None:
            self.conn.close()
        self.process, self.conn = None, None


@dataclass(slots=True)
class _Job:
    request: ParseRequest | CorrectionRequest
    future: Future[Any] = field(default_factory=Future)


class Parser:
    """Parses texts on worker processes (or inline); see the module docstring."""

    def __init__(self, *, workers: int, timeout: float, queue_size: int,
                 geocoder: GeocoderSettings, gazetteer_loader: Any = None) -> None:
        self.workers, self.timeout = workers, timeout
        self.geocoder = geocoder
        self._load_gazetteer = gazetteer_loader
        self._inline = threading.Lock()
        self._queue: queue.Queue[_Job | None] = queue.Queue(maxsize=max(queue_size, 1))
        self._threads: list[threading.Thread] = []
        self._started = threading.Lock()

    def submit(self, request: ParseRequest | CorrectionRequest) -> Future[Any]:
        """Queue ``request``; raise :class:`ParserBusyError` when the queue is full."""
        if self.workers == 0:
            return self._run_inline(request)
        self._ensure_threads()
        job = _Job(request)
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            raise ParserBusyError(
                "every parse worker is busy and the queue is full; retry in a minute") from None
        return job.future

    def parse(self, request: ParseRequest) -> ParseResult:
        """Parse ``request`` and wait for the result (raises what the parse raised)."""
        result: ParseResult = self.submit(request).result()
        return result

    def correct(self, request: CorrectionRequest) -> Corrected:
        """Apply a correction on a worker and wait for it (raises what it raised)."""
        result: Corrected = self.submit(request).result()
        return result

    def idle(self) -> bool:
        """Whether a submission would start at once (a worker is free, nothing waits)."""
        return self.workers == 0 or (self._queue.empty() and not self._busy())

    def _busy(self) -> bool:
        return sum(1 for t in self._threads if getattr(t, "busy", False)) >= self.workers

    def _run_inline(self, request: ParseRequest | CorrectionRequest) -> Future[Any]:
        future: Future[Any] = Future()
        with self._inline:
            try:
                gazetteer = self._load_gazetteer() if self._load_gazetteer else None
                future.set_result(run_request(request, gazetteer=gazetteer,
                                              geocoder=make_geocoder(self.geocoder, gazetteer)
                                              if self.geocoder.fallback else None))
            except (KharitaError, OSError, RuntimeError) as error:
                future.set_exception(error)
        return future

    def _ensure_threads(self) -> None:
        with self._started:
            if self._threads:
                return
            context = multiprocessing.get_context("spawn")  # never fork a threaded server
            for n in range(self.workers):
                thread = threading.Thread(target=self._serve, args=(_Worker(context,
                                          self.geocoder),), name=f"kharita-parse-{n}",
                                          daemon=True)
                thread.busy = False  # type: ignore[attr-defined]
                thread.start()
                self._threads.append(thread)

    def _serve(self, worker: _Worker) -> None:
        me = threading.current_thread()
        while (job := self._queue.get()) is not None:
            if not job.future.set_running_or_notify_cancel():
                continue
            me.busy = True  # type: ignore[attr-defined]
            try:
                job.future.set_result(worker.run(job.request, self.timeout))
            except (KharitaError, RuntimeError, OSError) as error:
                job.future.set_exception(error)
            finally:
                me.busy = False  # type: ignore[attr-defined]
        worker.stop()

    def start(self) -> None:
        """Start the worker processes now rather than on the first submission."""
        if self.workers:
            self._ensure_threads()

    def close(self) -> None:
        """Stop the workers (pending parses are dropped)."""
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(10)
        self._threads.clear()


@dataclass
class _Gazetteer:
    """The app's gazetteer, loaded on first use (inline parsing, lookups in the web process)."""

    value: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def load_gazetteer(app: Flask) -> Any:
    """Return the gazetteer of ``app``, loading it once."""
    holder: _Gazetteer = app.extensions[GAZETTEER]
    with holder.lock:
        if holder.value is None:
            from geo.gazetteer import get_gazetteer as load

            holder.value = load()
    return holder.value


def get_gazetteer() -> Any:
    """Return the gazetteer of the current app, loading it once."""
    return load_gazetteer(current_app)


def init_app(app: Flask) -> None:
    """Create the app's parser from the ``PARSE_*`` and ``GEOCODER_*`` settings."""
    config = app.config
    settings = GeocoderSettings(
        fallback=config["GEOCODER_FALLBACK"] or "", url=config["GEOCODER_URL"] or "",
        user_agent=config["GEOCODER_USER_AGENT"],
        cache=str(config["GEOCODER_CACHE"] or Path(app.instance_path) / "geocoder.sqlite"),
    )
    app.extensions[GAZETTEER] = _Gazetteer()
    app.extensions[EXTENSION] = Parser(
        workers=int(config["PARSE_WORKERS"]), timeout=float(config["PARSE_TIMEOUT"]),
        queue_size=int(config["PARSE_QUEUE"]), geocoder=settings,
        gazetteer_loader=lambda: load_gazetteer(app),
    )


def get_parser() -> Parser:
    """Return the parser of the current app."""
    return current_app.extensions[EXTENSION]

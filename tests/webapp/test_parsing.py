"""Parsing off the request threads: real worker processes, a time limit, a queue bound, jobs
that survive a restart, and reads that stay fast while large texts are parsed."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.webapp.conftest import TEXT_EN, LiveServer
from webapp import create_app
from webapp.parsing import ParserBusyError, ParseRequest, ParseTimeoutError
from webapp.store import get_store

pytestmark = pytest.mark.slow
#: A text dense with names parses at a fraction of a MB/s: a slow but honest input.
NAMES = "\n".join(["Gao", "Kidal", "Mopti", "Niamey", "Agadez"] * 20_000)  # about 0.7 MB


def make(tmp_path, **config):
    return create_app({"TESTING": True, "DEMO_MAP": False, "WTF_CSRF_ENABLED": False,
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}", **config})


@pytest.fixture(scope="module")
def worker_app(tmp_path_factory):
    """One worker process with a 2 s limit, shared by the tests of this module."""
    app = make(tmp_path_factory.mktemp("workers"), PARSE_WORKERS=1, PARSE_TIMEOUT=2,
               PARSE_QUEUE=2, PARSE_WAIT=30)
    parser = app.extensions["kharita.parser"]
    parser.start()
    _warm(parser)
    yield app
    app.extensions["kharita.parser"].close()
    app.extensions["kharita.store"].close()


def _warm(parser, seconds: float = 60) -> None:
    """Wait until a (re)started worker answers a short text within the 2 s limit: on a
    loaded machine its start can take longer; the limit is for parsing, which these tests time."""
    deadline = time.time() + seconds
    while True:
        try:
            parser.parse(ParseRequest(text="Gao, Mali.", lang="en"))
            return
        except ParseTimeoutError:
            if time.time() > deadline:
                raise


def test_a_worker_process_parses_and_the_document_is_stored(worker_app):
    client = worker_app.test_client()
    response = client.post("/documents", data={"text": TEXT_EN, "lang": "en"})
    assert response.status_code == 303
    deadline = time.time() + 60  # on a loaded machine the worker may still be starting
    job_url = response.headers["Location"]
    while "/jobs/" in job_url and time.time() < deadline:
        time.sleep(0.5)
        response = client.get(job_url)
        job_url = response.headers.get("Location", job_url)
    assert response.status_code == 303 and "/documents/d" in response.headers["Location"]
    api = client.post("/api/v1/documents", json={"text": TEXT_EN, "title": "API"})
    assert api.status_code == 201 and api.json["document"]["layers"]["mentions"] >= 3


def test_a_parse_past_the_time_limit_is_stopped_with_a_clear_error(worker_app):
    parser = worker_app.extensions["kharita.parser"]
    started = time.perf_counter()
    with pytest.raises(ParseTimeoutError, match="PARSE_TIMEOUT"):
        parser.parse(ParseRequest(text=NAMES * 3, lang="en"))
    assert time.perf_counter() - started < 10
    # the worker was replaced: once it has loaded its gazetteer, the next text parses
    _warm(parser)
    assert parser.parse(ParseRequest(text="Gao, Mali.", lang="en")).mentions


def test_the_form_shows_a_page_that_waits_then_reports_the_failure(worker_app):
    client = worker_app.test_client()
    worker_app.config["PARSE_WAIT"] = 0.1
    try:
        response = client.post("/documents", data={"text": NAMES * 3, "lang": "en"})
    finally:
        worker_app.config["PARSE_WAIT"] = 30
    assert response.status_code == 303 and "/jobs/j" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert page.status_code == 202 and 'http-equiv="refresh"' in page.get_data(as_text=True)
    deadline = time.time() + 30
    while page.status_code == 202 and time.time() < deadline:
        time.sleep(0.5)
        page = client.get(response.headers["Location"])
    assert page.status_code == 422 and "PARSE_TIMEOUT" in page.get_data(as_text=True)


def fill(parser) -> list:
    """Submit slow texts until the parser refuses one; return the accepted futures."""
    futures = []
    try:
        for _ in range(10):
            futures.append(parser.submit(ParseRequest(text=NAMES, lang="en")))
    except ParserBusyError:
        return futures
    raise AssertionError("ten texts were queued without a refusal")


def test_a_full_queue_is_a_503_and_records_nothing(worker_app):
    parser = worker_app.extensions["kharita.parser"]
    client = worker_app.test_client()
    with worker_app.app_context():
        before = get_store().count_documents(private=True), get_store().count_maps(private=True)
    futures, statuses = [], []
    for _ in range(5):  # a slot may free itself between filling and asking: try again
        futures += fill(parser)
        time.sleep(0.3)  # let the worker thread take its first text, then top the queue up
        futures += fill(parser)
        response = client.post("/api/v1/documents", json={"text": "Gao"})
        statuses.append(response.status_code)
        if response.status_code == 503:
            break
    assert statuses[-1] == 503 and response.headers["Retry-After"], statuses
    for future in futures:
        future.exception()  # wait; each one times out or finishes
    with worker_app.app_context():
        after = get_store().count_documents(private=True), get_store().count_maps(private=True)
    assert after[0] - before[0] == statuses.count(201)  # nothing for the refused one


def test_unfinished_jobs_are_parsed_when_the_app_starts_again(tmp_path):
    first = make(tmp_path, PARSE_WORKERS=0)
    with first.app_context():
        job = get_store().create_job(text=TEXT_EN, title="Left over", lang="en")
    first.extensions["kharita.store"].close()
    again = make(tmp_path, PARSE_WORKERS=0)  # the restart finds the queued job
    with again.app_context():
        done = get_store().get_job(job.id)
        assert done.status == "done" and done.document_id
        assert get_store().get_document(done.document_id).title == "Left over"


def test_reads_stay_fast_while_eight_large_texts_are_parsed(tmp_path):
    """Eight big form posts at once on an 8-thread server: an unrelated read still answers."""
    app = make(tmp_path, PARSE_WORKERS=1, PARSE_TIMEOUT=60, PARSE_WAIT=1)
    server = LiveServer(app)
    try:
        app.extensions["kharita.parser"].start()
        body = urllib.parse.urlencode({"text": NAMES, "lang": "en"}).encode()

        def post(_):
            request = urllib.request.Request(server.url + "/documents", data=body)
            with urllib.request.urlopen(request, timeout=120) as answer:
                return answer.status

        with ThreadPoolExecutor(8) as pool:
            posts = [pool.submit(post, n) for n in range(8)]
            time.sleep(1.0)
            started = time.perf_counter()
            with urllib.request.urlopen(server.url + "/ogc/conformance", timeout=30) as read:
                assert read.status == 200
            waited = time.perf_counter() - started
            statuses = [p.result() for p in posts]
        assert waited < 2.0, f"a read waited {waited:.1f} s behind the parses"
        assert all(status in (200, 202) for status in statuses), statuses
    finally:
        server.close()
        app.extensions["kharita.parser"].close()
        app.extensions["kharita.store"].close()

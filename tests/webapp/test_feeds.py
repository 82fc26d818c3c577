"""Feeds read by the real worker from a loopback server serving feeds the tests write.

New items, repeats, a feed going down and coming back, a malformed feed, a 50 MB item and a
binary one; the worker as a thread of this process and as the ``kharita worker`` command,
stopped and started again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import pytest

from tests.webapp.stored import token_app
from webapp.feeds import parse_every, retry_in, run_worker
from webapp.store import FeedRecord, get_store

REPORTS = {
    "fr": "Le 3 mars 2024, des hommes armés du JNIM ont attaqué un camp militaire à Ménaka.",
    "en": "On 12 March 2024, ISGS fighters attacked a convoy near Gao, killing 7 soldiers.",
    "ar": "في 20 مارس 2024 هاجم مسلحون معسكرا للجيش في كيدال.",
}
BIG = 50 * 1024 * 1024


class FeedServer:
    """A loopback HTTP server whose answers the test sets (``routes``) and counts (``hits``)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes | int]] = {}
        self.hits: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # a body without Content-Length ends with the connection

            def do_GET(self) -> None:
                server.hits[self.path] += 1
                status, kind, body = server.routes.get(self.path, (404, "text/plain", b"gone"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if isinstance(body, bytes):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if isinstance(body, int):  # a huge body, streamed, length not announced
                        chunk = b"<p>" + b"x" * 65530 + b"</p>"
                        for _ in range(body // len(chunk)):
                            self.wfile.write(chunk)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the reader stopped at its limit

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def page(self, path: str, text: str, title: str = "Report") -> None:
        html = (f"<html><head><title>{escape(title)}</title><script>var x = 1;</script></head>"
                f"<body><nav>Home · World</nav><article><h1>{escape(title)}</h1>"
                f"<p>{escape(text)}</p></article></body></html>")
        self.routes[path] = (200, "text/html; charset=utf-8", html.encode("utf-8"))

    def rss(self, path: str, items: list[tuple[str, str, date]]) -> None:
        entries = "".join(
            f"<item><title>{escape(title)}</title><link>{self.url}{link}</link>"
            f"<pubDate>{format_datetime(datetime(d.year, d.month, d.day, 8, tzinfo=UTC))}"
            f"</pubDate></item>" for title, link, d in items)
        body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Sahel</title><link>{self.url}/</link>{entries}</channel></rss>")
        self.routes[path] = (200, "application/rss+xml", body.encode("utf-8"))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    found = FeedServer()
    yield found
    found.close()


@pytest.fixture
def app(tmp_path):
    return token_app(tmp_path, FEED_POLL=0.1, FEED_TIMEOUT=5)


@pytest.fixture
def map_id(app) -> str:
    with app.app_context():
        return get_store().create_map(title="Followed", document_ids=[]).id


class Worker:
    """The real worker loop in a thread of this process."""

    def __init__(self, app) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=run_worker, args=(app,),
                                       kwargs={"stop": self.stop}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


@pytest.fixture
def worker(app):
    running = Worker(app)
    yield running
    running.close()


def wait_until(check, timeout: float = 40.0, what: str = "the worker"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what} did not get there in {timeout} s")


def feed_state(app, feed_id: str) -> FeedRecord:
    with app.app_context():
        found = get_store().get_feed(feed_id)
    assert found is not None
    return found


def items(app, feed_id: str) -> dict[str, dict]:
    with app.app_context():
        return {i["key"]: i for i in get_store().feed_items(feed_id)}


def map_documents(app, map_id: str) -> list:
    with app.app_context():
        store = get_store()
        return store.map_documents(store.get_map(map_id))


def test_new_items_repeats_and_republished_texts(app, server, map_id, worker) -> None:
    server.page("/a/1", REPORTS["fr"], "Attaque à Ménaka")
    server.page("/a/2", REPORTS["en"], "Convoy attacked near Gao")
    server.rss("/feed.xml", [("Attaque à Ménaka", "/a/1", date(2024, 3, 4)),
                             ("Convoy attacked near Gao", "/a/2", date(2024, 3, 13))])
    with app.app_context():
        feed = get_store().follow(map_id, server.url + "/feed.xml", every=1)
    docs = wait_until(lambda: len(map_documents(app, map_id)) == 2 and map_documents(app, map_id))
    assert {(d.title, d.published, d.source_url) for d in docs} == {
        ("Attaque à Ménaka", date(2024, 3, 4), server.url + "/a/1"),
        ("Convoy attacked near Gao", date(2024, 3, 13), server.url + "/a/2")}
    text = next(d.text for d in docs if d.title == "Attaque à Ménaka")
    assert "JNIM" in text and "var x" not in text and "Home" not in text  # the article only

    # a new item, the old ones again, and the French text again under another address
    server.page("/a/3", REPORTS["ar"], "هجوم في كيدال")
    server.page("/copy/1", REPORTS["fr"], "Attaque à Ménaka")  # the same page, copied
    server.rss("/feed.xml", [("هجوم في كيدال", "/a/3", date(2024, 3, 21)),
                             ("Attaque à Ménaka (reprise)", "/copy/1", date(2024, 3, 5)),
                             ("Attaque à Ménaka", "/a/1", date(2024, 3, 4)),
                             ("Convoy attacked near Gao", "/a/2", date(2024, 3, 13))])
    wait_until(lambda: len(items(app, feed.id)) == 4)
    found = items(app, feed.id)
    assert found[server.url + "/copy/1"]["status"] == "duplicate"
    assert found[server.url + "/a/3"]["status"] == "stored"
    assert len(map_documents(app, map_id)) == 3
    time.sleep(1.5)  # another run or two: nothing is fetched again
    assert [server.hits[p] for p in ("/a/1", "/a/2", "/a/3", "/copy/1")] == [1, 1, 1, 1]
    assert server.hits["/feed.xml"] >= 3
    with app.app_context():  # the map now draws the reports: an attack in Ménaka
        layers = get_store().map_layers(get_store().get_map(map_id))
    assert "attacks" in layers


def test_a_feed_down_is_retried_with_backoff_and_comes_back(app, server, map_id,
                                                           worker) -> None:
    server.routes["/feed.xml"] = (503, "text/plain", b"maintenance")
    with app.app_context():
        feed = get_store().follow(map_id, server.url + "/feed.xml", every=1)
    state = wait_until(lambda: (s := feed_state(app, feed.id)).failures >= 2 and s)
    assert "HTTP 503" in state.last_error
    assert state.next_run - state.last_run >= timedelta(seconds=3.9)  # 1 s doubled, twice
    server.page("/a/1", REPORTS["en"], "Convoy")
    server.rss("/feed.xml", [("Convoy", "/a/1", date(2024, 3, 13))])
    state = wait_until(lambda: (s := feed_state(app, feed.id)).failures == 0 and s,
                       timeout=60)
    assert state.last_error is None
    assert len(map_documents(app, map_id)) == 1


def test_malformed_huge_and_binary_do_not_stop_the_rest(app, server, map_id, worker) -> None:
    server.routes["/broken.xml"] = (200, "application/rss+xml", b"<rss><channel><item><title>")
    server.routes["/big"] = (200, "text/html", BIG)
    server.routes["/photo"] = (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    server.page("/a/1", REPORTS["fr"], "Ménaka")
    server.rss("/feed.xml", [("Huge", "/big", date(2024, 3, 1)),
                             ("Photo", "/photo", date(2024, 3, 2)),
                             ("Ménaka", "/a/1", date(2024, 3, 4))])
    with app.app_context():
        broken = get_store().follow(map_id, server.url + "/broken.xml", every=1)
        good = get_store().follow(map_id, server.url + "/feed.xml", every=1)
    wait_until(lambda: len(items(app, good.id)) == 3)
    found = items(app, good.id)
    assert found[server.url + "/big"]["status"] == "refused"
    assert "too large" in found[server.url + "/big"]["reason"]
    assert "binary" in found[server.url + "/photo"]["reason"]
    assert found[server.url + "/a/1"]["status"] == "stored"
    state = wait_until(lambda: (s := feed_state(app, broken.id)).last_error and s)
    assert state.last_error.startswith("malformed feed")
    assert feed_state(app, good.id).last_error is None


@pytest.mark.slow  # two worker processes, each loading the gazetteer
def test_the_worker_command_survives_a_restart(app, server, map_id, tmp_path) -> None:
    server.page("/a/1", REPORTS["fr"], "Ménaka")
    server.rss("/feed.xml", [("Ménaka", "/a/1", date(2024, 3, 4))])
    env = {**os.environ, "KHARITA_DATABASE_URL": app.config["DATABASE_URL"],
           "KHARITA_PARSE_WORKERS": "0", "KHARITA_FEED_POLL": "0.2",
           "KHARITA_DEMO_MAP": "false"}
    kharita = [sys.executable, "-c", "from webapp.cli import main; main()"]
    followed = subprocess.run([*kharita, "follow", map_id, server.url + "/feed.xml",
                               "--every", "10s"], env=env, capture_output=True, text=True,
                              timeout=120)
    assert followed.returncode == 0, followed.stderr
    feed_id = followed.stdout.split(":")[0]

    def start() -> subprocess.Popen:
        return subprocess.Popen([*kharita, "worker"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    first = start()
    try:
        wait_until(lambda: len(map_documents(app, map_id)) == 1, timeout=90)
    finally:
        first.terminate()
        first.wait(timeout=30)
    assert first.returncode == 0  # SIGTERM: the run in hand finished, its lease released
    with app.app_context():
        assert get_store().get_feed(feed_id).failures == 0
    server.page("/a/2", REPORTS["en"], "Gao")
    server.rss("/feed.xml", [("Gao", "/a/2", date(2024, 3, 13)),
                             ("Ménaka", "/a/1", date(2024, 3, 4))])
    second = start()  # a new process carries on from the table
    try:
        wait_until(lambda: len(map_documents(app, map_id)) == 2, timeout=90)
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert server.hits["/a/1"] == 1
    assert set(items(app, feed_id)) == {server.url + "/a/1", server.url + "/a/2"}


def test_following_a_folder_into_a_private_map(app, tmp_path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "menaka.html").write_text(f"<p>{REPORTS['fr']}</p>", encoding="utf-8")
    (folder / "kidal.txt").write_text(REPORTS["ar"], encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    with app.app_context():
        map_id = get_store().create_map(title="Desk", document_ids=[], public=False).id
        feed = get_store().follow(map_id, str(folder), every=60)
    running = Worker(app)
    try:
        wait_until(lambda: len(items(app, feed.id)) == 2)
    finally:
        running.close()
    with app.app_context():
        store = get_store()
        docs = store.map_documents(store.get_map(map_id, private=True), private=True)
        assert store.count_documents() == 0  # a private map's reports are private too
    assert {d.title for d in docs} == {"menaka", "kidal"}
    assert not any(d.public for d in docs)


@pytest.mark.parametrize(("raw", "seconds"), [("15m", 900), ("1h", 3600), ("30s", 30),
                                              ("2", 120), ("1d", 86400)])
def test_every(raw, seconds) -> None:
    assert parse_every(raw) == seconds


@pytest.mark.parametrize("raw", ["", "soon", "5s", "-1m", "1w"])
def test_every_refuses(raw) -> None:
    with pytest.raises(ValueError, match="every"):
        parse_every(raw)


def test_backoff_doubles_up_to_the_limit() -> None:
    feed = FeedRecord(id="f", map_id="m", source="x", every=60, next_run=datetime.now(),
                      failures=3, last_run=None, last_error="down")
    assert retry_in(feed, None, 3600) == timedelta(seconds=60)
    assert retry_in(feed, "down", 3600) == timedelta(seconds=960)
    assert retry_in(feed, "down", 600) == timedelta(seconds=600)


def test_the_map_page_form_follows_a_feed(client, map_id) -> None:
    answer = client.post(f"/maps/{map_id}/feeds", data={"url": "https://news.example/rss",
                                                        "every": "30m"},
                         headers={"Authorization": "Bearer s3cret-token"})
    assert answer.status_code == 303
    page = client.get(f"/maps/{map_id}", headers={"Authorization": "Bearer s3cret-token"})
    assert b"https://news.example/rss" in page.data and b'data-feed="f' in page.data


@pytest.mark.parametrize(("form", "message"), [
    ({"url": "file:///etc/passwd"}, "url"),
    ({"url": "/tmp"}, "url"),  # folders only from the command line
    ({"url": "https://news.example/rss", "every": "now"}, "every"),
])
def test_the_form_refuses_bad_input(client, map_id, form, message) -> None:
    answer = client.post(f"/maps/{map_id}/feeds", data=form,
                         headers={"Authorization": "Bearer s3cret-token"})
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)


def test_only_the_owner_follows(client, map_id) -> None:
    answer = client.post(f"/maps/{map_id}/feeds", data={"url": "https://news.example/rss"})
    assert answer.status_code == 403
    assert b"feed-form" not in client.get(f"/maps/{map_id}").data


def test_unknown_map_is_a_404(client) -> None:
    answer = client.post("/maps/m0000000000/feeds", data={"url": "https://news.example/rss"},
                         headers={"Authorization": "Bearer s3cret-token"})
    assert answer.status_code == 404



def test_the_api_follows_and_lists_feeds(client, map_id) -> None:
    auth = {"Authorization": "Bearer s3cret-token"}
    answer = client.post(f"/api/v1/maps/{map_id}/feeds", headers=auth,
                         json={"url": "https://news.example/rss", "every": "1h"})
    assert answer.status_code == 201, answer.json
    assert (answer.json["feed"]["url"], answer.json["feed"]["every"]) == (
        "https://news.example/rss", 3600)
    listed = client.get(f"/api/v1/maps/{map_id}/feeds", headers=auth).json["feeds"]
    assert [(f["url"], f["failures"], f["last_error"], f["stored"]) for f in listed] == [
        ("https://news.example/rss", 0, None, 0)]
    assert client.get(f"/api/v1/maps/{map_id}/feeds").status_code == 401
    bad = client.post(f"/api/v1/maps/{map_id}/feeds", headers=auth, json={"url": "ftp://x"})
    assert bad.status_code == 400 and "url" in bad.json["error"]

"""flaskr-style fixtures: ``app`` (tmp database, no demo), ``client``, ``runner``.

``postgres_url`` gives a fresh database on a throwaway PostgreSQL cluster
(started once per session) for the tests that run the store on PostgreSQL.

The texts here are written for these tests (never taken from the seed or the
evaluation corpora) and go through the real geo pipeline.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from itertools import count
from pathlib import Path

import pytest

from tests.webapp.stored import seed
from webapp import create_app
from webapp.ingest import Submission, ingest
from webapp.store import Store, get_store

TEXT_EN = (
    "Armed groups still hold the area around Kidal in northern Mali, officials said.\n"
    "Hundreds of refugees crossed from Mali into Niger last week.\n"
    "Ministers from Algeria and Mauritania met in Nouakchott on Monday."
)
TEXT_FR = (
    "Des groupes armés contrôlent toujours la région de Kidal, dans le nord du Mali.\n"
    "Des centaines de réfugiés ont fui vers le Niger."
)
TEXT_AR = (
    "قالت مصادر محلية إن جماعات مسلحة ما زالت تسيطر على مدينة كيدال في شمال مالي.\n"
    "وفر مئات اللاجئين من مالي إلى النيجر، فيما اجتمع وزراء من الجزائر وموريتانيا في نواكشوط."
)
XSS_TEXT = (
    'Fighting near Gao <img src=x onerror="window.__xss=1"> was reported '
    "<script>window.__xss=2</script> by residents of Mali."
)


@pytest.fixture
def app(tmp_path, request):
    """An app on a fresh SQLite file, without the demo map.

    Form posts skip the CSRF check here (flask-wtf's test switch); tests/webapp/
    test_security.py and the browser tests run with it on.
    ``KHARITA_TEST_DATABASE=postgres`` (or ``postgres-plain``, without PostGIS) puts it
    on a fresh PostgreSQL database instead, to run a whole test file on that backend.
    """
    app = create_app(
        {"TESTING": True, "DATABASE_URL": app_database_url(tmp_path, request),
         "DEMO_MAP": False, "PARSE_WORKERS": 0, "WTF_CSRF_ENABLED": False}
    )
    yield app
    app.extensions["kharita.store"].close()


def app_database_url(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The ``app`` fixture's database: SQLite unless ``KHARITA_TEST_DATABASE`` says otherwise."""
    backend = os.environ.get("KHARITA_TEST_DATABASE", "sqlite")
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'kharita.db'}"
    if backend not in ("postgres", "postgres-plain"):
        pytest.fail(f"KHARITA_TEST_DATABASE should be sqlite, postgres or postgres-plain, "
                    f"got {backend!r}")
    cluster = request.getfixturevalue("postgres_cluster")
    return cluster.create_database(postgis=backend == "postgres")


@pytest.fixture
def client(app):
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def ids(app):
    """Ids of the hand-made documents and maps of :func:`tests.webapp.stored.seed`."""
    with app.app_context():
        return seed(get_store())


@pytest.fixture
def runner(app):
    """A CLI runner of ``app``."""
    return app.test_cli_runner()


@pytest.fixture
def document(app):
    """An English document stored through the real pipeline (with its own map)."""
    with app.app_context():
        return ingest(get_store(), Submission(text=TEXT_EN, title="Test report", lang="en"))


def sample_result(text: str = TEXT_EN) -> tuple[list[dict], dict[str, dict]]:
    """A tiny hand-made parse result over ``text`` (mentions and two layers)."""
    start = text.index("Kidal")
    place = {"id": "gn:2455290", "name": "Kidal", "names": {"ar": "كيدال", "fr": "Kidal"},
             "type": "city", "country": "ML", "lat": 18.44, "lon": 1.41, "bbox": None}
    mentions = [{"start": start, "end": start + 5, "surface": "Kidal", "kind": "toponym",
                 "place": place, "precision": 1, "confidence": 0.9, "sentence": [0, 80]},
                {"start": 0, "end": 5, "surface": text[:5], "kind": "toponym", "place": None,
                 "precision": None, "confidence": 0.0, "sentence": [0, 80], "reason": "no match"}]
    evidence = [{"start": 0, "end": 80, "text": text[:80]}]
    mention_layer = {
        "type": "FeatureCollection", "bbox": [1.41, 18.44, 1.41, 18.44],
        "features": [{"type": "Feature", "bbox": [1.41, 18.44, 1.41, 18.44],
                      "geometry": {"type": "Point", "coordinates": [1.41, 18.44]},
                      "properties": {"layer": "mentions", "name": "Kidal", "confidence": 0.9,
                                     "precision": 1, "evidence": evidence, "trigger": "Kidal"}}],
    }
    zone = {
        "type": "FeatureCollection", "bbox": [-4.0, 15.0, 4.0, 20.0],
        "features": [{"type": "Feature", "bbox": [-4.0, 15.0, 4.0, 20.0],
                      "geometry": {"type": "Polygon", "coordinates": [
                          [[-4.0, 15.0], [4.0, 15.0], [4.0, 20.0], [-4.0, 20.0], [-4.0, 15.0]]]},
                      "properties": {"layer": "control_zones", "name": "northern Mali",
                                     "confidence": 0.7, "precision": 5, "evidence": evidence,
                                     "trigger": "hold", "actor": "armed groups"}}],
    }
    return mentions, {"mentions": mention_layer, "control_zones": zone}


@pytest.fixture
def stored(app):
    """A document stored directly (hand-made result, no geo run) with its own map."""
    mentions, layers = sample_result()
    with app.app_context():
        return get_store().add_document(text=TEXT_EN, title="Stored report", lang="en",
                                        mentions=mentions, layers=layers, map_title="Stored map")


# --- real browser ------------------------------------------------------------------------------
CHROMIUM = os.environ.get("KHARITA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class LiveServer:
    """A waitress server on a free loopback port, in a daemon thread."""

    def __init__(self, wsgi_app) -> None:
        from waitress.server import create_server

        self.server = create_server(wsgi_app, host="127.0.0.1", port=0, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        # The loop and every socket close on this one thread: closing them from another thread
        # while select() waits on them fails the loop with EBADF.
        sockets = self.server._map
        while not self._stopping.is_set():
            self.server.asyncore.loop(timeout=0.2, map=sockets, count=1)
        for channel in list(sockets.values()):
            channel.close()
        self.server.task_dispatcher.shutdown()

    def close(self) -> None:
        self._stopping.set()
        self.server.pull_trigger()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """One app for every browser test, on its own SQLite file."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'kharita.db'}", "DEMO_MAP": False,
                      "PARSE_WORKERS": 1})  # a real worker process, as `kharita serve` runs
    yield app
    app.extensions["kharita.parser"].close()
    app.extensions["kharita.store"].close()


@pytest.fixture(scope="session")
def live_server(live_app):
    """``live_app`` served by waitress on 127.0.0.1 (a real HTTP server, not the test client)."""
    server = LiveServer(live_app)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skipped (or failed on CI) when missing."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every URL it requests (``page.requested``)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.csp_violations = []  # what the Content-Security-Policy refused, from every frame
    page.on("console", lambda message: page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


# --- PostgreSQL ----------------------------------------------------------------------------------
def on_ci() -> bool:
    """Whether CI is set: then missing system packages fail the tests instead of skipping them."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(message: str) -> None:
    """Skip with ``message``, or fail when CI is set (those tests must run there)."""
    if on_ci():
        pytest.fail(message + " (CI is set, so these tests must run)")
    pytest.skip(message)


def postgres_bindir() -> Path | None:
    """Return the newest Debian PostgreSQL server bin dir (or ``KHARITA_PG_BINDIR``)."""
    if os.environ.get("KHARITA_PG_BINDIR"):
        return Path(os.environ["KHARITA_PG_BINDIR"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    """Return a TCP port nothing listens on (it only names the Unix socket here)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """A throwaway cluster: trust auth, Unix socket only, no fsync (tests only).

    PostgreSQL refuses to run as root, so as root every server command runs
    as the ``postgres`` system user (Debian's package creates it) in a
    directory that user owns.
    """

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="kharita-pg-"))
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres", "postgres")
        self.data, self.socket_dir, self.port = self.root / "data", self.root, free_port()
        self.names = count()

    def run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bindir / tool), *args], check=True,
                       capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        # C.UTF-8: byte order like C, but lower() and ILIKE know every script, as on a
        # server set up with a UTF-8 locale.
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync")
        options = (f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self.run("pg_ctl", "start", "-w", "-D", str(self.data), "-l",
                 str(self.root / "server.log"), "-o", options)

    def create_database(self, *, postgis: bool = True) -> str:
        """Create an empty database and return its SQLAlchemy URL.

        With ``postgis`` (and Debian's ``postgresql-<major>-postgis-3`` installed) the
        database gets the extension, as an administrator would give it: the store
        then answers bbox queries with PostGIS.
        """
        import psycopg

        name = f"kharita_{next(self.names)}"
        with psycopg.connect(host=str(self.socket_dir), port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
            available = conn.execute("SELECT 1 FROM pg_available_extensions "
                                     "WHERE name = 'postgis'").fetchone()
        if postgis and available:
            with psycopg.connect(host=str(self.socket_dir), port=self.port, user="postgres",
                                 dbname=name, autocommit=True) as conn:
                conn.execute("CREATE EXTENSION postgis")
        return f"postgresql+psycopg://postgres@/{name}?host={self.socket_dir}&port={self.port}"

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_cluster():
    """A PostgreSQL cluster for the session; skipped (or failed on CI) when missing."""
    bindir = postgres_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        where = bindir or "/usr/lib/postgresql/*/bin"
        skip_or_fail(f"PostgreSQL server not found (no {where}/initdb): "
                     "apt-get install -y postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        skip_or_fail("psycopg is not installed: pip install -e '.[test]'")
    cluster = PostgresCluster(bindir)
    try:
        cluster.start()
    except subprocess.CalledProcessError as error:
        cluster.stop()
        pytest.fail(f"could not start PostgreSQL: {error.stderr or error.stdout}")
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster) -> str:
    """The SQLAlchemy URL of a fresh, empty database on the session's cluster."""
    return postgres_cluster.create_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """The store on SQLite and on a real PostgreSQL database: the contract holds on both."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    yield store
    store.close()

"""``kharita`` console script: the library commands plus ``serve``."""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Any, TextIO

import click

from geo.cli import cli
from webapp import cli_users  # noqa: F401  (adds the `users` commands to cli)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
def serve_command(host: str, port: int) -> None:
    """Run the web app with a production WSGI server (waitress)."""
    from webapp import create_app, serve
    from webapp.views.setup import issue_token, setup_url

    app = create_app(serving=False)  # the set-up link is printed here, with the port
    click.echo(f"Kharita on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    if token := issue_token(app, replace=True):  # waitress: this process serves alone
        click.echo(f"No user exists yet. Make the first admin, from this machine, at\n"
                   f"    {setup_url(host, port, token)}", err=True)
    serve(app, host=host, port=port)


@cli.command("export-gold")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only documents corrected on or after this day (YYYY-MM-DD).")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=False), default="-",
              show_default=True, help="JSON-lines file to write.")
def export_gold_command(since: Any, output: TextIO) -> None:
    """Write corrected documents as evaluation gold (kharita eval, kharita eval --events).

    Reads the store ``kharita serve`` uses (``instance/config.py`` and the
    ``KHARITA_*`` variables) without starting the web app.
    """
    from flask import Flask

    from geo.gazetteer import get_gazetteer
    from webapp.gold import gold_documents, write_gold
    from webapp.settings import defaults
    from webapp.store import Store, default_url

    app = Flask("webapp", instance_relative_config=True)
    app.config.from_mapping(defaults())
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("KHARITA")
    store = Store(app.config.get("DATABASE_URL") or default_url(app))
    try:
        count = write_gold(gold_documents(store, get_gazetteer(),
                                          since=since.date() if since else None), output)
    finally:
        store.close()
    click.echo(f"{count} corrected document(s) written", err=True)


@cli.command("follow")
@click.argument("map_id")
@click.argument("source")
@click.option("--every", default="15m", show_default=True,
              help="Time between runs: 30s, 15m, 1h, 1d (a bare number is minutes).")
def follow_command(map_id: str, source: str, every: str) -> None:
    """Make map MAP_ID follow SOURCE: an RSS/Atom address or a folder of .html/.txt/.md files.

    The feed worker (`kharita worker`, started by `make run`) reads it at once, then
    every --every.
    """
    from geo.errors import InputError
    from webapp import create_app
    from webapp.feeds import check_source, parse_every
    from webapp.store import get_store

    try:
        seconds, checked = parse_every(every), check_source(source, folders=True)
    except InputError as error:
        raise click.UsageError(str(error)) from None
    with create_app(serving=False).app_context():
        try:
            feed = get_store().follow(map_id, checked, every=seconds)
        except LookupError as error:
            raise click.UsageError(str(error.args[0])) from None
    click.echo(f"{feed.id}: map {map_id} follows {checked} every {seconds}s")


@cli.command("worker")
@click.option("--once", is_flag=True, help="Run the feeds that are due once, then stop.")
def worker_command(once: bool) -> None:
    """Run the feed worker: read every followed feed when it is due (Ctrl+C to stop)."""
    from webapp import create_app
    from webapp.feeds import run_due, run_worker

    app = create_app(serving=False)
    if once:
        with app.app_context():
            click.echo(f"{run_due(app)} feed(s) run")
        return
    click.echo("Kharita feed worker (Ctrl+C to stop)", err=True)
    stop = threading.Event()
    # SIGTERM (make run's exit, a service manager) lets the current feed finish and release
    # its lease; a worker killed mid-run holds it until webapp.feeds.LEASE has passed.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        run_worker(app, stop=stop)


def main() -> None:
    """Console entry point."""
    cli()

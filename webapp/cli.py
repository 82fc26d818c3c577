"""``kharita`` console script: the library commands plus ``serve``."""

from __future__ import annotations

import contextlib
import signal
import threading

import click

from geo.cli import cli


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
def serve_command(host: str, port: int) -> None:
    """Run the web app with a production WSGI server (waitress)."""
    from webapp import create_app, serve

    app = create_app()
    click.echo(f"Kharita on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    serve(app, host=host, port=port)


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
    with create_app().app_context():
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

    app = create_app()
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

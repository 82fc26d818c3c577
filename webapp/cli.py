"""``kharita`` console script: the library commands plus ``serve``."""

from __future__ import annotations

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

    app = create_app()
    click.echo(f"Kharita on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
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


def main() -> None:
    """Console entry point."""
    cli()

"""``kharita`` console script: the library commands plus ``serve``."""

from __future__ import annotations

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


def main() -> None:
    """Console entry point."""
    cli()

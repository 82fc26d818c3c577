"""Kharita's web app: paste a report, get a map; downloads, embeds, APIs.

``flask --app webapp run`` finds :func:`create_app`; ``kharita serve`` calls
:func:`serve`. Nothing here runs at import time.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None, *, startup: bool = True,
               serving: bool = True) -> Flask:
    """Create and configure a Kharita app (flaskr-style factory).

    ``startup=False`` skips the first-start work (the demo map, resuming parse
    jobs, the set-up link): what a command that only manages the store wants.
    ``serving=False`` skips only the set-up link, which only a web server's
    console should show (``kharita serve`` prints it with its own port).
    """
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from webapp.settings import defaults, validate

    app.config.from_mapping(defaults())
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("KHARITA")
    else:
        app.config.from_mapping(test_config)
    validate(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    _register(app)
    from webapp import urls

    urls.init_app(app)
    if not startup:
        return app
    if app.config["DEMO_MAP"]:
        from webapp.demo import ensure_demo

        ensure_demo(app)
    from webapp.ingest import resume

    resume(app)  # texts a stopped server had not parsed yet
    if serving:
        from webapp.views.setup import announce_token

        announce_token(app)  # while no user exists: the /setup link for this console
    return app


def _register(app: Flask) -> None:
    """Attach resources, blueprints, error handlers and response headers."""
    from webapp import (
        access,
        api,
        assets,
        basemap,
        compression,
        errors,
        gazetteer_search,
        headers,
        i18n,
        inputs,
        ogc,
        parsing,
        render_cache,
        store,
    )
    from webapp.api import corrections as corrections_api
    from webapp.views import accounts as account_pages
    from webapp.views import (
        admin,
        corrections,
        documents,
        embeds,
        feeds,
        home,
        jobs,
        maps,
        publishing,
        session,
        setup,
    )
    from webapp.views.common import IdConverter

    app.url_map.converters["kid"] = IdConverter
    compression.init_app(app)  # first: after_request hooks run in reverse, so it runs last
    store.init_app(app)
    inputs.init_app(app)  # before access: it reads the raw body before the CSRF check parses it
    access.init_app(app)
    parsing.init_app(app)
    gazetteer_search.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    render_cache.init_app(app)
    for blueprint in (
        assets.bp, basemap.bp, home.bp, session.bp, account_pages.bp, admin.bp, documents.bp,
        jobs.bp, maps.bp, publishing.bp, embeds.bp, api.bp, ogc.bp, corrections.bp,
        corrections_api.bp, feeds.bp, setup.bp,
    ):
        app.register_blueprint(blueprint)
    access.csrf.exempt(api.bp)  # JSON bodies only: see webapp.access
    access.csrf.exempt(corrections_api.bp)
    access.csrf.exempt(ogc.bp)  # read-only


def serve(app: Flask, host: str = "127.0.0.1", port: int = 5000, *, threads: int = 8) -> None:
    """Serve ``app`` with waitress (used by ``kharita serve``)."""
    from waitress import serve as waitress_serve

    from webapp.parsing import EXTENSION

    app.extensions[EXTENSION].start()  # warm: the first paste should not wait for a worker
    log.info("Kharita on http://%s:%s/", host, port)
    waitress_serve(app, host=host, port=port, threads=threads)

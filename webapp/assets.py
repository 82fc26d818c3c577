"""Leaflet and friends served from the installed XStatic packages (no CDN).

``/assets/<package>/<path>`` serves a file of one of :data:`PACKAGES`;
``/assets/palette.css`` gives the text highlights their layer's colour from the
layers file, so a layer has one colour on the map, in the legend and in the text;
:func:`map_assets` lists the URLs the map builder wires into folium in place
of its CDN defaults, so a map renders with the network cable pulled.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    request,
    send_from_directory,
    url_for,
)

from webapp.map_builder import MapAssets
from webapp.styles import layer_order, layer_style

bp = Blueprint("assets", __name__, url_prefix="/assets")

#: URL name -> XStatic module (``xstatic.pkg.<module>``).
PACKAGES = {
    "leaflet": "leaflet",
    "jquery": "jquery",
    "font-awesome": "font_awesome",
    "leaflet-markercluster": "leaflet_markercluster",
    "leaflet-gesturehandling": "leaflet_gesturehandling",
}
ONE_DAY = 24 * 3600
#: The timeline's slider (noUiSlider, from npm through ``scripts/vendor-js.sh``).
SLIDER_SCRIPT = "vendor/nouislider/nouislider.min.js"
SLIDER_STYLE = "vendor/nouislider/nouislider.min.css"


def package_dir(package: str) -> Path:
    """Return the data folder of an XStatic package (KeyError if not served)."""
    module = importlib.import_module(f"xstatic.pkg.{PACKAGES[package]}")
    return Path(module.BASE_DIR)


@bp.get("/<package>/<path:filename>")
def show(package: str, filename: str):
    """Serve one file of an XStatic package."""
    if package not in PACKAGES:
        abort(404, description=f"unknown asset package {package!r}")
    return send_from_directory(package_dir(package), filename, max_age=ONE_DAY)


@bp.get("/palette.css")
def palette():
    """Serve the highlight colour of each layer (its stroke colour on the map)."""
    rules = [f'.mention[data-layer="{layer}"] {{ border-bottom-color: '
             f'{layer_style(layer).stroke}; }}' for layer in layer_order()]
    response = Response("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = ONE_DAY
    return response.make_conditional(request)


def slider_installed() -> bool:
    """Whether noUiSlider was installed by ``scripts/vendor-js.sh`` (else the timeline uses
    the browser's range input)."""
    return (Path(current_app.static_folder or "") / SLIDER_SCRIPT).is_file()


def map_assets(*, gesture_handling: bool, admin1: bool) -> MapAssets:
    """Return the local asset URLs a map page needs (call inside a request)."""
    js = [
        ("leaflet", url_for("assets.show", package="leaflet", filename="leaflet.js")),
        ("kharita_map", url_for("static", filename="kharita-map.js")),
        ("kharita_finder", url_for("static", filename="kharita-finder.js")),
        ("kharita_export", url_for("static", filename="kharita-export.js")),
        ("kharita_timeline", url_for("static", filename="kharita-timeline.js")),
    ]
    css = [
        ("leaflet_css", url_for("assets.show", package="leaflet", filename="leaflet.css")),
        ("kharita_map_css", url_for("static", filename="kharita-map.css")),
        ("kharita_timeline_css", url_for("static", filename="kharita-timeline.css")),
    ]
    if slider_installed():  # before the timeline's script, which builds on it
        js.insert(-1, ("nouislider", url_for("static", filename=SLIDER_SCRIPT)))
        css.insert(-1, ("nouislider_css", url_for("static", filename=SLIDER_STYLE)))
    if gesture_handling:
        name = "leaflet-gesturehandling"
        js.append(("gesture", url_for("assets.show", package=name,
                                      filename="leaflet-gesture-handling.min.js")))
        css.append(("gesture_css", url_for("assets.show", package=name,
                                           filename="leaflet-gesture-handling.min.css")))
    return MapAssets(
        js=js,
        css=css,
        countries_url=url_for("basemap.show", name="countries"),
        labels_url=url_for("basemap.show", name="labels"),
        admin1_url=url_for("basemap.show", name="admin1") if admin1 else None,
    )

"""Layer styles, titles and drawing order from ``geo/data/layers.yaml``.

The file belongs to the layers work and is read (and schema-checked) by
:func:`geo.layers.layer_specs`; ``style`` there holds Leaflet path options.
A layer the file does not list, or a file that fails its check, falls back
to a built-in grey style and a title made from the id: a new layer still
draws, it never breaks a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geo.errors import LayerError

FALLBACK_COLOR = "#555555"
#: Leaflet path options a style may set (anything else in the file is ignored).
PATH_OPTIONS = ("color", "weight", "opacity", "fillColor", "fillOpacity", "dashArray",
                "lineCap", "lineJoin")


@dataclass(frozen=True, slots=True)
class LayerStyle:
    """How one layer is drawn and named."""

    layer: str
    label: str
    order: int
    path: Mapping[str, Any] = field(default_factory=dict)
    radius: float = 6.0
    description: str = ""
    arrow: bool = False  # lines end in an arrowhead (flows run from origin to destination)

    @property
    def color(self) -> str:
        """The layer's main colour (legend swatch)."""
        return str(self.path.get("fillColor") or self.path.get("color") or FALLBACK_COLOR)

    @property
    def stroke(self) -> str:
        """The colour of the layer's outlines and lines (the legend swatch's border): it must
        stand out from the legend's white at 3:1 (WCAG non-text contrast)."""
        return str(self.path.get("color") or FALLBACK_COLOR)

    def path_options(self) -> dict[str, Any]:
        """Return Leaflet path options for polygons and lines."""
        return {"color": FALLBACK_COLOR, **self.path}

    def marker_options(self) -> dict[str, Any]:
        """Return circle-marker options (points are drawn more opaque)."""
        stroke = self.path.get("color", FALLBACK_COLOR)
        return {"color": stroke, "fill_color": self.path.get("fillColor", stroke),
                "fill_opacity": 0.85}


@lru_cache(maxsize=1)
def specs() -> dict[str, Any]:
    """Return ``{layer_id: LayerSpec}`` from the layers file ({} if it fails its check)."""
    try:
        from geo.layers import layer_specs

        return {spec.id: spec for spec in layer_specs()}
    except (ImportError, OSError, LayerError):
        return {}


def layer_order() -> tuple[str, ...]:
    """Return every known layer id in drawing order (areas first, points last)."""
    return tuple(specs())


def layer_style(layer: str, lang: str = "en") -> LayerStyle:
    """Return the style of ``layer`` with its title in UI language ``lang``."""
    spec = specs().get(layer)
    if spec is None:
        return LayerStyle(layer=layer, label=layer.replace("_", " ").capitalize(), order=999)
    style = spec.style if isinstance(spec.style, Mapping) else {}
    path = {k: style[k] for k in PATH_OPTIONS if k in style}
    radius = style.get("radius", 6.0)
    return LayerStyle(
        layer=layer,
        label=spec.title.get(lang) or spec.title.get("en") or layer,
        order=int(spec.order),
        path=path,
        radius=float(radius) if isinstance(radius, int | float) else 6.0,
        description=spec.description,
        arrow=style.get("arrow") is True,
    )

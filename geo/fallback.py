"""Ask a geopy geocoder about the mentions the offline gazetteer could not place.

Off unless a geocoder is passed to :func:`geo.geoparse`: Kharita never touches
the network by default. The usual geocoder is
:func:`geo.geocoder.make_geocoder` with an online fallback (a self-hosted
Nominatim, Pelias or Photon), which rate-limits and caches its answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace

from geopy.exc import GeopyError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.records import PRECISION_NEAR, Mention, Place

#: Misses worth asking about: names, not "the south of the country".
ASKABLE = "not in the offline gazetteer"


def resolve_misses(mentions: Iterable[Mention], geocoder: Geocoder) -> list[Mention]:
    """Return ``mentions`` with gazetteer misses resolved by ``geocoder`` where it can.

    A failing service leaves the miss in place with the service's error in
    its ``reason``; nothing raises.
    """
    out: list[Mention] = []
    for mention in mentions:
        if mention.place is not None or not (mention.reason or "").startswith(ASKABLE):
            out.append(mention)
            continue
        out.append(_ask(mention, geocoder))
    return out


def _ask(mention: Mention, geocoder: Geocoder) -> Mention:
    """One geocoder query for one missed mention."""
    try:
        location = geocoder.geocode(mention.surface, exactly_one=True)
    except GeopyError as exc:
        return replace(mention, reason=f"{mention.reason}; online geocoder failed: {exc}")
    if not isinstance(location, Location):
        return replace(mention, reason=f"{mention.reason}; online geocoder found nothing")
    return replace(mention, place=_place(location), precision=PRECISION_NEAR, confidence=0.5,
                 reason=None)


def _place(location: Location) -> Place:
    """A Place record for a geocoder answer (its own stable id)."""
    digest = hashlib.sha1(f"{location.latitude:.5f},{location.longitude:.5f},"
                          f"{location.address}".encode()).hexdigest()[:12]
    return Place(id=f"geocoder:{digest}", name=str(location.address), type="place",
                 lat=float(location.latitude), lon=float(location.longitude),
                 source="online geocoder fallback")

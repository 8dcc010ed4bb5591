"""The partner map: markers placed on the outlines that scripts/build_map.mjs drew from
Natural Earth (static/map/), with the projection the script wrote beside them. Everything is
drawn on the server: the page needs no JavaScript, no tile server and nothing from outside.
"""

import functools
import json
import math
from dataclasses import dataclass

from django.conf import settings

PROJECTION_FILE = settings.BASE_DIR / "static" / "map" / "projection.json"


@functools.cache
def maps() -> dict:
    """Per map (world, europe): width, height, scale and translate, as the script drew it."""
    return json.loads(PROJECTION_FILE.read_text(encoding="utf-8"))["maps"]


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I, in radians: d3-geo's geoNaturalEarth1Raw, term for term."""
    phi2 = lat * lat
    phi4 = phi2 * phi2
    x = lon * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = lat * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


def project(latitude, longitude, map_name: str) -> tuple[float, float]:
    """Where a point (degrees) lies on a map, in the SVG's own units: d3's projection with
    the script's scale and translate (no rotation), so x = tx + k·X and y = ty − k·Y."""
    spec = maps()[map_name]
    x, y = natural_earth(math.radians(float(longitude)), math.radians(float(latitude)))
    tx, ty = spec["translate"]
    return tx + spec["scale"] * x, ty - spec["scale"] * y


def frame_on(inset: str, map_name: str) -> tuple[float, float, float, float]:
    """The inset's frame drawn on another map: (x, y, width, height). Both maps are the same
    projection at another scale and offset, so a rectangle stays a rectangle."""
    a, b = maps()[inset], maps()[map_name]
    ratio = b["scale"] / a["scale"]

    def to_b(x: float, y: float) -> tuple[float, float]:
        return (
            b["translate"][0] + (x - a["translate"][0]) * ratio,
            b["translate"][1] + (y - a["translate"][1]) * ratio,
        )

    x0, y0 = to_b(0, 0)
    x1, y1 = to_b(a["width"], a["height"])
    return x0, y0, x1 - x0, y1 - y0


@dataclass
class Marker:
    number: int
    relation: object  # a BilateralPartner or an Organisation
    x: float
    y: float


def inside(point: tuple[float, float], map_name: str) -> bool:
    spec = maps()[map_name]
    return 0 <= point[0] <= spec["width"] and 0 <= point[1] <= spec["height"]


@dataclass
class PartnerMap:
    """The page's two maps for a numbered list of relations (partners and organisations
    with latitude and longitude): the world with the ones outside Europe numbered and the
    European ones as dots in the inset's frame, and the Europe inset with those numbered."""

    relations: list

    WORLD, INSET = "world", "europe"

    def __post_init__(self):
        self.world, self.world_dots, self.inset = [], [], []
        for number, relation in enumerate(self.relations, start=1):
            relation.map_number = number
            on_world = project(relation.latitude, relation.longitude, self.WORLD)
            on_inset = project(relation.latitude, relation.longitude, self.INSET)
            if inside(on_inset, self.INSET):
                self.inset.append(Marker(number, relation, *on_inset))
                self.world_dots.append(Marker(number, relation, *on_world))
            else:
                self.world.append(Marker(number, relation, *on_world))

    @property
    def world_spec(self) -> dict:
        return maps()[self.WORLD]

    @property
    def inset_spec(self) -> dict:
        return maps()[self.INSET]

    @property
    def inset_frame(self) -> tuple[float, float, float, float]:
        return frame_on(self.INSET, self.WORLD)

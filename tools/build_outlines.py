"""Build the shipped country outlines from the npm package ``world-atlas``, once.

The flow and scenario maps draw links over country outlines. The outlines are Natural Earth
admin-0 countries (public domain) as redistributed in TopoJSON by the npm package
``world-atlas`` (ISC licence). This script is run by a developer when the outlines are to be
rebuilt; nothing downloads at run time. It:

1. reads ``countries-50m.json`` from the ``world-atlas`` tarball (``npm pack world-atlas@2.0.2``
   unless ``--package`` names a tarball already on disk) and checks the tarball's SHA-256;
2. decodes the TopoJSON (quantized, delta-encoded arcs) in plain Python;
3. simplifies every *arc* once with Douglas-Peucker (shapely), so that a border shared by two
   countries stays one line after simplification (no slivers or gaps between neighbours);
4. builds each country's (multi)polygon, clips it to the region box (lon 25-90, lat 5-60) and
   drops rings that collapsed below three distinct points;
5. writes ``src/corridor/data/outlines/countries.geojson`` (RFC 7946, coordinates rounded)
   with ``name``, ``iso_n3`` and ``iso_a3`` (from ``pycountry``; blank where Natural Earth has
   no ISO code, e.g. Kosovo) for every country that meets the box.

Usage::

    python tools/build_outlines.py                       # npm pack, then build
    python tools/build_outlines.py --package /tmp/world-atlas-2.0.2.tgz
    python tools/build_outlines.py --check               # exit 1 if the shipped file differs
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pycountry
from shapely.geometry import LineString, MultiPolygon, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "corridor" / "data" / "outlines" / "countries.geojson"

PACKAGE = "world-atlas@2.0.2"
PACKAGE_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
MEMBER = "package/countries-50m.json"
BBOX_DEG = (25.0, 5.0, 90.0, 60.0)  # lon_min, lat_min, lon_max, lat_max
TOLERANCE_DEG = 0.01  # Douglas-Peucker tolerance on arcs, about 1 km
DECIMALS = 3  # about 100 m; finer than the 50m source after simplification

Ring = list[tuple[float, float]]


def read_topology(package: Path | None) -> dict[str, Any]:
    """Return the parsed ``countries-50m.json`` of the pinned ``world-atlas`` tarball."""
    with tempfile.TemporaryDirectory() as tmp:
        if package is None:
            subprocess.run(
                ["npm", "pack", PACKAGE, "--pack-destination", tmp],
                check=True,
                capture_output=True,
            )
            package = next(Path(tmp).glob("world-atlas-*.tgz"))
        data = package.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != PACKAGE_SHA256:
            sys.exit(f"{package}: sha256 {digest}, expected {PACKAGE_SHA256} ({PACKAGE})")
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            member = tar.extractfile(MEMBER)
            if member is None:
                sys.exit(f"{package}: no {MEMBER}")
            topology: dict[str, Any] = json.load(member)
    return topology


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Undo the quantization and delta encoding of every arc (TopoJSON spec 2.1.2, 2.2.1)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify_arcs(arcs: Sequence[Ring], tolerance_deg: float) -> list[Ring]:
    """Douglas-Peucker on each arc; the end points (junctions between borders) stay."""
    out: list[Ring] = []
    for points in arcs:
        if len(points) <= 2:
            out.append(list(points))
            continue
        simple = LineString(points).simplify(tolerance_deg, preserve_topology=False)
        out.append([(float(x), float(y)) for x, y in simple.coords])
    return out


def ring_from(arc_ids: Sequence[int], arcs: Sequence[Ring]) -> Ring:
    """Join the arcs of one ring; ``~i`` (negative) means arc ``i`` reversed."""
    ring: Ring = []
    for index in arc_ids:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def polygon_from(rings_ids: Sequence[Sequence[int]], arcs: Sequence[Ring]) -> Polygon | None:
    """Build a polygon from its ring arc lists; None if the exterior collapsed."""
    rings = [ring_from(ids, arcs) for ids in rings_ids]
    rings = [r for r in rings if len(set(r)) >= 3]
    if not rings:
        return None
    return Polygon(rings[0], rings[1:])


def geometry_from(obj: dict[str, Any], arcs: Sequence[Ring]) -> BaseGeometry | None:
    """Build the shapely geometry of one TopoJSON Polygon or MultiPolygon object."""
    if obj["type"] == "Polygon":
        parts = [polygon_from(obj["arcs"], arcs)]
    elif obj["type"] == "MultiPolygon":
        parts = [polygon_from(p, arcs) for p in obj["arcs"]]
    else:
        return None
    polygons = [p for p in parts if p is not None and not p.is_empty]
    if not polygons:
        return None
    return make_valid(MultiPolygon(polygons))


def rounded(value: Any) -> Any:
    """Round every coordinate of a GeoJSON coordinates array."""
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], float):
            return [round(v, DECIMALS) for v in value]
        return [rounded(v) for v in value]
    return value


def iso_a3(iso_n3: str) -> str:
    """ISO 3166-1 alpha-3 for a numeric code, blank if there is none."""
    country = pycountry.countries.get(numeric=iso_n3) if iso_n3 else None
    return country.alpha_3 if country is not None else ""


def polygonal(geometry: BaseGeometry) -> MultiPolygon | Polygon | None:
    """Keep only the polygon parts of a clipped geometry (clipping can leave lines or points)."""
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return None if geometry.is_empty else geometry
    parts = [g for g in getattr(geometry, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    polygons: list[Polygon] = []
    for part in parts:
        polygons.extend(part.geoms if isinstance(part, MultiPolygon) else [part])
    polygons = [p for p in polygons if not p.is_empty]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def build(topology: dict[str, Any]) -> dict[str, Any]:
    """Return the clipped, simplified FeatureCollection of the countries in the box."""
    arcs = simplify_arcs(decode_arcs(topology), TOLERANCE_DEG)
    region = box(*BBOX_DEG)
    features: list[dict[str, Any]] = []
    for obj in topology["objects"]["countries"]["geometries"]:
        geometry = geometry_from(obj, arcs)
        if geometry is None or not geometry.intersects(region):
            continue
        clipped = polygonal(geometry.intersection(region))
        if clipped is None or clipped.area < 1e-6:
            continue
        geom = mapping(clipped)
        code = str(obj.get("id", "") or "")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": obj["properties"]["name"],
                    "iso_n3": code,
                    "iso_a3": iso_a3(code),
                },
                "geometry": {"type": geom["type"], "coordinates": rounded(geom["coordinates"])},
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    return {
        "type": "FeatureCollection",
        "bbox": list(BBOX_DEG),
        "source": (
            f"Natural Earth 1:50m admin-0 countries (public domain) via npm {PACKAGE} "
            f"(ISC), countries-50m.json; clipped to lon {BBOX_DEG[0]:g}-{BBOX_DEG[2]:g}, "
            f"lat {BBOX_DEG[1]:g}-{BBOX_DEG[3]:g}; arcs simplified (Douglas-Peucker "
            f"{TOLERANCE_DEG:g} deg); built by tools/build_outlines.py"
        ),
        "features": features,
    }


def render(collection: dict[str, Any]) -> str:
    """Compact, deterministic JSON text: one feature per line."""
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [
        json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in collection["features"]
    ]
    text = json.dumps(head, separators=(",", ":"), ensure_ascii=False)[:-1]
    return text + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: build, or check the shipped file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="world-atlas tarball (default: npm pack)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped file differs")
    args = parser.parse_args(argv)
    text = render(build(read_topology(args.package)))
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.relative_to(REPO)}: {'up to date' if same else 'DIFFERS'}")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}: {len(text):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

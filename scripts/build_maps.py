"""Build the region maps of the dashboards from the per-country GeoJSON of
@superset-ui/legacy-plugin-chart-country-map 0.20.3 (Apache-2.0, drawn from Natural
Earth's admin-1 boundaries, which are in the public domain).

``make maps`` runs it. It fetches the package with ``npm pack`` (checked against its
published sha512 integrity) unless ``--package`` names an unpacked copy, then for each
country:

- gives each polygon its region of today (Norway's file has the counties before 2020:
  they are merged into the 15 counties of 2024) and leaves out territories;
- merges the polygons of a region and simplifies the country's regions together
  (``shapely.coverage_simplify``), so that neighbours keep one shared border, no gaps;
- finds the regions that share a border (for white spots: which regions are near);
- projects (equirectangular around the country's middle latitude) onto a box
  ``WIDTH`` wide, rounds to whole units and writes SVG path data with relative moves.

The result, app/geography/boundaries/<cc>.json with its NOTICE, is committed: serving the
app needs neither npm nor shapely. The same package gives the same files.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "app" / "geography" / "boundaries"
PACKAGE = "@superset-ui/legacy-plugin-chart-country-map@0.20.3"
INTEGRITY = (
    "sha512-rz4WaD3VcnF33vhWMb9tHuk9FSmM8lQqv3GgWHSneko9OWJCblFKN3nhO8SjJXyhY7+nRc6YVyRBv"
    "ZKPARpzhw=="
)
FILES = {
    "TR": "turkey.geojson",
    "RO": "romania.geojson",
    "NL": "netherlands.geojson",
    "BE": "belgium.geojson",
    "NO": "norway.geojson",
}
#: Norway's counties in the package (before 2020) → the counties of 2024.
NORWAY_2024 = {
    "NO-01": "NO-31", "NO-02": "NO-32", "NO-03": "NO-03", "NO-04": "NO-34", "NO-05": "NO-34",
    "NO-06": "NO-33", "NO-07": "NO-39", "NO-08": "NO-40", "NO-09": "NO-42", "NO-10": "NO-42",
    "NO-11": "NO-11", "NO-12": "NO-46", "NO-14": "NO-46", "NO-15": "NO-15", "NO-16": "NO-50",
    "NO-17": "NO-50", "NO-18": "NO-18", "NO-19": "NO-55", "NO-20": "NO-56",
}  # fmt: skip
#: Left out of the maps: not regions of the country's dashboard (app.geography.overrides).
TERRITORIES = {"NO-21", "NO-22"}
WIDTH = 1000
#: Simplification tolerance, as a share of the country's width (0.1 %: 1 unit of WIDTH).
TOLERANCE = 0.0012
#: Two regions are neighbours where MIN_SHARED degrees of one's border run within GAP
#: degrees of the other (the source leaves gaps of up to 2 km between some regions;
#: regions that only meet at a corner share less).
GAP = 0.03
MIN_SHARED = 0.15
#: Islands smaller than this share of their region's area are dropped (never a region's
#: largest part).
MIN_PART = 0.002


def fetch(folder: Path) -> Path:
    """Unpack the npm package into ``folder`` after checking its integrity."""
    npm = shutil.which("npm") or "npm"
    subprocess.run(  # noqa: S603 - fixed arguments, no user input
        [npm, "pack", PACKAGE, "--pack-destination", str(folder), "--silent"],
        check=True,
        capture_output=True,
    )
    (archive,) = folder.glob("*.tgz")
    digest = base64.b64encode(hashlib.sha512(archive.read_bytes()).digest()).decode()
    if f"sha512-{digest}" != INTEGRITY:
        raise SystemExit(f"{archive.name}: integrity sha512-{digest} is not {INTEGRITY}")
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package"


def regions_of(path: Path, country: str) -> dict[str, MultiPolygon]:
    """The regions of today in a GeoJSON file, each one (multi)polygon."""
    parts: dict[str, list] = {}
    for feature in json.loads(path.read_text("utf-8"))["features"]:
        code = feature["properties"]["ISO"]
        if code in TERRITORIES:
            continue
        if country == "NO":
            code = NORWAY_2024[code]
        parts.setdefault(code, []).append(shape(feature["geometry"]).buffer(0))
    return {code: _polygons(shapely.union_all(found)) for code, found in parts.items()}


def _polygons(geometry) -> MultiPolygon:
    found = [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon)]
    return MultiPolygon(found)


def neighbours(regions: dict[str, MultiPolygon]) -> dict[str, list[str]]:
    """The regions sharing a border of at least MIN_SHARED degrees with each region."""
    found: dict[str, set[str]] = {code: set() for code in regions}
    codes = sorted(regions)
    for index, a in enumerate(codes):
        near = regions[a].buffer(GAP)
        for b in codes[index + 1 :]:
            if not near.intersects(regions[b]):
                continue
            if near.intersection(regions[b].boundary).length >= MIN_SHARED:
                found[a].add(b)
                found[b].add(a)
    return {code: sorted(others) for code, others in sorted(found.items())}


def simplified(regions: dict[str, MultiPolygon]) -> dict[str, MultiPolygon]:
    """The regions simplified together, keeping shared borders shared."""
    codes = sorted(regions)
    minx, _miny, maxx, _maxy = shapely.total_bounds([regions[c] for c in codes])
    tolerance = (maxx - minx) * TOLERANCE
    result = shapely.coverage_simplify([regions[c] for c in codes], tolerance)
    out = {}
    for code, geometry in zip(codes, result, strict=True):
        polygons = sorted(_polygons(geometry).geoms, key=lambda p: -p.area)
        total = sum(p.area for p in polygons)
        kept = [p for i, p in enumerate(polygons) if i == 0 or p.area >= total * MIN_PART]
        out[code] = MultiPolygon(kept)
    return out


class Projection:
    """Equirectangular around the middle latitude, scaled to WIDTH, y downwards."""

    def __init__(self, bounds: tuple[float, float, float, float]):
        minx, miny, maxx, maxy = bounds
        self.k = math.cos(math.radians((miny + maxy) / 2))
        self.minx, self.maxy = minx, maxy
        self.scale = WIDTH / ((maxx - minx) * self.k)
        self.height = math.ceil((maxy - miny) * self.scale)

    def __call__(self, lon: float, lat: float) -> tuple[int, int]:
        return (
            round((lon - self.minx) * self.k * self.scale),
            round((self.maxy - lat) * self.scale),
        )


def path_data(geometry: MultiPolygon, project: Projection) -> str:
    """SVG path data: one subpath per ring, relative moves, whole units, no repeats."""
    commands = []
    for polygon in geometry.geoms:
        for ring in (polygon.exterior, *polygon.interiors):
            points = []
            for lon, lat in ring.coords[:-1]:
                point = project(lon, lat)
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) < 3:
                continue
            (x, y), rest = points[0], points[1:]
            steps = []
            for nx, ny in rest:
                steps.append(f"{nx - x} {ny - y}".replace(" -", "-"))
                x, y = nx, ny
            commands.append(f"M{points[0][0]} {points[0][1]}l" + " ".join(steps) + "z")
    return "".join(commands)


def build(package: Path) -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for country, name in FILES.items():
        regions = regions_of(package / "esm" / "countries" / name, country)
        adjacent = neighbours(regions)
        simple = simplified(regions)
        project = Projection(shapely.total_bounds(list(simple.values())))
        data = {
            "source": f"{PACKAGE} esm/countries/{name}",
            "width": WIDTH,
            "height": project.height,
            "regions": {code: path_data(simple[code], project) for code in sorted(simple)},
            "neighbours": adjacent,
        }
        out = TARGET / f"{country.lower()}.json"
        out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
        print(f"{country}: {len(simple)} regions, {out.stat().st_size // 1024} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", type=Path, help="an unpacked copy of the npm package")
    options = parser.parse_args()
    if options.package:
        build(options.package)
        return
    with tempfile.TemporaryDirectory() as folder:
        build(fetch(Path(folder)))


if __name__ == "__main__":
    main()

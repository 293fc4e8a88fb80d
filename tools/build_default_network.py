"""Build the shipped default network from the curated inputs, deterministically.

Inputs (``data/curated/``, edited by hand; the only place where figures are typed):

- ``places.csv``: one row per place, coordinates with their source.
- ``segments.csv``: undirected links; ``length_km`` is typed where a length is published,
  otherwise blank (then it is computed, see below).
- ``length_chains.csv``: published lengths of lines that run over several segments
  (e.g. Tehran-Mashhad 925 km over four segments).
- ``reference_distances.csv``: published distances between places that are not links,
  used only to derive detour factors.
- ``parameters/*.csv``: parameter tables, copied unchanged.
- ``../validation/published_cases.csv``: the validation set, copied unchanged to
  ``src/corridor/data/validation/`` (read by ``corridor validate-model``).

Lengths, in order of preference:

1. published (``segments.length_km``);
2. a chain: the chain's published total, minus the segments it also covers (its
   ``covers`` column: segments fixed by a publication, an earlier chain or step 3), shared among
   the chain's own members in proportion to their geodesic lengths;
3. geodesic length (pyproj ``Geod(ellps="WGS84")``) times the detour factor ``F`` of the mode
   group (rail, road, sea) and **region** of the segment, where ``F`` is the median of
   published / geodesic over every published segment, chain and reference distance of that
   group and region whose end places have non-proxy coordinates. A region with fewer than
   ``MIN_SAMPLES`` samples of a group takes the group's pooled median over all regions. The
   samples and factors are written to ``data/curated/detour_factors.csv``.

Regions (``REGION``) group countries of similar terrain and road/rail standards: ``central_asia``
(Kazakhstan, Uzbekistan, Turkmenistan: steppe and desert), ``iran`` (mountain and desert
plateau), ``russia_caucasus`` (Russia, Azerbaijan), ``china`` and ``india``. A segment or sample
belongs to the region of its ``from`` place (border links join two regions; they are short).

The build refuses any link shorter than the geodesic between its end places (a published
figure that is, is a straight-line distance, not a route length).

Outputs (``src/corridor/data/default/``, GMNS form): ``node.csv``, ``link.csv`` (both
directions, ``<segment>_ab`` / ``<segment>_ba``), ``config.csv``, ``use_definition.csv``
and ``parameters/*.csv``; then ``columnar/``: the same tables as ``read_gmns`` reads them
from those CSVs, in Arrow's binary columnar format, for a fast ``load_default`` (see
``corridor.network.default``; it falls back to the CSVs when the copy is stale).

Usage::

    python tools/build_default_network.py          # write the files
    python tools/build_default_network.py --check  # exit 1 if the shipped files differ
"""

from __future__ import annotations

import argparse
import io
import math
import statistics
import sys
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from pyproj import Geod

REPO = Path(__file__).resolve().parents[1]
CURATED = REPO / "data" / "curated"
OUT = REPO / "src" / "corridor" / "data" / "default"

MODES = ("rail_1520", "rail_1435", "road", "ferry", "sea")
GROUP = {"rail_1520": "rail", "rail_1435": "rail", "road": "road", "ferry": "sea", "sea": "sea"}
KINDS = ("city", "rail_station", "port", "border_crossing", "junction", "terminal")
STATUSES = ("open", "planned")
COUNTRIES = ("KAZ", "IRN", "TKM", "UZB", "RUS", "AZE", "IND", "CHN")
PROXY_MARK = "PROXY"
REGION = {
    "KAZ": "central_asia",
    "UZB": "central_asia",
    "TKM": "central_asia",
    "IRN": "iran",
    "RUS": "russia_caucasus",
    "AZE": "russia_caucasus",
    "CHN": "china",
    "IND": "india",
}
REGIONS = ("central_asia", "iran", "russia_caucasus", "china", "india")
MIN_SAMPLES = 3
# a link may be this much shorter than its geodesic (rounding of lengths to 0.1 km)
GEODESIC_SLACK_KM = 0.05

NODE_COLUMNS = [
    "node_id",
    "name",
    "x_coord",
    "y_coord",
    "country",
    "kind",
    "status",
    "aliases",
    "unlocode",
    "unlocode_source",
    "coord_source",
    "notes",
]
LINK_COLUMNS = [
    "link_id",
    "from_node_id",
    "to_node_id",
    "directed",
    "length",
    "length_source",
    "mode",
    "allowed_uses",
    "status",
    "service_id",
    "capacity_t_per_yr",
    "capacity_t_per_yr_source",
    "segment_id",
    "notes",
]
FACTOR_COLUMNS = [
    "group",
    "region",
    "kind",
    "item",
    "published_km",
    "geodesic_km",
    "ratio",
    "source",
    "note",
]


class BuildError(Exception):
    """The curated inputs are inconsistent."""


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _num(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def _fmt(value: float | None, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    out = f"{value:.{digits}f}"
    return "0" if digits and out.strip("-0.") == "" else out


def _fmt_int(value: float | None) -> str:
    return "" if value is None else str(round(value))


def _check_inputs(places: pd.DataFrame, segments: pd.DataFrame, chains: pd.DataFrame) -> None:
    problems: list[str] = []
    dup = places["place_id"][places["place_id"].duplicated()].tolist()
    if dup:
        problems.append(f"duplicate place ids: {dup}")
    for col, allowed in (("kind", KINDS), ("status", STATUSES), ("country", COUNTRIES)):
        bad = places.loc[~places[col].isin(allowed), "place_id"].tolist()
        if bad:
            problems.append(f"places with bad {col}: {bad}")
    for _, p in places.iterrows():
        if not p["coord_source"].strip():
            problems.append(f"place {p['place_id']} has no coord_source")
        if p["unlocode"].strip() and not p["unlocode_source"].strip():
            problems.append(f"place {p['place_id']} has a unlocode without source")
    ids = set(places["place_id"])
    dup = segments["segment_id"][segments["segment_id"].duplicated()].tolist()
    if dup:
        problems.append(f"duplicate segment ids: {dup}")
    chain_ids = set(chains["chain_id"])
    for _, s in segments.iterrows():
        sid = s["segment_id"]
        for end in ("from_id", "to_id"):
            if s[end] not in ids:
                problems.append(f"segment {sid}: unknown {end} {s[end]!r}")
        if s["mode"] not in MODES:
            problems.append(f"segment {sid}: bad mode {s['mode']!r}")
        if s["status"] not in STATUSES:
            problems.append(f"segment {sid}: bad status {s['status']!r}")
        if s["length_km"].strip() and not s["length_source"].strip():
            problems.append(f"segment {sid}: length without source")
        if s["length_km"].strip() and s["chain_id"].strip():
            problems.append(f"segment {sid}: both a published length and a chain")
        if s["chain_id"].strip() and s["chain_id"] not in chain_ids:
            problems.append(f"segment {sid}: unknown chain {s['chain_id']!r}")
        if s["capacity_t_per_yr"].strip() and not s["capacity_t_per_yr_source"].strip():
            problems.append(f"segment {sid}: capacity without source")
        if s["mode"] in ("ferry", "sea") and not s["service_id"].strip():
            problems.append(f"segment {sid}: ferry/sea link without service_id")
    seg_ids = set(segments["segment_id"])
    for _, c in chains.iterrows():
        for m in _covers(c):
            if m not in seg_ids:
                problems.append(f"chain {c['chain_id']}: covers unknown segment {m!r}")
            elif segments.loc[segments["segment_id"] == m, "chain_id"].iloc[0] == c["chain_id"]:
                problems.append(f"chain {c['chain_id']}: covers its own member {m!r}")
    if problems:
        raise BuildError("invalid curated inputs:\n  " + "\n  ".join(problems))


def _geodesics(places: pd.DataFrame, segments: pd.DataFrame) -> dict[str, float]:
    geod = Geod(ellps="WGS84")
    lonlat = {r["place_id"]: (float(r["lon"]), float(r["lat"])) for _, r in places.iterrows()}
    out: dict[str, float] = {}
    for _, s in segments.iterrows():
        a, b = lonlat[s["from_id"]], lonlat[s["to_id"]]
        out[s["segment_id"]] = geod.inv(a[0], a[1], b[0], b[1])[2] / 1000.0
    return out


def _pair_geodesic(places: pd.DataFrame, a: str, b: str) -> float:
    pa = places.loc[places["place_id"] == a].iloc[0]
    pb = places.loc[places["place_id"] == b].iloc[0]
    geod = Geod(ellps="WGS84")
    dist = geod.inv(float(pa["lon"]), float(pa["lat"]), float(pb["lon"]), float(pb["lat"]))[2]
    return float(dist) / 1000.0


def _region(places: pd.DataFrame) -> dict[str, str]:
    return {r["place_id"]: REGION[r["country"]] for _, r in places.iterrows()}


def derive_detour_factors(
    places: pd.DataFrame,
    segments: pd.DataFrame,
    chains: pd.DataFrame,
    references: pd.DataFrame,
    geodesic_km: Mapping[str, float],
) -> tuple[dict[tuple[str, str], float], pd.DataFrame]:
    """Return the detour factor per (mode group, region) and the table of samples behind it.

    A region with fewer than ``MIN_SAMPLES`` samples of a group takes the pooled median of the
    group over all regions; the summary rows say which.
    """
    # documented proxies only (``PROXY`` in capitals): town coordinates standing for a port or a
    # station of the same town are close enough for a route length
    proxy = {r["place_id"] for _, r in places.iterrows() if PROXY_MARK in r["coord_source"]}
    region_of = _region(places)
    rows: list[dict[str, str]] = []

    def add(
        group: str, region: str, kind: str, item: str, pub: float, geo: float, src: str, note: str
    ) -> None:
        rows.append(
            {
                "group": group,
                "region": region,
                "kind": kind,
                "item": item,
                "published_km": _fmt(pub, 1),
                "geodesic_km": _fmt(geo, 1),
                "ratio": _fmt(pub / geo, 4),
                "source": src,
                "note": note,
            }
        )

    seg_by_id = segments.set_index("segment_id")
    for _, s in segments.iterrows():
        pub = _num(s["length_km"])
        if pub is None or s["from_id"] in proxy or s["to_id"] in proxy:
            continue
        if s["length_source"].startswith("computed:"):
            # a sum or difference of published figures (km posts, two sources): a length, but
            # not one published route figure, so not a sample
            continue
        geo = geodesic_km[s["segment_id"]]
        if geo < 5.0:
            continue
        region = region_of[s["from_id"]]
        add(GROUP[s["mode"]], region, "segment", s["segment_id"], pub, geo, s["length_source"], "")
    for _, c in chains.iterrows():
        members = segments.loc[segments["chain_id"] == c["chain_id"]]
        covered_ids = _covers(c)
        covered = seg_by_id.loc[covered_ids] if covered_ids else seg_by_id.iloc[0:0]
        ends = set(members["from_id"]) | set(members["to_id"])
        ends |= set(covered["from_id"]) | set(covered["to_id"])
        if ends & proxy or members.empty:
            continue
        total = float(c["total_km"])
        geo = sum(geodesic_km[m] for m in list(members["segment_id"]) + covered_ids)
        add(
            GROUP[members.iloc[0]["mode"]],
            region_of[members.iloc[0]["from_id"]],
            "chain",
            c["chain_id"],
            total,
            geo,
            c["total_km_source"],
            "sum of member geodesics",
        )
    for _, r in references.iterrows():
        if r["use_for_detour_factor"].strip().lower() != "yes":
            continue
        if r["from_id"] in proxy or r["to_id"] in proxy:
            continue
        geo = _pair_geodesic(places, r["from_id"], r["to_id"])
        add(
            GROUP[r["mode"]],
            region_of[r["from_id"]],
            "reference",
            f"{r['from_id']}-{r['to_id']}",
            float(r["length_km"]),
            geo,
            r["length_source"],
            "not a link",
        )
    samples = pd.DataFrame(rows, columns=FACTOR_COLUMNS)
    # a published figure shorter than the geodesic is a straight-line distance, not a route
    short = samples["ratio"].astype(float) < 1.0
    samples.loc[short, "note"] = "excluded: shorter than the geodesic, not a route length"
    samples.loc[short, "group"] = samples.loc[short, "group"] + "_excluded"
    factors: dict[tuple[str, str], float] = {}
    summary: list[dict[str, str]] = []
    for group in ("rail", "road", "sea"):
        in_group = samples.loc[samples["group"] == group]
        ratios = [float(x) for x in in_group["ratio"]]
        if not ratios:
            raise BuildError(f"no published sample to derive the {group} detour factor")
        pooled = round(statistics.median(ratios), 3)
        summary.append(
            {
                "group": group,
                "region": "all",
                "kind": "factor",
                "item": f"F_{group}",
                "published_km": "",
                "geodesic_km": "",
                "ratio": _fmt(pooled, 3),
                "source": "computed: median of the ratios of the group, all regions",
                "note": f"n={len(ratios)}; used for regions with fewer than {MIN_SAMPLES} samples",
            }
        )
        for region in REGIONS:
            local = [float(x) for x in in_group.loc[in_group["region"] == region, "ratio"]]
            if len(local) >= MIN_SAMPLES:
                f = round(statistics.median(local), 3)
                src = "computed: median of the ratios of the group in the region"
                note = f"n={len(local)}"
            else:
                f = pooled
                src = f"computed: pooled F_{group} (fewer than {MIN_SAMPLES} samples in the region)"
                note = f"n={len(local)} in the region"
            factors[(group, region)] = f
            summary.append(
                {
                    "group": group,
                    "region": region,
                    "kind": "factor",
                    "item": f"F_{group}_{region}",
                    "published_km": "",
                    "geodesic_km": "",
                    "ratio": _fmt(f, 3),
                    "source": src,
                    "note": note,
                }
            )
    table = pd.concat([samples, pd.DataFrame(summary, columns=FACTOR_COLUMNS)], ignore_index=True)
    table = table.sort_values(["group", "region", "kind", "item"], kind="stable")
    return factors, table.reset_index(drop=True)


def _covers(chain: pd.Series) -> list[str]:
    """Segments outside the chain that the chain's published total also covers."""
    text = str(chain.get("covers", "")).strip()
    return [x.strip() for x in text.split("|") if x.strip()] if text else []


def compute_lengths(
    places: pd.DataFrame,
    segments: pd.DataFrame,
    chains: pd.DataFrame,
    geodesic_km: Mapping[str, float],
    factors: Mapping[tuple[str, str], float],
) -> tuple[dict[str, float], dict[str, str]]:
    """Return length_km and its source for every segment.

    Order: published lengths; then geodesic x detour factor for every segment outside a chain;
    then the chains in file order (a chain's covered segments must have a length by then).
    """
    region_of = _region(places)
    length: dict[str, float] = {}
    source: dict[str, str] = {}
    for _, s in segments.iterrows():
        pub = _num(s["length_km"])
        if pub is not None:
            length[s["segment_id"]] = pub
            source[s["segment_id"]] = s["length_source"]
    for _, s in segments.iterrows():
        sid = s["segment_id"]
        if sid in length or s["chain_id"].strip():
            continue
        group = GROUP[s["mode"]]
        region = region_of[s["from_id"]]
        f = factors[(group, region)]
        geo = geodesic_km[sid]
        length[sid] = round(geo * f, 1)
        source[sid] = (
            f"computed: geodesic {geo:.1f} km (pyproj Geod WGS84) x {group} detour factor "
            f"{f:.3f} for {region} (median published/geodesic, data/curated/detour_factors.csv)"
        )
    for _, c in chains.iterrows():
        cid = c["chain_id"]
        members = list(segments.loc[segments["chain_id"] == cid, "segment_id"])
        covered = _covers(c)
        missing = [m for m in covered if m not in length]
        if missing:
            raise BuildError(
                f"chain {cid}: covered segments {missing} have no length yet "
                "(list their own chain earlier in length_chains.csv)"
            )
        fixed_km = sum(length[m] for m in covered)
        todo = [m for m in members if m not in length]
        rest = float(c["total_km"]) - fixed_km
        geo = sum(geodesic_km[m] for m in todo)
        if rest <= 0 or geo <= 0:
            raise BuildError(f"chain {cid}: nothing left to share ({rest:.1f} km)")
        for m in todo:
            length[m] = round(rest * geodesic_km[m] / geo, 1)
            fixed_note = f" minus {fixed_km:.1f} km already fixed" if fixed_km else ""
            source[m] = (
                f"computed: published {c['total_km']} km for chain {cid} "
                f"({c['total_km_source']}){fixed_note}, shared among {len(todo)} segment(s) "
                f"by geodesic length (pyproj Geod WGS84)"
            )
    short = [
        f"{sid}: {length[sid]:.1f} km < geodesic {geodesic_km[sid]:.1f} km ({source[sid]})"
        for sid in segments["segment_id"]
        if length[sid] + GEODESIC_SLACK_KM < geodesic_km[sid]
    ]
    if short:
        raise BuildError("links shorter than their geodesic:\n  " + "\n  ".join(short))
    return length, source


def build_tables(curated: Path = CURATED) -> dict[str, str]:
    """Return the text of every output file, keyed by path relative to the output folder.

    The detour-factor table, written beside the curated inputs, has the key
    ``"@detour_factors.csv"``.
    """
    places = _read(curated / "places.csv")
    segments = _read(curated / "segments.csv")
    chains = _read(curated / "length_chains.csv")
    references = _read(curated / "reference_distances.csv")
    _check_inputs(places, segments, chains)
    geodesic_km = _geodesics(places, segments)
    factors, factor_table = derive_detour_factors(places, segments, chains, references, geodesic_km)
    length, length_source = compute_lengths(places, segments, chains, geodesic_km, factors)

    nodes = pd.DataFrame(
        {
            "node_id": places["place_id"],
            "name": places["name"],
            "x_coord": [_fmt(float(v), 5) for v in places["lon"]],
            "y_coord": [_fmt(float(v), 5) for v in places["lat"]],
            "country": places["country"],
            "kind": places["kind"],
            "status": places["status"],
            "aliases": places["aliases"],
            "unlocode": places["unlocode"],
            "unlocode_source": places["unlocode_source"],
            "coord_source": places["coord_source"],
            "notes": places["notes"],
        },
        columns=NODE_COLUMNS,
    ).sort_values("node_id", kind="stable")

    link_rows: list[dict[str, str]] = []
    for _, s in segments.iterrows():
        sid = s["segment_id"]
        cap = _num(s["capacity_t_per_yr"])
        for suffix, a, b in (("ab", s["from_id"], s["to_id"]), ("ba", s["to_id"], s["from_id"])):
            link_rows.append(
                {
                    "link_id": f"{sid}_{suffix}",
                    "from_node_id": a,
                    "to_node_id": b,
                    "directed": "true",
                    "length": _fmt(length[sid], 1),
                    "length_source": length_source[sid],
                    "mode": s["mode"],
                    "allowed_uses": s["mode"],
                    "status": s["status"],
                    "service_id": s["service_id"],
                    "capacity_t_per_yr": _fmt_int(cap),
                    "capacity_t_per_yr_source": s["capacity_t_per_yr_source"],
                    "segment_id": sid,
                    "notes": s["notes"],
                }
            )
    links = pd.DataFrame(link_rows, columns=LINK_COLUMNS).sort_values("link_id", kind="stable")

    config = pd.DataFrame(
        [
            {
                "dataset_name": "corridor default network (Kazakhstan-Iran, INSTC, trans-Caspian)",
                "short_length": "m",
                "long_length": "km",
                "length_units": "km",
                "speed": "kmh",
                "crs": "EPSG:4326",
                "geometry_field_format": "",
                "currency": "USD",
                "version_number": "0.9",
            }
        ]
    )
    uses = pd.DataFrame(
        [
            ("rail_1520", "broad-gauge (1,520 mm) railway"),
            ("rail_1435", "standard-gauge (1,435 mm) railway"),
            ("road", "road haulage (trucks)"),
            ("ferry", "rail ferry or ro-ro line with a service"),
            ("sea", "cargo shipping line with a service"),
        ],
        columns=["use", "description"],
    )
    uses.insert(1, "persons_per_vehicle", "")
    uses.insert(2, "pce", "")
    uses.insert(3, "special_conditions", "")

    out: dict[str, str] = {
        "node.csv": _csv(nodes),
        "link.csv": _csv(links),
        "config.csv": _csv(config),
        "use_definition.csv": _csv(uses),
        "@detour_factors.csv": _csv(factor_table),
    }
    for path in sorted((curated / "parameters").glob("*.csv")):
        out[f"parameters/{path.name}"] = path.read_bytes().decode("utf-8")
    # the validation set travels with the package (``corridor validate-model``)
    cases = curated.parent / "validation" / "published_cases.csv"
    if cases.exists():
        out["^validation/published_cases.csv"] = cases.read_bytes().decode("utf-8")
    return out


def _csv(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _target(key: str, out_dir: Path, curated: Path) -> Path:
    if key.startswith("@"):
        return curated / key[1:]
    if key.startswith("^"):  # beside the default network folder, in the package data
        return out_dir.parent / key[1:]
    return out_dir / key


def write(files: Mapping[str, str], out_dir: Path = OUT, curated: Path = CURATED) -> None:
    """Write the built files, replacing stale parameter files."""
    (out_dir / "parameters").mkdir(parents=True, exist_ok=True)
    keep = {k for k in files if k.startswith("parameters/")}
    for old in (out_dir / "parameters").glob("*.csv"):
        if f"parameters/{old.name}" not in keep:
            old.unlink()
    for key, text in files.items():
        target = _target(key, out_dir, curated)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_bytes(text.encode("utf-8"))
        tmp.replace(target)
    write_columnar_copy(out_dir)


def write_columnar_copy(out_dir: Path = OUT) -> None:
    """Write the columnar copy of the GMNS folder ``out_dir`` (``out_dir/columnar/``)."""
    from corridor.network.default import write_columnar
    from corridor.network.gmns import read_gmns

    write_columnar(read_gmns(out_dir), out_dir)


def columnar_differences(out_dir: Path = OUT) -> list[str]:
    """Return what is wrong with the columnar copy: missing, stale, or unequal tables."""
    from corridor.network.default import COLUMNAR_DIR, read_columnar
    from corridor.network.gmns import read_gmns

    where = f"{out_dir.relative_to(REPO)}/{COLUMNAR_DIR}"
    fast = read_columnar(out_dir)
    if fast is None:
        return [f"{where} (missing or made from other CSV files)"]
    slow = read_gmns(out_dir)
    bad = []
    pairs = {"places": (fast.places, slow.places), "links": (fast.links, slow.links)}
    pairs |= {f"parameters.{k}": (fast.parameters.get(k), v) for k, v in slow.parameters.items()}
    for name, (a, b) in pairs.items():
        if a is None or not (a.equals(b) and (a.dtypes == b.dtypes).all()):
            bad.append(f"{where}/{name}.arrow (differs from the CSV)")
    if set(fast.parameters) != set(slow.parameters) or dict(fast.metadata) != dict(slow.metadata):
        bad.append(f"{where}/manifest.json (tables or metadata differ from the CSV)")
    return bad


def differences(
    files: Mapping[str, str], out_dir: Path = OUT, curated: Path = CURATED
) -> list[str]:
    """Return the output files that are missing or differ from ``files``."""
    bad = []
    for key, text in files.items():
        target = _target(key, out_dir, curated)
        if not target.exists() or target.read_bytes() != text.encode("utf-8"):
            bad.append(str(target.relative_to(REPO)))
    shipped = {f"parameters/{p.name}" for p in (out_dir / "parameters").glob("*.csv")}
    bad += [f"{out_dir.relative_to(REPO)}/{k} (stale)" for k in sorted(shipped - set(files))]
    if not bad:  # the columnar copy is checked against the CSVs once they are right
        bad += columnar_differences(out_dir)
    return bad


def main(argv: list[str] | None = None) -> int:
    """Build or check the default network; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if shipped files differ")
    args = parser.parse_args(argv)
    try:
        files = build_tables()
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        bad = differences(files)
        if bad:
            print("out of date (run tools/build_default_network.py):", file=sys.stderr)
            for b in bad:
                print(f"  {b}", file=sys.stderr)
            return 1
        print("default network is up to date")
        return 0
    write(files)
    print(f"wrote {len(files)} files to {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

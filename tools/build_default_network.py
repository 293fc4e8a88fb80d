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

Lengths, in order of preference:

1. published (``segments.length_km``);
2. a chain: the chain's published total, minus the members already fixed (published or by an
   earlier chain), shared among the remaining members in proportion to their geodesic
   lengths;
3. geodesic length (pyproj ``Geod(ellps="WGS84")``) times the detour factor ``F`` of the mode
   group (rail, road, sea), where ``F`` is the median of published / geodesic over every
   published segment, chain and reference distance whose end places have non-proxy
   coordinates. The samples and factors are written to ``data/curated/detour_factors.csv``.

Outputs (``src/corridor/data/default/``, GMNS form): ``node.csv``, ``link.csv`` (both
directions, ``<segment>_ab`` / ``<segment>_ba``), ``config.csv``, ``use_definition.csv``
and ``parameters/*.csv``.

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


def derive_detour_factors(
    places: pd.DataFrame,
    segments: pd.DataFrame,
    chains: pd.DataFrame,
    references: pd.DataFrame,
    geodesic_km: Mapping[str, float],
) -> tuple[dict[str, float], pd.DataFrame]:
    """Return the detour factor per mode group and the table of samples behind it."""
    proxy = {r["place_id"] for _, r in places.iterrows() if PROXY_MARK in r["coord_source"].upper()}
    rows: list[dict[str, str]] = []

    def add(group: str, kind: str, item: str, pub: float, geo: float, src: str, note: str) -> None:
        rows.append(
            {
                "group": group,
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
        geo = geodesic_km[s["segment_id"]]
        if geo < 5.0:
            continue
        add(GROUP[s["mode"]], "segment", s["segment_id"], pub, geo, s["length_source"], "")
    for _, c in chains.iterrows():
        members = segments.loc[segments["chain_id"] == c["chain_id"]]
        fixed = _chain_fixed_members(c["chain_id"], seg_by_id)
        covered = seg_by_id.loc[fixed] if fixed else seg_by_id.iloc[0:0]
        ends = set(members["from_id"]) | set(members["to_id"])
        ends |= set(covered["from_id"]) | set(covered["to_id"])
        if ends & proxy or members.empty:
            continue
        total = float(c["total_km"])
        geo = sum(geodesic_km[m] for m in list(members["segment_id"]) + fixed)
        add(
            GROUP[members.iloc[0]["mode"]],
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
    factors: dict[str, float] = {}
    for group in ("rail", "road", "sea"):
        ratios = [float(x) for x in samples.loc[samples["group"] == group, "ratio"]]
        if not ratios:
            raise BuildError(f"no published sample to derive the {group} detour factor")
        factors[group] = round(statistics.median(ratios), 3)
    summary = [
        {
            "group": g,
            "kind": "factor",
            "item": f"F_{g}",
            "published_km": "",
            "geodesic_km": "",
            "ratio": _fmt(f, 3),
            "source": "computed: median of the ratios above",
            "note": f"n={int((samples['group'] == g).sum())}",
        }
        for g, f in factors.items()
    ]
    table = pd.concat([samples, pd.DataFrame(summary, columns=FACTOR_COLUMNS)], ignore_index=True)
    table = table.sort_values(["group", "kind", "item"], kind="stable").reset_index(drop=True)
    return factors, table


def _chain_fixed_members(chain_id: str, seg_by_id: pd.DataFrame) -> list[str]:
    """Segments outside the chain that the chain's published total also covers."""
    covers = {
        # The 495 km Garmsar-Incheh Borun total also runs over Incheh Borun-Gorgan (chain
        # C_INB_GOR) and Gorgan-Bandar Torkaman (published 36 km).
        "C_GAR_INB": ["R_INB_AQQ", "R_AQQ_GOR", "R_GOR_BTK"],
        # The 1392 km Trans-Iranian total runs Bandar Torkaman-Garmsar (C_GAR_INB),
        # Garmsar-Tehran (C_TEH_MHD), then Tehran-Qom-Bandar Imam.
        "C_TRANSIRAN": ["R_BTK_BEH", "R_BEH_SAR", "R_SAR_GAR", "R_TEH_GAR"],
    }
    out = covers.get(chain_id, [])
    missing = [m for m in out if m not in seg_by_id.index]
    if missing:
        raise BuildError(f"chain {chain_id}: covered segments missing: {missing}")
    return out


def compute_lengths(
    segments: pd.DataFrame,
    chains: pd.DataFrame,
    geodesic_km: Mapping[str, float],
    factors: Mapping[str, float],
) -> tuple[dict[str, float], dict[str, str]]:
    """Return length_km and its source for every segment."""
    length: dict[str, float] = {}
    source: dict[str, str] = {}
    for _, s in segments.iterrows():
        pub = _num(s["length_km"])
        if pub is not None:
            length[s["segment_id"]] = pub
            source[s["segment_id"]] = s["length_source"]
    seg_by_id = segments.set_index("segment_id")
    for _, c in chains.iterrows():
        cid = c["chain_id"]
        members = list(segments.loc[segments["chain_id"] == cid, "segment_id"])
        covered = _chain_fixed_members(cid, seg_by_id)
        fixed_km = 0.0
        for m in covered:
            if m in length:
                fixed_km += length[m]
            else:
                members.append(m)
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
    for _, s in segments.iterrows():
        sid = s["segment_id"]
        if sid in length:
            continue
        group = GROUP[s["mode"]]
        f = factors[group]
        geo = geodesic_km[sid]
        length[sid] = round(geo * f, 1)
        source[sid] = (
            f"computed: geodesic {geo:.1f} km (pyproj Geod WGS84) x {group} detour factor "
            f"{f:.3f} (median published/geodesic, data/curated/detour_factors.csv)"
        )
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
    length, length_source = compute_lengths(segments, chains, geodesic_km, factors)

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
    return out


def _csv(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _target(key: str, out_dir: Path, curated: Path) -> Path:
    if key.startswith("@"):
        return curated / key[1:]
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
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_bytes(text.encode("utf-8"))
        tmp.replace(target)


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

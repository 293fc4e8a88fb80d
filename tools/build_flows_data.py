"""Build the flow model's shipped tables from the staging tables of ``data/curated/flows``.

Writes (deterministically; ``--check`` exits 1 when a shipped file differs):

- ``src/corridor/data/flows/baseline_2024.csv``: the 2024 freight baseline, one row per
  origin place, destination place, commodity group and cargo class, built by
  :func:`corridor.demand.demand_from_trade` from ``trade_2024.csv`` and the decisions in
  ``baseline_rows.csv`` (which staging row, which cargo class and places, and why);
- ``src/corridor/data/flows/counts_2024.csv``: observed volumes to compare with and to
  calibrate on, from ``counts.csv`` (t and TEU only; a count is used for calibration only
  when its scope is the demand's, see ``SCOPE``);
- ``data/curated/parameters/capacities.csv``: the capacity elements (rail sections, border
  crossings, gauge-change yards and terminals, ports, ferry services) in t/yr with their
  sources, from ``capacities.csv`` and ``parameters/ferry_services.csv``; then run
  ``tools/build_default_network.py`` (``make data`` runs both) to ship it.

Every figure keeps its source; conversions name their factors (``T_PER_WAGON`` ...).
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
STAGING = REPO / "data" / "curated" / "flows"
PARAMS = REPO / "data" / "curated" / "parameters"
OUT = REPO / "src" / "corridor" / "data" / "flows"

sys.path.insert(0, str(REPO / "src"))

from corridor.demand.freight import COLUMNS, demand_from_trade  # noqa: E402

# ---------------------------------------------------------------- conversion factors
KURYK_WAGON_SOURCE = (
    "1.24 Mt by rail in 16,450 railcars at Kuryk, Jan-Oct 2023 = 75.4 t/wagon (Transport "
    "Minister Karabayev via Trend, 2023-12-12; KTZ via https://www.azerbaycan24.com/en/kazakh-"
    "port-of-kuryk-increases-cargo-transshipment-15-since-early-year/)"
)
T_PER_WAGON = 75.4
TRAIN_SOURCE = (
    "45 wagons/train (4,725 wagons in 105 trains from TM at Bolashak, early 2020, "
    "https://business.com.tm/post/5409/railway-border-station-in-kazakhstan-takes-coronavirus-"
    "prevention-measures)"
)
WAGONS_PER_TRAIN = 45
T_PER_TRUCK = 20.0
TRUCK_SOURCE = "20 t/truck (cargo_classes roro_truck, CAREC TFI3 reference load)"
T_PER_TEU = 10.0
TEU_SOURCE = "10 t/TEU (cargo_classes container_20ft)"
WEEKS_PER_YR = 365.0 / 7.0
CONTAINER = "container_20ft|container_40ft"

# staging rows not made capacity elements, and why
SKIP = {
    "CAP-INSTC-EAST": "a corridor total over parallel routes, not one element",
    "CAP-DOSTYK-TRANS-TERMINAL": "tonnes per container train not published",
    "CAP-ETREK-RELOAD": "capacity not found",
    "CAP-ASTARA-PORT-IR": "capacity in t/yr not found",
    "CAP-ASTRAKHAN-PORT": "capacity not found (>= 6.1 Mt observed with Olya)",
    "CAP-IR-PORTS-TOTAL": "national total, no places",
    "CAP-IRISL-CASPIAN-2015": "superseded by the later KSSL 2021 figure (CAP-KSSL-2021)",
    "CAP-FERRY-BERKARAR": "FERRY_TURKMENBASHI_ALAT takes the ASCO Ro-Pax figure (56 wagons)",
}
# staging rows whose units apply to some modes or cargo classes only
MODES = {
    "CAP-KURYK-WAGON-TRANSSHIP": "rail_1520|rail_1435",
    "CAP-TURKMENBASHI-FERRY-TERMINAL": "road",
}
# element kind and the mode group of the crossing links (borders)
GROUP = {
    "CAP-ALAKOL-ROAD": "road",
    "CAP-ASTARA-ROAD": "road",
    "CAP-SAMUR-ROAD": "road",
}
# the t/yr figure the staging table computed from an outdated or group figure: recomputed
RECOMPUTE = {"CAP-DOSTYK-ALASHANKOU": "staging t/yr (20 Mt, 2016) is outdated (notes)"}


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def _fmt(value: float) -> str:
    if math.isnan(value):
        return ""
    return str(round(value)) if abs(value) >= 100 else f"{value:.4g}"


def _csv(rows: list[dict[str, str]], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") for c in columns})
    return buf.getvalue()


# ---------------------------------------------------------------- baseline
def build_baseline() -> str:
    """Return the baseline CSV text."""
    trade = {r["row_id"]: r for r in _read(STAGING / "trade_2024.csv")}
    rows = []
    for b in _read(STAGING / "baseline_rows.csv"):
        rec: dict[str, object] = {
            "row_id": b["flow_id"],
            "origin": b["origin"],
            "destination": b["destination"],
            "commodity_group": b["commodity_group"],
            "cargo_class": b["cargo_class"] or "unknown",
            "factor": b["factor"],
            "factor_source": b["factor_source"],
            "origin_places": b["origin_places"],
            "destination_places": b["destination_places"],
            "places_source": b["places_source"],
            "basis": b["basis"],
            "notes": "; ".join(x for x in (b["description"], b["notes"]) if x),
        }
        grade = ""
        if b["tonnes_row"]:
            t = trade[b["tonnes_row"]]
            rec["tonnes_per_yr"] = t["tonnes_per_yr"]
            src = t["tonnes_source"]
            if t["tonnes_per_yr_source"] and not t["tonnes_per_yr_source"].startswith("equal"):
                src = f"{t['tonnes_per_yr_source']} of {src}"
            rec["tonnes_per_yr_source"] = f"trade_2024.csv {b['tonnes_row']}: {src}"
            grade = t["grade"]
        if b["value_row"]:
            v = trade[b["value_row"]]
            u = trade[b["unit_value_row"]]
            rec["value_usd"] = v["value_usd"]
            rec["value_usd_source"] = f"trade_2024.csv {b['value_row']}: {v['value_usd_source']}"
            rec["unit_value_usd_per_t"] = u["unit_value_usd_per_t"]
            rec["unit_value_usd_per_t_source"] = (
                f"trade_2024.csv {b['unit_value_row']}: "
                f"{u['unit_value_usd_per_t_source'] or 'computed: value / tonnes'} of "
                f"{u['tonnes_source']}"
            )
            grade = v["grade"]
        rec["grade"] = grade
        if b["cargo_class_source"]:
            rec["notes"] = f"{rec['notes']}; cargo class: {b['cargo_class_source']}"
        rows.append(rec)
    demand = demand_from_trade(pd.DataFrame(rows), pd.DataFrame(), source="baseline_rows.csv")
    table = demand.table.copy()
    table["row_id"] = table["row_id"].str.replace(r":.*$", "", regex=True) + (
        ":" + table["origin"] + ">" + table["destination"]
    )
    out = []
    for rec in table.to_dict("records"):
        out.append({c: _cell(rec[c]) for c in COLUMNS})
    return _csv(out, list(COLUMNS))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(round(value, 3))
    return str(value)


# ---------------------------------------------------------------- capacities
CAP_COLUMNS = [
    "kind",
    "id",
    "from_id",
    "to_id",
    "place_ids",
    "segment_ids",
    "service_ids",
    "mode_group",
    "modes",
    "direction",
    "cargo_classes",
    "capacity_t_per_yr",
    "capacity_t_per_yr_source",
    "batch_t",
    "batch_t_source",
    "published",
    "status",
    "year",
    "grade",
    "notes",
]


def _train_t() -> tuple[float, str]:
    return (
        WAGONS_PER_TRAIN * T_PER_WAGON,
        f"computed: {TRAIN_SOURCE} x {T_PER_WAGON} t/wagon ({KURYK_WAGON_SOURCE})",
    )


def _to_t_per_yr(
    row: dict[str, str], sailings_per_week: float, sailings_src: str
) -> tuple[float, str]:
    """Return the element's t/yr: the staging figure, else computed with stated factors."""
    eid = row["element_id"]
    published = _num(row["capacity_t_per_yr"])
    if not math.isnan(published) and eid not in RECOMPUTE:
        src = row["capacity_t_per_yr_source"]
        if src.startswith(("equal to", "same source")):
            src = f"{row['capacity_source']} ({src})"
        return published, src
    cap = _num(row["capacity"])
    unit = row["capacity_unit"]
    src = row["capacity_source"]
    if math.isnan(cap):
        return math.nan, ""
    train_t, _ = _train_t()
    if unit in ("trains/day", "pairs_of_trains/day"):
        return (
            cap * train_t * 365,
            f"computed: {cap:g} {unit} ({src}) x {WAGONS_PER_TRAIN} wagons/train ({TRAIN_SOURCE})"
            f" x {T_PER_WAGON} t/wagon ({KURYK_WAGON_SOURCE}) x 365 d",
        )
    if unit == "wagons/day":
        return (
            cap * T_PER_WAGON * 365,
            f"computed: {cap:g} wagons/day ({src}) x {T_PER_WAGON} t/wagon ({KURYK_WAGON_SOURCE})"
            " x 365 d",
        )
    if unit == "trucks/day":
        return (
            cap * T_PER_TRUCK * 365,
            f"computed: {cap:g} trucks/day ({src}) x {TRUCK_SOURCE} x 365 d",
        )
    if unit == "vehicles/yr":
        return cap * T_PER_TRUCK, f"computed: {cap:g} vehicles/yr ({src}) x {TRUCK_SOURCE}"
    if unit == "TEU/yr":
        return cap * T_PER_TEU, f"computed: {cap:g} TEU/yr ({src}) x {TEU_SOURCE}"
    if unit in ("wagons/sailing", "trucks/sailing") and not math.isnan(sailings_per_week):
        per = T_PER_WAGON if unit == "wagons/sailing" else T_PER_TRUCK
        per_src = (
            f"{T_PER_WAGON} t/wagon ({KURYK_WAGON_SOURCE})"
            if unit == "wagons/sailing"
            else TRUCK_SOURCE
        )
        return (
            cap * per * sailings_per_week * WEEKS_PER_YR,
            f"computed: {cap:g} {unit} ({src}) x {per_src} x {sailings_per_week:g} sailings/week "
            f"each way ({sailings_src}) x 52.14 weeks",
        )
    return math.nan, ""


def build_capacities() -> str:
    """Return the parameter table ``capacities.csv`` text."""
    staging = _read(STAGING / "capacities.csv")
    ferries = {r["service_id"]: r for r in _read(PARAMS / "ferry_services.csv")}
    out: list[dict[str, str]] = []
    train_t, train_src = _train_t()
    for row in staging:
        eid = row["element_id"]
        if eid in SKIP:
            continue
        kind = row["kind"]
        services = [s for s in row["service_id"].split("|") if s]
        if eid == "CAP-FERRY-ROPAX-ASCO":
            services = ["FERRY_KURYK_ALAT", "FERRY_TURKMENBASHI_ALAT"]
        if eid == "CAP-FERRY-PULA-52":
            services = ["FERRY_AKTAU_ALAT"]
        per_service = kind == "ferry_service" and row["capacity_unit"].endswith("/sailing")
        targets = [[s] for s in services] if per_service else [services]
        for svc in targets:
            sailings = _num(ferries[svc[0]]["departures_per_week"]) if per_service else math.nan
            sailings_src = ferries[svc[0]]["departures_per_week_source"] if per_service else ""
            t_per_yr, t_src = _to_t_per_yr(row, sailings, sailings_src)
            if math.isnan(t_per_yr):
                continue
            unit = row["capacity_unit"]
            places = (
                [p for p in row["place_id"].split("|") if p]
                if kind
                in (
                    "port",
                    "gauge_change",
                    "terminal",
                )
                else []
            )
            mode_group = GROUP.get(eid, "")
            if kind in ("border_crossing", "rail_section") and not mode_group:
                mode_group = "rail"
            batch, batch_src = math.nan, ""
            if kind in ("rail_section", "gauge_change") or (
                kind == "border_crossing" and mode_group == "rail"
            ):
                batch, batch_src = train_t, train_src
            elif mode_group == "road" or unit in ("trucks/day", "vehicles/yr"):
                batch, batch_src = T_PER_TRUCK, TRUCK_SOURCE
            elif per_service:
                per = T_PER_WAGON if unit == "wagons/sailing" else T_PER_TRUCK
                batch = _num(row["capacity"]) * per
                batch_src = f"computed: {row['capacity']} {unit} ({row['capacity_source']}) x " + (
                    f"{T_PER_WAGON} t/wagon ({KURYK_WAGON_SOURCE})"
                    if unit == "wagons/sailing"
                    else TRUCK_SOURCE
                )
            direction = (
                "each"
                if (row["direction"] in ("each direction", "one direction") or per_service)
                else "both"
            )
            if kind == "rail_section" and unit == "pairs_of_trains/day":
                direction = "each"
            cargo = (
                CONTAINER if unit == "TEU/yr" else ("roro_truck" if unit == "vehicles/yr" else "")
            )
            published = f"{row['capacity']} {unit}".strip()
            if row["capacity_high"]:
                published = f"{row['capacity']}-{row['capacity_high']} {unit}"
            if row["direction"]:
                published += f" ({row['direction']})"
            notes = row["notes"]
            if eid in RECOMPUTE:
                notes = f"{RECOMPUTE[eid]}. {notes}"
            out.append(
                {
                    "kind": kind,
                    "id": eid if len(targets) == 1 else f"{eid}@{svc[0]}",
                    "from_id": row["from_id"] if "|" not in row["from_id"] else "",
                    "to_id": row["to_id"] if "|" not in row["to_id"] else "",
                    "place_ids": "|".join(places),
                    "segment_ids": row["segment_ids"],
                    "service_ids": "|".join(svc),
                    "mode_group": mode_group,
                    "modes": MODES.get(eid, ""),
                    "direction": direction,
                    "cargo_classes": cargo,
                    "capacity_t_per_yr": _fmt(t_per_yr),
                    "capacity_t_per_yr_source": t_src,
                    "batch_t": _fmt(batch),
                    "batch_t_source": batch_src,
                    "published": published,
                    "status": row["status"],
                    "year": row["year"],
                    "grade": row["grade"],
                    "notes": f"staging {eid}. {notes}".strip(),
                }
            )
    return _csv(out, CAP_COLUMNS)


# ---------------------------------------------------------------- counts
# count id -> (use, scope): "calibrate" counts measure flows of the baseline's scope only
SCOPE = {
    "CNT-AKTAU-GRAIN-IR-2024-25": (
        "calibrate",
        "KZ->IR grain through Aktau, the baseline's grain flow",
    ),
    "CNT-ASTRAKHAN-OLYA-2024": (
        "calibrate",
        "~90 % of the ports' traffic is with Iran (trade_2024.csv RUIR-2024-CASPIAN-ASTRAKHAN)",
    ),
    "CNT-BOLASHAK-2024": (
        "calibrate",
        "the KZ-TM rail crossing of the KTI line: KZ-IR, RU-IR and KZ-TM flows",
    ),
    "CNT-SARAKHS-1403-9M": ("calibrate", "Iran's rail trade and transit with Central Asia"),
    "CNT-ASTARA-TERMINAL-2024": ("calibrate", "rail cargo RU/AZ-IR on the western route"),
}
# count id -> (commodity group, origin country, destination country) filters
FILTERS = {"CNT-AKTAU-GRAIN-IR-2024-25": ("grain", "KAZ", "IRN")}
KINDS = {
    "port": "port",
    "port_group": "port",
    "border_crossing": "border_crossing",
    "terminal": "terminal",
    "sea_line": "ferry_service",
    "ferry_units": "ferry_service",
    "rail_section": "rail_section",
}
COUNT_COLUMNS = [
    "count_id",
    "kind",
    "place_ids",
    "segment_ids",
    "service_ids",
    "commodity_group",
    "from_country",
    "to_country",
    "unit",
    "observed_per_yr",
    "observed_per_yr_source",
    "year",
    "grade",
    "use",
    "scope",
]


def build_counts() -> str:
    """Return the counts CSV text (t and TEU counts of 2023-24 and the calibration set)."""
    out = []
    for r in _read(STAGING / "counts.csv"):
        cid = r["count_id"]
        if r["unit"] not in ("t", "TEU") or r["element_kind"] not in KINDS:
            continue
        value = _num(r["quantity_per_yr"])
        if math.isnan(value):
            continue
        if r["use_for_calibration"] != "yes" and cid not in SCOPE:
            continue
        use, scope = SCOPE.get(
            cid, ("compare", "wider than the baseline (see notes): " + r["notes"])
        )
        src = r["quantity_source"]
        if not r["quantity_per_yr_source"].startswith("equal"):
            src = f"{r['quantity_per_yr_source']} of {src}"
        commodity, fc, tc = FILTERS.get(cid, ("", "", ""))
        segs = r["segment_ids"]
        places = r["place_id"] if r["element_kind"] != "border_crossing" or not segs else ""
        out.append(
            {
                "count_id": cid,
                "kind": KINDS[r["element_kind"]],
                "place_ids": places,
                "segment_ids": segs,
                "service_ids": r["service_id"]
                if r["element_kind"] in ("sea_line", "ferry_units")
                else "",
                "commodity_group": commodity,
                "from_country": fc,
                "to_country": tc,
                "unit": r["unit"],
                "observed_per_yr": _fmt(value),
                "observed_per_yr_source": src,
                "year": r["year"],
                "grade": r["grade"],
                "use": use,
                "scope": scope,
            }
        )
    return _csv(out, COUNT_COLUMNS)


# ---------------------------------------------------------------- driver
def build() -> dict[Path, str]:
    """Return every file this tool writes, by path."""
    return {
        OUT / "baseline_2024.csv": build_baseline(),
        OUT / "counts_2024.csv": build_counts(),
        PARAMS / "capacities.csv": build_capacities(),
    }


def main(argv: list[str] | None = None) -> int:
    """Build or check the flow tables; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a shipped file differs")
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        bad = [
            p
            for p, text in files.items()
            if not p.is_file() or p.read_text(encoding="utf-8") != text
        ]
        if bad:
            print("out of date (run tools/build_flows_data.py):", file=sys.stderr)
            for p in bad:
                print(f"  {p.relative_to(REPO)}", file=sys.stderr)
            return 1
        print("flow tables are up to date")
        return 0
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

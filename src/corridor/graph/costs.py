"""Per-cargo costs of runs, borders and transfers, from a network's parameter tables.

Every figure here is **per unit of cargo** (one TEU, FEU, tonne or truck, by cargo class);
:func:`corridor.routing.route` multiplies money and CO2e by the number of units. Time does
not scale with units.

How the figures are found is written in ``docs/data-model.md`` ("How routing uses them"):

* a **run** along a link takes ``length_km / speed_kmh`` hours (the link's ``time_h`` if it
  has one; its ``speed_kmh``, else ``mode_speeds`` for the mode and the country of the link's
  from place, else the ``*`` country row). A ferry or sea link with a ``service_id`` takes the
  service's ``voyage_time_h`` and adds the expected wait (``wait_time_h``, else
  ``84 / departures_per_week``). Money is ``tariffs`` rate x km + fixed, or the service's rate
  per unit for a ferry; CO2e is ``tonnes_per_unit x length_km x co2e_g_per_tkm / 1000``.
* a **border** (a link whose end places are in different countries) waits ``dwell_time_h``
  and pays ``fee_usd_per_unit`` from ``borders`` (the pair of places, either order, and the
  mode group), else from ``border_defaults`` (the sum of both countries' one-side values).
* a **transfer** at a place (gauge break, port, transhipment, mode change) takes the
  ``time_h`` and ``cost_usd_per_unit`` of the best matching ``transfers`` row.
  CO2e of borders and transfers is ``tonnes_per_unit x co2e_kg_per_t`` of the
  ``emission_factors`` row named by the kind (``border``, ``gauge_break`` ...).

A key may be ``*`` in a parameter row to act as a default; a more specific row wins, and an
empty (NaN) figure in a specific row falls back to the next, more general row. Where no
fallback exists, :class:`~corridor.errors.NetworkValidationError` lists every missing
``(table, key, column)`` at once: a missing figure is never taken as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.errors import InputError, NetworkValidationError, Problem
from corridor.network.model import Network

__all__ = [
    "CARGO_ALIASES",
    "CargoClass",
    "ParameterTables",
    "border_costs",
    "generalized_cost",
    "mode_group",
    "resolve_cargo",
    "run_costs",
    "transfer_costs",
    "value_of_time",
]

#: Short names accepted for cargo classes. ``container`` means a 40 ft container (FEU),
#: the usual box on the corridor's block trains; ``teu`` a 20 ft one.
CARGO_ALIASES: dict[str, str] = {
    "container": "container_40ft",
    "feu": "container_40ft",
    "teu": "container_20ft",
}

_WATER = ("ferry", "sea")


def mode_group(mode: str) -> str:
    """Return the border mode group (``rail``, ``road`` or ``sea``) of a link mode.

    Examples
    --------
    >>> mode_group("rail_1435"), mode_group("ferry"), mode_group("road")
    ('rail', 'sea', 'road')

    """
    if mode.startswith("rail"):
        return "rail"
    return "sea" if mode in _WATER else mode


@dataclass(frozen=True)
class CargoClass:
    """A cargo class with the figures routing needs.

    Attributes
    ----------
    cargo : str
        Cargo class id (``container_40ft`` ...).
    unit : str
        What one unit is (``feu``, ``teu``, ``t``, ``truck``).
    tonnes_per_unit : float
        Gross tonnes per unit, for CO2e.
    teu_per_unit : float
        TEU per unit (0 for bulk and trucks).

    """

    cargo: str
    unit: str
    tonnes_per_unit: float
    teu_per_unit: float


class ParameterTables:
    """Normalised access to the parameter tables of a network, collecting missing figures.

    Parameters
    ----------
    network : Network
        The network whose ``parameters`` are read.

    """

    def __init__(self, network: Network) -> None:
        self._network = network
        self.problems: list[Problem] = []
        self.structural: list[Problem] = []

    def table(self, name: str, keys: Sequence[str]) -> pd.DataFrame:
        """Return table ``name`` with text key columns (raise if it or a key is missing)."""
        params = self._network.parameters
        if name not in params:
            raise NetworkValidationError(
                [Problem("error", name, "", "", f"parameter table {name!r} is missing")]
            )
        tab = params[name].copy()
        missing = [k for k in keys if k not in tab.columns]
        if missing:
            raise NetworkValidationError(
                [Problem("error", name, "", k, "key column is missing") for k in missing]
            )
        for k in keys:
            tab[k] = tab[k].fillna("").astype(str).str.strip()
        return tab

    def missing(self, table: str, keys: pd.DataFrame, column: str, why: str = "") -> None:
        """Record one problem per row of ``keys`` (a frame of key values)."""
        for row in keys.drop_duplicates().itertuples(index=False):
            row_id = "/".join(str(v) for v in row)
            msg = f"no value for {column}" + (f" ({why})" if why else "")
            self.problems.append(Problem("error", table, row_id, column, msg))

    def required(self, table: str, keys: pd.DataFrame, why: str) -> None:
        """Record a row the network needs but lacks (an error of the network, not a gap)."""
        for row in keys.drop_duplicates().itertuples(index=False):
            row_id = "/".join(str(v) for v in row)
            self.structural.append(Problem("error", table, row_id, "", why))

    def raise_if_structural(self) -> None:
        """Raise :class:`NetworkValidationError` listing every missing required row."""
        if self.structural:
            raise NetworkValidationError(self.structural, source="routing parameters")

    def raise_if_problems(self) -> None:
        """Raise :class:`NetworkValidationError` listing every recorded problem."""
        if self.problems:
            raise NetworkValidationError(self.problems, source="routing parameters")


Keys = dict[str, np.ndarray]
KeyMap = Callable[[Keys], Keys]


def _lookup(
    table: pd.DataFrame,
    query: pd.DataFrame,
    keys: Sequence[str],
    figures: Sequence[str],
    patterns: Sequence[KeyMap],
) -> pd.DataFrame:
    """Look up ``figures`` for every row of ``query`` through a chain of key patterns.

    Each pattern maps the query's key frame to the keys tried at that step (for instance
    with ``country`` replaced by ``*``). A figure still NaN after one step is taken from the
    next. Returns a frame aligned with ``query`` holding the figures and ``_matched`` (True
    where any pattern found a row).
    """
    values = {
        f: (
            pd.to_numeric(table[f], errors="coerce").to_numpy(dtype=float)
            if f in table.columns
            else np.full(len(table), np.nan)
        )
        for f in figures
    }
    tab_key = _joined({k: table[k].astype(str).to_numpy(dtype=object) for k in keys}, keys)
    first = ~pd.Series(tab_key).duplicated(keep="first").to_numpy()
    index = pd.Index(tab_key[first])
    values = {f: v[first] for f, v in values.items()}
    n = len(query)
    out = {f: np.full(n, np.nan) for f in figures}
    matched = np.zeros(n, dtype=bool)
    base = {k: query[k].astype(str).to_numpy(dtype=object) for k in keys}
    for pattern in patterns:
        pos = (
            index.get_indexer(_joined(pattern(dict(base)), keys)) if len(index) else np.full(n, -1)
        )
        hit = pos >= 0
        matched |= hit
        for f in figures:
            got = (
                np.where(hit, values[f][np.where(hit, pos, 0)], np.nan)
                if len(index)
                else (np.full(n, np.nan))
            )
            out[f] = np.where(np.isnan(out[f]), got, out[f])
    frame = pd.DataFrame(out)
    frame["_matched"] = matched
    return frame


def _joined(frame: Keys, keys: Sequence[str]) -> np.ndarray:
    """One text key per row: the key columns joined by a separator."""
    out = frame[keys[0]]
    for k in keys[1:]:
        out = out + "\x1f" + frame[k]
    return np.asarray(out, dtype=object)


def _star(*cols: str) -> KeyMap:
    def apply(frame: Keys) -> Keys:
        for c in cols:
            frame[c] = np.full(len(frame[c]), "*", dtype=object)
        return frame

    return apply


def _same(frame: Keys) -> Keys:
    return frame


def resolve_cargo(network: Network, cargo: str) -> CargoClass:
    """Return the cargo class named ``cargo`` (or one of :data:`CARGO_ALIASES`).

    Parameters
    ----------
    network : Network
        Its ``cargo_classes`` table lists the classes.
    cargo : str
        A cargo class id or alias (``container`` = ``container_40ft``, ``feu``, ``teu``).

    Returns
    -------
    CargoClass

    Raises
    ------
    InputError
        The cargo is not in the table; the message lists the allowed values.
    NetworkValidationError
        The table is missing, or the class has no ``tonnes_per_unit``.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> resolve_cargo(gauge_network(), "container").tonnes_per_unit
    20.0

    """
    tables = ParameterTables(network)
    tab = tables.table("cargo_classes", ["cargo"])
    name = CARGO_ALIASES.get(cargo.strip().lower(), cargo.strip())
    rows = tab[tab["cargo"] == name]
    if rows.empty:
        allowed = sorted(set(tab["cargo"]) | set(CARGO_ALIASES))
        raise InputError(f"unknown cargo {cargo!r}: allowed values are {', '.join(allowed)}")
    row = rows.iloc[0]
    tonnes = pd.to_numeric(pd.Series([row.get("tonnes_per_unit")]), errors="coerce").iloc[0]
    teu = pd.to_numeric(pd.Series([row.get("teu_per_unit")]), errors="coerce").iloc[0]
    if not np.isfinite(tonnes):
        tables.missing("cargo_classes", pd.DataFrame({"cargo": [name]}), "tonnes_per_unit")
        tables.raise_if_problems()
    unit = str(row.get("unit", "") or "")
    return CargoClass(name, unit, float(tonnes), float(teu) if np.isfinite(teu) else 0.0)


def _emission(tables: ParameterTables, keys: pd.Series, column: str) -> np.ndarray:
    """Emission factor ``column`` for each mode or transfer kind in ``keys``."""
    params = tables._network.parameters
    key_col = "mode"
    if "emission_factors" in params and "mode" not in params["emission_factors"].columns:
        key_col = "kind"
    tab = tables.table("emission_factors", [key_col])
    query = pd.DataFrame({key_col: keys.to_numpy()})
    got = _lookup(tab, query, [key_col], [column], [_same])
    bad = got[column].isna().to_numpy()
    if bad.any():
        tables.missing("emission_factors", query[bad], column)
    return got[column].to_numpy(dtype=float)


def run_costs(
    network: Network, links: pd.DataFrame, cargo: CargoClass, tables: ParameterTables
) -> pd.DataFrame:
    """Return per-unit time, wait, money and CO2e of running along each link.

    Parameters
    ----------
    network : Network
        The network (for its parameter tables).
    links : pandas.DataFrame
        Links with the extra column ``from_country`` (country of the from place).
    cargo : CargoClass
        The cargo class.
    tables : ParameterTables
        Collects missing figures; the caller raises.

    Returns
    -------
    pandas.DataFrame
        Columns ``time_h`` (including ``wait_h``), ``wait_h``, ``cost_usd``, ``co2e_kg``,
        ``length_km``, ``capacity_t_per_yr``, aligned with ``links``.

    """
    n = len(links)
    lk = links.reset_index(drop=True)
    length = _col(lk, "length_km")
    if np.isnan(length).any():
        tables.missing("links", lk.loc[np.isnan(length), ["link_id"]], "length_km")
    water = lk["mode"].isin(_WATER).to_numpy()
    service = (
        lk["service_id"].fillna("").astype(str).to_numpy()
        if "service_id" in lk.columns
        else np.full(n, "", dtype=object)
    )
    # ---- scheduled services (ferry and sea)
    voyage = np.full(n, np.nan)
    wait = np.zeros(n)
    svc_rate = np.full(n, np.nan)
    svc_cap = np.full(n, np.nan)
    no_service = water & (service == "")
    if no_service.any():
        tables.missing(
            "links", lk.loc[no_service, ["link_id"]], "service_id", "ferry/sea link needs a service"
        )
    if (water & (service != "")).any():
        svc = tables.table("ferry_services", ["service_id"]).drop_duplicates("service_id")
        svc = svc.set_index("service_id")
        idx = np.flatnonzero(water & (service != ""))
        ids = pd.Index(service[idx])
        known = ids.isin(svc.index)
        if not known.all():
            tables.missing(
                "ferry_services",
                pd.DataFrame({"service_id": ids[~known]}),
                "service_id",
                "service not listed",
            )
        idx, ids = idx[known], ids[known]
        rows = svc.reindex(ids)
        voyage[idx] = _col(rows, "voyage_time_h")
        w = _col(rows, "wait_time_h")
        dep = _col(rows, "departures_per_week")
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(np.isnan(w), 84.0 / np.where(dep > 0, dep, np.nan), w)
        if np.isnan(w).any():
            tables.missing(
                "ferry_services",
                pd.DataFrame({"service_id": ids[np.isnan(w)]}),
                "wait_time_h",
                "nor departures_per_week",
            )
        wait[idx] = np.nan_to_num(w)
        svc_rate[idx] = _service_rate(rows, cargo)
        svc_cap[idx] = _col(rows, "capacity_t_per_yr")
    # ---- speed and time
    speeds = tables.table("mode_speeds", ["mode", "country"])
    q = pd.DataFrame({"mode": lk["mode"], "country": lk["from_country"]})
    got = _lookup(speeds, q, ["mode", "country"], ["speed_kmh"], [_same, _star("country")])
    speed = _col(lk, "speed_kmh")
    speed = np.where(np.isnan(speed), got["speed_kmh"].to_numpy(), speed)
    own_time = _col(lk, "time_h")
    with np.errstate(divide="ignore", invalid="ignore"):
        running = np.where(
            ~np.isnan(voyage), voyage, np.where(~np.isnan(own_time), own_time, length / speed)
        )
    bad = np.isnan(running) & ~np.isnan(length)
    if bad.any():
        tables.missing("mode_speeds", q[bad], "speed_kmh")
    # ---- money
    tariffs = tables.table("tariffs", ["mode", "country", "cargo"])
    q3 = q.assign(cargo=cargo.cargo)
    figs = ["rate_usd_per_unit_km", "fixed_usd_per_unit"]
    pats = [_same, _star("country"), _star("cargo"), _star("country", "cargo")]
    tar = _lookup(tariffs, q3, ["mode", "country", "cargo"], figs, pats)
    rate = tar["rate_usd_per_unit_km"].to_numpy()
    fixed = tar["fixed_usd_per_unit"].to_numpy()
    use_svc = ~np.isnan(svc_rate)
    cost = np.where(use_svc, svc_rate, rate * length + fixed)
    for col, vals in (("rate_usd_per_unit_km", rate), ("fixed_usd_per_unit", fixed)):
        bad = ~use_svc & np.isnan(vals)
        if bad.any():
            tables.missing("tariffs", q3[bad], col, "nor a ferry_services rate")
    # ---- CO2e
    factor = _emission(tables, lk["mode"], "co2e_g_per_tkm")
    co2e = cargo.tonnes_per_unit * length * factor / 1000.0
    cap = _col(lk, "capacity_t_per_yr")
    cap = np.where(np.isnan(cap), svc_cap, cap)
    return pd.DataFrame(
        {
            "time_h": running + wait,
            "wait_h": wait,
            "cost_usd": cost,
            "co2e_kg": co2e,
            "length_km": length,
            "capacity_t_per_yr": cap,
        }
    )


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)


def _service_rate(rows: pd.DataFrame, cargo: CargoClass) -> np.ndarray:
    """Per-unit fare of each service row: by cargo id, by unit, by TEU, by tonne."""
    rate = np.full(len(rows), np.nan)
    candidates: list[tuple[str, float]] = [
        (f"rate_usd_per_{cargo.cargo}", 1.0),
        (f"rate_usd_per_{cargo.unit}", 1.0) if cargo.unit else ("", 0.0),
    ]
    if cargo.teu_per_unit > 0:
        candidates.append(("rate_usd_per_teu", cargo.teu_per_unit))
    candidates.append(("rate_usd_per_t", cargo.tonnes_per_unit))
    for col, scale in candidates:
        if col and col in rows.columns:
            rate = np.where(np.isnan(rate), _col(rows, col) * scale, rate)
    return rate


def border_costs(
    network: Network, crossings: pd.DataFrame, cargo: CargoClass, tables: ParameterTables
) -> pd.DataFrame:
    """Return per-unit dwell time, fee and CO2e of each border crossing.

    Parameters
    ----------
    network : Network
        The network.
    crossings : pandas.DataFrame
        Columns ``from_id``, ``to_id``, ``mode``, ``from_country``, ``to_country``.
    cargo : CargoClass
        The cargo class.
    tables : ParameterTables
        Collects missing figures.

    Returns
    -------
    pandas.DataFrame
        ``time_h``, ``cost_usd``, ``co2e_kg``, ``capacity_t_per_yr`` aligned with ``crossings``.

    """
    cx = crossings.reset_index(drop=True)
    group = cx["mode"].map(mode_group)
    figs = ["dwell_time_h", "fee_usd_per_unit", "capacity_t_per_yr"]
    keys = ["from_id", "to_id", "mode_group"]
    if "borders" in network.parameters:
        tab = tables.table("borders", keys)
        q = pd.DataFrame({"from_id": cx["from_id"], "to_id": cx["to_id"], "mode_group": group})

        def swap(frame: Keys) -> Keys:
            return {**frame, "from_id": frame["to_id"], "to_id": frame["from_id"]}

        pair = _lookup(tab, q, keys, figs, [_same, swap])
    else:
        pair = pd.DataFrame(np.nan, index=range(len(cx)), columns=figs)
    need = pair[["dwell_time_h", "fee_usd_per_unit"]].isna().any(axis=1).to_numpy()
    out = pair[figs].copy()
    if need.any():
        dtab = tables.table("border_defaults", ["country", "mode_group"])
        sides = []
        for side in ("from_country", "to_country"):
            q = pd.DataFrame({"country": cx[side], "mode_group": group})
            got = _lookup(dtab, q, ["country", "mode_group"], figs[:2], [_same])
            for f in figs[:2]:
                bad = need & pair[f].isna().to_numpy() & got[f].isna().to_numpy()
                if bad.any():
                    tables.missing("border_defaults", q[bad], f, "and no borders row for the pair")
            sides.append(got)
        for f in figs[:2]:
            out[f] = out[f].fillna(sides[0][f] + sides[1][f])
    factor = _emission(tables, pd.Series(["border"] * len(cx)), "co2e_kg_per_t")
    return pd.DataFrame(
        {
            "time_h": out["dwell_time_h"].to_numpy(dtype=float),
            "cost_usd": out["fee_usd_per_unit"].to_numpy(dtype=float),
            "co2e_kg": cargo.tonnes_per_unit * factor,
            "capacity_t_per_yr": out["capacity_t_per_yr"].to_numpy(dtype=float),
        }
    )


def transfer_costs(
    network: Network, candidates: pd.DataFrame, cargo: CargoClass, tables: ParameterTables
) -> pd.DataFrame:
    """Return per-unit time, money and CO2e of each candidate transfer, and whether allowed.

    Parameters
    ----------
    network : Network
        The network.
    candidates : pandas.DataFrame
        ``place_id``, ``kind``, ``from_mode``, ``to_mode``. A ``kind`` of ``transhipment``
        is also looked up as ``mode_change`` (and the other way round).
    cargo : CargoClass
        The cargo class.
    tables : ParameterTables
        Collects missing figures.

    Returns
    -------
    pandas.DataFrame
        ``kind`` (the kind of the matching row), ``time_h``, ``cost_usd``, ``co2e_kg``,
        ``capacity_t_per_yr``, ``allowed`` aligned with ``candidates``. A gauge break or port
        transfer without any ``transfers`` row at its place is recorded as missing; a
        mode change without a row is not allowed; a place with rows of the kind for other
        cargo classes only refuses this one.

    """
    cand = candidates.reset_index(drop=True)
    n = len(cand)
    keys = ["place_id", "kind", "from_mode", "to_mode", "cargo"]
    figs = ["time_h", "cost_usd_per_unit", "capacity_t_per_yr"]
    tab = tables.table("transfers", keys) if n else pd.DataFrame(columns=keys + figs)
    for k in ("from_mode", "to_mode", "cargo", "place_id"):
        tab.loc[tab[k] == "", k] = "*"

    def swap(frame: Keys) -> Keys:
        return {**frame, "from_mode": frame["to_mode"], "to_mode": frame["from_mode"]}

    modes_star = _star("from_mode", "to_mode")

    pats: list[KeyMap] = []
    for place in (False, True):
        for cg in (False, True):
            for mp in (_same, swap, modes_star):
                stars = (("place_id",) if place else ()) + (("cargo",) if cg else ())

                def pat(f: Keys, mp: KeyMap = mp, stars: tuple[str, ...] = stars) -> Keys:
                    return _star(*stars)(mp(f))

                pats.append(pat)
    out = pd.DataFrame(
        {
            "kind": cand["kind"].to_numpy(dtype=object),
            "time_h": np.nan,
            "cost_usd_per_unit": np.nan,
            "capacity_t_per_yr": np.nan,
            "allowed": False,
        }
    )
    alt = {"transhipment": "mode_change", "mode_change": "transhipment"}
    tries = [cand["kind"], cand["kind"].map(lambda k: alt.get(k, k))]
    for kinds in tries:
        todo = ~out["allowed"].to_numpy()
        if not todo.any():
            break
        q = cand.assign(kind=kinds.to_numpy(), cargo=cargo.cargo)[keys]
        got = _lookup(tab, q, keys, figs, pats)
        take = todo & got["_matched"].to_numpy()
        out.loc[take, "kind"] = kinds[take].to_numpy()
        for f in figs:
            out.loc[take, f] = got.loc[take, f].to_numpy()
        out.loc[take, "allowed"] = True
    allowed = out["allowed"].to_numpy()
    # required transfers without any row of their kind at their place (any cargo)
    required = cand["kind"].isin(["gauge_break", "port"]).to_numpy() & ~allowed
    if required.any():
        has_kind = set(zip(tab["place_id"], tab["kind"], strict=True))
        rec = cand[["place_id", "kind", "from_mode", "to_mode"]].to_numpy(dtype=object)
        for i in np.flatnonzero(required).tolist():
            pid, tkind, m1, m2 = (str(v) for v in rec[i])
            if (pid, tkind) not in has_kind and ("*", tkind) not in has_kind:
                tables.required(
                    "transfers",
                    pd.DataFrame([[pid, tkind, m1, m2]]),
                    f"no {tkind} row: a {tkind} transfer is needed where {m1} meets {m2}",
                )
    for f in ("time_h", "cost_usd_per_unit"):
        bad = allowed & out[f].isna().to_numpy()
        if bad.any():
            tables.missing("transfers", cand.loc[bad, ["place_id", "kind"]], f)
    factor = np.full(n, np.nan)
    if allowed.any():
        factor[allowed] = _emission(tables, out.loc[allowed, "kind"], "co2e_kg_per_t")
    return pd.DataFrame(
        {
            "kind": out["kind"].astype(str),
            "time_h": out["time_h"].to_numpy(dtype=float),
            "cost_usd": out["cost_usd_per_unit"].to_numpy(dtype=float),
            "co2e_kg": cargo.tonnes_per_unit * factor,
            "capacity_t_per_yr": out["capacity_t_per_yr"].to_numpy(dtype=float),
            "allowed": allowed,
        }
    )


def value_of_time(network: Network, cargo: CargoClass) -> float:
    """Return the ``value_of_time`` table's USD per hour for one unit of ``cargo``.

    Raises
    ------
    NetworkValidationError
        The table, the cargo row or its figure is missing.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> net = gauge_network()
    >>> value_of_time(net, resolve_cargo(net, "container_40ft"))
    5.0

    """
    tables = ParameterTables(network)
    tab = tables.table("value_of_time", ["cargo"])
    got = _lookup(
        tab,
        pd.DataFrame({"cargo": [cargo.cargo]}),
        ["cargo"],
        ["value_of_time_usd_per_h"],
        [_same, _star("cargo")],
    )
    value = float(got["value_of_time_usd_per_h"].iloc[0])
    if not np.isfinite(value):
        tables.missing(
            "value_of_time", pd.DataFrame({"cargo": [cargo.cargo]}), "value_of_time_usd_per_h"
        )
        tables.raise_if_problems()
    return value


def generalized_cost(
    time_h: np.ndarray,
    cost_usd: np.ndarray,
    co2e_kg: np.ndarray,
    *,
    value_of_time_usd_per_h: float,
    carbon_price_usd_per_t: float,
) -> np.ndarray:
    """Return ``cost_usd + value_of_time_usd_per_h * time_h + carbon_price * co2e_kg / 1000``.

    Examples
    --------
    >>> import numpy as np
    >>> generalized_cost(np.array([2.0]), np.array([100.0]), np.array([500.0]),
    ...                  value_of_time_usd_per_h=10.0, carbon_price_usd_per_t=40.0)
    array([140.])

    """
    return cost_usd + value_of_time_usd_per_h * time_h + carbon_price_usd_per_t * co2e_kg / 1000.0

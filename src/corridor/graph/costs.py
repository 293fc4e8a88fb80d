"""Per-cargo figures of runs, borders and transfers, from a network's parameter tables.

Every figure here is **per unit of cargo** (one TEU, FEU, tonne or truck, by cargo class);
a route multiplies money and CO2e by the number of units. Time does not scale with units.

Each time is also given as the **elements** the simulation draws (:mod:`.elements`): a
distribution family, a mean and a coefficient of variation per element, or a wait for a
scheduled service. The deterministic figure routing uses is by construction the sum of the
element means (for a wait: the service's expected wait, :func:`.services.expected_wait_h`),
so routing and the simulation read one model.

How the figures are found (``docs/data-model.md``, "How routing uses them"):

* a **run** along a link takes ``length_km / speed_kmh`` hours (the link's ``time_h`` if it
  has one; its ``speed_kmh``, else ``mode_speeds`` for the mode and the country of the link's
  from place, else the ``*`` country row), spread by that row's ``running_cv``. A link of a
  scheduled mode (:attr:`~corridor.network.modes.Mode.scheduled`) rides the service in its
  ``service_id``: the service's departure rule gives the wait, ``voyage_time_h`` the run.
  Money is ``tariffs`` rate x km + fixed, or the service's rate per unit; CO2e is
  ``tonnes_per_unit x length_km x co2e_g_per_tkm / 1000``.
* a **border** (a link whose end places are in different countries) takes the ``borders``
  row of the whole crossing (``side`` empty; exact direction first, then the reverse row),
  else the exit side plus the entry side, each an element of its own: a ``borders`` row of
  that crossing, direction and ``side`` (``exit`` or ``entry``) where one is listed, else
  the ``border_sides`` row of the country left (exit) or entered (entry), by mode group,
  with ``*`` as the default country.
* a **transfer** at a place (gauge break, port, transhipment, mode change) takes the best
  matching ``transfers`` row: the place before ``*``, the cargo before ``*``, and the modes
  as given, then ``from_mode`` alone, ``to_mode`` alone, the reverse pair, and ``*``. Where
  the network has a ``terminals`` table, a transfer is made only at a place with a terminal
  for that change (any direction); elsewhere the modes do not meet.
* a border inside a **customs union** (both countries in one ``customs_unions`` union, and
  no ``borders`` row for the whole crossing) has no border process: 0 h, no fee, no CO2e.
  CO2e of borders and transfers is ``tonnes_per_unit x co2e_kg_per_t`` of the
  ``emission_factors`` row named by the kind (``border``, ``gauge_break`` ...).

A key may be ``*`` in a parameter row to act as a default; a more specific row wins, and an
empty (NaN) figure in a specific row falls back to the next, more general row. A spread
(``*_cv``) is optional: without one the element is a constant. Where a figure has no
fallback, it stays NaN and is reported (:attr:`ParameterTables.problems`): a missing figure
is never taken as zero.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.errors import InputError, NetworkValidationError, Problem
from corridor.graph.elements import FAMILIES
from corridor.graph.services import DEPARTURE_RULES, HOURS_PER_WEEK, Timetable, expected_wait_h
from corridor.network.model import Network
from corridor.network.modes import ModeRegistry

__all__ = [
    "CARGO_ALIASES",
    "CargoClass",
    "ParameterTables",
    "ServiceRecord",
    "border_costs",
    "resolve_cargo",
    "run_costs",
    "service_record",
    "transfer_costs",
    "value_of_time",
]

_M = TypeVar("_M")

#: Short names accepted for cargo classes. ``container`` means a 40 ft container (FEU),
#: the usual box on the corridor's block trains; ``teu`` a 20 ft one.
CARGO_ALIASES: Mapping[str, str] = MappingProxyType(
    {"container": "container_40ft", "feu": "container_40ft", "teu": "container_20ft"}
)

_LOGNORMAL = FAMILIES.index("lognormal")
_DEGENERATE = FAMILIES.index("degenerate")


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
    service : str
        The class of service it travels in (``container_block_train``, ``wagonload`` ...):
        the ``service`` key of ``mode_speeds`` (``""`` when the table names none).
    units_per_consignment : float
        Units that cross a border as one shipment and share its fee (``borders`` and
        ``border_sides`` fees are per shipment): 1 for a box or a truck, 20 for bulk in
        tonnes (the CPMM's 20 t reference consignment). 1 when the table has no such column.

    """

    cargo: str
    unit: str
    tonnes_per_unit: float
    teu_per_unit: float
    service: str = ""
    units_per_consignment: float = 1.0


class ParameterTables:
    """Normalised, cached access to a network's parameter tables, collecting problems.

    Parameters
    ----------
    network : Network
        The network whose ``parameters`` are read.

    Attributes
    ----------
    problems : list of Problem
        Figures without a value or fallback (they stay NaN on the edges).
    structural : list of Problem
        Rows the network needs but lacks (an error of the network).

    """

    def __init__(self, network: Network) -> None:
        self._params = network.parameters
        self._cache: dict[tuple[str, tuple[str, ...]], pd.DataFrame] = {}
        self._memo: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.structural: list[Problem] = []

    def memo(self, key: str, make: Callable[[], _M]) -> _M:
        """Return ``make()``, computed once per key for these tables."""
        if key not in self._memo:
            self._memo[key] = make()
        value: _M = self._memo[key]
        return value

    def has(self, name: str) -> bool:
        """Whether the network has table ``name``."""
        return name in self._params

    def table(self, name: str, keys: Sequence[str]) -> pd.DataFrame:
        """Return table ``name`` with text key columns (raise if it or a key is missing)."""
        ck = (name, tuple(keys))
        if ck in self._cache:
            return self._cache[ck]
        if name not in self._params:
            raise NetworkValidationError(
                [Problem("error", name, "", "", f"parameter table {name!r} is missing")]
            )
        tab = self._params[name]
        missing = [k for k in keys if k not in tab.columns]
        if missing:
            raise NetworkValidationError(
                [Problem("error", name, "", k, "key column is missing") for k in missing]
            )
        tab = tab.copy()
        for k in keys:
            tab[k] = tab[k].fillna("").astype(str).str.strip()
        self._cache[ck] = tab
        return tab

    def missing(self, table: str, keys: pd.DataFrame, column: str, why: str = "") -> None:
        """Record one problem per distinct row of ``keys`` (a frame of key values)."""
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


Keys = dict[str, NDArray[np.object_]]
KeyMap = Callable[[Keys], Keys]


def _lookup(
    table: pd.DataFrame,
    query: pd.DataFrame,
    keys: Sequence[str],
    figures: Sequence[str],
    patterns: Sequence[KeyMap],
    texts: Sequence[str] = (),
) -> pd.DataFrame:
    """Look up ``figures`` (and text columns ``texts``) through a chain of key patterns.

    Each pattern maps the query's key frame to the keys tried at that step (for instance
    with ``country`` replaced by ``*``). A figure still NaN (a text still empty) after one
    step is taken from the next. Returns a frame aligned with ``query`` holding the figures,
    the texts and ``_matched`` (True where any pattern found a row).
    """
    values: dict[str, NDArray[np.float64]] = {
        f: (
            pd.to_numeric(table[f], errors="coerce").to_numpy(dtype=float)
            if f in table.columns
            else np.full(len(table), np.nan)
        )
        for f in figures
    }
    words: dict[str, NDArray[np.object_]] = {
        t: (
            table[t].fillna("").astype(str).str.strip().to_numpy(dtype=object)
            if t in table.columns
            else np.full(len(table), "", dtype=object)
        )
        for t in texts
    }
    tab_key = _joined({k: table[k].astype(str).to_numpy(dtype=object) for k in keys}, keys)
    first = ~pd.Series(tab_key).duplicated(keep="first").to_numpy()
    index = pd.Index(tab_key[first])
    values = {f: v[first] for f, v in values.items()}
    words = {t: v[first] for t, v in words.items()}
    n = len(query)
    out = {f: np.full(n, np.nan) for f in figures}
    out_t = {t: np.full(n, "", dtype=object) for t in texts}
    matched = np.zeros(n, dtype=bool)
    base = {k: query[k].astype(str).to_numpy(dtype=object) for k in keys}
    for pattern in patterns:
        if not len(index):
            break
        pos = index.get_indexer(pd.Index(_joined(pattern(dict(base)), keys)))
        hit = pos >= 0
        matched |= hit
        safe = np.where(hit, pos, 0)
        for f in figures:
            got = np.where(hit, values[f][safe], np.nan)
            out[f] = np.where(np.isnan(out[f]), got, out[f])
        for t in texts:
            got_t = np.where(hit, words[t][safe], "")
            out_t[t] = np.where(out_t[t] == "", got_t, out_t[t])
    frame = pd.DataFrame({**out, **out_t})
    frame["_matched"] = matched
    return frame


def _joined(frame: Keys, keys: Sequence[str]) -> NDArray[np.object_]:
    """One text key per row: the key columns joined by a separator."""
    out = frame[keys[0]]
    for k in keys[1:]:
        out = out + "\x1f" + frame[k]
    return np.asarray(out, dtype=object)


def _star(*cols: str) -> KeyMap:
    def apply(frame: Keys) -> Keys:
        out = dict(frame)
        for c in cols:
            out[c] = np.full(len(frame[c]), "*", dtype=object)
        return out

    return apply


def _same(frame: Keys) -> Keys:
    return frame


def _family(
    family: NDArray[np.object_], cv: NDArray[np.float64], table: str, keys: pd.DataFrame,
    tables: ParameterTables,
) -> tuple[NDArray[np.int8], NDArray[np.float64]]:  # fmt: skip
    """Family codes and cvs: a finite positive cv means lognormal unless a family is named."""
    fam = np.where(family == "", np.where(np.isfinite(cv) & (cv > 0), "lognormal", ""), family)
    fam = np.where(fam == "", "degenerate", fam)
    known = np.isin(fam, np.asarray(FAMILIES, dtype=object))
    if not known.all():
        for i in np.flatnonzero(~known).tolist():
            row_id = "/".join(str(v) for v in keys.iloc[i].tolist())
            tables.structural.append(
                Problem(
                    "error",
                    table,
                    row_id,
                    "distribution",
                    f"unknown distribution {fam[i]!r}: allowed are {', '.join(FAMILIES)}",
                )
            )
        fam = np.where(known, fam, "degenerate")
    codes = np.array([FAMILIES.index(str(f)) for f in fam], dtype=np.int8)
    cv_out = np.where(codes == _DEGENERATE, 0.0, np.nan_to_num(cv))
    return codes, cv_out


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
    allowed = sorted(set(tab["cargo"]) | set(CARGO_ALIASES))
    if not isinstance(cargo, str):
        raise InputError(
            f"cargo must be a text naming a cargo class, got {cargo!r}: allowed values are "
            + ", ".join(allowed),
            argument="cargo",
            value=cargo,
            allowed=allowed,
        )
    name = CARGO_ALIASES.get(cargo.strip().lower(), cargo.strip())
    rows = tab[tab["cargo"] == name]
    if rows.empty:
        raise InputError(
            f"unknown cargo {cargo!r}: allowed values are {', '.join(allowed)}",
            argument="cargo",
            value=cargo,
            allowed=allowed,
        )
    row = rows.iloc[0]
    tonnes = pd.to_numeric(pd.Series([row.get("tonnes_per_unit")]), errors="coerce").iloc[0]
    teu = pd.to_numeric(pd.Series([row.get("teu_per_unit")]), errors="coerce").iloc[0]
    if not (np.isfinite(tonnes) and tonnes > 0):
        tables.missing("cargo_classes", pd.DataFrame({"cargo": [name]}), "tonnes_per_unit")
        tables.raise_if_problems()
    unit = str(row.get("unit", "") or "")
    service = row.get("service", "")
    service = "" if service is None or service != service else str(service).strip()
    per = pd.to_numeric(pd.Series([row.get("units_per_consignment")]), errors="coerce").iloc[0]
    if "units_per_consignment" in tab.columns and not (np.isfinite(per) and per >= 1):
        tables.missing(
            "cargo_classes",
            pd.DataFrame({"cargo": [name]}),
            "units_per_consignment",
            "a number >= 1",
        )
        tables.raise_if_problems()
    return CargoClass(
        name,
        unit,
        float(tonnes),
        float(teu) if np.isfinite(teu) else 0.0,
        service,
        float(per) if np.isfinite(per) else 1.0,
    )


def _emission(tables: ParameterTables, keys: pd.Series, column: str) -> NDArray[np.float64]:
    """Emission factor ``column`` for each mode or transfer kind in ``keys``."""
    key_col = "mode"
    if tables.has("emission_factors"):
        raw = tables.table("emission_factors", [])
        if "mode" not in raw.columns and "kind" in raw.columns:
            key_col = "kind"
    tab = tables.table("emission_factors", [key_col])
    query = pd.DataFrame({key_col: keys.to_numpy()})
    got = _lookup(tab, query, [key_col], [column], [_same])
    bad = got[column].isna().to_numpy()
    if bad.any():
        tables.missing("emission_factors", query[bad], column)
    return got[column].to_numpy(dtype=float)


@dataclass(frozen=True)
class ServiceRecord:
    """A scheduled service as ridden on one link: how long a unit waits for a departure.

    Attributes
    ----------
    service_id : str
        The ``ferry_services`` row.
    rule : str
        One of :data:`~corridor.graph.services.DEPARTURE_RULES`.
    timetable : Timetable or None
        The departures (``headway`` and ``timetable`` rules).
    p_cancel : tuple of 12 float
        Chance that a departure is cancelled, by month (the larger of the two ports').
    wait_mean_h, wait_cv : float
        The observed wait (``observed_wait`` rule).
    expected_wait_h : float
        Mean wait over the year: the figure routing adds.

    """

    service_id: str
    rule: str
    timetable: Timetable | None
    p_cancel: tuple[float, ...]
    wait_mean_h: float
    wait_cv: float
    expected_wait_h: float


def _cancellation_by_place(
    tables: ParameterTables,
) -> tuple[NDArray[np.float64], dict[str, NDArray[np.float64]]] | None:
    """Monthly cancellation chances: the ``*`` default and each place's (read once)."""
    if not tables.has("cancellation"):
        return None
    tab = tables.table("cancellation", ["place_id"])
    month = pd.to_numeric(tab["month"], errors="coerce") if "month" in tab else None
    prob = pd.to_numeric(tab["p_cancel"], errors="coerce") if "p_cancel" in tab else None
    if month is None or prob is None:
        return None
    places = tab["place_id"].tolist()
    default = np.zeros(12)
    for place, m, p in zip(places, month.tolist(), prob.tolist(), strict=True):
        if place == "*" and 1 <= m <= 12 and p == p:
            default[int(m) - 1] = p
    by_place: dict[str, NDArray[np.float64]] = {}
    for place, m, p in zip(places, month.tolist(), prob.tolist(), strict=True):
        if place != "*" and 1 <= m <= 12 and p == p:
            by_place.setdefault(place, default.copy())[int(m) - 1] = p
    return default, by_place


def _cancellation(tables: ParameterTables, ports: Sequence[str]) -> NDArray[np.float64]:
    """Monthly cancellation chance of a sailing between ``ports`` (the larger port value)."""
    out = np.zeros(12)
    found = tables.memo("cancellation_by_place", lambda: _cancellation_by_place(tables))
    if found is None:
        return out
    default, by_place = found
    for port in ports:
        out = np.maximum(out, by_place.get(port, default))
    return out


def _service_record(
    row: Mapping[str, object], ports: Sequence[str], tables: ParameterTables
) -> ServiceRecord | None:
    """Resolve a ``ferry_services`` row into its departure rule and expected wait."""
    sid = str(row.get("service_id", ""))

    def num(name: str) -> float:
        v = row.get(name)
        if isinstance(v, numbers.Real) and not isinstance(v, bool):
            return float(v)  # the common case: a typed figure or NaN
        return float(pd.to_numeric(pd.Series([v]), errors="coerce").iloc[0])

    def text(name: str) -> str:
        v = row.get(name)
        return "" if v is None or v != v else str(v).strip()

    rule = text("departure_rule")
    weekdays = text("weekdays")
    wait = num("wait_time_h")
    dpw = num("departures_per_week")
    headway = num("headway_h")
    if not rule:  # infer from what the row holds
        rule = "timetable" if weekdays else "observed_wait" if np.isfinite(wait) else "headway"
    key = pd.DataFrame({"service_id": [sid]})
    if rule not in DEPARTURE_RULES:
        tables.required(
            "ferry_services",
            key,
            f"unknown departure_rule {rule!r}: allowed are {', '.join(DEPARTURE_RULES)}",
        )
        return None
    p_cancel = _cancellation(tables, ports)
    timetable: Timetable | None = None
    try:
        if rule == "timetable":
            if not weekdays:
                tables.missing("ferry_services", key, "weekdays", "departure_rule is timetable")
                return None
            timetable = Timetable.weekly(weekdays, text("departure_times") or "12:00")
        elif rule == "headway":
            if not np.isfinite(headway) and np.isfinite(dpw) and dpw > 0:
                headway = HOURS_PER_WEEK / dpw
            if not (np.isfinite(headway) and headway > 0):
                tables.missing(
                    "ferry_services", key, "headway_h", "nor departures_per_week (rule headway)"
                )
                return None
            timetable = Timetable.headway(headway)
    except InputError as err:
        tables.required("ferry_services", key, str(err))
        return None
    if rule == "observed_wait":
        if not (np.isfinite(wait) and wait >= 0):
            tables.missing("ferry_services", key, "wait_time_h", "departure_rule observed_wait")
            return None
        cv = num("wait_cv")
        return ServiceRecord(
            sid, rule, None, tuple(p_cancel.tolist()), wait, cv if np.isfinite(cv) else 0.0, wait
        )
    assert timetable is not None
    return ServiceRecord(
        sid,
        rule,
        timetable,
        tuple(p_cancel.tolist()),
        np.nan,
        0.0,
        expected_wait_h(timetable, p_cancel),
    )


def service_record(
    network: Network, service_id: str, ports: Sequence[str] | None = None
) -> ServiceRecord:
    """Return one ``ferry_services`` row resolved as routing resolves it.

    Parameters
    ----------
    network : Network
        The network whose ``ferry_services`` and ``cancellation`` tables are read.
    service_id : str
        The service.
    ports : sequence of str, optional
        Ports whose cancellation chances apply (the larger value wins); the row's
        ``from_id`` and ``to_id`` by default.

    Returns
    -------
    ServiceRecord

    Raises
    ------
    InputError
        For an unknown service (``argument="service"``).
    NetworkValidationError
        When the row cannot be resolved (a missing figure or an unknown rule).

    Examples
    --------
    >>> from corridor.network.default import load_default
    >>> service_record(load_default(), "FERRY_KURYK_AMIRABAD").rule
    'headway'

    """
    tables = ParameterTables(network)
    svc = tables.table("ferry_services", ["service_id"])
    rows = svc[svc["service_id"] == service_id]
    if rows.empty:
        raise InputError(
            f"unknown service {service_id!r}",
            argument="service",
            value=service_id,
            allowed=sorted(set(svc["service_id"].tolist()) - {""}),
        )
    row = {str(k): v for k, v in rows.iloc[0].to_dict().items()}
    ends = tuple(ports) if ports is not None else (str(row.get("from_id")), str(row.get("to_id")))
    rec = _service_record(row, ends, tables)
    tables.raise_if_structural()
    if rec is None:
        tables.raise_if_problems()
        raise InputError(f"service {service_id!r} cannot be resolved", argument="service")
    return rec


@dataclass(frozen=True, eq=False)
class RunCosts:
    """Per-unit figures of runs along links, aligned with the links given.

    Attributes
    ----------
    time_h, wait_h, cost_usd, co2e_kg, length_km, capacity_t_per_yr : ndarray
        Per link; ``time_h`` includes ``wait_h`` (the expected wait for a service).
    running_h, running_cv : ndarray
        Mean running (or voyage) time and its coefficient of variation.
    running_family : ndarray of int8
        Code into :data:`~corridor.graph.elements.FAMILIES`.
    service : ndarray of int64
        Index into ``services`` of the service ridden, ``-1`` for an unscheduled run.
    services : tuple of ServiceRecord
        One record per scheduled link.

    """

    time_h: NDArray[np.float64]
    wait_h: NDArray[np.float64]
    cost_usd: NDArray[np.float64]
    co2e_kg: NDArray[np.float64]
    length_km: NDArray[np.float64]
    capacity_t_per_yr: NDArray[np.float64]
    running_h: NDArray[np.float64]
    running_cv: NDArray[np.float64]
    running_family: NDArray[np.int8]
    service: NDArray[np.int64]
    services: tuple[ServiceRecord, ...]


def run_costs(
    links: pd.DataFrame, cargo: CargoClass, tables: ParameterTables, modes: ModeRegistry
) -> RunCosts:
    """Return per-unit time, wait, money and CO2e of running along each link.

    Parameters
    ----------
    links : pandas.DataFrame
        Links with the extra column ``from_country`` (country of the from place).
    cargo : CargoClass
        The cargo class.
    tables : ParameterTables
        The network's tables; collects missing figures (the caller raises).
    modes : ModeRegistry
        The network's modes.

    Returns
    -------
    RunCosts

    """
    n = len(links)
    lk = links.reset_index(drop=True)
    length = _col(lk, "length_km")
    if np.isnan(length).any():
        tables.missing("links", lk.loc[np.isnan(length), ["link_id"]], "length_km")
    scheduled_codes = {m for m in modes.names if modes[m].scheduled}
    scheduled = lk["mode"].isin(scheduled_codes).to_numpy()
    service = (
        lk["service_id"].fillna("").astype(str).to_numpy()
        if "service_id" in lk.columns
        else np.full(n, "", dtype=object)
    )
    # ---- scheduled services
    voyage = np.full(n, np.nan)
    wait = np.zeros(n)
    svc_rate = np.full(n, np.nan)
    svc_cap = np.full(n, np.nan)
    svc_index = np.full(n, -1, dtype=np.int64)
    records: list[ServiceRecord] = []
    no_service = scheduled & (service == "")
    if no_service.any():
        tables.missing(
            "links",
            lk.loc[no_service, ["link_id"]],
            "service_id",
            "a scheduled link needs a service",
        )
    if (scheduled & (service != "")).any():
        svc = tables.table("ferry_services", ["service_id"]).drop_duplicates("service_id")
        svc = svc.set_index("service_id")
        idx = np.flatnonzero(scheduled & (service != ""))
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
        fare, fare_km = _service_rate(rows, cargo)
        svc_rate[idx] = fare + fare_km * length[idx]
        svc_cap[idx] = _col(rows, "capacity_t_per_yr")
        row_dicts = rows.rename_axis("service_id").reset_index().to_dict("records")
        ends = lk.loc[idx, ["from_id", "to_id"]].to_numpy(dtype=object)
        for j, (i, row) in enumerate(zip(idx.tolist(), row_dicts, strict=True)):
            rec = _service_record(
                {str(k): v for k, v in row.items()}, (str(ends[j][0]), str(ends[j][1])), tables
            )
            if rec is None:
                wait[i] = np.nan
                continue
            svc_index[i] = len(records)
            records.append(rec)
            wait[i] = rec.expected_wait_h
    # ---- speed and time
    speeds = tables.table("mode_speeds", ["mode", "country"])
    q = pd.DataFrame({"mode": lk["mode"], "country": lk["from_country"]})
    if "service" in speeds.columns:  # speeds by class of service (block train, wagonload)
        speeds = speeds.assign(
            service=speeds["service"].fillna("").astype(str).str.strip().replace({"": "*"})
        )
        got = _lookup(
            speeds,
            q.assign(service=cargo.service or "*"),
            ["mode", "country", "service"],
            ["speed_kmh", "running_cv"],
            [_same, _star("country"), _star("service"), _star("country", "service")],
            texts=["running_distribution"],
        )
    else:
        got = _lookup(
            speeds,
            q,
            ["mode", "country"],
            ["speed_kmh", "running_cv"],
            [_same, _star("country")],
            texts=["running_distribution"],
        )
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
    family, cv = _family(
        got["running_distribution"].to_numpy(dtype=object),
        got["running_cv"].to_numpy(dtype=float),
        "mode_speeds",
        q,
        tables,
    )
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
    return RunCosts(
        time_h=running + wait,
        wait_h=wait,
        cost_usd=cost,
        co2e_kg=co2e,
        length_km=length,
        capacity_t_per_yr=cap,
        running_h=running,
        running_cv=np.where(svc_index >= 0, 0.0, cv),
        running_family=np.where(svc_index >= 0, _DEGENERATE, family).astype(np.int8),
        service=svc_index,
        services=tuple(records),
    )


def _col(frame: pd.DataFrame, name: str) -> NDArray[np.float64]:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)


def _service_rate(
    rows: pd.DataFrame, cargo: CargoClass
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-unit fare of each service row: a fixed part and a part per km of the link.

    Columns by cargo id, by unit, by TEU, by tonne, the first that the row fills:
    ``rate_usd_per_<x>`` (per voyage) and ``rate_usd_per_<x>_km`` (per km sailed); either
    may be empty (0) when the other is given. Both NaN where no column applies.
    """
    fixed = np.full(len(rows), np.nan)
    per_km = np.full(len(rows), np.nan)
    candidates: list[tuple[str, float]] = [
        (f"rate_usd_per_{cargo.cargo}", 1.0),
        (f"rate_usd_per_{cargo.unit.lower()}", 1.0) if cargo.unit else ("", 0.0),
    ]
    if cargo.teu_per_unit > 0:
        candidates.append(("rate_usd_per_teu", cargo.teu_per_unit))
    candidates.append(("rate_usd_per_t", cargo.tonnes_per_unit))
    for col, scale in candidates:
        if not col:
            continue
        f = _col(rows, col) * scale
        k = _col(rows, f"{col}_km") * scale
        found = np.isnan(fixed) & np.isnan(per_km) & (np.isfinite(f) | np.isfinite(k))
        fixed = np.where(found, np.nan_to_num(f), fixed)
        per_km = np.where(found, np.nan_to_num(k), per_km)
    return fixed, np.where(np.isnan(fixed), np.nan, per_km)


@dataclass(frozen=True, eq=False)
class BorderCosts:
    """Per-unit figures of border crossings, with one or two dwell elements each.

    Attributes
    ----------
    time_h, cost_usd, co2e_kg, capacity_t_per_yr : ndarray
        Per crossing.
    mean_h, cv : ndarray, shape (n, 2)
        The dwell elements: the crossing's own row in column 0 (column 1 zero), or the
        exit side in column 0 and the entry side in column 1.
    family : ndarray of int8, shape (n, 2)
        Codes into :data:`~corridor.graph.elements.FAMILIES`.
    n_elements : ndarray of int64
        1 or 2.

    """

    time_h: NDArray[np.float64]
    cost_usd: NDArray[np.float64]
    co2e_kg: NDArray[np.float64]
    capacity_t_per_yr: NDArray[np.float64]
    mean_h: NDArray[np.float64]
    cv: NDArray[np.float64]
    family: NDArray[np.int8]
    n_elements: NDArray[np.int64]


def border_costs(
    crossings: pd.DataFrame, cargo: CargoClass, tables: ParameterTables, modes: ModeRegistry
) -> BorderCosts:
    """Return per-unit dwell time, fee and CO2e of each border crossing.

    Parameters
    ----------
    crossings : pandas.DataFrame
        Columns ``from_id``, ``to_id``, ``mode``, ``from_country``, ``to_country``.
    cargo : CargoClass
        The cargo class.
    tables : ParameterTables
        Collects missing figures.
    modes : ModeRegistry
        For the border group of each mode.

    Returns
    -------
    BorderCosts

    """
    cx = crossings.reset_index(drop=True)
    n = len(cx)
    group = cx["mode"].map(lambda m: modes[m].border_group if m in modes else "")
    figs = ["dwell_time_h", "dwell_cv", "fee_usd_per_unit", "capacity_t_per_yr"]
    keys = ["from_id", "to_id", "mode_group"]
    q = pd.DataFrame({"from_id": cx["from_id"], "to_id": cx["to_id"], "mode_group": group})
    whole_tab: pd.DataFrame | None = None
    side_tab: pd.DataFrame | None = None
    if tables.has("borders") and n:
        tab = tables.table("borders", keys)
        side_col = (
            tab["side"].fillna("").astype(str).str.strip()
            if "side" in tab.columns
            else pd.Series("", index=tab.index)
        )
        whole_tab = tab[(side_col == "").to_numpy()]
        side_tab = tab[(side_col != "").to_numpy()].assign(side=side_col[side_col != ""])
    if whole_tab is not None and len(whole_tab):

        def swap(frame: Keys) -> Keys:
            return {**frame, "from_id": frame["to_id"], "to_id": frame["from_id"]}

        pair = _lookup(whole_tab, q, keys, figs, [_same, swap], texts=["dwell_distribution"])
    else:
        pair = pd.DataFrame(np.nan, index=range(n), columns=figs)
        pair["dwell_distribution"] = ""
    has_pair = ~pair["dwell_time_h"].isna().to_numpy()
    # a crossing inside a customs union has no border process (unless a row says otherwise)
    union = _same_union(tables, cx["from_country"], cx["to_country"]) & ~has_pair
    if union.any():
        for f in ("dwell_time_h", "fee_usd_per_unit", "dwell_cv"):
            pair.loc[union, f] = 0.0
        pair.loc[union, "dwell_distribution"] = "degenerate"
        has_pair = has_pair | union
    mean = np.zeros((n, 2))
    cv = np.zeros((n, 2))
    family = np.zeros((n, 2), dtype=np.int8)
    n_el = np.where(has_pair, 1, 2).astype(np.int64)
    fam, cv0 = _family(
        pair["dwell_distribution"].to_numpy(dtype=object),
        pair["dwell_cv"].to_numpy(dtype=float),
        "borders",
        q,
        tables,
    )
    mean[:, 0] = pair["dwell_time_h"].to_numpy(dtype=float)
    cv[:, 0] = cv0
    family[:, 0] = fam
    fee = pair["fee_usd_per_unit"].to_numpy(dtype=float)
    need_sides = (~has_pair) | np.isnan(fee)
    if need_sides.any():
        stab = tables.table("border_sides", ["country", "mode_group", "side"])
        side_fee = np.zeros(n)
        for col, side, country in ((0, "exit", "from_country"), (1, "entry", "to_country")):
            sfig = ["dwell_time_h", "dwell_cv", "fee_usd_per_unit"]
            if side_tab is not None and len(side_tab):
                own = _lookup(
                    side_tab,
                    q.assign(side=side),
                    [*keys, "side"],
                    sfig,
                    [_same],
                    texts=["dwell_distribution"],
                )
            else:
                own = pd.DataFrame(np.nan, index=range(n), columns=sfig)
                own["dwell_distribution"] = ""
            sq = pd.DataFrame({"country": cx[country], "mode_group": group, "side": side})
            got = _lookup(
                stab,
                sq,
                ["country", "mode_group", "side"],
                sfig,
                [_same, _star("country")],
                texts=["dwell_distribution"],
            )
            crossing_side = ~own["dwell_time_h"].isna().to_numpy()
            for f in sfig:
                got[f] = own[f].where(own[f].notna(), got[f])
            got["dwell_distribution"] = np.where(
                crossing_side, own["dwell_distribution"], got["dwell_distribution"]
            )
            got["dwell_cv"] = np.where(crossing_side, own["dwell_cv"], got["dwell_cv"])
            dwell = got["dwell_time_h"].to_numpy(dtype=float)
            s_fam, s_cv = _family(
                got["dwell_distribution"].to_numpy(dtype=object),
                got["dwell_cv"].to_numpy(dtype=float),
                "border_sides",
                sq,
                tables,
            )
            use = ~has_pair
            mean[use, col] = dwell[use]
            cv[use, col] = s_cv[use]
            family[use, col] = s_fam[use]
            f_side = got["fee_usd_per_unit"].to_numpy(dtype=float)
            side_fee = side_fee + f_side
            for name, vals, need in (
                ("dwell_time_h", dwell, use),
                ("fee_usd_per_unit", f_side, need_sides),
            ):
                bad = need & np.isnan(vals)
                if bad.any():
                    tables.missing("border_sides", sq[bad], name, "and no borders row for the pair")
        fee = np.where(np.isnan(fee), side_fee, fee)
    time_h = mean[:, 0] + np.where(n_el == 2, mean[:, 1], 0.0)
    factor = _emission(tables, pd.Series(["border"] * n), "co2e_kg_per_t")
    return BorderCosts(
        time_h=time_h,
        # fees are per shipment: the units of one consignment share it
        cost_usd=fee / cargo.units_per_consignment,
        co2e_kg=np.where(union, 0.0, cargo.tonnes_per_unit * factor),
        capacity_t_per_yr=pair["capacity_t_per_yr"].to_numpy(dtype=float),
        mean_h=mean,
        cv=cv,
        family=family,
        n_elements=n_el,
    )


def _same_union(
    tables: ParameterTables, from_country: pd.Series, to_country: pd.Series
) -> NDArray[np.bool_]:
    """Whether both countries of each crossing belong to one customs union.

    The ``customs_unions`` table lists ``union_id`` and ``country`` (one row per member);
    without it, no crossing is inside a union.
    """
    out = np.zeros(len(from_country), dtype=bool)
    if not tables.has("customs_unions"):
        return out
    tab = tables.table("customs_unions", ["union_id", "country"])
    members: dict[str, set[str]] = {}
    for uid, c in zip(tab["union_id"], tab["country"], strict=True):
        if uid and c:
            members.setdefault(c, set()).add(uid)
    a = from_country.astype(str).tolist()
    b = to_country.astype(str).tolist()
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        out[i] = bool(members.get(x, set()) & members.get(y, set()))
    return out


def transfer_costs(
    candidates: pd.DataFrame, cargo: CargoClass, tables: ParameterTables
) -> pd.DataFrame:
    """Return per-unit time, money and CO2e of each candidate transfer, and whether allowed.

    Parameters
    ----------
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
        ``kind`` (the kind of the matching row), ``time_h``, ``time_cv``, ``family``,
        ``cost_usd``, ``co2e_kg``, ``capacity_t_per_yr``, ``allowed`` aligned with
        ``candidates``. A gauge break or port transfer without any ``transfers`` row at its
        place is recorded as missing; a mode change without a row is not allowed; a place
        with rows of the kind for other cargo classes only refuses this one.

    """
    cand = candidates.reset_index(drop=True)
    n = len(cand)
    keys = ["place_id", "kind", "from_mode", "to_mode", "cargo"]
    figs = ["time_h", "time_cv", "cost_usd_per_unit", "capacity_t_per_yr"]
    tab = tables.table("transfers", keys) if n else pd.DataFrame(columns=keys + figs)
    tab = tab.copy()
    for k in ("from_mode", "to_mode", "cargo", "place_id"):
        tab.loc[tab[k] == "", k] = "*"

    def swap(frame: Keys) -> Keys:
        return {**frame, "from_mode": frame["to_mode"], "to_mode": frame["from_mode"]}

    mode_patterns: tuple[KeyMap, ...] = (
        _same,
        _star("to_mode"),
        _star("from_mode"),
        swap,
        _star("from_mode", "to_mode"),
    )
    pats: list[KeyMap] = []
    for place in (False, True):
        for cg in (False, True):
            for mp in mode_patterns:
                stars = (("place_id",) if place else ()) + (("cargo",) if cg else ())

                def pat(f: Keys, mp: KeyMap = mp, stars: tuple[str, ...] = stars) -> Keys:
                    return _star(*stars)(mp(f))

                pats.append(pat)
    out = pd.DataFrame(
        {
            "kind": cand["kind"].to_numpy(dtype=object),
            "time_h": np.nan,
            "time_cv": np.nan,
            "distribution": "",
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
        got = _lookup(tab, q, keys, figs, pats, texts=["time_distribution"])
        take = todo & got["_matched"].to_numpy()
        out.loc[take, "kind"] = kinds[take].to_numpy()
        for f in figs:
            out.loc[take, f] = got.loc[take, f].to_numpy()
        out.loc[take, "distribution"] = got.loc[take, "time_distribution"].to_numpy()
        out.loc[take, "allowed"] = True
    terminal = _has_terminal(tables, cand)
    out.loc[~terminal, "allowed"] = False
    allowed = out["allowed"].to_numpy(dtype=bool)
    # required transfers without any row of their kind at their place (any cargo)
    required = cand["kind"].isin(["gauge_break", "port"]).to_numpy() & ~allowed & terminal
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
    fam, cv = _family(
        out["distribution"].to_numpy(dtype=object),
        out["time_cv"].to_numpy(dtype=float),
        "transfers",
        cand[["place_id", "kind"]],
        tables,
    )
    factor = np.full(n, np.nan)
    if allowed.any():
        factor[allowed] = _emission(tables, out.loc[allowed, "kind"], "co2e_kg_per_t")
    return pd.DataFrame(
        {
            "kind": out["kind"].astype(str),
            "time_h": out["time_h"].to_numpy(dtype=float),
            "time_cv": cv,
            "family": fam,
            "cost_usd": out["cost_usd_per_unit"].to_numpy(dtype=float),
            "co2e_kg": cargo.tonnes_per_unit * factor,
            "capacity_t_per_yr": out["capacity_t_per_yr"].to_numpy(dtype=float),
            "allowed": allowed,
        }
    )


def _has_terminal(tables: ParameterTables, cand: pd.DataFrame) -> NDArray[np.bool_]:
    """Whether a terminal for each candidate change exists at its place.

    The ``terminals`` table lists the places where a change of mode can be made:
    ``place_id``, ``kind`` (``gauge_break``, ``port``, ``mode_change``; ``transhipment``
    and ``mode_change`` are one), ``from_mode`` and ``to_mode`` (``*`` or empty = any; a
    row serves both directions). Without the table every change the ``transfers`` table
    prices is allowed.
    """
    n = len(cand)
    if not tables.has("terminals") or not n:
        return np.ones(n, dtype=bool)
    keys = ["place_id", "kind", "from_mode", "to_mode"]
    tab = tables.table("terminals", keys).copy()
    for k in ("from_mode", "to_mode"):
        tab.loc[tab[k] == "", k] = "*"
    tab["kind"] = tab["kind"].replace({"transhipment": "mode_change"})
    tab["_one"] = 1.0
    q = cand[keys].assign(kind=cand["kind"].replace({"transhipment": "mode_change"}))

    def swap(frame: Keys) -> Keys:
        return {**frame, "from_mode": frame["to_mode"], "to_mode": frame["from_mode"]}

    def swap_star(col: str) -> KeyMap:
        return lambda f: _star(col)(swap(f))

    pats: list[KeyMap] = [
        _same,
        swap,
        _star("to_mode"),
        _star("from_mode"),
        swap_star("to_mode"),
        swap_star("from_mode"),
        _star("from_mode", "to_mode"),
    ]
    got = _lookup(tab, q, keys, ["_one"], pats)
    return got["_matched"].to_numpy(dtype=bool)


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

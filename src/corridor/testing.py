"""Small hand-made networks for tests of corridor and its users.

Every figure here is made up for tests: its ``_source`` column says ``test fixture``. The
multimodal networks carry the parameter tables of ``docs/data-model.md`` so that routing
can run on them:

* :func:`gauge_network`: ``A --rail_1520 200 km-- G --rail_1435 120 km-- B`` with a gauge
  break at ``G`` and a 900 km road ``A--B``;
* :func:`border_network`: ``A --rail 300-- B |KAZ/TKM| C --rail 400-- D(IRN)`` with a
  *planned* 1200 km road ``A--D``;
* :func:`ferry_network`: ``A --rail 500-- P(port) ~~ferry 430~~ Q(port, AZE) --rail 600-- B``;
* :func:`road_network`: a road chain ``A --360-- B --360-- C |KAZ/TKM| D`` under drivers'
  hours rules, beside a rail line with a terminal at ``B`` and ``C``;
* :func:`random_multimodal_network`: random places, links and parameters, for property
  tests;
* :func:`two_route_case`, :func:`two_port_case`: freight demand with a capacity element on
  a rail section or a port (the flow model's known answers).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from corridor.demand.freight import FreightDemand
from corridor.network.model import Network
from corridor.network.modes import DEFAULT_MODES, ModeRegistry

__all__ = [
    "border_network",
    "capacity_row",
    "ferry_network",
    "fixture_parameters",
    "gauge_network",
    "random_multimodal_network",
    "road_network",
    "tiny_network",
    "two_port_case",
    "two_route_case",
]

_TEST = "test fixture: made-up figure"


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]], keys: int) -> pd.DataFrame:
    """Build a table whose first ``keys`` columns are keys; add ``_source`` to each figure."""
    frame = pd.DataFrame([list(r) for r in rows], columns=list(columns))
    for col in columns[keys:]:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
        frame[f"{col}_source"] = _TEST
    return frame


def fixture_parameters(
    *,
    transfers: Sequence[Sequence[Any]] = (),
    borders: Sequence[Sequence[Any]] = (),
    ferry_services: Sequence[Sequence[Any]] = (),
) -> dict[str, pd.DataFrame]:
    """Return the parameter tables of the test networks (every figure a test fixture).

    Shared figures, per unit: rail_1520 50 km/h, 1.0 USD/km (0.8 from Turkmenistan);
    rail_1435 40 km/h, 1.5 USD/km; road 60 km/h, 2.0 USD/km; ferry 20 km/h, 0.5 USD/km;
    sea 25 km/h, 0.3 USD/km; no fixed fees. CO2e: 20, 25, 80, 40, 15 g/t-km by mode;
    hubs 2 (gauge break), 3 (port), 0.5 (border), 1.5 (transhipment, mode change) kg/t.
    A 40 ft container weighs 20 t gross and is worth 5 USD/h. Border sides: each
    country's one value applies when leaving it and when entering it.

    Parameters
    ----------
    transfers : sequence of rows
        ``(place_id, kind, from_mode, to_mode, cargo, time_h, cost_usd_per_unit,
        capacity_t_per_yr)``.
    borders : sequence of rows
        ``(from_id, to_id, mode_group, dwell_time_h, fee_usd_per_unit, capacity_t_per_yr)``.
    ferry_services : sequence of rows
        ``(service_id, from_id, to_id, operator, departures_per_week, wait_time_h,
        voyage_time_h, rate_usd_per_teu, rate_usd_per_truck, capacity_t_per_yr)``.

    Returns
    -------
    dict of str to pandas.DataFrame

    Examples
    --------
    >>> sorted(fixture_parameters())[:3]
    ['border_sides', 'borders', 'cargo_classes']

    """
    modes_rows = [("rail_1520", 50), ("rail_1435", 40), ("road", 60), ("ferry", 20), ("sea", 25)]
    return {
        "cargo_classes": _table(
            ["cargo", "unit", "tonnes_per_unit", "teu_per_unit"],
            [
                ("container_20ft", "teu", 10, 1),
                ("container_40ft", "feu", 20, 2),
                ("bulk", "t", 1, 0),
                ("roro_truck", "truck", 20, 0),
            ],
            2,
        ),
        "mode_speeds": _table(
            ["mode", "country", "speed_kmh"], [(m, "*", s) for m, s in modes_rows], 2
        ),
        "tariffs": _table(
            ["mode", "country", "cargo", "rate_usd_per_unit_km", "fixed_usd_per_unit"],
            [
                ("rail_1520", "*", "*", 1.0, 0.0),
                ("rail_1520", "TKM", "*", 0.8, np.nan),
                ("rail_1435", "*", "*", 1.5, 0.0),
                ("road", "*", "*", 2.0, 0.0),
                ("ferry", "*", "*", 0.5, 0.0),
                ("sea", "*", "*", 0.3, 0.0),
            ],
            3,
        ),
        "emission_factors": _table(
            ["mode", "co2e_g_per_tkm", "co2e_kg_per_t"],
            [
                ("rail_1520", 20, np.nan),
                ("rail_1435", 25, np.nan),
                ("road", 80, np.nan),
                ("ferry", 40, np.nan),
                ("sea", 15, np.nan),
                ("gauge_break", np.nan, 2.0),
                ("port", np.nan, 3.0),
                ("border", np.nan, 0.5),
                ("transhipment", np.nan, 1.5),
                ("mode_change", np.nan, 1.5),
            ],
            1,
        ),
        "border_sides": _table(
            ["country", "mode_group", "side", "dwell_time_h", "fee_usd_per_unit"],
            [
                ("KAZ", "rail", "exit", 4, 50),
                ("KAZ", "rail", "entry", 4, 50),
                ("TKM", "rail", "exit", 5, 40),
                ("TKM", "rail", "entry", 5, 40),
                ("IRN", "rail", "exit", 7, 60),
                ("IRN", "rail", "entry", 7, 60),
                ("AZE", "rail", "exit", 4, 30),
                ("AZE", "rail", "entry", 4, 30),
                ("UZB", "rail", "exit", 6, 45),
                ("UZB", "rail", "entry", 6, 45),
                ("KAZ", "road", "exit", 3, 30),
                ("KAZ", "road", "entry", 3, 30),
                ("TKM", "road", "exit", 3, 35),
                ("TKM", "road", "entry", 3, 35),
                ("IRN", "road", "exit", 4, 50),
                ("IRN", "road", "entry", 4, 50),
                ("AZE", "road", "exit", 2, 20),
                ("AZE", "road", "entry", 2, 20),
                ("UZB", "road", "exit", 3, 25),
                ("UZB", "road", "entry", 3, 25),
                ("KAZ", "sea", "exit", 2, 20),
                ("KAZ", "sea", "entry", 2, 20),
                ("TKM", "sea", "exit", 2, 25),
                ("TKM", "sea", "entry", 2, 25),
                ("IRN", "sea", "exit", 3, 35),
                ("IRN", "sea", "entry", 3, 35),
                ("AZE", "sea", "exit", 3, 30),
                ("AZE", "sea", "entry", 3, 30),
                ("UZB", "sea", "exit", 2, 20),
                ("UZB", "sea", "entry", 2, 20),
            ],
            3,
        ),
        "borders": _table(
            [
                "from_id",
                "to_id",
                "mode_group",
                "dwell_time_h",
                "fee_usd_per_unit",
                "capacity_t_per_yr",
            ],
            borders,
            3,
        ),
        "transfers": _table(
            [
                "place_id",
                "kind",
                "from_mode",
                "to_mode",
                "cargo",
                "time_h",
                "cost_usd_per_unit",
                "capacity_t_per_yr",
            ],
            transfers,
            5,
        ),
        "ferry_services": _table(
            [
                "service_id",
                "from_id",
                "to_id",
                "operator",
                "departures_per_week",
                "wait_time_h",
                "voyage_time_h",
                "rate_usd_per_teu",
                "rate_usd_per_truck",
                "capacity_t_per_yr",
            ],
            ferry_services,
            4,
        ),
        "value_of_time": _table(
            ["cargo", "value_of_time_usd_per_h"],
            [("container_20ft", 3), ("container_40ft", 5), ("bulk", 0.1), ("roro_truck", 6)],
            1,
        ),
    }


def _places(rows: Sequence[tuple[str, str, str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(*r, "open") for r in rows],
        columns=["place_id", "name", "country", "kind", "lon", "lat", "status"],
    )


def _both_ways(
    rows: Sequence[tuple[str, str, str, float]], status: Sequence[str] = (), **extra: Sequence[Any]
) -> pd.DataFrame:
    """Links ``(from, to, mode, km)`` as ``<from><to>_ab`` and ``_ba`` rows."""
    out = []
    for i, (a, b, mode, km) in enumerate(rows):
        st = status[i] if status else "open"
        more = {k: v[i] for k, v in extra.items()}
        out.append(
            {
                "link_id": f"{a}{b}_ab",
                "from_id": a,
                "to_id": b,
                "mode": mode,
                "length_km": km,
                "status": st,
                **more,
            }
        )
        out.append(
            {
                "link_id": f"{a}{b}_ba",
                "from_id": b,
                "to_id": a,
                "mode": mode,
                "length_km": km,
                "status": st,
                **more,
            }
        )
    frame = pd.DataFrame(out)
    frame["length_km_source"] = _TEST
    return frame


def tiny_network() -> Network:
    """Return a four-place network with rail of both gauges, a road link and a border.

    Places ``A`` and ``B`` are in Kazakhstan (KAZ), ``C`` and ``D`` in Iran (IRN). ``B``–``C``
    crosses the border; ``C`` is where the gauges meet. It has no parameter tables.

    Returns
    -------
    Network

    Examples
    --------
    >>> net = tiny_network()
    >>> net.n_places, net.n_links
    (4, 4)

    """
    places = _places(
        [
            ("A", "Alpha", "KAZ", "city", 50.0, 40.0),
            ("B", "Bravo", "KAZ", "junction", 51.0, 40.0),
            ("C", "Charlie", "IRN", "border_crossing", 52.0, 40.0),
            ("D", "Delta", "IRN", "city", 53.0, 40.0),
        ]
    )
    links = pd.DataFrame(
        {
            "link_id": ["AB", "BC", "CD", "AD"],
            "from_id": ["A", "B", "C", "A"],
            "to_id": ["B", "C", "D", "D"],
            "mode": ["rail_1520", "rail_1520", "rail_1435", "road"],
            "length_km": [100.0, 50.0, 80.0, 300.0],
            "length_km_source": [_TEST] * 4,
            "status": ["open"] * 4,
        }
    )
    return Network.from_frames(places, links, metadata={"name": "tiny"})


def gauge_network() -> Network:
    """Return a one-country network with a gauge break at ``G`` and a long road.

    ``A --rail_1520 200 km-- G --rail_1435 120 km-- B`` and ``A --road 900 km-- B``, all in
    KAZ. At ``G`` the gauge break takes 6 h and costs 50 USD per unit (both directions). No
    transhipment between rail and road is allowed anywhere.

    Examples
    --------
    >>> gauge_network().summary()["links_by_mode"]
    {'rail_1435': 2, 'rail_1520': 2, 'road': 2}

    """
    places = _places(
        [
            ("A", "Alpha", "KAZ", "city", 70.0, 45.0),
            ("G", "Gauge", "KAZ", "rail_station", 72.0, 45.0),
            ("B", "Bravo", "KAZ", "city", 73.0, 45.0),
        ]
    )
    links = _both_ways(
        [("A", "G", "rail_1520", 200.0), ("G", "B", "rail_1435", 120.0), ("A", "B", "road", 900.0)]
    )
    params = fixture_parameters(
        transfers=[("G", "gauge_break", "rail_1520", "rail_1435", "*", 6.0, 50.0, 1e6)]
    )
    return Network.from_frames(places, links, parameters=params, metadata={"name": "gauge"})


def border_network() -> Network:
    """Return a rail line across two borders and a planned direct road.

    ``A(KAZ) --rail_1520 300-- B(KAZ) --10-- C(TKM) --400-- D(IRN)``; the road ``A--D``
    (1200 km, KAZ to IRN) is *planned*. The ``B``/``C`` crossing has its own ``borders`` row
    (8 h, 100 USD); ``C``/``D`` uses ``border_sides`` (TKM exit 5 h + IRN entry 7 h, 40 + 60
    USD).

    Examples
    --------
    >>> border_network().links["status"].value_counts()["planned"]
    np.int64(2)

    """
    places = _places(
        [
            ("A", "Alpha", "KAZ", "city", 60.0, 44.0),
            ("B", "Bravo", "KAZ", "border_crossing", 61.0, 42.0),
            ("C", "Charlie", "TKM", "border_crossing", 61.1, 41.9),
            ("D", "Delta", "IRN", "city", 59.0, 36.0),
        ]
    )
    links = _both_ways(
        [
            ("A", "B", "rail_1520", 300.0),
            ("B", "C", "rail_1520", 10.0),
            ("C", "D", "rail_1520", 400.0),
            ("A", "D", "road", 1200.0),
        ],
        status=["open", "open", "open", "planned"],
    )
    params = fixture_parameters(borders=[("B", "C", "rail", 8.0, 100.0, 5e6)])
    return Network.from_frames(places, links, parameters=params, metadata={"name": "border"})


def ferry_network() -> Network:
    """Return a rail-ferry-rail chain across the Caspian.

    ``A(KAZ) --rail_1520 500-- P(KAZ port) ~~ferry 430 km, service S1~~ Q(AZE port)
    --rail_1520 600-- B(AZE)``. S1 sails twice a week (no wait figure, so the expected
    wait is 84 / 2 = 42 h), 18 h a voyage, 500 USD per TEU. Port transfers: ``P`` 10 h,
    120 USD; ``Q`` 12 h, 150 USD.

    Examples
    --------
    >>> ferry_network().parameters["ferry_services"]["departures_per_week"].tolist()
    [2.0]

    """
    places = _places(
        [
            ("A", "Alpha", "KAZ", "city", 76.9, 43.2),
            ("P", "Port P", "KAZ", "port", 51.2, 43.6),
            ("Q", "Port Q", "AZE", "port", 49.9, 40.4),
            ("B", "Bravo", "AZE", "city", 45.0, 41.0),
        ]
    )
    links = _both_ways(
        [
            ("A", "P", "rail_1520", 500.0),
            ("P", "Q", "ferry", 430.0),
            ("Q", "B", "rail_1520", 600.0),
        ],
        service_id=["", "S1", ""],
    )
    params = fixture_parameters(
        transfers=[
            ("P", "port", "rail_1520", "ferry", "*", 10.0, 120.0, 1e6),
            ("Q", "port", "rail_1520", "ferry", "*", 12.0, 150.0, 1e6),
        ],
        ferry_services=[("S1", "P", "Q", "test", 2, np.nan, 18.0, 500.0, 700.0, 1e6)],
    )
    return Network.from_frames(places, links, parameters=params, metadata={"name": "ferry"})


def driving_rules_table() -> pd.DataFrame:
    """Return a ``driving_rules`` table with the AETR figures for road (test copy).

    One driver: 9 h of driving a day, a 0.75 h break after 4.5 h, an 11 h daily rest, a
    45 h weekly rest after 6 driving periods, 56 h a week, 90 h a fortnight. Two drivers:
    18 h, breaks without a stop (0 h), a 9 h rest, twice the weekly limits.

    Examples
    --------
    >>> driving_rules_table()["crew"].tolist()
    [1, 2]

    """
    return _table(
        [
            "mode",
            "country",
            "crew",
            "daily_driving_h",
            "break_after_h",
            "break_h",
            "daily_rest_h",
            "periods_per_week",
            "weekly_rest_h",
            "weekly_driving_h",
            "fortnight_driving_h",
        ],
        [
            ("road", "*", 1, 9, 4.5, 0.75, 11, 6, 45, 56, 90),
            ("road", "*", 2, 18, 4.5, 0, 9, 6, 45, 112, 180),
        ],
        3,
    )


def road_network() -> Network:
    """Return a road chain under drivers' hours rules beside a rail line.

    Road (60 km/h): ``A --360 km-- B --360 km-- C`` in KAZ, then ``C --480 km-- D`` into TKM
    (road border: KAZ exit 3 h + TKM entry 3 h). Rail (50 km/h): ``A --360-- B --360-- C``.
    Rail-road terminals at ``B`` and ``C`` (2 h, 100 USD each way); rail links are named
    ``R<from><to>_ab``. The ``driving_rules``
    table is :func:`driving_rules_table`.

    Examples
    --------
    >>> sorted(road_network().parameters)[3]
    'driving_rules'

    """
    places = _places(
        [
            ("A", "Alpha", "KAZ", "city", 60.0, 45.0),
            ("B", "Bravo", "KAZ", "city", 64.6, 45.0),
            ("C", "Charlie", "KAZ", "city", 69.2, 45.0),
            ("D", "Delta", "TKM", "city", 75.0, 45.0),
        ]
    )
    links = _both_ways(
        [
            ("A", "B", "road", 360.0),
            ("B", "C", "road", 360.0),
            ("C", "D", "road", 480.0),
            ("A", "B", "rail_1520", 360.0),
            ("B", "C", "rail_1520", 360.0),
        ]
    )
    rail = (links["mode"] == "rail_1520").to_numpy()
    links.loc[rail, "link_id"] = "R" + links.loc[rail, "link_id"]
    terminals = [
        (p, "mode_change", a, b, "*", 2.0, 100.0, 1e6)
        for p in ("B", "C")
        for a, b in (("rail_1520", "road"), ("road", "rail_1520"))
    ]
    params = fixture_parameters(transfers=terminals)
    params["driving_rules"] = driving_rules_table()
    return Network.from_frames(places, links, parameters=params, metadata={"name": "road"})


def random_multimodal_network(
    seed: int, n_places: int, n_links: int, *, driving_rules: bool = False
) -> Network:
    """Return a random multimodal network with random parameter tables.

    Places lie in four countries; links get random modes, lengths and (sometimes) their own
    speed, cargo restriction or planned status; every ferry and sea link has a service.
    Every place has gauge-break and port rows; about half allow other mode changes. Some
    country-specific tariff and speed rows leave figures empty, to exercise fallbacks.

    Parameters
    ----------
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    n_places, n_links : int
        Sizes (``n_places >= 2``).
    driving_rules : bool, default False
        Add drivers' hours rules for road: :func:`driving_rules_table`, and for stretches
        that start in IRN a stricter test set (8 h a day, a 0.5 h break after 4 h, a 10 h
        rest, a 36 h weekly rest after 5 periods, 40 h a week, 70 h a fortnight; two
        drivers 16 h, no break, 9 h rest, twice the weekly figures).

    Returns
    -------
    Network

    Examples
    --------
    >>> net = random_multimodal_network(1, 10, 30)
    >>> net.n_places, net.n_links
    (10, 30)

    """
    rng = np.random.default_rng(seed)
    countries = np.array(["KAZ", "TKM", "IRN", "UZB"])
    ids = [f"P{i}" for i in range(n_places)]
    places = pd.DataFrame(
        {
            "place_id": ids,
            "name": [f"Place {i}" for i in range(n_places)],
            "country": rng.choice(countries, n_places),
            "kind": "junction",
            "lon": rng.uniform(50, 80, n_places),
            "lat": rng.uniform(35, 50, n_places),
            "status": np.where(rng.random(n_places) < 0.05, "planned", "open"),
        }
    )
    u = rng.integers(0, n_places, n_links)
    v = (u + rng.integers(1, n_places, n_links)) % n_places
    registry = ModeRegistry(DEFAULT_MODES)
    share = {"rail_1520": 0.35, "rail_1435": 0.2, "road": 0.3, "ferry": 0.1, "sea": 0.05}
    names = np.array(registry.names)
    modes = rng.choice(names, n_links, p=[share[m] for m in registry.names])
    water = np.isin(modes, [m for m in registry.names if registry[m].scheduled])
    links = pd.DataFrame(
        {
            "link_id": [f"L{i}" for i in range(n_links)],
            "from_id": np.array(ids)[u],
            "to_id": np.array(ids)[v],
            "mode": modes,
            "status": np.where(rng.random(n_links) < 0.1, "planned", "open"),
            "length_km": rng.uniform(10, 500, n_links).round(1),
            "speed_kmh": np.where(rng.random(n_links) < 0.2, rng.uniform(20, 90, n_links), np.nan),
            "service_id": np.where(water, [f"S{i}" for i in range(n_links)], ""),
            "cargo_classes": np.where(rng.random(n_links) < 0.1, "bulk", ""),
        }
    )
    links["length_km_source"] = _TEST
    links["speed_kmh_source"] = _TEST
    transfers: list[tuple[Any, ...]] = []
    for pid in ids:
        transfers.append(
            (pid, "gauge_break", "*", "*", "*", rng.uniform(1, 12), rng.uniform(10, 100), np.nan)
        )
        transfers.append(
            (pid, "port", "*", "*", "*", rng.uniform(2, 24), rng.uniform(20, 200), np.nan)
        )
        if rng.random() < 0.5:
            transfers.append(
                (pid, "mode_change", "*", "*", "*", rng.uniform(1, 8), rng.uniform(5, 80), np.nan)
            )
    services = [
        (
            f"S{i}",
            ids[u[i]],
            ids[v[i]],
            "test",
            float(rng.integers(1, 8)),
            rng.uniform(5, 60) if rng.random() < 0.5 else np.nan,
            rng.uniform(5, 40),
            rng.uniform(100, 900),
            rng.uniform(100, 900),
            np.nan,
        )
        for i in np.flatnonzero(water)
    ]
    borders = [
        (
            ids[u[i]],
            ids[v[i]],
            registry.border_group(str(modes[i])),
            rng.uniform(1, 30),
            rng.uniform(10, 300) if rng.random() < 0.7 else np.nan,
            np.nan,
        )
        for i in rng.choice(n_links, size=min(n_links, 5), replace=False)
    ]
    params = fixture_parameters(transfers=transfers, borders=borders, ferry_services=services)
    extra_tariffs = _table(
        ["mode", "country", "cargo", "rate_usd_per_unit_km", "fixed_usd_per_unit"],
        [
            ("road", "UZB", "container_40ft", 2.5, np.nan),
            ("rail_1435", "IRN", "*", np.nan, 20.0),
        ],
        3,
    )
    params["tariffs"] = pd.concat([extra_tariffs, params["tariffs"]], ignore_index=True)
    extra_speeds = _table(["mode", "country", "speed_kmh"], [("road", "IRN", 45)], 2)
    params["mode_speeds"] = pd.concat([extra_speeds, params["mode_speeds"]], ignore_index=True)
    if driving_rules:
        stricter = _table(
            list(driving_rules_table().columns[:11]),
            [
                ("road", "IRN", 1, 8, 4, 0.5, 10, 5, 36, 40, 70),
                ("road", "IRN", 2, 16, 4, 0, 9, 5, 36, 80, 140),
            ],
            3,
        )
        params["driving_rules"] = pd.concat([stricter, driving_rules_table()], ignore_index=True)
    return Network.from_frames(
        places, links, parameters=params, metadata={"name": f"random-{seed}"}
    )


def capacity_row(
    element_id: str,
    kind: str,
    capacity_t_per_yr: float,
    *,
    batch_t: float = math.nan,
    **keys: str,
) -> dict[str, object]:
    """One row of a ``capacities`` table (keys such as ``segment_ids`` or ``place_ids``)."""
    row: dict[str, object] = {
        "kind": kind,
        "id": element_id,
        "from_id": "",
        "to_id": "",
        "place_ids": "",
        "segment_ids": "",
        "service_ids": "",
        "mode_group": "",
        "modes": "",
        "direction": "both",
        "cargo_classes": "",
        "capacity_t_per_yr": capacity_t_per_yr,
        "capacity_t_per_yr_source": _TEST,
        "batch_t": batch_t,
        "batch_t_source": _TEST if math.isfinite(batch_t) else "",
    }
    row.update(keys)
    return row


def _case_places(rows: list[tuple[str, str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(*r, 40.0, "open") for r in rows],
        columns=["place_id", "name", "country", "kind", "lon", "lat", "status"],
    )


def _case_links(rows: list[tuple[str, str, str, float, str]]) -> pd.DataFrame:
    out = []
    for a, b, mode, km, extra in rows:
        for lid, f, t in ((f"{a}{b}_ab", a, b), (f"{a}{b}_ba", b, a)):
            out.append(
                {
                    "link_id": lid,
                    "from_id": f,
                    "to_id": t,
                    "mode": mode,
                    "length_km": km,
                    "length_km_source": _TEST,
                    "status": "open",
                    "segment_id": f"{a}{b}",
                    "service_id": extra,
                }
            )
    return pd.DataFrame(out)


def two_route_case(
    *,
    capacity_t_per_yr: float = 500.0,
    demand_t_per_yr: float = 1000.0,
    batch_t: float = math.nan,
) -> tuple[Network, FreightDemand]:
    """Return a two-route network and its bulk demand.

    ``A --rail_1520 100 km-- B`` (2 h, 100 USD/t at the fixture's 1 USD/km and 50 km/h)
    and ``A --road 100 km-- B`` (1.67 h, 200 USD/t). The rail section ``AB`` is the
    capacity element ``CAP-FAST``. Bulk is worth 0.1 USD per tonne-hour, so in hours of
    value of time the rail route costs 1002 h and the road 2001.67 h: the rail route
    carries freight until its queue delay reaches 999.67 h.

    Examples
    --------
    >>> net, demand = two_route_case()
    >>> net.n_places, demand.total_t
    (2, 1000.0)

    """
    places = _case_places(
        [("A", "Alpha", "KAZ", "city", 70.0), ("B", "Bravo", "KAZ", "city", 71.0)]
    )
    links = pd.concat(
        [
            _case_links([("A", "B", "rail_1520", 100.0, "")]),
            _case_links([("A", "B", "road", 100.0, "")]),
        ],
        ignore_index=True,
    )
    links.loc[links["mode"] == "road", "link_id"] = links["link_id"] + "_road"
    links.loc[links["mode"] == "road", "segment_id"] = "AB_road"
    params = fixture_parameters()
    params["capacities"] = pd.DataFrame(
        [capacity_row("CAP-FAST", "rail_section", capacity_t_per_yr, batch_t=batch_t,
                      segment_ids="AB")]
    )  # fmt: skip
    net = Network.from_frames(places, links, parameters=params, metadata={"name": "two routes"})
    demand = FreightDemand.from_records(
        [
            {
                "row_id": "AB-bulk",
                "origin": "A",
                "destination": "B",
                "commodity_group": "grain",
                "cargo_class": "bulk",
                "tonnes_per_yr": demand_t_per_yr,
                "tonnes_per_yr_source": _TEST,
            }
        ]
    )
    return net, demand


def two_port_case(
    *,
    port_capacity_t_per_yr: float = 300.0,
    demand_t_per_yr: float = 1000.0,
    back_t_per_yr: float = 0.0,
) -> tuple[Network, FreightDemand]:
    """Return a two-port network: ``A`` to ``B`` over port ``P1`` or ``P2`` and ``Q``.

    ``A --rail 100-- P1 ~~sea 400~~ Q --rail 100-- B`` and ``A --rail 300-- P2 ~~sea 400~~ Q``;
    port transfers rail<->sea take 10 h and 20 USD per t at each port. ``P1``'s port
    transfers (both directions, every mode pair) are the element ``CAP-P1``. Demand
    ``A -> B`` and optionally ``B -> A`` (which also uses ``P1``'s capacity).

    Examples
    --------
    >>> net, demand = two_port_case(back_t_per_yr=100.0)
    >>> sorted(net.places["place_id"])
    ['A', 'B', 'P1', 'P2', 'Q']

    """
    places = _case_places(
        [
            ("A", "Alpha", "KAZ", "city", 60.0),
            ("P1", "Port one", "KAZ", "port", 61.0),
            ("P2", "Port two", "KAZ", "port", 61.5),
            ("Q", "Quay", "AZE", "port", 62.0),
            ("B", "Bravo", "AZE", "city", 63.0),
        ]
    )
    links = _case_links(
        [
            ("A", "P1", "rail_1520", 100.0, ""),
            ("A", "P2", "rail_1520", 300.0, ""),
            ("P1", "Q", "sea", 400.0, ""),
            ("P2", "Q", "sea", 400.0, ""),
            ("Q", "B", "rail_1520", 100.0, ""),
        ]
    )
    transfers = [
        (p, "port", a, b, "*", 10.0, 20.0, np.nan)
        for p in ("P1", "P2", "Q")
        for a, b in (("rail_1520", "sea"), ("sea", "rail_1520"))
    ]
    params = fixture_parameters(transfers=transfers)
    params["capacities"] = pd.DataFrame(
        [capacity_row("CAP-P1", "port", port_capacity_t_per_yr, place_ids="P1")]
    )
    net = Network.from_frames(places, links, parameters=params, metadata={"name": "two ports"})
    rows = [
        {
            "row_id": "AB",
            "origin": "A",
            "destination": "B",
            "commodity_group": "grain",
            "cargo_class": "bulk",
            "tonnes_per_yr": demand_t_per_yr,
        }
    ]
    if back_t_per_yr > 0:
        rows.append(
            {
                "row_id": "BA",
                "origin": "B",
                "destination": "A",
                "commodity_group": "grain",
                "cargo_class": "bulk",
                "tonnes_per_yr": back_t_per_yr,
            }
        )
    return net, FreightDemand.from_records(rows)

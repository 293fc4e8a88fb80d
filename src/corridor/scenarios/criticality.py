"""Criticality: close each element of the network in turn and measure what it costs.

The elements (:func:`elements_of`) are every link (a segment: both directions together,
else a link), every border crossing (the links between two places in different
countries), every port (a place of kind ``port``: all its links) and every scheduled
service. For each, the freight assignment (:func:`corridor.scenarios.steps.run_flows`) is
run on the network without it, and the element is scored by

* ``unserved_t``: the demand (t/yr) the closure leaves without any route;
* ``added_cost_usd``: the added generalized cost (USD/yr) of the demand still served,
  i.e. the sum over flows still served of the change in their equilibrium cost.

An element none of whose links carries freight in the base assignment is not reassigned:
without it the base flows are still an equilibrium (every path in use remains, and a closure
makes no other path cheaper), so it scores 0 and 0 exactly (``reassigned`` false; pass
``skip_unused=False`` to reassign it anyway, which gives 0 to within the assignment's gap).

They are ranked by unserved tonnes, then by added cost. Elements are closed in chunks
(one network load per chunk), serially or on dask (:func:`corridor.scenarios.parallel.execute`);
the figures do not depend on how they were split.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.errors import InputError
from corridor.network.model import Network
from corridor.scenarios.edits import links_of_target
from corridor.scenarios.parallel import execute
from corridor.scenarios.steps import DemandOptions, FlowsSummary, run_flows

__all__ = ["ELEMENT_KINDS", "CriticalitySetup", "criticality", "elements_of"]

#: Kinds of elements, as named in the results (``segment`` and ``link`` are both links).
ELEMENT_KINDS: tuple[str, ...] = ("link", "border", "port", "service")

#: Elements closed per task.
CHUNK = 12


def elements_of(
    network: Network, kinds: Sequence[str] = ELEMENT_KINDS
) -> list[tuple[str, str, str]]:
    """Return the elements to close as ``(kind, target kind, id)``, in a stable order.

    Planned links are left out (they carry nothing until opened).

    Examples
    --------
    >>> from corridor.testing import border_network
    >>> [e for e in elements_of(border_network()) if e[0] != "link"]
    [('border', 'border', 'B|C'), ('border', 'border', 'C|D')]

    """
    bad = [k for k in kinds if k not in ELEMENT_KINDS]
    if bad:
        raise InputError(
            f"unknown element kind(s) {bad}; allowed: {list(ELEMENT_KINDS)}",
            argument="kinds",
            value=bad[0],
            allowed=ELEMENT_KINDS,
        )
    links = network.links
    links = links[links["status"] != "planned"]
    out: list[tuple[str, str, str]] = []
    if "link" in kinds:
        seg = (
            links["segment_id"].fillna("").astype(str)
            if "segment_id" in links.columns
            else pd.Series("", index=links.index)
        )
        out += [("link", "segment", s) for s in sorted(set(seg[seg != ""]))]
        out += [("link", "link", i) for i in links.loc[seg == "", "link_id"].astype(str)]
    if "border" in kinds:
        country = network.places.set_index("place_id")["country"]
        fc = links["from_id"].map(country).fillna("")
        tc = links["to_id"].map(country).fillna("")
        cross = links[(fc != tc) & (fc != "") & (tc != "")]
        pairs = {
            "|".join(sorted((str(a), str(b))))
            for a, b in zip(cross["from_id"], cross["to_id"], strict=True)
        }
        out += [("border", "border", p) for p in sorted(pairs)]
    if "port" in kinds:
        ports = network.places.loc[network.places["kind"] == "port", "place_id"].astype(str)
        used = set(links["from_id"]) | set(links["to_id"])
        out += [("port", "place", p) for p in sorted(ports) if p in used]
    if "service" in kinds and "service_id" in links.columns:
        services = set(links["service_id"].fillna("").astype(str)) - {""}
        out += [("service", "service", s) for s in sorted(services)]
    return out


@dataclass(frozen=True)
class CriticalitySetup:
    """What every criticality task needs: the scenario file (or the default) and growth."""

    path: str | None = None
    growth: float = 1.0


def _base(setup: CriticalitySetup) -> tuple[Network, DemandOptions]:
    from corridor.scenarios.run import check_scenario, load_base
    from corridor.scenarios.spec import ScenarioFile, load_scenario, scenario_from_spec
    from corridor.scenarios.steps import grow

    scenario = (
        load_scenario(setup.path)
        if setup.path
        else scenario_from_spec(ScenarioFile(), name="default")
    )
    checked = check_scenario(scenario, network=load_base(scenario), check=False)
    spec = scenario.spec
    demand = grow(
        checked.demand,
        checked.base,
        growth=spec.demand.growth * setup.growth,
        growth_by_pair=spec.demand.growth_by_pair,
    )
    p = spec.parameters
    options = DemandOptions(
        demand=demand,
        carbon_price_usd_per_t=p.carbon_price_usd_per_t,
        method=p.method,
        gap=p.gap,
        max_iter=p.max_iter,
    )
    return checked.edited.normal, options


def _score(base: FlowsSummary, closed: FlowsSummary) -> tuple[float, float]:
    keys = ["origin", "destination", "cargo"]
    b = base.od[[*keys, "assigned_t", "cost_usd"]]
    c = closed.od[[*keys, "assigned_t", "cost_usd"]]
    both = b.merge(c, on=keys, suffixes=("_b", "_c"))
    served = (both["assigned_t_c"] > 0).to_numpy()
    added = float(
        np.sum(both["cost_usd_c"].to_numpy()[served] - both["cost_usd_b"].to_numpy()[served])
    )
    unserved = closed.totals["unserved_t"] - base.totals["unserved_t"]
    return unserved, added


def _row(
    ident: str, kind: str, n_links: int, unserved: float, added: float, totals: Mapping[str, float]
) -> dict[str, object]:
    return {
        "element": ident,
        "kind": kind,
        "links_closed": n_links,
        "unserved_t": float(unserved),
        "added_cost_usd": float(added),
        "total_cost_usd": float(totals["total_cost_usd"]),
        "relative_gap": float(totals["relative_gap"]),
        "reassigned": True,
    }


def criticality_task(
    setup: CriticalitySetup, elements: Sequence[tuple[str, str, str]]
) -> list[dict[str, object]]:
    """Close each element of a chunk in turn, reassign and score it (runs in a worker)."""
    network, options = _base(setup)
    base = run_flows(network, options)
    rows: list[dict[str, object]] = []
    for kind, target, ident in elements:
        ids = links_of_target(network, target, ident)
        closed = run_flows(network.without_links(ids) if ids else network, options)
        unserved, added = _score(base, closed)
        rows.append(_row(ident, kind, len(ids), unserved, added, closed.totals))
    return rows


def _split_unused(
    network: Network, options: DemandOptions, elements: Sequence[tuple[str, str, str]]
) -> tuple[list[tuple[str, str, str]], list[dict[str, object]]]:
    """Return the elements that carry freight in the base, and the rows of those that do not."""
    base = run_flows(network, options)
    volume = dict(zip(base.links["link_id"], base.links["volume_t"].astype(float), strict=True))
    used: list[tuple[str, str, str]] = []
    rows: list[dict[str, object]] = []
    for kind, target, ident in elements:
        ids = links_of_target(network, target, ident)
        if any(volume.get(i, 0.0) > 0.0 for i in ids):
            used.append((kind, target, ident))
        else:
            rows.append({**_row(ident, kind, len(ids), 0.0, 0.0, base.totals), "reassigned": False})
    return used, rows


def criticality(
    path: str | None = None,
    *,
    kinds: Sequence[str] = ELEMENT_KINDS,
    growth: float = 1.0,
    limit: int | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    progress: bool = False,
    chunk: int = CHUNK,
    skip_unused: bool = True,
) -> pd.DataFrame:
    """Rank the elements of a scenario's network (default: the default network) by criticality.

    Parameters
    ----------
    path : str, optional
        A scenario file: its edited network (whole-year edits) and demand. None for the
        default network with the baseline demand.
    kinds : sequence of str
        Which kinds of elements to close (:data:`ELEMENT_KINDS`).
    growth : float, default 1.0
        Extra growth on every flow.
    limit : int, optional
        Close only the first ``limit`` elements (in :func:`elements_of` order).
    scheduler, workers, progress
        As :func:`corridor.scenarios.parallel.execute` (``workers=0``: serially here).
    chunk : int
        Elements per task.
    skip_unused : bool, default True
        Score an element that carries no freight in the base 0 without reassigning.

    Returns
    -------
    pandas.DataFrame
        One row per element, most critical first: ``rank``, ``element``, ``kind``,
        ``links_closed``, ``unserved_t``, ``added_cost_usd``, ``total_cost_usd``,
        ``relative_gap``, ``reassigned``.

    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InputError(f"limit must be a whole number >= 1, got {limit!r}", argument="limit")
    if not (float(growth) >= 0.0 and np.isfinite(float(growth))):
        raise InputError(f"growth must be a finite number >= 0, got {growth!r}", argument="growth")
    setup = CriticalitySetup(path=path, growth=float(growth))
    network, options = _base(setup)
    elements = elements_of(network, kinds)
    if limit is not None:
        elements = elements[:limit]
    rows: list[dict[str, object]] = []
    if skip_unused:
        elements, rows = _split_unused(network, options, elements)
    chunks = [tuple(elements[i : i + chunk]) for i in range(0, len(elements), max(1, chunk))]
    parts = execute(
        criticality_task,
        [(setup, c) for c in chunks],
        scheduler=scheduler,
        workers=workers,
        label="criticality",
        progress=progress,
    )
    table = pd.DataFrame(
        [*(row for part in parts for row in part), *rows],
        columns=[
            "element",
            "kind",
            "links_closed",
            "unserved_t",
            "added_cost_usd",
            "total_cost_usd",
            "relative_gap",
            "reassigned",
        ],
    )
    table = table.sort_values(
        ["unserved_t", "added_cost_usd", "kind", "element"],
        ascending=[False, False, True, True],
        kind="stable",
    ).reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table

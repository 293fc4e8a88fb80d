"""Results of a freight assignment: per edge, link, element, OD pair, and totals.

Units: flows in tonnes per year (``t_per_yr``) and TEU per year (containers only); money
in USD; time in hours per tonne (the OD tables) or tonne-hours (totals); CO2e in tonnes.
The **shadow price** of an element is the generalized cost one more tonne per year of its
capacity would save, at the current flows: ``-sum_k vot_k L_k dd/dC`` (USD per year per
t/yr of capacity, i.e. USD per tonne), ``L_k`` the tonnes of class ``k`` at the element.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.flows import _kernels as kern
from corridor.flows.problem import FreightProblem
from corridor.flows.solve import FlowState
from corridor.graph.build import EDGE_KINDS

__all__ = ["FlowResult"]


@dataclass(frozen=True, eq=False)
class FlowResult:
    """A solved freight problem and the tables derived from it.

    Attributes
    ----------
    problem : FreightProblem
        The problem.
    state : FlowState
        Its flows.

    Examples
    --------
    >>> from corridor.testing import two_route_case
    >>> from corridor.flows import assign_flows
    >>> res = assign_flows(*two_route_case())
    >>> round(res.totals["assigned_t"])
    1000

    """

    problem: FreightProblem
    state: FlowState

    # ------------------------------------------------------------------ edges
    @cached_property
    def edge_info(self) -> pd.DataFrame:
        """One row per global edge: class, kind, ref (link id or place id), modes, places."""
        parts = []
        for b in self.problem.classes:
            g = b.graph
            e = b.edge
            real = e >= 0
            ge = np.where(real, e, 0)
            kind = np.where(
                real, np.asarray(EDGE_KINDS, dtype=object)[g.edge_kind[ge]], "connector"
            )
            is_link = np.isin(g.edge_kind[ge], (0, 1))
            ref = np.where(
                is_link,
                np.asarray(g.link_ids, dtype=object)[np.where(is_link, g.edge_ref[ge], 0)],
                np.asarray(g.place_ids, dtype=object)[np.where(~is_link, g.edge_ref[ge], 0)],
            )
            names = np.asarray([*g.modes.names, ""], dtype=object)
            fm = names[np.where(g.edge_from_mode[ge] >= 0, g.edge_from_mode[ge], -1)]
            tm = names[np.where(g.edge_to_mode[ge] >= 0, g.edge_to_mode[ge], -1)]
            pids = np.asarray(g.place_ids, dtype=object)
            svc = np.asarray([*g.service_ids, ""], dtype=object)
            run = real & (g.edge_kind[ge] == 0)
            parts.append(
                pd.DataFrame(
                    {
                        "cargo_class": b.cargo,
                        "kind": kind,
                        "ref": np.where(real, ref, ""),
                        "from_mode": np.where(real, fm, ""),
                        "to_mode": np.where(real, tm, ""),
                        "from_place": np.where(real, pids[g.edge_from_place[ge]], ""),
                        "to_place": np.where(real, pids[g.edge_to_place[ge]], ""),
                        "service_id": np.where(run, svc[np.where(run, g.edge_ref[ge], -1)], ""),
                        "teu_per_t": b.teu_per_t,
                    }
                )
            )
        if not parts:  # no class has demand (e.g. growth 0): no edge
            return pd.DataFrame(
                columns=["cargo_class", "kind", "ref", "from_mode", "to_mode", "from_place",
                         "to_place", "service_id", "teu_per_t"]
            )  # fmt: skip
        return pd.concat(parts, ignore_index=True)

    @cached_property
    def edges(self) -> pd.DataFrame:
        """Per global edge with flow: t/yr, TEU/yr, use of its busiest element, delay (h)."""
        info = self.edge_info.copy()
        s = self.state
        info["t_per_yr"] = s.edge_flow
        info["teu_per_yr"] = s.edge_flow * info["teu_per_t"].to_numpy()
        info["use_ratio"] = self._edge_use()
        info["delay_h"] = s.edge_delay_h
        info["length_km"] = self.problem.length_km
        # connectors (zone to place) and stays (carrying on through a place in one mode)
        # are no element of the network: a stay's tonnes are already on the runs around it
        info = info[~info["kind"].isin(("connector", "stay")) & (info["t_per_yr"] > 0)]
        return info.drop(columns=["teu_per_t"]).reset_index(drop=True)

    @cached_property
    def links(self) -> pd.DataFrame:
        """Flows by network element, all classes together.

        Runs and borders by link, transfers by place and mode pair; t/yr (also per
        class), TEU/yr, the highest use of its capacity elements, the delay.
        """
        e = self.edges
        keys = ["kind", "ref", "from_place", "to_place", "from_mode", "to_mode"]
        if e.empty:
            return pd.DataFrame(columns=[*keys, "t_per_yr", "teu_per_yr", "use_ratio", "delay_h"])
        out = e.groupby(keys, sort=False, as_index=False).agg(
            t_per_yr=("t_per_yr", "sum"),
            teu_per_yr=("teu_per_yr", "sum"),
            use_ratio=("use_ratio", "max"),
            delay_h=("delay_h", "max"),
            length_km=("length_km", "max"),
        )
        by_class = e.pivot_table(
            index=keys, columns="cargo_class", values="t_per_yr", aggfunc="sum", fill_value=0.0
        )
        by_class.columns = [f"t_per_yr_{c}" for c in by_class.columns]
        out = out.merge(by_class.reset_index(), on=keys, how="left")
        return out.sort_values("t_per_yr", ascending=False).reset_index(drop=True)

    @cached_property
    def services(self) -> pd.DataFrame:
        """Flows per scheduled service (ferry and sea lines) and direction.

        t/yr, TEU/yr, the highest use of its capacity elements, its queue delay.
        """
        e = self.edges
        keys = ["service_id", "from_place", "to_place"]
        e = e[e["kind"].eq("run") & e["service_id"].ne("")]
        if e.empty:
            return pd.DataFrame(columns=[*keys, "t_per_yr", "teu_per_yr", "use_ratio", "delay_h"])
        out = e.groupby(keys, sort=False, as_index=False).agg(
            t_per_yr=("t_per_yr", "sum"),
            teu_per_yr=("teu_per_yr", "sum"),
            use_ratio=("use_ratio", "max"),
            delay_h=("delay_h", "max"),
        )
        return out.sort_values("t_per_yr", ascending=False).reset_index(drop=True)

    def _edge_use(self) -> NDArray[np.float64]:
        """Highest use ratio over the elements of each global edge (0 without one)."""
        p = self.problem
        use = self.state.load / p.delay.capacity_t_per_yr if p.elements else np.zeros(0)
        out = np.zeros(p.n_edges)
        for j in range(len(p.elements)):
            m = p.elem_member[p.elem_ptr[j] : p.elem_ptr[j + 1]]
            out[m] = np.maximum(out[m], use[j])
        return out

    # ------------------------------------------------------------------ elements
    def class_loads(self) -> NDArray[np.float64]:
        """``(n_classes, n_elements)`` tonnes of each class at each element."""
        p = self.problem
        out = np.zeros((len(p.classes), len(p.elements)))
        for ci in range(len(p.classes)):
            flow = np.where(p.edge_class == ci, self.state.edge_flow, 0.0)
            row = np.empty(len(p.elements))
            kern.element_loads(p.elem_ptr, p.elem_member, flow, row)
            out[ci] = row
        return out

    @cached_property
    def elements(self) -> pd.DataFrame:
        """Per capacity element: load, use, delay, delay cost, shadow price, capacity source."""
        p = self.problem
        s = self.state
        if not p.elements:
            return pd.DataFrame(
                columns=["element_id", "kind", "label", "capacity_t_per_yr", "t_per_yr",
                         "teu_per_yr", "use_ratio", "delay_h", "delay_cost_usd_per_yr",
                         "shadow_price_usd_per_t", "capacity_source", "status", "grade",
                         "published"]
            )  # fmt: skip
        loads = self.class_loads()
        vots = np.array([b.vot_usd_per_t_h for b in p.classes])
        teu = np.array([b.teu_per_t for b in p.classes])
        dcap = p.delay.capacity_derivative(s.load)
        value = vots @ loads  # USD per hour of delay at each element
        return pd.DataFrame(
            {
                "element_id": [e.element_id for e in p.elements],
                "kind": [e.kind for e in p.elements],
                "label": [e.label for e in p.elements],
                "capacity_t_per_yr": p.delay.capacity_t_per_yr,
                "t_per_yr": s.load,
                "teu_per_yr": teu @ loads,
                "use_ratio": s.load / p.delay.capacity_t_per_yr,
                "delay_h": s.delay_h,
                "delay_cost_usd_per_yr": value * s.delay_h,
                "shadow_price_usd_per_t": -value * dcap,
                "capacity_source": [e.capacity_source for e in p.elements],
                "status": [e.status for e in p.elements],
                "grade": [e.grade for e in p.elements],
                "published": [e.published for e in p.elements],
            }
        )

    # ------------------------------------------------------------------ OD pairs
    def _mode_of_edge(self) -> NDArray[np.object_]:
        info = self.edge_info
        return np.where(info["kind"].to_numpy() == "run", info["from_mode"].to_numpy(), "")

    @cached_property
    def od(self) -> pd.DataFrame:
        """Per OD pair and class: tonnes, TEU, t-km by mode, money, time, delay, CO2e."""
        p = self.problem
        s = self.state
        od = p.od[["cargo_class", "origin", "destination", "tonnes_per_yr"]].copy()
        if od.empty:
            return od
        q = od["tonnes_per_yr"].to_numpy()
        x = s.od_flow
        teu = np.array([b.teu_per_t for b in p.classes])[p.od["cls"].to_numpy()]
        vot = np.array([b.vot_usd_per_t_h for b in p.classes])[p.od["cls"].to_numpy()]
        od["teu_per_yr"] = q * teu
        mode = self._mode_of_edge()
        for m in sorted({str(v) for v in mode if v}):
            col = np.where(mode == m, p.length_km, 0.0)
            od[f"t_km_{m}"] = x @ col
        od["t_km"] = x @ p.length_km
        od["cost_usd"] = x @ p.cost_usd_per_t
        od["time_h_per_t"] = (x @ (p.time_h + s.edge_delay_h)) / q
        od["delay_h_per_t"] = (x @ s.edge_delay_h) / q
        od["co2e_t"] = (x @ p.co2e_kg_per_t) / 1000.0
        od["generalized_usd_per_t"] = (x @ s.cost_h) / q * vot
        od["best_usd_per_t"] = s.od_best_h * vot
        return od

    # ------------------------------------------------------------------ totals
    @cached_property
    def totals(self) -> dict[str, object]:
        """Demand, assigned tonnes, t-km by mode, money, time, delay, CO2e (JSON-ready)."""
        p = self.problem
        s = self.state
        od = self.od
        demand = p.demand
        mode = self._mode_of_edge()
        t_km = {
            m: float(s.edge_flow @ np.where(mode == m, p.length_km, 0.0))
            for m in sorted({str(v) for v in mode if v})
        }
        vots = p.vot
        unknown = demand.unknown
        return {
            "demand_t": float(demand.total_t),
            "assigned_t": float(p.od["tonnes_per_yr"].sum()) if p.n_od else 0.0,
            "assigned_teu": float(od["teu_per_yr"].sum()) if len(od) else 0.0,
            "t_km_by_mode": t_km,
            "t_km": float(sum(t_km.values())),
            "cost_usd": float(s.edge_flow @ p.cost_usd_per_t),
            "tonne_hours": float(s.edge_flow @ (p.time_h + s.edge_delay_h)),
            "delay_tonne_hours": float(s.edge_flow @ s.edge_delay_h),
            "delay_cost_usd": float(np.sum(vots * s.edge_flow * s.edge_delay_h)),
            "generalized_cost_usd": float(np.sum(vots * s.edge_flow * s.cost_h)),
            "co2e_t": float(s.edge_flow @ p.co2e_kg_per_t) / 1000.0,
            "unknown_flows": len(unknown),
            "unknown_flow_ids": [str(r) for r in unknown["row_id"]],
            "relative_gap": s.relative_gap,
            "iterations": s.iterations,
            "converged": s.converged,
            "method": s.method,
            "seconds": s.seconds,
        }

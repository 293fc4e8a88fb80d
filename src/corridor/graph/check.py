"""Whole-model validation: the structure of a network and everything its figures must give.

:func:`validate` is what ``corridor network check`` runs and ``corridor.validate`` is: the
structural checks of :func:`corridor.network.validate` plus the checks that need the
parameter tables, so that a network it passes is one that routing, the simulation and the
assignment accept:

Errors
    - the expanded graph cannot be built for a cargo class: a missing table or key column,
      a port or gauge-break place without its transfer row, an unknown distribution
      family or departure rule, a mode the ``modes`` table does not know, a scheduled link
      without a service (every problem listed, for every cargo class);
    - cancellation chances outside ``[0, 1)`` or months outside 1-12; negative spreads.

Warnings
--------
    - figures routing will report as unknown (a cargo class without a tariff, say);
    - parameter rows that can never apply: keyed to a place, link or service the network
      does not have, a ``borders`` row for a pair that no link crosses, a service no link
      rides.

A network without parameter tables (a TNTP road network) gets the structural checks only.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from corridor.errors import CorridorError, NetworkValidationError, Problem
from corridor.graph.build import build_graph
from corridor.network.model import Network
from corridor.network.validation import validate as validate_structure

__all__ = ["validate"]

_MAX_WARNINGS_PER_KIND = 50


def _text(table: pd.DataFrame, col: str) -> pd.Series:
    if col not in table.columns:
        return pd.Series([""] * len(table), index=table.index, dtype=object)
    return table[col].fillna("").astype(str).str.strip()


def _dead_rows(network: Network) -> list[Problem]:
    """Parameter rows keyed to things the network does not have (they never apply)."""
    params = network.parameters
    places = set(network.places["place_id"].astype(str))
    out: list[Problem] = []

    def warn(table: str, row_id: str, column: str, message: str) -> None:
        out.append(Problem("warning", table, row_id, column, message))

    keyed = {
        "borders": ("from_id", "to_id"),
        "transfers": ("place_id",),
        "cancellation": ("place_id",),
        "ferry_services": ("from_id", "to_id"),
    }
    for name, cols in keyed.items():
        if name not in params:
            continue
        tab = params[name]
        for col in cols:
            vals = _text(tab, col)
            bad = sorted(set(vals) - places - {"", "*"})
            for pid in bad[:_MAX_WARNINGS_PER_KIND]:
                warn(name, pid, col, f"place {pid!r} is not in the network: the row never applies")
    links = network.links
    if "borders" in params:
        b = params["borders"]
        pairs = set(zip(links["from_id"].astype(str), links["to_id"].astype(str), strict=True))
        fr, to = _text(b, "from_id"), _text(b, "to_id")
        for f, t in sorted(set(zip(fr, to, strict=True))):
            if f in places and t in places and (f, t) not in pairs and (t, f) not in pairs:
                warn("borders", f"{f}/{t}", "", "no link joins this pair: the row never applies")
    if "ferry_services" in params and "service_id" in links.columns:
        used = set(links["service_id"].fillna("").astype(str))
        for sid in sorted(set(_text(params["ferry_services"], "service_id")) - used - {""}):
            warn("ferry_services", sid, "service_id", "no link rides this service")
    if "cancellation" in params:
        c = params["cancellation"]
        month = pd.to_numeric(c["month"], errors="coerce") if "month" in c else None
        prob = pd.to_numeric(c["p_cancel"], errors="coerce") if "p_cancel" in c else None
        if month is not None:
            for i in np.flatnonzero(~month.between(1, 12).to_numpy()).tolist():
                out.append(
                    Problem("error", "cancellation", str(i + 1), "month", "month must be 1-12")
                )
        if prob is not None:
            for i in np.flatnonzero(~prob.between(0.0, 0.99).to_numpy()).tolist():
                out.append(
                    Problem(
                        "error",
                        "cancellation",
                        str(i + 1),
                        "p_cancel",
                        "p_cancel must be in [0, 0.99]: a departure that is always cancelled "
                        "never sails",
                    )
                )
    return out


def _graph_problems(network: Network) -> list[Problem]:
    """Build the graph for every cargo class and collect what it refuses or lacks."""
    out: list[Problem] = []
    if "cargo_classes" not in network.parameters:
        return [
            Problem(
                "error",
                "cargo_classes",
                "",
                "",
                "the network has parameter tables but no cargo_classes table",
            )
        ]
    cargos = _text(network.parameters["cargo_classes"], "cargo")
    seen: set[tuple[str, str, str, str]] = set()
    for cargo in dict.fromkeys(c for c in cargos if c):
        try:
            graph = build_graph(network, cargo=cargo, include_planned=True)
        except NetworkValidationError as err:
            found = list(err.problems)
        except CorridorError as err:
            found = [Problem("error", "parameters", cargo, "", str(err))]
        else:
            found = [replace(p, severity="warning") for p in graph.unknown]
        for p in found:
            key = (p.severity, p.table, p.row_id, p.column)
            if key not in seen:
                seen.add(key)
                out.append(replace(p, message=f"{p.message} (cargo {cargo})"))
    return out


def validate(network: Network, *, source: str = "") -> tuple[Problem, ...]:
    """Check a network and every figure its analyses need; report every problem at once.

    Parameters
    ----------
    network : Network
        The network to check.
    source : str, optional
        Where it came from (a path), for the message.

    Returns
    -------
    tuple of Problem
        The warnings (an empty tuple for a clean network).

    Raises
    ------
    NetworkValidationError
        If there is at least one error; ``problems`` lists every error, then every warning.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> net = gauge_network()
    >>> validate(net)
    ()
    >>> params = dict(net.parameters)
    >>> params["transfers"] = params["transfers"].iloc[:0]
    >>> try:
    ...     validate(net.replace(parameters=params))
    ... except NetworkValidationError as err:
    ...     print(err.problems[0].table, err.problems[0].row_id)
    transfers G/gauge_break/rail_1520/rail_1435

    """
    try:
        structural = list(validate_structure(network, source=source))
    except NetworkValidationError as err:
        structural = list(err.problems)
    problems = structural
    if len(network.parameters) and not any(p.severity == "error" for p in structural):
        problems = problems + _graph_problems(network) + _dead_rows(network)
    errors = [p for p in problems if p.severity == "error"]
    warnings = tuple(p for p in problems if p.severity != "error")
    if errors:
        raise NetworkValidationError([*errors, *warnings], source=source)
    return warnings

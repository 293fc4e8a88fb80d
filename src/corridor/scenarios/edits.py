"""Edits of a network: pure functions that return a new network and never change the base.

:func:`apply_edits` applies a scenario's edits in order and checks each against the
network as it stands then (unknown tables, columns, rows, places; closing what does not
exist; reopening what is not closed; duplicate edits), collecting every problem before it
raises one :class:`~corridor.errors.ScenarioError` that lists them with their lines.

Closing removes links from the network (a closed place keeps its row, so demand to or
from it is left unserved rather than refused); ``days`` makes a closure last part of the
year, which the run weighs in (:mod:`corridor.scenarios.run`). :func:`close_targets` is
the same closure for code (the criticality run).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.errors import NetworkValidationError, ScenarioError, ScenarioProblem
from corridor.network.model import STATUSES, Network
from corridor.scenarios.spec import (
    AddEdit,
    CloseEdit,
    OpenEdit,
    RemoveEdit,
    ReopenEdit,
    ScaleEdit,
    Scenario,
    SetEdit,
)

__all__ = ["EditedNetworks", "apply_edits", "close_targets", "links_of_target"]

_META = ("source", "assumption", "note")


@dataclass(frozen=True, eq=False)
class EditedNetworks:
    """The networks a scenario's edits give.

    Attributes
    ----------
    normal : Network
        Every edit applied except the closures that last part of the year.
    disrupted : Network or None
        ``normal`` with the part-year closures too (None when there are none).
    days : int
        How long the part-year closures last (0 when there are none).
    changes : tuple of str
        One line per edit saying what it did.
    """

    normal: Network
    disrupted: Network | None = None
    days: int = 0
    changes: tuple[str, ...] = ()


def links_of_target(network: Network, kind: str, ident: str) -> list[str]:
    """Return the ids of the links a ``(kind, id)`` target names (empty when none).

    Parameters
    ----------
    network : Network
        The network.
    kind : {"link", "segment", "place", "service", "border", "country"}
        What the id names; ``border`` is ``"A|B"`` (the links between two places, both
        ways), ``country`` an ISO 3166 alpha-3 code (every link across its borders).
    ident : str
        The id.

    Returns
    -------
    list of str
        Link ids in table order.

    Examples
    --------
    >>> from corridor.testing import border_network
    >>> net = border_network()
    >>> links_of_target(net, "country", "TKM")
    ['BC_ab', 'BC_ba', 'CD_ab', 'CD_ba']
    >>> links_of_target(net, "border", "C|B")
    ['BC_ab', 'BC_ba']

    """
    links = network.links
    if kind == "link":
        mask = links["link_id"] == ident
    elif kind == "segment":
        col = links["segment_id"] if "segment_id" in links.columns else pd.Series("", links.index)
        mask = col.fillna("").astype(str) == ident
    elif kind == "place":
        mask = (links["from_id"] == ident) | (links["to_id"] == ident)
    elif kind == "service":
        col = links["service_id"] if "service_id" in links.columns else pd.Series("", links.index)
        mask = col.fillna("").astype(str) == ident
    elif kind == "border":
        a, _, b = ident.partition("|")
        mask = ((links["from_id"] == a) & (links["to_id"] == b)) | (
            (links["from_id"] == b) & (links["to_id"] == a)
        )
    elif kind == "country":
        country = network.places.set_index("place_id")["country"]
        fc = links["from_id"].map(country).fillna("")
        tc = links["to_id"].map(country).fillna("")
        mask = (fc != tc) & (fc != "") & (tc != "") & ((fc == ident) | (tc == ident))
    else:
        raise ValueError(f"unknown target kind {kind!r}")
    return links.loc[mask.to_numpy(dtype=bool), "link_id"].astype(str).tolist()


def close_targets(network: Network, targets: Iterable[tuple[str, str]]) -> Network:
    """Return ``network`` without the links of the targets (the base is not changed).

    Examples
    --------
    >>> from corridor.testing import border_network
    >>> net = border_network()
    >>> closed = close_targets(net, [("country", "TKM")])
    >>> net.n_links - closed.n_links == len(links_of_target(net, "country", "TKM"))
    True

    """
    drop: set[str] = set()
    for kind, ident in targets:
        drop.update(links_of_target(network, kind, ident))
    return network.without_links(drop) if drop else network


class _State:
    """The tables being edited, the closures so far and the problems found."""

    def __init__(self, network: Network, scenario: Scenario) -> None:
        self.base = network
        self.scenario = scenario
        self.tables: dict[str, pd.DataFrame] = {
            "places": network.places,
            "links": network.links,
            **dict(network.parameters.items()),
        }
        self.closed: dict[str, int | None] = {}  # link id -> days (None: all year)
        self.problems: list[ScenarioProblem] = []
        self.changes: list[str] = []

    def problem(self, loc: Sequence[str | int], message: str) -> None:
        self.problems.append(self.scenario.problem(loc, message))

    @property
    def network(self) -> Network:
        params = {k: v for k, v in self.tables.items() if k not in ("places", "links")}
        return self.base.replace(
            places=self.tables["places"], links=self.tables["links"], parameters=params
        )


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(map(repr, close))}?" if close else ""


def _target_exists(state: _State, loc: tuple[str | int, ...], kind: str, ident: str) -> bool:
    net_links = state.tables["links"]
    places = state.tables["places"]
    place_ids = set(places["place_id"].astype(str))
    if kind in ("place",) and ident not in place_ids:
        state.problem((*loc, kind), f"unknown place {ident!r}{_suggest(ident, place_ids)}")
        return False
    if kind == "border":
        a, bar, b = ident.partition("|")
        if not bar or not a or not b:
            state.problem((*loc, kind), f"a border is 'PLACE_A|PLACE_B', got {ident!r}")
            return False
        for p in (a, b):
            if p not in place_ids:
                state.problem((*loc, kind), f"unknown place {p!r}{_suggest(p, place_ids)}")
                return False
    if kind == "country":
        countries = set(places["country"].astype(str)) - {""}
        if ident not in countries:
            state.problem(
                (*loc, kind), f"no place of the network is in {ident!r}{_suggest(ident, countries)}"
            )
            return False
    if kind == "link" and ident not in set(net_links["link_id"].astype(str)):
        hint = _suggest(ident, net_links["link_id"].astype(str))
        if "segment_id" in net_links.columns and ident in set(net_links["segment_id"].astype(str)):
            hint = f"; {ident!r} is a segment: write segment = {ident!r}"
        state.problem((*loc, kind), f"unknown link {ident!r}{hint}")
        return False
    if kind == "segment":
        segs = (
            set(net_links["segment_id"].fillna("").astype(str)) - {""}
            if "segment_id" in net_links.columns
            else set()
        )
        if ident not in segs:
            state.problem((*loc, kind), f"unknown segment {ident!r}{_suggest(ident, segs)}")
            return False
    if kind == "service":
        services = set()
        if "service_id" in net_links.columns:
            services = set(net_links["service_id"].fillna("").astype(str)) - {""}
        if ident not in services:
            state.problem(
                (*loc, kind), f"no link rides service {ident!r}{_suggest(ident, services)}"
            )
            return False
    return True


def _open(state: _State, loc: tuple[str | int, ...], edit: OpenEdit) -> None:
    kind, ident = edit.target
    if not _target_exists(state, loc, kind, ident):
        return
    if kind == "place":
        places = state.tables["places"]
        mask = places["place_id"] == ident
        if not (places.loc[mask, "status"] == "planned").any():
            state.problem((*loc, kind), f"place {ident!r} is not planned (it is open already)")
            return
        places = places.copy()
        places.loc[mask, "status"] = "open"
        state.tables["places"] = places
        state.changes.append(f"opened place {ident}")
        return
    ids = links_of_target(state.network, kind, ident)
    links = state.tables["links"]
    mask = links["link_id"].isin(ids)
    if not (links.loc[mask, "status"] == "planned").any():
        state.problem((*loc, kind), f"{kind} {ident!r} is not planned (it is open already)")
        return
    ends = set(links.loc[mask, "from_id"]) | set(links.loc[mask, "to_id"])
    places = state.tables["places"]
    planned = sorted(
        set(places.loc[places["place_id"].isin(ends) & (places["status"] == "planned"), "place_id"])
    )
    if planned:
        state.problem(
            (*loc, kind), f"{kind} {ident!r} ends at planned place(s) {planned}: open them first"
        )
        return
    links = links.copy()
    links.loc[mask, "status"] = "open"
    state.tables["links"] = links
    state.changes.append(f"opened {kind} {ident} ({len(ids)} link(s))")


def _close(state: _State, loc: tuple[str | int, ...], edit: CloseEdit) -> None:
    kind, ident = edit.target
    if not _target_exists(state, loc, kind, ident):
        return
    ids = [i for i in links_of_target(state.network, kind, ident) if i not in state.closed]
    if not ids:
        what = "has no links" if kind in ("place", "country", "border") else "is closed already"
        state.problem((*loc, kind), f"{kind} {ident!r} {what}: nothing to close")
        return
    for i in ids:
        state.closed[i] = edit.days
    span = f" for {edit.days} days" if edit.days else ""
    state.changes.append(f"closed {kind} {ident}{span} ({len(ids)} link(s))")


def _reopen(state: _State, loc: tuple[str | int, ...], edit: ReopenEdit) -> None:
    kind, ident = edit.target
    if not _target_exists(state, loc, kind, ident):
        return
    ids = [i for i in links_of_target(state.network, kind, ident) if i in state.closed]
    if not ids:
        state.problem((*loc, kind), f"{kind} {ident!r} is not closed by an earlier edit")
        return
    for i in ids:
        del state.closed[i]
    state.changes.append(f"reopened {kind} {ident} ({len(ids)} link(s))")


def _table(state: _State, loc: tuple[str | int, ...], name: str) -> pd.DataFrame | None:
    if name not in state.tables:
        state.problem(
            (*loc, "table"),
            f"unknown table {name!r}{_suggest(name, state.tables)}; tables: "
            f"{', '.join(sorted(state.tables))}",
        )
        return None
    return state.tables[name]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_value(
    state: _State,
    loc: tuple[str | int, ...],
    table: pd.DataFrame,
    name: str,
    column: str,
    value: object,
) -> bool:
    if column not in table.columns:
        state.problem(
            loc, f"table {name!r} has no column {column!r}{_suggest(column, table.columns)}"
        )
        return False
    numeric = pd.api.types.is_numeric_dtype(table[column]) and not pd.api.types.is_bool_dtype(
        table[column]
    )
    if numeric and not _is_number(value):
        state.problem(loc, f"column {column!r} of {name!r} holds numbers, got {value!r}")
        return False
    if not numeric and _is_number(value) and table[column].notna().any():
        state.problem(loc, f"column {column!r} of {name!r} holds text, got {value!r}")
        return False
    if column == "status" and name in ("links", "places") and value not in STATUSES:
        state.problem(loc, f"status must be one of {list(STATUSES)} (close links with op='close')")
        return False
    return True


def _match(
    state: _State,
    loc: tuple[str | int, ...],
    table: pd.DataFrame,
    name: str,
    where: Mapping[str, object],
) -> NDArrayBool | None:
    mask = np.ones(len(table), dtype=bool)
    ok = True
    for column, value in where.items():
        if not _check_value(state, (*loc, "where", column), table, name, column, value):
            ok = False
            continue
        col = table[column]
        if _is_number(value):
            mask &= pd.to_numeric(col, errors="coerce").to_numpy(dtype=float) == float(value)  # type: ignore[arg-type]
        else:
            mask &= col.fillna("").astype(str).to_numpy() == str(value)
    if not ok:
        return None
    if not mask.any():
        shown = ", ".join(f"{k} = {v!r}" for k, v in where.items())
        state.problem((*loc, "where"), f"no row of {name!r} has {shown}")
        return None
    return mask


NDArrayBool = np.ndarray


def _set(state: _State, loc: tuple[str | int, ...], edit: SetEdit) -> None:
    table = _table(state, loc, edit.table)
    if table is None:
        return
    mask = _match(state, loc, table, edit.table, edit.where)
    good = all(
        _check_value(state, (*loc, "values", c), table, edit.table, c, v)
        for c, v in edit.values.items()
    )
    if mask is None or not good:
        return
    table = table.copy()
    for c, v in edit.values.items():
        table.loc[mask, c] = v
    state.tables[edit.table] = table
    state.changes.append(
        f"set {', '.join(f'{c} = {v!r}' for c, v in edit.values.items())} on {int(mask.sum())} "
        f"row(s) of {edit.table}"
    )


def _scale(state: _State, loc: tuple[str | int, ...], edit: ScaleEdit) -> None:
    table = _table(state, loc, edit.table)
    if table is None:
        return
    mask = _match(state, loc, table, edit.table, edit.where)
    good = all(
        _check_value(state, (*loc, "factors", c), table, edit.table, c, 1.0) for c in edit.factors
    )
    if mask is None or not good:
        return
    table = table.copy()
    for c, f in edit.factors.items():
        values = pd.to_numeric(table[c], errors="coerce").astype(float)
        if values[mask].isna().all():
            state.problem(
                (*loc, "factors", c),
                f"the matching rows of {edit.table!r} have no value of {c!r} to scale",
            )
            return
        values[mask] = values[mask] * f
        table[c] = values
    state.tables[edit.table] = table
    state.changes.append(
        f"scaled {', '.join(f'{c} x {f:g}' for c, f in edit.factors.items())} on "
        f"{int(mask.sum())} row(s) of {edit.table}"
    )


_KEYS = {
    "links": ("link_id", "from_id", "to_id", "mode"),
    "places": ("place_id", "name", "country", "kind", "lon", "lat"),
}


def _add(state: _State, loc: tuple[str | int, ...], edit: AddEdit) -> None:
    table = _table(state, loc, edit.table)
    if table is None:
        return
    ok = True
    place_ids = set(state.tables["places"]["place_id"].astype(str))
    new_places = set()
    if edit.table == "places":
        new_places = {str(r.get("place_id", "")) for r in edit.rows}
    for i, row in enumerate(edit.rows):
        rloc = (*loc, "rows", i)
        for column, value in row.items():
            ok &= _check_value(state, (*rloc, column), table, edit.table, column, value)
        for key in _KEYS.get(edit.table, ()):
            if key not in row:
                state.problem(rloc, f"a new row of {edit.table!r} needs {key!r}")
                ok = False
        if edit.table == "links":
            for end in ("from_id", "to_id"):
                pid = str(row.get(end, ""))
                if end in row and pid not in place_ids:
                    state.problem((*rloc, end), f"unknown place {pid!r}{_suggest(pid, place_ids)}")
                    ok = False
            if str(row.get("link_id", "")) in set(table["link_id"].astype(str)):
                state.problem((*rloc, "link_id"), f"link {row.get('link_id')!r} exists already")
                ok = False
        if edit.table == "places" and str(row.get("place_id", "")) in place_ids - new_places:
            state.problem((*rloc, "place_id"), f"place {row.get('place_id')!r} exists already")
            ok = False
    if not ok:
        return
    rows = pd.DataFrame([dict(r) for r in edit.rows])
    merged = pd.concat([table, rows], ignore_index=True)
    for column in table.columns:  # keep each text column text
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            merged[column] = merged[column].where(merged[column].notna(), "")
    state.tables[edit.table] = merged
    state.changes.append(f"added {len(rows)} row(s) to {edit.table}")


def _remove(state: _State, loc: tuple[str | int, ...], edit: RemoveEdit) -> None:
    table = _table(state, loc, edit.table)
    if table is None:
        return
    mask = _match(state, loc, table, edit.table, edit.where)
    if mask is None:
        return
    if edit.table == "places":
        gone = set(table.loc[mask, "place_id"].astype(str))
        links = state.tables["links"]
        used = links["from_id"].isin(gone) | links["to_id"].isin(gone)
        if used.any():
            state.problem(
                (*loc, "where"),
                f"place(s) {sorted(gone)[:3]} still have links: close the place instead",
            )
            return
    state.tables[edit.table] = table[~mask].reset_index(drop=True)
    state.changes.append(f"removed {int(mask.sum())} row(s) from {edit.table}")


def _signature(edit: object) -> str:
    dump = edit.model_dump(mode="json", exclude=set(_META))  # type: ignore[attr-defined]
    return repr(sorted(dump.items()))


def apply_edits(network: Network, scenario: Scenario, *, check: bool = True) -> EditedNetworks:
    r"""Apply a scenario's edits to ``network`` and return the edited networks.

    Parameters
    ----------
    network : Network
        The base; it is never changed.
    scenario : Scenario
        The scenario whose ``spec.edits`` to apply, in order.
    check : bool, default True
        Validate the edited networks (:func:`corridor.graph.check.validate`).

    Returns
    -------
    EditedNetworks

    Raises
    ------
    ScenarioError
        Listing every problem of the edits (with the line of each), or of the edited
        network when ``check``.

    Examples
    --------
    >>> from corridor.testing import border_network
    >>> from corridor.scenarios.spec import parse_scenario, scenario_from_spec
    >>> s = scenario_from_spec(parse_scenario('[[edits]]\nop = "close"\ncountry = "TKM"\n'))
    >>> edited = apply_edits(border_network(), s, check=False)
    >>> edited.changes
    ('closed country TKM (4 link(s))',)

    """
    state = _State(network, scenario)
    seen: dict[str, int] = {}
    days = {e.days for e in scenario.spec.edits if isinstance(e, CloseEdit) and e.days}
    for i, edit in enumerate(scenario.spec.edits):
        loc: tuple[str | int, ...] = ("edits", i)
        sig = _signature(edit)
        if sig in seen:
            state.problem(loc, f"repeats edits[{seen[sig]}]")
            continue
        seen[sig] = i
        if isinstance(edit, CloseEdit) and edit.days and len(days) > 1:
            state.problem(
                (*loc, "days"),
                f"every part-year closure of a scenario lasts the same days (got {sorted(days)})",
            )
            continue
        if isinstance(edit, OpenEdit):
            _open(state, loc, edit)
        elif isinstance(edit, CloseEdit):
            _close(state, loc, edit)
        elif isinstance(edit, ReopenEdit):
            _reopen(state, loc, edit)
        elif isinstance(edit, SetEdit):
            _set(state, loc, edit)
        elif isinstance(edit, ScaleEdit):
            _scale(state, loc, edit)
        elif isinstance(edit, AddEdit):
            _add(state, loc, edit)
        elif isinstance(edit, RemoveEdit):
            _remove(state, loc, edit)
    if state.problems:
        raise ScenarioError(
            f"{scenario.path or scenario.name}: {len(state.problems)} problem(s) in the edits",
            problems=state.problems,
        )
    edited = state.network
    whole_year = [k for k, d in state.closed.items() if d is None]
    part_year = [k for k, d in state.closed.items() if d is not None]
    normal = edited.without_links(whole_year) if whole_year else edited
    disrupted = normal.without_links(part_year) if part_year else None
    if check:
        for net, label in ((normal, "edited network"), (disrupted, "network during the closure")):
            if net is not None:
                _check(net, label, scenario)
    span = next(iter(days)) if days and part_year else 0
    if math.isnan(float(span)):  # pragma: no cover - days is an int
        span = 0
    return EditedNetworks(
        normal=normal, disrupted=disrupted, days=int(span), changes=tuple(state.changes)
    )


def _check(network: Network, label: str, scenario: Scenario) -> None:
    from corridor.graph.check import validate

    try:
        validate(network)
    except NetworkValidationError as err:
        problems = [
            ScenarioProblem(scenario.path or scenario.name, 0, label, str(p))
            for p in err.problems
            if p.severity == "error"
        ]
        raise ScenarioError(
            f"{scenario.path or scenario.name}: the {label} is not valid", problems=problems
        ) from err

"""The pure-Python twin of the compiled Dijkstra gives the same bits (corridor.graph._kernels).

Random CSR graphs with parallel edges, self-loops, ties (weights from a small set), zero,
NaN and infinite weights, masks, repeated sources and early-stop targets: distances and
predecessors must be equal element for element (NaN equal to NaN).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.graph import _kernels
from corridor.graph._dijkstra_jit import dijkstra_kernel
from corridor.graph._heap import MAX_NODES
from corridor.graph.csr import build_csr

WEIGHTS = [0.0, 0.5, 1.0, 1.0, 2.0, 3.25, np.inf, np.nan]
CHECKED: list[int] = []


@st.composite
def graphs(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    n = draw(st.integers(1, 30))
    m = draw(st.integers(0, 120))
    tail = np.array(draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)), dtype=np.int64)
    head = np.array(draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)), dtype=np.int64)
    weight = np.array(draw(st.lists(st.sampled_from(WEIGHTS), min_size=m, max_size=m)))
    mask = np.array(draw(st.lists(st.booleans(), min_size=m, max_size=m)), dtype=np.bool_)
    sources = np.array(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3)))
    targets = np.array(draw(st.lists(st.integers(0, n - 1), max_size=3)), dtype=np.int64)
    indptr, adj_head, adj_edge = build_csr(n, tail, head)
    return indptr, adj_head, weight[adj_edge], mask[adj_edge], sources, targets


@settings(max_examples=300, deadline=None)
@given(graphs(), st.booleans())
def test_python_twin_equals_the_compiled_kernel(g: tuple[np.ndarray, ...], use_mask: bool) -> None:
    indptr, head, weight, mask, sources, targets = g
    m = mask if use_mask else np.ones(1, dtype=np.bool_)
    want = dijkstra_kernel(indptr, head, weight, m, use_mask, sources.astype(np.int64), targets)
    got = _kernels._dijkstra_python(indptr, head, weight, m, use_mask, sources, targets)
    np.testing.assert_array_equal(got[0], want[0])  # NaN == NaN here, and bit-equal floats
    np.testing.assert_array_equal(got[1], want[1])
    assert got[0].dtype == want[0].dtype
    assert got[1].dtype == want[1].dtype
    CHECKED.append(1)


def test_enough_graphs_were_compared() -> None:
    assert len(CHECKED) >= 200, len(CHECKED)  # runs after the property test in this file


def test_the_twin_is_used_only_while_it_pays(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(_kernels, "_compiled_loaded", lambda: False)
    monkeypatch.setattr(_kernels._SPENT, "seconds", 0.0)
    assert _kernels._use_python(100)
    assert not _kernels._use_python(_kernels.SMALL_GRAPH_EDGES + 1)  # big: compiled
    monkeypatch.setattr(_kernels._SPENT, "seconds", _kernels.PYTHON_BUDGET_S)
    assert not _kernels._use_python(100)  # the budget is spent: load the kernel
    monkeypatch.setattr(_kernels._SPENT, "seconds", 0.0)
    monkeypatch.setattr(_kernels, "_compiled_loaded", lambda: True)
    assert not _kernels._use_python(100)  # loaded anyway: use it


def test_node_limit_matches_the_heap() -> None:
    assert _kernels.MAX_NODES == MAX_NODES

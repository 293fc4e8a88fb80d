"""Discrete-event simulation of a ferry line and its port (simpy).

Units (wagons, trucks, TEU) arrive at the port as a Poisson process whose rate may change
by month; they queue first come, first served, and board the next departure with room.
Ships, the berth and the weather are simpy processes and resources
(:class:`~corridor.ferries.line.FerryLine` gives the rules). Units are **not** one process
each: their arrival times are drawn up front with numpy and the queue is a pointer into
that sorted array, so a ship that sails when full knows when it will be full (the arrival
time of the ``capacity``-th unit waiting) without an event per unit. The twin in
:mod:`corridor.ferries.reference`, one simpy process per unit on a ``simpy.Store``, gives
the same answers and is the peer of ``bench/ferries.py``.

The run covers a **warm-up** before 1 January (so that the queue of January starts as the
year before left it, December's storms included), the **year** whose units are recorded,
and a **run-out** after it during which arrivals go on until every recorded unit has
boarded (or ``max_run_out_days`` have passed: units still waiting then are counted as not
served, their waits censored).

Outputs (:class:`LineRun`): each recorded unit's wait, each sailing's load and the units
it left behind, the queue over time; :meth:`LineRun.months` sums them up by month.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy
from numpy.typing import NDArray

from corridor.errors import InputError
from corridor.ferries.line import FerryLine
from corridor.ferries.weather import HOURS_PER_YEAR, month_of_hour, month_pieces

__all__ = [
    "DEFAULT_WARMUP_DAYS",
    "LineInputs",
    "LineRun",
    "MonthFigures",
    "draw_inputs",
    "simulate_line",
    "simulate_years",
    "summarise",
]

DEFAULT_WARMUP_DAYS = 61.0
DEFAULT_RUN_OUT_DAYS = 365.0


def _rates(units_per_day: float | Sequence[float]) -> tuple[float, ...]:
    if isinstance(units_per_day, (int, float, np.floating, np.integer)):
        vals: tuple[float, ...] = (float(units_per_day),) * 12
    else:
        vals = tuple(float(v) for v in units_per_day)
    if len(vals) != 12 or not all(math.isfinite(v) and v >= 0.0 for v in vals):
        raise InputError(
            f"units_per_day must be one number >= 0 or 12 monthly numbers >= 0, got "
            f"{units_per_day!r}",
            argument="units_per_day",
            value=units_per_day,
        )
    return vals


@dataclass(frozen=True, eq=False)
class LineInputs:
    """The random inputs of one run, drawn up front (shared by the model and its twin).

    Attributes
    ----------
    start_h, record_end_h, horizon_h : float
        Warm-up start, end of the recorded year (its start is 0) and the latest end.
    arrival_h : ndarray of float64
        Sorted arrival times of every unit over ``[start_h, horizon_h)``.
    closed_from_h, closed_to_h : ndarray of float64
        Disjoint closures, sorted.
    departure_h : ndarray of float64
        Scheduled departures (``timetable``/``headway`` lines; empty for ``full``).
    units_per_day : tuple of 12 float
        Arrival rate by month.

    """

    start_h: float
    record_end_h: float
    horizon_h: float
    arrival_h: NDArray[np.float64]
    closed_from_h: NDArray[np.float64]
    closed_to_h: NDArray[np.float64]
    departure_h: NDArray[np.float64]
    units_per_day: tuple[float, ...]

    def reopening_h(self, t_h: float) -> float:
        """Return when the port is next open at or after ``t_h``."""
        i = int(np.searchsorted(self.closed_from_h, t_h, side="right")) - 1
        if i >= 0 and t_h < self.closed_to_h[i]:
            return float(self.closed_to_h[i])
        return t_h


def draw_inputs(
    line: FerryLine,
    units_per_day: float | Sequence[float],
    *,
    seed: int | np.random.SeedSequence | None = None,
    warmup_days: float = DEFAULT_WARMUP_DAYS,
    max_run_out_days: float = DEFAULT_RUN_OUT_DAYS,
) -> LineInputs:
    """Draw the arrivals, closures and departures of one run.

    Parameters
    ----------
    line : FerryLine
        The line.
    units_per_day : float or 12 floats
        Arrival rate, units a day (by month, January first).
    seed : int or SeedSequence, optional
        Seed; the same seed gives the same inputs.
    warmup_days, max_run_out_days : float
        Days simulated before 1 January and at most after 31 December.

    Returns
    -------
    LineInputs

    """
    rates = _rates(units_per_day)
    for name, v in (("warmup_days", warmup_days), ("max_run_out_days", max_run_out_days)):
        if not (math.isfinite(v) and v >= 0.0):
            raise InputError(f"{name} must be >= 0, got {v!r}", argument=name, value=v)
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    s_arr, s_storm, s_phase = ss.spawn(3)
    start = -24.0 * warmup_days
    end = HOURS_PER_YEAR
    horizon = end + 24.0 * max_run_out_days
    rng = np.random.Generator(np.random.PCG64(s_arr))
    parts = []
    for a, b, m in month_pieces(start, horizon):
        lam = rates[m] / 24.0
        if lam > 0.0:
            parts.append(rng.uniform(a, b, int(rng.poisson(lam * (b - a)))))
    arrivals = np.sort(np.concatenate(parts)) if parts else np.empty(0)
    storm_rng = np.random.Generator(np.random.PCG64(s_storm))
    lead = 10.0 * line.storms.mean_duration_h  # storms that began before the warm-up
    cf, ct = line.storms.closures(start - lead, horizon, storm_rng)
    deps = np.empty(0)
    if line.rule != "full":
        tt = line.timetable
        assert tt is not None
        shift = 0.0
        if tt.random_phase:
            shift = float(np.random.Generator(np.random.PCG64(s_phase)).uniform(0, tt.period_h))
        k0 = math.floor((start - shift) / tt.period_h) - 1
        k1 = math.ceil((horizon - shift) / tt.period_h) + 1
        ks = np.arange(k0, k1 + 1, dtype=np.float64)
        grid = shift + ks[:, None] * tt.period_h + np.asarray(tt.offsets_h)[None, :]
        deps = np.sort(grid.ravel())
        deps = deps[(deps >= start) & (deps < horizon)]
    return LineInputs(start, end, horizon, arrivals, cf, ct, deps, rates)


@dataclass(frozen=True)
class MonthFigures:
    """What a line does in one month of the recorded year.

    Waits are of the units that **arrived** in the month; sailings, loads and units left
    behind of the sailings that **left** in it; the queue is its time average and maximum
    over the month.
    """

    month: int
    units: int
    wait_mean_h: float
    wait_p50_h: float
    wait_p90_h: float
    wait_p95_h: float
    sailings: int
    load_factor: float
    left_behind: float
    queue_mean: float
    queue_max: int
    closed_share: float
    not_served: int

    def to_dict(self) -> dict[str, Any]:
        """Return the figures as a JSON-ready dict (``month`` 1-12)."""
        return {
            "month": self.month,
            "units": self.units,
            "wait_mean_h": self.wait_mean_h,
            "wait_p50_h": self.wait_p50_h,
            "wait_p90_h": self.wait_p90_h,
            "wait_p95_h": self.wait_p95_h,
            "sailings": self.sailings,
            "load_factor": self.load_factor,
            "left_behind": self.left_behind,
            "queue_mean": self.queue_mean,
            "queue_max": self.queue_max,
            "closed_share": self.closed_share,
            "not_served": self.not_served,
        }


@dataclass(frozen=True, eq=False)
class LineRun:
    """The result of one simulated year of a line.

    Attributes
    ----------
    line : FerryLine
        The line simulated.
    inputs : LineInputs
        The random inputs.
    board_h : ndarray of float64
        Boarding (departure) time of every unit of ``inputs.arrival_h``; NaN if it had not
        boarded when the run ended.
    sailing_h, sailing_load, sailing_left_behind : ndarray
        Departure time, units carried and units still waiting right after, per sailing.
    end_h : float
        When the run stopped.

    """

    line: FerryLine
    inputs: LineInputs
    board_h: NDArray[np.float64]
    sailing_h: NDArray[np.float64]
    sailing_load: NDArray[np.int64]
    sailing_left_behind: NDArray[np.int64]
    end_h: float

    @property
    def recorded(self) -> NDArray[np.bool_]:
        """Units that arrived in the recorded year."""
        a = self.inputs.arrival_h
        out: NDArray[np.bool_] = (a >= 0.0) & (a < self.inputs.record_end_h)
        return out

    @property
    def wait_h(self) -> NDArray[np.float64]:
        """Wait of each recorded unit, hours (censored at the end of the run if unserved)."""
        a = self.inputs.arrival_h[self.recorded]
        b = self.board_h[self.recorded]
        out: NDArray[np.float64] = np.where(np.isnan(b), self.end_h, b) - a
        return out

    @property
    def arrival_month(self) -> NDArray[np.int64]:
        """Calendar month (0-11) of each recorded unit's arrival."""
        return month_of_hour(self.inputs.arrival_h[self.recorded])

    def waits_by_month(self) -> list[NDArray[np.float64]]:
        """Return the waits of the units that arrived in each month (January first)."""
        w, m = self.wait_h, self.arrival_month
        return [w[m == k] for k in range(12)]

    def queue_path(self) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """Return the queue length as a step function: change times and the value after each."""
        a = self.inputs.arrival_h
        t = np.concatenate((a, self.sailing_h))
        d = np.concatenate((np.ones(a.size, dtype=np.int64), -self.sailing_load))
        # boardings after arrivals at the same instant
        order = np.lexsort((np.concatenate((np.zeros(a.size), np.ones(self.sailing_h.size))), t))
        return t[order], np.cumsum(d[order])

    def months(self) -> list[MonthFigures]:
        """Sum the run up by calendar month of the recorded year."""
        return summarise([self])[0]

    def year(self) -> MonthFigures:
        """Sum the run up over the whole recorded year (``month`` 0)."""
        return summarise([self])[1]

    def _queue_stats(self, a: float, b: float) -> tuple[float, int]:
        """Time-average and maximum of the queue over ``[a, b)``."""
        qt, qv = self.queue_path()
        if qt.size == 0:
            return 0.0, 0
        seg = np.diff(np.append(qt, qt[-1]))
        cum = np.concatenate(([0.0], np.cumsum(qv * seg)))

        def at(x: float) -> tuple[float, int]:
            i = int(np.searchsorted(qt, x, side="right")) - 1
            if i < 0:
                return 0.0, 0
            return float(cum[i] + qv[i] * (x - qt[i])), int(qv[i])

        ia, va = at(a)
        ib, _ = at(b)
        lo = int(np.searchsorted(qt, a, side="left"))
        hi = int(np.searchsorted(qt, b, side="left"))
        vmax = max(va, int(qv[lo:hi].max()) if hi > lo else 0)
        return (ib - ia) / (b - a), vmax

    def _closed_h(self, a: float, b: float) -> float:
        cf, ct = self.inputs.closed_from_h, self.inputs.closed_to_h
        return float(np.sum(np.clip(np.minimum(ct, b) - np.maximum(cf, a), 0.0, None)))


def _figures(
    month: int,
    waits: NDArray[np.float64],
    loads: NDArray[np.int64],
    left: NDArray[np.int64],
    cap: int,
    queue_mean: float,
    queue_max: int,
    closed_share: float,
    not_served: int,
) -> MonthFigures:
    has = waits.size > 0
    return MonthFigures(
        month=month,
        units=int(waits.size),
        wait_mean_h=float(waits.mean()) if has else math.nan,
        wait_p50_h=float(np.percentile(waits, 50)) if has else math.nan,
        wait_p90_h=float(np.percentile(waits, 90)) if has else math.nan,
        wait_p95_h=float(np.percentile(waits, 95)) if has else math.nan,
        sailings=int(loads.size),
        load_factor=float(loads.mean() / cap) if loads.size else math.nan,
        left_behind=float(left.mean()) if loads.size else math.nan,
        queue_mean=queue_mean,
        queue_max=queue_max,
        closed_share=closed_share,
        not_served=not_served,
    )


def summarise(runs: Sequence[LineRun]) -> tuple[list[MonthFigures], MonthFigures]:
    """Pool runs of one line (e.g. several simulated years) by month and over the year.

    Waits, loads and units left behind are pooled over the runs (units and sailings
    counted per run, not averaged); queue means and closed shares are averaged, queue
    maxima are the largest.

    Returns
    -------
    months : list of 12 MonthFigures
    year : MonthFigures
        The whole year (``month`` 0).

    """
    if not runs:
        raise InputError("summarise needs at least one run, got none", argument="runs")
    cap = runs[0].line.units_per_sailing
    pieces = month_pieces(0.0, runs[0].inputs.record_end_h)
    per: list[dict[str, Any]] = [
        {"w": [], "l": [], "lb": [], "qm": [], "qx": 0, "c": [], "ns": 0} for _ in pieces
    ]
    for run in runs:
        waits = run.waits_by_month()
        served = ~np.isnan(run.board_h[run.recorded])
        am = run.arrival_month
        st = run.sailing_h
        in_year = (st >= 0.0) & (st < run.inputs.record_end_h)
        sm = month_of_hour(st)
        for k, (a, b, m) in enumerate(pieces):
            d = per[k]
            sel = in_year & (sm == m)
            d["w"].append(waits[m])
            d["l"].append(run.sailing_load[sel])
            d["lb"].append(run.sailing_left_behind[sel])
            qm, qx = run._queue_stats(a, b)
            d["qm"].append(qm)
            d["qx"] = max(d["qx"], qx)
            d["c"].append(run._closed_h(a, b) / (b - a))
            d["ns"] += int(np.sum(~served[am == m]))
    months = []
    for (_, _, m), d in zip(pieces, per, strict=True):
        months.append(
            _figures(
                m + 1,
                np.concatenate(d["w"]),
                np.concatenate(d["l"]),
                np.concatenate(d["lb"]),
                cap,
                float(np.mean(d["qm"])),
                int(d["qx"]),
                float(np.mean(d["c"])),
                int(d["ns"]),
            )
        )
    days = np.array([b - a for a, b, _ in pieces])
    year = _figures(
        0,
        np.concatenate([w for d in per for w in d["w"]]),
        np.concatenate([x for d in per for x in d["l"]]),
        np.concatenate([x for d in per for x in d["lb"]]),
        cap,
        float(np.dot([f.queue_mean for f in months], days) / days.sum()),
        max(f.queue_max for f in months),
        float(np.dot([f.closed_share for f in months], days) / days.sum()),
        sum(f.not_served for f in months),
    )
    return months, year


class _Port:
    """Mutable state of one run: the queue pointer and the records."""

    def __init__(self, env: simpy.Environment, inputs: LineInputs, cap: int) -> None:
        self.env = env
        self.inputs = inputs
        self.arrival = inputs.arrival_h
        self.cap = cap
        self.head = 0
        self.board = np.full(self.arrival.size, np.nan)
        self.sail_t: list[float] = []
        self.sail_n: list[int] = []
        self.sail_left: list[int] = []
        # the run may stop once every unit of the recorded year has boarded
        self.last_recorded = int(np.searchsorted(self.arrival, inputs.record_end_h, "left"))
        self.done = env.event()

    def wait_until(self, t: float) -> Generator[simpy.Event, Any, None]:
        """Advance the clock to ``t`` exactly (a loop: see :meth:`wait_open`)."""
        while t > self.env.now:
            yield self.env.timeout(t - self.env.now)

    def wait_open(self) -> Generator[simpy.Event, Any, None]:
        # a loop, not a test: ``now + (reopen - now)`` can round to a hair below ``reopen``,
        # inside the closure; the second step then lands on it exactly
        reopen = self.inputs.reopening_h(self.env.now)
        while reopen > self.env.now:
            yield self.env.timeout(reopen - self.env.now)
            reopen = self.inputs.reopening_h(self.env.now)

    def full_at(self) -> float:
        """When the units waiting (from the head) reach one ship's capacity."""
        k = self.head + self.cap - 1
        return float(self.arrival[k]) if k < self.arrival.size else math.inf

    def depart(self) -> None:
        t = self.env.now
        avail = int(np.searchsorted(self.arrival, t, side="right")) - self.head
        n = min(self.cap, max(avail, 0))
        self.board[self.head : self.head + n] = t
        self.head += n
        self.sail_t.append(t)
        self.sail_n.append(n)
        self.sail_left.append(max(avail, 0) - n)
        if (
            t >= self.inputs.record_end_h
            and self.head >= self.last_recorded
            and not self.done.triggered
        ):
            self.done.succeed()


def _scheduled(port: _Port) -> Generator[simpy.Event, Any, None]:
    for d in port.inputs.departure_h.tolist():
        yield from port.wait_until(d)
        yield from port.wait_open()
        if port.done.triggered:  # the run ends at this instant
            return
        port.depart()


def _ship(
    port: _Port,
    line: FerryLine,
    berth: simpy.Resource,
    order: list[simpy.Event],
    first_h: float,
) -> Generator[simpy.Event, Any, None]:
    env = port.env
    away = line.cycle_h - line.port_time_h
    yield from port.wait_until(first_h)
    while True:
        yield from port.wait_open()
        with berth.request() as req:
            yield req
            t_berth = env.now
            turn = env.event()
            order.append(turn)
            if order[0] is not turn:
                yield turn
            t_min = t_berth + line.port_time_h
            deadline = math.inf if line.max_hold_h is None else t_berth + line.max_hold_h
            t_dep = max(t_min, min(port.full_at(), deadline), env.now)
            if math.isinf(t_dep):
                yield port.done  # never full again: idle to the end
                return
            # exactly: a departure a hair before ``full_at`` would leave its last unit behind
            yield from port.wait_until(t_dep)
            yield from port.wait_open()
            if port.done.triggered:  # the run ends at this instant
                return
            port.depart()
            order.pop(0)
            if order:
                order[0].succeed()
        yield env.timeout(away)


def simulate_line(
    line: FerryLine,
    units_per_day: float | Sequence[float],
    *,
    seed: int | np.random.SeedSequence | None = None,
    warmup_days: float = DEFAULT_WARMUP_DAYS,
    max_run_out_days: float = DEFAULT_RUN_OUT_DAYS,
    inputs: LineInputs | None = None,
) -> LineRun:
    """Simulate one year of a ferry line with units arriving at ``units_per_day``.

    Parameters
    ----------
    line : FerryLine
        The line (see :func:`~corridor.ferries.line.ferry_line`).
    units_per_day : float or 12 floats
        Arrivals at the port, units a day, by month (January first): a rate, or a flows
        assignment's volume on the service turned into units.
    seed : int or SeedSequence, optional
        Seed; the same seed gives the same run.
    warmup_days, max_run_out_days : float
        Days simulated before 1 January, and at most after the year to let its units board.
    inputs : LineInputs, optional
        Inputs drawn by :func:`draw_inputs` (then ``units_per_day`` and the seed are not
        used again).

    Returns
    -------
    LineRun

    Examples
    --------
    >>> from corridor.graph.services import Timetable
    >>> line = FerryLine.scheduled("X", Timetable.headway(24.0), 1000)
    >>> run = simulate_line(line, 20.0, seed=1)
    >>> round(run.year().wait_mean_h)  # half the headway
    12

    """
    if inputs is None:
        inputs = draw_inputs(
            line,
            units_per_day,
            seed=seed,
            warmup_days=warmup_days,
            max_run_out_days=max_run_out_days,
        )
    env = simpy.Environment(initial_time=inputs.start_h)
    port = _Port(env, inputs, line.units_per_sailing)
    if port.last_recorded == 0 or inputs.arrival_h[port.last_recorded - 1] < 0.0:
        port.last_recorded = 0
    if line.rule == "full":
        berth = simpy.Resource(env, capacity=line.berths)
        order: list[simpy.Event] = []
        for i in range(line.vessels):
            first = inputs.start_h + i * line.cycle_h / line.vessels
            env.process(_ship(port, line, berth, order, first))
    else:
        env.process(_scheduled(port))
    stop = env.timeout(max(inputs.horizon_h - inputs.start_h, 0.0))
    env.run(until=simpy.AnyOf(env, [port.done, stop]))
    return LineRun(
        line=line,
        inputs=inputs,
        board_h=port.board,
        sailing_h=np.asarray(port.sail_t, dtype=np.float64),
        sailing_load=np.asarray(port.sail_n, dtype=np.int64),
        sailing_left_behind=np.asarray(port.sail_left, dtype=np.int64),
        end_h=float(env.now),
    )


def simulate_years(
    line: FerryLine,
    units_per_day: float | Sequence[float],
    *,
    years: int = 1,
    seed: int | None = None,
    warmup_days: float = DEFAULT_WARMUP_DAYS,
    max_run_out_days: float = DEFAULT_RUN_OUT_DAYS,
) -> list[LineRun]:
    """Simulate ``years`` independent years of a line (weather and arrivals drawn afresh).

    One year holds a single draw of the weather: a stormy December or a calm one. Pool
    several with :func:`summarise` for the distribution of a unit's wait over weathers.

    Examples
    --------
    >>> from corridor.graph.services import Timetable
    >>> line = FerryLine.scheduled("X", Timetable.headway(24.0), 100)
    >>> runs = simulate_years(line, 20.0, years=3, seed=1)
    >>> months, year = summarise(runs)
    >>> len(runs), 11.0 < year.wait_mean_h < 13.0
    (3, True)

    """
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise InputError(
            f"years must be a whole number >= 1, got {years!r}", argument="years", value=years
        )
    ss = np.random.SeedSequence(seed)
    return [
        simulate_line(
            line,
            units_per_day,
            seed=child,
            warmup_days=warmup_days,
            max_run_out_days=max_run_out_days,
        )
        for child in ss.spawn(years)
    ]

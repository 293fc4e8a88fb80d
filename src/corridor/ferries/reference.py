"""The ferry model written the plain simpy way: one process per unit, a ``simpy.Store`` queue.

Same rules and same random inputs as :func:`corridor.ferries.sim.simulate_line`, written
independently: every unit is a process that arrives and puts itself in the store; a ship
takes units one ``get`` at a time, racing each ``get`` against its departure conditions.
Tests check that both give the same boarding time to every unit; ``bench/ferries.py`` times
both. It is slow (an event per unit): use :func:`~corridor.ferries.sim.simulate_line`.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from corridor.ferries.line import FerryLine
from corridor.ferries.sim import LineInputs, LineRun

__all__ = ["simulate_line_reference"]


def simulate_line_reference(line: FerryLine, inputs: LineInputs) -> LineRun:
    """Simulate a line on the inputs of :func:`~corridor.ferries.sim.draw_inputs`, unit by unit.

    Runs to ``inputs.horizon_h`` or until every unit of the recorded year has boarded.

    Examples
    --------
    >>> from corridor.ferries.sim import draw_inputs, simulate_line
    >>> from corridor.graph.services import Timetable
    >>> line = FerryLine.scheduled("X", Timetable.headway(24.0), 5)
    >>> inp = draw_inputs(line, 4.0, seed=3, max_run_out_days=30)
    >>> fast, slow = simulate_line(line, 0, inputs=inp), simulate_line_reference(line, inp)
    >>> bool(np.allclose(fast.board_h, slow.board_h, equal_nan=True))
    True

    """
    env = simpy.Environment(initial_time=inputs.start_h)
    store: simpy.Store = simpy.Store(env)
    arrival = inputs.arrival_h
    board = np.full(arrival.size, np.nan)
    sail_t: list[float] = []
    sail_n: list[int] = []
    sail_left: list[int] = []
    last_recorded = int(np.searchsorted(arrival, inputs.record_end_h, "left"))
    done = env.event()
    served = [0]

    def unit(i: int, t: float) -> Generator[simpy.Event, Any, None]:
        while t > env.now:  # a loop: ``now + (t - now)`` can round a hair below ``t``
            yield env.timeout(t - env.now)
        yield store.put(i)

    def arrivals() -> Generator[simpy.Event, Any, None]:
        # one process per unit, started just before it is due (keeps the heap small)
        for i, t in enumerate(arrival.tolist()):
            if t > env.now:
                yield env.timeout(t - env.now)
            env.process(unit(i, t))

    def reopen() -> float:
        return inputs.reopening_h(env.now)

    def record(onboard: list[int]) -> None:
        t = env.now
        for i in onboard:
            board[i] = t
        served[0] += len(onboard)
        sail_t.append(t)
        sail_n.append(len(onboard))
        sail_left.append(len(store.items))
        if t >= inputs.record_end_h and served[0] >= last_recorded and not done.triggered:
            done.succeed()

    def take_waiting(onboard: list[int]) -> None:
        while store.items and len(onboard) < line.units_per_sailing:
            onboard.append(store.items.pop(0))

    def scheduled() -> Generator[simpy.Event, Any, None]:
        for d in inputs.departure_h.tolist():
            while d > env.now:
                yield env.timeout(d - env.now)
            r = reopen()
            while r > env.now:  # see sim._Port.wait_open
                yield env.timeout(r - env.now)
                r = reopen()
            onboard: list[int] = []
            # units arriving at this very instant are processes not yet run: let them in
            yield env.timeout(0)
            if done.triggered:
                return
            take_waiting(onboard)
            record(onboard)

    def load_until(onboard: list[int], until: float) -> Generator[simpy.Event, Any, None]:
        """Take units one by one until full or time ``until``."""
        while len(onboard) < line.units_per_sailing and env.now < until:
            get = store.get()
            if math.isinf(until):
                got = yield get | done
                if get not in got:
                    get.cancel()
                    return
                onboard.append(int(got[get]))
                continue
            timer = env.timeout(until - env.now)
            got = yield get | timer
            if get in got:
                onboard.append(int(got[get]))
            else:
                get.cancel()

    def ship(
        first_h: float, berth: simpy.Resource, order: list[simpy.Event]
    ) -> Generator[simpy.Event, Any, None]:
        away = line.cycle_h - line.port_time_h
        while first_h > env.now:
            yield env.timeout(first_h - env.now)
        while True:
            r = reopen()
            while r > env.now:  # see sim._Port.wait_open
                yield env.timeout(r - env.now)
                r = reopen()
            with berth.request() as req:
                yield req
                t_berth = env.now
                turn = env.event()
                order.append(turn)
                if order[0] is not turn:
                    yield turn
                onboard: list[int] = []
                deadline = math.inf if line.max_hold_h is None else t_berth + line.max_hold_h
                t_min = t_berth + line.port_time_h
                yield from load_until(onboard, max(deadline, t_min))
                if (
                    done.triggered
                    and len(onboard) < line.units_per_sailing
                    and math.isinf(deadline)
                ):
                    return
                while env.now < t_min:
                    yield env.timeout(t_min - env.now)
                r = reopen()
                if r > env.now:  # closed: keep loading until full or the port reopens
                    yield from load_until(onboard, r)
                    while env.now < r:
                        yield env.timeout(r - env.now)
                yield env.timeout(0)
                if done.triggered:
                    return
                take_waiting(onboard)
                record(onboard)
                order.pop(0)
                if order:
                    order[0].succeed()
            yield env.timeout(away)

    env.process(arrivals())
    if line.rule == "full":
        berth = simpy.Resource(env, capacity=line.berths)
        order: list[simpy.Event] = []
        for i in range(line.vessels):
            env.process(ship(inputs.start_h + i * line.cycle_h / line.vessels, berth, order))
    else:
        env.process(scheduled())
    stop = env.timeout(max(inputs.horizon_h - inputs.start_h, 0.0))
    env.run(until=simpy.AnyOf(env, [done, stop]))
    return LineRun(
        line=line,
        inputs=inputs,
        board_h=board,
        sailing_h=np.asarray(sail_t, dtype=np.float64),
        sailing_load=np.asarray(sail_n, dtype=np.int64),
        sailing_left_behind=np.asarray(sail_left, dtype=np.int64),
        end_h=float(env.now),
    )

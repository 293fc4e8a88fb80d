"""Scenarios: what an investment, a policy or a disruption changes, run and compared.

A scenario file (:mod:`.spec`) names a base network, edits (:mod:`.edits`, pure: the base is
never changed), the freight demand and its growth, the cost parameters and the pairs to
report. :func:`run_scenario` assigns the freight (:func:`.steps.run_flows`) and answers the
pairs (:func:`.steps.run_routes`); :class:`Registry` records runs in SQLite with their
tables as Parquet; :func:`compare_results` and :func:`difference_map` put runs side by
side; :func:`criticality` closes each element in turn; :func:`sweep` runs grids on dask.
"""

from corridor.scenarios.compare import compare_results, difference_map
from corridor.scenarios.criticality import criticality, elements_of
from corridor.scenarios.edits import EditedNetworks, apply_edits, close_targets
from corridor.scenarios.parallel import execute, sweep
from corridor.scenarios.registry import Registry, RunRecord, corridor_home, run_and_record
from corridor.scenarios.run import ScenarioResult, check_scenario, run_scenario
from corridor.scenarios.spec import Scenario, ScenarioFile, load_scenario, parse_scenario
from corridor.scenarios.steps import DemandOptions, FlowsSummary, run_flows, run_routes

__all__ = [
    "DemandOptions",
    "EditedNetworks",
    "FlowsSummary",
    "Registry",
    "RunRecord",
    "Scenario",
    "ScenarioFile",
    "ScenarioResult",
    "apply_edits",
    "check_scenario",
    "close_targets",
    "compare_results",
    "corridor_home",
    "criticality",
    "difference_map",
    "elements_of",
    "execute",
    "load_scenario",
    "parse_scenario",
    "run_and_record",
    "run_flows",
    "run_routes",
    "run_scenario",
    "sweep",
]

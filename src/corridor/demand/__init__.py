"""Origin–destination demand: the :class:`Demand` matrix and its CSV / OMX input and output."""

from corridor.demand.matrix import Demand, read_demand_csv, read_omx, write_demand_csv, write_omx

__all__ = ["Demand", "read_demand_csv", "read_omx", "write_demand_csv", "write_omx"]

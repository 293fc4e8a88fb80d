"""Origin–destination demand: :class:`Demand` matrices, freight flows, CSV and OMX files."""

from corridor.demand.freight import (
    FreightDemand,
    Growth,
    demand_from_trade,
    parse_growth,
    read_freight_csv,
    read_freight_omx,
    write_freight_csv,
    write_freight_omx,
)
from corridor.demand.matrix import Demand, read_demand_csv, read_omx, write_demand_csv, write_omx

__all__ = [
    "Demand",
    "FreightDemand",
    "Growth",
    "demand_from_trade",
    "parse_growth",
    "read_demand_csv",
    "read_freight_csv",
    "read_freight_omx",
    "read_omx",
    "write_demand_csv",
    "write_freight_csv",
    "write_freight_omx",
    "write_omx",
]

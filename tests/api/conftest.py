"""Fixtures of the REST API tests: apps on the default and the tiny test networks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from corridor.api import ServiceLimits, create_app
from corridor.network.default import load_default
from corridor.network.model import Network
from corridor.testing import gauge_network


@pytest.fixture(scope="session")
def default_network() -> Network:
    return load_default()


@pytest.fixture(scope="session")
def client(default_network: Network) -> Iterator[TestClient]:
    """The API on the default network, served in-process (start-up warm-up skipped)."""
    with TestClient(create_app(default_network, warm=False)) as c:
        yield c


@pytest.fixture
def tiny_client() -> Iterator[TestClient]:
    """The API on the two-route gauge test network, with small limits."""
    limits = ServiceLimits(max_k=2, max_samples=5_000, max_via=1, max_avoid=2, max_places=3)
    with TestClient(create_app(gauge_network(), limits=limits, warm=False)) as c:
        yield c

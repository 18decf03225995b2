"""Fixtures: one throwaway PostgreSQL cluster per test session, and a fresh database on it per test.

Add ``"tests.pg_fixtures"`` to ``pytest_plugins`` in the root conftest, or import the two fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from workstation.hub.db.cluster import ClusterError, ThrowawayCluster


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThrowawayCluster]:
    """A running cluster for the whole session; stopped and its files removed at the end."""
    cluster = ThrowawayCluster(tmp_path_factory.mktemp("pg"))
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop(remove=True)


@pytest.fixture
def pg_database_url(pg_cluster: ThrowawayCluster) -> Iterator[str]:
    """The SQLAlchemy URL of a new, empty database of this test's own; dropped afterwards."""
    url = pg_cluster.create_database()
    try:
        yield url
    finally:
        try:
            pg_cluster.drop_database(url.rsplit("/", 1)[1])
        except (ClusterError, psycopg.Error):
            pass  # the test stopped the cluster itself, or broke it

"""The throwaway PostgreSQL cluster: it starts, serves databases by password on 127.0.0.1 only, and stops."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from tests.pg_fixtures import pg_cluster, pg_database_url  # noqa: F401
from workstation.hub.db import cluster as cluster_module
from workstation.hub.db.cluster import ClusterError, ThrowawayCluster, find_bin_dir


@pytest.fixture
def own_cluster(tmp_path: Path) -> Iterator[ThrowawayCluster]:
    """A cluster of this test's own, for tests that stop it or look at its files."""
    cluster = ThrowawayCluster(tmp_path / "pg")
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop(remove=True)


def _select_one(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text("SELECT 1")).scalar_one())
    finally:
        engine.dispose()


def _connect(cluster: ThrowawayCluster, password: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(host="127.0.0.1", port=cluster.port, user="floor", password=password, dbname="postgres",
                           connect_timeout=10)


def test_two_databases_answer_through_sqlalchemy(pg_cluster: ThrowawayCluster) -> None:  # noqa: F811
    first, second = pg_cluster.create_database(), pg_cluster.create_database("hub_second")
    try:
        assert first != second
        assert first.startswith("postgresql+psycopg://floor:") and "@127.0.0.1:" in first
        assert second.endswith("/hub_second") and second == pg_cluster.url("hub_second")
        assert _select_one(first) == 1
        assert _select_one(second) == 1
    finally:
        pg_cluster.drop_database(first.rsplit("/", 1)[1])
        pg_cluster.drop_database("hub_second")
    with pytest.raises(sa.exc.OperationalError):
        _select_one(second)


def test_each_test_gets_its_own_database(pg_database_url: str) -> None:  # noqa: F811
    engine = sa.create_engine(pg_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE t (x integer)"))
            connection.execute(sa.text("INSERT INTO t VALUES (7)"))
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT x FROM t")).scalar_one() == 7
            assert connection.execute(sa.text("SELECT current_database()")).scalar_one().startswith("hub_")
    finally:
        engine.dispose()


def test_a_database_with_open_connections_is_dropped(pg_cluster: ThrowawayCluster) -> None:  # noqa: F811
    url = pg_cluster.create_database()
    engine = sa.create_engine(url)
    connection = engine.connect()
    connection.execute(sa.text("SELECT 1"))
    pg_cluster.drop_database(url.rsplit("/", 1)[1])  # WITH (FORCE) cuts this session off
    with pytest.raises(sa.exc.OperationalError, match="terminating connection"):
        connection.execute(sa.text("SELECT 1"))
    connection.close()
    engine.dispose()
    with pytest.raises(sa.exc.OperationalError):
        _select_one(url)


def test_a_wrong_password_is_refused(pg_cluster: ThrowawayCluster) -> None:  # noqa: F811
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        _connect(pg_cluster, "not-the-password")


def test_it_listens_on_loopback_only_and_has_no_socket(pg_cluster: ThrowawayCluster) -> None:  # noqa: F811
    engine = sa.create_engine(pg_cluster.url("postgres"))
    try:
        with engine.connect() as connection:
            settings = {name: connection.execute(sa.text(f"SHOW {name}")).scalar_one()
                        for name in ("listen_addresses", "unix_socket_directories", "fsync", "max_connections")}
    finally:
        engine.dispose()
    assert settings == {"listen_addresses": "127.0.0.1", "unix_socket_directories": "", "fsync": "off",
                        "max_connections": "200"}
    rules = [line for line in (pg_cluster.data_dir / "pg_hba.conf").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert rules == ["host all floor 127.0.0.1/32 scram-sha-256"]


def test_the_password_is_kept_in_memory_only(own_cluster: ThrowawayCluster) -> None:
    password = own_cluster.url("postgres").split(":")[2].split("@")[0]
    own_cluster.stop()  # a checkpoint: everything the server keeps is on disk now
    files = [path for folder in (own_cluster.data_dir.parent, own_cluster.root)
             for path in folder.rglob("*") if path.is_file()]
    assert files
    assert not [path for path in files if password.encode() in path.read_bytes()]
    assert not (own_cluster.data_dir.parent / "password").exists()


def test_stop_stops_the_server_and_may_be_called_again(own_cluster: ThrowawayCluster) -> None:
    password = own_cluster.url("postgres").split(":")[2].split("@")[0]
    _connect(own_cluster, password).close()
    own_cluster.stop()
    with pytest.raises(psycopg.OperationalError):
        _connect(own_cluster, password)
    assert not (own_cluster.data_dir / "postmaster.pid").exists()
    own_cluster.stop()
    with pytest.raises(ClusterError, match="not running"):
        own_cluster.create_database()


def test_a_stopped_cluster_starts_again_with_its_databases(own_cluster: ThrowawayCluster) -> None:
    url = own_cluster.create_database()
    own_cluster.stop()
    assert own_cluster.start() == own_cluster.url("postgres")
    assert _select_one(url) == 1


def test_the_context_manager_starts_and_stops(tmp_path: Path) -> None:
    with ThrowawayCluster(tmp_path / "pg", fast=False) as cluster:
        assert _select_one(cluster.url("postgres")) == 1
        password = cluster.url("postgres").split(":")[2].split("@")[0]
    with pytest.raises(psycopg.OperationalError):
        _connect(cluster, password)
    cluster.stop(remove=True)
    assert not cluster.data_dir.exists() and not (tmp_path / "pg" / "data").exists()


def test_a_taken_port_is_a_clear_error_with_the_log(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        cluster = ThrowawayCluster(tmp_path / "pg", port=taken.getsockname()[1])
        try:
            with pytest.raises(ClusterError, match="did not start") as refused:
                cluster.start()
        finally:
            cluster.stop(remove=True)
    assert "could not" in str(refused.value)  # a line of the server's log says why


def test_a_picked_port_lost_to_someone_else_is_picked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = iter([taken.getsockname()[1]])
        real = cluster_module._free_port
        monkeypatch.setattr(cluster_module, "_free_port", lambda: next(ports, None) or real())
        cluster = ThrowawayCluster(tmp_path / "pg")
        try:
            cluster.start()
            assert cluster.port != taken.getsockname()[1]
            assert _select_one(cluster.url("postgres")) == 1
        finally:
            cluster.stop(remove=True)


def test_without_postgresql_the_error_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster_module, "find_bin_dir", lambda: None)
    with pytest.raises(ClusterError) as missing:
        ThrowawayCluster(tmp_path / "pg").start()
    assert str(missing.value) == ("PostgreSQL is not installed: run scripts/setup.sh "
                                  "(it installs Debian's postgresql package).")


def test_the_newest_version_is_found_by_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for version in ("9.6", "10", "15", "16"):
        folder = tmp_path / version / "bin"
        folder.mkdir(parents=True)
        for program in ("initdb", "pg_ctl") if version != "16" else ("pg_ctl",):  # 16: half installed
            (folder / program).write_text("#!/bin/sh\n")
            (folder / program).chmod(0o755)
    (tmp_path / "not-a-version" / "bin").mkdir(parents=True)
    monkeypatch.setattr(cluster_module, "DEBIAN_VERSIONS", tmp_path)
    assert find_bin_dir() == tmp_path / "15" / "bin"


def test_this_machine_has_postgresql() -> None:
    bin_dir = find_bin_dir()
    assert bin_dir is not None and (bin_dir / "initdb").exists()


def test_the_command_line_starts_and_stops_a_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "try"
    assert cluster_module.main(["start", str(folder)]) == 0
    try:
        url = (folder / "url").read_text().strip()
        assert stat.S_IMODE(os.stat(folder / "url").st_mode) == 0o600
        out = capsys.readouterr().out
        assert url in out and f"stop {folder}" in out
        assert _select_one(url) == 1
        assert cluster_module.main(["start", str(folder)]) == 1  # one cluster per folder
    finally:
        assert cluster_module.main(["stop", str(folder)]) == 0
    with pytest.raises(sa.exc.OperationalError):
        _select_one(url)
    assert not (folder / "url").exists() and not os.path.lexists(folder / "data")

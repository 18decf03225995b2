"""A throwaway PostgreSQL cluster on this machine: for the tests, the benchmark and people trying the hub on
PostgreSQL. Not for production — it trades durability for speed and keeps its password only in memory.

What it owns:

- finding PostgreSQL's programs (:func:`find_bin_dir`: Debian's newest ``/usr/lib/postgresql/*/bin``);
- one private server (:class:`ThrowawayCluster`): ``initdb`` with a random password for the one role
  ``floor``, a free loopback port, no Unix socket, password (SCRAM) logins from 127.0.0.1 only, and — when
  ``fast`` — no fsync; databases made and dropped on it; stopping it, also when the Python process exits;
- a small command line for people: ``python -m workstation.hub.db.cluster start DIR`` leaves a server
  running and writes its URL to ``DIR/url``; ``… stop DIR`` stops it and removes its files.

PostgreSQL refuses to run as root. As root the programs run as Debian's ``postgres`` system user through
``runuser``, and the files live in a folder that user owns: the given folder when ``postgres`` can reach it,
else a private folder in the temporary folder, linked from ``root/data``.

What it does not do: it is no defence against other users of this machine who can read its files, and a crash
with ``fast`` on may leave a broken cluster — throw it away and make a new one.
"""

from __future__ import annotations

import argparse
import atexit
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

import psycopg
from psycopg import sql

USER = "floor"
HOST = "127.0.0.1"
DEBIAN_VERSIONS = Path("/usr/lib/postgresql")  # one folder per installed major version
SERVICE_USER = "postgres"  # Debian's system user for the server, used when we run as root
_NOT_INSTALLED = "PostgreSQL is not installed: run scripts/setup.sh (it installs Debian's postgresql package)."
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_START_TRIES = 5


class ClusterError(Exception):
    """The throwaway cluster could not do what was asked; the message is one sentence for a person."""


def find_bin_dir() -> Path | None:
    """The folder of PostgreSQL's ``initdb`` and ``pg_ctl``: Debian's newest version, else the one on PATH."""
    versions = []
    for folder in DEBIAN_VERSIONS.glob("*/bin"):
        try:
            version = tuple(int(part) for part in folder.parent.name.split("."))
        except ValueError:
            continue
        if _has_programs(folder):
            versions.append((version, folder))
    if versions:
        return max(versions)[1]
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl is not None and _has_programs(Path(pg_ctl).parent):
        return Path(pg_ctl).parent
    return None


def _has_programs(folder: Path) -> bool:
    return all(os.access(folder / name, os.X_OK) for name in ("initdb", "pg_ctl"))


def _free_port() -> int:
    """A loopback port nobody listens on right now (the server may still lose it to someone else)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _as_root() -> bool:
    return os.geteuid() == 0


def _service_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise ClusterError(_NOT_INSTALLED) from None


def _runuser() -> str:
    return shutil.which("runuser") or "/usr/sbin/runuser"


def _command(bin_dir: Path, program: str, *args: str) -> list[str]:
    """The command line of one PostgreSQL program, as the ``postgres`` user when we are root."""
    command = [str(bin_dir / program), *args]
    return [_runuser(), "-u", SERVICE_USER, "--", *command] if _as_root() else command


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # The server started by pg_ctl writes to its log file (-l), never to our pipes, so capturing them is safe.
    return subprocess.run(command, cwd=cwd, check=False, capture_output=True, text=True, start_new_session=True)


def _stop_server(bin_dir: Path, data: Path) -> None:
    """Stop the server of ``data`` if it runs (fast: open sessions are cut off)."""
    if not (data / "postmaster.pid").exists():
        return
    result = _run(_command(bin_dir, "pg_ctl", "-D", str(data), "--mode=fast", "-w", "-t", "60", "stop"), data.parent)
    if result.returncode != 0 and (data / "postmaster.pid").exists():
        raise ClusterError(f"PostgreSQL did not stop: {_last_line(result)}")


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit code {result.returncode}"


def _tail(log: Path, count: int = 20) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-count:])
    except OSError:
        return "(no log)"


class ThrowawayCluster:
    """One private PostgreSQL server under ``root`` (the caller's folder), reached over TCP on 127.0.0.1."""

    def __init__(self, root: Path, *, port: int | None = None, fast: bool = True, stop_at_exit: bool = True) -> None:
        self.root = Path(root).absolute()
        self.port = port
        self.fast = fast
        self._stop_at_exit = stop_at_exit
        self._password = secrets.token_urlsafe(24)
        self._bin_dir: Path | None = None
        self._home: Path | None = None  # where the files are: root, or a folder of ours the postgres user owns
        self._own_home = False
        self._running = False

    # -- where things are --------------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        """The cluster's PGDATA folder (its real path, not a link)."""
        return (self._home or self.root) / "data"

    @property
    def log_file(self) -> Path:
        """The server's log (its output from ``pg_ctl -l``)."""
        return (self._home or self.root) / "server.log"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this cluster, password included."""
        if self.port is None:
            raise ClusterError("The cluster has not been started yet: call start() first.")
        return f"postgresql+psycopg://{USER}:{self._password}@{HOST}:{self.port}/{_checked(database)}"

    # -- life cycle --------------------------------------------------------------------------------------------

    def start(self) -> str:
        """Make the cluster if needed, start its server and return the URL of its ``postgres`` database."""
        if self._running:
            return self.url("postgres")
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise ClusterError(_NOT_INSTALLED)
        self._bin_dir = bin_dir
        # First start: a new cluster (an old one's password went with its object).
        if self._home is None and os.path.lexists(self.root / "data"):
            raise ClusterError(f"{self.root} already holds a cluster's data folder: use an empty folder.")
        if self._stop_at_exit:  # before anything is made, so a failed start leaves nothing behind either
            atexit.unregister(self._at_exit)  # once, also after a restart
            atexit.register(self._at_exit)
        if self._home is None:
            try:
                self._init(bin_dir)
            except ClusterError:
                self.stop(remove=True)
                self._home, self._own_home = None, False
                raise
        self._start(bin_dir)
        return self.url("postgres")

    def stop(self, *, remove: bool = False) -> None:
        """Stop the server (idempotent). With ``remove`` also delete the cluster's files (``root`` stays).

        A folder of ours outside ``root`` (see the module's text on root) goes at exit when not removed here.
        """
        if remove or not self._own_home:
            atexit.unregister(self._at_exit)
        if self._running and self._bin_dir is not None:
            _stop_server(self._bin_dir, self.data_dir)
        self._running = False
        if remove:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.log_file.unlink(missing_ok=True)
            link = self.root / "data"
            if link.is_symlink():
                link.unlink()
            if self._own_home and self._home is not None:
                shutil.rmtree(self._home, ignore_errors=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def _at_exit(self) -> None:
        """At interpreter exit: no server left behind; a folder of ours outside ``root`` is removed too."""
        try:
            self.stop(remove=self._own_home)
        except ClusterError:
            pass

    # -- databases ---------------------------------------------------------------------------------------------

    def create_database(self, name: str | None = None, *, template: str | None = None) -> str:
        """Create a database (a fresh ``hub_<hex>`` name when none is given) and return its URL. ``template``: a
        copy of that database (nobody may be connected to it meanwhile)."""
        name = _checked(name or f"hub_{secrets.token_hex(6)}")
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                       sql.Identifier(_checked(template)))
        self._admin(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, cutting off whoever is still connected to it."""
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(_checked(name))))

    def _admin(self, statement: sql.Composed) -> None:
        if not self._running:
            raise ClusterError("The cluster is not running: call start() first.")
        with psycopg.connect(host=HOST, port=self.port, user=USER, password=self._password, dbname="postgres",
                             autocommit=True, connect_timeout=10) as connection:
            connection.execute(statement)

    # -- the work ----------------------------------------------------------------------------------------------

    def _prepare_home(self) -> Path:
        """The folder for data, log and password file, owned by whoever runs the server."""
        self.root.mkdir(parents=True, exist_ok=True)
        if not _as_root():
            self._home = self.root
            return self.root
        user = _service_user()
        reachable = _run([_runuser(), "-u", SERVICE_USER, "--", "test", "-x", str(self.root.parent)], Path("/"))
        if reachable.returncode == 0:
            home = self.root
        else:  # e.g. pytest's /tmp/pytest-of-root is closed to others: use a folder of ours, linked from root
            home = Path(tempfile.mkdtemp(prefix="floor-pg-"))
            self._own_home = True
            (self.root / "data").symlink_to(home / "data", target_is_directory=True)
        os.chown(home, user.pw_uid, user.pw_gid)
        home.chmod(0o700)
        self._home = home
        return home

    def _init(self, bin_dir: Path) -> None:
        home = self._prepare_home()
        password_file = home / "password"
        descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(self._password + "\n")
            if _as_root():
                user = _service_user()
                os.chown(password_file, user.pw_uid, user.pw_gid)
            result = _run(_command(bin_dir, "initdb", "-D", str(home / "data"), "-U", USER,
                                   "--auth=scram-sha-256", f"--pwfile={password_file}", "--no-sync",
                                   "--encoding=UTF8", "--locale=C"), home)
        finally:
            password_file.unlink(missing_ok=True)
        if result.returncode != 0:
            raise ClusterError(f"initdb could not make the cluster: {_last_line(result)}")
        self._write_settings()
        (home / "data" / "pg_hba.conf").write_text(
            "# Throwaway cluster: the one role, by password, from this machine's loopback address only.\n"
            f"host all {USER} {HOST}/32 scram-sha-256\n", encoding="utf-8")

    def _write_settings(self) -> None:
        settings = [
            f"listen_addresses = '{HOST}'",
            f"port = {self.port or 0}",
            "unix_socket_directories = ''",
            "max_connections = 200",
        ]
        if self.fast:
            settings += ["fsync = off", "synchronous_commit = off", "full_page_writes = off", "shared_buffers = 32MB"]
        conf = self.data_dir / "postgresql.conf"
        with conf.open("a", encoding="utf-8") as handle:
            handle.write("\n# Throwaway cluster (workstation.hub.db.cluster)\n" + "\n".join(settings) + "\n")

    def _set_port(self, port: int) -> None:
        conf = self.data_dir / "postgresql.conf"
        text = conf.read_text(encoding="utf-8")
        conf.write_text(re.sub(r"(?m)^port = \d+$", f"port = {port}", text), encoding="utf-8")
        self.port = port

    def _start(self, bin_dir: Path) -> None:
        chosen = self.port is not None
        for _ in range(1 if chosen else _START_TRIES):
            self._set_port(self.port if chosen and self.port is not None else _free_port())
            offset = self.log_file.stat().st_size if self.log_file.exists() else 0
            result = _run(_command(bin_dir, "pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file),
                                   "-w", "-t", "60", "start"), self.data_dir.parent)
            if result.returncode == 0:
                self._running = True
                return
            if not self._port_was_taken(offset):
                break
        raise ClusterError(f"PostgreSQL did not start; the last lines of {self.log_file}:\n{_tail(self.log_file)}")

    def _port_was_taken(self, offset: int) -> bool:
        try:
            with self.log_file.open("rb") as handle:
                handle.seek(offset)
                news = handle.read().decode("utf-8", errors="replace")
        except OSError:
            return False
        return "could not bind" in news or "Address already in use" in news


def _checked(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ClusterError(f"{name!r} is not a database name this cluster makes: use lower-case letters, digits, _.")
    return name


# -- the command line for people --------------------------------------------------------------------------------

def _start_command(folder: Path, port: int | None) -> int:
    if (folder / "data").exists() or (folder / "url").exists():
        print(f"{folder} already holds a cluster: stop it first (stop {folder}).", file=sys.stderr)
        return 1
    cluster = ThrowawayCluster(folder, port=port, stop_at_exit=False)
    url = cluster.start()
    descriptor = os.open(folder / "url", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(url + "\n")
    print(url)
    print(f"It keeps running. Its URL is in {folder / 'url'}; "
          f"stop it with: python -m workstation.hub.db.cluster stop {folder}")
    return 0


def _stop_command(folder: Path) -> int:
    link = folder / "data"
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise ClusterError(_NOT_INSTALLED)
    if not link.exists():
        print(f"{folder} holds no running cluster.", file=sys.stderr)
    else:
        data = link.resolve()
        _stop_server(bin_dir, data)
        shutil.rmtree(data, ignore_errors=True)
        if link.is_symlink():
            link.unlink()
            shutil.rmtree(data.parent, ignore_errors=True)  # the folder of ours outside DIR
        (folder / "server.log").unlink(missing_ok=True)
    (folder / "url").unlink(missing_ok=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``start DIR`` leaves a throwaway cluster running; ``stop DIR`` stops it and deletes its files."""
    parser = argparse.ArgumentParser(prog="python -m workstation.hub.db.cluster",
                                     description="A throwaway PostgreSQL cluster for trying the hub. Not for production.")
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start", help="make a cluster in DIR, start it and print its URL")
    start.add_argument("folder", metavar="DIR", type=Path)
    start.add_argument("--port", type=int, default=None, help="the TCP port on 127.0.0.1 (default: a free one)")
    stop = commands.add_parser("stop", help="stop the cluster in DIR and delete its files")
    stop.add_argument("folder", metavar="DIR", type=Path)
    args = parser.parse_args(argv)
    folder = args.folder.absolute()
    try:
        return _start_command(folder, args.port) if args.command == "start" else _stop_command(folder)
    except ClusterError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""pytest plugin: a throwaway PostgreSQL server on 127.0.0.1 for the test session.

Register it with `pytest_plugins = ["tests.pg"]`. Fixtures:

- `postgres_url` (session): `postgresql+psycopg://postgres@127.0.0.1:PORT/ciwidgets_test`
  on a server started from an empty data folder and removed at the end.
- `fresh_postgres_url` (function): a new, empty database on that server for one test,
  dropped afterwards.

The server binaries are found with `pg_config --bindir`, else in /usr/lib/postgresql/*/bin
(or $CIWIDGETS_PG_BINDIR). As root the server runs as the `postgres` user, which refuses
to run as root. Without the binaries the tests are skipped on a developer's machine and
fail under CI (`CI` set), where `make test` must have installed them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

DATABASE = "ciwidgets_test"
START_ATTEMPTS = 3  # a free port can be taken between choosing and binding it
# Durability is pointless for a server that lives as long as a test session.
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    candidates: list[Path] = []
    if os.environ.get("CIWIDGETS_PG_BINDIR"):
        candidates.append(Path(os.environ["CIWIDGETS_PG_BINDIR"]))
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip():
            candidates.append(Path(found.stdout.strip()))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_major, reverse=True)
    return next((c for c in candidates if (c / "initdb").is_file() and (c / "pg_ctl").is_file()), None)


def _major(path: Path) -> int:
    digits = re.match(r"\d+", path.parent.name)
    return int(digits.group()) if digits else 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """initdb + pg_ctl in a temporary folder; `stop()` removes everything."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="ciwidgets-pg-"))
        self.data = self.root / "data"
        self.logfile = self.root / "server.log"
        self.port = 0
        self.as_postgres = os.geteuid() == 0 if hasattr(os, "geteuid") else False
        if self.as_postgres:
            shutil.chown(self.root, user="postgres", group="postgres")

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.bindir / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)

    def start(self) -> str:
        """Create the cluster and start it; the SQLAlchemy URL of a fresh database."""
        made = self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                        "--encoding=UTF8", "--no-locale", "--nosync")
        if made.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{made.stdout}{made.stderr}")
        for _ in range(START_ATTEMPTS):
            self.port = _free_port()
            options = " ".join(
                ["-c listen_addresses=127.0.0.1", f"-p {self.port}", f"-c unix_socket_directories={self.root}"]
                + [f"-c {setting}" for setting in FAST_SETTINGS]
            )
            started = self.run("pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-w", "-t", "60",
                               "-o", options, "start")
            if started.returncode == 0:
                break
        else:
            raise RuntimeError(f"PostgreSQL did not start:\n{started.stdout}{started.stderr}\n{self.log()}")
        self.create_database(DATABASE)
        return self.url(DATABASE)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        made = self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        if made.returncode != 0:
            raise RuntimeError(f"createdb {name} failed:\n{made.stderr}")

    def drop_database(self, name: str) -> None:
        self.run("dropdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "--force", name)

    def stop(self) -> None:
        if self.data.exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        try:
            return self.logfile.read_text(errors="replace")
        except OSError:
            return ""


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) not found; `make test` installs them as root"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = PostgresServer(bindir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of the session's test database on a throwaway local server."""
    return postgres_server.url(DATABASE)


@pytest.fixture
def fresh_postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """An empty database of its own for one test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    postgres_server.create_database(name)
    yield postgres_server.url(name)
    postgres_server.drop_database(name)

"""The tables and the engine: SQLite by default, any SQLAlchemy URL (PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    event,
)

DEFAULT_DB = "ciwidgets.db"
WRITE = "ciwidgets_write"  # execution option marking a connection that will write

metadata = MetaData()

# One row per revisioned document (network, team, project): what it is, where it
# belongs, its join/hub code and its newest revision number.
documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False, index=True),
    Column("parent_id", String(64), index=True),
    Column("code", String(200), unique=True),
    Column("name", String(200), nullable=False, default=""),
    Column("head", Integer, nullable=False),
)

# Every save is a revision: the whole document as compressed canonical JSON.
revisions = Table(
    "revisions",
    metadata,
    Column("doc_id", String(64), ForeignKey("documents.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("saved_at", String(32), nullable=False),
    Column("author", String(200), nullable=False, default=""),
    Column("message", String(500), nullable=False, default=""),
    Column("body", LargeBinary, nullable=False),
)


def resolve_url(location: str | os.PathLike | None) -> str:
    """A SQLAlchemy URL from a path, a URL, $CIWIDGETS_DB or the default file."""
    location = location or os.environ.get("CIWIDGETS_DB") or DEFAULT_DB
    text = str(location)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)


def _sqlite_engine(url: str) -> Engine:
    # One connection per process at a time is plenty for a kernel, and writers in
    # other kernels wait (busy timeout) instead of failing.
    engine = create_engine(url, connect_args={"timeout": 30, "isolation_level": None})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cur.execute("PRAGMA synchronous=NORMAL")  # safe in WAL: a killed process loses nothing committed
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # A writer takes the lock at BEGIN, so the read-check-write of a save is
        # atomic across processes (a deferred BEGIN would let two savers race);
        # readers take a snapshot and never wait (WAL).
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine

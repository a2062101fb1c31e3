"""The tables, and the database that holds them.

SQLite, the default, is reached through the standard library's `sqlite3`: a kernel
opening a workbook does not import SQLAlchemy, which took about a quarter of a
second of every cold start, and a save runs a few plain statements. Any other URL
(PostgreSQL for a shared server) goes through SQLAlchemy, imported only then.
Both run the same SQL, with `:name` parameters."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DB = "ciwidgets.db"
log = logging.getLogger(__name__)

# One row per revisioned document (network, team, project): what it is, where it
# belongs, its join/hub code and its newest revision number. Every save is a
# revision: the whole document as compressed JSON.
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS documents (
        id VARCHAR(64) NOT NULL PRIMARY KEY,
        kind VARCHAR(16) NOT NULL,
        parent_id VARCHAR(64),
        code VARCHAR(200) UNIQUE,
        name VARCHAR(200) NOT NULL,
        head INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS ix_documents_kind ON documents (kind)",
    "CREATE INDEX IF NOT EXISTS ix_documents_parent_id ON documents (parent_id)",
    """CREATE TABLE IF NOT EXISTS revisions (
        doc_id VARCHAR(64) NOT NULL REFERENCES documents (id),
        number INTEGER NOT NULL,
        saved_at VARCHAR(32) NOT NULL,
        author VARCHAR(200) NOT NULL,
        message VARCHAR(500) NOT NULL,
        body {blob} NOT NULL,
        PRIMARY KEY (doc_id, number))""",
)


class StoreError(Exception):
    """Something a user asked of the store that cannot be done; the message says why."""


class Unavailable(StoreError):
    """The database failed (a full disk, a server gone, a lock held too long): nothing of
    the transaction was stored. The details go to the server log, not to a visitor, who
    could read a server's address in them."""

    def __init__(self) -> None:
        super().__init__("The database could not be reached or written just now, so this was not saved. "
                         "Try again in a moment; if it keeps happening, tell your coach.")


@contextmanager
def _failures_unavailable(failure: type[Exception]) -> Iterator[None]:
    try:
        yield
    except failure:
        log.exception("the database failed")
        raise Unavailable() from None


class Duplicate(Exception):
    """A statement would store a value that must be unique (a code) a second time."""


def resolve_url(location: str | os.PathLike | None) -> str:
    """A database URL from a path, a URL, $CIWIDGETS_DB or the default file."""
    location = location or os.environ.get("CIWIDGETS_DB") or DEFAULT_DB
    text = str(location)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


class Transaction:
    """Statements run inside one transaction."""

    def __init__(self, execute: Callable, integrity_error: type[Exception]):
        self._execute, self._integrity_error = execute, integrity_error

    def run(self, sql: str, **params) -> None:
        try:
            self._execute(sql, params)
        except self._integrity_error as e:
            raise Duplicate(str(e)) from None

    def rows(self, sql: str, **params) -> list[tuple]:
        return [tuple(row) for row in self._execute(sql, params).fetchall()]

    def row(self, sql: str, **params) -> tuple | None:
        row = self._execute(sql, params).fetchone()
        return None if row is None else tuple(row)

    def value(self, sql: str, **params):
        """The first column of the first row, or None."""
        row = self.row(sql, **params)
        return None if row is None else row[0]


class SQLiteDatabase:
    """A SQLite file, shared by every kernel of the server on one machine."""

    lock_row = ""  # a writer already holds the whole database from BEGIN IMMEDIATE

    def __init__(self, url: str):
        path = url.split("://", 1)[1][1:] or ":memory:"
        # One connection per store; the lock keeps a second thread from starting a
        # transaction inside another. Writers in other kernels wait (busy timeout)
        # instead of failing.
        self._connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._lock = threading.RLock()
        for pragma in (
            "journal_mode=WAL",  # readers never block the writer
            "synchronous=NORMAL",  # safe in WAL: a killed process loses nothing committed
            "busy_timeout=30000",
            "foreign_keys=ON",
        ):
            self._connection.execute(f"PRAGMA {pragma}")

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Transaction]:
        """A writer takes the lock at BEGIN, so the read-check-write of a save is
        atomic across processes (a deferred BEGIN would let two savers race);
        readers take a snapshot and never wait (WAL)."""
        with self._lock, _failures_unavailable(sqlite3.Error):
            self._connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield Transaction(self._connection.execute, sqlite3.IntegrityError)
                self._connection.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:  # a failed COMMIT may leave it open
                    self._connection.execute("ROLLBACK")
                raise

    def create_tables(self) -> None:
        with self.transaction(write=True) as tx:
            for statement in SCHEMA:
                tx.run(statement.format(blob="BLOB"))

    def close(self) -> None:
        self._connection.close()


class SQLAlchemyDatabase:
    """Any other database SQLAlchemy reaches, PostgreSQL above all."""

    lock_row = " FOR UPDATE"

    def __init__(self, url: str):
        try:
            from sqlalchemy import create_engine
        except ModuleNotFoundError:
            raise ModuleNotFoundError(
                f"A database other than SQLite ({redacted(url)}) needs SQLAlchemy and a driver: "
                "pip install 'ciwidgets[postgres]'"
            ) from None
        self.engine = create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Transaction]:
        from sqlalchemy import exc, text

        with _failures_unavailable(exc.DBAPIError), self.engine.begin() as conn:
            yield Transaction(lambda sql, params: conn.execute(text(sql), params), exc.IntegrityError)

    def create_tables(self) -> None:
        from sqlalchemy import LargeBinary

        blob = LargeBinary().compile(dialect=self.engine.dialect)
        with self.transaction(write=True) as tx:
            for statement in SCHEMA:
                tx.run(statement.format(blob=blob))

    def close(self) -> None:
        self.engine.dispose()


def connect(url: str) -> SQLiteDatabase | SQLAlchemyDatabase:
    """The database at `url`, its tables created if they are missing."""
    database = SQLiteDatabase(url) if url.split("://", 1)[0] in ("sqlite", "sqlite+pysqlite") else SQLAlchemyDatabase(url)
    database.create_tables()
    return database

"""Durable storage of networks, teams and projects, with revisions and
optimistic concurrency."""

from __future__ import annotations

import datetime as dt
import zlib
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TypeVar

from ..model import DOCUMENT_TYPES, Document, Network, Project, Team, canonical_code, validated
from ..model.project import current_school_year
from .db import Duplicate, StoreError, Transaction, connect, redacted, resolve_url
from .merge import Clash, MergeConflict, merge

D = TypeVar("D", bound=Document)


class NotFound(StoreError):
    pass


class Conflict(StoreError):
    """A save based on an old revision changed what someone else changed meanwhile.

    Nothing was saved. `mine` is the document as this user wanted it, `theirs` the
    newest saved one; `clashes` names each entity both changed, with both versions."""

    def __init__(self, mine: Document, theirs: Document, theirs_revision: int, error: MergeConflict):
        self.mine, self.theirs, self.theirs_revision = mine, theirs, theirs_revision
        self.clashes: list[Clash] = error.clashes
        self.reason = error.reason  # why they do not fit together, when no entity clashed
        super().__init__(str(error))


@dataclass(frozen=True)
class Saved:
    doc: Document
    revision: int
    merged: bool  # True when others' newer edits were merged in


@dataclass(frozen=True)
class RevisionInfo:
    number: int
    saved_at: str
    author: str
    message: str


def _pack(doc: Document) -> bytes:
    return zlib.compress(doc.model_dump_json().encode(), 6)


def _unpack(cls: type[D], body: bytes) -> D:
    return cls.model_validate_json(zlib.decompress(body))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")  # orders two saves in one second


_PARENT = {"team": "network", "project": "team"}  # the kind of document each kind belongs to


def _index_of(doc: Document) -> dict:
    """The columns that let us find a document without reading it."""
    if isinstance(doc, Network):
        return {"parent_id": None, "code": doc.hub_code, "name": doc.name}
    if isinstance(doc, Team):
        return {"parent_id": doc.network_id, "code": doc.join_code, "name": doc.name}
    if isinstance(doc, Project):
        return {"parent_id": doc.team_id, "code": None, "name": doc.title}
    raise TypeError(f"not a document: {type(doc).__name__}")


class Store:
    """Where a network's work lives.

    `Store()` opens $CIWIDGETS_DB or ./ciwidgets.db; `Store("path.db")` a SQLite
    file; `Store("postgresql+psycopg://user@host/db")` a shared server."""

    def __init__(self, location=None):
        self.url = resolve_url(location)
        self.db = connect(self.url)

    def close(self) -> None:
        self.db.close()

    def __repr__(self) -> str:
        return f"Store({redacted(self.url)!r})"

    # -- transactions ------------------------------------------------------
    def _writing(self) -> AbstractContextManager[Transaction]:
        return self.db.transaction(write=True)

    def _reading(self) -> AbstractContextManager[Transaction]:
        return self.db.transaction()

    # -- documents ---------------------------------------------------------
    def create(self, doc: D, author: str = "", message: str = "created") -> Saved:
        """Store a new document as its revision 1."""
        doc = validated(type(doc), doc.model_dump())
        with self._writing() as tx:
            self._insert_new(tx, doc, author, message)
        return Saved(doc, 1, False)

    def _insert_new(self, tx: Transaction, doc: Document, author: str, message: str) -> None:
        if tx.row("SELECT id FROM documents WHERE id = :id", id=doc.id):
            raise StoreError(f"There is already a {doc.kind} with the id '{doc.id}'.")
        parent = _index_of(doc)["parent_id"]
        if parent is not None and tx.value("SELECT kind FROM documents WHERE id = :id", id=parent) != _PARENT[doc.kind]:
            # A team of no network or a project of no team could never be opened or listed.
            raise StoreError(f"No {_PARENT[doc.kind]} with the id '{parent}' is stored here: a {doc.kind} "
                             f"belongs to one (give its {_PARENT[doc.kind]}_id).")
        try:
            tx.run(
                "INSERT INTO documents (id, kind, parent_id, code, name, head)"
                " VALUES (:id, :kind, :parent_id, :code, :name, 1)",
                id=doc.id, kind=doc.kind, **_index_of(doc),
            )
        except Duplicate:  # the whole transaction is rolled back: nothing is stored
            raise StoreError(self._code_taken(doc)) from None
        self._insert_revision(tx, doc, 1, author, message)

    @staticmethod
    def _code_taken(doc: Document) -> str:
        return f"The code of {doc.kind} '{_index_of(doc)['name']}' is already used by another team or network."

    @staticmethod
    def _insert_revision(tx: Transaction, doc: Document, number: int, author: str, message: str):
        tx.run(
            "INSERT INTO revisions (doc_id, number, saved_at, author, message, body)"
            " VALUES (:doc_id, :number, :saved_at, :author, :message, :body)",
            doc_id=doc.id, number=number, saved_at=_now(), author=author[:200],
            message=message[:500], body=_pack(doc),
        )

    def load(self, cls: type[D], doc_id: str) -> tuple[D, int]:
        """The newest version of a document and its revision number."""
        with self._reading() as tx:
            head = self._head(tx, cls, doc_id)
            return self._revision(tx, cls, doc_id, head), head

    def head(self, doc_id: str) -> int:
        """The newest revision number of a document (cheap: no document is read)."""
        with self._reading() as tx:
            head = tx.value("SELECT head FROM documents WHERE id = :id", id=doc_id)
        if head is None:
            raise NotFound(f"Nothing with the id '{doc_id}' is stored here.")
        return head

    def _head(self, tx: Transaction, cls: type[Document], doc_id: str, lock: bool = False) -> int:
        query = "SELECT head FROM documents WHERE id = :id AND kind = :kind"
        head = tx.value(query + (self.db.lock_row if lock else ""), id=doc_id, kind=cls.kind)
        if head is None:
            raise NotFound(f"No {cls.kind} with the id '{doc_id}' is stored here.")
        return head

    def _revision(self, tx: Transaction, cls: type[D], doc_id: str, number: int) -> D:
        body = tx.value("SELECT body FROM revisions WHERE doc_id = :id AND number = :number", id=doc_id, number=number)
        if body is None:
            raise NotFound(f"The {cls.kind} has no revision {number}.")
        return _unpack(cls, body)

    def save(self, doc: D, base_revision: int, author: str = "", message: str = "", *,
             prefer_mine: bool = False) -> Saved:
        """Save `doc`, an edit of revision `base_revision`.

        If someone saved since, their changes to other entities are merged in
        (`Saved.merged`); if they changed the same entity, `Conflict` is raised
        and nothing is saved. With `prefer_mine` ('Keep mine'), `doc` wins there
        instead, and the rest of what they changed is kept."""
        cls = type(doc)
        doc = validated(cls, doc.model_dump())
        with self._writing() as tx:
            head = self._head(tx, cls, doc.id, lock=True)
            if base_revision > head or base_revision < 1:
                raise StoreError(f"Revision {base_revision} of this {cls.kind} does not exist.")
            result, merged = doc, base_revision != head
            if merged:
                base = self._revision(tx, cls, doc.id, base_revision)
                theirs = self._revision(tx, cls, doc.id, head)
                try:
                    result = merge(base, doc, theirs, prefer_mine=prefer_mine)
                except MergeConflict as e:
                    raise Conflict(doc, theirs, head, e) from None
            self._write_head(tx, result, head + 1, author, message)
        return Saved(result, head + 1, merged)

    def _write_head(self, tx: Transaction, doc: Document, number: int, author: str, message: str):
        try:
            tx.run(
                "UPDATE documents SET head = :head, parent_id = :parent_id, code = :code, name = :name"
                " WHERE id = :id",
                id=doc.id, head=number, **_index_of(doc),
            )
        except Duplicate:  # the whole transaction is rolled back: nothing is stored
            raise StoreError(self._code_taken(doc)) from None
        self._insert_revision(tx, doc, number, author, message)

    def overwrite(self, doc: D, author: str = "", message: str = "") -> Saved:
        """Save `doc` as the newest revision whatever happened meanwhile — for a
        deliberate choice such as 'keep mine' or restoring an old revision."""
        cls = type(doc)
        doc = validated(cls, doc.model_dump())
        with self._writing() as tx:
            head = self._head(tx, cls, doc.id, lock=True)
            self._write_head(tx, doc, head + 1, author, message)
        return Saved(doc, head + 1, False)

    # -- history -------------------------------------------------------------
    def history(self, doc_id: str) -> list[RevisionInfo]:
        """Every revision of a document, newest first."""
        with self._reading() as tx:
            rows = tx.rows(
                "SELECT number, saved_at, author, message FROM revisions WHERE doc_id = :id ORDER BY number DESC",
                id=doc_id,
            )
        if not rows:
            raise NotFound(f"Nothing with the id '{doc_id}' is stored here.")
        return [RevisionInfo(*row) for row in rows]

    def load_revision(self, cls: type[D], doc_id: str, number: int) -> D:
        with self._reading() as tx:
            self._head(tx, cls, doc_id)
            return self._revision(tx, cls, doc_id, number)

    def restore(self, cls: type[D], doc_id: str, number: int, author: str = "") -> Saved:
        """Make an old revision the newest one again (history is kept). Join and hub codes
        stay as they are now: a code replaced since (a leaked one) must not open again."""
        old = self.load_revision(cls, doc_id, number)
        now = self.load(cls, doc_id)[0]
        codes = {name: getattr(now, name) for name in ("join_code", "hub_code") if name in cls.model_fields}
        return self.overwrite(old.model_copy(update=codes), author, f"restored revision {number}")

    # -- finding things ------------------------------------------------------
    def kind_of(self, doc_id: str) -> type[Document] | None:
        with self._reading() as tx:
            kind = tx.value("SELECT kind FROM documents WHERE id = :id", id=doc_id)
        return DOCUMENT_TYPES.get(kind) if kind else None

    def _children(self, cls: type[D], parent_id: str | None) -> list[D]:
        query, params = "SELECT id, head FROM documents WHERE kind = :kind", {"kind": cls.kind}
        if parent_id is not None:
            query, params["parent_id"] = query + " AND parent_id = :parent_id", parent_id
        with self._reading() as tx:
            rows = tx.rows(query + " ORDER BY name, id", **params)
            return [self._revision(tx, cls, doc_id, head) for doc_id, head in rows]

    def networks(self) -> list[Network]:
        return self._children(Network, None)

    def teams(self, network_id: str) -> list[Team]:
        return self._children(Team, network_id)

    def projects(self, team_id: str) -> list[Project]:
        return self._children(Project, team_id)

    def by_code(self, code: str) -> Network | Team | None:
        """The team (join code) or network (hub code) a code opens, or None."""
        typed = (code or "").strip().lower()
        if not typed:
            return None
        with self._reading() as tx:
            for candidate in dict.fromkeys((canonical_code(typed), typed)):  # as on a card, or as imported
                row = tx.row("SELECT id, kind, head FROM documents WHERE code = :code", code=candidate)
                if row is not None and row[1] in ("team", "network"):
                    doc_id, kind, head = row
                    return self._revision(tx, DOCUMENT_TYPES[kind], doc_id, head)
        return None

    def current_project(self, team_id: str) -> Project:
        """The team's project for this school year, or the latest before it (created if the
        team has none); of two for one year, the one created first: storing another never
        hides the team's work, and a project stored ahead for a later year waits for it."""
        return self.find_current_project(team_id) or self.create(Project(team_id=team_id)).doc

    def find_current_project(self, team_id: str, today: dt.date | None = None) -> Project | None:
        """`current_project` without creating one: None when the team has no project."""
        projects = self.projects(team_id)
        if not projects:
            return None
        with self._reading() as tx:
            created = dict(tx.rows("SELECT doc_id, saved_at FROM revisions WHERE number = 1 AND doc_id IN "
                                   "(SELECT id FROM documents WHERE parent_id = :team)", team=team_id))
        oldest_first = sorted(projects, key=lambda p: created.get(p.id, ""))
        this_year = current_school_year(today)
        begun = [p for p in oldest_first if p.school_year <= this_year]
        if begun:
            return max(begun, key=lambda p: p.school_year)  # the first of the newest year begun
        return min(oldest_first, key=lambda p: p.school_year)  # only years to come: the nearest

    def counts(self) -> dict[str, int]:
        """How many documents of each kind and how many revisions are stored."""
        with self._reading() as tx:
            kinds = dict(tx.rows("SELECT kind, COUNT(*) FROM documents GROUP BY kind"))
            kinds["revisions"] = tx.value("SELECT COUNT(*) FROM revisions")
        return kinds

    def put_all(self, docs: list[Document], author: str = "", message: str = "") -> None:
        """Write several documents in one transaction (all or nothing): new ones
        are created, existing ones get this version as their newest revision."""
        with self._writing() as tx:
            for doc in docs:
                exists = tx.value("SELECT kind FROM documents WHERE id = :id", id=doc.id)
                if exists is None:
                    self._insert_new(tx, doc, author, message)
                elif exists != doc.kind:
                    raise StoreError(f"The id '{doc.id}' belongs to a {exists}, not a {doc.kind}.")
                else:
                    head = self._head(tx, type(doc), doc.id, lock=True)
                    self._write_head(tx, doc, head + 1, author, message)

"""One browser's view of a document: edits are saved at once, others' edits merged.

A `Session` sits between the widgets and the store. Each widget changes the
document only through `Session.edit`, which validates the result and saves it
based on the revision the session last saw. The store merges other people's
edits of other entities; an edit of the same entity comes back as a conflict,
which the session shows without losing either version."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from pydantic import ValidationError

from .model import Document, ModelError, Project, Team, explain
from .store import Conflict, Store, StoreError

log = logging.getLogger(__name__)
D = TypeVar("D", bound=Document)
Status = Literal["saved", "merged", "conflict", "invalid", "unchanged"]


@dataclass(frozen=True)
class EditResult:
    status: Status
    message: str
    at: dt.datetime

    @property
    def ok(self) -> bool:
        return self.status in ("saved", "merged", "unchanged")


@dataclass(frozen=True)
class ConflictInfo:
    """What this user wanted (`mine`) and what is saved (`theirs`), and where they differ."""

    what: str
    mine: Document
    theirs: Document
    labels: list[str]


class Session(Generic[D]):
    """Autosaving access to one stored document (usually a team's `Project`)."""

    def __init__(self, store: Store, cls: type[D], doc_id: str, author: str = ""):
        self.store, self.cls, self.author = store, cls, author
        self.doc, self.revision = store.load(cls, doc_id)
        self.conflict: ConflictInfo | None = None
        self.last: EditResult | None = None
        self._observers: list[Callable[[Session], None]] = []
        self._team: Team | None = None

    @classmethod
    def for_team(cls, store: Store, team: Team, author: str = "") -> Session[Project]:
        """A session on the team's current project."""
        session = cls(store, Project, store.current_project(team.id).id, author)
        session._team = team
        return session

    @property
    def team(self) -> Team | None:
        """The team whose project this is (loaded once, on first use)."""
        if self._team is None and isinstance(self.doc, Project):
            self._team = self.store.load(Team, self.doc.team_id)[0]
        return self._team

    # -- observing -------------------------------------------------------------
    def observe(self, callback: Callable[[Session], None], *, first: bool = False) -> None:
        """Call `callback(session)` after every change of `session.doc`. Views that
        draw a chart ask to go `first`: the picture tells the team the edit landed, and
        a page's redraws reach the browser in the order they are made."""
        if first:
            self._observers.insert(0, callback)
        else:
            self._observers.append(callback)

    def unobserve(self, callback: Callable[[Session], None]) -> None:
        if callback in self._observers:
            self._observers.remove(callback)

    def _notify(self) -> None:
        for callback in list(self._observers):
            try:
                callback(self)
            except Exception:  # one broken view must not stop the others from redrawing
                log.exception("a view failed to redraw")

    # -- editing ----------------------------------------------------------------
    def edit(self, change: Callable[[D], object], what: str = "") -> EditResult:
        """Apply `change` to a copy of the document and save it.

        `change` mutates the copy in place. Invalid input (a bad date, a text too
        long, a link to nothing) saves nothing and leaves `doc` unchanged: the
        store validates the whole document before it saves it."""
        draft = self.cls.model_validate(self.doc.model_dump())  # a deep copy, in pydantic's core: fast
        try:
            change(draft)
        except ValidationError as e:
            return self._finish("invalid", " ".join(explain(e).messages))
        except ModelError as e:
            return self._finish("invalid", " ".join(e.messages))
        if draft == self.doc:
            return self._finish("unchanged", "No change.", notify=False)
        return self._save(draft, what)

    def _save(self, draft: D, what: str) -> EditResult:
        try:
            saved = self.store.save(draft, self.revision, self.author, what)
        except Conflict as e:
            return self._on_conflict(e, what)
        except ModelError as e:
            return self._finish("invalid", " ".join(e.messages))
        except StoreError as e:
            return self._finish("invalid", str(e))
        self.doc, self.revision = saved.doc, saved.revision
        self.conflict = None
        if saved.merged:
            return self._finish("merged", "Saved, together with changes someone else made meanwhile.")
        return self._finish("saved", "Saved.")

    def _on_conflict(self, e: Conflict, what: str) -> EditResult:
        labels = [c.label for c in e.clashes] or [str(e)]
        self.conflict = ConflictInfo(what, e.mine, e.theirs, labels)
        self.doc, self.revision = e.theirs, e.theirs_revision
        names = ", ".join(labels)
        return self._finish(
            "conflict",
            f"Someone else changed {names} at the same time. Their version is shown; "
            "yours is kept aside — choose 'Keep mine' to use yours instead.",
        )

    def keep_mine(self) -> EditResult:
        """Resolve the last conflict in favour of this user's version."""
        if self.conflict is None:
            return self._finish("unchanged", "There is no conflict to resolve.", notify=False)
        mine, what = self.conflict.mine, self.conflict.what
        self.conflict = None
        saved = self.store.overwrite(mine, self.author, f"kept my version: {what}".strip(": "))
        self.doc, self.revision = saved.doc, saved.revision
        return self._finish("saved", "Saved your version.")

    def refresh(self) -> bool:
        """Pick up what others saved; True if anything changed."""
        if self.store.head(self.doc.id) == self.revision:
            return False
        self.doc, self.revision = self.store.load(self.cls, self.doc.id)
        self._notify()
        return True

    def _finish(self, status: Status, message: str, notify: bool = True) -> EditResult:
        self.last = EditResult(status, message, dt.datetime.now())
        if notify:
            self._notify()
        return self.last

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

from .model import Document, ModelError, Project, Team, explain, validated
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
    base_revision: int  # what `mine` was an edit of


class Session(Generic[D]):
    """Autosaving access to one stored document (usually a team's `Project`)."""

    def __init__(self, store: Store, cls: type[D], doc_id: str, author: str = ""):
        self.store, self.cls, self.author = store, cls, author
        self.doc, self.revision = store.load(cls, doc_id)
        self.conflict: ConflictInfo | None = None
        self.last: EditResult | None = None
        self._pictures: list[Callable[[Session], None]] = []
        self._observers: list[Callable[[Session], None]] = []
        self._team: Team | None = None
        self.retired = ""  # why edits are refused, once the page has moved on

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
        """Call `callback(session)` after every change of `session.doc`.

        Pictures (diagrams, charts) ask to go `first`: the picture tells the team the
        edit landed. They are called before every other view, in the order they asked,
        and see a valid edit as soon as it is checked, before the store has written it:
        a page's redraws reach the browser in the order they are made, and the write
        need not keep the picture waiting. The save status says "Saved" only once it is."""
        (self._pictures if first else self._observers).append(callback)

    def unobserve(self, callback: Callable[[Session], None]) -> None:
        for callbacks in (self._pictures, self._observers):
            if callback in callbacks:
                callbacks.remove(callback)

    def _notify(self, *, pictures: bool = True, others: bool = True) -> None:
        callbacks = (self._pictures if pictures else []) + (self._observers if others else [])
        for callback in callbacks:
            try:
                callback(self)
            except Exception:  # one broken view must not stop the others from redrawing
                log.exception("a view failed to redraw")

    # -- editing ----------------------------------------------------------------
    def edit(self, change: Callable[[D], object], what: str = "") -> EditResult:
        """Apply `change` to a copy of the document and save it.

        `change` mutates the copy in place. Invalid input (a bad date, a text too
        long, a link to nothing) saves nothing and leaves `doc` unchanged: the
        whole document is checked, as the store checks it, before anything is
        shown or saved. The pictures are shown the checked edit first (see `observe`)."""
        if self.retired:
            return self._finish("invalid", self.retired)
        draft = self.cls.model_validate(self.doc.model_dump())  # a deep copy, in pydantic's core: fast
        try:
            change(draft)
            if draft == self.doc:
                return self._finish("unchanged", "No change.", notify=False)
            draft = validated(self.cls, draft.model_dump())
        except ValidationError as e:
            return self._finish("invalid", " ".join(explain(e).messages))
        except ModelError as e:
            return self._finish("invalid", " ".join(e.messages))
        self._show_pictures(draft)
        try:
            return self._save(draft, what)
        except Exception:  # the store broke down: the pictures must not show an unsaved edit
            self._notify(others=False)
            raise

    def _show_pictures(self, draft: D) -> None:
        """Let the pictures draw `draft` before it is stored. Should the store refuse
        it, every view (pictures too) is redrawn from what is stored."""
        stored, self.doc = self.doc, draft
        try:
            self._notify(others=False)
        finally:
            self.doc = stored

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
        # A version kept aside by an earlier conflict stays until Keep mine (or a newer
        # conflict): going on with other edits must not throw it away.
        if saved.merged:
            return self._finish("merged", "Saved, together with changes someone else made meanwhile.")
        return self._finish("saved", "Saved.", pictures=False)  # they show it already

    def _on_conflict(self, e: Conflict, what: str) -> EditResult:
        labels = [c.label for c in e.clashes]
        self.conflict = ConflictInfo(what, e.mine, e.theirs, labels, self.revision)
        self.doc, self.revision = e.theirs, e.theirs_revision
        deleted = [c.label for c in e.clashes if c.theirs is None]
        changed = [c.label for c in e.clashes if c.theirs is not None]
        if deleted or changed:
            done = " and ".join(f"{verb} {', '.join(names)}" for verb, names in
                                (("deleted", deleted), ("changed", changed)) if names)
            said = f"Someone else {done} at the same time."
        else:
            said = f"Someone else changed this at the same time. {e.reason or str(e)}"
        then = ("Their version is shown; yours is kept aside — choose 'Keep mine' to use yours instead."
                if changed or not deleted else
                "Yours is kept aside — choose 'Keep mine' to bring it back with your change.")
        return self._finish("conflict", f"{said} {then}")

    def keep_mine(self) -> EditResult:
        """Resolve the last conflict in favour of this user's version: where both changed
        the same thing, mine; everything else others changed meanwhile stays."""
        if self.conflict is None:
            return self._finish("unchanged", "There is no conflict to resolve.", notify=False)
        if self.retired:
            return self._finish("invalid", self.retired)
        conflict, self.conflict = self.conflict, None
        message = f"kept my version: {conflict.what}".strip(": ")
        try:
            saved = self.store.save(conflict.mine, conflict.base_revision, self.author, message, prefer_mine=True)
        except Conflict:  # the versions cannot be combined at all: mine, as the person chose
            saved = self.store.overwrite(conflict.mine, self.author, message)
        self.doc, self.revision = saved.doc, saved.revision
        return self._finish("saved", "Saved your version.")

    def discard_mine(self) -> None:
        """Let go of the version a conflict kept aside (its change was made again, on theirs)."""
        if self.conflict is not None:
            self.conflict = None
            self._notify(pictures=False)

    def retire(self, reason: str) -> None:
        """Refuse every later edit with `reason` (its views were replaced on the page),
        and say so at once in every view's status."""
        self.retired = reason
        self._finish("invalid", reason, pictures=False)

    def refresh(self) -> bool:
        """Pick up what others saved; True if anything changed."""
        if self.retired or self.store.head(self.doc.id) == self.revision:
            return False
        self.doc, self.revision = self.store.load(self.cls, self.doc.id)
        self._notify()
        return True

    def _finish(self, status: Status, message: str, notify: bool = True, pictures: bool = True) -> EditResult:
        self.last = EditResult(status, message, dt.datetime.now())
        if notify:
            self._notify(pictures=pictures)
        return self.last

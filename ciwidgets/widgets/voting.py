"""Dot voting on the fishbone: which causes matter most?

Pick who is voting (from the team's members), then tick the causes that member
puts a dot on. Each member has `votes_per_member` dots, at most one per cause (see
`ciwidgets.analysis.rootcause` for the rules); a dot can be taken back or moved at
any time, and "Reset my dots" starts that member over. The diagram shows every
cause's dots and highlights the top causes, ties included."""

from __future__ import annotations

from html import escape

from ..analysis.rootcause import (
    dots_left,
    reset_votes,
    set_votes_per_member,
    tally,
    toggle_vote,
    votes_of,
)
from ..analysis.words import shortened
from ..model import Project
from ..render.fishbone import fishbone_svg
from ..session import Session
from . import lean as W
from .common import DiagramView, SaveStatus, field, keyed_rows, set_children
from .fishbone import Editor, Feedback, button, cause_options, set_options


class CauseVoting(Editor):
    """Dot voting by team member, with counts and top causes on the diagram.

    Options: `highlight_top` (how many top ranks to highlight, default 3)."""

    def __init__(self, session: Session, *, highlight_top: int = 3):
        self.session = session
        self.highlight_top = highlight_top
        self.status = SaveStatus(session)
        self.voter = field("Who is voting?", W.Dropdown)
        self.dots_info = W.HTML()
        self.ballot = W.VBox(layout=W.Layout(margin="0.3em 0"))
        self.boxes: dict[str, W.Checkbox] = {}
        self.reset_button = button(description="Reset my dots", icon="undo")
        self.reset_button.on_click(lambda _: self._reset())
        self.per_member = field("Dots per member", W.Dropdown, options=list(range(1, 11)), width="20em")
        self.feedback = Feedback()
        self.ranking = W.HTML()
        self.empty = W.HTML()
        self.diagram = DiagramView(self._svg, "fishbone-votes", session)
        self.on_commit(self.voter, lambda _: self._on_voter())
        self.on_commit(self.per_member, self._set_per_member)
        super().__init__(session, [
            self.status, self.empty,
            W.HBox([W.VBox([self.voter, self.dots_info, self.ballot,
                            W.HBox([self.reset_button]), self.feedback, self.per_member],
                           layout=W.Layout(flex="1 1 24em", min_width="18em")),
                    W.VBox([self.ranking], layout=W.Layout(flex="1 1 16em", padding="0 0 0 1em"))],
                   layout=W.Layout(flex_flow="row wrap", align_items="flex-start")),
            self.diagram,
        ])
        self.add_class("ciw-voting")
        self._on_change(session)

    def _svg(self) -> str:
        return fishbone_svg(self.session.doc, highlight_top=self.highlight_top)

    def members(self) -> list[str]:
        team = self.session.team
        return [m.name for m in team.members] if team is not None else []

    # ------------------------------------------------------------ drawing

    def sync(self, doc: Project) -> None:
        fb = doc.fishbone
        members = self.members()
        # Nobody is preselected, so no dot lands under the wrong name by accident.
        set_options(self.voter, [("choose a name…", "")] + [(m, m) for m in members], self.voter.value)
        if self.per_member.value != fb.votes_per_member:
            self.per_member.value = fb.votes_per_member
        if not members:
            self.empty.value = ('<p class="ciw-muted">Add the team\'s members (workbook 1, Form the '
                                "team) so each can vote.</p>")
        elif not fb.causes:
            self.empty.value = '<p class="ciw-muted">Add causes to the fishbone first, then vote.</p>'
        else:
            self.empty.value = ""
        options = cause_options(doc, with_votes=False)
        set_children(self.ballot, keyed_rows(self.boxes, [cid for _, cid in options], self._ballot_box))
        for label, cid in options:
            self.boxes[cid].description = label
        voter = self._current_voter()
        mine = {v.cause_id for v in votes_of(fb, voter)} if voter else set()
        for cid, box in self.boxes.items():
            box.value = cid in mine
            box.disabled = voter is None
        self.reset_button.disabled = not mine
        if voter:
            left = dots_left(fb, voter)
            self.dots_info.value = (f"<p><strong>{escape(voter)}</strong> has {left} of "
                                    f"{fb.votes_per_member} dots left. Tick a cause to place a dot; "
                                    "untick to take it back.</p>")
        else:
            self.dots_info.value = ""
        self.ranking.value = self._ranking_html(doc)

    def _ballot_box(self, cause_id: str) -> W.Checkbox:
        box = W.Checkbox(indent=False, layout=W.Layout(width="100%"))
        self.on_commit(box, lambda value: self._toggle(cause_id, value))
        return box

    def _ranking_html(self, doc: Project) -> str:
        standing = tally(doc.fishbone, self.highlight_top)
        voted = [t for t in standing if t.votes]
        if not voted:
            return "<h3>Top causes</h3><p class='ciw-muted'>No dots yet.</p>"
        items = []
        for t in voted:
            mark = "★ " if t.top else ""
            tied = sum(1 for u in voted if u.rank == t.rank) > 1
            items.append(f"<li>{mark}{'tied ' if tied else ''}#{t.rank}: {escape(shortened(t.cause.text, 80))} "
                         f"— {t.votes} dot{'s' if t.votes != 1 else ''}</li>")
        voters = sorted({v.voter for v in doc.fishbone.votes})
        return (f"<h3>Top causes</h3><ol style='list-style:none;padding-left:0'>{''.join(items)}</ol>"
                f"<p class='ciw-muted'>{len(voters)} of {len(self.members()) or len(voters)} members "
                "have voted. ★ = highlighted on the diagram (ties included).</p>")

    # ------------------------------------------------------------ editing

    def _current_voter(self) -> str | None:
        voter = self.voter.value
        return voter if isinstance(voter, str) and voter in self.members() else None

    def _on_voter(self) -> None:
        self.feedback.show()
        with self.syncing():
            self.sync(self.session.doc)

    def _toggle(self, cause_id: str, wanted: object) -> None:
        voter = self._current_voter()
        if voter is None:
            self.feedback.show(text="Choose who is voting first.")
        else:
            placed = any(v.cause_id == cause_id for v in votes_of(self.session.doc.fishbone, voter))
            if bool(wanted) != placed:
                def change(p: Project) -> None:
                    toggle_vote(p.fishbone, voter, cause_id)

                verb = "placed a dot" if wanted else "took back a dot"
                self.edit(change, f"{voter} {verb}", self.feedback,
                          "Dot placed." if wanted else "Dot taken back.")
        with self.syncing():  # a refused dot unticks itself
            self.sync(self.session.doc)

    def _reset(self) -> None:
        voter = self._current_voter()
        if voter is None:
            return

        def change(p: Project) -> None:
            reset_votes(p.fishbone, voter)

        self.edit(change, f"reset {voter}'s dots", self.feedback, f"{voter}'s dots are back in hand.")

    def _set_per_member(self, value: object) -> None:
        try:
            dots = int(value)
        except (TypeError, ValueError):
            return

        def change(p: Project) -> None:
            set_votes_per_member(p.fishbone, dots)

        self.edit(change, f"gave each member {dots} dots", self.feedback,
                  f"Each member now has {dots} dot{'s' if dots != 1 else ''}.")

    def vote(self, voter: str, cause_id: str) -> None:
        """Tick a cause for a member, as a user does."""
        self.voter.value = voter
        self.boxes[cause_id].value = not self.boxes[cause_id].value


__all__ = ["CauseVoting"]

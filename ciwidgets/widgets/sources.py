"""What others have learned about the problem: research, other schools, and settings
like ours (a clinic's morning huddle, a library's sign-up). A team that looks before it
digs does not start from zero, and a finding can ground a cause on the fishbone.

Add a source by its title; the chosen one is changed in one form (what they found, a
link), so the page stays the same size however many the team collects. A learning
another school shared with the network becomes a source in one click."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..analysis.rootcause import (
    SOURCE_WORDS,
    idea_from_source,
    ideas_from,
    remove_source,
    source_from_learning,
)
from ..analysis.words import shortened
from ..model import SOURCE_KINDS, Network, Project, SharedLearning, Source
from ..session import Session
from . import lean as W
from .common import ConfirmButton, SaveStatus, field
from .fishbone import ChosenEditor, Feedback, button, set_options

NO_TITLE = "A source needs a title: what is it, or who?"
KIND_OPTIONS = [(SOURCE_WORDS[k], k) for k in SOURCE_KINDS]


def source_label(source: Source) -> str:
    return f"{SOURCE_WORDS[source.kind]}: {shortened(source.title, 70)}"


def sources_html(project: Project) -> str:
    """The team's sources as a readable list: kind, title, finding, link (http(s) only,
    opened in a new tab), where it came from and which causes it grounds."""
    if not project.sources:
        return ('<p class="ciw-muted">Nothing yet. Who has faced this problem before? Look for one '
                "piece of research, one school, and one setting outside schools.</p>")
    items = []
    for source in project.sources:
        causes = sum(any(e.source_id == source.id for e in c.evidence) for c in project.fishbone.causes)
        meta = [SOURCE_WORDS[source.kind]]
        if source.learning_id:
            meta.append("shared in the network")
        if causes:
            meta.append(f"evidence for {causes} cause{'s' if causes != 1 else ''}")
        tried = len(ideas_from(project, source.id))
        if tried:
            meta.append(f"tried here as {tried} change idea{'s' if tried != 1 else ''}")
        link = (f' · <a href="{escape(source.link, quote=True)}" target="_blank" rel="noopener noreferrer">'
                "Open the link</a>" if source.link else "")
        finding = f'<div class="ciw-source-finding">{escape(source.finding)}</div>' if source.finding else ""
        items.append(f"<li><strong>{escape(source.title)}</strong>{finding}"
                     f'<div class="ciw-muted">{escape(" · ".join(meta))}{link}</div></li>')
    return f'<ul class="ciw-sources" aria-label="What others have learned">{"".join(items)}</ul>'


class SourcesLog(ChosenEditor):
    """Collect what research, other schools and settings like ours have learned."""

    chosen_kind = Source

    def __init__(self, session: Session):
        self.session = session
        self.selected_id: str | None = None
        self.status = SaveStatus(session)
        self.shelf = W.HTML()
        self.new_kind = field("Kind", W.Dropdown, options=KIND_OPTIONS, value="research")
        self.new_title = field("New source", W.Text, continuous_update=False,
                               placeholder="A study, a school, a setting like ours (Enter adds it)")
        self.on_commit(self.new_title, lambda v: self._add(v, asked=False))
        self.add_button = button(description="Add source", icon="plus")
        self.add_button.on_click(lambda _: self._add(self.new_title.value, asked=True))
        self.new_feedback = Feedback()
        self._build_network_box()
        self._build_source_form()
        super().__init__(session, [
            self.status,
            W.HTML('<p class="ciw-muted">Before digging into causes, look at who has faced this problem '
                   "before: research, another school, or a setting outside schools that solved a problem "
                   "like it.</p>"),
            self.shelf, self.new_kind, self.new_title, W.HBox([self.add_button]), self.new_feedback,
            *([self.network_box] if self.network_box else []), self.source_box,
        ])
        self.add_class("ciw-sources-log")
        self._on_change(session)

    def _build_network_box(self) -> None:
        """Only when another school has shared something: an empty box costs a page load."""
        self.learnings: list[tuple[SharedLearning, str]] = self._network_learnings()
        self.network_box: W.VBox | None = None
        if not self.learnings:
            return
        self.learning_pick = field("Their learning", W.Dropdown,
                                   options=[(shortened(f"{school}: {s.title}", 90), s.id)
                                            for s, school in self.learnings])
        self.take = button(description="Add it to our sources", icon="plus")
        self.take.on_click(lambda _: self._take_learning())
        self.network_feedback = Feedback()
        self.network_box = W.VBox([
            W.HTML("<h3>From the other schools of your network</h3>"),
            self.learning_pick, W.HBox([self.take]), self.network_feedback,
        ])

    def _build_source_form(self) -> None:
        self.source_list = field("Source", W.Dropdown)
        self.on_commit(self.source_list, self._select)
        self.kind = field("Kind", W.Dropdown, options=KIND_OPTIONS)
        self.on_commit(self.kind, lambda v: self._edit_source(lambda s: setattr(s, "kind", v)))
        self.title = field("Title", W.Text, continuous_update=False)
        self.on_commit(self.title, self._retitle)
        self.finding = field("What they found", W.Textarea, rows=3, continuous_update=False,
                             placeholder="What did they find or do, and what does it tell us about our problem?")
        self.on_commit(self.finding, lambda v: self._edit_source(lambda s: setattr(s, "finding", v)))
        self.link = field("Link", W.Text, continuous_update=False, placeholder="https://… (optional)")
        self.on_commit(self.link, lambda v: self._edit_source(lambda s: setattr(s, "link", v)))
        self.idea = field("Try it here", W.Text, continuous_update=False,
                          placeholder="A change idea, in your words (Enter adds it)")
        self.on_commit(self.idea, self._try_here)
        self.tried = W.HTML()
        self.remove = ConfirmButton("Remove source", "Really remove this source?", self._remove,
                                    tooltip="Remove this source (asks once more); evidence taken from it stays")
        self.feedback = Feedback()
        self.source_box = W.VBox([
            W.HTML("<h3>Change a source</h3>"), self.source_list, self.kind, self.title, self.finding,
            self.link, self.idea, self.tried, W.HBox([self.remove]), self.feedback,
        ], layout=W.Layout(border="1px solid #d9d4c9", padding="0.5em 0.8em", margin="0.5em 0"))

    def _network_learnings(self) -> list[tuple[SharedLearning, str]]:
        """What the other schools shared, latest first, with each school's name. Read
        when the page opens: a learning shared later shows after a reload."""
        team = self.session.team
        if team is None:
            return []
        store = self.session.store
        network = store.load(Network, team.network_id)[0]
        schools = {t.id: t.name for t in store.teams(network.id)}
        return [(s, schools.get(s.team_id, "A school of the network"))
                for s in network.newest_learnings() if s.team_id != team.id]

    # -- showing the model -------------------------------------------------------------------
    def sync(self, doc: Project) -> None:
        self.shelf.value = sources_html(doc)
        ids = [s.id for s in doc.sources]
        if self.selected_id not in ids:
            self.selected_id = ids[-1] if ids else None
        set_options(self.source_list, [(source_label(s), s.id) for s in doc.sources], self.selected_id)
        W.show(self.source_box, bool(ids))
        source = doc.find(self.selected_id) if self.selected_id else None
        if source is None:
            return
        self.kind.value, self.title.value = source.kind, source.title
        self.finding.value, self.link.value = source.finding, source.link
        tried = [f"“{escape(shortened(x.text, 60))}”" for x in ideas_from(doc, source.id)]
        self.tried.value = (f'<p class="ciw-muted">Tried here as {", ".join(tried)}: see it in the driver '
                            "diagram (3. Theory of improvement).</p>" if tried else "")
        self.remove.concern(source.id)

    # -- editing -----------------------------------------------------------------------------
    def _add(self, value: str, *, asked: bool) -> None:
        """`asked` is a click on Add (an emptied box is not a request)."""
        title = value.strip()
        if not title:
            if asked:
                self.new_feedback.show(text=NO_TITLE)
            return
        source = Source(kind=self.new_kind.value, title=title[:200])
        self.selected_id = source.id  # chosen at once: what they found comes next
        result = self.edit(lambda p: p.sources.append(source), f"added the source '{shortened(title, 60)}'",
                           self.new_feedback, ok_text="Added. Say what they found below; it saves as you go.")
        if result.ok:
            self.feedback.show()
            with self.syncing():
                self.new_title.value = ""

    def _try_here(self, value: str) -> None:
        """Borrow the chosen source as a change idea in the team's words."""
        text, source_id = str(value or "").strip(), self.selected_id
        if not text or source_id is None:
            return
        result = self.edit(lambda p: idea_from_source(p, source_id, text),
                           f"borrowed the change idea '{shortened(text, 60)}' from a source", self.feedback,
                           ok_text="Added to the driver diagram's change ideas. In 3. Theory of improvement, "
                                   "link it to the driver it would move.")
        if result.ok:
            with self.syncing():
                self.idea.value = ""

    def _take_learning(self) -> None:
        found = next(((s, school) for s, school in self.learnings if s.id == self.learning_pick.value), None)
        if found is None:
            return
        made: list[Source] = []
        result = self.edit(lambda p: made.append(source_from_learning(p, *found)),
                           "added a learning from the network to the sources", self.network_feedback,
                           ok_text="Added to your sources.")
        if result.ok and made:
            self.selected_id = made[0].id
            self._on_change(self.session)

    def _retitle(self, value: str) -> None:
        if not value.strip():
            return self._refuse(NO_TITLE)
        self._edit_source(lambda s: setattr(s, "title", value))

    def _edit_source(self, change: Callable[[Source], object]) -> None:
        self._edit_chosen(change, "changed a source")

    def _remove(self) -> None:
        source_id = self.selected_id
        if source_id is None:
            return
        self.selected_id = None
        last = len(self.session.doc.sources) == 1  # then the form goes, and its feedback with it
        self.edit(lambda p: remove_source(p, source_id), "removed a source",
                  self.new_feedback if last else self.feedback,
                  ok_text="Removed the source. Evidence taken from it stays on the fishbone.")

"""5 whys: from a cause (or the problem), ask "why?" until the answer is a root cause
the team can act on, then put that answer on the fishbone with one click.

The chain is kept in the project (several chains may exist); each answer is an
editable line that saves when it is left. "Add as root cause" is idempotent: a
second click updates the same cause instead of adding a copy."""

from __future__ import annotations

from html import escape

from ..analysis.rootcause import (
    RootCauseError,
    add_why,
    promote_why,
    root_answer,
    start_why_chain,
)
from ..analysis.words import shortened
from ..model import Project, WhyChain
from ..session import Session
from . import lean as W
from .common import ConfirmButton, SaveStatus, field, set_children
from .fishbone import Editor, Feedback, button, cause_options, find_cause, set_options

PROBLEM = "__problem__"
MAX_WHYS_SHOWN = 12  # answer fields at most; a chain rarely needs more than 5-7


def chain_label(chain: WhyChain) -> str:
    n = len(chain.whys)
    mark = " ✓ on the fishbone" if chain.promoted_cause_id else ""
    return f"{shortened(chain.start, 50)} · {n} why{'s' if n != 1 else ''}{mark}"


class FiveWhys(Editor):
    """Ask "why?" repeatedly from a cause or the problem; promote the last answer."""

    def __init__(self, session: Session):
        self.session = session
        self.selected_id: str | None = None
        self.status = SaveStatus(session)

        self.start_from = field("Start from", W.Dropdown)
        self.start_button = button(description="Start asking why", button_style="primary",
                                     icon="question")
        self.start_feedback = Feedback()
        self.start_button.on_click(lambda _: self._start())

        self.chain_list = field("Chains", W.Dropdown)
        self.on_commit(self.chain_list, self._select)

        self.chain_view = W.HTML()
        # One field per answer, made when a chain first needs it: every control is a model
        # the page waits for when it opens.
        self.answers: list[W.Text] = []
        self.answer_box = W.VBox()
        self.next_answer = field("Why?", W.Text, continuous_update=False,
                                 placeholder="Answer, then press Enter to ask why again")
        self.next_answer.add_class("ciw-add-box")  # emptied once added (see TypingGuard)
        self.on_commit(self.next_answer, lambda _: self._answer())
        self.remove_last = button(description="Remove last answer", icon="undo")
        self.remove_last.on_click(lambda _: self._remove_last())
        self.hint = W.HTML()
        self.category = field("Fishbone category", W.Dropdown)
        self.promote_button = button(description="Add as root cause", button_style="success",
                                       icon="arrow-right")
        self.promote_button.on_click(lambda _: self._promote())
        self.delete_button = ConfirmButton("Delete chain", "Really delete this chain?", self._delete,
                                           tooltip="Delete this chain of whys (asks once more)")
        self.feedback = Feedback()
        self.chain_box = W.VBox([
            self.chain_view, self.answer_box, self.next_answer, W.HBox([self.remove_last]), self.hint,
            W.HTML("<h4>Found a root cause?</h4>"), self.category,
            W.HBox([self.promote_button, self.delete_button]), self.feedback,
        ], layout=W.Layout(border="1px solid #d9d4c9", padding="0.5em 0.8em", margin="0.5em 0"))
        super().__init__(session, [
            self.status,
            W.VBox([W.HTML("<h3>Start a chain</h3>"), self.start_from, W.HBox([self.start_button]),
                    self.start_feedback]),
            self.chain_list, self.chain_box,
        ])
        self.add_class("ciw-whys")
        self._on_change(session)

    # ------------------------------------------------------------ drawing

    def sync(self, doc: Project) -> None:
        problem = (doc.fishbone.problem or doc.problem_statement).strip()
        starts = ([(f"the problem: {shortened(problem, 60)}", PROBLEM)] if problem else []) + [
            (f"cause: {label}", cid) for label, cid in cause_options(doc, with_votes=False)]
        set_options(self.start_from, starts, self.start_from.value)
        self.start_button.disabled = not starts
        if not starts:
            self.start_feedback.show(text="State the problem or add a cause to the fishbone first.")
        chains = [(chain_label(c), c.id) for c in doc.why_chains]
        if self.selected_id not in {c.id for c in doc.why_chains}:
            self.selected_id = chains[-1][1] if chains else None
        set_options(self.chain_list, chains, self.selected_id)
        W.show(self.chain_list, bool(chains))
        self._sync_chain(doc)

    def _answer_field(self, i: int) -> W.Text:
        answer = field(f"Why? ({i + 1})", W.Text, continuous_update=False)
        self.on_commit(answer, lambda v: self._set_answer(i, v))
        return answer

    def _chain(self, doc: Project) -> WhyChain | None:
        return next((c for c in doc.why_chains if c.id == self.selected_id), None)

    def _sync_chain(self, doc: Project) -> None:
        chain = self._chain(doc)
        self.delete_button.concern(self.selected_id)
        W.show(self.chain_box, chain is not None)
        if chain is None:
            return
        self.chain_view.value = (f"<h3>Why?</h3><p><strong>Starting from:</strong> "
                                 f"{escape(chain.start)}</p>")
        while len(self.answers) < len(chain.whys):
            self.answers.append(self._answer_field(len(self.answers)))
        set_children(self.answer_box, self.answers)
        for i, widget in enumerate(self.answers):
            visible = i < len(chain.whys)
            W.show(widget, visible)
            value = chain.whys[i] if visible else ""
            if widget.value != value:
                widget.value = value
        can_add = len(chain.whys) < MAX_WHYS_SHOWN
        W.show(self.next_answer, can_add)
        self.next_answer.description = f"Why? ({len(chain.whys) + 1})"
        self.remove_last.disabled = not chain.whys
        n = len(chain.whys)
        if n == 0:
            hint = "Why does this happen? Answer with what you have seen or heard, not a guess."
        elif n < 5:
            hint = f"{n} answer{'s' if n != 1 else ''} so far. Keep asking why until you reach something you can act on."
        else:
            hint = "Five is a guide, not a rule: stop when the answer is something the team can change."
        self.hint.value = f'<p class="ciw-muted">{escape(hint)}</p>'
        categories = [(shortened(c.name, 40), c.id) for c in doc.fishbone.categories]
        start = find_cause(doc, chain.cause_id)
        promoted = find_cause(doc, chain.promoted_cause_id)
        default = (promoted or start).category_id if (promoted or start) else self.category.value
        set_options(self.category, categories, default)
        self.category.disabled = promoted is not None
        self.promote_button.disabled = not chain.whys
        self.promote_button.description = ("Update the root cause" if promoted is not None
                                           else "Add as root cause")

    # ------------------------------------------------------------ editing

    def _start(self) -> None:
        start = self.start_from.value
        if start is None:
            self.start_feedback.show(text="State the problem or add a cause to the fishbone first.")
            return
        cause_id = None if start == PROBLEM else str(start)
        made: list[str] = []

        def change(p: Project) -> None:
            made.append(start_why_chain(p, cause_id=cause_id).id)

        if self.edit(change, "started a 5-whys chain", self.start_feedback,
                     "Started. Answer the first why below.").ok:
            self.selected_id = made[0]
            with self.syncing():
                self.sync(self.session.doc)

    def select(self, chain_id: str) -> None:
        self.chain_list.value = chain_id

    def _select(self, chain_id: object) -> None:
        self.selected_id = chain_id if isinstance(chain_id, str) else None
        self.feedback.show()
        with self.syncing():
            self._sync_chain(self.session.doc)

    def _in_chain(self, mutate):
        chain_id = self.selected_id

        def change(p: Project) -> None:
            chain = next((c for c in p.why_chains if c.id == chain_id), None)
            if chain is None:
                raise RootCauseError("That chain is no longer there (someone may have deleted it).")
            mutate(p, chain)

        return change

    def _answer(self) -> None:
        text = str(self.next_answer.value or "").strip()
        if not text or self.selected_id is None:
            return
        if self.edit(self._in_chain(lambda p, c: add_why(p, c.id, text)), "answered why",
                     self.feedback, "Saved. Why does that happen?").ok:
            self.start_feedback.show()  # 'Started. Answer the first why' is done
            with self.syncing():
                self.next_answer.value = ""

    def _set_answer(self, index: int, value: object) -> None:
        text = str(value or "").strip()
        if self.selected_id is None:
            return
        if not text:
            self.feedback.show(text="An answer needs words. To drop the last one, use Remove last answer.")
            with self.syncing():
                self._sync_chain(self.session.doc)
            return

        def mutate(p: Project, chain: WhyChain) -> None:
            if not 0 <= index < len(chain.whys):
                raise RootCauseError("That answer is no longer in the chain.")
            chain.whys = [*chain.whys[:index], text, *chain.whys[index + 1:]]

        self.edit(self._in_chain(mutate), "edited a why", self.feedback, "Saved.")

    def _remove_last(self) -> None:
        def mutate(p: Project, chain: WhyChain) -> None:
            chain.whys = chain.whys[:-1]

        self.edit(self._in_chain(mutate), "removed an answer", self.feedback, "Removed the last answer.")

    def _promote(self) -> None:
        chain = self._chain(self.session.doc)
        if chain is None:
            return
        category_id = self.category.value if isinstance(self.category.value, str) else None
        answer = root_answer(chain)
        made: list[str] = []

        def mutate(p: Project, c: WhyChain) -> None:
            made.append(promote_why(p, c.id, category_id).id)

        result = self.edit(self._in_chain(mutate), f"added the root cause '{shortened(answer, 60)}'",
                           self.feedback)
        if result.ok:
            doc = self.session.doc
            cause = find_cause(doc, made[0])
            where = next((k.name for k in doc.fishbone.categories if cause and k.id == cause.category_id), "")
            self.feedback.show(text=f"'{shortened(answer, 60)}' is on the fishbone under {where}.")

    def _delete(self) -> None:
        chain_id = self.selected_id

        def change(p: Project) -> None:
            p.why_chains = [c for c in p.why_chains if c.id != chain_id]

        if self.edit(change, "deleted a 5-whys chain", self.start_feedback, "Chain deleted.").ok:
            self.selected_id = None
            with self.syncing():
                self.sync(self.session.doc)

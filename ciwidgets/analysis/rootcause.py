"""Root-cause rules: the cause tree, dot voting, stakeholder coverage, what others have
learned (sources), 5 whys.

Pure functions over the model. The editing operations (`add_cause`, `move_cause`,
`delete_cause`, `place_vote`, `promote_why`, `cause_from_step`, ...) change the
`Project` or `Fishbone` they are given *in place*, so a widget can hand them straight to
`session.edit(lambda p: add_cause(p, ...))`. When a rule is broken they raise
`RootCauseError`, whose message is a sentence a coach understands; nothing is
changed in that case.

Dot-voting rules (what a facilitator with sticky dots would do):

- Each team member has `fishbone.votes_per_member` dots (3 by default).
- **No stacking**: a member puts at most one dot on a cause. Spreading the dots shows
  how many *people* care about a cause, which is what the team needs to see before it
  picks where to dig; it also keeps one enthusiastic voter from deciding alone.
- Re-voting is free: a dot can be removed or moved to another cause at any time, and
  `set_votes` replaces all of a member's dots at once.
- Causes are ranked by dots, most first. Equal counts share a rank (1, 2, 2, 4) and
  keep the order in which they were added, so the ranking never flickers. The top
  causes are every cause whose rank is within `highlight_top`, so causes tied at the
  boundary are all highlighted.
- Deleting a cause deletes its dots (and its sub-causes' dots); dots for a cause that
  no longer exists are never counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ciwidgets.model import (
    STAKEHOLDER_GROUPS,
    Cause,
    ChangeIdea,
    EmpathyInterview,
    Evidence,
    Fishbone,
    FishboneCategory,
    Project,
    SharedLearning,
    Source,
    Vote,
    WhyChain,
)

# The pure layer only needs a readable exception; ModelError carries `.messages`.
from ciwidgets.model.errors import ModelError

from .theory import add_change_idea
from .words import same_words, shortened


class RootCauseError(ModelError):
    """A root-cause rule was broken; `str(error)` is one sentence for the user."""

    def __init__(self, message: str):
        super().__init__([message])


# ---------------------------------------------------------------- the cause tree


def _cause(fishbone: Fishbone, cause_id: str) -> Cause:
    for cause in fishbone.causes:
        if cause.id == cause_id:
            return cause
    raise RootCauseError("That cause is no longer on the fishbone (someone may have deleted it).")


def _category(fishbone: Fishbone, category_id: str) -> FishboneCategory:
    for category in fishbone.categories:
        if category.id == category_id:
            return category
    raise RootCauseError("That category is no longer on the fishbone (someone may have removed it).")


def children_of(fishbone: Fishbone) -> dict[str | None, list[Cause]]:
    """Causes grouped by parent id (None: causes directly on a category bone), in the
    order they were added. A cause whose parent is missing, or that sits in a loop of
    parents, is treated as a top-level cause so it is never lost from view."""
    by_id = {c.id: c for c in fishbone.causes}
    grouped: dict[str | None, list[Cause]] = {}
    for cause in fishbone.causes:
        parent = cause.parent_id if _reaches_root(cause, by_id) else None
        grouped.setdefault(parent, []).append(cause)
    return grouped


def _reaches_root(cause: Cause, by_id: dict[str, Cause]) -> bool:
    seen = {cause.id}
    current = cause
    while current.parent_id is not None:
        parent = by_id.get(current.parent_id)
        if parent is None:
            return current is not cause  # a missing parent only orphans the cause itself
        if parent.id in seen:
            return False
        seen.add(parent.id)
        current = parent
    return True


def descendants(fishbone: Fishbone, cause_id: str) -> list[Cause]:
    """Every sub-cause below `cause_id`, depth first."""
    grouped = children_of(fishbone)
    found: list[Cause] = []
    stack = list(reversed(grouped.get(cause_id, [])))
    seen: set[str] = set()
    while stack:
        cause = stack.pop()
        if cause.id in seen:
            continue
        seen.add(cause.id)
        found.append(cause)
        stack.extend(reversed(grouped.get(cause.id, [])))
    return found


def branch_ids(fishbone: Fishbone, cause_id: str) -> set[str]:
    """The ids of a cause and of every sub-cause below it: what deleting it removes, and
    where it cannot be moved."""
    return {cause_id} | {d.id for d in descendants(fishbone, cause_id)}


@dataclass(frozen=True)
class CauseNode:
    """A cause in reading order: its depth (0 on the bone, 1 a sub-cause, ...)."""

    cause: Cause
    depth: int


def cause_trees(fishbone: Fishbone) -> dict[str, list[CauseNode]]:
    """Each category's causes in reading order (each cause followed by its sub-causes),
    by category id; one pass over the fishbone for a whole diagram."""
    grouped = children_of(fishbone)
    trees: dict[str, list[CauseNode]] = {c.id: [] for c in fishbone.categories}

    def walk(cause: Cause, depth: int, out: list[CauseNode]) -> None:
        out.append(CauseNode(cause, depth))
        for child in grouped.get(cause.id, []):  # grouping by parent visits each cause once
            walk(child, depth + 1, out)

    for root in grouped.get(None, []):
        walk(root, 0, trees.setdefault(root.category_id, []))
    return trees


def cause_tree(fishbone: Fishbone, category_id: str) -> list[CauseNode]:
    """The causes of one category in reading order (each cause followed by its sub-causes)."""
    return cause_trees(fishbone).get(category_id, [])


def add_cause(
    project: Project, category_id: str, text: str, *, parent_id: str | None = None,
    in_our_control: bool | None = None,
) -> Cause:
    """Add a cause (or, with `parent_id`, a sub-cause that lives in its parent's category)."""
    fishbone = project.fishbone
    text = _cause_words(fishbone, text)
    if parent_id is not None:
        category_id = _cause(fishbone, parent_id).category_id
    _category(fishbone, category_id)
    cause = Cause(category_id=category_id, parent_id=parent_id, text=text,
                  in_our_control=in_our_control)
    fishbone.causes.append(cause)
    return cause


def rename_cause(project: Project, cause_id: str, text: str) -> Cause:
    """Change a cause's words."""
    cause = _cause(project.fishbone, cause_id)
    cause.text = _cause_words(project.fishbone, text, cause_id)
    return cause


def _cause_words(fishbone: Fishbone, text: object, cause_id: str = "") -> str:
    """A cause's words, unless another cause has them: a second copy would split the
    team's dots between the two (whatever the spacing or capitals)."""
    text = _required_text(text, "Type the cause first.")
    for other in fishbone.causes:
        if other.id != cause_id and same_words(other.text, text):
            bone = next((c.name for c in fishbone.categories if c.id == other.category_id), "")
            raise RootCauseError(f"'{shortened(other.text)}' is already on the fishbone"
                                 + (f", under {bone}." if bone else "."))
    return text


def move_cause(
    project: Project, cause_id: str, *, category_id: str | None = None,
    parent_id: str | None = None,
) -> Cause:
    """Move a cause (with its sub-causes) to another category, or under another cause.

    With `parent_id` the cause becomes a sub-cause of that cause and takes its category;
    otherwise it sits directly on the bone of `category_id`."""
    fishbone = project.fishbone
    cause = _cause(fishbone, cause_id)
    if parent_id is not None:
        if parent_id in branch_ids(fishbone, cause_id):
            raise RootCauseError("A cause cannot go under itself or under one of its own sub-causes.")
        category_id = _cause(fishbone, parent_id).category_id
    elif category_id is None:
        raise RootCauseError("Choose a category or a cause to move it to.")
    _category(fishbone, category_id)
    for sub in descendants(fishbone, cause_id):
        sub.category_id = category_id
    cause.category_id = category_id
    cause.parent_id = parent_id
    return cause


def delete_cause(project: Project, cause_id: str) -> list[str]:
    """Delete a cause and its sub-causes, their votes and every link to them.
    Returns the ids of the deleted causes."""
    fishbone = project.fishbone
    _cause(fishbone, cause_id)
    gone = branch_ids(fishbone, cause_id)
    _forget_causes(project, gone)
    return [c for c in gone]


def _forget_causes(project: Project, gone: set[str]) -> None:
    fishbone = project.fishbone
    fishbone.causes = [c for c in fishbone.causes if c.id not in gone]
    fishbone.votes = [v for v in fishbone.votes if v.cause_id not in gone]
    for chain in project.why_chains:
        if chain.cause_id in gone:
            chain.cause_id = None
        if chain.promoted_cause_id in gone:
            chain.promoted_cause_id = None
    for step in project.process_map.steps:
        if step.cause_id in gone:
            step.cause_id = None
    for idea in project.driver_diagram.change_ideas:
        if set(idea.cause_ids) & gone:
            idea.cause_ids = [i for i in idea.cause_ids if i not in gone]


def add_category(project: Project, name: str) -> FishboneCategory:
    """Add a category (a new bone) to the fishbone."""
    name = _required_text(name, "Type a name for the category first.")
    if any(c.name.casefold() == name.casefold() for c in project.fishbone.categories):
        raise RootCauseError(f"There is already a category called '{name}'.")
    category = FishboneCategory(name=name)
    project.fishbone.categories.append(category)
    return category


def rename_category(project: Project, category_id: str, name: str) -> FishboneCategory:
    name = _required_text(name, "A category needs a name.")
    category = _category(project.fishbone, category_id)
    if any(c.name.casefold() == name.casefold() and c.id != category_id
           for c in project.fishbone.categories):
        raise RootCauseError(f"There is already a category called '{name}'.")
    category.name = name
    return category


def remove_category(project: Project, category_id: str, *, move_to: str | None = None) -> None:
    """Remove a category. Its causes move to `move_to`, or are deleted when it is None."""
    fishbone = project.fishbone
    _category(fishbone, category_id)
    if move_to == category_id:
        raise RootCauseError("Choose a different category to move the causes to.")
    if move_to is not None:
        _category(fishbone, move_to)
        for cause in fishbone.causes:
            if cause.category_id == category_id:
                cause.category_id = move_to
    else:
        _forget_causes(project, {c.id for c in fishbone.causes if c.category_id == category_id})
    fishbone.categories = [c for c in fishbone.categories if c.id != category_id]


def causes_in(fishbone: Fishbone, category_id: str) -> list[Cause]:
    return [c for c in fishbone.causes if c.category_id == category_id]


def add_evidence(
    project: Project, cause_id: str, kind: str, text: str, *, interview_id: str | None = None,
    source_id: str | None = None,
) -> Evidence:
    """Attach why-we-believe-it to a cause: an interview theme or quote, what a source
    found, or a data note."""
    text = _required_text(text, "Type or choose the evidence first.")
    if interview_id is not None and not any(i.id == interview_id for i in project.interviews):
        raise RootCauseError("That interview is no longer in the log.")
    if source_id is not None and _source(project, source_id) is None:
        raise RootCauseError("That source is no longer in the list of what others have learned.")
    cause = _cause(project.fishbone, cause_id)
    evidence = Evidence(kind=kind, text=text, interview_id=interview_id, source_id=source_id)
    if any(e.kind == evidence.kind and e.text == evidence.text for e in cause.evidence):
        raise RootCauseError("That evidence is already attached to this cause.")
    cause.evidence.append(evidence)
    return evidence


def _required_text(text: object, message: str) -> str:
    cleaned = str(text or "").strip()
    if not cleaned:
        raise RootCauseError(message)
    return cleaned


# ---------------------------------------------------------------- dot voting


def votes_of(fishbone: Fishbone, voter: str) -> list[Vote]:
    """A member's dots on causes that still exist, in the order placed."""
    existing = {c.id for c in fishbone.causes}
    return [v for v in fishbone.votes if v.voter == voter and v.cause_id in existing]


def dots_left(fishbone: Fishbone, voter: str) -> int:
    return max(0, fishbone.votes_per_member - len(votes_of(fishbone, voter)))


def _voter(voter: object) -> str:
    return _required_text(voter, "Choose who is voting first.")


def place_vote(fishbone: Fishbone, voter: str, cause_id: str) -> Vote:
    """Put one of `voter`'s dots on a cause."""
    voter = _voter(voter)
    cause = _cause(fishbone, cause_id)
    mine = votes_of(fishbone, voter)
    if any(v.cause_id == cause_id for v in mine):
        raise RootCauseError(f"{voter} already has a dot on '{shortened(cause.text)}' (one dot per cause).")
    if len(mine) >= fishbone.votes_per_member:
        raise RootCauseError(
            f"{voter} has used all {fishbone.votes_per_member} dots. "
            "Remove one first, or move it to this cause.")
    vote = Vote(voter=voter, cause_id=cause_id)
    fishbone.votes.append(vote)
    return vote


def remove_vote(fishbone: Fishbone, voter: str, cause_id: str) -> bool:
    """Take `voter`'s dot off a cause. Returns False when there was none."""
    before = len(fishbone.votes)
    fishbone.votes = [v for v in fishbone.votes if not (v.voter == voter and v.cause_id == cause_id)]
    return len(fishbone.votes) != before


def toggle_vote(fishbone: Fishbone, voter: str, cause_id: str) -> bool:
    """Place the dot if it is not there, else remove it. Returns True when placed."""
    voter = _voter(voter)
    if remove_vote(fishbone, voter, cause_id):
        return False
    place_vote(fishbone, voter, cause_id)
    return True


def move_vote(fishbone: Fishbone, voter: str, from_cause_id: str, to_cause_id: str) -> Vote:
    """Move one dot from one cause to another (a re-vote)."""
    voter = _voter(voter)
    _cause(fishbone, to_cause_id)
    if not any(v.voter == voter and v.cause_id == from_cause_id for v in fishbone.votes):
        raise RootCauseError(f"{voter} has no dot on that cause to move.")
    if from_cause_id == to_cause_id:
        return next(v for v in fishbone.votes if v.voter == voter and v.cause_id == to_cause_id)
    remove_vote(fishbone, voter, from_cause_id)
    return place_vote(fishbone, voter, to_cause_id)


def set_votes(fishbone: Fishbone, voter: str, cause_ids: Iterable[str]) -> list[Vote]:
    """Replace all of `voter`'s dots with dots on `cause_ids` (a full re-vote)."""
    voter = _voter(voter)
    wanted = list(dict.fromkeys(cause_ids))  # one dot per cause; keep the order given
    for cause_id in wanted:
        _cause(fishbone, cause_id)
    if len(wanted) > fishbone.votes_per_member:
        raise RootCauseError(
            f"Each member has {fishbone.votes_per_member} dots; {voter} chose {len(wanted)}.")
    reset_votes(fishbone, voter)
    return [place_vote(fishbone, voter, cause_id) for cause_id in wanted]


def reset_votes(fishbone: Fishbone, voter: str) -> int:
    """Remove all of `voter`'s dots. Returns how many were removed."""
    before = len(fishbone.votes)
    fishbone.votes = [v for v in fishbone.votes if v.voter != voter]
    return before - len(fishbone.votes)


def set_votes_per_member(fishbone: Fishbone, dots: int) -> None:
    """Change how many dots each member has; a member over the new limit keeps the
    dots placed first."""
    if not 1 <= int(dots) <= 10:
        raise RootCauseError("Each member can have between 1 and 10 dots.")
    fishbone.votes_per_member = int(dots)
    kept: list[Vote] = []
    used: Counter[str] = Counter()
    for vote in fishbone.votes:
        used[vote.voter] += 1
        if used[vote.voter] <= fishbone.votes_per_member:
            kept.append(vote)
    fishbone.votes = kept


@dataclass(frozen=True)
class CauseTally:
    """How a cause stands in the vote."""

    cause: Cause
    votes: int
    rank: int  # 1 = most dots; tied causes share a rank
    voters: tuple[str, ...]
    top: bool  # highlighted as one of the top causes


def tally(fishbone: Fishbone, highlight_top: int = 3) -> list[CauseTally]:
    """Every cause with its dots, most dots first; ties keep the order causes were added.

    A cause is `top` when it has at least one dot and its rank is within
    `highlight_top` (so all causes tied at the boundary are top)."""
    voters: dict[str, list[str]] = {c.id: [] for c in fishbone.causes}
    for vote in fishbone.votes:
        if vote.cause_id in voters and vote.voter not in voters[vote.cause_id]:
            voters[vote.cause_id].append(vote.voter)
    order = {c.id: i for i, c in enumerate(fishbone.causes)}
    ranked = sorted(fishbone.causes, key=lambda c: (-len(voters[c.id]), order[c.id]))
    out: list[CauseTally] = []
    rank = 0
    previous = None
    for position, cause in enumerate(ranked, start=1):
        count = len(voters[cause.id])
        if count != previous:
            rank, previous = position, count
        out.append(CauseTally(cause, count, rank, tuple(voters[cause.id]),
                              top=count > 0 and rank <= highlight_top))
    return out


def vote_counts(fishbone: Fishbone) -> dict[str, int]:
    """Dots per cause id (0 for causes without dots)."""
    return {t.cause.id: t.votes for t in tally(fishbone)}


def top_causes(fishbone: Fishbone, highlight_top: int = 3) -> list[Cause]:
    """The highlighted causes, most dots first (ties all included)."""
    return [t.cause for t in tally(fishbone, highlight_top) if t.top]


# ---------------------------------------------------------------- empathy interviews


@dataclass(frozen=True)
class Coverage:
    """Which stakeholder groups the team has heard from."""

    heard: dict[str, int]  # group -> number of interviews, in STAKEHOLDER_GROUPS order
    missing: tuple[str, ...]

    @property
    def summary(self) -> str:
        if not self.heard:
            return "No interviews yet. Whose voice will you hear first?"
        heard = ", ".join(f"{g} ({n})" for g, n in self.heard.items())
        if not self.missing:
            return f"Heard from every group: {heard}."
        return f"Heard: {heard}. Missing: {', '.join(self.missing)}."


def stakeholder_coverage(interviews: Iterable[EmpathyInterview]) -> Coverage:
    counts = Counter(i.stakeholder_group for i in interviews)
    heard = {g: counts[g] for g in STAKEHOLDER_GROUPS if counts[g]}
    missing = tuple(g for g in STAKEHOLDER_GROUPS if not counts[g])
    return Coverage(heard, missing)


def interview_themes(interviews: Iterable[EmpathyInterview]) -> list[tuple[str, int]]:
    """Themes across all interviews with how many interviews raised each, most first
    (case-insensitive; the first spelling is kept)."""
    spelling: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for interview in interviews:
        for theme in dict.fromkeys(t.casefold() for t in interview.themes if t):
            counts[theme] += 1
        for theme in interview.themes:
            spelling.setdefault(theme.casefold(), theme)
    order = {k: i for i, k in enumerate(spelling)}
    return [(spelling[k], n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))]


def evidence_choices(project: Project) -> Iterator[tuple[str, Evidence]]:
    """Every theme and quote of the interview log, then what each source found, as
    (label, Evidence) to attach to a cause."""
    for interview in project.interviews:
        who = f"{interview.stakeholder_group}, {interview.date.isoformat()}"
        for theme in interview.themes:
            yield (f"Theme '{shortened(theme)}' ({who})",
                   Evidence(kind="theme", text=theme, interview_id=interview.id))
        for quote in interview.quotes:
            yield (f"Quote \u201c{shortened(quote)}\u201d ({who})",
                   Evidence(kind="quote", text=quote, interview_id=interview.id))
    for source in project.sources:
        text = f"{source.title}: {source.finding}" if source.finding else source.title
        yield (f"{SOURCE_WORDS[source.kind]}: {shortened(text)}",
               Evidence(kind="source", text=text[:5000], source_id=source.id))


# ---------------------------------------------------------------- what others have learned

SOURCE_WORDS = {"research": "Research", "school": "Another school", "setting": "A setting like ours"}


def _source(project: Project, source_id: str | None) -> Source | None:
    return next((s for s in project.sources if s.id == source_id), None)


def source_from_learning(project: Project, learning: SharedLearning, school: str) -> Source:
    """Take a learning another school shared with the network into the team's sources,
    once (again, it says so instead of adding a copy)."""
    if any(s.learning_id == learning.id for s in project.sources):
        raise RootCauseError("That learning is already among what others have learned.")
    # Shared titles often name the school already ("Fox: a planning slide deck").
    named = learning.title.casefold().startswith(school.split()[0].casefold()) if school.strip() else True
    title = learning.title if named else f"{school}: {learning.title}"
    source = Source(kind="school", title=title[:200], finding=learning.text, learning_id=learning.id)
    project.sources.append(source)
    return source


def idea_from_source(project: Project, source_id: str, text: str) -> ChangeIdea:
    """Try what others found here: a change idea in the team's own words, borrowed from
    the source. It starts unlinked; the driver diagram asks which driver it would move."""
    if _source(project, source_id) is None:
        raise RootCauseError("That source is no longer in the list (someone may have removed it).")
    idea = add_change_idea(project, text)
    idea.source_id = source_id
    return idea


def ideas_from(project: Project, source_id: str) -> list[ChangeIdea]:
    return [x for x in project.driver_diagram.change_ideas if x.source_id == source_id]


def remove_source(project: Project, source_id: str) -> None:
    """Remove a source; evidence taken from it stays on the fishbone (it was read), and
    ideas borrowed from it stay in the driver diagram, but no longer point to it."""
    if _source(project, source_id) is None:
        raise RootCauseError("That source is no longer in the list (someone may have removed it).")
    project.sources = [s for s in project.sources if s.id != source_id]
    for cause in project.fishbone.causes:
        for evidence in cause.evidence:
            if evidence.source_id == source_id:
                evidence.source_id = None
    for idea in ideas_from(project, source_id):
        idea.source_id = None


# ---------------------------------------------------------------- 5 whys


def _chain(project: Project, chain_id: str) -> WhyChain:
    for chain in project.why_chains:
        if chain.id == chain_id:
            return chain
    raise RootCauseError("That 5-whys chain is no longer there (someone may have deleted it).")


def start_why_chain(project: Project, *, cause_id: str | None = None) -> WhyChain:
    """Start asking 'why?' from a cause, or from the problem when `cause_id` is None."""
    if cause_id is not None:
        start = _cause(project.fishbone, cause_id).text
    else:
        start = (project.fishbone.problem or project.problem_statement).strip()
        if not start:
            raise RootCauseError("State the problem first, or start from a cause.")
    chain = WhyChain(start=start, cause_id=cause_id)
    project.why_chains.append(chain)
    return chain


def add_why(project: Project, chain_id: str, answer: str) -> WhyChain:
    """Answer 'why?' once more."""
    chain = _chain(project, chain_id)
    chain.whys = [*chain.whys, _required_text(answer, "Type the answer to 'why?' first.")]
    return chain


def root_answer(chain: WhyChain) -> str:
    """The deepest answer of the chain (the candidate root cause)."""
    return chain.whys[-1] if chain.whys else ""


def promote_why(project: Project, chain_id: str, category_id: str | None = None) -> Cause:
    """Put the chain's last answer on the fishbone as a root cause.

    When the chain started from a cause, the root cause becomes a sub-cause of it
    (in its category) unless another `category_id` is chosen. Idempotent: promoting
    the same chain again returns the cause already made (updating its text if the
    last answer changed) instead of adding a copy."""
    chain = _chain(project, chain_id)
    answer = root_answer(chain)
    if not answer:
        raise RootCauseError("Ask 'why?' at least once before adding a root cause.")
    fishbone = project.fishbone
    existing = next((c for c in fishbone.causes if c.id == chain.promoted_cause_id), None)
    if existing is not None:
        if existing.text != answer:
            existing.text = answer
        return existing
    start = next((c for c in fishbone.causes if c.id == chain.cause_id), None)
    if category_id is None and start is None:
        raise RootCauseError("Choose the category this root cause belongs to.")
    if start is not None and category_id in (None, start.category_id):
        cause = add_cause(project, start.category_id, answer, parent_id=start.id)
    else:
        cause = add_cause(project, category_id, answer)
    steps = " → ".join([chain.start, *chain.whys])
    cause.evidence.append(Evidence(kind="note", text=f"5 whys: {steps}"[:5000]))
    chain.promoted_cause_id = cause.id
    return cause


FROM_PROCESS_MAP = "Process map, step "  # how a cause's evidence names the step it came from


def cause_from_step(project: Project, step_id: str, category_id: str) -> Cause:
    """Put a step of the process map where it breaks down on the fishbone, as a cause:
    what goes wrong there (or, if that is not written yet, the step), with the step as
    its evidence. Idempotent like `promote_why`: again, it updates the same cause (its
    words, its category) instead of adding a copy."""
    steps = project.process_map.steps
    step = next((s for s in steps if s.id == step_id), None)
    if step is None:
        raise RootCauseError("That step is no longer on the process map.")
    if not step.breaks_down:
        raise RootCauseError("Mark where the process breaks down first: that step is the cause to look at.")
    text = _required_text(step.why or step.text, "Say what goes wrong at this step first.")
    number = steps.index(step) + 1
    evidence = Evidence(kind="note", text=f"{FROM_PROCESS_MAP}{number}: {step.text}"[:5000])
    existing = next((c for c in project.fishbone.causes if c.id == step.cause_id), None)
    if existing is not None:
        existing.text = text
        if existing.category_id != category_id and existing.parent_id is None:
            move_cause(project, existing.id, category_id=category_id)
        existing.evidence = [e for e in existing.evidence if not e.text.startswith(FROM_PROCESS_MAP)]
        existing.evidence.append(evidence)
        return existing
    cause = add_cause(project, category_id, text)
    cause.evidence.append(evidence)
    step.cause_id = cause.id
    return cause


# ---------------------------------------------------------------- tidy rows


def cause_rows(fishbone: Fishbone, highlight_top: int = 3) -> list[dict]:
    """One plain row per cause, in diagram reading order: the tidy table researchers
    load into pandas (see `ciwidgets.api.rootcause.causes_frame`)."""
    standing = {t.cause.id: t for t in tally(fishbone, highlight_top)}
    by_id = {c.id: c for c in fishbone.causes}
    rows: list[dict] = []
    trees = cause_trees(fishbone)
    for category in fishbone.categories:
        for node in trees[category.id]:
            cause = node.cause
            t = standing[cause.id]
            parent = by_id.get(cause.parent_id) if node.depth else None
            rows.append({
                "cause_id": cause.id,
                "category": category.name,
                "text": cause.text,
                "depth": node.depth,
                "parent_id": parent.id if parent else None,
                "parent_text": parent.text if parent else None,
                "in_our_control": cause.in_our_control,
                "votes": t.votes,
                "rank": t.rank,
                "top": t.top,
                "voters": ", ".join(t.voters),
                "evidence_count": len(cause.evidence),
                "evidence": " | ".join(f"{e.kind}: {e.text}" for e in cause.evidence),
            })
    return rows



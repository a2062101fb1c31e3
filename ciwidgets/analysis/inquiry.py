"""Disciplined inquiry: gentle PDSA nudges and the ramp helpers.

A nudge is what an experienced improvement coach would say while looking over a
team's PDSA worksheet: no prediction yet, a change idea that is not part of the
theory, a "test" that lasts a whole term, Study left empty. Nudges never block:
they are sentences shown beside the form, each naming the cycle and the field it
concerns so the view can place it next to that field.

The ramp helpers turn one-and-done PDSA into a ramp: `plan_next_cycle` makes the
next cycle the natural end of Act, and `ramp_summary` lists the cycles of each
change idea in order with their scale and decisions.

Pure: no Jupyter imports, no I/O. Messages are plain text; whoever renders them
must escape them (they quote the team's own words).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from ciwidgets.model import ChangeIdea, ModelError, PDSACycle, Plan, Prediction, Project

Step = Literal["plan", "do", "study", "act"]

#: A planned test longer than this is no longer a small, fast test.
LONGEST_SMALL_TEST = dt.timedelta(weeks=6)

_STEP_ORDER = {"plan": 0, "do": 1, "study": 2, "act": 3}


@dataclass(frozen=True)
class Nudge:
    """One gentle suggestion about a PDSA cycle (or a ramp).

    `code` is a stable identifier (for tests and for hiding a nudge), `message` a
    short plain sentence, `cycle_id` the cycle it concerns, `field` the model field
    (dotted for the plan, e.g. "plan.data_to_collect") and `step` the part of the
    worksheet (plan, do, study or act) where it belongs."""

    code: str
    message: str
    cycle_id: str | None
    field: str
    step: Step
    change_idea_id: str | None = None


# ---------------------------------------------------------------------------
# What a cycle has recorded so far


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def predictions_written(cycle: PDSACycle) -> list[Prediction]:
    """The predictions that say something (an empty row is not a prediction)."""
    return [p for p in cycle.predictions if _filled(p.text)]


def do_recorded(cycle: PDSACycle) -> bool:
    """True once the team has written what happened (or what surprised them)."""
    return _filled(cycle.do_notes) or _filled(cycle.surprises)


def study_recorded(cycle: PDSACycle) -> bool:
    """True once anything is written in Study: notes or a result of a prediction."""
    if _filled(cycle.study_notes):
        return True
    return any(p.result is not None or _filled(p.what_data_showed) for p in cycle.predictions)


def _do_started(cycle: PDSACycle, today: dt.date) -> bool:
    return do_recorded(cycle) or (cycle.start_date is not None and cycle.start_date <= today)


def cycle_label(cycle: PDSACycle) -> str:
    """"Cycle 2": how the team names a cycle."""
    return f"Cycle {cycle.cycle_number}"


def _weeks(delta: dt.timedelta) -> str:
    weeks = delta.days / 7
    if weeks == int(weeks):
        return f"{int(weeks)} weeks"
    return f"about {round(weeks)} weeks" if weeks >= 2 else f"{delta.days} days"


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1]}…'"


# ---------------------------------------------------------------------------
# Nudges


def _change_idea_nudge(project: Project, cycle: PDSACycle) -> Nudge | None:
    idea = project.find(cycle.change_idea_id)
    if not isinstance(idea, ChangeIdea) or idea.secondary_ids:
        return None
    if idea.cause_ids:
        message = (
            f"The change idea {_quote(idea.text)} is linked to a root cause but to no driver "
            "in your driver diagram. Add it under a driver so your theory shows how it "
            "moves the aim."
        )
    else:
        message = (
            f"The change idea {_quote(idea.text)} is not linked to any driver. Before testing, "
            "check it answers a driver (or a root cause) you found, so the team is not "
            "jumping to a solution: link them in the driver diagram (workbook 3)."
        )
    return Nudge("solutionitis", message, cycle.id, "change_idea_id", "plan", idea.id)


def _previous_open_nudge(project: Project, cycle: PDSACycle) -> Nudge | None:
    """A test started before the one it builds on was studied and decided."""
    previous = project.find(cycle.previous_cycle_id) if cycle.previous_cycle_id else None
    if not isinstance(previous, PDSACycle) or previous.act is not None:
        return None
    return Nudge(
        "previous-open",
        f"{cycle_label(previous)} has no decision yet. Finish its Study and Act (adopt, adapt "
        "or abandon) first, so this test builds on what that one showed.",
        cycle.id, "previous_cycle_id", "plan", cycle.change_idea_id,
    )


def _prediction_nudge(cycle: PDSACycle, today: dt.date) -> Nudge | None:
    if predictions_written(cycle):
        return None
    if _do_started(cycle, today):
        message = (
            f"{cycle_label(cycle)} is under way without a prediction. Write down what you "
            "expected, even now: comparing it with what happened is where the learning is."
        )
    else:
        message = (
            "Write at least one prediction before you run the test: what do you expect "
            "to happen, and how sure are you?"
        )
    return Nudge("no-prediction", message, cycle.id, "predictions", "plan", cycle.change_idea_id)


def _data_plan_nudge(cycle: PDSACycle) -> Nudge | None:
    if not predictions_written(cycle) or _filled(cycle.plan.data_to_collect):
        return None
    return Nudge(
        "no-data-plan",
        "Name the data you will collect: without it, Study cannot tell whether your "
        "predictions held.",
        cycle.id, "plan.data_to_collect", "plan", cycle.change_idea_id,
    )


def _length_nudges(cycle: PDSACycle, today: dt.date) -> list[Nudge]:
    start, end = cycle.start_date, cycle.end_date
    if start is None:
        return []
    if end is not None and end < start:
        return [Nudge(
            "dates-reversed",
            f"{cycle_label(cycle)} ends ({end.isoformat()}) before it starts "
            f"({start.isoformat()}). Check the dates.",
            cycle.id, "end_date", "plan", cycle.change_idea_id,
        )]
    if end is not None and end - start > LONGEST_SMALL_TEST:
        return [Nudge(
            "too-long",
            f"{cycle_label(cycle)} is planned for {_weeks(end - start)}. A PDSA test works "
            "best small and fast: could you test a smaller piece, with fewer people, in "
            "a week or two?",
            cycle.id, "end_date", "plan", cycle.change_idea_id,
        )]
    if end is None and today - start > LONGEST_SMALL_TEST and not study_recorded(cycle):
        return [Nudge(
            "running-long",
            f"{cycle_label(cycle)} started {_weeks(today - start)} ago and has no end date "
            "or Study yet. Close it with what you have learned, then plan a smaller next test.",
            cycle.id, "end_date", "do", cycle.change_idea_id,
        )]
    return []


def _study_nudges(cycle: PDSACycle) -> list[Nudge]:
    if not do_recorded(cycle):
        return []
    if not study_recorded(cycle):
        return [Nudge(
            "study-empty",
            f"{cycle_label(cycle)} has notes from Do but nothing in Study yet. Compare what "
            "happened with each prediction before deciding what to do next.",
            cycle.id, "study_notes", "study", cycle.change_idea_id,
        )]
    open_predictions = [p for p in predictions_written(cycle) if p.result is None]
    if open_predictions:
        return [Nudge(
            "prediction-unstudied",
            f"Did the prediction {_quote(open_predictions[0].text)} hold? Mark it held, "
            "partly or did not hold.",
            cycle.id, "predictions", "study", cycle.change_idea_id,
        )]
    return []


def _act_nudges(cycle: PDSACycle) -> list[Nudge]:
    if cycle.act is None:
        return []
    nudges = []
    if not study_recorded(cycle):
        nudges.append(Nudge(
            "act-without-study",
            f"{cycle_label(cycle)} decided to {cycle.act} without anything in Study. Write "
            "down what the data showed, so the decision (and the next cycle) rests on it.",
            cycle.id, "act", "act", cycle.change_idea_id,
        ))
    if not _filled(cycle.act_reason):
        nudges.append(Nudge(
            "act-without-reason",
            f"Say why you chose to {cycle.act}: the reason is what the next cycle builds on.",
            cycle.id, "act_reason", "act", cycle.change_idea_id,
        ))
    return nudges


def _ramp_nudges(project: Project, cycle: PDSACycle) -> list[Nudge]:
    """Nudges about where a cycle stands in its ramp (one-and-done PDSA)."""
    ramp = project.cycles_of(cycle.change_idea_id)
    is_last = bool(ramp) and ramp[-1].id == cycle.id and cycle.next_cycle_id is None
    if not is_last:
        return []
    if cycle.act == "adapt":
        return [Nudge(
            "ramp-stopped",
            f"{cycle_label(cycle)} ended with 'adapt' but no next cycle is planned. Plan the "
            "next cycle to test the revised version.",
            cycle.id, "act", "act", cycle.change_idea_id,
        )]
    if cycle.act == "adopt" and len(ramp) == 1:
        scale = f" ({_quote(cycle.plan.scale)})" if _filled(cycle.plan.scale) else ""
        return [Nudge(
            "adopted-after-one",
            f"The change was adopted after a single test{scale}. Before spreading it, test "
            "it again at a larger scale or under other conditions (other teachers, classes "
            "or students).",
            cycle.id, "act", "act", cycle.change_idea_id,
        )]
    return []


def cycle_nudges(project: Project, cycle: PDSACycle, *, today: dt.date | None = None) -> list[Nudge]:
    """Every nudge about one cycle, in worksheet order (Plan, Do, Study, Act),
    without those the team has set aside for it.

    `today` decides whether a test is already under way (its start date has come);
    it defaults to the current date."""
    return cycle_nudges_and_set_aside(project, cycle, today=today)[0]


def cycle_nudges_and_set_aside(
    project: Project, cycle: PDSACycle, *, today: dt.date | None = None
) -> tuple[list[Nudge], list[Nudge]]:
    """The nudges about one cycle in worksheet order: those that show, and those the
    team has set aside on it (a worksheet offers to bring those back)."""
    today = today or dt.date.today()
    found = [
        _change_idea_nudge(project, cycle),
        _previous_open_nudge(project, cycle),
        _prediction_nudge(cycle, today),
        _data_plan_nudge(cycle),
        *_length_nudges(cycle, today),
        *_study_nudges(cycle),
        *_act_nudges(cycle),
        *_ramp_nudges(project, cycle),
    ]
    every = sorted((n for n in found if n is not None), key=lambda n: _STEP_ORDER[n.step])
    aside = set(cycle.suggestions.set_aside)
    return [n for n in every if n.code not in aside], [n for n in every if n.code in aside]


def set_aside_nudge(cycle: PDSACycle, code: str) -> None:
    """Stop showing the nudge `code` on `cycle`: the team has read it and chosen."""
    if code not in cycle.suggestions.set_aside:
        cycle.suggestions.set_aside = [*cycle.suggestions.set_aside, code]


def project_nudges(project: Project, *, today: dt.date | None = None) -> list[Nudge]:
    """Every nudge about every cycle of the project, ramp by ramp.

    The "not linked to any driver" nudge is given once per change idea, on its
    first cycle, not repeated on every cycle of the ramp."""
    nudges: list[Nudge] = []
    seen_ideas: set[str] = set()
    for ramp in ramp_summary(project):
        for step in ramp.steps:
            cycle = project.find(step.cycle_id)
            for nudge in cycle_nudges(project, cycle, today=today):
                if nudge.code == "solutionitis":
                    if nudge.change_idea_id in seen_ideas:
                        continue
                    seen_ideas.add(nudge.change_idea_id)
                nudges.append(nudge)
    return nudges


# ---------------------------------------------------------------------------
# Ramps

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_WORDS_FOR = {n: w for w, n in _NUMBER_WORDS.items() if w not in ("a", "an")}
_SCALE = re.compile(r"^\s*(\d{1,4}|[A-Za-z]+)\s+(\S.*?)\s*$")
# Irregular plurals that show up in a school's scale ("one child", "one person").
_PLURALS = {"child": "children", "person": "people", "man": "men", "woman": "women"}
_SCALE_MAX = 200  # the model's bound on a scale
_PREPOSITIONS = {"in", "of", "from", "at", "with", "for", "per", "on", "during"}


def _plural_word(word: str) -> str:
    lower = word.lower()
    if lower in _PLURALS:
        return _PLURALS[lower]
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return f"{word}es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return f"{word[:-1]}ies"
    return f"{word}s"


def _pluralize(noun: str) -> str:
    """'math teacher in grade 3' -> 'math teachers in grade 3': the head noun is the
    last word before the first preposition, in the phrase the count belongs to (up to
    a comma: 'one counselor, new arrivals' -> 'counselors, new arrivals')."""
    phrase, rest = re.match(r"([^,;:(]*)(.*)", noun, re.S).groups()
    words = phrase.split()
    if not words:
        return noun
    head_end = next(
        (i for i, w in enumerate(words) if i > 0 and w.lower() in _PREPOSITIONS), len(words)
    )
    words[head_end - 1] = _plural_word(words[head_end - 1])
    return " ".join(words) + phrase[len(phrase.rstrip()):] + rest


def _grow(n: int) -> int:
    """The next rung of a ramp: 1 -> 3 -> 5 -> 10 -> 20 ... (small, then wider)."""
    return {1: 3, 2: 4, 3: 5, 4: 8}.get(n, n * 2)


def suggest_scale(scale: str) -> str:
    """A next, somewhat larger scale: "one teacher" -> "three teachers",
    "3 classes" -> "5 classes". A scale it cannot read ("all math teachers",
    "grade 3") is returned unchanged for the team to widen by hand."""
    m = _SCALE.match(scale or "")
    if not m:
        return scale
    count_word, noun = m.group(1), m.group(2)
    if count_word.isdigit():
        n, as_digits = int(count_word), True
    elif count_word.lower() in _NUMBER_WORDS:
        n, as_digits = _NUMBER_WORDS[count_word.lower()], False
    else:
        return scale
    if n < 1:
        return scale
    if n == 1:
        noun = _pluralize(noun)
    bigger = _grow(n)
    if as_digits or bigger not in _WORDS_FOR:
        count = str(bigger)
    else:
        count = _WORDS_FOR[bigger]
        if count_word[0].isupper():
            count = count.capitalize()
    grown = f"{count} {noun}"
    return grown if len(grown) <= _SCALE_MAX else scale


def new_cycle(project: Project, change_idea_id: str) -> PDSACycle:
    """Add a first (or further, unlinked) cycle for a change idea to `project`.

    Its number follows the idea's last cycle; it is linked after that cycle when
    that cycle has no next one yet. A change idea that was only an idea becomes
    "testing". Meant to run on the copy inside `Session.edit`."""
    ramp = project.cycles_of(change_idea_id)
    if ramp and ramp[-1].next_cycle_id is None:
        return plan_next_cycle(project, ramp[-1])
    cycle = PDSACycle(
        change_idea_id=change_idea_id,
        cycle_number=(ramp[-1].cycle_number + 1) if ramp else 1,
    )
    project.pdsa_cycles.append(cycle)
    _mark_testing(project, change_idea_id)
    return cycle


def plan_next_cycle(project: Project, cycle: PDSACycle) -> PDSACycle:
    """The next cycle of `cycle`'s ramp, added to `project` and linked both ways.

    Same change idea, the next number, the question, predictions (without their
    results) and plan carried over from `cycle`, and a somewhat larger scale
    suggested when the change was adopted or adapted. `cycle` must be the
    project's own object (e.g. `project.find(id)` inside `Session.edit`).
    If `cycle` already has a next cycle, that one is returned unchanged, so
    clicking "Plan the next cycle" twice never makes two."""
    if cycle.next_cycle_id is not None:
        existing = project.find(cycle.next_cycle_id)
        if isinstance(existing, PDSACycle):
            return existing
    ramp = project.cycles_of(cycle.change_idea_id)
    number = max((y.cycle_number for y in ramp), default=cycle.cycle_number) + 1
    plan = cycle.plan.model_copy()
    if cycle.act in ("adopt", "adapt"):
        plan = Plan(**{**plan.model_dump(), "scale": suggest_scale(plan.scale)})
    following = PDSACycle(
        change_idea_id=cycle.change_idea_id,
        cycle_number=number,
        question=cycle.question,
        predictions=[
            Prediction(text=p.text, confidence=p.confidence) for p in predictions_written(cycle)
        ],
        plan=plan,
        previous_cycle_id=cycle.id,
    )
    project.pdsa_cycles.append(following)
    cycle.next_cycle_id = following.id
    _mark_testing(project, cycle.change_idea_id)
    return following


def delete_cycle(project: Project, cycle_id: str) -> PDSACycle:
    """Remove a cycle (one started by mistake, say) from `project`; returns it.

    The ramp closes over the gap: the cycles before and after it are linked to each
    other. The other cycles keep their numbers, the names the team has used for them.
    A change idea left with no cycle at all goes back from "testing" to "idea"."""
    cycle = project.find(cycle_id)
    if not isinstance(cycle, PDSACycle):
        raise ModelError(["That PDSA cycle is not there any more."])
    project.pdsa_cycles.remove(cycle)
    before = project.find(cycle.previous_cycle_id or "")
    after = project.find(cycle.next_cycle_id or "")
    if isinstance(before, PDSACycle) and before.next_cycle_id == cycle.id:
        before.next_cycle_id = after.id if isinstance(after, PDSACycle) else None
    if isinstance(after, PDSACycle) and after.previous_cycle_id == cycle.id:
        after.previous_cycle_id = before.id if isinstance(before, PDSACycle) else None
    idea = project.find(cycle.change_idea_id)
    if isinstance(idea, ChangeIdea) and idea.status == "testing" and not project.cycles_of(idea.id):
        idea.status = "idea"
    return cycle


def _mark_testing(project: Project, change_idea_id: str) -> None:
    idea = project.find(change_idea_id)
    if isinstance(idea, ChangeIdea) and idea.status == "idea":
        idea.status = "testing"


@dataclass(frozen=True)
class RampStep:
    """One cycle of a ramp, as the ramp view shows it."""

    cycle_id: str
    cycle_number: int
    scale: str
    question: str
    act: str | None
    act_reason: str
    start_date: dt.date | None
    end_date: dt.date | None
    predictions: int
    held: int  # predictions that held (fully)
    stage: str  # the decision, or the step reached: planning, doing, studying


@dataclass(frozen=True)
class Ramp:
    """The cycles of one change idea, in order."""

    change_idea_id: str
    change_idea: str
    steps: tuple[RampStep, ...]

    @property
    def latest(self) -> RampStep | None:
        return self.steps[-1] if self.steps else None


def _stage(cycle: PDSACycle) -> str:
    if cycle.act is not None:
        return cycle.act
    if study_recorded(cycle):
        return "studying"
    if do_recorded(cycle):
        return "doing"
    return "planning"


def ramp_step(cycle: PDSACycle) -> RampStep:
    """What the ramp view shows of one cycle."""
    written = predictions_written(cycle)
    return RampStep(
        cycle_id=cycle.id,
        cycle_number=cycle.cycle_number,
        scale=cycle.plan.scale,
        question=cycle.question,
        act=cycle.act,
        act_reason=cycle.act_reason,
        start_date=cycle.start_date,
        end_date=cycle.end_date,
        predictions=len(written),
        held=sum(p.result == "held" for p in written),
        stage=_stage(cycle),
    )


def ramp_summary(project: Project, *, include_untested: bool = False) -> list[Ramp]:
    """The ramp of each change idea: its cycles in order, with scale and decision.

    Change ideas come in driver-diagram order; ideas without any cycle are left
    out unless `include_untested`."""
    ramps = []
    for idea in project.driver_diagram.change_ideas:
        cycles = project.cycles_of(idea.id)
        if cycles or include_untested:
            ramps.append(Ramp(idea.id, idea.text, tuple(ramp_step(y) for y in cycles)))
    return ramps

"""Root-cause views used the way a team member uses them: type, press Enter, pick,
click. Each test checks what the session holds and what a fresh load from the
store holds (what a reopened notebook would show)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from ciwidgets.model import EmpathyInterview, Project
from ciwidgets.store.testing import full_disk
from ciwidgets.widgets.fishbone import FishboneEditor
from ciwidgets.widgets.interviews import InterviewLog
from ciwidgets.widgets.problem import ProblemStatement
from ciwidgets.widgets.voting import CauseVoting
from ciwidgets.widgets.whys import FiveWhys

DAY = dt.date(2026, 10, 6)


@pytest.fixture
def store(project_store):
    return project_store[0]


@pytest.fixture
def team(project_store):
    return project_store[1]


def stored(store, session) -> Project:
    """The project as a fresh load from the store sees it."""
    return store.load(Project, session.doc.id)[0]


def type_in(widget, text: str) -> None:
    """What the browser sends when someone types and presses Enter (or leaves the field)."""
    widget.set_state({"value": text})


def pick(widget, value) -> None:
    """What the browser sends when someone picks an option: its index."""
    values = [v for _, v in widget.options] if widget.options and isinstance(widget.options[0], tuple) \
        else list(widget.options)
    widget.set_state({"index": values.index(value)})


def label_of(widget, value) -> str:
    return next(label for label, v in widget.options if v == value)


def category_id(session, name: str) -> str:
    return next(c.id for c in session.doc.fishbone.categories if c.name == name)


def add(editor: FishboneEditor, text: str, category: str = "Students") -> str:
    pick(editor.add_category_pick, category_id(editor.session, category))
    type_in(editor.add_text, text)
    return next(c.id for c in editor.session.doc.fishbone.causes if c.text == text)


# ---------------------------------------------------------------- fishbone editor


def test_typing_a_cause_and_pressing_enter_saves_lists_and_draws_it(project_session, store):
    editor = FishboneEditor(project_session)
    type_in(editor.problem, "Only 17% of our students meet the state math standard")
    pick(editor.add_category_pick, category_id(project_session, "Teachers & instruction"))
    pick(editor.add_control, "yes")
    type_in(editor.add_text, "Exit tickets are not used to regroup students")

    for project in (project_session.doc, stored(store, project_session)):
        (cause,) = project.fishbone.causes
        assert cause.text == "Exit tickets are not used to regroup students"
        assert cause.in_our_control is True
        assert cause.category_id == category_id(project_session, "Teachers & instruction")
        assert project.fishbone.problem.startswith("Only 17%")
    assert editor.add_text.value == ""  # ready for the next cause
    assert "Exit tickets are not used" in label_of(editor.cause_list, cause.id)
    assert "Exit tickets are not used to regroup students" in editor.diagram.picture.value
    assert "Added" in editor.add_feedback.value
    assert "Saved" in editor.status.line.value


def test_a_cause_the_database_cannot_store_stays_typed_and_the_status_says_so(project_session, store):
    editor = FishboneEditor(project_session)
    with full_disk(store):
        type_in(editor.add_text, "Bells cut the math block short")
    assert stored(store, project_session).fishbone.causes == []
    assert editor.add_text.value == "Bells cut the math block short"  # to try again
    assert "was not saved" in editor.status.line.value and "Saved" not in editor.status.line.value
    assert "Bells cut" not in editor.diagram.picture.value
    assert "Bells cut" not in str(editor.cause_list.options)
    editor.add_button.click()  # the disk has room again
    assert [c.text for c in stored(store, project_session).fishbone.causes] == ["Bells cut the math block short"]


def test_add_with_nothing_typed_says_what_to_do_and_saves_nothing(project_session, store):
    editor = FishboneEditor(project_session)
    editor.add_button.click()
    assert "Type the cause first" in editor.add_feedback.value
    assert stored(store, project_session).fishbone.causes == []


def test_a_pasted_novel_is_refused_in_a_sentence(project_session, store):
    editor = FishboneEditor(project_session)
    type_in(editor.add_text, "x" * 6000)
    assert "too long" in editor.add_feedback.value
    assert stored(store, project_session).fishbone.causes == []
    assert editor.add_text.value == "x" * 6000  # the text is kept so it can be shortened


def test_edit_mark_move_ground_and_grow_the_selected_cause(project_session, store):
    editor = FishboneEditor(project_session)
    project_session.edit(lambda p: p.interviews.append(EmpathyInterview(
        stakeholder_group="teacher", date=DAY, quotes=["I plan from the textbook"], themes=["planning time"])))
    cause_id = add(editor, "Lessons not planned from standards")
    pick(editor.cause_list, cause_id)
    assert editor.details.layout.display != "none"

    type_in(editor.cause_text, "Lessons are not planned from the standards")
    pick(editor.cause_control, "no")
    type_in(editor.sub_text, "No shared planning template")
    pick(editor.evidence_pick, next(v for label, v in editor.evidence_pick.options if "Quote" in label))
    editor.evidence_attach.click()
    type_in(editor.evidence_note, "4 of 12 lesson plans cite a standard")
    pick(editor.move_to, f"k:{category_id(project_session, 'Curriculum & materials')}")
    editor.move_button.click()

    for project in (project_session.doc, stored(store, project_session)):
        cause = next(c for c in project.fishbone.causes if c.id == cause_id)
        sub = next(c for c in project.fishbone.causes if c.parent_id == cause_id)
        assert cause.text == "Lessons are not planned from the standards"
        assert cause.in_our_control is False
        assert [(e.kind, e.text) for e in cause.evidence] == [
            ("quote", "I plan from the textbook"), ("data", "4 of 12 lesson plans cite a standard")]
        assert cause.evidence[0].interview_id == project.interviews[0].id
        assert cause.category_id == sub.category_id == category_id(project_session, "Curriculum & materials")
        assert sub.text == "No shared planning template"
    assert "↳ No shared planning template" in label_of(editor.cause_list, sub.id)


def test_moving_a_cause_under_another_and_deleting_with_confirmation(project_session, store):
    editor = FishboneEditor(project_session)
    parent = add(editor, "Students give up on word problems")
    child = add(editor, "Dense academic vocabulary", "Curriculum & materials")
    pick(editor.cause_list, child)
    assert f"c:{child}" not in [v for _, v in editor.move_to.options]  # never under itself
    pick(editor.move_to, f"c:{parent}")
    editor.move_button.click()
    assert stored(store, project_session).fishbone.causes[1].parent_id == parent

    pick(editor.cause_list, parent)
    editor.delete_button.click()
    assert editor.delete_button.description == "Really delete it and its 1 sub-cause?"
    assert len(stored(store, project_session).fishbone.causes) == 2  # nothing gone before the answer
    editor.delete_button.click()
    assert stored(store, project_session).fishbone.causes == []
    assert editor.details.layout.display == "none"
    assert "no causes yet" in editor.diagram.picture.value


def test_clearing_a_cause_text_does_not_delete_it(project_session, store):
    editor = FishboneEditor(project_session)
    cause_id = add(editor, "Math block cut by assemblies", "Policies & schedules")
    pick(editor.cause_list, cause_id)
    type_in(editor.cause_text, "   ")
    assert "A cause needs words" in editor.details_feedback.value
    assert editor.cause_text.value == "Math block cut by assemblies"
    assert stored(store, project_session).fishbone.causes[0].text == "Math block cut by assemblies"


def test_categories_rename_add_and_remove_after_asking_about_their_causes(project_session, store):
    editor = FishboneEditor(project_session)
    students = category_id(project_session, "Students")
    culture = category_id(project_session, "School culture")
    add(editor, "Many students new mid-year", "Students")
    pick(editor.category_list, students)
    type_in(editor.category_name, "Learners")
    type_in(editor.category_new, "Technology")
    assert [c.name for c in stored(store, project_session).fishbone.categories][0] == "Learners"
    assert "Technology" in [c.name for c in stored(store, project_session).fishbone.categories]

    pick(editor.category_list, students)
    editor.category_remove.click()
    assert editor.category_confirm.layout.display != "none"
    assert "has 1 cause" in editor.category_confirm_text.value
    pick(editor.category_move, culture)
    editor.category_remove_yes.click()
    project = stored(store, project_session)
    assert students not in [c.id for c in project.fishbone.categories]
    assert project.fishbone.causes[0].category_id == culture
    assert "Learners" not in editor.diagram.picture.value


def test_a_hidden_remove_button_pressed_by_hand_never_deletes_causes_silently(project_session, store):
    editor = FishboneEditor(project_session)
    add(editor, "Attendance drops in winter", "Students")
    pick(editor.category_list, category_id(project_session, "Students"))
    editor.category_remove_yes.click()  # a visitor can send a click to a hidden button
    assert stored(store, project_session).fishbone.causes != []
    assert editor.category_confirm.layout.display != "none"  # the question is asked instead


def test_a_second_browser_sees_the_new_cause_after_refresh(project_session, second_session, store):
    mine, theirs = FishboneEditor(project_session), FishboneEditor(second_session)
    cause_id = add(mine, "Families unsure how to help with new math methods", "Families & community")
    assert second_session.refresh() is True
    assert "Families unsure" in label_of(theirs.cause_list, cause_id)
    assert "Families unsure how to help with new math methods" in theirs.diagram.picture.value


def test_a_cause_a_teammate_deletes_while_it_is_open_here_is_said_gone(project_session, second_session,
                                                                         store, monkeypatch):
    mine, theirs = FishboneEditor(project_session), FishboneEditor(second_session)
    cause_id = add(mine, "PD is generic", "Teachers & instruction")
    second_session.refresh()
    pick(theirs.cause_list, cause_id)  # open in their form, perhaps mid-typing
    pick(mine.cause_list, cause_id)
    focused = []
    monkeypatch.setattr(mine.cause_list, "focus", lambda: focused.append("list"))
    mine.delete_button.click()
    mine.delete_button.click()
    assert "Deleted 'PD is generic'." in unescape(mine.add_feedback.value) and "someone else" not in mine.add_feedback.value
    assert focused == ["list"]  # the keyboard stays in the list
    second_session.refresh()
    assert theirs.details.layout.display == "none"
    assert "The cause 'PD is generic' was deleted by someone else meanwhile" in unescape(theirs.add_feedback.value)


def test_a_concurrent_edit_of_the_same_cause_is_reported_not_lost(project_session, second_session, store):
    mine, theirs = FishboneEditor(project_session), FishboneEditor(second_session)
    cause_id = add(mine, "PD is generic", "Teachers & instruction")
    second_session.refresh()
    pick(mine.cause_list, cause_id)
    pick(theirs.cause_list, cause_id)

    type_in(mine.cause_text, "PD is generic, not about our standards")
    type_in(theirs.cause_text, "PD ignores what teachers ask for")  # based on the old text

    assert second_session.last.status == "conflict"
    assert "at the same time" in theirs.status.line.value
    assert theirs.status.keep_mine.layout.display != "none"
    assert theirs.cause_text.value == "PD is generic, not about our standards"  # theirs shown
    assert stored(store, project_session).fishbone.causes[0].text == "PD is generic, not about our standards"
    theirs.status.keep_mine.click()  # Ben decides his wording wins
    assert stored(store, project_session).fishbone.causes[0].text == "PD ignores what teachers ask for"
    assert theirs.cause_text.value == "PD ignores what teachers ask for"


def test_use_our_problem_statement_fills_the_fish_head(project_session, store):
    project_session.edit(lambda p: setattr(p, "problem_statement", "Chronic absence in grade 3"))
    editor = FishboneEditor(project_session)
    assert editor.use_statement.layout.display != "none"
    editor.use_statement.click()
    assert stored(store, project_session).fishbone.problem == "Chronic absence in grade 3"
    assert editor.use_statement.layout.display == "none"
    assert "Chronic absence in grade 3" in editor.diagram.picture.value


# ---------------------------------------------------------------- problem statement


def test_problem_statement_saves_and_nudges_away_from_solutionitis(project_session, store):
    view = ProblemStatement(project_session)
    type_in(view.statement, "We lack a tutoring program")
    assert "missing solution" in view.nudge.value
    type_in(view.statement, "Only 17% of our students meet the math standard")
    type_in(view.equity, "Multilingual learners")
    assert view.nudge.value == ""
    project = stored(store, project_session)
    assert (project.problem_statement, project.equity_focus) == (
        "Only 17% of our students meet the math standard", "Multilingual learners")


# ---------------------------------------------------------------- interviews


def test_logging_an_interview_shows_who_has_been_heard(project_session, store):
    log = InterviewLog(project_session, today=DAY)
    assert "Do not record students&#x27; names" in log.reminder.value
    assert "No interviews yet" in log.coverage.value
    pick(log.new_group, "family")
    log.new_button.click()
    type_in(log.interviewer, "Mrs. Alvarez")
    type_in(log.questions, "What is homework time like at home?\n\nHow do you help?")
    type_in(log.quotes, "I want to help but the methods are new to me")
    type_in(log.themes, "new methods, homework; New Methods")

    (interview,) = stored(store, project_session).interviews
    assert (interview.stakeholder_group, interview.date, interview.interviewer) == ("family", DAY, "Mrs. Alvarez")
    assert interview.questions == ["What is homework time like at home?", "How do you help?"]
    assert interview.quotes == ["I want to help but the methods are new to me"]
    assert interview.themes == ["new methods", "homework"]
    assert "families: heard (1)" in log.coverage.value
    assert "students: missing" in log.coverage.value
    assert "new methods (1)" in log.coverage.value


def test_editing_the_group_and_deleting_an_interview_keeps_its_evidence(project_session, store):
    log, editor = InterviewLog(project_session, today=DAY), FishboneEditor(project_session)
    log.new_button.click()
    type_in(log.quotes, "Math is not for people like me")
    pick(log.group, "student")
    cause_id = add(editor, "Students don't see themselves as math people")
    pick(editor.cause_list, cause_id)
    pick(editor.evidence_pick, next(v for label, v in editor.evidence_pick.options if "Quote" in label))
    editor.evidence_attach.click()

    log.delete_button.click()
    assert stored(store, project_session).interviews != [] and log.delete_button.description == "Really delete it?"
    log.delete_button.click()
    project = stored(store, project_session)
    assert project.interviews == []
    assert [(e.text, e.interview_id) for e in project.fishbone.causes[0].evidence] == [
        ("Math is not for people like me", None)]
    assert "Interview deleted." in log.new_feedback.value and "someone else" not in log.new_feedback.value
    assert "students: missing" in log.coverage.value


def test_an_interview_a_teammate_deletes_while_it_is_open_here_is_said_gone(project_session, second_session):
    mine = InterviewLog(project_session, today=DAY)
    mine.new_button.click()
    second_session.refresh()
    theirs = InterviewLog(second_session, today=DAY)
    pick(theirs.interview_list, mine.selected_id)
    mine.delete_button.click()
    mine.delete_button.click()
    second_session.refresh()
    assert theirs.details.layout.display == "none"
    said = unescape(theirs.new_feedback.value)
    assert "The interview '" in said and "deleted by someone else meanwhile" in said


def test_an_interview_date_cleared_by_the_browser_is_refused(project_session, store):
    log = InterviewLog(project_session, today=DAY)
    log.new_button.click()
    log.date.value = None
    assert "needs a date" in log.feedback.value
    assert stored(store, project_session).interviews[0].date == DAY


# ---------------------------------------------------------------- 5 whys


def test_asking_why_then_adding_the_root_cause_in_one_click(project_session, store):
    editor = FishboneEditor(project_session)
    start = add(editor, "Students skip homework", "Students")
    whys = FiveWhys(project_session)
    pick(whys.start_from, start)
    whys.start_button.click()
    assert "Answer the first why below" in whys.start_feedback.value
    type_in(whys.next_answer, "Nobody at home can help")
    assert whys.start_feedback.value == ""  # the first why is answered: that hint is done
    type_in(whys.next_answer, "Instructions are only in English")
    assert whys.next_answer.value == "" and whys.next_answer.description == "Why? (3)"
    assert [w.value for w in whys.answers[:2]] == ["Nobody at home can help", "Instructions are only in English"]

    whys.promote_button.click()
    whys.promote_button.click()  # a double click adds nothing twice
    project = stored(store, project_session)
    root = [c for c in project.fishbone.causes if c.parent_id == start]
    assert [c.text for c in root] == ["Instructions are only in English"]
    assert project.why_chains[0].whys == ["Nobody at home can help", "Instructions are only in English"]
    assert project.why_chains[0].promoted_cause_id == root[0].id
    assert "on the fishbone under Students" in whys.feedback.value
    assert whys.promote_button.description == "Update the root cause"
    assert "Instructions are only in English" in editor.diagram.picture.value  # same session, redrawn


def test_a_chain_from_the_problem_goes_to_the_chosen_category(project_session, store):
    project_session.edit(lambda p: setattr(p.fishbone, "problem", "Chronic absence"))
    whys = FiveWhys(project_session)
    pick(whys.start_from, "__problem__")
    whys.start_button.click()
    assert whys.promote_button.disabled  # nothing to add before the first answer
    type_in(whys.next_answer, "Buses are late in winter")
    type_in(whys.answers[0], "The bus route was cut in winter")  # fix an answer in place
    pick(whys.category, category_id(project_session, "Policies & schedules"))
    whys.promote_button.click()
    (cause,) = stored(store, project_session).fishbone.causes
    assert (cause.text, cause.category_id) == ("The bus route was cut in winter",
                                               category_id(project_session, "Policies & schedules"))


def test_deleting_a_chain_asks_once_more_and_only_of_the_chain_shown(project_session, store):
    project_session.edit(lambda p: setattr(p.fishbone, "problem", "Chronic absence"))
    whys = FiveWhys(project_session)
    for answer in ("Buses are late in winter", "Families work early shifts"):
        pick(whys.start_from, "__problem__")
        whys.start_button.click()
        type_in(whys.next_answer, answer)
    first, second = (c.id for c in stored(store, project_session).why_chains)
    assert whys.chain_list.value == second

    whys.delete_button.click()
    assert whys.delete_button.description == "Really delete this chain?"
    assert len(stored(store, project_session).why_chains) == 2  # nothing gone yet
    pick(whys.chain_list, first)  # looking at another chain: the question is withdrawn
    assert whys.delete_button.description == "Delete chain"
    whys.delete_button.click()
    whys.delete_button.click()

    assert [c.whys for c in stored(store, project_session).why_chains] == [["Families work early shifts"]]
    assert "Chain deleted." in whys.start_feedback.value
    assert whys.chain_list.value == second and whys.delete_button.description == "Delete chain"


# ---------------------------------------------------------------- voting


def test_members_place_dots_and_the_diagram_counts_them(project_session, store, team):
    editor = FishboneEditor(project_session)
    a, b, c, d = (add(editor, t) for t in ("Cause A", "Cause B", "Cause C", "Cause D"))
    voting = CauseVoting(project_session)
    assert [v for _, v in voting.voter.options] == ["", *(m.name for m in team.members)]
    assert all(box.disabled for box in voting.boxes.values())  # nobody chosen yet
    pick(voting.voter, "Ana")
    for cause in (a, b, c):
        voting.boxes[cause].set_state({"value": True})
    assert "0 of 3 dots left" in voting.dots_info.value
    voting.boxes[d].set_state({"value": True})
    assert "used all 3 dots" in voting.feedback.value
    assert voting.boxes[d].value is False  # the refused dot unticks itself

    pick(voting.voter, "Ben")
    assert not any(box.value for box in voting.boxes.values())  # Ben's own ballot
    voting.boxes[a].set_state({"value": True})

    project = stored(store, project_session)
    counts = {cid: sum(v.cause_id == cid for v in project.fishbone.votes) for cid in (a, b, c, d)}
    assert counts == {a: 2, b: 1, c: 1, d: 0}
    svg = voting.diagram.picture.value
    assert "Cause A (2 dots, top-voted)" in svg
    assert "#1: Cause A — 2 dots" in voting.ranking.value
    assert "tied #2" in voting.ranking.value  # B and C tie, both highlighted
    assert "(2 dots)" in label_of(editor.cause_list, a)  # the editor list shows the count too


def test_deleting_a_voted_cause_says_its_votes_go_too(project_session, store):
    editor = FishboneEditor(project_session)
    parent, kept = add(editor, "Students give up on word problems"), add(editor, "Cause B")
    child = add(editor, "Dense academic vocabulary")
    pick(editor.cause_list, child)
    pick(editor.move_to, f"c:{parent}")
    editor.move_button.click()
    voting = CauseVoting(project_session)
    for voter in ("Ana", "Ben"):
        pick(voting.voter, voter)
        voting.boxes[child].set_state({"value": True})
    voting.boxes[kept].set_state({"value": True})

    pick(editor.cause_list, child)
    editor.delete_button.click()
    assert editor.delete_button.description == "Really delete it and its 2 votes?"
    editor.delete_button.disarm()
    pick(editor.cause_list, parent)
    editor.delete_button.click()
    assert editor.delete_button.description == "Really delete it, its 1 sub-cause and 2 votes?"
    editor.delete_button.click()
    assert [(v.voter, v.cause_id) for v in stored(store, project_session).fishbone.votes] == [("Ben", kept)]
    pick(editor.cause_list, kept)
    editor.delete_button.click()
    assert editor.delete_button.description == "Really delete it and its 1 vote?"


def test_re_voting_and_reset_my_dots(project_session, store):
    editor = FishboneEditor(project_session)
    a, b = add(editor, "Cause A"), add(editor, "Cause B")
    voting = CauseVoting(project_session)
    pick(voting.voter, "Cy")
    voting.boxes[a].set_state({"value": True})
    voting.boxes[a].set_state({"value": False})  # moved: taken back from A ...
    voting.boxes[b].set_state({"value": True})  # ... and put on B
    assert [(v.voter, v.cause_id) for v in stored(store, project_session).fishbone.votes] == [("Cy", b)]
    voting.reset_button.click()
    assert stored(store, project_session).fishbone.votes == []
    assert "3 of 3 dots left" in voting.dots_info.value


def test_deleting_a_voted_cause_gives_the_dot_back(project_session, store):
    editor = FishboneEditor(project_session)
    a = add(editor, "Cause A")
    voting = CauseVoting(project_session)
    pick(voting.voter, "Ana")
    voting.boxes[a].set_state({"value": True})
    pick(editor.cause_list, a)
    editor.delete_button.click()
    editor.delete_button.click()
    assert stored(store, project_session).fishbone.votes == []
    assert voting.boxes == {} and "3 of 3 dots left" in voting.dots_info.value


def test_a_new_cause_adds_one_box_to_the_ballot_and_keeps_the_others(project_session):
    editor = FishboneEditor(project_session)
    a, b = add(editor, "Cause A"), add(editor, "Cause B")
    voting = CauseVoting(project_session)
    pick(voting.voter, "Ana")
    voting.boxes[a].set_state({"value": True})
    before = dict(voting.boxes)
    c = add(editor, "Cause C")
    assert voting.boxes[a] is before[a] and voting.boxes[b] is before[b]  # no ballot rebuilt per edit
    assert voting.boxes[a].value is True and voting.boxes[c].value is False
    assert [box.description.split(" · ")[-1] for box in voting.ballot.children] == ["Cause A", "Cause B", "Cause C"]
    pick(editor.cause_list, b)
    editor.delete_button.click()
    editor.delete_button.click()
    assert before[b].comm is None and list(voting.ballot.children) == [before[a], voting.boxes[c]]


def test_fewer_dots_per_member_and_a_forced_tick_without_a_voter(project_session, store):
    editor = FishboneEditor(project_session)
    a, b = add(editor, "Cause A"), add(editor, "Cause B")
    voting = CauseVoting(project_session)
    voting.boxes[a].set_state({"disabled": False, "value": True})  # a visitor re-enables a box
    assert "Choose who is voting first" in voting.feedback.value
    assert stored(store, project_session).fishbone.votes == []

    pick(voting.voter, "Ana")
    voting.boxes[a].set_state({"value": True})
    voting.boxes[b].set_state({"value": True})
    voting.per_member.set_state({"index": 0})  # 1 dot each
    project = stored(store, project_session)
    assert project.fishbone.votes_per_member == 1
    assert [v.cause_id for v in project.fishbone.votes] == [a]  # the first dot is kept


def test_the_fishbone_drawn_twice_on_a_page_keeps_each_drawings_words_its_own(project_session):
    pictures = [FishboneEditor(project_session).diagram.picture.value,
                CauseVoting(project_session).diagram.picture.value]
    ids = [re.findall(r'<(?:title|desc) id="([^"]+)"', p) for p in pictures]
    assert all(len(i) == 2 for i in ids) and not set(ids[0]) & set(ids[1])  # a screen reader reads each its own
    for picture, (title, desc) in zip(pictures, ids, strict=True):
        assert f'aria-labelledby="{title} {desc}"' in picture


def test_the_chosen_cause_and_interview_forms_are_made_when_first_needed(project_session, store):
    cause_id = add(FishboneEditor(project_session), "PD is generic", "Teachers & instruction")
    InterviewLog(project_session, today=DAY).new_button.click()
    editor, log = FishboneEditor(project_session), InterviewLog(project_session, today=DAY)
    assert editor.details.children == () and log.details.children == ()  # nothing chosen yet: no form
    pick(editor.cause_list, cause_id)
    assert editor.details.layout.display == "" and editor.cause_text.value == "PD is generic"
    type_in(editor.cause_text, "PD is generic, not about our standards")
    assert stored(store, project_session).fishbone.causes[0].text == "PD is generic, not about our standards"
    pick(log.interview_list, project_session.doc.interviews[0].id)
    assert log.details.layout.display == "" and log.group.value == "student"

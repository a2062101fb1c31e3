"""The process map used the way a team member uses it: type a step and press Enter,
pick a step, change it, mark where it breaks down, move it, remove it. Each test
checks what the session holds and what a fresh load from the store holds."""

from __future__ import annotations

import pytest

from ciwidgets.model import Project
from ciwidgets.session import Session
from ciwidgets.store.testing import full_disk
from ciwidgets.widgets.process import ProcessMapEditor

from .test_widgets_rootcause import pick, stored, type_in


@pytest.fixture
def store(project_store):
    return project_store[0]


def steps_of(project: Project) -> list[str]:
    return [s.text for s in project.process_map.steps]


def mapped(editor: ProcessMapEditor, *texts: str) -> None:
    for text in texts:
        type_in(editor.new_step, text)


def test_steps_typed_in_order_are_saved_drawn_and_the_box_emptied(project_session, store):
    editor = ProcessMapEditor(project_session)
    type_in(editor.process, "How a student gets math help")
    mapped(editor, "Student is stuck", "Teacher notices")
    assert steps_of(stored(store, project_session)) == ["Student is stuck", "Teacher notices"]
    assert stored(store, project_session).process_map.process == "How a student gets math help"
    assert editor.new_step.value == ""
    picture = editor.diagram.picture.value
    assert picture.index("Student is stuck") < picture.index("Teacher notices")
    assert "How a student gets math help" in picture
    assert editor.step_list.value == project_session.doc.process_map.steps[-1].id  # ready to change
    assert editor.text.value == "Teacher notices"
    assert "Added step 2." in editor.new_feedback.value
    latest = store.history(project_session.doc.id)[0]  # what Start here lists as recent activity
    assert (latest.author, latest.message) == ("Ana", "added the step 'Teacher notices' to the process map")


def test_marking_where_it_breaks_down_shows_on_the_map_and_asks_what_goes_wrong(project_session, store):
    editor = ProcessMapEditor(project_session)
    mapped(editor, "Student is stuck", "Teacher notices")
    assert editor.why.layout.display == "none"
    editor.breaks_down.set_state({"value": True})
    assert editor.why.layout.display != "none"
    type_in(editor.why, "Quiet students rarely ask")
    type_in(editor.who, "teacher")
    step = stored(store, project_session).process_map.steps[1]
    assert (step.breaks_down, step.why, step.who) == (True, "Quiet students rarely ask", "teacher")
    assert "Breaks down" in editor.diagram.picture.value
    assert "Quiet students rarely ask" in editor.diagram.picture.value
    assert "breaks down" in dict((v, k) for k, v in editor.step_list.options)[step.id]


def test_picking_a_step_fills_the_form_and_edits_go_to_that_step(project_session, store):
    editor = ProcessMapEditor(project_session)
    mapped(editor, "Student is stuck", "Teacher notices", "Referral")
    first = project_session.doc.process_map.steps[0].id
    pick(editor.step_list, first)
    assert editor.text.value == "Student is stuck"
    assert editor.earlier.disabled and not editor.later.disabled
    type_in(editor.text, "Student is stuck during the math block")
    assert steps_of(stored(store, project_session)) == [
        "Student is stuck during the math block", "Teacher notices", "Referral"]


def test_a_forgotten_step_is_added_after_the_chosen_one(project_session, store):
    editor = ProcessMapEditor(project_session)
    mapped(editor, "Student is stuck", "Referral")
    pick(editor.step_list, project_session.doc.process_map.steps[0].id)
    mapped(editor, "Teacher notices", "Teacher re-teaches")  # each after the one added before
    assert steps_of(stored(store, project_session)) == [
        "Student is stuck", "Teacher notices", "Teacher re-teaches", "Referral"]
    assert "Added step 3." in editor.new_feedback.value
    assert editor.text.value == "Teacher re-teaches"


def test_moving_a_step_changes_the_order_on_the_map(project_session, store):
    editor = ProcessMapEditor(project_session)
    mapped(editor, "A", "B", "C")  # C is chosen: the newest
    editor.earlier.click()
    editor.earlier.click()
    assert steps_of(stored(store, project_session)) == ["C", "A", "B"]
    assert editor.earlier.disabled  # C is first now, and still the chosen step
    editor.later.click()
    assert steps_of(stored(store, project_session)) == ["A", "C", "B"]


def test_removing_a_step_asks_once_more_then_chooses_its_neighbour(project_session, store):
    editor = ProcessMapEditor(project_session)
    mapped(editor, "A", "B", "C")
    pick(editor.step_list, project_session.doc.process_map.steps[1].id)
    editor.remove.click()
    assert steps_of(stored(store, project_session)) == ["A", "B", "C"]  # only asked
    editor.remove.click()
    assert steps_of(stored(store, project_session)) == ["A", "C"]
    assert editor.text.value == "A"
    editor.remove.click()
    editor.remove.click()
    editor.remove.click()
    editor.remove.click()
    assert steps_of(stored(store, project_session)) == []
    assert editor.step_box.layout.display == "none"


def test_a_step_without_words_is_refused_in_words(project_session, store):
    editor = ProcessMapEditor(project_session)
    editor.add_button.click()
    assert "A step needs a few words" in editor.new_feedback.value
    mapped(editor, "Student is stuck")
    type_in(editor.text, "   ")
    assert "A step needs a few words" in editor.feedback.value
    assert editor.text.value == "Student is stuck"
    assert steps_of(stored(store, project_session)) == ["Student is stuck"]
    mapped(editor, "Teacher notices")  # the form moves on to the new step
    assert "A step needs a few words" not in editor.feedback.value


def test_hostile_text_is_text_on_the_map_and_in_the_list(project_session):
    editor = ProcessMapEditor(project_session)
    mapped(editor, "<script>alert(1)</script> & co")
    picture = editor.diagram.picture.value
    assert "<script>" not in picture and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in picture
    editor.breaks_down.set_state({"value": True})
    editor.to_fishbone.click()
    assert "<script>" not in editor.on_fishbone.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in editor.on_fishbone.value


def test_a_failed_save_keeps_the_typed_step_to_try_again(project_session, store):
    editor = ProcessMapEditor(project_session)
    with full_disk(store):
        type_in(editor.new_step, "Student is stuck")
    assert steps_of(stored(store, project_session)) == []
    assert editor.new_step.value == "Student is stuck"
    assert "Student is stuck" not in editor.diagram.picture.value
    editor.add_button.click()
    assert steps_of(stored(store, project_session)) == ["Student is stuck"]


def test_two_people_mapping_at_once_keep_both_steps(project_store):
    shared, _team, project = project_store
    ana = ProcessMapEditor(Session(shared, Project, project.id, author="Ana"))
    ben = ProcessMapEditor(Session(shared, Project, project.id, author="Ben"))
    mapped(ana, "Student is stuck")
    mapped(ben, "Teacher notices")
    assert sorted(steps_of(shared.load(Project, project.id)[0])) == ["Student is stuck", "Teacher notices"]
    assert "Student is stuck" in ben.diagram.picture.value  # merged in, and drawn


def test_where_it_breaks_down_goes_onto_the_fishbone_once(project_session, store):
    """The map's breakdowns are the fishbone's causes: one click puts what goes wrong
    there on the chosen bone, with the step as evidence; a second click updates it."""
    editor = ProcessMapEditor(project_session)
    mapped(editor, "Student is stuck", "Teacher notices")
    assert editor.cause_box.layout.display == "none"  # only where it breaks down
    editor.breaks_down.set_state({"value": True})
    type_in(editor.why, "Quiet students rarely ask")
    category = next(c.id for c in project_session.doc.fishbone.categories if c.name == "Students")
    pick(editor.category, category)
    editor.to_fishbone.click()
    causes = stored(store, project_session).fishbone.causes
    assert [(c.text, c.category_id) for c in causes] == [("Quiet students rarely ask", category)]
    assert [e.text for e in causes[0].evidence] == ["Process map, step 2: Teacher notices"]
    assert "On the fishbone under Students" in editor.on_fishbone.value
    assert editor.to_fishbone.description == "Update it on the fishbone"

    type_in(editor.why, "Quiet students and multilingual learners rarely ask")
    editor.to_fishbone.click()
    causes = stored(store, project_session).fishbone.causes
    assert [c.text for c in causes] == ["Quiet students and multilingual learners rarely ask"]
    assert len(causes[0].evidence) == 1


def test_a_cause_deleted_from_the_fishbone_can_be_put_there_again(project_session, store):
    from ciwidgets.analysis.rootcause import delete_cause

    editor = ProcessMapEditor(project_session)
    mapped(editor, "Teacher notices")
    editor.breaks_down.set_state({"value": True})
    editor.to_fishbone.click()  # no "what goes wrong" yet: the step's words are the cause
    cause = stored(store, project_session).fishbone.causes[0]
    assert cause.text == "Teacher notices"
    project_session.edit(lambda p: delete_cause(p, cause.id), "deleted a cause")
    assert stored(store, project_session).process_map.steps[0].cause_id is None
    assert editor.to_fishbone.description == "Put it on the fishbone"
    editor.to_fishbone.click()
    assert len(stored(store, project_session).fishbone.causes) == 1

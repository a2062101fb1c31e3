"""The PDSA worksheet and ramp view, used the way a team uses them: typing
(a value arrives when the user presses Enter or leaves the field) and clicking."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from ipywidgets import Button

from ciwidgets.model import Project
from ciwidgets.session import Session
from ciwidgets.widgets.pdsa import PDSAWorksheet, RampView
from tests.pdsa_examples import fox_project

TODAY = dt.date(2026, 10, 20)


def stored(session: Session) -> Project:
    """The project as a fresh browser would load it from the store."""
    return session.store.load(Project, session.doc.id)[0]


@pytest.fixture
def session(project_session: Session) -> Session:
    """Fox's driver diagram (no cycles yet) in a fresh project."""
    diagram = fox_project(with_cycles=False).driver_diagram
    project_session.edit(lambda p: setattr(p, "driver_diagram", diagram), "driver diagram")
    return project_session


@pytest.fixture
def worksheet(session: Session) -> PDSAWorksheet:
    return PDSAWorksheet(session, today=TODAY)


def shown(widget) -> str:
    """The text a person reads in a widget: its HTML, or that of the visible widgets
    inside it."""
    if widget.layout.display == "none":
        return ""
    if hasattr(widget, "children"):
        return " ".join(shown(child) for child in widget.children)
    if isinstance(widget, Button):
        return widget.description
    value = getattr(widget, "value", "")
    return unescape(re.sub(r"<[^>]+>", " ", value if isinstance(value, str) else ""))


def deck_id(session: Session) -> str:
    return session.doc.driver_diagram.change_ideas[0].id


def start_first_cycle(worksheet: PDSAWorksheet) -> None:
    assert worksheet.idea_picker.value == deck_id(worksheet.session)
    assert worksheet.new_cycle_button.description == "Start cycle 1"
    worksheet.new_cycle_button.click()


def fill_plan(ws: PDSAWorksheet) -> None:
    ws.question.value = "Does the slide deck make weekly planning faster?"
    ws.new_prediction.value = "All three teachers finish a week's plan in under an hour"
    ws.new_prediction.value = "Plans name the standard for every lesson"
    ws.prediction_controls[1][1].value = "high"
    ws.plan_fields["who"].value = "Ms Diaz, Mr Okafor, Mrs Lee"
    ws.plan_fields["what"].value = "Plan one week of math with the deck"
    ws.plan_fields["when"].value = "Week of 5 Oct"
    ws.plan_fields["where"].value = "Grade 4 planning time"
    ws.plan_fields["scale"].value = "three teachers"
    ws.plan_fields["data_to_collect"].value = "Minutes spent planning; standards named"
    ws.start_date.value = dt.date(2026, 10, 5)
    ws.end_date.value = dt.date(2026, 10, 16)


def test_without_a_cycle_the_worksheet_says_how_to_begin(worksheet):
    assert worksheet.body.layout.display == "none"
    assert "no PDSA cycle yet" in shown(worksheet.empty)
    assert "Start cycle 1" in shown(worksheet.empty)


def test_without_change_ideas_it_points_to_the_driver_diagram(project_session):
    ws = PDSAWorksheet(project_session, today=TODAY)
    assert "driver diagram" in shown(ws.empty)
    assert ws.idea_picker.layout.display == "none"
    ws.new_idea.value = "Exit tickets every day"
    assert [x.text for x in stored(project_session).driver_diagram.change_ideas] == ["Exit tickets every day"]
    assert ws.new_idea.value == ""
    ws.new_idea.value = "exit tickets every day"  # typed again: refused in words, not a second copy
    assert len(stored(project_session).driver_diagram.change_ideas) == 1
    assert "There is already a change idea" in shown(ws.status)
    ws.new_cycle_button.click()
    assert ws.cycle.cycle_number == 1
    # Jumping straight to a solution is pointed out, not blocked.
    assert "not linked to any driver" in shown(ws.nudges)


def test_planning_a_cycle_saves_every_field_as_the_user_goes(worksheet, session):
    start_first_cycle(worksheet)
    assert worksheet.body.layout.display == ""
    fill_plan(worksheet)

    for project in (session.doc, stored(session)):
        (cycle,) = project.pdsa_cycles
        assert cycle.change_idea_id == deck_id(session) and cycle.cycle_number == 1
        assert cycle.question == "Does the slide deck make weekly planning faster?"
        assert [(p.text, p.confidence) for p in cycle.predictions] == [
            ("All three teachers finish a week's plan in under an hour", "medium"),
            ("Plans name the standard for every lesson", "high"),
        ]
        assert cycle.plan.who == "Ms Diaz, Mr Okafor, Mrs Lee"
        assert cycle.plan.scale == "three teachers"
        assert cycle.plan.data_to_collect == "Minutes spent planning; standards named"
        assert (cycle.start_date, cycle.end_date) == (dt.date(2026, 10, 5), dt.date(2026, 10, 16))
    # The change idea is now being tested.
    assert stored(session).driver_diagram.change_ideas[0].status == "testing"
    # Typing a prediction and pressing Enter leaves the box empty for the next one.
    assert worksheet.new_prediction.value == ""
    assert "Saved" in shown(worksheet.status.line)


def test_a_prediction_can_be_edited_and_removed(worksheet, session):
    start_first_cycle(worksheet)
    worksheet.new_prediction.value = "Plans get shorter"
    worksheet.new_prediction.value = "Students notice the standard"
    text, _how_sure, remove = worksheet.prediction_controls[0]
    text.value = "Plans take under an hour"
    assert [p.text for p in stored(session).pdsa_cycles[0].predictions] == [
        "Plans take under an hour", "Students notice the standard"]
    removed_row = worksheet.predictions_box.children[0]
    remove.click()
    assert [p.text for p in stored(session).pdsa_cycles[0].predictions] == ["Students notice the standard"]
    assert len(worksheet.prediction_controls) == 1
    assert text.comm is None and removed_row.comm is None  # gone from the browser too
    assert worksheet.prediction_controls[0][0].description == "Prediction 1"
    assert worksheet.prediction_controls[0][0].value == "Students notice the standard"


def test_a_new_prediction_adds_a_row_and_keeps_the_others(worksheet, session):
    start_first_cycle(worksheet)
    worksheet.new_prediction.value = "Plans get shorter"
    first_plan, first_study = worksheet.predictions_box.children[0], worksheet.study_box.children[0]
    worksheet.new_prediction.value = "Students notice the standard"
    assert worksheet.predictions_box.children[0] is first_plan  # not rebuilt for the new one
    assert worksheet.study_box.children[0] is first_study
    worksheet.prediction_controls[0][2].click()  # remove the first: the second becomes number 1
    text, how_sure, _remove = worksheet.prediction_controls[0]
    label, held, showed = worksheet.study_controls[0]
    assert (text.description, held.description, showed.description) == (
        "Prediction 1", "Prediction 1 held?", "Data for prediction 1")
    assert label.value.startswith("<strong>1.</strong> Students notice")
    how_sure.value = "high"
    assert stored(session).pdsa_cycles[0].predictions[0].confidence == "high"


def test_nudges_follow_the_work_beside_the_form(worksheet):
    start_first_cycle(worksheet)
    assert "Write at least one prediction before you run the test" in shown(worksheet.nudges)
    worksheet.new_prediction.value = "Plans get shorter"
    assert "Write at least one prediction" not in shown(worksheet.nudges)
    assert "Name the data you will collect" in shown(worksheet.nudges)
    worksheet.start_date.value = dt.date(2026, 11, 2)
    worksheet.end_date.value = dt.date(2027, 1, 29)
    assert "planned for about 13 weeks" in shown(worksheet.nudges)
    worksheet.end_date.value = dt.date(2026, 11, 13)
    assert "weeks" not in shown(worksheet.nudges)
    worksheet.do_notes.value = "All three used it."
    assert "nothing in Study yet" in shown(worksheet.nudges)


def set_aside_button(worksheet: PDSAWorksheet, words: str):
    """The 'Set aside' of the suggestion saying `words`."""
    row = next(r for r in worksheet.nudges.items.children if words in shown(r.text))
    assert row.set_aside.description == "Set aside"
    return row.set_aside


def test_a_suggestion_the_team_has_weighed_can_be_set_aside_for_everyone(worksheet, session, second_session):
    start_first_cycle(worksheet)
    worksheet.new_prediction.value = "Plans get shorter"
    worksheet.start_date.value = dt.date(2026, 11, 2)
    worksheet.end_date.value = dt.date(2027, 1, 29)
    assert "Show the" not in shown(worksheet.nudges)

    set_aside_button(worksheet, "planned for about 13 weeks").click()

    assert "13 weeks" not in shown(worksheet.nudges)
    assert "Name the data you will collect" in shown(worksheet.nudges)  # the others stay
    assert "Show the one set aside" in shown(worksheet.nudges)
    assert stored(session).pdsa_cycles[0].suggestions.set_aside == ["too-long"]
    assert session.store.history(session.doc.id)[0].message == "Cycle 1: set aside a coach's suggestion"
    second_session.refresh()
    teammate = PDSAWorksheet(second_session, today=TODAY)
    assert "13 weeks" not in shown(teammate.nudges)

    teammate.nudges.bring_back.click()
    session.refresh()
    assert "planned for about 13 weeks" in shown(worksheet.nudges)
    assert "Show the" not in shown(worksheet.nudges)


def test_starting_another_cycle_before_deciding_the_last_one_gets_a_coachs_question(worksheet, session):
    start_first_cycle(worksheet)
    worksheet.new_cycle_button.click()  # "Start cycle 2" while cycle 1 has no Act: asked first
    assert worksheet.cycle.cycle_number == 1 and len(stored(session).pdsa_cycles) == 1
    assert worksheet.new_cycle_button.description == "Cycle 1 has no decision yet: start cycle 2 anyway?"
    worksheet.new_cycle_button.click()  # yes
    assert worksheet.cycle.cycle_number == 2
    assert "Cycle 1 has no decision yet" in shown(worksheet.nudges)
    assert worksheet.new_cycle_button.description == "Start cycle 3"


def test_a_double_click_starts_one_cycle_after_a_decided_one(worksheet, session):
    start_first_cycle(worksheet)
    worksheet.act.value = "adapt"
    worksheet.new_cycle_button.click()
    worksheet.new_cycle_button.click()  # the second click of a double-click, on "Start cycle 3" now
    assert [y.cycle_number for y in stored(session).pdsa_cycles] == [1, 2]


def test_setting_aside_every_suggestion_leaves_a_quiet_panel(worksheet, session):
    start_first_cycle(worksheet)
    set_aside_button(worksheet, "Write at least one prediction").click()
    assert "Nothing to point out on this cycle" in shown(worksheet.nudges)
    assert "Show the one set aside" in shown(worksheet.nudges)
    # Set aside on this cycle only: the next one starts with every suggestion.
    worksheet.act.value = "adapt"
    worksheet.next_button.click()
    assert worksheet.cycle.cycle_number == 2
    assert "Write at least one prediction" in shown(worksheet.nudges)
    assert "Show the" not in shown(worksheet.nudges)


def test_abandoning_ends_the_ramp_instead_of_offering_a_bigger_test(worksheet, session):
    start_first_cycle(worksheet)
    worksheet.act.value = "abandon"
    assert worksheet.next_button.disabled
    assert "ramp ends here. Choose another change idea" in shown(worksheet.next_hint)
    worksheet._on_next()  # a click forged past the disabled button
    assert len(stored(session).cycles_of(deck_id(session))) == 1
    worksheet.act.value = "adapt"  # the team changes its mind
    assert not worksheet.next_button.disabled
    worksheet.next_button.click()
    assert worksheet.cycle.cycle_number == 2


def test_do_study_act_and_plan_the_next_cycle(worksheet, session):
    start_first_cycle(worksheet)
    fill_plan(worksheet)
    worksheet.do_notes.value = "All three used the deck; the sceptical teacher for two days."
    worksheet.surprises.value = "The new teacher asked for worked examples."
    label, result, showed = worksheet.study_controls[0]
    assert "All three teachers finish" in shown(label)
    result.value = "partly"
    showed.value = "Two of three did"
    worksheet.study_controls[1][1].value = "held"
    worksheet.study_notes.value = "New teachers need worked examples."
    assert worksheet.next_button.disabled  # Act first
    worksheet.act.value = "adapt"
    worksheet.act_reason.value = "Add a worked example per standard."
    assert not worksheet.next_button.disabled
    assert "ended with 'adapt' but no next cycle" in shown(worksheet.nudges)

    worksheet.next_button.click()

    # The new cycle is open, prefilled, and linked both ways in the store.
    assert worksheet.cycle.cycle_number == 2
    assert worksheet.question.value == "Does the slide deck make weekly planning faster?"
    assert worksheet.plan_fields["scale"].value == "five teachers"
    assert worksheet.do_notes.value == "" and worksheet.act.value == ""
    assert worksheet.study_controls[0][1].value == ""
    project = stored(session)
    first, second = project.cycles_of(deck_id(session))
    assert (first.act, first.act_reason) == ("adapt", "Add a worked example per standard.")
    assert [p.result for p in first.predictions] == ["partly", "held"]
    assert first.predictions[0].what_data_showed == "Two of three did"
    assert first.do_notes.startswith("All three used the deck")
    assert first.next_cycle_id == second.id and second.previous_cycle_id == first.id
    assert [p.text for p in second.predictions] == [p.text for p in first.predictions]
    assert "builds on cycle 1 (adapt)" in shown(worksheet.intro)
    # Both cycles can be chosen; going back shows cycle 1 with an "Open cycle 2" button.
    assert [label for label, _ in worksheet.cycle_picker.options] == [
        "Cycle 1 · three teachers · adapt", "Cycle 2 · five teachers · open"]
    worksheet.cycle_picker.value = first.id
    assert worksheet.act.value == "adapt"
    assert worksheet.next_button.description == "Open cycle 2"
    worksheet.next_button.click()
    assert worksheet.cycle.id == second.id
    assert len(stored(session).pdsa_cycles) == 2
    worksheet.new_idea.value = "Peer observation of math lessons"  # an idea with no cycle yet: nothing to build on
    assert worksheet.cycle is None and "builds on" not in shown(worksheet.intro)


def test_a_forged_click_on_the_disabled_next_button_creates_nothing(worksheet, session):
    start_first_cycle(worksheet)
    assert worksheet.next_button.disabled
    worksheet.next_button.click()  # a visitor can send a click the page would not
    assert len(stored(session).pdsa_cycles) == 1


def test_forged_widget_values_are_refused_with_a_sentence(worksheet, session):
    start_first_cycle(worksheet)
    worksheet.question.value = "x" * 6000  # longer than any question the model keeps
    assert stored(session).pdsa_cycles[0].question == ""
    assert session.last.status == "invalid"
    assert "too long" in shown(worksheet.status.line)
    assert worksheet.question.value == "x" * 6000  # the user's text is not thrown away
    with pytest.raises(Exception):  # an option the page never offered  # noqa: B017
        worksheet.act.set_state({"index": 9})
    assert stored(session).pdsa_cycles[0].act is None


def test_hostile_text_is_escaped_in_labels_and_nudges(project_session):
    hostile = '<img src=x onerror="alert(1)">'
    ws = PDSAWorksheet(project_session, today=TODAY)
    ws.new_idea.value = hostile
    ws.new_cycle_button.click()
    ws.new_prediction.value = hostile
    said = " ".join(row.text.value for row in ws.nudges.items.children)
    assert "<img" not in said and "&lt;img" in said
    label = ws.study_controls[0][0]
    assert "<img" not in label.value and "&lt;img" in label.value
    assert ws.idea_picker.options[0][0] == hostile  # a dropdown shows options as text


def test_a_teammates_edit_of_another_part_shows_up_and_mine_stays(worksheet, session, second_session):
    from ciwidgets.model import Prediction

    start_first_cycle(worksheet)
    second_session.refresh()
    cycle_id = session.doc.pdsa_cycles[0].id

    def bens_edit(p: Project) -> None:
        p.find(cycle_id).plan.who = "Ben and two colleagues"
        p.find(cycle_id).predictions.append(Prediction(text="Ben: plans get shorter"))

    second_session.edit(bens_edit, "plan")
    worksheet.question.value = "Does the deck save time?"  # saved on top of Ben's edit
    assert session.last.status == "merged"
    assert worksheet.plan_fields["who"].value == "Ben and two colleagues"
    assert worksheet.prediction_controls[0][0].value == "Ben: plans get shorter"
    assert worksheet.question.value == "Does the deck save time?"
    cycle = stored(session).pdsa_cycles[0]
    assert (cycle.question, cycle.plan.who) == ("Does the deck save time?", "Ben and two colleagues")


def test_the_same_field_edited_twice_is_a_conflict_the_user_can_resolve(worksheet, session, second_session):
    start_first_cycle(worksheet)
    second_session.refresh()
    cycle_id = session.doc.pdsa_cycles[0].id
    second_session.edit(lambda p: setattr(p.find(cycle_id), "question", "Ben's question"), "question")
    worksheet.question.value = "Ana's question"
    assert session.last.status == "conflict"
    # Theirs is shown and said so; mine is one click away.
    assert worksheet.question.value == "Ben's question"
    assert "Someone else changed" in shown(worksheet.status.line)
    assert worksheet.status.keep_mine.layout.display == ""
    worksheet.status.keep_mine.click()
    assert stored(session).pdsa_cycles[0].question == "Ana's question"
    assert worksheet.question.value == "Ana's question"


def test_printable_worksheet_downloads_the_open_cycle(worksheet, session):
    from ciwidgets.model import Aim

    session.edit(lambda p: setattr(p, "aim", Aim(what="meet the state math standard", for_whom="students",
                                                  target=35, unit="%", by_when=dt.date(2027, 5, 31))))
    start_first_cycle(worksheet)
    fill_plan(worksheet)
    html = worksheet.download.produce().decode("utf-8")
    assert worksheet.download.filename == "pdsa-cycle-1-fox-elementary-school.html"
    assert "Does the slide deck make weekly planning faster?" in html
    assert "Fox Elementary" in html  # the team from the session
    assert "By May 2027, 35% of students at Fox Elementary School will meet the state math standard." in html  # as the aim view words it
    assert "@media print" in html


def test_opening_a_given_cycle(session):
    first = PDSAWorksheet(session, today=TODAY)
    first.new_cycle_button.click()
    cycle_id = first.cycle.id
    again = PDSAWorksheet(session, cycle_id=cycle_id, today=TODAY)
    assert again.cycle.id == cycle_id and again.idea_picker.value == deck_id(session)


def test_ramp_view_draws_the_cycles_in_order_and_follows_the_worksheet(worksheet, session):
    ramps = RampView(session)
    assert "No PDSA cycles yet" in ramps.diagram.svg
    start_first_cycle(worksheet)
    worksheet.plan_fields["scale"].value = "three teachers"
    worksheet.act.value = "adapt"
    assert "Only one cycle so far" in shown(ramps.summary)
    worksheet.next_button.click()
    svg = ramps.diagram.svg
    assert svg.index("Cycle 1") < svg.index("Cycle 2")
    assert "three teachers" in svg and "five teachers" in svg
    assert "Adapt" in svg and "Planning" in svg
    assert "A standards-based lesson-planning slide deck" in svg
    assert ramps.summary.value == ""


def test_ramp_view_escapes_the_teams_words(project_session):
    ws = PDSAWorksheet(project_session, today=TODAY)
    ws.new_idea.value = "</text><script>alert(1)</script>"
    ws.new_cycle_button.click()
    ws.plan_fields["scale"].value = "<b>one</b> teacher"
    svg = RampView(project_session).diagram.svg
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg


def test_a_cycle_removed_in_another_browser_closes_gently(worksheet, session, second_session):
    start_first_cycle(worksheet)
    worksheet.act.value = "adapt"
    worksheet.next_button.click()
    assert worksheet.cycle.cycle_number == 2
    second_session.refresh()

    def remove_cycle_2(p: Project) -> None:
        second = p.pdsa_cycles[1]
        p.pdsa_cycles.remove(second)
        p.pdsa_cycles[0].next_cycle_id = None

    assert second_session.edit(remove_cycle_2, "removed cycle 2").ok
    session.refresh()
    # The worksheet falls back to the cycle that is left instead of showing nothing.
    assert worksheet.cycle.cycle_number == 1
    assert worksheet.act.value == "adapt"
    assert worksheet.next_button.description == "Plan the next cycle"


def test_deleting_a_cycle_asks_again_then_opens_the_one_left(worksheet, session):
    start_first_cycle(worksheet)
    worksheet.act.value = "adapt"
    worksheet.next_button.click()
    first, second = stored(session).cycles_of(deck_id(session))
    assert worksheet.cycle.id == second.id

    worksheet.delete_cycle_button.click()  # one click only asks
    assert worksheet.delete_cycle_button.description == "Really delete this cycle?"
    assert len(stored(session).pdsa_cycles) == 2
    worksheet.delete_cycle_button.click()

    project = stored(session)
    assert [y.id for y in project.pdsa_cycles] == [first.id]
    assert project.pdsa_cycles[0].next_cycle_id is None
    assert worksheet.cycle.id == first.id and worksheet.act.value == "adapt"
    assert [label for label, _ in worksheet.cycle_picker.options] == ["Cycle 1 · adapt"]
    assert worksheet.delete_cycle_button.description == "Delete this cycle"
    assert session.store.history(session.doc.id)[0].message == "deleted cycle 2"  # newest first


def test_a_delete_asked_of_one_cycle_is_not_carried_to_another(worksheet, session):
    start_first_cycle(worksheet)
    worksheet.act.value = "adopt"
    worksheet.next_button.click()
    first, _second = stored(session).cycles_of(deck_id(session))
    worksheet.delete_cycle_button.click()
    worksheet.cycle_picker.value = first.id  # changes their mind: looks at cycle 1

    assert worksheet.delete_cycle_button.description == "Delete this cycle"
    worksheet.delete_cycle_button.click()
    assert len(stored(session).pdsa_cycles) == 2


def test_the_last_cycle_deleted_leaves_the_start_button(worksheet, session):
    start_first_cycle(worksheet)
    worksheet.delete_cycle_button.click()
    worksheet.delete_cycle_button.click()
    assert stored(session).pdsa_cycles == []
    assert worksheet.cycle is None
    assert worksheet.new_cycle_button.description == "Start cycle 1"
    assert worksheet.delete_cycle_button.layout.display == "none"  # nothing left to delete


def test_a_double_click_on_start_cycle_is_no_answer_to_its_question(worksheet, session, clock):
    start_first_cycle(worksheet)  # cycle 1, no decision yet
    worksheet.new_cycle_button.click()
    worksheet.new_cycle_button.click()  # the second click of a double-click
    worksheet.new_cycle_button.click()  # and a third
    assert len(stored(session).pdsa_cycles) == 1 and "anyway?" in worksheet.new_cycle_button.description
    clock.wait()
    worksheet.new_cycle_button.click()  # read, then answered
    assert [y.cycle_number for y in stored(session).pdsa_cycles] == [1, 2]

"""The theory-of-improvement views, used the way a person uses them: type, press Enter,
tick, click. Every check looks at the session's document and at a fresh load from
the store (what a teammate would see)."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

import pytest
from traitlets import TraitError

from ciwidgets.analysis import theory as T
from ciwidgets.model import ModelError, PDSACycle, Project
from ciwidgets.session import Session
from ciwidgets.widgets import view_class
from ciwidgets.widgets.aim import AimBuilder
from ciwidgets.widgets.drivers import DriverDiagramEditor
from ciwidgets.widgets.matrix import BenefitEffortMatrix
from ciwidgets.widgets.measures import MeasureFamily


def stored(session: Session) -> Project:
    return session.store.load(Project, session.doc.id)[0]


def texts(nodes) -> list[str]:
    return [n.text for n in nodes]


def seed(session: Session) -> dict[str, str]:
    """A small Fox diagram saved through the session; returns ids by words."""

    def build(p: Project) -> None:
        a = T.add_primary_driver(p, "Data-driven instruction")
        b = T.add_primary_driver(p, "Teacher mindsets")
        s1 = T.add_secondary_driver(p, "Coaching cycles", [a.id])
        s2 = T.add_secondary_driver(p, "Standards-based PD", [b.id])
        T.add_change_idea(p, "Exit tickets", [s1.id])
        T.add_change_idea(p, "Slide deck", [s2.id])

    assert session.edit(build).ok
    dd = session.doc.driver_diagram
    return {n.text: n.id for n in (*dd.primary_drivers, *dd.secondary_drivers, *dd.change_ideas)}


# --------------------------------------------------------------------------- registry


def test_the_workbook_registry_finds_the_four_views(project_session):
    for name, cls in (("aim", AimBuilder), ("driver_diagram", DriverDiagramEditor),
                      ("measures", MeasureFamily), ("matrix", BenefitEffortMatrix)):
        assert view_class(name) is cls
        assert isinstance(cls(project_session), cls)


# --------------------------------------------------------------------------- aim


def test_typing_the_aim_saves_it_and_shows_the_sentence(project_session):
    view = AimBuilder(project_session, today=lambda: dt.date(2025, 10, 1))
    view.what.value = "meet or exceed the state math standard"
    view.for_whom.value = "students"
    view.baseline.value = "17%"
    view.target.value = "35"
    view.unit.value = "%"
    view.by_when.value = dt.date(2026, 5, 31)
    aim = stored(project_session).aim
    assert (aim.what, aim.for_whom, aim.baseline, aim.target, aim.unit, aim.by_when) == (
        "meet or exceed the state math standard", "students", 17, 35, "%", dt.date(2026, 5, 31))
    assert project_session.doc.aim == aim
    assert ("By May 2026, at least 35% of students at Fox Elementary School will meet or exceed the state math standard, "
            "up from 17%.") in view.sentence.value
    assert "Specific, measurable and time-bound" in view.check.value
    assert view.baseline.value == "17%"  # what the person typed stays as typed


def test_the_smart_check_names_what_is_missing_as_you_go(project_session):
    view = AimBuilder(project_session, today=lambda: dt.date(2025, 10, 1))
    assert "Add a number" in view.check.value and "Add a date" in view.check.value
    view.target.value = "35"
    assert "Add a number" not in view.check.value
    view.by_when.value = dt.date(2024, 5, 31)
    assert "May 2024 has already passed" in view.check.value


def test_a_word_where_a_number_belongs_is_explained_and_kept(project_session):
    view = AimBuilder(project_session)
    view.target.value = "35"
    view.baseline.value = "about twenty"
    assert project_session.last.status == "invalid"
    assert project_session.last.message == "Baseline: 'about twenty' is not a number (e.g. 17 or 12.5)."
    assert view.baseline.value == "about twenty"  # not wiped: the person can correct it
    assert stored(project_session).aim.baseline is None
    view.baseline.value = "20"
    assert stored(project_session).aim.baseline == 20


def test_a_visitor_cannot_put_an_overlong_aim_in(project_session):
    view = AimBuilder(project_session)
    view.what.set_state({"value": "x" * 6000})
    assert project_session.last.status == "invalid"
    assert "too long" in project_session.last.message
    assert stored(project_session).aim.what == ""


# --------------------------------------------------------------------------- driver diagram


def test_add_a_node_at_each_level_with_enter(project_session):
    editor = DriverDiagramEditor(project_session)
    editor.adders["primary"].text.value = "Data-driven instruction"  # Enter commits the box
    assert editor.adders["primary"].text.value == ""  # ready for the next one
    editor.adders["secondary"].text.value = "Coaching cycles"
    editor.adders["change idea"].text.value = "Exit tickets"
    dd = stored(project_session).driver_diagram
    assert texts(dd.primary_drivers) == ["Data-driven instruction"]
    assert dd.secondary_drivers[0].primary_ids == [dd.primary_drivers[0].id]  # under the driver shown
    assert dd.change_ideas[0].secondary_ids == [dd.secondary_drivers[0].id]
    svg = editor.view.svg
    for words in ("Data-driven instruction", "Coaching cycles", "Exit tickets"):
        assert words in svg
    assert project_session.doc.driver_diagram == dd


def test_each_rows_buttons_say_which_driver_they_act_on(project_session):
    editor = DriverDiagramEditor(project_session)
    editor.adders["primary"].text.value = "Data-driven instruction"
    editor.adders["primary"].text.value = "Teacher <b>mindsets</b>"
    first, second = editor.rows.values()
    assert first.delete.tooltip == "Delete the primary driver 'Data-driven instruction' (asks again)"
    assert second.up.tooltip == "Move the primary driver 'Teacher <b>mindsets</b>' up"  # a title attribute: text


def test_the_add_button_adds_under_the_chosen_driver(project_session):
    ids = seed(project_session)
    editor = DriverDiagramEditor(project_session)
    adder = editor.adders["change idea"]
    adder.parent.value = ids["Standards-based PD"]
    adder.text.value = "   "  # nothing typed: nothing added
    adder.button.click()
    assert len(stored(project_session).driver_diagram.change_ideas) == 2
    adder.text.value = "Standards in 6-week chunks"
    idea = stored(project_session).driver_diagram.change_ideas[-1]
    assert (idea.text, idea.secondary_ids) == ("Standards in 6-week chunks", [ids["Standards-based PD"]])


def test_the_same_words_twice_are_refused_and_stay_typed(project_session):
    ids = seed(project_session)
    editor = DriverDiagramEditor(project_session)
    status = editor.children[-1].line
    adder = editor.adders["change idea"]
    adder.text.value = "  slide   DECK "  # the same idea, typed another way
    assert escape("There is already a change idea 'Slide deck'.") in status.value
    assert "link it there instead of adding it again" in status.value
    assert adder.text.value == "  slide   DECK "  # kept, to change a word and try again
    assert texts(stored(project_session).driver_diagram.change_ideas) == ["Exit tickets", "Slide deck"]
    editor.rows[ids["Teacher mindsets"]].text.value = "Data-driven instruction"  # renamed onto another
    assert escape("There is already a primary driver 'Data-driven instruction'.") in status.value
    assert stored(project_session).find(ids["Teacher mindsets"]).text == "Teacher mindsets"
    assert editor.rows[ids["Teacher mindsets"]].text.value == "Teacher mindsets"  # the row shows what is saved
    editor.rows[ids["Teacher mindsets"]].text.value = "teacher mindsets"  # its own words, another case
    assert stored(project_session).find(ids["Teacher mindsets"]).text == "teacher mindsets"


def test_link_a_change_idea_to_a_second_driver_and_unlink_it(project_session):
    ids = seed(project_session)
    editor = DriverDiagramEditor(project_session)
    row = editor.rows[ids["Slide deck"]]
    row.links.toggle.click()  # open the list of secondary drivers
    assert [b.description for b in row.links.boxes.values()] == ["Coaching cycles", "Standards-based PD"]
    row.links.boxes[ids["Coaching cycles"]].value = True
    deck = stored(project_session).find(ids["Slide deck"])
    assert deck.secondary_ids == [ids["Coaching cycles"], ids["Standards-based PD"]]  # in display order
    assert row.links.toggle.description == "Linked secondary drivers (2)"
    assert "Moves: Coaching cycles; Standards-based PD" in row.note.value
    row.links.boxes[ids["Standards-based PD"]].value = False
    assert stored(project_session).find(ids["Slide deck"]).secondary_ids == [ids["Coaching cycles"]]
    row.links.boxes[ids["Coaching cycles"]].value = False
    assert "is not linked to a driver yet" in editor.loose.value
    assert "Not linked to a driver yet" in editor.view.svg


def test_a_deleted_driver_leaves_the_open_link_list_and_is_closed(project_session):
    ids = seed(project_session)
    editor = DriverDiagramEditor(project_session)
    links = editor.rows[ids["Slide deck"]].links
    links.toggle.click()
    gone, kept = links.boxes[ids["Coaching cycles"]], links.boxes[ids["Standards-based PD"]]
    editor.rows[ids["Coaching cycles"]].delete.click()
    editor.rows[ids["Coaching cycles"]].delete.click()
    assert list(links.panel.children) == [kept] and gone.comm is None


def test_a_change_idea_is_linked_to_the_root_causes_it_addresses(project_session):
    from ciwidgets.analysis import rootcause as rc

    ids = seed(project_session)

    def fishbone(p: Project) -> None:
        students = p.fishbone.categories[0].id
        rc.add_cause(p, students, "Exit tickets are graded but not discussed")
        rc.add_cause(p, students, "No time to plan together")

    assert project_session.edit(fishbone).ok
    graded, planning = [c.id for c in project_session.doc.fishbone.causes]
    editor = DriverDiagramEditor(project_session)
    row = editor.rows[ids["Exit tickets"]]
    row.causes.toggle.click()
    assert [b.description for b in row.causes.boxes.values()] == [
        "Exit tickets are graded but not discussed", "No time to plan together"]
    row.causes.boxes[graded].value = True
    assert stored(project_session).find(ids["Exit tickets"]).cause_ids == [graded]
    assert "Addresses: Exit tickets are graded but not discuss…" in row.note.value
    assert row.causes.toggle.description == "Root causes (1)"
    assert editor.rows[ids["Data-driven instruction"]].causes is None  # drivers link to drivers
    with pytest.raises(ModelError, match="no longer on the fishbone"):
        T.set_causes(project_session.doc.model_copy(deep=True), ids["Exit tickets"], ["c-gone"])


def test_link_a_secondary_driver_to_several_primaries(project_session):
    ids = seed(project_session)
    editor = DriverDiagramEditor(project_session)
    row = editor.rows[ids["Coaching cycles"]]
    row.links.set_open(True)
    row.links.boxes[ids["Teacher mindsets"]].value = True
    assert stored(project_session).find(ids["Coaching cycles"]).primary_ids == [
        ids["Data-driven instruction"], ids["Teacher mindsets"]]


def test_rename_reorder_and_status(project_session):
    ids = seed(project_session)
    editor = DriverDiagramEditor(project_session)
    editor.rows[ids["Teacher mindsets"]].text.value = "Teacher mindsets about learning"
    editor.rows[ids["Teacher mindsets"]].up.click()
    assert texts(stored(project_session).driver_diagram.primary_drivers) == [
        "Teacher mindsets about learning", "Data-driven instruction"]
    assert editor.rows[ids["Teacher mindsets"]].text.description.endswith("Primary driver </span>1.")
    editor.rows[ids["Exit tickets"]].status.value = "testing"
    assert stored(project_session).find(ids["Exit tickets"]).status == "testing"
    said = [r.message for r in project_session.store.history(project_session.doc.id)[:3]]
    assert said == ["marked the change idea 'Exit tickets' 'testing'", "reordered the driver diagram",
                    "renamed the primary driver 'Teacher mindsets' to 'Teacher mindsets about learning'"]
    assert "testing · no PDSA cycles yet" in editor.view.svg


def test_up_and_down_are_off_at_the_ends_of_a_group_and_the_keyboard_stays_on_the_row(project_session, monkeypatch):
    ids = seed(project_session)
    editor = DriverDiagramEditor(project_session)
    first, second = editor.rows[ids["Data-driven instruction"]], editor.rows[ids["Teacher mindsets"]]
    assert (first.up.disabled, first.down.disabled, second.up.disabled, second.down.disabled) == (True, False, False, True)
    alone = editor.rows[ids["Coaching cycles"]]  # the only secondary driver under its primary
    assert alone.up.disabled and alone.down.disabled
    focused = []
    for button in (second.up, second.down):
        monkeypatch.setattr(button, "focus", lambda b=button: focused.append(b.description))
    second.up.click()  # now first: Up is off, so the keyboard goes to its Down
    assert texts(stored(project_session).driver_diagram.primary_drivers)[0] == "Teacher mindsets"
    assert second.up.disabled and not second.down.disabled and focused == ["Down"]


def test_delete_asks_once_more(project_session):
    ids = seed(project_session)
    editor = DriverDiagramEditor(project_session)
    delete = editor.rows[ids["Teacher mindsets"]].delete
    delete.click()
    assert delete.description == "Really delete?"
    assert stored(project_session).find(ids["Teacher mindsets"]) is not None
    delete.click()
    doc = stored(project_session)
    assert doc.find(ids["Teacher mindsets"]) is None
    assert doc.find(ids["Standards-based PD"]).primary_ids == []  # kept, now a loose end
    assert ids["Teacher mindsets"] not in editor.rows
    assert escape("'Standards-based PD' is not linked to a primary driver yet.") in editor.loose.value


def test_a_change_idea_with_cycles_is_not_deleted_and_the_reason_shown(project_session):
    ids = seed(project_session)
    project_session.edit(lambda p: p.pdsa_cycles.append(PDSACycle(change_idea_id=ids["Slide deck"])))
    editor = DriverDiagramEditor(project_session)
    delete = editor.rows[ids["Slide deck"]].delete
    delete.click()
    delete.click()
    assert stored(project_session).find(ids["Slide deck"]) is not None
    assert "Mark it 'abandoned' instead" in project_session.last.message
    assert "1 PDSA cycle" in editor.rows[ids["Slide deck"]].note.value


def test_a_visitor_cannot_set_an_unknown_status(project_session):
    ids = seed(project_session)
    editor = DriverDiagramEditor(project_session)
    status = editor.rows[ids["Exit tickets"]].status
    with pytest.raises(TraitError):
        status.set_state({"index": 42})
    assert not editor.set_status(ids["Exit tickets"], "hacked")
    assert stored(project_session).find(ids["Exit tickets"]).status == "idea"


def test_two_browsers_editing_different_drivers_both_keep_their_edits(project_store):
    store, _team, project = project_store
    ana = Session(store, Project, project.id, author="Ana")
    ids = seed(ana)
    ben = Session(store, Project, project.id, author="Ben")
    ana_view, ben_view = DriverDiagramEditor(ana), DriverDiagramEditor(ben)
    ana_view.rows[ids["Data-driven instruction"]].text.value = "Data-driven instruction, every week"
    ben_view.rows[ids["Teacher mindsets"]].text.value = "Teacher mindsets about learning"  # Ben's copy is stale
    assert ben.last.status == "merged"
    doc = store.load(Project, project.id)[0]
    assert texts(doc.driver_diagram.primary_drivers) == [
        "Data-driven instruction, every week", "Teacher mindsets about learning"]
    assert ben_view.rows[ids["Data-driven instruction"]].text.value == "Data-driven instruction, every week"
    ana.refresh()  # what the app's poller does
    assert ana_view.rows[ids["Teacher mindsets"]].text.value == "Teacher mindsets about learning"
    assert "Teacher mindsets about learning" in ana_view.view.svg


def test_two_browsers_editing_the_same_driver_is_a_conflict_not_a_loss(project_store):
    store, _team, project = project_store
    ana = Session(store, Project, project.id, author="Ana")
    ids = seed(ana)
    ben = Session(store, Project, project.id, author="Ben")
    ana_view, ben_view = DriverDiagramEditor(ana), DriverDiagramEditor(ben)
    ana_view.rows[ids["Exit tickets"]].text.value = "Exit tickets on Fridays"
    ben_view.rows[ids["Exit tickets"]].text.value = "Exit tickets daily"
    assert ben.last.status == "conflict"
    assert ben_view.rows[ids["Exit tickets"]].text.value == "Exit tickets on Fridays"  # theirs shown
    ben.keep_mine()
    assert store.load(Project, project.id)[0].find(ids["Exit tickets"]).text == "Exit tickets daily"


def test_an_aim_field_saved_by_both_at_once_shows_theirs_as_the_status_says(project_store):
    store, _team, project = project_store
    ana, ben = (Session(store, Project, project.id, author=who) for who in ("Ana", "Ben"))
    ana_view, ben_view = AimBuilder(ana), AimBuilder(ben)
    ana_view.what.value = "reading fluency"
    ben_view.what.value = "reading stamina"  # Ben's copy is stale: the same field
    assert ben.last.status == "conflict"
    assert ben_view.what.value == "reading fluency"  # theirs in the box, as in the sentence
    assert "reading fluency" in ben_view.sentence.value
    ben.keep_mine()
    assert store.load(Project, project.id)[0].aim.what == "reading stamina"


# --------------------------------------------------------------------------- measures


def test_define_a_measure_with_every_field(project_session):
    ids = seed(project_session)
    family = MeasureFamily(project_session)
    assert "Start with one outcome measure" in family.nudges.value
    family.new_kind.value = "process"
    family.new_name.value = "Exit-ticket mastery"
    (card,) = family.cards.values()
    card.definition.value = "Share of students scoring 3 of 4 on the Friday exit ticket"
    card.unit.value = "% of students"
    card.frequency.value = "weekly"
    card.source.value = "Friday exit tickets"
    card.target.value = "35"
    card.direction.value = "up"
    card.links.toggle.click()
    card.links.boxes[T.AIM_ID].value = True
    card.links.boxes[ids["Exit tickets"]].value = True
    (m,) = stored(project_session).measures
    assert (m.name, m.kind, m.unit, m.frequency, m.data_source, m.target, m.desired_direction) == (
        "Exit-ticket mastery", "process", "% of students", "weekly", "Friday exit tickets", 35, "up")
    assert m.operational_definition.startswith("Share of students")
    assert m.linked_ids == [T.AIM_ID, ids["Exit tickets"]]
    assert "The aim; Change idea: Exit tickets" in card.tracks.value
    assert project_session.doc.measures == [m]


def test_nudges_follow_the_family_as_it_grows(project_session):
    family = MeasureFamily(project_session)
    family.new_kind.value = "outcome"
    family.new_name.value = "State math standard"
    (card,) = family.cards.values()
    card.frequency.value = "annual"
    assert "All your measures are outcome measures" in family.nudges.value
    assert "exit tickets, attendance at data meetings" in family.nudges.value
    assert "What could get worse" in family.nudges.value
    family.new_kind.value = "process"
    family.new_name.value = "Exit-ticket mastery"
    family.new_kind.value = "balancing"
    family.new_name.value = "Teacher planning time"
    assert "outcome measures" not in family.nudges.value
    assert "What could get worse" not in family.nudges.value
    assert "collected weekly" not in family.nudges.value  # the new ones default to weekly


def test_a_bad_target_is_explained_and_a_measure_can_be_deleted(project_session):
    family = MeasureFamily(project_session)
    family.new_name.value = "Exit-ticket mastery"
    (card,) = family.cards.values()
    card.target.value = "lots"
    assert project_session.last.message == "Target: 'lots' is not a number (e.g. 17 or 12.5)."
    assert escape("Target: 'lots' is not a number") in card.feedback.value  # on the measure's own card
    assert card.target.value == "lots"
    assert stored(project_session).measures[0].target is None
    card.target.value = "35"
    assert card.feedback.value == "" and stored(project_session).measures[0].target == 35
    card.delete.click()
    card.delete.click()
    assert stored(project_session).measures == []
    assert family.cards == {}


# --------------------------------------------------------------------------- matrix


def test_rate_with_sliders_and_choose_what_to_test_next(project_session):
    ids = seed(project_session)
    matrix = BenefitEffortMatrix(project_session)
    row = matrix.rows[ids["Exit tickets"]]
    assert "Not placed yet" in row.where.value
    row.benefit.value = 5
    row.effort.value = 2
    idea = stored(project_session).find(ids["Exit tickets"])
    assert (idea.benefit, idea.effort) == (5, 2)
    assert "Quick wins" in row.where.value
    assert "Exit tickets" in matrix.view.svg and "idea · Quick wins" in matrix.view.svg
    row.test_next.click()
    assert stored(project_session).find(ids["Exit tickets"]).status == "testing"
    assert "Testing next:</strong> Exit tickets" in matrix.summary.value
    assert row.test_next.description == "Not now"
    row.test_next.click()
    assert stored(project_session).find(ids["Exit tickets"]).status == "idea"


def test_the_place_button_accepts_the_middle_ratings(project_session):
    ids = seed(project_session)
    matrix = BenefitEffortMatrix(project_session)
    row = matrix.rows[ids["Slide deck"]]
    row.place.click()
    idea = stored(project_session).find(ids["Slide deck"])
    assert (idea.benefit, idea.effort) == (3, 3)
    assert "Big bets" in row.where.value and row.place.layout.display == "none"


def test_a_visitor_cannot_rate_outside_one_to_five(project_session):
    ids = seed(project_session)
    matrix = BenefitEffortMatrix(project_session)
    row = matrix.rows[ids["Slide deck"]]
    row.benefit.set_state({"max": 100})
    row.benefit.set_state({"value": 99})
    assert project_session.last.status == "invalid"
    assert stored(project_session).find(ids["Slide deck"]).benefit is None


def test_abandoned_ideas_leave_the_matrix(project_session):
    ids = seed(project_session)
    matrix = BenefitEffortMatrix(project_session)
    project_session.edit(lambda p: setattr(p.find(ids["Slide deck"]), "status", "abandoned"))
    assert set(matrix.rows) == {ids["Exit tickets"]}
    assert "1 abandoned idea not shown" in matrix.summary.value


def test_a_diagram_shrinks_on_a_narrow_screen_only_so_far_then_scrolls(project_session):
    seed(project_session)
    view = DriverDiagramEditor(project_session).view
    width = float(re.search(r'<svg\b[^>]*?\swidth="([0-9.]+)"', view.svg).group(1))
    assert view.picture.value.startswith('<div class="ciw-legible" tabindex="0" role="group" aria-label="Diagram">'
                                         f'<div style="min-width:{width * 0.7:.0f}px"><svg ')
    assert view.picture.value.endswith("</svg></div></div>")

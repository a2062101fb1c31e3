"""The team editor, used the way a team uses it: typing (a value arrives when the user
presses Enter or leaves the field), choosing from a list and clicking. Every check
reads the Team document back from the store, as the next browser would."""

from __future__ import annotations

from html import unescape

import pytest
from traitlets import TraitError

from ciwidgets.model import Member, Project, Team
from ciwidgets.session import Session
from ciwidgets.widgets.common import ConfirmButton
from ciwidgets.widgets.team import TeamEditor


def stored(editor: TeamEditor) -> Team:
    return editor.session.store.load(Team, editor.team.id)[0]


def people(team: Team) -> list[tuple[str, str]]:
    return [(m.name, m.role) for m in team.members]


def status_text(editor: TeamEditor) -> str:
    """The save status line as the user reads it."""
    return unescape(editor.children[-1].line.value)


def row_of(editor: TeamEditor, name: str):
    return next(r for r in editor.members_box.children if r.name.value == name)


@pytest.fixture
def editor(project_session: Session) -> TeamEditor:
    """Fox Elementary's editor: Ana (principal), Ben (teacher), Cy (coach)."""
    return TeamEditor(project_session)


def test_it_shows_who_is_on_the_team_and_which_voice_is_missing(editor):
    assert [(r.name.value, r.role.value) for r in editor.members_box.children] == [
        ("Ana", "principal"), ("Ben", "teacher"), ("Cy", "coach")]
    voices = editor.voices.value
    assert "Leaders · 1" in voices and "Teachers · 1" in voices
    assert "Students &amp; families</strong><span class='ciw-who'>missing so far" in voices
    assert "No student or family voice yet" in voices
    assert "No teacher voice yet" not in voices
    assert "3 people in 3 roles: principal, teacher, coach." in voices


def test_choosing_a_role_and_typing_a_name_adds_a_person(editor):
    editor.new_role.value = "family"
    editor.new_name.value = "Mrs. Alvarez"  # what the browser sends on Enter
    assert people(stored(editor))[-1] == ("Mrs. Alvarez", "family")
    assert editor.new_name.value == ""  # ready for the next person
    assert [r.name.value for r in editor.members_box.children][-1] == "Mrs. Alvarez"
    # The missing voice is no longer missing, and the nudge is gone.
    assert "Students &amp; families · 1" in editor.voices.value
    assert "No student or family voice yet" not in editor.voices.value
    assert stored(editor).model_dump() == editor.session.doc.model_dump()
    assert editor.session.store.history(editor.team.id)[0].message == "added Mrs. Alvarez to the team"


def test_a_blank_name_adds_no_one(editor):
    before = editor.session.revision
    editor.new_name.value = "   "
    editor.add_button.click()
    assert len(stored(editor).members) == 3 and editor.session.revision == before


def test_a_name_and_a_role_are_changed_in_place(editor):
    row = row_of(editor, "Ben")
    row.name.value = "Ben Okafor"
    row.role.value = "teacher leader"
    assert people(stored(editor))[1] == ("Ben Okafor", "teacher leader")
    assert row_of(editor, "Ben Okafor") is row  # the same row: the focus stays where it was


def test_an_emptied_name_is_refused_with_a_sentence_and_shown_again(editor):
    row = row_of(editor, "Cy")
    row.name.value = ""
    assert people(stored(editor))[2] == ("Cy", "coach")
    assert row.name.value == "Cy"
    assert "Type the person's name first." in status_text(editor)
    assert "Type the person's name first." in editor.people_feedback.value.replace("&#x27;", "'")


def test_a_role_sent_by_a_visitor_must_be_one_of_the_roles(editor):
    member_id = editor.team.members[0].id
    result = editor.set_role(member_id, "superuser")
    assert not result.ok and "is not a role" in result.message
    assert people(stored(editor))[0] == ("Ana", "principal")
    with pytest.raises(TraitError):  # the dropdown itself refuses an index off its list
        row_of(editor, "Ana").role.set_state({"index": 99})
    assert people(stored(editor))[0] == ("Ana", "principal")


def test_remove_asks_once_more(editor):
    remove = row_of(editor, "Cy").remove
    remove.click()
    assert remove.description == "Really remove?" and len(stored(editor).members) == 3
    remove.click()
    assert people(stored(editor)) == [("Ana", "principal"), ("Ben", "teacher")]
    assert [r.name.value for r in editor.members_box.children] == ["Ana", "Ben"]
    # Without a coach the team still has all but one voice; without Ben, no teacher.
    row_of(editor, "Ben").remove.click()
    row_of(editor, "Ben").remove.click()
    assert "No teacher voice yet" in editor.voices.value


def test_names_are_escaped_in_the_voices(project_session):
    editor = TeamEditor(project_session)
    editor.new_name.value = "<img src=x onerror=alert(1)>"
    assert "<img" not in editor.voices.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in editor.voices.value


def test_norms_are_added_reworded_reordered_and_removed(editor):
    editor.new_norm.value = "Start and end on time"
    editor.new_norm.value = "Data, not blame"
    assert stored(editor).norms == ["Start and end on time", "Data, not blame"]
    assert editor.new_norm.value == ""

    first, second = editor.norms_box.children
    assert first.up.disabled and second.down.disabled
    second.up.click()
    assert stored(editor).norms == ["Data, not blame", "Start and end on time"]

    editor.norms_box.children[1].text.value = "Start and end on time, every time"
    assert stored(editor).norms == ["Data, not blame", "Start and end on time, every time"]

    remove = editor.norms_box.children[0].remove
    remove.click()
    remove.click()
    assert stored(editor).norms == ["Start and end on time, every time"]


def test_the_same_norm_twice_is_refused_politely(editor):
    editor.new_norm.value = "Assume good intent"
    editor.new_norm.value = "assume  GOOD intent"
    assert stored(editor).norms == ["Assume good intent"]
    assert "already one of your norms" in status_text(editor)
    assert "already one of your norms" in editor.norms_feedback.value  # under the norms, where it was typed
    assert editor.new_norm.value == "assume  GOOD intent"  # kept, so it can be corrected
    editor.new_norm.value = "   "  # the old reason does not linger over a new try
    assert editor.norms_feedback.value.endswith(">Type the norm first.</span>")
    editor.new_norm.value = "Start and end on time"
    assert editor.norms_feedback.value == ""


def test_a_team_without_norms_gets_ideas_to_start_from(editor):
    ideas = [b for b in editor.suggestions.children[1:]]
    assert [b.description for b in ideas][:2] == ["Start and end on time", "Every voice before decisions"]
    ideas[1].click()
    assert stored(editor).norms == ["Every voice before decisions"]
    assert "Every voice before decisions" not in [b.description for b in editor.suggestions.children[1:]]


def test_the_meeting_routine_is_saved_and_checked_for_when_where_how_long(editor):
    assert "Write when, where and for how long" in editor.routine_hint.value
    editor.routine.value = "Tuesdays after school"
    assert stored(editor).meeting_routine == "Tuesdays after school"
    assert "Does your routine say where and how long?" in editor.routine_hint.value
    editor.routine.value = "Tuesdays 3:15–4:00 in the library"
    assert editor.routine_hint.value == ""


def test_two_browsers_adding_people_at_once_both_keep_theirs(project_store, project_session, second_session):
    store, team, _ = project_store
    ana, ben = TeamEditor(project_session), TeamEditor(second_session)
    ana.new_name.value = "Dee"
    ben.new_role.value = "student"
    ben.new_name.value = "Eli"  # Ben's editor has not seen Dee yet
    assert people(store.load(Team, team.id)[0])[-2:] == [("Dee", "teacher"), ("Eli", "student")]
    assert "someone else made meanwhile" in status_text(ben)
    assert [r.name.value for r in ben.members_box.children][-2:] == ["Dee", "Eli"]
    ana.session.refresh()
    assert [r.name.value for r in ana.members_box.children][-2:] == ["Dee", "Eli"]


def test_two_browsers_adding_norms_at_once_both_keep_theirs(project_store, project_session, second_session):
    store, team, _ = project_store
    ana, ben = TeamEditor(project_session), TeamEditor(second_session)
    ana.new_norm.value = "Start on time"
    ben.new_norm.value = "Phones away"
    ben.routine.value = "Mondays 8:00–8:30 in room 12"
    # Ana's editor has seen neither.
    ana.new_norm.value = "Every voice counts"
    saved = store.load(Team, team.id)[0]
    assert saved.norms == ["Start on time", "Phones away", "Every voice counts"]
    assert saved.meeting_routine == "Mondays 8:00–8:30 in room 12"
    assert ana.session.conflict is None and ben.session.conflict is None


def test_two_different_routines_at_once_are_a_choice_not_a_silent_loss(project_store, project_session, second_session):
    store, team, _ = project_store
    ana, ben = TeamEditor(project_session), TeamEditor(second_session)
    ana.routine.value = "Tuesdays 3:15–4:00 in the library"
    ben.routine.value = "Thursdays 7:45–8:15 in room 4"
    assert store.load(Team, team.id)[0].meeting_routine == "Tuesdays 3:15–4:00 in the library"
    status = ben.children[-1]
    assert "at the same time" in status.line.value and status.keep_mine.layout.display == ""
    assert ben.routine.value == "Tuesdays 3:15–4:00 in the library"  # theirs is shown
    status.keep_mine.click()
    assert store.load(Team, team.id)[0].meeting_routine == "Thursdays 7:45–8:15 in room 4"


def test_someone_else_removing_a_person_being_edited_is_explained(project_store, project_session, second_session):
    store, team, _ = project_store
    ana, ben = TeamEditor(project_session), TeamEditor(second_session)
    row_of(ana, "Cy").remove.click()
    row_of(ana, "Cy").remove.click()
    row_of(ben, "Cy").role.value = "staff"  # Ben still sees Cy
    assert "Cy" not in [m.name for m in store.load(Team, team.id)[0].members]
    assert "Cy" not in [r.name.value for r in ben.members_box.children]


def test_the_editor_opens_on_any_team_from_its_project_session(tmp_path):
    from ciwidgets.model import Network
    from ciwidgets.store import Store

    store = Store(tmp_path / "x.db")
    network = store.create(Network(name="N")).doc
    team = store.create(Team(network_id=network.id, name="Oak", members=[Member(name="P", role="principal")])).doc
    project = store.current_project(team.id)
    editor = TeamEditor(Session(store, Project, project.id))
    assert editor.team.id == team.id and people(editor.team) == [("P", "principal")]
    assert "No teacher voice yet" in editor.voices.value
    assert "A design team is usually four to eight people" in editor.voices.value


def test_a_closed_editor_no_longer_follows_the_team(editor, project_store):
    store = project_store[0]
    teammate = Session(store, Team, editor.team.id, "Ben")
    voices, rows = editor.voices.value, len(editor.members_box.children)
    editor.close()
    teammate.edit(lambda t: t.members.append(Member(name="Dee", role="student")))
    assert editor.session.refresh() is True  # the session still hears of it ...
    assert (editor.voices.value, len(editor.members_box.children)) == (voices, rows)  # ... the view does not


def test_a_double_click_on_remove_asks_and_removes_nothing(clock):
    removed = []
    button = ConfirmButton("Remove", "Really remove?", lambda: removed.append(1))
    button.click()
    button.click()  # the second click of a double-click
    assert removed == [] and button.description == "Really remove?"
    clock.wait()
    button.click()
    assert removed == [1] and button.description == "Remove"

"""A Session autosaves every edit and never loses a concurrent one silently."""

import datetime as dt

import pytest

from ciwidgets.model import Cause, Measure, Observation, Project


def add_cause(text, category=0):
    def change(project):
        project.fishbone.causes.append(Cause(category_id=project.fishbone.categories[category].id, text=text))
    return change


def reword(text):
    def change(project):
        project.fishbone.causes[0].text = text
    return change


def test_an_edit_is_saved_at_once(project_session, project_store):
    store, _, project = project_store
    result = project_session.edit(add_cause("Attendance"), what="added a cause")
    assert result.status == "saved" and result.ok
    stored, revision = store.load(Project, project.id)
    assert [c.text for c in stored.fishbone.causes] == ["Attendance"]
    assert revision == project_session.revision
    assert store.history(project.id)[0].message == "added a cause"
    assert store.history(project.id)[0].author == "Ana"


def test_invalid_input_saves_nothing_and_says_why(project_session, project_store):
    store, _, project = project_store
    seen = []
    project_session.observe(lambda s: seen.append(s.last.status))

    def bad(project):
        project.observations.append(Observation(measure_id="me-nothing", date=dt.date(2026, 1, 5), value=3))

    result = project_session.edit(bad)
    assert result.status == "invalid" and not result.ok
    assert "belongs to a measure that does not exist" in result.message
    assert project_session.doc.observations == [] and store.head(project.id) == 1
    assert seen == ["invalid"]


def test_an_edit_that_changes_nothing_writes_no_revision(project_session, project_store):
    store, _, project = project_store
    assert project_session.edit(lambda p: None).status == "unchanged"
    assert store.head(project.id) == 1


def test_two_browsers_adding_causes_both_keep_theirs(project_session, second_session):
    project_session.edit(add_cause("Ana's"))
    result = second_session.edit(add_cause("Ben's"))
    assert result.status == "merged"
    assert [c.text for c in second_session.doc.fishbone.causes] == ["Ana's", "Ben's"]
    assert project_session.refresh() is True
    assert [c.text for c in project_session.doc.fishbone.causes] == ["Ana's", "Ben's"]
    assert project_session.refresh() is False


def test_the_same_cause_edited_in_two_browsers_is_shown_and_can_be_kept(project_session, second_session, project_store):
    store, _, project = project_store
    project_session.edit(add_cause("Attendance"))
    second_session.refresh()

    project_session.edit(reword("Attendance in winter"))
    redraws = []
    second_session.observe(lambda s: redraws.append(s.doc.fishbone.causes[0].text))
    result = second_session.edit(reword("Attendance on Mondays"))
    assert result.status == "conflict"
    assert "the cause 'Attendance'" in result.message and "Keep mine" in result.message
    assert second_session.doc.fishbone.causes[0].text == "Attendance in winter"  # theirs shown
    assert second_session.conflict.mine.fishbone.causes[0].text == "Attendance on Mondays"  # mine kept aside
    assert redraws == ["Attendance in winter"]
    project_session.refresh()
    project_session.edit(lambda p: setattr(p, "equity_focus", "Multilingual families"))  # meanwhile, elsewhere
    second_session.keep_mine()
    kept = store.load(Project, project.id)[0]
    assert kept.fishbone.causes[0].text == "Attendance on Mondays"
    assert kept.equity_focus == "Multilingual families"  # what they changed elsewhere stays
    assert second_session.conflict is None


def test_editing_what_a_teammate_deleted_says_deleted_and_keep_mine_brings_it_back(
        project_session, second_session, project_store):
    store, _, project = project_store
    measure = Measure(name="Exit-ticket mastery")
    observation = Observation(measure_id=measure.id, date=dt.date(2026, 3, 23), value=40)
    assert project_session.edit(lambda p: (p.measures.append(measure), p.observations.append(observation))).ok
    second_session.refresh()
    project_session.edit(lambda p: p.observations.clear())  # Ana deletes it
    result = second_session.edit(lambda p: setattr(p.observations[0], "value", 44))  # Ben, on his old page
    assert result.status == "conflict"
    assert result.message == ("Someone else deleted the observation of 23 Mar 2026 at the same time. "
                              "Yours is kept aside — choose 'Keep mine' to bring it back with your change.")
    second_session.keep_mine()
    assert [o.value for o in store.load(Project, project.id)[0].observations] == [44]


def test_keep_mine_brings_back_what_my_edit_needs_and_keeps_their_other_changes(
        project_session, second_session, project_store):
    store, _, project = project_store
    project_session.edit(add_cause("Attendance"))
    second_session.refresh()
    cause_id = project_session.doc.fishbone.causes[0].id

    def delete_it_and_write_the_equity_focus(p):
        p.fishbone.causes.clear()
        p.equity_focus = "Multilingual families"

    project_session.edit(delete_it_and_write_the_equity_focus)

    def add_a_sub_cause(p):
        p.fishbone.causes.append(Cause(category_id=p.fishbone.categories[0].id, text="Buses", parent_id=cause_id))

    result = second_session.edit(add_a_sub_cause)
    assert result.status == "conflict"
    assert result.message.startswith("Someone else changed this at the same time. The two versions do not fit "
                                     "together: ")  # a sentence, then why
    assert result.message.endswith("Their version is shown; yours is kept aside — choose 'Keep mine' to use "
                                   "yours instead.")
    second_session.keep_mine()
    kept = store.load(Project, project.id)[0]
    assert [(c.text, c.parent_id) for c in kept.fishbone.causes] == [("Attendance", None), ("Buses", cause_id)]
    assert kept.equity_focus == "Multilingual families"


def test_a_failing_view_does_not_stop_the_others(project_session):
    seen = []
    project_session.observe(lambda s: 1 / 0)
    project_session.observe(lambda s: seen.append(len(s.doc.fishbone.causes)))
    project_session.edit(add_cause("x"))
    assert seen == [1]


def test_a_chart_redraws_before_the_lists_of_the_page(project_session):
    order = []
    project_session.observe(lambda s: order.append("list"))
    project_session.observe(lambda s: order.append("chart"), first=True)
    project_session.observe(lambda s: order.append("form"))
    project_session.edit(add_cause("x"))
    assert order == ["chart", "list", "form"]


def picture_of_causes(session, store, project):
    """A picture observer that records, per redraw, the causes it drew and whether the
    store held them yet."""
    drawn = []

    def draw(s):
        stored = store.load(Project, project.id)[0]
        drawn.append(([c.text for c in s.doc.fishbone.causes], s.doc == stored))
    session.observe(draw, first=True)
    return drawn


def test_a_picture_draws_a_valid_edit_once_before_the_store_has_it(project_session, project_store):
    store, _, project = project_store
    drawn = picture_of_causes(project_session, store, project)
    statuses = []
    project_session.observe(lambda s: statuses.append((s.last.status, s.doc == store.load(Project, project.id)[0])))
    assert project_session.edit(add_cause("Attendance")).status == "saved"
    assert drawn == [(["Attendance"], False)]  # drawn before it was stored, and not again after
    assert statuses == [("saved", True)]  # the other views hear of it once it is stored


def test_a_picture_never_draws_an_invalid_edit(project_session, project_store):
    store, _, project = project_store
    drawn = picture_of_causes(project_session, store, project)

    def bad(p):
        add_cause("Attendance")(p)
        p.observations.append(Observation(measure_id="me-nothing", date=dt.date(2026, 1, 5), value=3))

    assert project_session.edit(bad).status == "invalid"
    assert drawn == [([], True)]  # redrawn with the status line, from what is stored


def test_a_picture_shows_theirs_after_a_conflict(project_session, second_session, project_store):
    store, _, project = project_store
    project_session.edit(add_cause("Attendance"))
    second_session.refresh()
    project_session.edit(lambda p: setattr(p.fishbone.causes[0], "text", "Attendance in winter"))
    drawn = picture_of_causes(second_session, store, project)
    result = second_session.edit(lambda p: setattr(p.fishbone.causes[0], "text", "Attendance on Mondays"))
    assert result.status == "conflict"
    assert drawn == [(["Attendance on Mondays"], False), (["Attendance in winter"], True)]


def test_a_picture_goes_back_when_the_store_breaks_down(project_session, project_store, monkeypatch):
    store, _, project = project_store
    drawn = picture_of_causes(project_session, store, project)

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "save", broken)
    with pytest.raises(OSError):
        project_session.edit(add_cause("Attendance"))
    monkeypatch.undo()
    assert drawn[-1] == ([], True) and project_session.doc.fishbone.causes == []


def test_the_team_comes_with_the_session(project_session, project_store):
    _, team, _ = project_store
    assert project_session.team == team


def test_a_version_kept_aside_survives_my_next_edit_until_i_choose(project_session, second_session, project_store):
    from ciwidgets.widgets.common import SaveStatus

    store, _, project = project_store
    project_session.edit(add_cause("Attendance"))
    second_session.refresh()

    project_session.edit(reword("Attendance in winter"))
    assert second_session.edit(reword("Attendance on Mondays")).status == "conflict"
    status = SaveStatus(second_session)
    assert second_session.edit(add_cause("Buses run late")).status == "saved"  # going on with other work
    assert second_session.conflict is not None  # mine is still there to choose
    assert "Your version of the cause 'Attendance' is still kept aside: 'Keep mine' uses it." in (
        status.line.value.replace("&#x27;", "'"))
    second_session.keep_mine()
    kept = store.load(Project, project.id)[0]
    assert [c.text for c in kept.fishbone.causes] == ["Attendance on Mondays", "Buses run late"]

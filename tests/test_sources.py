"""What others have learned (research, other schools, settings like ours), used the way
a team member uses it: type a title and press Enter, say what they found, add a link,
take a learning another school shared, ground a cause on the fishbone with it. Each
test checks what the session holds and what a fresh load from the store holds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciwidgets.analysis import rootcause as rc
from ciwidgets.analysis.principles import phase_progress, track_principles
from ciwidgets.api.frames import network_frames
from ciwidgets.model import (
    Network,
    Project,
    SharedLearning,
    Source,
    canonical_code,
    new_join_code,
    validated,
)
from ciwidgets.model.errors import ModelError
from ciwidgets.model.understand import web_address
from ciwidgets.session import Session
from ciwidgets.store.testing import full_disk
from ciwidgets.widgets.fishbone import FishboneEditor
from ciwidgets.widgets.sources import SourcesLog

from .properties import examples
from .test_widgets_rootcause import pick, stored, type_in


@pytest.fixture
def store(project_store):
    return project_store[0]


def titles(project: Project) -> list[str]:
    return [s.title for s in project.sources]


# -- the model ---------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, kept", [
    ("https://ies.ed.gov/ncee/wwc/PracticeGuides", "https://ies.ed.gov/ncee/wwc/PracticeGuides"),
    ("www.example.org/study", "https://www.example.org/study"),  # as people paste it
    ("library.example.org:8080/outreach", "https://library.example.org:8080/outreach"),
    ("", ""),
])
def test_a_web_link_is_kept_and_a_bare_address_becomes_https(typed, kept):
    assert validated(Source, {"title": "A study", "link": typed}).link == kept


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>",
                                   "ftp://files.example.org/a", "see the binder", "http://localhost"])
def test_a_link_that_is_not_a_web_address_is_refused_in_words(typed):
    with pytest.raises(ModelError) as refused:
        validated(Source, {"title": "A study", "link": typed})
    assert refused.value.messages == [
        f"Link must be a web address such as https://www.example.org (not {typed!r})."]


def test_a_source_needs_a_title():
    with pytest.raises(ModelError) as refused:
        validated(Source, {"title": "   "})
    assert refused.value.messages == ["Title needs a few words."]


# -- the view ----------------------------------------------------------------------------------
def test_a_source_typed_and_entered_is_saved_listed_and_chosen_for_what_they_found(project_session, store):
    log = SourcesLog(project_session)
    assert "Nothing yet" in log.shelf.value
    assert log.source_box.layout.display == "none"
    pick(log.new_kind, "setting")
    type_in(log.new_title, "A clinic's morning huddle")
    assert titles(stored(store, project_session)) == ["A clinic's morning huddle"]
    assert log.new_title.value == ""
    assert log.source_box.layout.display != "none"
    assert (log.title.value, log.kind.value) == ("A clinic's morning huddle", "setting")
    type_in(log.finding, "They look at yesterday's numbers every morning.")
    type_in(log.link, "www.example.org/huddle")
    source = stored(store, project_session).sources[0]
    assert (source.kind, source.finding, source.link) == (
        "setting", "They look at yesterday's numbers every morning.", "https://www.example.org/huddle")
    assert "They look at yesterday&#x27;s numbers every morning." in log.shelf.value
    assert 'href="https://www.example.org/huddle" target="_blank" rel="noopener noreferrer"' in log.shelf.value
    assert log.link.value == "https://www.example.org/huddle"  # shown as it is kept
    latest = store.history(project_session.doc.id)[0]
    assert latest.message == "changed a source"


def test_a_bad_link_is_refused_with_the_reason_and_the_saved_one_shown_again(project_session, store):
    log = SourcesLog(project_session)
    type_in(log.new_title, "A study")
    type_in(log.link, "https://example.org/study")
    before = store.head(project_session.doc.id)
    type_in(log.link, "javascript:alert(document.cookie)")
    assert store.head(project_session.doc.id) == before  # nothing saved
    assert stored(store, project_session).sources[0].link == "https://example.org/study"
    assert log.link.value == "https://example.org/study"
    assert "must be a web address" in log.feedback.value


def test_a_source_without_a_title_is_refused_in_words(project_session, store):
    log = SourcesLog(project_session)
    log.add_button.click()
    assert "A source needs a title" in log.new_feedback.value
    type_in(log.new_title, "A study")
    type_in(log.title, "  ")
    assert "A source needs a title" in log.feedback.value
    assert log.title.value == "A study"
    assert titles(stored(store, project_session)) == ["A study"]


def test_picking_a_source_fills_the_form_and_edits_go_to_it(project_session, store):
    log = SourcesLog(project_session)
    type_in(log.new_title, "A study")
    type_in(log.new_title, "Another school")
    first = project_session.doc.sources[0].id
    pick(log.source_list, first)
    assert log.title.value == "A study"
    pick(log.kind, "school")
    type_in(log.title, "Eagle Elementary")
    assert [(s.kind, s.title) for s in stored(store, project_session).sources] == [
        ("school", "Eagle Elementary"), ("research", "Another school")]


def test_hostile_text_and_links_stay_text(project_session):
    log = SourcesLog(project_session)
    type_in(log.new_title, "<script>alert(1)</script> & co")
    type_in(log.finding, "<img src=x onerror=alert(1)>")
    type_in(log.link, 'https://example.org/"><script>alert(2)</script>')
    shelf = log.shelf.value
    assert "<script>" not in shelf and "<img" not in shelf
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in shelf
    assert 'href="https://example.org/&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in shelf


def test_removing_a_source_asks_once_more_and_keeps_the_evidence_taken_from_it(project_session, store):
    log = SourcesLog(project_session)
    type_in(log.new_title, "Practice guide")
    type_in(log.finding, "Teach math vocabulary on purpose.")
    fishbone = FishboneEditor(project_session)
    type_in(fishbone.add_text, "Math vocabulary is a barrier")
    pick(fishbone.cause_list, project_session.doc.fishbone.causes[0].id)
    labels = [label for label, _ in fishbone.evidence_pick.options]
    assert labels == ["Research: Practice guide: Teach math vocabulary on purpose."]
    fishbone.evidence_attach.click()
    evidence = stored(store, project_session).fishbone.causes[0].evidence
    assert [(e.kind, e.text, e.source_id) for e in evidence] == [
        ("source", "Practice guide: Teach math vocabulary on purpose.", project_session.doc.sources[0].id)]
    assert "evidence for 1 cause" in log.shelf.value

    log.remove.click()
    assert titles(stored(store, project_session)) == ["Practice guide"]  # only asked
    log.remove.click()
    project = stored(store, project_session)
    assert titles(project) == []
    assert [(e.text, e.source_id) for e in project.fishbone.causes[0].evidence] == [
        ("Practice guide: Teach math vocabulary on purpose.", None)]
    assert log.source_box.layout.display == "none"
    assert "Removed the source" in log.new_feedback.value


def test_a_failed_save_keeps_the_typed_title_to_try_again(project_session, store):
    log = SourcesLog(project_session)
    with full_disk(store):
        type_in(log.new_title, "A study")
    assert titles(stored(store, project_session)) == []
    assert log.new_title.value == "A study"
    log.add_button.click()
    assert titles(stored(store, project_session)) == ["A study"]


def test_two_people_adding_at_once_keep_both(project_store):
    shared, _team, project = project_store
    ana = SourcesLog(Session(shared, Project, project.id, author="Ana"))
    ben = SourcesLog(Session(shared, Project, project.id, author="Ben"))
    type_in(ana.new_title, "A study")
    type_in(ben.new_title, "A clinic's huddle")
    assert sorted(titles(shared.load(Project, project.id)[0])) == ["A clinic's huddle", "A study"]
    assert "A study" in ben.shelf.value  # merged in, and listed


# -- from the network --------------------------------------------------------------------------
def test_a_learning_another_school_shared_becomes_a_source_once(fresh_demo_network):
    store, network, teams = fresh_demo_network
    eagle = Session.for_team(store, teams["Eagle"], author="Kim")
    log = SourcesLog(eagle)
    fox_learning = next(s for s in network.shared_learnings if s.team_id == teams["Fox"].id)
    assert log.network_box in log.children
    assert [label for label, _ in log.learning_pick.options] == [f"Fox Elementary: {fox_learning.title}"]
    log.take.click()
    source = store.current_project(teams["Eagle"].id).sources[-1]
    assert fox_learning.title.startswith("Fox:")  # named already: not "Fox Elementary: Fox: …"
    assert (source.kind, source.title, source.finding, source.learning_id) == (
        "school", fox_learning.title, fox_learning.text, fox_learning.id)
    assert "shared in the network" in log.shelf.value
    assert log.title.value == source.title  # chosen, to say what it tells Eagle
    log.take.click()
    assert "already among what others have learned" in log.network_feedback.value
    assert len(store.current_project(teams["Eagle"].id).sources) == len(eagle.doc.sources)


def test_a_school_is_not_offered_its_own_learnings(fresh_demo_network):
    store, _network, teams = fresh_demo_network
    log = SourcesLog(Session.for_team(store, teams["Fox"]))  # Fox shared the only learning
    assert log.network_box is None


def test_source_from_learning_refuses_a_copy():
    project = Project(team_id="t-1")
    learning = SharedLearning(team_id="t-2", date="2026-10-01", title="Volunteers first", text="It built trust.")
    rc.source_from_learning(project, learning, "Eagle Elementary")
    with pytest.raises(rc.RootCauseError, match="already"):
        rc.source_from_learning(project, learning, "Eagle Elementary")
    assert titles(project) == ["Eagle Elementary: Volunteers first"]  # which school, where it does not say


# -- what reads them ---------------------------------------------------------------------------
def test_sources_are_evidence_of_looking_before_digging(fresh_demo_network):
    store, network, teams = fresh_demo_network
    team = teams["Eagle"]
    project = store.current_project(team.id)
    item = "What research or other schools have learned"

    def looked() -> tuple[bool, tuple[str, ...]]:
        items = {i.label: i.done for i in phase_progress(project, team)[1].items}
        return items[item], track_principles(project, team, network)["user_centered"].evidence

    done, evidence = looked()
    assert not done and not any("What others have learned" in e for e in evidence)
    project.sources += [Source(kind="research", title="A study"), Source(kind="setting", title="A clinic")]
    done, evidence = looked()
    assert done
    assert "What others have learned: 1 piece of research and 1 setting like ours" in evidence


def test_researchers_get_a_sources_table(demo_network):
    store, network, teams = demo_network
    sources = network_frames(store, network.id)["sources"]
    fox = store.current_project(teams["Fox"].id)
    assert list(sources.title) == [s.title for s in fox.sources]
    assert set(sources.kind) == {"research", "setting"}
    assert not sources.from_network.any()
    assert sources.project_id.isin(network_frames(store, network.id)["causes"].project_id).all()


def test_a_project_from_before_sources_imports_unchanged():
    old = Project(team_id="t-1").model_dump(mode="json")
    del old["sources"]
    assert validated(Project, old).sources == []
    assert Network(name="n").shared_learnings == []


def test_learning_from_another_school_is_half_of_networking(fresh_demo_network):
    store, network, teams = fresh_demo_network
    team = teams["Eagle"]
    project = store.current_project(team.id)
    before = track_principles(project, team, network)["networks"]
    assert before.status == "not yet"
    learning = next(s for s in network.shared_learnings if s.team_id == teams["Fox"].id)
    rc.source_from_learning(project, learning, "Fox Elementary")
    after = track_principles(project, team, network)["networks"]
    assert after.status == "partly"  # met once Eagle shares something back
    assert f"Took 1 learning another school shared into what you learn from, latest “{learning.title}”" \
        in after.evidence


# -- properties --------------------------------------------------------------------------------
@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=80))
def test_whatever_is_typed_a_kept_link_is_a_web_address_or_nothing(typed):
    try:
        link = web_address(typed.strip())
    except ValueError:
        return
    assert link == "" or link.lower().startswith(("http://", "https://"))
    assert not any(c.isspace() for c in link)


@settings(max_examples=examples(100), deadline=None)
@given(st.data())
def test_a_join_code_typed_any_way_is_the_code(data):
    code = new_join_code()
    bare = code.replace("-", "")
    cuts = sorted(data.draw(st.sets(st.integers(1, len(bare) - 1), max_size=4)))
    parts = [bare[i:j] for i, j in zip([0, *cuts], [*cuts, len(bare)], strict=True)]
    gap = data.draw(st.sampled_from([" ", "-", "  ", " - ", "."]))
    typed = gap.join(parts)
    typed = typed.upper() if data.draw(st.booleans()) else typed
    assert canonical_code(f" {typed} ") == code


# -- trying it here --------------------------------------------------------------------------
def test_a_source_is_tried_here_as_a_change_idea_in_the_teams_words(project_session, store):
    from ciwidgets.widgets.drivers import DriverDiagramEditor

    log = SourcesLog(project_session)
    type_in(log.new_title, "A clinic's ten-minute morning huddle")
    type_in(log.idea, "A ten-minute data huddle on Monday mornings")
    idea = stored(store, project_session).driver_diagram.change_ideas[0]
    source = stored(store, project_session).sources[0]
    assert (idea.text, idea.source_id, idea.secondary_ids) == (
        "A ten-minute data huddle on Monday mornings", source.id, [])
    assert log.idea.value == ""
    assert "link it to the driver it would move" in log.feedback.value
    assert "Tried here as “A ten-minute data huddle on Monday mornings”" in log.tried.value
    assert "tried here as 1 change idea" in log.shelf.value
    theory = DriverDiagramEditor(project_session)
    row = theory.rows[idea.id]
    assert "Borrowed from A clinic&#x27;s ten-minute morning huddle" in row.note.value

    log.remove.click()
    log.remove.click()  # the idea stays, no longer borrowed from anything
    project = stored(store, project_session)
    assert [(x.text, x.source_id) for x in project.driver_diagram.change_ideas] == [
        ("A ten-minute data huddle on Monday mornings", None)]
    assert "Borrowed from" not in theory.rows[idea.id].note.value

"""The store: revisions, restore, optimistic concurrency, codes — on SQLite and PostgreSQL."""

import datetime as dt

import pytest

from ciwidgets.model import Cause, Member, Network, Project, Team
from ciwidgets.serve.process import free_port
from ciwidgets.store import Conflict, NotFound, Store, StoreError, Unavailable
from ciwidgets.store.testing import full_disk


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        store = Store(tmp_path / "store.db")
    else:
        store = Store(request.getfixturevalue("fresh_postgres_url"))
    yield store
    store.close()


@pytest.fixture
def team_project(store):
    network = store.create(Network(name="Riverside")).doc
    team = store.create(Team(network_id=network.id, name="Fox", members=[Member(name="Ana")])).doc
    project = store.create(Project(team_id=team.id, title="Math")).doc
    return team, project


def add_cause(project, text, category=0):
    edited = project.model_copy(deep=True)
    edited.fishbone.causes.append(Cause(category_id=edited.fishbone.categories[category].id, text=text))
    return edited


def test_a_saved_project_loads_back_equal(store, team_project):
    _, project = team_project
    edited = add_cause(project, "Attendance drops in winter")
    saved = store.save(edited, 1, author="Ana", message="added a cause")
    loaded, revision = store.load(Project, project.id)
    assert loaded == edited and revision == saved.revision == 2


def test_every_save_is_a_revision_that_can_be_listed_and_restored(store, team_project):
    _, project = team_project
    v2 = store.save(add_cause(project, "first"), 1, author="Ana", message="first cause")
    v3 = store.save(add_cause(v2.doc, "second"), 2, author="Ben", message="second cause")
    history = store.history(project.id)
    assert [(r.number, r.author, r.message) for r in history] == [
        (3, "Ben", "second cause"), (2, "Ana", "first cause"), (1, "", "created")]
    assert history[0].saved_at >= history[-1].saved_at
    restored = store.restore(Project, project.id, 2, author="Cy")
    assert restored.revision == 4
    current, _ = store.load(Project, project.id)
    assert [c.text for c in current.fishbone.causes] == ["first"]
    assert store.load_revision(Project, project.id, 3) == v3.doc  # history is kept


def test_a_stale_save_merges_changes_to_other_entities(store, team_project):
    _, project = team_project
    store.save(add_cause(project, "Ana's cause"), 1, author="Ana")
    saved = store.save(add_cause(project, "Ben's cause", 1), 1, author="Ben")
    assert saved.merged and saved.revision == 3
    current, _ = store.load(Project, project.id)
    assert sorted(c.text for c in current.fishbone.causes) == ["Ana's cause", "Ben's cause"]


def test_a_stale_save_of_the_same_entity_raises_a_conflict_with_both_versions(store, team_project):
    _, project = team_project
    base = store.save(add_cause(project, "Attendance"), 1).doc
    ana, ben = base.model_copy(deep=True), base.model_copy(deep=True)
    ana.fishbone.causes[0].text = "Attendance in winter"
    ben.fishbone.causes[0].text = "Attendance on Mondays"
    store.save(ana, 2, author="Ana")
    with pytest.raises(Conflict) as info:
        store.save(ben, 2, author="Ben")
    conflict = info.value
    assert conflict.mine.fishbone.causes[0].text == "Attendance on Mondays"
    assert conflict.theirs.fishbone.causes[0].text == "Attendance in winter"
    assert "the cause 'Attendance'" in str(conflict)
    current, revision = store.load(Project, project.id)
    assert revision == 3 and current.fishbone.causes[0].text == "Attendance in winter"


def test_overwrite_is_a_deliberate_new_revision(store, team_project):
    _, project = team_project
    store.save(add_cause(project, "theirs"), 1)
    saved = store.overwrite(add_cause(project, "mine"), author="Ben", message="kept mine")
    assert saved.revision == 3
    assert [c.text for c in store.load(Project, project.id)[0].fishbone.causes] == ["mine"]


def test_invalid_documents_are_never_stored(store, team_project):
    _, project = team_project
    broken = project.model_copy(deep=True)
    broken.fishbone.causes.append(Cause(category_id="k-nowhere", text="lost"))
    with pytest.raises(ValueError, match="fishbone category that does not exist"):
        store.save(broken, 1)
    assert store.head(project.id) == 1


def test_join_codes_open_their_team_and_nothing_else(store, team_project):
    team, _ = team_project
    network = store.networks()[0]
    assert store.by_code(team.join_code) == team
    assert store.by_code(f"  {team.join_code.upper()} ") == team
    bare = team.join_code.replace("-", "")
    for typed in (bare, bare.upper(), f"{bare[:4]} {bare[4:8]} {bare[8:]}", f"{bare[:5]}-{bare[5:]}"):
        assert store.by_code(typed) == team, typed  # as typed from a printed card
    assert store.by_code(network.hub_code) == network
    assert store.by_code("") is None and store.by_code("nope-nope-no") is None
    assert store.by_code(bare[:-1]) is None  # a letter short opens nothing


def test_an_imported_code_of_any_shape_still_opens_its_team(store, team_project):
    team, _ = team_project
    made = store.create(Team(network_id=team.network_id, name="Oak", join_code="abcdefghjk")).doc
    assert store.by_code("ABCDEFGHJK") == made  # not taken for abcd-efgh-jk


def test_a_code_cannot_be_used_twice(store, team_project):
    team, _ = team_project
    with pytest.raises(StoreError, match="already used"):
        store.create(Team(network_id=team.network_id, name="Copycat", join_code=team.join_code))
    assert [t.name for t in store.teams(team.network_id)] == ["Fox"]


def test_unknown_documents_and_revisions_are_explained(store, team_project):
    _, project = team_project
    with pytest.raises(NotFound, match="No project with the id 'pj-missing'"):
        store.load(Project, "pj-missing")
    with pytest.raises(NotFound, match="no revision 9"):
        store.load_revision(Project, project.id, 9)
    with pytest.raises(StoreError, match="Revision 7 of this project does not exist"):
        store.save(project, 7)


def test_current_project_is_created_for_a_new_team(store, team_project):
    team, project = team_project
    assert store.current_project(team.id) == project
    newcomer = store.create(Team(network_id=team.network_id, name="Heron")).doc
    fresh = store.current_project(newcomer.id)
    assert fresh.team_id == newcomer.id and store.projects(newcomer.id) == [fresh]


def test_a_second_project_for_the_same_year_does_not_hide_the_teams_work(store, team_project):
    team, project = team_project
    store.create(Project(team_id=team.id, title=""))  # say, a diagram built from code
    assert store.current_project(team.id) == project
    start = int(project.school_year[:4])
    ahead = store.create(Project(team_id=team.id, title="Math, next year",
                                 school_year=f"{start + 1}-{(start + 2) % 100:02d}")).doc
    assert store.current_project(team.id) == project  # stored ahead: this year's work stays current
    assert store.find_current_project(team.id, today=dt.date(start + 1, 9, 1)) == ahead  # until its year begins
    assert store.find_current_project(team.id, today=dt.date(start + 5, 9, 1)) == ahead  # and after


def test_a_project_or_team_of_nothing_stored_is_refused_and_nothing_is_stored(store, team_project):
    before = store.counts()
    with pytest.raises(StoreError, match="No team with the id 't-local' is stored here"):
        store.create(Project(team_id="t-local", title="Orphan"))
    with pytest.raises(StoreError, match="No network with the id 'n-gone'"):
        store.create(Team(network_id="n-gone", name="Kestrel"))
    assert store.counts() == before


def test_a_database_password_is_never_shown_when_the_store_is_named():
    from ciwidgets.store.db import redacted

    url = "postgresql+psycopg://ciwidgets:s3cret@db.example.org:5432/ciwidgets"
    assert redacted(url) == "postgresql+psycopg://ciwidgets:***@db.example.org:5432/ciwidgets"
    assert redacted("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_a_failing_disk_stores_nothing_says_so_in_words_and_logs_the_details(tmp_path, caplog):
    store = Store(tmp_path / "store.db")
    network = store.create(Network(name="Riverside")).doc
    renamed = network.model_copy(update={"name": "Riverside NIC"})
    with full_disk(store), pytest.raises(StoreError) as failed:
        store.save(renamed, 1)
    assert isinstance(failed.value, Unavailable)
    assert "was not saved" in str(failed.value) and "disk" not in str(failed.value)
    assert "database or disk is full" in caplog.text  # the details, for the server's log
    assert store.load(Network, network.id) == (network, 1)  # nothing stored
    assert store.save(renamed, 1).revision == 2  # no transaction left open: the next save lands


def test_a_database_server_that_does_not_answer_is_said_in_words():
    url = f"postgresql+psycopg://ciwidgets:secret-word@127.0.0.1:{free_port()}/ciwidgets"
    with pytest.raises(StoreError, match="could not be reached") as failed:
        Store(url)
    assert "secret-word" not in str(failed.value) and "127.0.0.1" not in str(failed.value)

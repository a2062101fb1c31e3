"""The project format: byte-identical round trips, all-or-nothing imports."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ciwidgets.demo import build_demo
from ciwidgets.model import ModelError, Project, Team, new_join_code
from ciwidgets.store import (
    Store,
    StoreError,
    export_network,
    export_project,
    import_file,
    json_schema,
)
from ciwidgets.store.exchange import SCHEMA_PATH

from .properties import examples


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("demo") / "demo.db")
    network = build_demo(store)
    yield store, network, export_network(store, network.id)
    store.close()


def dump(store):
    """Every row of the store, to compare before and after."""
    with store.db.transaction() as tx:
        return (tx.rows("SELECT * FROM documents ORDER BY id"),
                tx.rows("SELECT * FROM revisions ORDER BY doc_id, number"))


def test_network_export_import_export_is_byte_identical(demo_export, tmp_path):
    _, network, text = demo_export
    fresh = Store(tmp_path / "fresh.db")
    import_file(fresh, text)
    assert export_network(fresh, network.id) == text


def test_reimporting_into_the_same_store_changes_nothing(demo_export, tmp_path):
    _, network, text = demo_export
    store = Store(tmp_path / "again.db")
    import_file(store, text)
    before = dump(store)
    import_file(store, text)
    assert dump(store) == before  # not even a revision
    assert export_network(store, network.id) == text


def test_an_older_file_never_replaces_newer_work_unless_asked(tmp_path):
    store = Store(tmp_path / "newer.db")
    network = build_demo(store)
    fox = next(t for t in store.teams(network.id) if t.name.startswith("Fox"))
    project = store.current_project(fox.id)
    old_file = export_project(store, project.id)
    newer = project.model_copy(update={"equity_focus": "Multilingual families"})
    store.save(newer, store.head(project.id), author="Ana")
    lost_card = fox.join_code
    fox = store.load(Team, fox.id)[0]
    store.save(fox.model_copy(update={"join_code": new_join_code()}), store.head(fox.id))  # a card was lost
    before = dump(store)
    with pytest.raises(StoreError, match="another version of the project 'Math for every Fox student'.*--replace"):
        import_file(store, old_file)
    assert dump(store) == before
    import_file(store, old_file, replace=True)
    replaced = store.load(Project, project.id)[0]
    assert replaced.equity_focus == project.equity_focus != "Multilingual families"
    assert store.load_revision(Project, project.id, store.head(project.id) - 1).equity_focus == "Multilingual families"
    assert store.by_code(lost_card) is None  # the old file does not bring the lost card's code back


def test_project_export_round_trip(demo_export, tmp_path):
    store, network, network_text = demo_export
    fox = next(t for t in store.teams(network.id) if t.name.startswith("Fox"))
    project = store.current_project(fox.id)
    text = export_project(store, project.id)
    data = json.loads(text)
    assert (data["format"], data["version"], data["kind"]) == ("ciwidgets", 1, "project")
    assert list(data) == sorted(data)
    other = Store(tmp_path / "other.db")
    import_file(other, network_text)
    import_file(other, text)
    assert export_project(other, project.id) == text


def test_a_project_needs_its_network(demo_export, tmp_path):
    store, network, _ = demo_export
    project = store.current_project(store.teams(network.id)[0].id)
    empty = Store(tmp_path / "empty.db")
    with pytest.raises(StoreError, match="import the network's file first"):
        import_file(empty, export_project(store, project.id))
    assert empty.counts() == {"revisions": 0}


HOSTILE = {
    "bad json": (b'{"format": "ciwidgets", "version": 1,', "not valid JSON (line 1"),
    "not text": (b"\xff\xfe\x00junk", "not text"),
    "not ours": (b'{"hello": "world"}', 'not a ciwidgets file'),
    "a list": (b"[1, 2, 3]", "not a ciwidgets file"),
    "future version": (b'{"format": "ciwidgets", "version": 2, "kind": "project"}', "format version 2"),
    "unknown kind": (b'{"format": "ciwidgets", "version": 1, "kind": "school"}', "'project' or 'network'"),
    "kind as a list": (b'{"format": "ciwidgets", "version": 1, "kind": []}', "'project' or 'network'"),
    "50 MB of junk": (b"x" * (50 * 1024 * 1024), "at most 20 MB"),
    "empty": (b" \n", "The file is empty"),
    "nested deeply": (b'{"format": "ciwidgets", "version": 1, "kind": "project", "project": '
                      + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_files_are_refused_and_the_store_is_untouched(case, demo_export, tmp_path):
    store = Store(tmp_path / "target.db")
    build_demo(store)
    before = dump(store)
    content, reason = HOSTILE[case]
    with pytest.raises(ModelError) as info:
        import_file(store, content)
    assert reason in str(info.value)
    assert dump(store) == before


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_a_number_json_cannot_hold_is_refused_not_dropped(number, demo_export, tmp_path):
    _, network, text = demo_export
    data = json.loads(text)
    fox = next(w for w in data["teams"] if w["team"]["name"].startswith("Fox"))
    assert fox["projects"][0]["aim"]["target"] == 35
    fox["projects"][0]["aim"]["target"] = "TARGET"  # JSON itself has no NaN; some writers put it in
    damaged = json.dumps(data).replace('"TARGET"', number)
    store = Store(tmp_path / "target.db")
    before = dump(store)
    with pytest.raises(ModelError, match="aim, target must be a finite number"):
        import_file(store, damaged)
    assert dump(store) == before


def test_invalid_values_deep_inside_are_named_and_nothing_is_imported(demo_export, tmp_path):
    _, network, text = demo_export
    data = json.loads(text)
    fox = next(w for w in data["teams"] if w["team"]["name"].startswith("Fox"))
    fox["projects"][0]["observations"][6]["date"] = "31/02/2026"
    data["teams"][-1]["team"]["name"] = "Last team, changed"  # would be imported before the error
    store = Store(tmp_path / "target.db")
    before = dump(store)
    with pytest.raises(ModelError) as info:
        import_file(store, json.dumps(data))
    assert "observation 7, date: '31/02/2026' is not a date" in str(info.value)
    assert dump(store) == before


def test_a_failure_halfway_through_writing_rolls_everything_back(demo_export, tmp_path):
    """The file is valid, but one team's code is taken in the target store: nothing lands."""
    store, network, text = demo_export
    target = Store(tmp_path / "target.db")
    data = json.loads(text)
    last_code = data["teams"][-1]["team"]["join_code"]
    from ciwidgets.model import Network, Team

    other = target.create(Network(name="Other network")).doc
    target.create(Team(network_id=other.id, name="Squatter", join_code=last_code))
    before = dump(target)
    with pytest.raises(StoreError, match="already used"):
        import_file(target, text)
    assert dump(target) == before


def test_the_shipped_schema_is_the_generated_one():
    assert json.loads(SCHEMA_PATH.read_text()) == json_schema()


def test_the_schema_accepts_an_export(demo_export):
    jsonschema = pytest.importorskip("jsonschema")
    _, _, text = demo_export
    jsonschema.validate(json.loads(text), json_schema())


def test_documents_keep_every_field_through_the_format(demo_export):
    store, network, text = demo_export
    data = json.loads(text)
    fox = next(w for w in data["teams"] if w["team"]["name"].startswith("Fox"))
    project = Project.model_validate(fox["projects"][0])
    assert project == store.current_project(fox["team"]["id"])
    assert len(project.pdsa_cycles) == 3 and project.pdsa_cycles[1].previous_cycle_id == project.pdsa_cycles[0].id


def paths_of(node, path=()):
    """Every place in a JSON tree, as a tuple of keys and indexes."""
    yield path
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from paths_of(child, (*path, key))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


class Target(Store):
    def __repr__(self) -> str:  # what a failing example prints: not the whole file path
        return "Target(the demo network)"


class Export(str):
    def __repr__(self) -> str:  # what a failing example prints: not the whole file
        return "Export(the demo network)"


@pytest.fixture(scope="module")
def target_store(tmp_path_factory):
    store = Target(tmp_path_factory.mktemp("target") / "target.db")
    build_demo(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def demo_file(demo_export):
    return Export(demo_export[2])


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_file_imports_whole_or_is_refused_in_words_leaving_the_store_as_it_was(
        demo_file, target_store, data):
    """Any one place of a real export replaced by any JSON value, or removed."""
    tree = json.loads(demo_file)
    places = list(paths_of(tree))[1:]
    *parents, last = data.draw(st.sampled_from(places), label="place")
    node = tree
    for key in parents:
        node = node[key]
    if data.draw(st.booleans(), label="remove"):
        del node[last]
    else:
        node[last] = data.draw(JSON_VALUES, label="value")
    before = dump(target_store)
    try:
        import_file(target_store, json.dumps(tree))
    except (ModelError, StoreError) as refused:
        assert str(refused).strip()
        assert dump(target_store) == before

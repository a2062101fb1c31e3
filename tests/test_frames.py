"""Researcher tables: one row per thing, ids that join, and spreadsheets that cannot
run a team's text as a formula."""

import csv
import zipfile

import pandas as pd
import pytest

from ciwidgets.api.frames import network_frames, neutralise, project_frames, write_tables
from ciwidgets.model import Cause, Measure, Project, Team
from ciwidgets.store import NotFound


def test_network_tables_stack_every_team_with_ids_that_join(demo_network):
    store, network, teams = demo_network
    frames = network_frames(store, network.id)
    assert {"observations", "measures", "pdsa_cycles", "predictions", "change_ideas", "drivers",
            "links", "causes", "interviews", "process_steps", "pulses"} <= set(frames)
    obs = frames["observations"]
    assert set(obs.team) == {"Fox Elementary", "Eagle Elementary"}  # the teams with data
    fox = store.current_project(teams["Fox"].id)
    assert (obs.team == "Fox Elementary").sum() == len(fox.observations)
    joined = obs.merge(frames["measures"], on=["project_id", "measure_id"], suffixes=("", "_m"))
    assert len(joined) == len(obs)  # every observation finds its measure
    cycles = frames["pdsa_cycles"].merge(frames["change_ideas"], on=["project_id", "change_idea_id"])
    assert len(cycles) == len(frames["pdsa_cycles"]) == 4
    assert frames["predictions"].cycle_id.isin(frames["pdsa_cycles"].cycle_id).all()
    assert set(frames["causes"].team_id) == {t.id for t in teams.values()}
    steps = frames["process_steps"]
    assert list(steps.step) == list(range(1, len(fox.process_map.steps) + 1))  # Fox mapped one process
    assert steps.breaks_down.sum() == sum(s.breaks_down for s in fox.process_map.steps) > 0


def test_subgroups_and_dates_come_through(demo_network):
    store, _, teams = demo_network
    obs = project_frames(store.current_project(teams["Fox"].id))["observations"]
    assert set(obs.subgroup.dropna()) == {"Multilingual learners", "English-only"}
    for _, rows in obs.groupby("measure_id"):
        assert rows.date.is_monotonic_increasing  # each measure's series in time order


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"])
def test_formula_like_text_is_neutralised(text):
    assert neutralise(text) == "'" + text
    assert neutralise("Attendance = low") == "Attendance = low"
    assert neutralise(-3.5) == -3.5  # numbers stay numbers


def test_written_csv_and_excel_cannot_run_formulas(fresh_demo_network, tmp_path):
    store, network, teams = fresh_demo_network
    project = store.current_project(teams["Heron"].id)
    hostile = project.model_copy(deep=True)
    hostile.fishbone.causes.append(Cause(category_id=hostile.fishbone.categories[0].id,
                                         text='=HYPERLINK("http://evil.example","click")'))
    store.save(hostile, store.head(project.id))
    frames = network_frames(store, network.id)
    write_tables(frames, tmp_path / "csv")
    with open(tmp_path / "csv" / "causes.csv", newline="") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in texts
    assert not any(t.startswith(("=", "+", "@")) for t in texts)
    [xlsx] = write_tables(frames, tmp_path / "xlsx", fmt="xlsx")
    causes = pd.read_excel(xlsx, sheet_name="causes")
    assert '=HYPERLINK("http://evil.example","click")' in set(causes.text)  # the words as typed …
    with zipfile.ZipFile(xlsx) as book:  # … stored as text: no sheet holds a formula
        sheets = [book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)
    assert (frames["causes"].text == '=HYPERLINK("http://evil.example","click")').any()  # frames keep the truth


def test_numbers_and_dates_keep_their_types_when_teams_are_stacked(demo_network):
    store, network, _ = demo_network
    frames = network_frames(store, network.id)  # two of the four teams have no data yet
    obs, cycles = frames["observations"], frames["pdsa_cycles"]
    assert pd.api.types.is_float_dtype(obs.value) and pd.api.types.is_datetime64_any_dtype(obs.date)
    assert pd.api.types.is_integer_dtype(cycles.cycle_number) and pd.api.types.is_integer_dtype(cycles.n_predictions)
    assert obs.date.dt.year.min() >= 2000
    assert obs.groupby("team").value.mean().dtype == float


def test_dates_are_written_as_dates(fresh_demo_network, tmp_path):
    store, network, _ = fresh_demo_network
    frames = network_frames(store, network.id)
    write_tables(frames, tmp_path)
    with open(tmp_path / "observations.csv", newline="") as f:
        first = next(csv.DictReader(f))
    assert len(first["date"]) == 10 and first["date"][4] == "-"  # 2026-09-07, no time of day


def test_an_unknown_format_is_explained(tmp_path):
    with pytest.raises(ValueError, match="csv or xlsx"):
        write_tables({}, tmp_path, fmt="pdf")


def test_every_school_year_can_be_stacked_and_reading_creates_nothing(fresh_demo_network):
    store, network, teams = fresh_demo_network
    fox = store.current_project(teams["Fox"].id)
    start = int(fox.school_year[:4])
    ahead = f"{start + 1}-{(start + 2) % 100:02d}"  # next school year, stored ahead
    next_year = Project(team_id=teams["Fox"].id, school_year=ahead, measures=[Measure(name="Attendance")])
    store.create(next_year)
    store.create(Team(network_id=network.id, name="Wren Elementary"))  # no project yet
    before = store.counts()

    current = network_frames(store, network.id)
    assert set(current["measures"][current["measures"].team == "Fox Elementary"].school_year) == {fox.school_year}
    assert "Wren Elementary" not in set(current["causes"].team)

    every = network_frames(store, network.id, all_years=True)
    fox_years = every["measures"][every["measures"].team == "Fox Elementary"]
    assert list(fox_years.drop_duplicates("project_id").school_year) == [fox.school_year, ahead]
    assert (every["observations"].project_id == fox.id).sum() == len(fox.observations)
    assert store.counts() == before  # no project was made for Wren


def test_an_excel_workbook_holds_any_text_a_team_pasted_and_shows_dates_as_dates(fresh_demo_network, tmp_path):
    store, network, teams = fresh_demo_network
    project = store.current_project(teams["Heron"].id)
    pasted = project.model_copy(deep=True)
    pasted.fishbone.causes.append(Cause(category_id=pasted.fishbone.categories[0].id,
                                        text="from a PDF\x07\x0b with a bell", evidence=[]))
    pasted.problem_statement = "long"
    store.save(pasted, store.head(project.id))
    frames = network_frames(store, network.id)
    frames["causes"].loc[0, "text"] = "x" * 40_000  # longer than a cell holds
    [xlsx] = write_tables(frames, tmp_path / "out", fmt="xlsx")
    causes = pd.read_excel(xlsx, sheet_name="causes")
    assert "from a PDF\ufffd\ufffd with a bell" in set(causes.text)
    cut = causes.text[0]
    assert len(cut) <= 32_767 and cut.endswith("[cut: 40,000 characters in all; the CSV tables hold the whole text]")
    import openpyxl
    sheet = openpyxl.load_workbook(xlsx)["observations"]
    header = [c.value for c in sheet[1]]
    date_cell = sheet.cell(row=2, column=header.index("date") + 1)
    assert date_cell.is_date and date_cell.number_format == "yyyy-mm-dd"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["ciwidgets.xlsx"]  # no partial file left


def test_a_failed_workbook_leaves_the_last_one_in_place(tmp_path, monkeypatch):
    import ciwidgets.api.frames as frames_module
    last_week = tmp_path / "ciwidgets.xlsx"
    last_week.write_bytes(b"last week's workbook")
    monkeypatch.setattr(frames_module, "_dates_as_dates", lambda sheet, df: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_tables({"observations": pd.DataFrame({"date": pd.to_datetime(["2026-09-07"])})}, tmp_path, fmt="xlsx")
    assert last_week.read_bytes() == b"last week's workbook" and [p.name for p in tmp_path.iterdir()] == ["ciwidgets.xlsx"]


def test_numbers_with_gaps_are_numbers_and_yes_no_with_gaps_booleans(demo_network):
    store, network, _ = demo_network
    frames = network_frames(store, network.id)
    assert pd.api.types.is_float_dtype(frames["measures"].target)
    assert pd.api.types.is_float_dtype(frames["observations"].denominator)
    assert str(frames["causes"].in_our_control.dtype) == "boolean"
    assert "school_year" in frames["causes"] and frames["causes"].school_year.notna().all()


def test_tables_of_a_network_not_stored_are_refused(demo_network):
    store, _, teams = demo_network
    for wrong in ("n-doesnotexist", teams["Fox"].id):
        with pytest.raises(NotFound, match="No network with the id"):
            network_frames(store, wrong)

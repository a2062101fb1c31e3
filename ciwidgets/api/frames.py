"""A project's or a whole network's work as tidy pandas tables, for researchers.

```python
from ciwidgets.store import Store
from ciwidgets.api.frames import network_frames, write_tables
frames = network_frames(Store("ciwidgets.db"), network_id)
frames["observations"].groupby(["team", "measure"]).value.median()
write_tables(frames, "out/", fmt="xlsx")   # no team's text runs as a formula (see write_tables)
```
One row per thing (observation, PDSA cycle, prediction, cause, driver, change idea,
measure, interview, pulse rating); every table carries `project_id` and `school_year`,
and network tables also `team_id` and `team`, so the ids join across tables.
`network_frames(..., all_years=True)` stacks every school year's project, not only the
current one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Network, Project

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


DATE_COLUMNS = ("date", "start_date", "end_date")  # pandas dates, so `.dt` and date ranges work
# What a team may leave out keeps its type (NaN or <NA> where missing), even in a table
# where no team gave one: not a column of objects mixing None and NaN.
OPTIONAL_NUMBERS = ("target", "denominator", "baseline_points")
OPTIONAL_FLAGS = ("in_our_control",)


def _frame(project: Project, rows: list[dict], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return tidy(pd.DataFrame(rows, columns=columns), project)


def tidy(df: pd.DataFrame, project: Project | None = None) -> pd.DataFrame:
    """`df` with dates as pandas dates, optional numbers and yes/no answers typed, and the
    project's id and school year in front."""
    import pandas as pd

    for column in df.columns:
        if column in DATE_COLUMNS:
            df[column] = pd.to_datetime(df[column])
        elif column in OPTIONAL_NUMBERS:
            df[column] = pd.to_numeric(df[column]).astype(float)
        elif column in OPTIONAL_FLAGS:
            df[column] = df[column].astype("boolean")
    if project is not None:
        df.insert(0, "school_year", project.school_year)
        df.insert(0, "project_id", project.id)
    return df


def observations_frame(project: Project) -> pd.DataFrame:
    """One row per observation, with its measure's name, kind and unit."""
    measures = {m.id: m for m in project.measures}
    rows = [
        dict(observation_id=o.id, measure_id=o.measure_id, measure=measures[o.measure_id].name,
             kind=measures[o.measure_id].kind, unit=measures[o.measure_id].unit, date=o.date,
             value=o.value, subgroup=o.subgroup, denominator=o.denominator, note=o.note)
        for o in sorted(project.observations, key=lambda o: (o.measure_id, o.date))
    ]
    return _frame(project, rows, ["observation_id", "measure_id", "measure", "kind", "unit", "date",
                                  "value", "subgroup", "denominator", "note"])


def pdsa_cycles_frame(project: Project) -> pd.DataFrame:
    """One row per PDSA cycle: its change idea, place in the ramp, plan and decision."""
    ideas = {x.id: x.text for x in project.driver_diagram.change_ideas}
    rows = [
        dict(cycle_id=y.id, change_idea_id=y.change_idea_id, change_idea=ideas.get(y.change_idea_id),
             cycle_number=y.cycle_number, question=y.question, scale=y.plan.scale,
             start_date=y.start_date, end_date=y.end_date, n_predictions=len(y.predictions),
             act=y.act, previous_cycle_id=y.previous_cycle_id, next_cycle_id=y.next_cycle_id)
        for y in project.pdsa_cycles
    ]
    return _frame(project, rows, ["cycle_id", "change_idea_id", "change_idea", "cycle_number", "question",
                                  "scale", "start_date", "end_date", "n_predictions", "act",
                                  "previous_cycle_id", "next_cycle_id"])


def predictions_frame(project: Project) -> pd.DataFrame:
    """One row per prediction of a PDSA cycle, with what the Study found."""
    rows = [
        dict(prediction_id=p.id, cycle_id=y.id, text=p.text, confidence=p.confidence, result=p.result,
             what_data_showed=p.what_data_showed)
        for y in project.pdsa_cycles for p in y.predictions
    ]
    return _frame(project, rows, ["prediction_id", "cycle_id", "text", "confidence", "result", "what_data_showed"])


def interviews_frame(project: Project) -> pd.DataFrame:
    """One row per empathy interview; quotes and themes joined with ' | '."""
    rows = [
        dict(interview_id=i.id, stakeholder_group=i.stakeholder_group, date=i.date, interviewer=i.interviewer,
             n_questions=len(i.questions), quotes=" | ".join(i.quotes), themes=" | ".join(i.themes))
        for i in project.interviews
    ]
    return _frame(project, rows, ["interview_id", "stakeholder_group", "date", "interviewer", "n_questions",
                                  "quotes", "themes"])


def sources_frame(project: Project) -> pd.DataFrame:
    """One row per source of what others have learned (research, another school, a
    setting like ours); `from_network` when another school shared it with the network."""
    rows = [dict(source_id=s.id, kind=s.kind, title=s.title, finding=s.finding, link=s.link,
                 from_network=s.learning_id is not None) for s in project.sources]
    return _frame(project, rows, ["source_id", "kind", "title", "finding", "link", "from_network"])


def process_steps_frame(project: Project) -> pd.DataFrame:
    """One row per step of the process map, in order (`step` counts from 1)."""
    process = project.process_map.process
    rows = [
        dict(step_id=s.id, process=process, step=n, text=s.text, who=s.who, breaks_down=s.breaks_down, why=s.why)
        for n, s in enumerate(project.process_map.steps, start=1)
    ]
    return _frame(project, rows, ["step_id", "process", "step", "text", "who", "breaks_down", "why"])


def pulses_frame(project: Project) -> pd.DataFrame:
    """One row per member's pulse rating (vitality and learning, 1–5)."""
    rows = [dict(pulse_id=u.id, date=u.date, member=u.member, vitality=u.vitality, learning=u.learning)
            for u in project.pulses]
    return _frame(project, rows, ["pulse_id", "date", "member", "vitality", "learning"])


def _builders() -> dict[str, Callable[[Project], pd.DataFrame]]:
    from .rootcause import causes_frame
    from .theory import change_ideas_frame, drivers_frame, measures_frame, theory_links_frame

    return {
        "observations": observations_frame,
        "measures": measures_frame,
        "pdsa_cycles": pdsa_cycles_frame,
        "predictions": predictions_frame,
        "change_ideas": change_ideas_frame,
        "drivers": drivers_frame,
        "links": theory_links_frame,
        "causes": causes_frame,
        "interviews": interviews_frame,
        "sources": sources_frame,
        "process_steps": process_steps_frame,
        "pulses": pulses_frame,
    }


def project_frames(project: Project) -> dict[str, pd.DataFrame]:
    """Every table of one project."""
    return {name: build(project) for name, build in _builders().items()}


def network_frames(store: Store, network_id: str, *, all_years: bool = False) -> dict[str, pd.DataFrame]:
    """Every table of every team's current project (with `all_years`, of all its
    projects, year by year), stacked, with `team_id` and `team`. Reading creates nothing:
    a team without a project adds no rows."""
    import pandas as pd

    from ..store import NotFound

    if store.kind_of(network_id) is not Network:
        raise NotFound(f"No network with the id {network_id!r} is stored here.")
    parts: dict[str, list[pd.DataFrame]] = {}
    for team in store.teams(network_id):
        chosen = (sorted(store.projects(team.id), key=lambda p: p.school_year) if all_years
                  else [store.find_current_project(team.id)])
        for project in filter(None, chosen):
            for name, df in project_frames(project).items():
                df.insert(0, "team", team.name)
                df.insert(0, "team_id", team.id)
                parts.setdefault(name, []).append(df)
    # A team with nothing in a table adds no rows, and its empty frame (every column of no
    # type) would turn numbers and dates into objects for the whole table.
    return {name: pd.concat([df for df in dfs if len(df)] or dfs[:1], ignore_index=True)
            for name, dfs in parts.items()}


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if df[c].dtype == object or str(df[c].dtype) in ("string", "str")]


def safe_for_spreadsheets(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells cannot run as formulas in Excel or LibreOffice."""
    return df.assign(**{column: df[column].map(neutralise) for column in _text_columns(df)})


def _keep_as_text(sheet) -> None:
    """openpyxl writes text that starts with '=' as a formula. The tables hold no formulas:
    such a cell is the team's text, and stays text, as typed (no quote added in a workbook)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def write_tables(frames: dict[str, pd.DataFrame], folder: str | Path, fmt: str = "csv") -> list[Path]:
    """Write each table as CSV files or one Excel workbook that no team's text can run in:
    in CSV, a text starting with = + - @ gets a leading quote (the usual defence; a CSV
    has no way to say "text"); in the workbook, text is stored as text, as typed."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"Tables can be written as csv or xlsx, not {fmt!r}.")
    if not frames:
        raise ValueError("There are no tables to write.")  # an Excel file of no sheet is corrupt
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        return [_write_workbook(frames, folder / "ciwidgets.xlsx")]
    paths = []
    for name, df in frames.items():
        path = folder / f"{name}.csv"
        safe_for_spreadsheets(df).to_csv(path, index=False)
        paths.append(path)
    return paths


EXCEL_CELL_LIMIT = 32_767  # characters Excel keeps in a cell


def _write_workbook(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    """The workbook, written beside `path` and moved there whole: a failure leaves no
    half-written file where last week's was."""
    import pandas as pd

    partial = path.with_name(f".{path.name}.partial")
    try:
        with pd.ExcelWriter(partial, engine="openpyxl") as writer:
            for name, df in frames.items():
                _for_excel(df).to_excel(writer, sheet_name=name[:31], index=False)
                sheet = writer.sheets[name[:31]]
                _keep_as_text(sheet)
                _dates_as_dates(sheet, df)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _for_excel(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with its text as a worksheet can hold it: characters no worksheet may contain
    (pasted control characters) become �, and text past Excel's limit is cut with a note
    that says so."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(value: object) -> object:
        if not isinstance(value, str):
            return value
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if len(value) > EXCEL_CELL_LIMIT:
            note = f" … [cut: {len(value):,} characters in all; the CSV tables hold the whole text]"
            value = value[: EXCEL_CELL_LIMIT - len(note)] + note
        return value

    return df.assign(**{column: df[column].map(cell) for column in _text_columns(df)})


def _dates_as_dates(sheet, df: pd.DataFrame) -> None:
    """Date columns shown as dates (2026-09-07), not with a time of day."""
    for position, column in enumerate(df.columns, start=1):
        if column in DATE_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                cell.number_format = "yyyy-mm-dd"

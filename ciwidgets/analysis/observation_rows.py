"""Reading a measure's data from what teams really have: a range pasted from a
spreadsheet, a CSV file, an Excel workbook.

Nothing here saves anything. Each reader returns a `ParsedRows` preview: the good
rows, every bad row with its row number and a reason a coach understands
("Row 7: '31/02/2026' is not a date"), rows already in the chart, and notices
about how the data was read (day/month order, decimal commas). The caller shows
it and imports only when the team chooses: fix the file, or import the good rows.

Columns: date, value, optional subgroup, optional denominator, either named in a
header row (in any order, common names understood) or in that order.

Pure: bytes and text in, plain data out (openpyxl is imported only for Excel).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

from ciwidgets.model import Observation

from .numbers import format_number
from .runchart import format_date
from .theory import is_percent

DateOrder = Literal["month first", "day first"]
Progress = Callable[[int, int], None]

#: Bounds that keep a wrong file (a year of log lines, a 200 MB export) from
#: freezing a meeting; far above what a team's measure holds.
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
MAX_SUBGROUP = 200
PROGRESS_EVERY = 500

COLUMNS = ("date", "value", "subgroup", "denominator")
_HEADER_WORDS = {
    "date": {"date", "day", "week", "week of", "week starting", "when", "month", "period", "time"},
    "value": {"value", "result", "score", "count", "percent", "percentage", "%", "rate", "measure",
              "amount", "number", "data", "y"},
    "subgroup": {"subgroup", "group", "student group", "category", "class", "grade", "site"},
    "denominator": {"denominator", "n", "out of", "total", "of", "sample", "sample size", "base"},
}


@dataclass(frozen=True)
class ObservationRow:
    """A good row, ready to become an `Observation`."""

    row: int
    date: dt.date
    value: float
    subgroup: str | None = None
    denominator: float | None = None

    def as_saved(self) -> str:
        """'9 Mar 2026 → 90 (Multilingual learners)': the row as the chart will hold it."""
        return (f"{format_date(self.date)} → {format_number(self.value)}"
                + (f" ({self.subgroup})" if self.subgroup else ""))


@dataclass(frozen=True)
class RowProblem:
    """A row that will not be imported, and why."""

    row: int
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.reason}."


@dataclass(frozen=True)
class ParsedRows:
    """What a paste or a file holds, before anything is imported.

    `good`: rows that can be imported; `problems`: rows that cannot, each with a
    reason; `already_recorded`: row numbers identical to observations already in
    the chart (skipped); `notices`: how the data was read; `error`: a problem
    with the whole file (then there are no rows at all); `date_order`: how
    dates like 03/04/2026 were read, and `ambiguous_dates` whether the data
    itself could not tell (so the user should confirm)."""

    good: tuple[ObservationRow, ...] = ()
    problems: tuple[RowProblem, ...] = ()
    already_recorded: tuple[int, ...] = ()
    notices: tuple[str, ...] = ()
    error: str | None = None
    date_order: DateOrder | None = None
    ambiguous_dates: bool = False
    columns: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Everything in the data can be imported as it is."""
        return self.error is None and not self.problems

    def summary(self) -> str:
        """One line for the preview: '38 rows can be imported; 2 rows have problems.'"""
        if self.error:
            return self.error
        parts = [f"{_rows(len(self.good))} can be imported"]
        if self.problems:
            parts.append(f"{_rows(len(self.problems))} {'has' if len(self.problems) == 1 else 'have'} problems")
        if self.already_recorded:
            parts.append(f"{_rows(len(self.already_recorded))} already in the chart (skipped)")
        return "; ".join(parts) + "."

    def observations(self, measure_id: str) -> list[Observation]:
        """The good rows as new observations of the measure."""
        return [
            Observation(
                measure_id=measure_id, date=r.date, value=r.value, subgroup=r.subgroup,
                denominator=r.denominator,
            )
            for r in self.good
        ]


def outside_percent(values: Iterable[float], unit: str) -> str:
    """A nudge when a percentage measure gets values below 0 or above 100 (a typing slip,
    or a count typed where a share belongs), else "". It never refuses: the team knows."""
    if not (is_percent(unit) or unit.strip().startswith("%")):
        return ""
    odd = [v for v in values if not 0 <= v <= 100]
    if not odd:
        return ""
    which = "That value is" if len(odd) == 1 else f"{len(odd):,} values are"
    return (f"{which} outside 0–100 (like {format_number(odd[0])}), and this measure is a percentage: "
            "check for a typing slip, or a count where a share belongs.")


def dated_ahead(dates: Iterable[dt.date], today: dt.date) -> str:
    """A nudge when observations are dated after today (a year typed wrong, or the month
    and day read the other way round), else "". It never refuses: a team may plan ahead."""
    ahead = sorted(d for d in dates if d > today)
    if not ahead:
        return ""
    which = "1 row is" if len(ahead) == 1 else f"{len(ahead):,} rows are"
    return (f"{which} dated after today (the latest {format_date(ahead[-1])}): check the year, and how "
            "the dates were read, before importing.")


def _rows(n: int) -> str:
    return "1 row" if n == 1 else f"{n:,} rows"


# --------------------------------------------------------------------------- entry points


def read_pasted(
    text: str,
    *,
    existing: Iterable[Observation] = (),
    date_order: DateOrder | None = None,
    progress: Progress | None = None,
) -> ParsedRows:
    """Rows pasted from a spreadsheet (tab-separated), or typed with commas or semicolons."""
    if not isinstance(text, str):
        return ParsedRows(error="Nothing was pasted.")
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        return ParsedRows(error="That is too much to paste at once; upload it as a file instead.")
    return _read_text(text, existing=existing, date_order=date_order, progress=progress)


def read_csv(
    data: bytes | str,
    *,
    existing: Iterable[Observation] = (),
    date_order: DateOrder | None = None,
    progress: Progress | None = None,
) -> ParsedRows:
    """A CSV file (comma, semicolon or tab separated; UTF-8 or Windows encoding)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > MAX_BYTES:
            return ParsedRows(error=_too_big())
        text = _decode(data)
    else:
        text = data
    return _read_text(text, existing=existing, date_order=date_order, progress=progress)


def read_excel(
    data: bytes,
    *,
    existing: Iterable[Observation] = (),
    date_order: DateOrder | None = None,
    progress: Progress | None = None,
) -> ParsedRows:
    """The active worksheet of an Excel workbook (.xlsx): the one it opens on."""
    data = bytes(data)
    if len(data) > MAX_BYTES:
        return ParsedRows(error=_too_big())
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return ParsedRows(error="This is an old-style .xls workbook. Save it as .xlsx or .csv and upload that.")
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any corrupt or foreign file: openpyxl raises many kinds
        return ParsedRows(error="This file could not be opened as an Excel workbook (.xlsx).")
    try:
        sheet = book.active or book.worksheets[0]
        total = sheet.max_row or 0
        if total > MAX_ROWS + 1:
            return ParsedRows(error=_too_many())
        rows, percent = [], []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number > MAX_ROWS + 1:
                return ParsedRows(error=_too_many())
            rows.append((number, [_as_shown(cell, percent) for cell in cells]))
            # Reading is the slow half for Excel: report it as the first half.
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number, 2 * max(total, number))
        sheet_name, others = sheet.title, [name for name in book.sheetnames if name != sheet.title]
    except Exception:
        return ParsedRows(error="This Excel workbook could not be read to the end; is it damaged?")
    finally:
        book.close()
    checking = None
    if progress is not None:
        def checking(done: int, total: int) -> None:
            progress(total + done, 2 * total)
    notices = [_percent_notice(percent[0])] if percent else []
    parsed = parse_table(rows, existing=existing, date_order=date_order, progress=checking, notices=notices)
    return _naming_the_sheet(parsed, sheet_name, others)


def _as_shown(cell: Any, percent: list[float]) -> Any:
    """A cell's value as the spreadsheet shows it. A cell formatted as a percentage holds
    a fraction (0.91 shown as 91%), while a team types or pastes 91: read it as shown, so
    that one chart does not mix the two scales. Cells read so are added to `percent`."""
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return value
    if not _is_percent_format(getattr(cell, "number_format", None) or ""):
        return value
    shown = float(Decimal(repr(value)).scaleb(2))  # exact: 0.935 gives 93.5, not 93.50000000000001
    percent.append(shown)
    return shown


def _is_percent_format(number_format: str) -> bool:
    """Whether an Excel number format multiplies by 100: a % outside quotes ("%"),
    escapes (\\%) and brackets ([Red])."""
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format)
    return "%" in bare


def _percent_notice(example: float) -> str:
    return f"Cells formatted as percentages were read as shown: {format_number(example)}% → {format_number(example)}."


def _naming_the_sheet(parsed: ParsedRows, sheet_name: str, others: Sequence[str]) -> ParsedRows:
    """The preview says which sheet was read when the workbook has others (the data is
    often on another one), and an error about the data always does."""
    also = (f"The workbook also has the sheet{'s' if len(others) > 1 else ''} "
            + ", ".join(f"'{name}'" for name in others)) if others else ""
    if parsed.error is None:
        return replace(parsed, notices=(f"Read the sheet '{sheet_name}'. {also}.", *parsed.notices)) if also else parsed
    error = f"Read the sheet '{sheet_name}': {parsed.error[:1].lower()}{parsed.error[1:]}"
    if also:
        error += f" {also}: open the one with the data, save the workbook, and upload it again."
    return ParsedRows(error=error)


def read_upload(
    filename: str,
    data: bytes,
    *,
    existing: Iterable[Observation] = (),
    date_order: DateOrder | None = None,
    progress: Progress | None = None,
) -> ParsedRows:
    """An uploaded file: Excel by its name or content, else CSV."""
    name = str(filename or "").lower()
    data = bytes(data)
    options = dict(existing=existing, date_order=date_order, progress=progress)
    if name.endswith((".xlsx", ".xlsm", ".xls")) or data[:4] == b"PK\x03\x04":
        return read_excel(data, **options)
    if b"\x00" in data[:2048] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ParsedRows(error="This does not look like a CSV or Excel file.")
    return read_csv(data, **options)


def _too_big() -> str:
    return f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; is it the right file?"


def _too_many() -> str:
    return f"The file has more than {MAX_ROWS:,} rows; split it, or check it is the right file."


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows


def _read_text(text: str, **options: Any) -> ParsedRows:
    lines = text.splitlines()
    if len(lines) > MAX_ROWS + 1:
        return ParsedRows(error=_too_many())
    delimiter = _delimiter(lines)
    try:  # line by line: a stray quote must not swallow the rows after it (no cell spans lines here)
        rows = [(number, next(csv.reader([line], delimiter=delimiter), []))
                for number, line in enumerate(lines, start=1)]
    except csv.Error:
        return ParsedRows(error="The data could not be read as rows and columns; check the quotes in it.")
    # Semicolons separate columns where the comma is the decimal mark.
    return parse_table(rows, decimal_comma_hint=delimiter == ";", **options)


def _delimiter(lines: Sequence[str]) -> str:
    sample = [line for line in lines[:50] if line.strip()]
    if not sample:
        return ","
    for candidate in ("\t", ";"):
        if sum(candidate in line for line in sample) >= max(1, len(sample) // 2):
            return candidate
    return ","


# --------------------------------------------------------------------------- the table


_blank = re.compile(r"^[\s\u00a0\u2007\u202f]*$")


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and bool(_blank.match(cell)))


def parse_table(
    rows: Iterable[tuple[int, Sequence[Any]]],
    *,
    existing: Iterable[Observation] = (),
    date_order: DateOrder | None = None,
    progress: Progress | None = None,
    decimal_comma_hint: bool = False,
    notices: Sequence[str] = (),
) -> ParsedRows:
    """Check `(row_number, cells)` rows. The first non-blank row may be a header.
    `notices`: how the reader read the cells, shown before the table's own."""
    rows = [(n, list(cells)) for n, cells in rows if any(not _is_blank(c) for c in cells)]
    if not rows:
        return ParsedRows(error="There are no rows of data.")
    columns, rows, table_notices = _columns(rows)
    notices = [*notices, *table_notices]
    if "date" not in columns or "value" not in columns:
        return ParsedRows(error="The data needs two columns: a date and a value.")

    def cell(cells: Sequence[Any], name: str) -> Any:
        position = columns.get(name)
        return cells[position] if position is not None and position < len(cells) else None

    order, ambiguous, order_notice = _date_order([cell(c, "date") for _, c in rows], date_order)
    if order_notice:
        notices.append(order_notice)
    numbers = [cell(c, name) for _, c in rows for name in ("value", "denominator")]
    decimal_comma = _decimal_comma(numbers)
    if decimal_comma is None:
        decimal_comma = decimal_comma_hint
    if decimal_comma and any(isinstance(n, str) and "," in n for n in numbers):
        notices.append("Read values with a decimal comma (3,5 = 3.5).")

    good: list[ObservationRow] = []
    problems: list[RowProblem] = []
    serials = 0
    total = len(rows)
    for done, (number, cells) in enumerate(rows, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
        parsed = _parse_row(number, cells, cell, order, decimal_comma)
        if isinstance(parsed, RowProblem):
            problems.append(parsed)
            continue
        row, from_serial = parsed
        serials += from_serial
        good.append(row)
    if progress is not None:
        progress(total, total)
    if serials:
        notices.append(f"Read {_rows(serials)} of Excel day numbers (like 46307) as dates.")

    good, duplicate_problems, already = _duplicates(good, existing)
    problems = sorted(problems + duplicate_problems, key=lambda p: p.row)
    return ParsedRows(
        good=tuple(good),
        problems=tuple(problems),
        already_recorded=tuple(already),
        notices=tuple(notices),
        date_order=order,
        ambiguous_dates=ambiguous,
        columns=tuple(name for name in COLUMNS if name in columns),
    )


def _parse_row(number, cells, cell, order, decimal_comma):
    raw_date = cell(cells, "date")
    if _is_blank(raw_date):
        return RowProblem(number, "the date is empty")
    date, from_serial = parse_date(raw_date, order)
    if date is None:
        return RowProblem(number, f"{_quoted(raw_date)} is not a date")
    raw_value = cell(cells, "value")
    if _is_blank(raw_value):
        return RowProblem(number, "the value is empty")
    value = parse_number(raw_value, decimal_comma=decimal_comma)
    if value is None:
        return RowProblem(number, f"{_quoted(raw_value)} is not a number")
    subgroup = cell(cells, "subgroup")
    subgroup = None if _is_blank(subgroup) else " ".join(str(subgroup).split())
    if subgroup is not None and len(subgroup) > MAX_SUBGROUP:
        return RowProblem(number, f"the subgroup is too long (at most {MAX_SUBGROUP} characters)")
    raw_denominator = cell(cells, "denominator")
    denominator = None
    if not _is_blank(raw_denominator):
        denominator = parse_number(raw_denominator, decimal_comma=decimal_comma)
        if denominator is None:
            return RowProblem(number, f"the denominator {_quoted(raw_denominator)} is not a number")
        if denominator <= 0:
            return RowProblem(number, "the denominator must be more than 0")
    return ObservationRow(number, date, value, subgroup, denominator), from_serial


def _quoted(raw: Any) -> str:
    text = str(raw).strip()
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"'{text}'"


def _columns(rows):
    """Column positions by name, the rows without the header, and notices."""
    number, first = rows[0]
    names = [str(c).strip().lower().rstrip(":") if c is not None else "" for c in first]
    found: dict[str, int] = {}
    for position, name in enumerate(names):
        for column, words in _HEADER_WORDS.items():
            if column not in found and (name in words or name.startswith(f"{column} ")):
                found[column] = position
                break
    if "date" in found and "value" in found:
        ignored = [str(first[i]).strip() for i in range(len(first))
                   if i not in found.values() and not _is_blank(first[i])]
        notices = [f"Used row {number} as the column names."]
        if ignored:
            notices.append("Ignored the columns " + ", ".join(f"'{n}'" for n in ignored) + ".")
        return found, rows[1:], notices
    width = max(len(cells) for _, cells in rows)
    positional = {name: i for i, name in enumerate(COLUMNS[: min(width, len(COLUMNS))])}
    header = not (_looks_like_data(first) or _value_then_date(first))
    data = rows[1:] if header else rows
    swapped = _swapped(data)
    if swapped:
        positional.update(date=1, value=0)
    notices = []
    if header:  # names we do not know: skip the row, read the columns by position
        notices.append(f"Row {number} looks like column names; read the columns in the order "
                       f"{'value, date' if swapped else 'date, value'}, subgroup, denominator.")
    if swapped:
        notices.append("The columns looked swapped (value, date); read as date, value.")
    elif width > 2 and not header:
        notices.append("Read the columns in the order date, value, subgroup, denominator.")
    return positional, data, notices


def _looks_like_data(cells: Sequence[Any]) -> bool:
    """A first row that starts with a date, or has a number second, is data, not names."""
    return bool(cells) and (parse_date(cells[0], "month first")[0] is not None
                            or parse_number(cells[1] if len(cells) > 1 else None) is not None)


def _is_date(raw: Any) -> bool:
    return any(parse_date(raw, order)[0] is not None for order in ("month first", "day first"))


def _is_number(raw: Any) -> bool:
    return any(parse_number(raw, decimal_comma=comma) is not None for comma in (False, True))


def _value_then_date(cells: Sequence[Any]) -> bool:
    """A row such as 91, 2026-09-03: a number that is no date, then a date."""
    return len(cells) > 1 and not _is_date(cells[0]) and _is_number(cells[0]) and _is_date(cells[1])


def _swapped(rows: Sequence[tuple[int, Sequence[Any]]]) -> bool:
    """Whether most rows hold the value first and the date second (columns copied in the
    other order): read as date, value, each such row would be a problem, and the
    first one was taken for column names. A number in a third column means another
    layout (week number, date, value), which is not guessed at."""
    sample = [cells for _, cells in rows[:50]]
    swapped = sum(_value_then_date(cells) and not (len(cells) > 2 and _is_number(cells[2])) for cells in sample)
    return bool(sample) and swapped > len(sample) / 2


def _duplicates(good: list[ObservationRow], existing: Iterable[Observation]):
    """Flag every row whose date (and subgroup) appears twice in the data, and rows
    that repeat or contradict an observation already in the chart."""
    recorded: dict[tuple[dt.date, str | None], list[float]] = defaultdict(list)
    for o in existing:
        recorded[(o.date, o.subgroup)].append(o.value)
    by_key: dict[tuple[dt.date, str | None], list[ObservationRow]] = defaultdict(list)
    for row in good:
        by_key[(row.date, row.subgroup)].append(row)
    kept, problems, already = [], [], []
    for row in good:
        key = (row.date, row.subgroup)
        what = format_date(row.date) + (f" ({row.subgroup})" if row.subgroup else "")
        twins = by_key[key]
        if len(twins) > 1:
            others = ", ".join(str(t.row) for t in twins)
            problems.append(RowProblem(row.row, f"{what} appears more than once (rows {others})"))
        elif key in recorded:
            if row.value in recorded[key]:
                already.append(row.row)
            else:
                shown = " and ".join(format_number(v) for v in recorded[key])
                problems.append(RowProblem(
                    row.row,
                    f"{what} is already in the chart with the value {shown}; this row says "
                    f"{format_number(row.value)}",
                ))
        else:
            kept.append(row)
    return kept, problems, already


# --------------------------------------------------------------------------- dates


_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}
_WEEKDAY = re.compile(r"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.I)
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[ap]\.?m\.?)?(Z|[+-]\d{2}:?\d{2})?$", re.I)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]+([a-z]+)\.?[\s\-/.,]+(\d{2}|\d{4})$", re.I)
_MONTH_NAME_DAY = re.compile(r"^([a-z]+)\.?[\s\-/.]+(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]+(\d{2}|\d{4})$", re.I)
_MONTH_NAME_YEAR = re.compile(r"^([a-z]+)\.?[\s\-/.,]+(\d{2}|\d{4})$", re.I)
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(raw: Any, order: DateOrder | None = "month first") -> tuple[dt.date | None, bool]:
    """(the date, whether it came from an Excel day number); (None, False) if not a date.

    Understands dates and datetimes (from Excel), 2026-10-12, 20261012,
    10/12/2026 and 10-12-26 (in `order`), 12.10.2026 (day first, as written
    where dots are used), 12 Oct 2026, Oct 12, 2026, Monday 12 October 2026,
    a month alone (Oct 2026, 2026-10: its first day), a time after the date, and
    Excel day numbers."""
    if isinstance(raw, dt.datetime):
        return _make_date(raw.year, raw.month, raw.day), False
    if isinstance(raw, dt.date):
        return _make_date(raw.year, raw.month, raw.day), False
    if isinstance(raw, bool) or raw is None:
        return None, False
    if isinstance(raw, (int, float)):
        return _from_serial(raw)
    text = _TIME.sub("", _WEEKDAY.sub("", str(raw).strip())).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _from_serial(float(text))
    if m := _ISO.match(text) or _COMPACT.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3])), False
    if m := _NUMERIC.match(text):
        a, separator, b, year = int(m[1]), m[2], int(m[3]), _year(m[4])
        day_first = separator == "." or order == "day first"
        day, month = (a, b) if day_first else (b, a)
        return _make_date(year, month, day), False
    if m := _DAY_MONTH_NAME.match(text):
        month = _MONTH_NAMES.get(m[2].lower())
        return (_make_date(_year(m[3]), month, int(m[1])) if month else None), False
    if m := _MONTH_NAME_DAY.match(text):
        month = _MONTH_NAMES.get(m[1].lower())
        return (_make_date(_year(m[3]), month, int(m[2])) if month else None), False
    # A month alone (monthly measures) stands for its first day.
    if m := _MONTH_NAME_YEAR.match(text):
        month = _MONTH_NAMES.get(m[1].lower())
        return (_make_date(_year(m[2]), month, 1) if month else None), False
    if m := _YEAR_MONTH.match(text) or _MONTH_YEAR.match(text):
        year, month = (m[1], m[2]) if len(m[1]) == 4 else (m[2], m[1])
        return _make_date(int(year), int(month), 1), False
    return None, False


def _from_serial(number: float) -> tuple[dt.date | None, bool]:
    # Excel counts days from 1899-12-30; 20000..80000 is 1954..2119.
    if not math.isfinite(number) or number != int(number) or not 20_000 <= number <= 80_000:
        return None, False
    return _EXCEL_EPOCH + dt.timedelta(days=int(number)), True


def _date_order(raw_dates: Sequence[Any], chosen: DateOrder | None):
    """The order for dates like 03/04/2026: the caller's choice, else what the data
    shows (a first number above 12 means day first), else month first (US)."""
    if chosen in ("month first", "day first"):
        return chosen, False, None
    day_first = month_first = ambiguous = 0
    for raw in raw_dates:
        if not isinstance(raw, str):
            continue
        m = _NUMERIC.match(_TIME.sub("", raw.strip()))
        if not m or m[2] == ".":
            continue
        a, b = int(m[1]), int(m[3])
        if a > 12 >= b:
            day_first += 1
        elif b > 12 >= a:
            month_first += 1
        elif a != b:
            ambiguous += 1
    if day_first > month_first:
        order: DateOrder = "day first"
    elif month_first > day_first:
        order = "month first"
    elif ambiguous:
        return (
            "month first",
            True,
            "Dates like 03/04/2026 were read as month/day (March 4). Choose day/month if you meant 3 April.",
        )
    else:
        return None, False, None
    if day_first and month_first:
        words = "day/month" if order == "day first" else "month/day"
        return order, False, f"Most dates are written {words}, so all dates were read that way."
    if order == "day first":
        return order, False, "Read dates as day/month/year (like 31/10/2026)."
    return order, False, None


# --------------------------------------------------------------------------- numbers


_SPACES = re.compile(r"[\s\u00a0\u2007\u202f']")
_COMMA_DECIMAL = re.compile(r"^[-+]?\d*,\d{1,2}$|^[-+]?\d+,\d{4,}$|^[-+]?\d{1,3}(\.\d{3})+,\d+$")
_DOT_DECIMAL = re.compile(r"^[-+]?\d*\.\d{1,2}$|^[-+]?\d+\.\d{4,}$|^[-+]?\d{1,3}(,\d{3})+\.\d+$")


def _clean(text: str) -> str:
    text = text.strip().replace("\u2212", "-").replace("\u2013", "-")
    text = text.rstrip("%").strip()
    return _SPACES.sub("", text)


def _decimal_comma(raw_values: Iterable[Any]) -> bool | None:
    """Whether the data writes decimals with a comma; None when it cannot tell."""
    comma = dot = 0
    for raw in raw_values:
        if not isinstance(raw, str):
            continue
        text = _clean(raw)
        if _COMMA_DECIMAL.match(text):
            comma += 1
        elif _DOT_DECIMAL.match(text):
            dot += 1
    if comma == dot:
        return None
    return comma > dot


def parse_typed_number(text: Any) -> float | None:
    """A number a person typed into one field: 62, 62.5, 62,5 (a comma before one or
    two digits is a decimal comma), 1,234.5, 45 %. None if it is not a number."""
    if not isinstance(text, str) or len(text) > 60:
        return None
    return parse_number(text, decimal_comma=bool(_decimal_comma([text])))


def parse_number(raw: Any, *, decimal_comma: bool = False) -> float | None:
    """A finite number from a cell, or None. Accepts 62.5, 62,5 (with
    `decimal_comma`), 1,234.5, 1.234,5, 1 234, 45 %, and a typographic minus."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, (int, float)):
        value = float(raw)
        return value if math.isfinite(value) else None
    text = _clean(str(raw))
    if decimal_comma:
        if re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+(,\d+)?", text):
            text = text.replace(".", "")
        text = text.replace(",", ".")
    elif re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None

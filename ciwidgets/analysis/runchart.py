"""Run-chart rules: is the variation in a measure chance, or a signal?

`analyze_run_chart(values, rules=..., baseline=...)` applies one of two published
rule sets to a series against the median of its baseline:

* **IHI** (Perla, Provost & Murray 2011, "The run chart: a simple analytical tool
  for learning from variation in healthcare processes", BMJ Qual Saf 20:46-51):
  a *shift* (six or more consecutive points on one side of the median), a
  *trend* (five or more points all going up or all going down) and *too few or
  too many runs* (the runs table, 10-60 useful observations).
* **Anhøj** (Anhøj & Olesen 2014, PLoS ONE 9(11):e113825, as implemented in the R
  package qicharts2): an *unusually long run* (longer than round(log2(n)) + 3)
  or *too few crossings* of the median (fewer than qbinom(0.05, n - 1, 0.5)).

Definitions, exactly as applied here:

* Missing values (``None`` or NaN) are skipped entirely: not in the median, not
  useful, they neither break nor extend a run or a trend. Every index reported
  is a 0-based position in the original series, missing values included.
* The median (centre line) is that of the first `baseline` non-missing values
  (all of them when `baseline` is None or larger than their number); the median
  of an even count is the mean of the two middle values. The rules apply to the
  whole series against that median.
* A *useful observation* is non-missing and not equal to the median. A *run* is a
  maximal block of consecutive useful observations on one side of the median;
  points on the median are skipped and do not break it. `crossings` = runs - 1.
* IHI trend: each block of equal consecutive values counts once (at its first
  point); five or more counted points all rising or all falling make a trend
  whose span starts and ends at counted points. A turning point can end one
  trend and start the next.
* IHI runs rule: only for 10-60 useful observations (the published table, kept in
  `IHI_RUNS_TABLE`); too few if runs < lower limit, too many if runs > upper
  limit.
* Anhøj: for n >= 1 useful observations, signal if longest run >
  round(log2(n)) + 3 or crossings < qbinom(0.05, n - 1, 0.5); equal is no signal.

Rounding of log2: R's ``round`` and Python's ``round`` both round half to even,
and qicharts2 computes ``round(log2(n.useful)) + 3``. The question never arises:
log2(n) of a whole number n is either a whole number or irrational (2^(k + 1/2)
is irrational), so it is never exactly halfway, and the nearest double to it is
far from halfway for any n a chart can hold (checked in the tests). The
binomial quantile is computed exactly from whole numbers (`math.comb`), not with
floating point; for very long series a floating-point estimate is used only when
its distance from the 5 % boundary proves the answer, else the exact sum.

Pure: numpy is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import itemgetter
from typing import Any, Literal, NamedTuple

RuleSet = Literal["ihi", "anhoej"]
RULE_SETS: dict[str, str] = {"ihi": "IHI", "anhoej": "Anhøj"}

#: Perla, Provost & Murray 2011, Table 1: useful observations -> (lower, upper)
#: limits for the number of runs (about 5 % risk). Used as published: it cannot
#: be recomputed from a formula (see the reference README).
IHI_RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12), 15: (5, 12),
    16: (5, 13), 17: (5, 13), 18: (6, 14), 19: (6, 15), 20: (6, 16), 21: (7, 16),
    22: (7, 17), 23: (7, 17), 24: (8, 18), 25: (8, 18), 26: (9, 19), 27: (10, 19),
    28: (10, 20), 29: (10, 20), 30: (11, 21), 31: (11, 22), 32: (11, 23), 33: (12, 23),
    34: (12, 24), 35: (12, 24), 36: (13, 25), 37: (13, 25), 38: (14, 26), 39: (14, 26),
    40: (15, 27), 41: (15, 27), 42: (16, 28), 43: (16, 28), 44: (17, 29), 45: (17, 30),
    46: (17, 31), 47: (18, 31), 48: (18, 32), 49: (19, 32), 50: (19, 33), 51: (20, 33),
    52: (20, 34), 53: (21, 34), 54: (21, 35), 55: (22, 35), 56: (22, 35), 57: (23, 36),
    58: (23, 37), 59: (24, 38), 60: (24, 38),
}
IHI_SHIFT_LENGTH = 6  # useful points in a row on one side of the median
IHI_TREND_LENGTH = 5  # counted points all going up or all going down
#: Below this many useful observations a chart is "too few points to judge".
FEWEST_TO_JUDGE = min(IHI_RUNS_TABLE)


# --------------------------------------------------------------------------- helpers


class Spans(list):
    """An immutable list of ``(first_index, last_index)`` pairs (inclusive).

    A list so that it compares equal to a plain list of pairs; immutable so that
    a result, once computed, can be shared between views without surprises."""

    def _refuse(self, *args: Any, **kwargs: Any):
        raise TypeError("run-chart results cannot be changed")

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = pop = remove = clear = sort = reverse = _refuse

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self))

    def __reduce__(self):
        return (Spans, (list(self),))

    def __repr__(self) -> str:
        return f"Spans({list.__repr__(self)})"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
)


def format_date(day: dt.date) -> str:
    """'12 Oct 2026', whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _count(n: int, noun: str, *, capital: bool = False) -> str:
    word = _WORDS[n] if 0 <= n < len(_WORDS) else str(n)
    if capital:
        word = word[0].upper() + word[1:]
    return f"{word} {noun if n != 1 else noun.rstrip('s')}"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --------------------------------------------------------------------------- signals


SignalRule = Literal["shift", "trend", "too few runs", "too many runs", "long run", "few crossings"]


class Signal(NamedTuple):
    """One signal of non-random variation found by a rule (an immutable tuple:
    long noisy series can have thousands, and tuples are cheap to make).

    `first`/`last` are the inclusive span in the series for signals that belong
    to particular points (shift, trend, long run); None for signals about the
    whole series (runs, crossings). `direction` is "above"/"below" for runs of
    points and "up"/"down" for trends. `count` is what was observed (points in
    the run or trend, runs, crossings); `limit` the value chance allows; `useful`
    the number of useful observations the limit was looked up for."""

    rule: SignalRule
    first: int | None = None
    last: int | None = None
    direction: str | None = None
    count: int | None = None
    limit: int | None = None
    useful: int | None = None

    @property
    def is_point_signal(self) -> bool:
        return self.first is not None

    def shifted(self, offset: int) -> Signal:
        if self.first is None:
            return self
        return self._replace(first=self.first + offset, last=self.last + offset)

    def describe(
        self,
        dates: Sequence[dt.date] | None = None,
        *,
        noun: str = "points",
        desired_direction: str | None = None,
    ) -> str:
        """The signal in plain language, with dates when `dates` (aligned with the
        series) are given: "Six points in a row above the median from 12 Oct 2026
        to 16 Nov 2026: a shift. This is unlikely to be chance." """
        chance = "This is unlikely to be chance."
        if self.rule in ("shift", "long run", "trend"):
            where = _span_words(self.first, self.last, dates)
            if self.rule == "trend":
                lead = f"{_count(self.count, noun, capital=True)} in a row going {self.direction}"
                verdict = "a trend"
            else:
                lead = f"{_count(self.count, noun, capital=True)} in a row {self.direction} the median"
                verdict = (
                    "a shift"
                    if self.rule == "shift"
                    else f"longer than the {self.limit} chance allows with {self.useful} useful "
                    f"{noun}, an unusually long run"
                )
            text = f"{lead} {where}: {verdict}. {chance}"
            return text + _direction_words(self.direction, desired_direction)
        if self.rule == "too few runs":
            return (
                f"Only {_plural(self.count, 'run')} for {self.useful} {noun} not on the median, "
                f"where chance gives at least {self.limit}: too few runs. The data stays on one "
                f"side of the median for long stretches. {chance}"
            )
        if self.rule == "too many runs":
            return (
                f"{_plural(self.count, 'run')} for {self.useful} {noun} not on the median, where "
                f"chance gives at most {self.limit}: too many runs. The data zig-zags across the "
                "median more than chance would; check whether two sources are mixed (for example "
                f"alternating classes or days). {chance}"
            )
        # few crossings
        return (
            f"The data crosses the median only {_plural(self.count, 'time')}; with {self.useful} "
            f"useful {noun} chance gives at least {self.limit}: too few crossings. {chance}"
        )


def _span_words(first: int, last: int, dates: Sequence[dt.date] | None) -> str:
    if dates is not None:
        return f"from {format_date(dates[first])} to {format_date(dates[last])}"
    return f"from point {first + 1} to point {last + 1}"


def _direction_words(direction: str | None, desired: str | None) -> str:
    if desired not in ("up", "down") or direction is None:
        return ""
    upward = direction in ("above", "up")
    if upward == (desired == "up"):
        return " It is in the direction you want."
    return " It is in the direction you do not want."


# --------------------------------------------------------------------------- result

NO_SIGNAL = (
    "No signal: the variation looks like chance (common-cause variation). "
    "Keep plotting, and keep testing changes."
)
TOO_FEW_YET = "No signal yet, but too few points to judge."


def _signals_found(k: int) -> str:
    return (
        f"{_plural(k, 'signal')} of non-random variation: something other than chance "
        "is at work. See what changed at those points in time."
    )


@dataclass(frozen=True)
class RunChartResult:
    """What the rules say about one series. Immutable.

    The attributes named by the analysis API: `median`, `useful_observations`,
    `runs`, `longest_run`, `crossings`, `shifts`, `trends`, `runs_limits`,
    `runs_signal`, `longest_run_max`, `crossings_min`, `signal`.

    Rule-set specific values are None under the other rule set: `runs_limits`
    (IHI; None outside 10-60 useful observations), `longest_run_max` and
    `crossings_min` (Anhøj). `runs_signal` is "too few"/"too many"/None under
    IHI and a bool under Anhøj (the Anhøj runs analysis: long run or too few
    crossings). Under Anhøj, `shifts` lists the runs longer than
    `longest_run_max` (the points behind a signal) and `trends` is empty: the
    Anhøj rules have no trend rule."""

    rules: RuleSet
    median: float | None
    observations: int  # non-missing values
    baseline_count: int  # non-missing values the median was taken from
    useful_observations: int
    runs: int
    longest_run: int | None
    crossings: int | None
    shifts: Spans
    trends: Spans
    runs_limits: tuple[int, int] | None
    runs_signal: str | bool | None
    longest_run_max: int | None
    crossings_min: int | None
    signal: bool
    signals: tuple[Signal, ...] = field(default=())

    @property
    def too_few_to_judge(self) -> bool:
        """Fewer useful observations than a run chart needs to be read with confidence."""
        return self.useful_observations < FEWEST_TO_JUDGE

    def shifted(self, offset: int) -> RunChartResult:
        """The same result with every index moved by `offset` (a phase inside a series)."""
        if offset == 0:
            return self
        return replace(
            self,
            shifts=Spans((a + offset, b + offset) for a, b in self.shifts),
            trends=Spans((a + offset, b + offset) for a, b in self.trends),
            signals=tuple(s.shifted(offset) for s in self.signals),
        )

    def explain(
        self,
        dates: Sequence[dt.date] | None = None,
        *,
        noun: str = "points",
        desired_direction: str | None = None,
    ) -> list[str]:
        """One plain-language sentence per signal, in time order; with `dates`
        (aligned with the series) the sentences name dates instead of positions."""
        return [s.describe(dates, noun=noun, desired_direction=desired_direction) for s in self.signals]

    def notes(self, *, noun: str = "points") -> list[str]:
        """What limits the reading of this chart (not signals): too few points,
        a runs rule that does not apply."""
        n = self.useful_observations
        if self.observations == 0:
            return ["There is no data yet."]
        if n == 0 and self.observations == 1:
            return ["One point is its own median, so there is nothing to judge yet. Keep adding data."]
        if n == 0:
            return [f"All {self.observations} {noun} are on the median, so there is nothing to judge yet."]
        out = []
        if n < FEWEST_TO_JUDGE:
            out.append(
                f"Only {n} {noun if n != 1 else noun.rstrip('s')} {'are' if n != 1 else 'is'} off the median: "
                "too few to judge with confidence "
                f"(a run chart needs at least {FEWEST_TO_JUDGE}). Keep adding data."
            )
        elif self.rules == "ihi" and n > max(IHI_RUNS_TABLE):
            out.append(
                f"With {n} useful {noun} the IHI runs table (10-60) does not apply; "
                "shifts and trends still do. The Anhøj rules suit long series."
            )
        return out

    def summary(self, dates: Sequence[dt.date] | None = None, *, noun: str = "points") -> str:
        """One sentence a coach would say first."""
        if self.signal:
            return _signals_found(len(self.signals))
        if self.useful_observations == 0:
            return self.notes(noun=noun)[0]
        return TOO_FEW_YET if self.too_few_to_judge else NO_SIGNAL


# --------------------------------------------------------------------------- Anhøj limits


def anhoej_longest_run_max(useful: int) -> int | None:
    """round(log2(n)) + 3, the longest run chance allows (None for n = 0)."""
    if useful < 1:
        return None
    return round(math.log2(useful)) + 3


def anhoej_crossings_min(useful: int) -> int | None:
    """qbinom(0.05, n - 1, 0.5), the fewest crossings chance allows (None for n = 0)."""
    if useful < 1:
        return None
    return binomial_half_quantile_05(useful - 1)


# Exact summation is cheap up to here (well under a millisecond); beyond it a
# floating-point estimate is tried first and verified.
_EXACT_UP_TO = 2000


@lru_cache(maxsize=1024)
def binomial_half_quantile_05(trials: int) -> int:
    """The smallest x with P(X <= x) >= 0.05 for X ~ Binomial(trials, 1/2): R's
    ``qbinom(0.05, trials, 0.5)``, exactly.

    P(X <= x) >= 1/20  <=>  20 * sum(comb(trials, i) for i <= x) >= 2**trials, in
    whole numbers. Equality is impossible (5 does not divide a power of two), so
    R's floating-point fuzz around 0.05 cannot change the answer."""
    if trials < 0:
        raise ValueError("the number of trials cannot be negative")
    if trials > _EXACT_UP_TO:
        estimate = _quantile_by_floats(trials)
        if estimate is not None:
            return estimate
    return _quantile_exact(trials)


def _quantile_exact(trials: int) -> int:
    target = 2**trials
    total, term, x = 0, 1, 0  # term = comb(trials, x)
    while True:
        total += term
        if 20 * total >= target:
            return x
        term = term * (trials - x) // (x + 1)
        x += 1


def _quantile_by_floats(trials: int) -> int | None:
    """The quantile from floating-point probabilities, or None when any of them is
    too close to 0.05 for rounding errors to be ruled out."""
    import numpy as np

    m = trials
    sd = math.sqrt(m) / 2
    hi = m // 2  # the 5 % quantile lies below the mean
    lo = max(0, int(m / 2 - 12 * sd))  # below this, terms are < e^-70 of the peak
    i = np.arange(lo, hi + 1, dtype=np.float64)
    log_first = math.lgamma(m + 1) - math.lgamma(lo + 1) - math.lgamma(m - lo + 1) - m * math.log(2)
    # log pmf(i+1) - log pmf(i) = log((m - i) / (i + 1))
    steps = np.log((m - i[:-1]) / (i[:-1] + 1))
    log_pmf = log_first + np.concatenate(([0.0], np.cumsum(steps)))
    cdf = np.cumsum(np.exp(log_pmf))
    k = int(np.searchsorted(cdf, 0.05))  # first index with cdf >= 0.05
    if k >= len(cdf) or k == 0:
        return None
    margin = 1e-6
    if abs(cdf[k] - 0.05) < margin or abs(cdf[k - 1] - 0.05) < margin:
        return None
    return lo + k


# --------------------------------------------------------------------------- the analysis


def _normalise_rules(rules: str) -> RuleSet:
    key = str(rules).strip().lower().replace("ø", "o").replace("oe", "o")
    if key == "ihi":
        return "ihi"
    if key == "anhoj":
        return "anhoej"
    raise ValueError(f"unknown rule set {rules!r}: use 'ihi' or 'anhoej'")


SEQUENCE_NEEDED = "values must be numbers in time order: a list, a tuple, an array or a Series"
PANDAS_GAPS = ("NAType", "NaTType")  # pd.NA and pd.NaT, read as a gap as None is (by name: no pandas import)


def _as_floats(values: Any):
    import numpy as np

    if hasattr(values, "to_numpy"):  # pandas
        if getattr(values, "ndim", 1) != 1:
            raise ValueError("values must be a flat sequence of numbers: one column, not a table")
        if values.dtype.kind in "iuf":  # numbers (nullable ones too): pd.NA becomes NaN
            return _finite(values.to_numpy(dtype=np.float64, na_value=np.nan))
        values = list(values)  # text, true/false, dates, objects: checked one by one below
    if isinstance(values, set | frozenset | dict | str | bytes) or values is None or np.isscalar(values):
        raise ValueError(SEQUENCE_NEEDED)
    kinds: set[type] = set()
    if not isinstance(values, np.ndarray):
        try:
            values = list(values)  # a generator is read once
        except TypeError:
            raise ValueError(SEQUENCE_NEEDED) from None
        kinds = set(map(type, values))  # one quick pass, for what numpy would quietly convert
        if any(kind.__name__ in PANDAS_GAPS for kind in kinds):
            values = [None if type(v).__name__ in PANDAS_GAPS else v for v in values]
    try:
        array = np.asarray(values)
        if array.dtype.kind in "USbMmc":  # text, true/false, dates, durations, complex: not measurements
            raise TypeError
        if array.dtype.kind == "O" or kinds & {bool, np.bool_}:  # text among numbers, or a True read as 1
            _refuse_the_first_non_number(values)
        array = array.astype(np.float64)
    except (TypeError, ValueError, OverflowError):
        _refuse_the_first_non_number(values)
        raise
    if array.ndim != 1:
        raise ValueError("values must be a flat sequence of numbers")
    return _finite(array)


def _refuse_the_first_non_number(values: Any) -> None:
    import numpy as np

    for position, value in enumerate(values):
        if value is None:
            continue
        if isinstance(value, str | bytes | bool | np.bool_):
            raise ValueError(f"value {position + 1} ({value!r}) is not a number") from None
        try:
            float(value)
        except OverflowError:
            raise ValueError(f"value {position + 1} is too large for a run chart") from None
        except (TypeError, ValueError):
            raise ValueError(f"value {position + 1} ({value!r}) is not a number") from None


def _finite(array):
    import numpy as np

    if np.isinf(array).any():
        position = int(np.flatnonzero(np.isinf(array))[0])
        raise ValueError(f"value {position + 1} is infinite; use a finite number or leave it missing")
    return array


def _blocks(flags):
    """Start and end (inclusive) positions of the maximal blocks of equal entries."""
    import numpy as np

    n = len(flags)
    change = np.flatnonzero(flags[1:] != flags[:-1]) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [n])) - 1
    return starts, ends


def analyze_run_chart(
    values: Sequence[float | None], *, rules: str = "ihi", baseline: int | None = None
) -> RunChartResult:
    """Apply the IHI (default) or Anhøj run-chart rules to `values`.

    `values`: numbers in time order; None or NaN mean missing. `rules`: "ihi" or
    "anhoej". `baseline`: how many of the first non-missing values give the
    median (None or more than there are: all). See the module docstring for the
    exact definitions."""
    import numpy as np

    rule_set = _normalise_rules(rules)
    if baseline is not None:
        if isinstance(baseline, bool) or not isinstance(baseline, (int, np.integer)) or baseline < 1:
            raise ValueError("the baseline must be a whole number of points, at least 1")
        baseline = int(baseline)

    array = _as_floats(values)
    present = ~np.isnan(array)
    if present.all():  # the common case: skip copying the whole series
        x, index = array, np.arange(len(array))
    else:
        x, index = array[present], np.flatnonzero(present)  # original positions
    base = x if baseline is None else x[:baseline]
    median = float(np.median(base)) if len(base) else None

    # Runs about the median: the side (+1 above, -1 below) of each useful observation.
    side, useful_index = np.empty(0), index[:0]
    if median is not None:
        side = np.sign(x - median)
        useful = side != 0
        side, useful_index = (side, index) if useful.all() else (side[useful], index[useful])
    n = len(side)

    runs, longest, crossings = 0, None, None
    run_firsts = run_lasts = run_lengths = run_sides = np.empty(0, dtype=np.int64)
    if n:
        starts, ends = _blocks(side)
        run_lengths = ends - starts + 1
        run_firsts, run_lasts = useful_index[starts], useful_index[ends]
        run_sides = side[starts]
        runs = len(starts)
        longest = int(run_lengths.max())
        crossings = runs - 1

    point_signals: list[Signal] = []
    series_signals: list[Signal] = []
    trends: list[tuple[int, int]] = []
    runs_limits = runs_signal = longest_max = crossings_min = long_enough = None
    if rule_set == "ihi":
        long_enough = IHI_SHIFT_LENGTH
        runs_limits = IHI_RUNS_TABLE.get(n)
        if runs_limits is not None:
            lower, upper = runs_limits
            if runs < lower:
                runs_signal = "too few"
                series_signals.append(Signal("too few runs", count=runs, limit=lower, useful=n))
            elif runs > upper:
                runs_signal = "too many"
                series_signals.append(Signal("too many runs", count=runs, limit=upper, useful=n))
        found = _trends(x, index)
        trends = [(first, last) for first, last, _, _ in found]
        point_signals += [Signal._make(("trend", *trend, None, None)) for trend in found]
    else:
        longest_max = anhoej_longest_run_max(n)
        crossings_min = anhoej_crossings_min(n)
        runs_signal = False
        if n:
            long_enough = longest_max + 1
            runs_signal = bool(longest > longest_max or crossings < crossings_min)
            if crossings < crossings_min:
                series_signals.append(
                    Signal("few crossings", count=crossings, limit=crossings_min, useful=n)
                )

    shifts: list[tuple[int, int]] = []
    if n and long_enough is not None:
        rule = "shift" if rule_set == "ihi" else "long run"
        # Whole arrays to lists first: long noisy series have thousands of shifts.
        chosen = run_lengths >= long_enough
        firsts, lasts = run_firsts[chosen].tolist(), run_lasts[chosen].tolist()
        shifts = list(zip(firsts, lasts, strict=True))
        sides = ["above" if up else "below" for up in (run_sides[chosen] > 0).tolist()]
        point_signals += [
            Signal._make((rule, first, last, direction, length, longest_max, n))
            for first, last, direction, length in zip(
                firsts, lasts, sides, run_lengths[chosen].tolist(), strict=True
            )
        ]

    # Signals about points in time order, then those about the whole series.
    point_signals.sort(key=itemgetter(1))
    signals = (*point_signals, *series_signals)
    return RunChartResult(
        rules=rule_set,
        median=median,
        observations=len(x),
        baseline_count=len(base),
        useful_observations=n,
        runs=runs,
        longest_run=longest,
        crossings=crossings,
        shifts=Spans(shifts),
        trends=Spans(trends),
        runs_limits=runs_limits,
        runs_signal=runs_signal,
        longest_run_max=longest_max,
        crossings_min=crossings_min,
        signal=bool(signals),
        signals=signals,
    )


def _trends(x, index) -> list[tuple[int, int, str, int]]:
    """IHI trends as (first, last, "up"/"down", counted points)."""
    import numpy as np

    if len(x) < IHI_TREND_LENGTH:
        return []
    keep = np.empty(len(x), dtype=bool)
    keep[0] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])  # a block of equal values counts once, at its first point
    xc, ic = (x, index) if keep.all() else (x[keep], index[keep])
    if len(xc) < IHI_TREND_LENGTH:
        return []
    rising = np.diff(xc) > 0  # never equal after collapsing
    starts, ends = _blocks(rising)
    lengths = ends - starts + 1  # steps; a block of k steps joins k + 1 points
    chosen = lengths >= IHI_TREND_LENGTH - 1
    s, e = starts[chosen], ends[chosen]
    return list(
        zip(
            ic[s].tolist(),
            ic[e + 1].tolist(),
            ["up" if up else "down" for up in rising[s].tolist()],
            (e - s + 2).tolist(),
            strict=True,
        )
    )


# --------------------------------------------------------------------------- series with phases


@dataclass(frozen=True)
class Phase:
    """A stretch of the series with its own centre line and analysis.

    `first`/`last` are inclusive series indices; `start_date` is the date the team
    chose to start it (None for the first phase); `result` uses series indices."""

    number: int
    first: int
    last: int
    start_date: dt.date | None
    result: RunChartResult


@dataclass(frozen=True)
class SeriesAnalysis:
    """A dated series analysed phase by phase (each phase has its own median)."""

    dates: tuple[dt.date, ...]
    values: tuple[float, ...]
    rules: RuleSet
    phases: tuple[Phase, ...]

    @property
    def signal(self) -> bool:
        return any(p.result.signal for p in self.phases)

    @property
    def useful_observations(self) -> int:
        return sum(p.result.useful_observations for p in self.phases)

    @property
    def too_few_to_judge(self) -> bool:
        """No phase has enough useful observations to be judged with confidence."""
        return all(p.result.too_few_to_judge for p in self.phases)

    def signals(self) -> list[tuple[Phase, Signal]]:
        return [(p, s) for p in self.phases for s in p.result.signals]

    def flagged(self) -> set[int]:
        """Positions of the points that take part in a shift, trend or long run
        (points on the median inside a run take no part in it)."""
        out: set[int] = set()
        for phase, s in self.signals():
            if not s.is_point_signal:
                continue
            median = phase.result.median
            for i in range(s.first, s.last + 1):
                if s.rule == "trend" or self.values[i] != median:
                    out.add(i)
        return out

    def summary(self) -> str:
        """One sentence a coach would say first about the whole series."""
        k = len(self.signals())
        if k:
            return _signals_found(k)
        if self.useful_observations == 0:
            return self.phases[0].result.summary()
        return TOO_FEW_YET if self.too_few_to_judge else NO_SIGNAL

    def explain(self, *, noun: str = "points", desired_direction: str | None = None) -> list[str]:
        """Every signal as a sentence with dates, phase by phase."""
        out = []
        for phase, s in self.signals():
            text = s.describe(self.dates, noun=noun, desired_direction=desired_direction)
            if len(self.phases) > 1:
                text = f"Phase {phase.number}: {text}"
            out.append(text)
        return out

    def notes(self, *, noun: str = "points") -> list[str]:
        out = []
        for phase in self.phases:
            for text in phase.result.notes(noun=noun):
                out.append(f"Phase {phase.number}: {text}" if len(self.phases) > 1 else text)
        return out


def analyze_series(
    dates: Sequence[dt.date],
    values: Sequence[float],
    *,
    rules: str = "ihi",
    baseline: int | None = None,
    phase_starts: Sequence[dt.date] = (),
) -> SeriesAnalysis:
    """Analyse a dated series in time order, phase by phase.

    A phase starts at the first point on or after each date in `phase_starts`
    (dates before the first point or with no points after them make no phase).
    `baseline` freezes the median of the first phase at its first N points;
    later phases use all their points."""
    if len(dates) != len(values):
        raise ValueError("there must be one date per value")
    if any(b < a for a, b in zip(dates, dates[1:], strict=False)):
        raise ValueError("the dates must be in time order")
    bounds, chosen = [0], {}  # first position of each phase, and the date the team chose
    for start in sorted(set(phase_starts)):
        position = bisect_left(dates, start)  # the first point on or after the date
        if bounds[-1] < position < len(dates):
            bounds.append(position)
            chosen[position] = start
    bounds.append(len(values))
    phases = []
    for number, (first, stop) in enumerate(zip(bounds, bounds[1:], strict=False), start=1):
        result = analyze_run_chart(
            values[first:stop], rules=rules, baseline=baseline if number == 1 else None
        ).shifted(first)
        phases.append(Phase(number, first, stop - 1, chosen.get(first), result))
    if not values:
        phases.append(Phase(1, 0, -1, None, analyze_run_chart([], rules=rules)))
    return SeriesAnalysis(tuple(dates), tuple(float(v) for v in values), _normalise_rules(rules), tuple(phases))


# --------------------------------------------------------------------------- IHI vs Anhøj


@dataclass(frozen=True)
class RuleComparison:
    """Where the IHI and Anhøj rule sets agree and disagree on one series.

    `agreement` maps each flagged point to "both", "IHI only" or "Anhøj only";
    `differences` are sentences naming each signal only one rule set sees and
    why the other does not."""

    ihi: SeriesAnalysis
    anhoej: SeriesAnalysis
    agreement: dict[int, str]
    differences: tuple[str, ...]

    @property
    def agree(self) -> bool:
        return not self.differences

    def summary(self) -> str:
        if self.agree:
            verdict = "a signal" if self.ihi.signal else "no signal"
            return f"The IHI and Anhøj rules agree: {verdict}."
        return (
            f"The IHI and Anhøj rules disagree in {_plural(len(self.differences), 'place')}. "
            "Treat these as 'look closer', not as proof."
        )


def compare_rule_sets(
    dates: Sequence[dt.date],
    values: Sequence[float],
    *,
    baseline: int | None = None,
    phase_starts: Sequence[dt.date] = (),
    noun: str = "points",
) -> RuleComparison:
    """Analyse with both rule sets and explain every difference."""
    ihi = analyze_series(dates, values, rules="ihi", baseline=baseline, phase_starts=phase_starts)
    anh = analyze_series(dates, values, rules="anhoej", baseline=baseline, phase_starts=phase_starts)
    by_ihi, by_anh = ihi.flagged(), anh.flagged()
    agreement = {i: "both" for i in by_ihi & by_anh}
    agreement.update({i: "IHI only" for i in by_ihi - by_anh})
    agreement.update({i: "Anhøj only" for i in by_anh - by_ihi})

    differences = []
    for p_ihi, p_anh in zip(ihi.phases, anh.phases, strict=True):
        prefix = f"Phase {p_ihi.number}: " if len(ihi.phases) > 1 else ""
        for text in _phase_differences(p_ihi.result, p_anh.result, ihi.dates, noun):
            differences.append(prefix + text)
    return RuleComparison(ihi, anh, agreement, tuple(differences))


def _phase_differences(ihi: RunChartResult, anh: RunChartResult, dates, noun: str) -> list[str]:
    out = []
    n = ihi.useful_observations
    long_runs = {(s.first, s.last) for s in anh.signals if s.rule == "long run"}
    shifts = {(s.first, s.last) for s in ihi.signals if s.rule == "shift"}
    has_few_crossings = any(s.rule == "few crossings" for s in anh.signals)
    for s in ihi.signals:
        said = s.describe(dates, noun=noun)
        if s.rule == "shift" and (s.first, s.last) not in long_runs:
            out.append(
                f"Only IHI: {said} The Anhøj rules need a run longer than {anh.longest_run_max} "
                f"with {n} useful {noun}."
            )
        elif s.rule == "trend":
            out.append(
                f"Only IHI: {said} The Anhøj rules have no trend rule: a trend signals there only "
                "when it also makes a long run or too few crossings."
            )
        elif s.rule == "too few runs" and not has_few_crossings:
            out.append(
                f"Only IHI: {said} The Anhøj rules see {_plural(anh.crossings, 'crossing')}, "
                f"and chance allows as few as {anh.crossings_min}."
            )
        elif s.rule == "too many runs":
            out.append(
                f"Only IHI: {said} The Anhøj rules do not test for too many runs."
            )
    for s in anh.signals:
        said = s.describe(dates, noun=noun)
        if s.rule == "long run" and (s.first, s.last) not in shifts:
            out.append(f"Only Anhøj: {said} IHI needs {IHI_SHIFT_LENGTH} {noun} in a row.")
        elif s.rule == "few crossings" and ihi.runs_signal != "too few":
            if ihi.runs_limits is None:
                why = f"the IHI runs table covers only 10-60 useful {noun} (here {n})"
            else:
                why = (
                    f"the IHI runs table allows {ihi.runs_limits[0]} to {ihi.runs_limits[1]} runs "
                    f"with {n} useful {noun}, and there are {ihi.runs}"
                )
            out.append(f"Only Anhøj: {said} No IHI runs signal: {why}.")
    return out

"""The run-chart rules, against hand-worked cases and an independent reference.

Every hand-worked case says in a comment how the expected numbers were worked
out, so a reader can check it with pencil and paper."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import math
import pickle
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciwidgets.analysis import (
    IHI_RUNS_TABLE,
    analyze_run_chart,
    analyze_series,
    compare_rule_sets,
)
from ciwidgets.analysis.numbers import format_number
from ciwidgets.analysis.runchart import (
    _quantile_by_floats,
    _quantile_exact,
    anhoej_crossings_min,
    anhoej_longest_run_max,
    binomial_half_quantile_05,
)

from .properties import examples

NAN = float("nan")
REFERENCE_TABLE = Path("/work/shared/reference/ihi_runs_table.csv")


def check(result, **expected):
    """Compare the named attributes, showing every mismatch at once."""
    got = {name: getattr(result, name) for name in expected}
    assert got == expected


# ----------------------------------------------------------------- the median and useful observations


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values():
    check(analyze_run_chart([4, 1, 3, 2]), median=2.5, useful_observations=4)


def test_points_on_the_median_are_not_useful():
    # sorted 1, 5, 5, 9 -> median (5 + 5) / 2 = 5; only 1 and 9 are useful.
    check(
        analyze_run_chart([1, 5, 5, 9]),
        median=5.0, useful_observations=2, runs=2, longest_run=1, crossings=1, signal=False,
    )


def test_a_point_on_the_median_in_an_odd_series():
    # sorted 1,1,1,1,5,9,9,9,9 -> median 5; 8 useful; runs ---- ++++ = 2.
    # Fewer than 10 useful: no runs rule, so two runs are no signal.
    check(
        analyze_run_chart([1, 1, 1, 1, 5, 9, 9, 9, 9]),
        median=5.0, useful_observations=8, runs=2, longest_run=4, crossings=1,
        runs_limits=None, runs_signal=None, shifts=[], trends=[], signal=False,
    )


def test_missing_values_are_skipped_and_keep_original_indices():
    # Non-missing: six 1s and six 9s -> median (1 + 9) / 2 = 5, all 12 useful.
    # Below: indices 0, 2, 4, 5, 6, 7 (six useful points) -> shift (0, 7);
    # above: 8..13 -> shift (8, 13). Two runs for 12 useful: table (3, 11) -> too few.
    values = [1, None, 1, NAN, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9]
    check(
        analyze_run_chart(values),
        median=5.0, useful_observations=12, runs=2, longest_run=6, crossings=1,
        shifts=[(0, 7), (8, 13)], trends=[], runs_limits=(3, 11), runs_signal="too few",
        signal=True,
    )


def test_a_point_on_the_median_does_not_break_a_run():
    # Baseline 4, 6, 4, 6 -> median 5. Then 1 1 1 (5) 1 1 1: the 5 is skipped,
    # so six useful points below run from index 4 to 10.
    # Runs: - + - + ------ = 5 for 10 useful (table 3..9): no runs signal.
    # Collapsed values 4 6 4 6 1 5 1 zig-zag: no trend.
    values = [4, 6, 4, 6, 1, 1, 1, 5, 1, 1, 1]
    check(
        analyze_run_chart(values, baseline=4),
        median=5.0, useful_observations=10, runs=5, longest_run=6, crossings=4,
        shifts=[(4, 10)], trends=[], runs_limits=(3, 9), runs_signal=None, signal=True,
    )


def test_shift_span_runs_from_first_to_last_useful_point():
    # Baseline 1, 9 -> median 5. Above: indices 1, 3, 4, 6, 7, 8 (index 2 and 9 on the
    # median, 5 missing): six useful points -> shift (1, 8), not (1, 9).
    values = [1, 9, 5, 9, 9, None, 9, 9, 9, 5]
    check(
        analyze_run_chart(values, baseline=2),
        median=5.0, useful_observations=7, runs=2, longest_run=6, shifts=[(1, 8)],
    )


def test_five_in_a_row_is_not_a_shift_but_six_is():
    # Baseline [1, 9] -> median 5.
    five = analyze_run_chart([1, 9, 9, 9, 9, 9], baseline=2)
    six = analyze_run_chart([1, 9, 9, 9, 9, 9, 9], baseline=2)
    check(five, longest_run=5, shifts=[], signal=False)
    check(six, longest_run=6, shifts=[(1, 6)], signal=True)


def test_all_values_on_the_median():
    check(
        analyze_run_chart([5, 5, 5]),
        median=5.0, useful_observations=0, runs=0, longest_run=None, crossings=None,
        shifts=[], trends=[], runs_signal=None, signal=False,
    )
    check(
        analyze_run_chart([5, 5, 5], rules="anhoej"),
        useful_observations=0, runs=0, longest_run=None, crossings=None,
        longest_run_max=None, crossings_min=None, runs_signal=False, signal=False,
    )
    assert analyze_run_chart([5, 5, 5]).notes() == ["All 3 points are on the median, so there is nothing to judge yet."]
    assert analyze_run_chart([31]).notes() == [
        "One point is its own median, so there is nothing to judge yet. Keep adding data."]


@pytest.mark.parametrize("values", [[], [None, None], [NAN]])
def test_no_data(values):
    check(
        analyze_run_chart(values),
        median=None, useful_observations=0, runs=0, longest_run=None, crossings=None,
        shifts=[], trends=[], runs_limits=None, runs_signal=None, signal=False,
    )


# ----------------------------------------------------------------- baselines


def test_baseline_counts_non_missing_values():
    # First three non-missing: 1, 3, 2 -> median 2. Signs: - + (on) + + + -> runs - ++++:
    # below (1, 1), above (3, 7) with four useful points.
    values = [None, 1, None, 3, 2, 10, 10, 10]
    result = analyze_run_chart(values, baseline=3)
    check(
        result, median=2.0, baseline_count=3, useful_observations=5, runs=2, longest_run=4,
        crossings=1, shifts=[], trends=[], signal=False,
    )


def test_baseline_median_applies_to_the_whole_series():
    # Baseline 1 2 3 4 -> median 2.5. Signs - - + + then six more + -> a run of 8
    # above: shift (2, 9). Collapsed 1 2 3 4 10 rises for 5 points -> trend (0, 4).
    # 10 useful, 2 runs, table (3, 9) -> too few runs.
    values = [1, 2, 3, 4, 10, 10, 10, 10, 10, 10]
    check(
        analyze_run_chart(values, baseline=4),
        median=2.5, useful_observations=10, runs=2, longest_run=8, shifts=[(2, 9)],
        trends=[(0, 4)], runs_signal="too few", signal=True,
    )


def test_baseline_longer_than_the_data_uses_all_of_it():
    assert analyze_run_chart([1, 2, 3], baseline=10).median == 2.0
    assert analyze_run_chart([1, 2, 3], baseline=10).baseline_count == 3


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3"])
def test_a_baseline_must_be_a_positive_whole_number(bad):
    with pytest.raises(ValueError):
        analyze_run_chart([1, 2, 3], baseline=bad)


# ----------------------------------------------------------------- trends


@pytest.mark.parametrize(
    "values, trends",
    [
        ([1, 2, 3, 4], []),  # four points: too short
        ([1, 2, 3, 4, 5], [(0, 4)]),
        ([5, 4, 3, 2, 1], [(0, 4)]),
        # Equal neighbours count once, at the first of them.
        ([1, 2, 2, 3, 4, 5], [(0, 5)]),
        ([1, 1, 2, 3, 4, 5], [(0, 5)]),
        ([1, 2, 3, 4, 5, 5], [(0, 4)]),
        ([1, 2, 2, 3, 3, 4], []),  # only four counted points
        # A turning point ends one trend and starts the next.
        ([1, 2, 3, 4, 5, 4, 3, 2, 1], [(0, 4), (4, 8)]),
        ([1, 2, 3, 4, 3, 4, 5, 6], []),
        # Missing values neither break nor count.
        ([1, None, 2, 3, None, 4, 5], [(0, 6)]),
        ([1, 2, None, 2, 3, 4, 5], [(0, 6)]),
        ([7, 1, 2, 3, 4, 5, 9, 8], [(1, 6)]),
    ],
)
def test_trends(values, trends):
    assert analyze_run_chart(values).trends == trends


def test_trend_directions_and_counted_points():
    result = analyze_run_chart([1, 2, 2, 3, 4, 5, 4, 3, 2, 1])
    found = [(s.first, s.last, s.direction, s.count) for s in result.signals if s.rule == "trend"]
    # Collapsed: 1 2 3 4 5 (five points, 0..5) then 5 4 3 2 1 (five points, 5..9).
    assert found == [(0, 5, "up", 5), (5, 9, "down", 5)]


def test_anhoej_has_no_trend_rule():
    result = analyze_run_chart([1, 2, 3, 4, 5], rules="anhoej")
    check(result, trends=[], signal=False)


# ----------------------------------------------------------------- IHI runs table


def test_the_runs_table_is_the_published_one():
    if not REFERENCE_TABLE.exists():
        pytest.skip("reference table not available")
    with REFERENCE_TABLE.open() as f:
        published = {
            int(row["useful_observations"]): (int(row["lower_limit"]), int(row["upper_limit"]))
            for row in csv.DictReader(f)
        }
    assert IHI_RUNS_TABLE == published


@pytest.mark.parametrize(
    "values, runs, verdict",
    [
        # 10 useful (five 1s, five 9s, median 5), table (3, 9).
        ([1, 1, 1, 1, 1, 9, 9, 9, 9, 9], 2, "too few"),  # 2 < 3
        ([1, 1, 1, 9, 9, 9, 9, 9, 1, 1], 3, None),  # 3 is not < 3
        ([1, 9, 1, 9, 1, 9, 1, 9, 9, 1], 9, None),  # 9 is not > 9
        ([1, 9, 1, 9, 1, 9, 1, 9, 1, 9], 10, "too many"),  # 10 > 9
    ],
)
def test_runs_rule_at_its_limits(values, runs, verdict):
    result = analyze_run_chart(values)
    check(result, useful_observations=10, runs=runs, runs_limits=(3, 9), runs_signal=verdict)
    assert result.signal == (verdict is not None)


def test_runs_rule_needs_ten_to_sixty_useful_observations():
    # Baseline 1, 9 -> median 5; alternating values make one run per point.
    sixty = analyze_run_chart([1, 9] * 30, baseline=2)
    check(sixty, useful_observations=60, runs=60, runs_limits=(24, 38), runs_signal="too many")
    sixty_one = analyze_run_chart([1, 9] * 30 + [1], baseline=2)
    check(sixty_one, useful_observations=61, runs=61, runs_limits=None, runs_signal=None, signal=False)
    nine = analyze_run_chart([1, 1, 1, 1, 1, 9, 9, 9, 9], baseline=2)  # median 1 -> 4 useful
    check(nine, runs_limits=None, runs_signal=None)


# ----------------------------------------------------------------- Anhøj


@pytest.mark.parametrize(
    "n, expected",
    [
        (1, 3), (2, 4), (3, 5), (4, 5), (5, 5), (6, 6), (11, 6), (12, 7), (22, 7), (23, 8),
        (24, 8), (45, 8), (46, 9), (90, 9), (91, 10), (181, 10), (182, 11), (362, 11), (363, 12),
    ],
)
def test_longest_run_limit_at_the_rounding_boundaries_of_log2(n, expected):
    # log2 crosses k + 0.5 between n = floor(2^(k+0.5)) and the next n:
    # 2^2.5 = 5.66, 2^3.5 = 11.3, 2^4.5 = 22.6, 2^5.5 = 45.3, 2^6.5 = 90.5, 2^7.5 = 181.0.
    assert anhoej_longest_run_max(n) == expected


def test_log2_of_a_whole_number_is_never_halfway():
    # Why banker's rounding (Python, R) and rounding half up cannot disagree here:
    # at every boundary up to n of about 10^9 (far beyond any chart), log2(n) is
    # thousands of rounding steps (ulps) away from k + 0.5, so no rounding can flip.
    for k in range(0, 30):
        edge = 2 ** (k + 0.5)
        for n in (math.floor(edge), math.ceil(edge)):
            assert abs(math.log2(n) - (k + 0.5)) > 1000 * math.ulp(k + 0.5)
            assert round(math.log2(n)) == math.floor(math.log2(n) + 0.5)


def test_crossings_minimum_examples():
    # qbinom(0.05, n - 1, 0.5). n = 10: P(X <= 1) = 10/512 < .05, P(X <= 2) = 46/512 -> 2.
    # n = 12: P(X <= 2) = 67/2048 = .033, P(X <= 3) = 232/2048 = .113 -> 3.
    # n = 1: no trials -> 0. n = 24 -> 8 (the reference README's example).
    assert [anhoej_crossings_min(n) for n in (1, 2, 5, 10, 12, 24)] == [0, 0, 0, 2, 3, 8]
    assert anhoej_crossings_min(0) is None and anhoej_longest_run_max(0) is None


def test_binomial_quantile_matches_scipy():
    binom = pytest.importorskip("scipy.stats").binom
    for trials in range(0, 2101):
        assert binomial_half_quantile_05(trials) == int(binom.ppf(0.05, trials, 0.5)), trials


@pytest.mark.parametrize("trials", [2001, 2500, 4099, 9999, 15000])
def test_fast_binomial_quantile_agrees_with_the_exact_sum(trials):
    assert _quantile_by_floats(trials) == _quantile_exact(trials)


def test_binomial_quantile_for_long_series_matches_scipy():
    binom = pytest.importorskip("scipy.stats").binom
    for trials in (30_000, 99_999, 250_000):
        assert binomial_half_quantile_05(trials) == int(binom.ppf(0.05, trials, 0.5))


def test_anhoej_long_run_signals_only_when_longer_than_the_limit():
    # Baseline 9, 1 -> median 5. Signs + - + ------- + : 11 useful, runs 5, longest 7
    # (indices 3..9). log2 11 = 3.46 -> limit 6: 7 > 6 signals. Crossings 4 >= 2.
    eleven = analyze_run_chart([9, 1, 9, 1, 1, 1, 1, 1, 1, 1, 9], rules="anhoej", baseline=2)
    check(
        eleven, median=5.0, useful_observations=11, runs=5, longest_run=7, crossings=4,
        longest_run_max=6, crossings_min=2, runs_signal=True, signal=True, shifts=[(3, 9)],
        trends=[], runs_limits=None,
    )
    # One more point above: 12 useful, log2 12 = 3.58 -> limit 7: 7 is not > 7.
    twelve = analyze_run_chart([9, 1, 9, 1, 1, 1, 1, 1, 1, 1, 9, 9], rules="anhoej", baseline=2)
    check(
        twelve, useful_observations=12, longest_run=7, longest_run_max=7, crossings_min=3,
        runs_signal=False, signal=False, shifts=[],
    )


def _runs_of(lengths):
    """Alternating runs of 1s (below) and 9s (above) with the given lengths."""
    out = []
    for k, length in enumerate(lengths):
        out += [1 if k % 2 == 0 else 9] * length
    return out


def test_anhoej_crossings_at_the_limit():
    # 24 useful points, baseline = first six (1 1 1 9 9 9) -> median 5.
    # Nine runs -> 8 crossings: not < 8 (no signal). Eight runs -> 7 crossings: signal.
    nine_runs = analyze_run_chart(_runs_of([3, 3, 3, 3, 3, 3, 2, 2, 2]), rules="anhoej", baseline=6)
    check(
        nine_runs, useful_observations=24, crossings=8, crossings_min=8, longest_run_max=8,
        runs_signal=False, signal=False,
    )
    eight_runs = analyze_run_chart(_runs_of([3] * 8), rules="anhoej", baseline=6)
    check(eight_runs, useful_observations=24, crossings=7, crossings_min=8, runs_signal=True, signal=True)
    # IHI's table for 24 is (8, 18): eight runs are no signal there.
    check(analyze_run_chart(_runs_of([3] * 8), baseline=6), runs=8, runs_signal=None, signal=False)


def test_anhoej_with_a_single_useful_observation():
    # Baseline 1 -> median 1; only the 3 is useful: limit round(log2 1) + 3 = 3, qbinom(.05, 0, .5) = 0.
    check(
        analyze_run_chart([1, 3], rules="anhoej", baseline=1),
        useful_observations=1, runs=1, longest_run=1, crossings=0, longest_run_max=3,
        crossings_min=0, runs_signal=False, signal=False,
    )


@pytest.mark.parametrize("name", ["anhoej", "Anhøj", "ANHOJ", "anhøj"])
def test_rule_set_names(name):
    assert analyze_run_chart([1, 2], rules=name).rules == "anhoej"


def test_unknown_rule_set():
    with pytest.raises(ValueError, match="ihi"):
        analyze_run_chart([1, 2], rules="western electric")


# ----------------------------------------------------------------- input and the result object


def test_non_numbers_are_refused_with_their_position():
    with pytest.raises(ValueError, match="value 2"):
        analyze_run_chart([1, "many", 3])
    with pytest.raises(ValueError, match="infinite"):
        analyze_run_chart([1, float("inf")])


@pytest.mark.parametrize("values, message", [
    (["1", "2", "3"], r"value 1 \('1'\) is not a number"),  # text is not read as numbers
    ([1, None, "2"], r"value 3 \('2'\) is not a number"),
    ([True, False, True], "value 1 \\(True\\) is not a number"),
    ([4, 5, True, 6], "value 3 \\(True\\) is not a number"),  # not read as 1
    ([1 + 2j, 3], "value 1 .* is not a number"),
    (5, "numbers in time order"),
    (None, "numbers in time order"),
    ([10**400, 1], "value 1 is too large"),
    ({1, 2, 3}, "in time order"),  # a set has no order
    ({"a": 1}, "in time order"),
])
def test_what_is_not_a_series_of_numbers_is_refused_in_words(values, message):
    with pytest.raises(ValueError, match=message):
        analyze_run_chart(values)


def test_any_sequence_in_time_order_will_do():
    assert analyze_run_chart(v for v in [1, 2, 3]).median == 2.0
    assert analyze_run_chart((1, None, 3)).median == 2.0


def test_numpy_and_pandas_input():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    assert analyze_run_chart(np.array([1.0, np.nan, 3.0])).median == 2.0
    series = pd.Series([1, None, 3], dtype="Float64")
    assert analyze_run_chart(series).median == 2.0


def test_the_result_is_immutable_but_compares_as_lists():
    result = analyze_run_chart([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    assert result.shifts == [(0, 5), (6, 11)]
    with pytest.raises(AttributeError):
        result.median = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.shifts.append((1, 2))
    with pytest.raises(TypeError):
        result.trends[0] = (0, 1)
    assert pickle.loads(pickle.dumps(result)) == result
    assert copy.deepcopy(result) == result
    assert hash(result) == hash(analyze_run_chart([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))
    assert all(type(i) is int for pair in result.shifts for i in pair)


# ----------------------------------------------------------------- explanations


def weekly(n, start=dt.date(2026, 9, 7)):
    return [start + dt.timedelta(weeks=k) for k in range(n)]


def test_explanations_name_dates_and_say_what_it_means():
    # Baseline 4 6 6 4 -> median 5; then eight points above from index 4 (5 Oct).
    values = [4, 6, 6, 4, 7, 8, 7, 9, 8, 7, 8, 9]
    result = analyze_run_chart(values, baseline=4)
    (shift,) = result.explain(weekly(12), desired_direction="up")
    assert shift == (
        "Eight points in a row above the median from 5 Oct 2026 to 23 Nov 2026: a shift. "
        "This is unlikely to be chance. It is in the direction you want."
    )
    assert result.explain(noun="weeks")[0].startswith("Eight weeks in a row above the median from point 5")


def test_explanations_for_runs_and_crossings():
    too_few = analyze_run_chart([1, 1, 1, 1, 1, 9, 9, 9, 9, 9])
    assert too_few.explain() == [
        "Only 2 runs for 10 points not on the median, where chance gives at least 3: too few runs. "
        "The data stays on one side of the median for long stretches. This is unlikely to be chance."
    ]
    few_crossings = analyze_run_chart(_runs_of([3] * 8), rules="anhoej", baseline=6)
    assert "crosses the median only 7 times" in few_crossings.explain()[0]


def test_notes_and_summary():
    short = analyze_run_chart([1, 2, 3, 4])
    assert "too few to judge" in short.notes()[0] and short.too_few_to_judge
    quiet = analyze_run_chart([1, 9, 1, 9, 1, 9, 1, 9, 9, 1])
    assert quiet.summary().startswith("No signal")
    assert analyze_run_chart([]).notes() == ["There is no data yet."]


def test_format_number():
    assert [format_number(v) for v in (62.5, 62.0, 1 / 3, 1234.5, 0.0, -2.25)] == [
        "62.5", "62", "0.333", "1,234.5", "0", "-2.25",
    ]


# ----------------------------------------------------------------- phases and the two rule sets


def test_each_phase_has_its_own_median():
    dates = weekly(16)
    values = [2, 3, 2, 3, 2, 3, 2, 3, 8, 9, 8, 9, 8, 9, 8, 9]
    series = analyze_series(dates, values, phase_starts=[dates[8]])
    assert [(p.first, p.last, p.result.median) for p in series.phases] == [(0, 7, 2.5), (8, 15, 8.5)]
    assert series.phases[1].start_date == dates[8]
    assert not series.signal  # each phase alone zig-zags around its own median


def test_baseline_applies_to_the_first_phase_and_indices_are_series_indices():
    dates = weekly(14)
    values = [1, 9, 9, 9, 9, 9, 9, 9, 2, 3, 2, 3, 2, 3]
    series = analyze_series(dates, values, baseline=2, phase_starts=[dates[8]])
    first, second = series.phases
    assert first.result.median == 5.0 and first.result.shifts == [(1, 7)]
    assert second.result.median == 2.5 and second.first == 8
    assert series.flagged() == set(range(1, 8))
    assert series.explain()[0].startswith("Phase 1: Seven points in a row above the median from 14 Sep 2026")


def test_phase_starting_after_the_data_makes_no_phase():
    dates = weekly(5)
    series = analyze_series(dates, [1, 2, 3, 4, 5], phase_starts=[dates[-1] + dt.timedelta(days=30)])
    assert len(series.phases) == 1


def test_series_must_be_in_time_order():
    with pytest.raises(ValueError):
        analyze_series([dt.date(2026, 2, 1), dt.date(2026, 1, 1)], [1, 2])


def test_where_the_rule_sets_disagree():
    # Baseline 4 6 4 6 -> median 5; six useful below with a 5 inside: an IHI shift,
    # but Anhøj allows runs up to 6 with 10 useful points.
    values = [4, 6, 4, 6, 1, 1, 1, 5, 1, 1, 1]
    comparison = compare_rule_sets(weekly(11), values, baseline=4)
    assert not comparison.agree
    assert comparison.agreement == {i: "IHI only" for i in (4, 5, 6, 8, 9, 10)}
    (difference,) = comparison.differences
    assert difference.startswith("Only IHI: Six points in a row below the median from 5 Oct 2026")
    assert "longer than 6 with 10 useful points" in difference


def test_anhoej_only_disagreement_is_explained():
    comparison = compare_rule_sets(weekly(24), _runs_of([3] * 8), baseline=6)
    (difference,) = comparison.differences
    assert difference.startswith("Only Anhøj: The data crosses the median only 7 times")
    assert "allows 8 to 18 runs with 24 useful points, and there are 8" in difference


def test_agreement():
    comparison = compare_rule_sets(weekly(10), [1, 9, 1, 9, 1, 9, 1, 9, 9, 1])
    assert comparison.agree and comparison.summary() == "The IHI and Anhøj rules agree: no signal."


# ----------------------------------------------------------------- an independent reference


def reference(values, rules="ihi", baseline=None):
    """The definitions of the issue, written as plainly as possible with loops."""
    points = [(i, v) for i, v in enumerate(values) if v is not None and not math.isnan(v)]
    base = [v for _, v in points][: baseline if baseline else len(points)]
    if not base:
        return dict(median=None, useful_observations=0, runs=0, longest_run=None, crossings=None,
                    shifts=[], trends=[], signal=False)
    ordered = sorted(base)
    half = len(ordered) // 2
    median = ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2
    useful = [(i, v > median) for i, v in points if v != median]
    runs = []  # [side, first, last, length]
    for i, above in useful:
        if runs and runs[-1][0] == above:
            runs[-1][2], runs[-1][3] = i, runs[-1][3] + 1
        else:
            runs.append([above, i, i, 1])
    n = len(useful)
    out = dict(
        median=median, useful_observations=n, runs=len(runs),
        longest_run=max((r[3] for r in runs), default=None),
        crossings=len(runs) - 1 if runs else None,
    )
    if rules == "anhoej":
        limit = round(math.log2(n)) + 3 if n else None
        least = None
        if n:
            total, least = 0, None
            for x in range(n):
                total += math.comb(n - 1, x)
                if total * 20 >= 2 ** (n - 1):
                    least = x
                    break
        out["shifts"] = [(r[1], r[2]) for r in runs if n and r[3] > limit]
        out["trends"] = []
        out["signal"] = bool(n) and (out["longest_run"] > limit or out["crossings"] < least)
        out["longest_run_max"], out["crossings_min"] = limit, least
        return out
    out["shifts"] = [(r[1], r[2]) for r in runs if r[3] >= 6]
    counted = []
    for i, v in points:
        if not counted or counted[-1][1] != v:
            counted.append((i, v))
    trends, k = [], 0
    while k < len(counted) - 1:
        up = counted[k + 1][1] > counted[k][1]
        j = k + 1
        while j + 1 < len(counted) and (counted[j + 1][1] > counted[j][1]) == up:
            j += 1
        if j - k + 1 >= 5:
            trends.append((counted[k][0], counted[j][0]))
        k = j
    out["trends"] = trends
    verdict = None
    if 10 <= n <= 60:
        lower, upper = IHI_RUNS_TABLE[n]
        verdict = "too few" if len(runs) < lower else "too many" if len(runs) > upper else None
    out["runs_signal"] = verdict
    out["signal"] = bool(out["shifts"] or trends or verdict)
    return out


series_values = st.lists(
    st.one_of(st.none(), st.just(NAN), st.integers(0, 6).map(float), st.sampled_from([2.5, 3.5])),
    max_size=80,
)


@settings(max_examples=examples(400), deadline=None)
@given(series_values, st.sampled_from(["ihi", "anhoej"]), st.one_of(st.none(), st.integers(1, 30)))
def test_agrees_with_the_plain_reference(values, rules, baseline):
    expected = reference(values, rules, baseline)
    result = analyze_run_chart(values, rules=rules, baseline=baseline)
    check(result, **expected)
    assert result.signal == bool(result.signals)


@pytest.mark.parametrize("series, message", [
    (pd.Series([1, True, 3], dtype=object), r"value 2 \(True\) is not a number"),
    (pd.Series([True, False, True]), "value 1 .* is not a number"),
    (pd.Series([True, None, False], dtype="boolean"), "value 1 .* is not a number"),
    (pd.Series(["1", "2", "3"]), r"value 1 \('1'\) is not a number"),
    (pd.Series(pd.to_datetime(["2026-01-01", "2026-02-01"])), "value 1 .* is not a number"),
    (pd.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]}), "one column, not a table"),
])
def test_a_series_is_checked_as_a_list_is(series, message):
    with pytest.raises(ValueError, match=message):
        analyze_run_chart(series)


def test_pandas_gaps_are_gaps_in_a_list_too():
    assert analyze_run_chart([1, pd.NA, 2, pd.NaT, 3]).useful_observations == 2  # 1 and 3; 2 is the median
    assert analyze_run_chart(pd.Series([1, None, 3], dtype="Int64")).median == 2.0


def test_too_few_points_are_not_called_chance():
    assert analyze_run_chart([1, 2]).summary() == "No signal yet, but too few points to judge."
    assert analyze_run_chart([5] * 11 + [6]).notes()[0].startswith("Only 1 point is off the median")
    enough = analyze_run_chart([5, 7, 4, 8, 6, 3, 7, 5, 8, 4, 6, 7, 3, 5, 8, 4])  # 16 off the median
    assert enough.summary().startswith("No signal: the variation looks like chance")

"""No silently wrong result (issue 14 §3): exact round trips of every result type, validated JSON,
datetimes of every unit, integer group keys kept, one rule for unusable weights, overflowing counts,
non-finite chart values, undefined comparisons and scale-free drivers, each a clear error or a
finite, documented result."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxmetrics as cx

NPS_METHODS = ["adjusted_wald", "wald", "score", "bootstrap", "bootstrap_bca", "bayes"]
SHARE_METHODS = ["wilson", "wald", "jeffreys", "agresti_coull", "clopper_pearson", "bootstrap", "bayes"]

scores_0_10 = st.lists(st.integers(0, 10), min_size=2, max_size=60)


def _same(a, b) -> bool:
    return pickle.loads(pickle.dumps(a)) == a and type(a).from_json(a.to_json()) == a and a == b


def _estimates(scores: list[int], weights: np.ndarray) -> list[cx.Estimate]:
    five = [s % 5 + 1 for s in scores]
    out = []
    for m in NPS_METHODS:
        out.append(cx.nps(scores, method=m, n_resamples=50, seed=1))
    for m in ("bootstrap", "bootstrap_bca"):
        out.append(cx.nps(scores, weights=weights, method=m, n_resamples=50, seed=2))
    out.append(cx.nps(scores, weights=weights, method="wald"))
    for m in SHARE_METHODS:
        try:
            out.append(cx.csat(five, method=m, n_resamples=50, seed=3))
        except cx.UnknownMethodError:
            continue
    out.append(cx.csat(five, weights=weights, method="wilson"))
    out.append(cx.mean_score(five, scale=(1, 5)))
    out.append(cx.mean_score(five, scale=(1, 5), weights=weights))
    out.append(cx.satisfaction_index(five, scale=(1, 5), weights=weights))
    return out


@settings(max_examples=60, deadline=None)
@given(scores_0_10, st.integers(0, 2**32 - 1))
def test_every_result_round_trips_bit_for_bit(scores, seed):
    rng = np.random.default_rng(seed)
    weights = rng.uniform(0.01, 5.0, len(scores)) * 10.0 ** rng.integers(-3, 4)
    estimates = _estimates(scores, weights)
    for e in estimates:
        back = pickle.loads(pickle.dumps(e))
        assert back == e and cx.Estimate.from_json(e.to_json()) == e, e
        for field in ("value", "lower", "upper", "std_error", "effective_n"):
            assert np.float64(getattr(back, field)).tobytes() == np.float64(getattr(e, field)).tobytes()
    for counts in (
        cx.ScoreCounts.from_scores(scores, scale=(0, 10)),
        cx.ScoreCounts.from_scores(scores, scale=(0, 10), weights=weights),
    ):
        assert pickle.loads(pickle.dumps(counts)) == counts
        assert cx.ScoreCounts.from_json(counts.to_json()) == counts
    half = len(scores) // 2
    comparisons = [
        cx.compare(cx.nps(scores[:half] or [5]), cx.nps(scores[half:])),
        cx.compare(estimates[-3], cx.mean_score([s % 5 + 1 for s in scores[::-1]] + [1, 5], scale=(1, 5))),
        cx.test_against(estimates[0], 10.0),
    ]
    for c in comparisons:
        assert pickle.loads(pickle.dumps(c)) == c
        assert cx.Comparison.from_json(c.to_json()) == c


def test_from_json_is_validated():
    good = json.loads(cx.nps([10, 9, 0, 7]).to_json())
    cx.Estimate.from_json(json.dumps(good))
    for field, bad in [
        ("value", 150.0),
        ("lower", -300.0),
        ("confidence", 2.0),
        ("confidence", 0.0),
        ("std_error", -1.0),
        ("effective_n", -3.0),
    ]:
        broken = dict(good, **{field: bad})
        with pytest.raises(cx.CxError, match=field):
            cx.Estimate.from_json(json.dumps(broken))
    flipped = dict(good, lower=good["upper"], upper=good["lower"])
    with pytest.raises(cx.CxError, match="lower"):
        cx.Estimate.from_json(json.dumps(flipped))
    share = json.loads(cx.csat([5, 4, 1, 2]).to_json())
    with pytest.raises(cx.CxError, match="successes"):
        cx.Estimate.from_json(json.dumps(dict(share, successes=99)))
    nps = dict(good, nps=dict(good["nps"], promoters=good["nps"]["promoters"] + 1))
    with pytest.raises(cx.CxError, match="add up"):
        cx.Estimate.from_json(json.dumps(nps))
    c = json.loads(cx.compare(cx.nps([10, 9, 0]), cx.nps([1, 2, 10])).to_json())
    for field, bad in [("method", "magic"), ("p_value", 1.5), ("confidence", -1.0)]:
        with pytest.raises(cx.CxError, match=field):
            cx.Comparison.from_json(json.dumps(dict(c, **{field: bad})))
    for not_text in (None, 3, ["{}"], "\ud800"):
        with pytest.raises(cx.InvalidInputError):
            cx.Estimate.from_json(not_text)
    assert cx.Estimate.from_json(cx.nps([9, 1]).to_json().encode()) == cx.nps([9, 1])


@pytest.mark.parametrize("unit", ["s", "ms", "us"])
def test_trend_reads_every_datetime_unit_outside_the_nanosecond_range(unit):
    times = np.array(["2925-01-15", "1500-06-01", "2025-03-01"], dtype=f"datetime64[{unit}]")
    expected = ["1500-01-01", "2025-01-01", "2925-01-01"]
    frame = pd.DataFrame({"t": times, "nps": [9, 10, 3]})
    t = cx.trend(frame, time="t", freq="year", nps="nps")
    assert t.loc[t.n > 0, "period"].astype(str).tolist() == expected
    assert t["n"].sum() == 3
    polars_unit = "ms" if unit == "s" else unit
    t = cx.trend(pl.DataFrame({"t": times.astype(f"datetime64[{polars_unit}]"), "nps": [9, 10, 3]}), time="t", freq="year", nps="nps")
    assert [str(p)[:10] for p in t.filter(pl.col("n") > 0)["period"].to_list()] == expected
    aware = pd.DataFrame({"t": pd.to_datetime(["2925-01-15", "2025-03-01"]).as_unit(unit).tz_localize("Europe/Madrid"), "nps": [9, 3]})
    t = cx.trend(aware, time="t", freq="year", nps="nps")
    assert t.loc[t.n > 0, "period"].astype(str).str[:10].tolist() == ["2025-01-01", "2925-01-01"]


def test_trend_in_the_nanosecond_range_keeps_nanosecond_periods():
    frame = pd.DataFrame({"t": pd.to_datetime(["2025-01-15", "2025-03-01"]), "nps": [9, 3]})
    assert cx.trend(frame, time="t", nps="nps")["period"].dtype == np.dtype("datetime64[ns]")


@pytest.mark.parametrize("dtype", ["int64", "uint64", "Int64"])
def test_summarize_keeps_integer_keys_and_their_identity(dtype):
    keys = pd.array([2**53, 2**53 + 1, 2**53, 2**53 + 1], dtype=dtype)
    r = cx.summarize(pd.DataFrame({"k": keys, "nps": [9, 10, 3, 4]}), by="k", nps="nps", min_n=1)
    assert r["k"].dropna().tolist() == [2**53, 2**53 + 1]
    assert r["k"].dtype.kind in "iu"
    assert r["n"].tolist() == [4, 2, 2]


def test_weights_whose_sums_overflow_or_underflow_get_one_answer_everywhere():
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 3, 4, 5, 1]})
    for scale in (1e200, 1e-200):
        w = np.full(5, scale)
        calls = [
            lambda: cx.nps([1, 9, 10, 5, 7], weights=w, method="wald"),
            lambda: cx.csat([1, 5, 4, 2, 3], weights=w),
            lambda: cx.mean_score([1, 5, 4, 2, 3], scale=(1, 5), weights=w),
            lambda: cx.loyalty_index(frame, items={"a": (1, 5), "b": (1, 5)}, weights=w),
        ]
        for call in calls:
            with pytest.raises(cx.InvalidWeightError, match="divide them by their mean"):
                call()
    with pytest.raises(cx.InvalidWeightError):
        cx.ScoreCounts.from_scores([1, 2], scale=(0, 10), weights=[1e308, 1e308])
    a = cx.ScoreCounts.from_scores([1], scale=(0, 10), weights=[1.2e154])  # its square is finite, twice it is not
    with pytest.raises(cx.InvalidWeightError):
        a.merge(a)


def test_counts_that_overflow_are_errors():
    class Repeated(dict):
        """A mapping whose items repeat a score (as a GROUP BY over two columns could)."""

        def items(self):
            return [(0, 2**63 - 1), (0.0, 2**63 - 1), (10, 5)]

    with pytest.raises(cx.InvalidCountsError):
        cx.ScoreCounts.from_counts(Repeated({0: 1}), scale=(0, 10))
    with pytest.raises(cx.InvalidCountsError):
        cx.ScoreCounts.from_counts({0: 2**63 - 1, 1: 2**63 - 1, 10: 5}, scale=(0, 10))
    with pytest.raises(cx.InvalidCountsError):
        cx.ScoreCounts.from_counts([2**63 - 1] * 11, scale=(0, 10))
    with pytest.raises(cx.InvalidCountsError):
        cx.p_chart([2**63, 2**63], [2**63, 2**63])  # a count beyond 64-bit signed
    with pytest.raises(cx.InvalidCountsError, match="2\\^64"):
        cx.p_chart([2**62] * 4, [2**62] * 4)  # counts whose sum overflows
    with pytest.raises(cx.InvalidCountsError, match="2\\^64"):
        cx.nps_chart([2**62] * 4, [1] * 4, [1] * 4)


def test_charts_refuse_infinite_values_and_parameters():
    for chart in (cx.ewma, cx.cusum):
        for bad in (np.inf, -np.inf):
            with pytest.raises(cx.CxError, match="position 1"):
                chart([1.0, bad, 2.0], target=2.0, sigma=1.0)
            with pytest.raises(cx.InvalidParameterError, match="target"):
                chart([1.0, 2.0], target=bad, sigma=1.0)
            with pytest.raises(cx.InvalidParameterError, match="sigma"):
                chart([1.0, 2.0], target=1.0, sigma=bad)
        # NaN stays a missing period.
        assert len(chart([1.0, np.nan, 2.0], target=2.0, sigma=1.0)) == 3


def test_comparing_two_means_without_spread_is_a_clear_error():
    a, b = cx.mean_score([3, 3, 3], scale=(1, 5)), cx.mean_score([4, 4, 4], scale=(1, 5))
    with pytest.raises(cx.IncomparableError, match="no spread"):
        cx.compare(a, b)
    c = cx.compare(a, cx.mean_score([4, 5, 3], scale=(1, 5)))  # one group with spread: defined
    assert np.isfinite([c.lower, c.upper, c.p_value]).all()


def test_drivers_do_not_depend_on_a_driver_s_units():
    rng = np.random.default_rng(7)
    x, z = rng.normal(size=300), rng.normal(size=300)
    y = x + 0.3 * z + rng.normal(size=300)
    plain = cx.drivers({"y": y, "x": x, "z": z}, outcome="y", drivers=["x", "z"]).to_frame()
    for factor in (1e200, 1e-200, 1e10):
        scaled = cx.drivers({"y": y, "x": x * factor, "z": z}, outcome="y", drivers=["x", "z"]).to_frame()
        np.testing.assert_allclose(scaled["importance"], plain["importance"], rtol=1e-9)
        np.testing.assert_allclose(scaled["performance"].iloc[1:], plain["performance"].iloc[1:], rtol=1e-12)


def test_messages_print_numbers_in_shortest_form():
    with pytest.raises(cx.InvalidParameterError, match=r"prior = 1e300 ") as info:
        cx.csat([1, 5, 4], method="bayes", prior=1e300)
    assert info.value.parameter == "prior"
    with pytest.raises(cx.InvalidScoreError, match=r"score 1e308 at position 0"):
        cx.nps([1e308])
    with pytest.raises(cx.InvalidScoreError, match=r"score 11 at position 1"):
        cx.nps([3, 11])
    with pytest.raises(cx.InvalidParameterError, match="n_resamples") as info:
        cx.nps([1, 9], method="bootstrap", n_resamples=-1)
    assert info.value.parameter == "n_resamples"


@pytest.mark.parametrize(
    "column",
    [
        lambda v: pd.array([3, v, None], dtype="Int64"),
        lambda v: pl.Series([3, v, None]),
        lambda v: [3, v, None],
    ],
)
def test_integers_beyond_2_53_are_never_rounded_onto_a_scale(column):
    for value in (2**53 + 1, -(2**53) - 1, 2**63 - 1):
        with pytest.raises(cx.InvalidScoreError, match=f"score {value} at position 1"):
            cx.nps(column(value))
    assert cx.nps(column(9)).n == 2  # exact integers still pass, with their missing answer


def test_long_double_non_integers_do_not_pass_as_integers():
    x = np.array([3, 5], dtype=np.longdouble)
    assert cx.nps(x).n == 2
    if np.finfo(np.longdouble).nmant > 52:  # x86: 64-bit mantissa
        x[1] += np.longdouble(2) ** -60
        with pytest.raises(cx.InvalidScoreError, match="position 1"):
            cx.nps(x)


@pytest.mark.parametrize(
    "bad", [{1, 2}, {"a": 1}, (i for i in range(3)), iter([1, 2]), b"\x05\x09", bytearray(b"\x05\x09"), memoryview(b"\x05\x09")]
)
def test_unordered_containers_and_bytes_likes_are_refused_as_scores(bad):
    with pytest.raises(cx.InvalidInputError, match="scores must be a") as info:
        cx.nps(bad)
    assert "dimensions" not in str(info.value)


def test_messages_name_huge_integer_scores_exactly():
    for scores, text in [
        (np.array([3, 2**63 - 1], dtype=np.int64), "score 9223372036854775807 at position 1"),
        ([2**63 - 1, 3], "score 9223372036854775807 at position 0"),
        (np.array([2**64 - 1], dtype=np.uint64), "score 18446744073709551615 at position 0"),
    ]:
        with pytest.raises(cx.InvalidScoreError, match=text):
            cx.nps(scores)

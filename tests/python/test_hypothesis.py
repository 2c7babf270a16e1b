"""Property-based tests (hypothesis) over the Python API: no panics, valid intervals, invariance to
order, the same answer from every input type, group figures equal to the single-sample functions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cxmetrics as cx

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

anything = st.one_of(
    st.integers(-5, 15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.sampled_from([0.5, 1e300, -0.0]),
)
points = st.lists(st.integers(0, 10), min_size=1, max_size=60)
methods_nps = st.sampled_from(["adjusted_wald", "wald", "score"])
methods_share = st.sampled_from(["wilson", "wilson_cc", "agresti_coull", "clopper_pearson", "jeffreys", "wald"])


def valid(e: cx.Estimate) -> None:
    lo, hi = {"points": (-100, 100), "percent": (0, 100)}.get(e.unit, (-math.inf, math.inf))
    assert lo <= e.lower <= e.upper <= hi
    assert lo <= e.value <= hi and e.std_error >= 0


@SETTINGS
@given(st.lists(anything, max_size=40), methods_nps, methods_share, st.floats(0.5, 0.999))
def test_any_input_gives_a_valid_estimate_or_a_package_error(values, nps_method, share_method, level):
    for call in (
        lambda: cx.nps(values, method=nps_method, confidence=level),
        lambda: cx.top_box(values, scale=(0, 10), top=3, method=share_method, confidence=level),
        lambda: cx.mean_score(values, scale=(0, 10), confidence=level),
    ):
        try:
            valid(call())
        except cx.CxError:
            pass


@SETTINGS
@given(points, st.randoms(use_true_random=False), methods_nps)
def test_order_does_not_matter(scores, rnd, method):
    shuffled = list(scores)
    rnd.shuffle(shuffled)
    assert cx.nps(scores, method=method) == cx.nps(shuffled, method=method)


@SETTINGS
@given(points)
def test_every_input_type_gives_the_same_answer(scores):
    reference = cx.nps(scores)
    for data in (
        np.array(scores, dtype=np.uint8),
        np.array(scores, dtype=np.int16),
        np.array(scores, dtype=np.float32),
        np.array(scores, dtype=">f8"),
        pd.Series(scores, dtype="Int64"),
        np.repeat(np.array(scores, dtype=np.int64), 2)[::2],
    ):
        assert cx.nps(data) == reference


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["web", "store", "app"]), st.integers(0, 10), st.integers(1, 5)), min_size=1, max_size=80))
def test_summarize_groups_equal_the_single_sample_functions(rows):
    df = pd.DataFrame(rows, columns=["touchpoint", "ltr", "sat"])
    report = cx.summarize(df, by="touchpoint", nps="ltr", csat="sat", min_n=1)
    for row in report.dropna(subset=["touchpoint"]).itertuples():
        group = df[df["touchpoint"] == row.touchpoint]
        fn = cx.nps if row.indicator == "nps" else cx.csat
        column = "ltr" if row.indicator == "nps" else "sat"
        try:
            e = fn(group[column])
        except cx.CxError:
            assert np.isnan(row.value)
            continue
        assert (row.value, row.lower, row.upper, row.n) == pytest.approx((e.value, e.lower, e.upper, e.n), rel=1e-12)


@SETTINGS
@given(st.tuples(*[st.integers(0, 40)] * 3), st.tuples(*[st.integers(0, 40)] * 3), st.sampled_from(["two-sided", "greater", "less"]))
def test_comparisons_never_fail_unexpectedly(a, b, alternative):
    try:
        ea, eb = cx.nps_from_counts(*a), cx.nps_from_counts(*b)
    except cx.CxError:
        return
    c = cx.compare(ea, eb, alternative=alternative)
    assert c.lower <= c.upper and 0 <= c.p_value <= 1

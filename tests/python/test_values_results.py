"""Issue 14 §3: no silently wrong result. Exact round trips of every result type (pickle and JSON,
bit for bit), validated from_json, overflowing counts and weights, bounded priors, non-finite chart
parameters, zero-variance comparisons, the adjusted Wald property."""

from __future__ import annotations

import json
import math
import pickle
import struct

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import cxmetrics as cx

NPS_METHODS = ["adjusted_wald", "wald", "score"]
SHARE_METHODS = ["wilson", "wald", "clopper_pearson", "agresti_coull", "jeffreys"]


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


def _same_bits(a: object, b: object) -> None:
    for name in ("value", "lower", "upper", "std_error", "effective_n", "confidence", "difference", "p_value"):
        if hasattr(a, name):
            x, y = getattr(a, name), getattr(b, name)
            if isinstance(x, float):
                assert _bits(x) == _bits(y), (name, x, y)


def _round_trips(obj: object) -> None:
    back = pickle.loads(pickle.dumps(obj))
    assert back == obj
    _same_bits(back, obj)
    again = type(obj).from_json(obj.to_json())
    assert again == obj
    _same_bits(again, obj)
    assert again.to_json() == obj.to_json()


scores_strategy = st.lists(st.integers(0, 10), min_size=3, max_size=60)
weights_strategy = st.floats(0.01, 100.0, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(scores=scores_strategy, data=st.data(), confidence=st.floats(0.5, 0.999))
def test_every_result_type_round_trips_exactly(scores, data, confidence):
    weights = data.draw(st.lists(weights_strategy, min_size=len(scores), max_size=len(scores)))
    estimates = []
    for m in NPS_METHODS:
        estimates.append(cx.nps(scores, method=m, confidence=confidence))
    estimates.append(cx.nps(scores, weights=weights, method="wald", confidence=confidence))
    sat = [1 + s % 5 for s in scores]
    for m in SHARE_METHODS:
        try:
            estimates.append(cx.csat(sat, method=m, confidence=confidence))
        except cx.CxError:
            pass
    estimates.append(cx.csat(sat, weights=weights, method="wald", confidence=confidence))
    estimates.append(cx.csat(sat, method="bayes", seed=1, confidence=confidence))
    estimates.append(cx.nps(scores, method="bootstrap", n_resamples=50, seed=2, confidence=confidence))
    try:
        estimates.append(cx.mean_score(sat, scale=(1, 5), confidence=confidence))
        estimates.append(cx.mean_score(sat, scale=(1, 5), weights=weights, confidence=confidence))
    except cx.CxError:
        pass
    for e in estimates:
        _round_trips(e)
    _round_trips(cx.ScoreCounts.from_scores(scores, weights=weights))
    _round_trips(cx.ScoreCounts.from_scores(scores))
    # Comparisons: independent, paired, against a target.
    comparisons = [cx.compare(estimates[0], estimates[1]), cx.test_against(estimates[0], 10.0)]
    try:
        comparisons.append(cx.compare(estimates[-2], estimates[-1]))
    except cx.CxError:
        pass
    for c in comparisons:
        _round_trips(c)


def _estimate_json(**changes: object) -> str:
    d = json.loads(cx.csat([1, 2, 4, 5, 5], scale=(1, 5)).to_json())
    d.update(changes)
    return json.dumps(d)


@pytest.mark.parametrize(
    "changes",
    [
        {"value": 150.0},
        {"value": -0.5},
        {"lower": 99.0},
        {"upper": 100.5},
        {"confidence": 2.0},
        {"confidence": 0.0},
        {"successes": 6},
        {"std_error": -1.0},
        {"unit": "points"},
        {"effective_n": 10.0},
    ],
)
def test_estimate_from_json_validates(changes):
    with pytest.raises(cx.CxError):
        cx.Estimate.from_json(_estimate_json(**changes))


def test_comparison_from_json_validates():
    c = cx.compare(cx.nps([1, 9, 10]), cx.nps([9, 9, 1]))
    for changes in [{"method": "magic"}, {"p_value": 2.0}, {"lower": 1e9}, {"difference": 1.0}, {"confidence": 1.0}]:
        d = json.loads(c.to_json())
        d.update(changes)
        with pytest.raises(cx.CxError):
            cx.Comparison.from_json(json.dumps(d))


def test_from_counts_does_not_wrap_on_u64_overflow():
    with pytest.raises(cx.InvalidCountsError):
        cx.ScoreCounts.from_counts({1: 2**63 - 1, 2: 2**63 - 1, 3: 2**63 - 1}, scale=(1, 3))
    with pytest.raises(cx.InvalidCountsError):
        cx.ScoreCounts.from_counts([2**63 - 1, 2**63 - 1, 2**63 - 1], scale=(1, 3))


@pytest.mark.parametrize("scale", [1e200, 1e300, 1e-200, 1e-300])
def test_one_weight_rule_everywhere(scale):
    scores = [0, 9, 10, 5, 7]
    sat = [1, 2, 5, 4, 3]
    w = [x * scale for x in [1.0, 2.0, 1.0, 0.5, 3.0]]
    calls = [
        lambda: cx.nps(scores, weights=w, method="wald"),
        lambda: cx.csat(sat, weights=w, method="wald"),
        lambda: cx.mean_score(sat, scale=(1, 5), weights=w),
        lambda: cx.loyalty_index({"a": scores, "b": sat}, items={"a": (0, 10), "b": (1, 5)}, weights=w),
        lambda: cx.ScoreCounts.from_scores(scores, weights=w).nps(),
    ]
    for call in calls:
        with pytest.raises(cx.InvalidWeightError):
            call()


def test_weighted_score_counts_with_infinite_total_cannot_be_built():
    with pytest.raises(cx.InvalidWeightError):
        cx.ScoreCounts.from_scores([1, 2], weights=[1e200, 1e200])
    a = cx.ScoreCounts.from_scores([1], weights=[1e154])
    with pytest.raises(cx.CxError):
        a + a


@pytest.mark.parametrize("prior", [0.0, -1.0, math.nan, math.inf, 1e300, 2e6])
def test_prior_is_bounded_and_named(prior):
    with pytest.raises(cx.InvalidParameterError) as info:
        cx.csat([1, 2, 5, 4], method="bayes", prior=prior)
    assert info.value.parameter == "prior"
    assert len(str(info.value)) < 200  # shortest float form, not 300 digits


@pytest.mark.parametrize("bad", [math.inf, -math.inf])
def test_charts_reject_infinite_values(bad):
    for call in (cx.ewma, cx.cusum):
        with pytest.raises(cx.CxError, match="position 2"):
            call([1.0, 2.0, bad], target=0.0, sigma=1.0)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_charts_reject_non_finite_parameters(bad):
    for call in (cx.ewma, cx.cusum):
        with pytest.raises(cx.CxError):
            call([1.0, 2.0], target=bad, sigma=1.0)
        with pytest.raises(cx.CxError):
            call([1.0, 2.0], target=0.0, sigma=bad)


def test_zero_variance_means_are_not_compared_as_significant():
    a = cx.mean_score([3, 3, 3], scale=(1, 5))
    b = cx.mean_score([4, 4, 4], scale=(1, 5))
    with pytest.raises(cx.IncomparableError):
        cx.compare(a, b)


@settings(max_examples=200, deadline=None)
@given(d=st.integers(0, 300), p=st.integers(0, 300), r=st.integers(0, 300), c=st.floats(0.5, 0.999))
def test_adjusted_wald_contains_its_adjusted_centre(d, p, r, c):
    """The true property of the default NPS interval: it contains the adjusted estimate
    (R - D) / (n + 3); it can exclude the raw NPS (documented: nps([0]))."""
    if d + p + r == 0:
        return
    e = cx.nps_from_counts(d, p, r, method="adjusted_wald", confidence=c)
    centre = 100.0 * (r - d) / (d + p + r + 3)
    assert e.lower - 1e-9 <= centre <= e.upper + 1e-9
    assert -100 <= e.lower <= e.upper <= 100


def test_adjusted_wald_excludes_the_estimate_for_one_detractor():
    e = cx.nps([0])
    assert e.value == -100 and e.lower > e.value
    assert round(e.lower, 1) == -98.5 and round(e.upper, 1) == 48.5

"""Bootstrap (percentile, BCa) and Bayesian intervals for NPS and shares, against scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import cxmetrics as cx

SHARES = np.array([2, 1, 1, 1, 1, 2, 3, 10, 15, 30, 34]) / 100


@pytest.fixture(scope="module")
def scores() -> np.ndarray:
    return np.random.default_rng(11).choice(np.arange(11), size=2000, p=SHARES)


def nps_stat(s, axis=-1):
    return 100 * ((s >= 9).mean(axis=axis) - (s <= 6).mean(axis=axis))


@pytest.mark.parametrize(("ours", "theirs"), [("bootstrap", "percentile"), ("bootstrap_bca", "BCa")])
def test_nps_bootstrap_agrees_with_scipy(scores, ours, theirs):
    e = cx.nps(scores, method=ours, seed=3)
    ref = stats.bootstrap((scores,), nps_stat, n_resamples=9999, method=theirs, random_state=3, vectorized=True, batch=500)
    # Different random draws: the limits agree within Monte Carlo error (about 0.1 points here).
    assert e.lower == pytest.approx(ref.confidence_interval.low, abs=0.35)
    assert e.upper == pytest.approx(ref.confidence_interval.high, abs=0.35)
    assert e.value == cx.nps(scores).value and e.method == ours


@pytest.mark.parametrize(("ours", "theirs"), [("bootstrap", "percentile"), ("bootstrap_bca", "BCa")])
def test_share_bootstrap_agrees_with_scipy(scores, ours, theirs):
    flags = (scores >= 9).astype(float)
    e = cx.top_box(scores, scale=(0, 10), top=2, method=ours, seed=5)
    ref = stats.bootstrap((flags,), lambda s, axis=-1: 100 * s.mean(axis=axis), n_resamples=9999, method=theirs,
                          random_state=5, vectorized=True, batch=500)
    assert e.lower == pytest.approx(ref.confidence_interval.low, abs=0.25)
    assert e.upper == pytest.approx(ref.confidence_interval.high, abs=0.25)


def test_bayes_intervals(scores):
    x, n = int((scores >= 9).sum()), scores.size
    e = cx.top_box(scores, scale=(0, 10), top=2, method="bayes")
    # Beta(x + 1/2, n - x + 1/2) posterior quantiles (scipy), exact.
    assert e.lower == pytest.approx(100 * stats.beta.ppf(0.025, x + 0.5, n - x + 0.5), rel=1e-9)
    assert e.upper == pytest.approx(100 * stats.beta.ppf(0.975, x + 0.5, n - x + 0.5), rel=1e-9)
    flat = cx.top_box(scores, scale=(0, 10), top=2, method="bayes", prior=1.0)
    assert flat.lower == pytest.approx(100 * stats.beta.ppf(0.025, x + 1, n - x + 1), rel=1e-9)
    d, p, r = int((scores <= 6).sum()), int(((scores >= 7) & (scores <= 8)).sum()), x
    draws = np.random.default_rng(0).dirichlet([d + 0.5, p + 0.5, r + 0.5], size=200_000)
    ref = np.percentile(100 * (draws[:, 2] - draws[:, 0]), [2.5, 97.5])
    b = cx.nps(scores, method="bayes", seed=1, n_resamples=50_000)
    assert (b.lower, b.upper) == pytest.approx(tuple(ref), abs=0.2)


def test_reproducible_and_errors(scores):
    assert cx.nps(scores, method="bootstrap", seed=9) == cx.nps(scores, method="bootstrap", seed=9)
    assert cx.nps(scores, method="bootstrap", seed=9) != cx.nps(scores, method="bootstrap", seed=10)
    assert cx.csat(scores % 5 + 1, method="bootstrap_bca", n_resamples=999).method == "bootstrap_bca"
    assert cx.enps(scores, method="bayes", seed=1).indicator == "enps"
    with pytest.raises(cx.UnsupportedMethodError):
        cx.nps(scores, weights=np.ones(scores.size), method="bayes")
    with pytest.raises(cx.InvalidInputError):
        cx.nps(scores, method="bootstrap", seed=-1)
    with pytest.raises(cx.CxError):
        cx.nps(scores, method="bayes", prior=0)
    with pytest.raises(cx.CxError):
        cx.nps(scores, method="bootstrap", n_resamples=1)


@pytest.mark.parametrize(("ours", "theirs"), [("bootstrap", "percentile"), ("bootstrap_bca", "BCa")])
def test_weighted_bootstrap_resamples_respondents_with_their_weights(scores, ours, theirs):
    w = np.random.default_rng(4).uniform(0.3, 3.0, scores.size)
    e = cx.nps(scores, weights=w, method=ours, seed=2, n_resamples=4999)
    plain = cx.nps(scores, weights=w, method="wald")
    assert (e.value, e.std_error, e.effective_n) == (plain.value, plain.std_error, plain.effective_n)

    def weighted_nps(s, ws, axis=-1):
        return 100 * (((s >= 9) * ws).sum(axis=axis) - ((s <= 6) * ws).sum(axis=axis)) / ws.sum(axis=axis)

    ref = stats.bootstrap((scores, w), weighted_nps, paired=True, n_resamples=4999, method=theirs,
                          random_state=2, vectorized=True, batch=250)
    assert e.lower == pytest.approx(ref.confidence_interval.low, abs=0.5)
    assert e.upper == pytest.approx(ref.confidence_interval.high, abs=0.5)
    assert cx.nps(scores, weights=w, method=ours, seed=2, n_resamples=4999) == e
    share = cx.csat(scores % 5 + 1, weights=w, method=ours, seed=2, n_resamples=999)
    assert share.method == ours and share.weighted

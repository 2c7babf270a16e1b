"""Live cross-checks against statsmodels / scipy over grids of (x, n, alpha), at 1e-9 relative.

statsmodels has no Wilson-CC, so ``wilson_cc`` is checked against the Newcombe (1998) method-4 closed
form written out here; Jeffreys is checked against statsmodels away from its boundary end points (cxmetrics
uses L=0 at x=0 and U=1 at x=n, statsmodels does not). Tango's score interval is checked against an
independent root solve with scipy's brentq.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import cxmetrics as cx
from conftest import ABS, REL

sm_prop = pytest.importorskip("statsmodels.stats.proportion")
stats = pytest.importorskip("scipy.stats")
optimize = pytest.importorskip("scipy.optimize")

STATSMODELS_NAME = {
    "wilson": "wilson",
    "agresti_coull": "agresti_coull",
    "clopper_pearson": "beta",
    "jeffreys": "jeffreys",
    "wald": "normal",
}
ALPHAS = (0.2, 0.1, 0.05, 0.01, 0.001)
NS = (1, 2, 3, 5, 7, 10, 20, 38, 50, 99, 100, 250, 500)


def _xs(n: int) -> list[int]:
    return sorted({x for x in (0, 1, 2, 3, n // 3, n // 2, (2 * n) // 3, n - 3, n - 2, n - 1, n) if 0 <= x <= n})


def _close(got: float, ref: float) -> bool:
    return math.isclose(got, ref, rel_tol=REL, abs_tol=ABS)


@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("method", list(STATSMODELS_NAME))
def test_shares_match_statsmodels(method, alpha):
    bad = []
    for n in NS:
        for x in _xs(n):
            e = cx.top_box_from_counts(x, n, method=method, confidence=1 - alpha)
            lo, hi = sm_prop.proportion_confint(x, n, alpha=alpha, method=STATSMODELS_NAME[method])
            lo, hi = 100 * float(lo), 100 * float(hi)
            if method == "jeffreys":
                # Brown-Cai-DasGupta end points; the other limit is statsmodels'.
                if x == 0:
                    lo = 0.0
                if x == n:
                    hi = 100.0
            if not (_close(e.lower, lo) and _close(e.upper, hi)):
                bad.append((x, n, e.lower, lo, e.upper, hi))
    assert not bad, f"{method} alpha={alpha}: (x, n, lower, ref, upper, ref) {bad[:5]}"


def _newcombe_cc(x: int, n: int, alpha: float) -> tuple[float, float]:
    """Newcombe (1998a) method 4, closed form as in REFERENCES.md section 1b."""
    z = stats.norm.isf(alpha / 2)
    p = x / n
    q = 1 - p
    lo = 0.0 if x == 0 else (2 * n * p + z * z - 1 - z * math.sqrt(z * z - 2 - 1 / n + 4 * p * (n * q + 1))) / (2 * (n + z * z))
    hi = 1.0 if x == n else (2 * n * p + z * z + 1 + z * math.sqrt(z * z + 2 - 1 / n + 4 * p * (n * q - 1))) / (2 * (n + z * z))
    return max(lo, 0.0), min(hi, 1.0)


@pytest.mark.parametrize("alpha", ALPHAS)
def test_wilson_cc_matches_newcombe_formula(alpha):
    bad = []
    for n in NS:
        for x in _xs(n):
            e = cx.top_box_from_counts(x, n, method="wilson_cc", confidence=1 - alpha)
            lo, hi = _newcombe_cc(x, n, alpha)
            if not (_close(e.lower, 100 * lo) and _close(e.upper, 100 * hi)):
                bad.append((x, n, e.lower, 100 * lo, e.upper, 100 * hi))
    assert not bad, bad[:5]


def test_jeffreys_boundaries_are_exact_and_other_end_matches_beta_ppf():
    for n in (1, 5, 30, 200):
        for alpha in (0.1, 0.05, 0.01):
            e0 = cx.top_box_from_counts(0, n, method="jeffreys", confidence=1 - alpha)
            en = cx.top_box_from_counts(n, n, method="jeffreys", confidence=1 - alpha)
            assert e0.lower == 0.0
            assert en.upper == 100.0
            assert _close(e0.upper, 100 * stats.beta.ppf(1 - alpha / 2, 0.5, n + 0.5))
            assert _close(en.lower, 100 * stats.beta.ppf(alpha / 2, n + 0.5, 0.5))


# --- NPS -------------------------------------------------------------------------------------------


def _tango_T(d: float, D: int, R: int, n: int) -> float:
    A = 2 * n
    B = -R - D + (2 * n - R + D) * d
    C = -D * d * (1 - d)
    q = (math.sqrt(max(B * B - 4 * A * C, 0.0)) - B) / (2 * A)
    v = n * (2 * q + d * (1 - d))
    num = R - D - n * d
    if v <= 0:
        return 0.0 if num == 0 else math.copysign(math.inf, num)
    return num / math.sqrt(v)


def _tango(D: int, P: int, R: int, confidence: float) -> tuple[float, float]:
    """Tango (1998) score interval (docs/methods.md), solved independently with brentq, in points."""
    n = D + P + R
    z = stats.norm.isf((1 - confidence) / 2)
    est = (R - D) / n
    eps = 1e-15
    kw = dict(xtol=1e-16, rtol=1e-15, maxiter=500)
    lo = -1.0 if D == n else optimize.brentq(lambda d: _tango_T(d, D, R, n) - z, -1 + eps, min(est, 1 - eps), **kw)
    hi = 1.0 if R == n else optimize.brentq(lambda d: _tango_T(d, D, R, n) + z, max(est, -1 + eps), 1 - eps, **kw)
    return 100 * lo, 100 * hi


def _nps_count_grid() -> list[tuple[int, int, int]]:
    rng = np.random.default_rng(20240601)
    cases = [(16, 139, 6), (7, 13, 1), (1, 1, 1), (0, 0, 3), (3, 0, 0), (0, 4, 0), (1, 0, 1), (2, 5, 0), (0, 5, 2)]
    cases += [(1000, 2000, 3000), (1, 1, 1000), (5000, 1, 2)]
    cases += [tuple(int(v) for v in rng.integers(0, 60, 3)) for _ in range(40)]
    return [c for c in cases if sum(c) > 0]


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_nps_score_matches_independent_tango_solve(confidence):
    bad = []
    for D, P, R in _nps_count_grid():
        lo, hi = _tango(D, P, R, confidence)
        e = cx.nps_from_counts(D, P, R, method="score", confidence=confidence)
        if not (_close(e.lower, lo) and _close(e.upper, hi)):
            bad.append(((D, P, R), e.lower, lo, e.upper, hi))
    assert not bad, bad[:5]


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_nps_wald_and_adjusted_wald_match_formula(confidence):
    z = stats.norm.isf((1 - confidence) / 2)
    for D, P, R in _nps_count_grid():
        n = D + P + R
        pr, pd = R / n, D / n
        se = math.sqrt((pr + pd - (pr - pd) ** 2) / n)
        w = cx.nps_from_counts(D, P, R, method="wald", confidence=confidence)
        assert _close(w.std_error, 100 * se)
        assert _close(w.lower, max(-100.0, 100 * (pr - pd - z * se)))
        assert _close(w.upper, min(100.0, 100 * (pr - pd + z * se)))
        na = n + 3
        pra, pda = (R + 0.75) / na, (D + 0.75) / na
        sea = math.sqrt((pra + pda - (pra - pda) ** 2) / na)
        a = cx.nps_from_counts(D, P, R, method="adjusted_wald", confidence=confidence)
        assert _close(a.value, 100 * (pr - pd))
        assert _close(a.lower, max(-100.0, 100 * (pra - pda - z * sea)))
        assert _close(a.upper, min(100.0, 100 * (pra - pda + z * sea)))


# --- means -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.5, 0.8, 0.9, 0.95, 0.99, 0.999])
def test_mean_matches_scipy_t_interval(confidence):
    rng = np.random.default_rng(11)
    for n in (2, 3, 5, 10, 31, 100, 1000, 5000):
        x = rng.integers(1, 8, n)
        x[:2] = [1, 7]
        e = cx.mean_score(x, scale=(1, 7), confidence=confidence)
        xf = x.astype(float)
        lo, hi = stats.t.interval(confidence, n - 1, loc=xf.mean(), scale=stats.sem(xf))
        assert _close(e.value, xf.mean())
        assert _close(e.std_error, stats.sem(xf))
        assert _close(e.lower, max(lo, 1.0)), (n, e.lower, lo)
        assert _close(e.upper, min(hi, 7.0)), (n, e.upper, hi)


# --- precision failures found by the grids (suspected library bugs) --------------------------------


@pytest.mark.parametrize(
    "x, n, alpha, method",
    [
        (2, 12345, 0.1, "clopper_pearson"),  # upper 0.0509898568 % vs 0.0509898608 % (7.7e-8 rel)
        (3, 100000, 0.05, "clopper_pearson"),  # 1.2e-5 rel
        (1, 12345, 0.05, "jeffreys"),  # upper 1.2e-8 rel
        (2, 100000, 0.05, "jeffreys"),  # 3.3e-6 rel
        (3, 1000, 0.2, "jeffreys"),  # 2.5e-9 rel
    ],
)
def test_beta_quantile_precision_large_n(x, n, alpha, method):
    e = cx.top_box_from_counts(x, n, method=method, confidence=1 - alpha)
    lo, hi = sm_prop.proportion_confint(x, n, alpha=alpha, method=STATSMODELS_NAME[method])
    assert e.lower == pytest.approx(100 * lo, rel=REL, abs=ABS)
    assert e.upper == pytest.approx(100 * hi, rel=REL, abs=ABS)


@pytest.mark.parametrize("n, confidence", [(100_000, 0.95), (100_000, 0.5), (1_000_000, 0.95)])
def test_t_quantile_precision_large_df(n, confidence):
    x = np.resize(np.array([1, 5], dtype=np.int8), n)
    e = cx.mean_score(x, confidence=confidence)
    t_used = (e.upper - e.value) / e.std_error
    assert t_used == pytest.approx(stats.t.ppf(0.5 + confidence / 2, n - 1), rel=REL)


def test_normal_quantile_precision_usual_levels():
    for c in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999, 0.99999):
        e = cx.nps_from_counts(20, 30, 50, method="wald", confidence=c)
        assert (e.upper - e.value) / e.std_error == pytest.approx(stats.norm.isf((1 - c) / 2), rel=REL)


def test_normal_quantile_precision_extreme_level():
    c = 1 - 1e-9
    e = cx.nps_from_counts(20, 30, 50, method="wald", confidence=c)
    assert (e.upper - e.value) / e.std_error == pytest.approx(stats.norm.isf((1 - c) / 2), rel=REL)


# Very large samples. scipy's beta.ppf is itself wrong for some of these inputs (beta.ppf(0.05, 1000,
# 1e9 - 999) returns 1.9e-6, twice the true quantile 9.4856e-7, which mpmath confirms), while its cdf is
# right; so the check is the defining equation: one Newton step on scipy's cdf/sf and pdf (Boost's
# incomplete beta) from our limit, (tail(L) - target) / pdf(L), must move it by less than 1e-9 relative.
# (Comparing the tail probabilities themselves would be ill-conditioned: at n = 1e10 one ulp of the limit
# moves the tail by ~1e-9.) Every call must also return promptly (these inputs used to loop forever in
# statrs' inverse incomplete beta).
@pytest.mark.parametrize("n", [10**6, 10**7, 10**8, 10**9, 10**10])
@pytest.mark.parametrize("fraction", [0.0, 1e-6, 0.01, 1 / 3, 0.5, 0.9, 1.0])
@pytest.mark.parametrize("method", ["clopper_pearson", "jeffreys"])
def test_beta_limits_for_very_large_n(n, fraction, method):
    x = int(round(fraction * n))
    for confidence in (0.9, 0.95, 0.99):
        e = cx.top_box_from_counts(x, n, method=method, confidence=confidence)
        tail = (1 - confidence) / 2
        if method == "clopper_pearson":
            lower_shape, upper_shape = (x, n - x + 1), (x + 1, n - x)
        else:
            lower_shape = upper_shape = (x + 0.5, n - x + 0.5)
        lower, upper = e.lower / 100, e.upper / 100
        if x == 0:
            assert lower == 0.0
        else:
            step = (stats.beta.cdf(lower, *lower_shape) - tail) / stats.beta.pdf(lower, *lower_shape)
            assert abs(step) <= 1e-9 * lower, (x, n, confidence, lower, step)
        if x == n:
            assert upper == 1.0
        else:
            step = (stats.beta.sf(upper, *upper_shape) - tail) / stats.beta.pdf(upper, *upper_shape)
            assert abs(step) <= 1e-9 * upper, (x, n, confidence, upper, step)


def test_beta_limits_beyond_scipy_range_are_finite_and_ordered():
    # n up to 2**62: finite, ordered, centred on x/n within a few standard errors, and fast.
    for x, n in [(2**61, 2**62), (5, 2**62), (2**62, 2**62), (1, 10**12), (10**12 - 1, 10**12)]:
        for method in ("clopper_pearson", "jeffreys"):
            e = cx.top_box_from_counts(x, n, method=method)
            p = x / n
            se = math.sqrt(max(p * (1 - p), 1 / n) / n)
            assert 0 <= e.lower <= 100 * p <= e.upper <= 100
            assert e.upper - e.lower <= 100 * 10 * se + 1e-12, (x, n, method)


@pytest.mark.parametrize("n", [10**7, 2 * 10**7, 10**8])
def test_t_quantile_for_very_large_df(n):
    x = np.resize(np.array([1, 5, 3, 4], dtype=np.uint8), n)
    e = cx.mean_score(x)
    assert (e.upper - e.value) / e.std_error == pytest.approx(stats.t.isf(0.025, n - 1), rel=1e-12)

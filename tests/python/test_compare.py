"""Comparisons: differences between estimates, paired NPS, tests against a target, multiple testing and
sample-size planning.

Reference values are computed OUTSIDE the project: live with statsmodels 0.15 / scipy in the tests, and
a few hard-coded with a comment naming the exact call that produced them. Units: NPS differences in
points, share differences in percentage points (statsmodels fractions x 100), means in scale units.

"""

from __future__ import annotations

import math

import numpy as np
import pytest

import cxmetrics as cx
from conftest import Z95, nps_scores

# statsmodels warns (divide by zero) on 0/0 inputs of the grids; those rows are handled explicitly.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning:statsmodels")

sm_prop = pytest.importorskip("statsmodels.stats.proportion")
sm_multi = pytest.importorskip("statsmodels.stats.multitest")
stats = pytest.importorskip("scipy.stats")
optimize = pytest.importorskip("scipy.optimize")

REL = 1e-8  # the brief: at least 1e-8 relative (p-values differ by ~1e-10 through the normal tail)
ABS = 1e-9  # slack, in percentage points / points, for references that are (close to) 0
TIGHT = dict(rel=1e-12, abs=1e-12)


def close(got: float, ref: float, rel: float = REL, abs_: float = ABS) -> bool:
    return math.isclose(got, ref, rel_tol=rel, abs_tol=abs_)


def share(x: int, n: int, confidence: float = 0.95) -> cx.Estimate:
    return cx.top_box_from_counts(x, n, confidence=confidence)


# statsmodels names: confint_proportions_2indep(method=...), test_proportions_2indep(method=...)
SM_CI = {"newcombe": "newcomb", "agresti_caffo": "agresti-caffo", "score": "score", "wald": "wald"}
SM_TEST = {"newcombe": "score", "agresti_caffo": "agresti-caffo", "score": "score", "wald": "wald"}
SM_ALT = {"two-sided": "two-sided", "greater": "larger", "less": "smaller"}
SHARE_NS = (1, 3, 10, 30, 70, 80, 250)


def _xs(n: int) -> list[int]:
    return sorted({x for x in (0, 1, n // 3, n // 2, n - 1, n) if 0 <= x <= n})


def _share_grid(ns=SHARE_NS):
    for n1 in ns:
        for n2 in ns:
            for x1 in _xs(n1):
                for x2 in _xs(n2):
                    yield x1, n1, x2, n2


# =====================================================================================================
# 1. Shares vs statsmodels
# =====================================================================================================


def test_share_known_answers_newcombe_1998b():
    # statsmodels 0.15: confint_proportions_2indep(56, 70, 48, 80, method="newcomb")
    #   -> (0.05243147240236498, 0.33387265403690614); Newcombe (1998b) table: 0.0524 to 0.3339.
    c = cx.compare(share(56, 70), share(48, 80))
    assert c.method == "newcombe" and c.unit == "percent" and c.kind == "independent"
    assert c.difference == pytest.approx(100 * (56 / 70 - 48 / 80), **TIGHT)
    assert c.lower == pytest.approx(5.243147240236498, rel=REL)
    assert c.upper == pytest.approx(33.387265403690614, rel=REL)
    assert (round(c.lower, 2), round(c.upper, 2)) == (5.24, 33.39)
    # statsmodels: test_proportions_2indep(56, 70, 48, 80, method="score")
    #   -> statistic 2.6413232722941253, pvalue 0.008258287929380758
    assert c.statistic == pytest.approx(2.6413232722941253, rel=REL)
    assert c.p_value == pytest.approx(0.008258287929380758, rel=REL)
    # ... alternative="larger" -> pvalue 0.004129143964690379
    g = cx.compare(share(56, 70), share(48, 80), alternative="greater")
    assert g.p_value == pytest.approx(0.004129143964690379, rel=REL)

    # statsmodels: confint_proportions_2indep(56, 70, 48, 80, method="wald")
    #   -> (0.057504899149037114, 0.342495100850963); Newcombe (1998b): 0.0575 to 0.3425
    w = cx.compare(share(56, 70), share(48, 80), method="wald")
    assert w.lower == pytest.approx(5.7504899149037114, rel=REL)
    assert w.upper == pytest.approx(34.2495100850963, rel=REL)
    # test_proportions_2indep(56, 70, 48, 80, method="wald") -> 2.750921221621508, 0.005942793304202759
    assert w.statistic == pytest.approx(2.750921221621508, rel=REL)
    assert w.p_value == pytest.approx(0.005942793304202759, rel=REL)

    # confint_proportions_2indep(56, 70, 48, 80, method="agresti-caffo")
    #   -> (0.052452926638053676, 0.33575845547576744)
    ac = cx.compare(share(56, 70), share(48, 80), method="agresti_caffo")
    assert ac.lower == pytest.approx(5.2452926638053676, rel=REL)
    assert ac.upper == pytest.approx(33.575845547576744, rel=REL)
    # test_proportions_2indep(..., method="agresti-caffo") -> 2.6857235383057505, 0.007237294467282502
    assert ac.statistic == pytest.approx(2.6857235383057505, rel=REL)
    assert ac.p_value == pytest.approx(0.007237294467282502, rel=REL)

    # confint_proportions_2indep(9, 10, 3, 10, method="newcomb") -> (0.1705227239345029, 0.809017973535488)
    # Newcombe (1998b): 0.1705 to 0.8090
    c2 = cx.compare(share(9, 10), share(3, 10))
    assert c2.lower == pytest.approx(17.05227239345029, rel=REL)
    assert c2.upper == pytest.approx(80.9017973535488, rel=REL)
    # confint_proportions_2indep(9, 10, 3, 10, method="wald") -> (0.26052427977714854, 0.9394757202228516)
    w2 = cx.compare(share(9, 10), share(3, 10), method="wald")
    assert w2.lower == pytest.approx(26.052427977714854, rel=REL)
    assert w2.upper == pytest.approx(93.94757202228516, rel=REL)


@pytest.mark.parametrize("confidence", (0.95, 0.9))
@pytest.mark.parametrize("method", ("newcombe", "agresti_caffo", "wald"))
def test_share_intervals_match_statsmodels(method, confidence):
    alpha = 1 - confidence
    bad = []
    count = 0
    for x1, n1, x2, n2 in _share_grid():
        c = cx.compare(share(x1, n1), share(x2, n2), method=method, confidence=confidence)
        lo, hi = sm_prop.confint_proportions_2indep(x1, n1, x2, n2, method=SM_CI[method], alpha=alpha)
        # cxmetrics clips to [-100, 100]; statsmodels does not clip wald / agresti-caffo.
        lo, hi = max(-100.0, 100 * float(lo)), min(100.0, 100 * float(hi))
        count += 1
        if not (close(c.lower, lo) and close(c.upper, hi)):
            bad.append((x1, n1, x2, n2, c.lower, lo, c.upper, hi))
        assert c.difference == pytest.approx(100 * (x1 / n1 - x2 / n2), **TIGHT)
        assert c.confidence == confidence
    assert count > 500
    assert not bad, f"{method} {confidence}: (x1, n1, x2, n2, lower, ref, upper, ref) {bad[:5]}"


@pytest.mark.parametrize("method", ("newcombe", "agresti_caffo", "wald"))
@pytest.mark.parametrize("alternative", ("greater", "less"))
def test_share_one_sided_intervals_match_statsmodels(method, alternative):
    # A one-sided 95% bound is the two-sided 90% bound (statsmodels confint alpha=0.10), the other side
    # opened to the range.
    bad = []
    for x1, n1, x2, n2 in _share_grid((1, 3, 10, 70, 80)):
        c = cx.compare(share(x1, n1), share(x2, n2), method=method, alternative=alternative)
        lo, hi = sm_prop.confint_proportions_2indep(x1, n1, x2, n2, method=SM_CI[method], alpha=0.10)
        lo, hi = max(-100.0, 100 * float(lo)), min(100.0, 100 * float(hi))
        if alternative == "greater":
            ok = close(c.lower, lo) and c.upper == 100.0
        else:
            ok = c.lower == -100.0 and close(c.upper, hi)
        if not ok:
            bad.append((x1, n1, x2, n2, c.lower, lo, c.upper, hi))
        assert c.alternative == alternative
    assert not bad, bad[:5]


@pytest.mark.parametrize("alternative", ("two-sided", "greater", "less"))
@pytest.mark.parametrize("method", ("newcombe", "score", "agresti_caffo", "wald"))
def test_share_tests_match_statsmodels(method, alternative):
    bad = []
    for x1, n1, x2, n2 in _share_grid():
        c = cx.compare(share(x1, n1), share(x2, n2), method=method, alternative=alternative)
        r = sm_prop.test_proportions_2indep(
            x1, n1, x2, n2, method=SM_TEST[method], alternative=SM_ALT[alternative]
        )
        stat, p = float(r.statistic), float(r.pvalue)
        if math.isnan(stat):
            # statsmodels: 0/0 (both shares 0 % or both 100 %); cxmetrics: statistic 0.
            assert c.statistic == 0.0 and c.difference == 0.0, (x1, n1, x2, n2)
            assert c.p_value == (1.0 if alternative == "two-sided" else 0.5)
            continue
        if not (close(c.statistic, stat, abs_=1e-12) and close(c.p_value, p, abs_=1e-300)):
            bad.append((x1, n1, x2, n2, c.statistic, stat, c.p_value, p))
        if method in ("newcombe", "score"):
            # The score test's standard error at 0: the pooled variance with the N/(N-1) factor.
            pooled = (x1 + x2) / (n1 + n2)
            se = 100 * math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2) * (n1 + n2) / (n1 + n2 - 1))
            assert c.std_error == pytest.approx(se, rel=1e-12, abs=1e-12)
    assert not bad, f"(x1, n1, x2, n2, stat, ref, p, ref) {bad[:5]}"


def test_share_score_interval_basic_properties():
    # Whatever the exact limits, the score interval is in range, ordered and contains the estimate.
    for x1, n1, x2, n2 in _share_grid():
        c = cx.compare(share(x1, n1), share(x2, n2), method="score")
        assert -100.0 <= c.lower <= c.difference <= c.upper <= 100.0, (x1, n1, x2, n2, c)
        assert c.method == "score"


def _mn_constrained_p2(x1, n1, x2, n2, delta):
    """Restricted MLE of p2 under p1 - p2 = delta: the root of the restricted score equation (scipy)."""
    lo, hi = max(0.0, -delta), min(1.0, 1.0 - delta)

    def term(k, q):
        return 0.0 if k == 0 else (k / q if q > 0 else math.inf)

    def g(p2):
        p1 = p2 + delta
        return term(x1, p1) - term(n1 - x1, 1 - p1) + term(x2, p2) - term(n2 - x2, 1 - p2)

    eps = 1e-13 * (hi - lo)
    a, b = lo + eps, hi - eps
    if g(a) <= 0:
        return lo
    if g(b) >= 0:
        return hi
    return optimize.brentq(g, a, b, xtol=1e-15, rtol=1e-15)


def _mn_interval(x1, n1, x2, n2, confidence=0.95):
    """Miettinen-Nurminen (1985) score interval for p1 - p2, in percentage points, by scipy brentq."""
    n = n1 + n2
    z = stats.norm.isf((1 - confidence) / 2)
    d = x1 / n1 - x2 / n2

    def stat(delta):
        p2 = _mn_constrained_p2(x1, n1, x2, n2, delta)
        p1 = p2 + delta
        var = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * n / (n - 1)
        return (d - delta) / math.sqrt(var)

    e = 1e-12
    lo = -1.0 if stat(-1 + e) <= z else optimize.brentq(lambda t: stat(t) - z, -1 + e, d, xtol=1e-14)
    hi = 1.0 if stat(1 - e) >= -z else optimize.brentq(lambda t: stat(t) + z, d, 1 - e, xtol=1e-14)
    return 100 * lo, 100 * hi


MN_CASES = [(56, 70, 48, 80), (9, 10, 3, 10), (1, 5, 1, 5), (10, 30, 20, 40), (7, 34, 1, 34), (1, 70, 15, 30)]

# History: compare(method='score') once copied statsmodels 0.15's Miettinen-Nurminen cubic, whose linear
# coefficient uses count0*delta where nobs0*delta belongs (statsmodels issue #10269): the tests below
# pin the corrected interval (R PropCIs::diffscoreci, Newcombe 1998b).


def test_share_score_interval_is_miettinen_nurminen():
    # R PropCIs: diffscoreci(7, 34, 1, 34, 0.95) -> (0.0270416, 0.3452912), as quoted in statsmodels'
    # own test suite (statsmodels/stats/tests/test_proportion.py::test_confint_2indep_propcis).
    c = cx.compare(share(7, 34), share(1, 34), method="score")
    assert c.lower == pytest.approx(2.70416, abs=1e-4)
    assert c.upper == pytest.approx(34.52912, abs=1e-4)
    # And an independent scipy inversion of the MN statistic with the exact restricted MLE.
    for x1, n1, x2, n2 in MN_CASES:
        c = cx.compare(share(x1, n1), share(x2, n2), method="score")
        lo, hi = _mn_interval(x1, n1, x2, n2)
        assert c.lower == pytest.approx(lo, rel=1e-8), (x1, n1, x2, n2)
        assert c.upper == pytest.approx(hi, rel=1e-8), (x1, n1, x2, n2)


def test_mn_reference_helper_reproduces_propcis():
    # Sanity check of the reference helper above (not of cxmetrics): it reproduces R PropCIs.
    lo, hi = _mn_interval(7, 34, 1, 34)
    assert lo == pytest.approx(2.70416, abs=1e-5)
    assert hi == pytest.approx(34.52912, abs=1e-5)
    for x1, n1, x2, n2 in MN_CASES:
        lo, hi = _mn_interval(x1, n1, x2, n2)
        blo, bhi = _mn_interval(x2, n2, x1, n1)
        assert lo < 100 * (x1 / n1 - x2 / n2) < hi
        assert blo == pytest.approx(-hi, rel=1e-9) and bhi == pytest.approx(-lo, rel=1e-9)


def test_share_score_interval_swap_symmetry():
    c = cx.compare(share(1, 5), share(1, 5), method="score")
    assert c.lower == pytest.approx(-c.upper, rel=1e-9)
    ab = cx.compare(share(1, 70), share(15, 30), method="score")
    ba = cx.compare(share(15, 30), share(1, 70), method="score")
    assert ab.lower == pytest.approx(-ba.upper, rel=1e-9)
    assert ab.upper == pytest.approx(-ba.lower, rel=1e-9)


def test_share_weighted_wald_and_newcombe():
    rng = np.random.default_rng(7)
    sa, sb = rng.integers(1, 6, 60), rng.integers(1, 6, 45)
    wa, wb = rng.uniform(0.5, 2, 60), rng.uniform(0.5, 2, 45)
    a, b = cx.csat(sa, weights=wa), cx.csat(sb, weights=wb)
    w = cx.compare(a, b, method="wald")
    se = math.hypot(a.std_error, b.std_error)
    assert w.std_error == pytest.approx(se, **TIGHT)
    assert w.lower == pytest.approx(a.value - b.value - Z95 * se, rel=1e-12)
    assert w.upper == pytest.approx(a.value - b.value + Z95 * se, rel=1e-12)
    assert w.p_value == pytest.approx(2 * stats.norm.sf(abs(a.value - b.value) / se), rel=REL)
    n = cx.compare(a, b)
    assert n.method == "newcombe" and n.lower < n.difference < n.upper
    for method in ("agresti_caffo", "score"):
        with pytest.raises(cx.UnsupportedMethodError):
            cx.compare(a, b, method=method)


# =====================================================================================================
# 2. Means vs scipy (Welch)
# =====================================================================================================

MEAN_CASES = [(40, 25, 1), (10, 12, 2), (200, 150, 3), (5, 80, 4), (3, 3, 5)]


def test_mean_known_answer():
    a = [5, 4, 4, 3, 5, 1, 2, 5, 4, 4]
    b = [3, 3, 4, 2, 5, 1, 2, 3, 4, 3, 2, 1]
    c = cx.compare(cx.mean_score(a), cx.mean_score(b))
    # scipy 1.17: r = stats.ttest_ind(a, b, equal_var=False); r.confidence_interval(0.95)
    #   statistic 1.7287164526395178, pvalue 0.10052515914683981, df 18.48631938702113,
    #   CI (-0.20236886536214715, 2.1023688653621475)
    assert c.method == "welch" and c.unit == "score"
    assert c.statistic == pytest.approx(1.7287164526395178, rel=REL)
    assert c.p_value == pytest.approx(0.10052515914683981, rel=REL)
    assert c.df == pytest.approx(18.48631938702113, rel=REL)
    assert c.lower == pytest.approx(-0.20236886536214715, rel=REL)
    assert c.upper == pytest.approx(2.1023688653621475, rel=REL)
    # stats.ttest_ind(a, b, equal_var=False, alternative="greater"): pvalue 0.050262579573419904,
    #   confidence_interval(0.95).low -0.0015822306039540157 (high = inf, clipped to the span 4)
    g = cx.compare(cx.mean_score(a), cx.mean_score(b), alternative="greater")
    assert g.p_value == pytest.approx(0.050262579573419904, rel=REL)
    assert g.lower == pytest.approx(-0.0015822306039540157, rel=REL)
    assert g.upper == 4.0


@pytest.mark.parametrize("na, nb, seed", MEAN_CASES)
def test_mean_welch_matches_scipy(na, nb, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(1, 8, na), rng.integers(1, 8, nb)
    if a.std() == 0 or b.std() == 0:
        a[0], b[0] = 1, 7
    ea, eb = cx.mean_score(a, scale=(1, 7)), cx.mean_score(b, scale=(1, 7))
    span = 6.0
    for conf in (0.95, 0.9):
        c = cx.compare(ea, eb, confidence=conf)
        r = stats.ttest_ind(a, b, equal_var=False)
        ci = r.confidence_interval(conf)
        assert c.difference == pytest.approx(a.mean() - b.mean(), rel=1e-12, abs=1e-12)
        assert c.statistic == pytest.approx(float(r.statistic), rel=REL)
        assert c.p_value == pytest.approx(float(r.pvalue), rel=REL)
        assert c.df == pytest.approx(float(r.df), rel=REL)
        assert c.lower == pytest.approx(max(-span, float(ci.low)), rel=REL)
        assert c.upper == pytest.approx(min(span, float(ci.high)), rel=REL)
        se = math.sqrt(a.var(ddof=1) / na + b.var(ddof=1) / nb)
        assert c.std_error == pytest.approx(se, rel=1e-12)
    for alt in ("greater", "less"):
        c = cx.compare(ea, eb, alternative=alt)
        r = stats.ttest_ind(a, b, equal_var=False, alternative=alt)
        ci = r.confidence_interval(0.95)
        assert c.p_value == pytest.approx(float(r.pvalue), rel=REL)
        assert c.statistic == pytest.approx(float(r.statistic), rel=REL)
        if alt == "greater":
            assert math.isinf(ci.high) and c.upper == span
            assert c.lower == pytest.approx(max(-span, float(ci.low)), rel=REL)
        else:
            assert math.isinf(ci.low) and c.lower == -span
            assert c.upper == pytest.approx(min(span, float(ci.high)), rel=REL)


# =====================================================================================================
# 3. NPS
# =====================================================================================================

NPS_COUNT_PAIRS = [
    ((20, 30, 50), (30, 30, 40)),
    ((1, 2, 3), (3, 2, 1)),
    ((0, 0, 10), (10, 0, 0)),
    ((5, 0, 0), (0, 7, 0)),
    ((12, 40, 61), (33, 15, 9)),
    ((1, 0, 0), (0, 0, 1)),
    ((150, 300, 600), (170, 310, 520)),
]


def _nps_ref(counts_a, counts_b, pseudo, alternative="two-sided", confidence=0.95):
    """Centre, standard error, limits (points), statistic and p-value computed from counts."""

    def moments(counts):
        d, p, r = (c + q for c, q in zip(counts, pseudo))
        n = d + p + r
        pr, pd = r / n, d / n
        var1 = pr + pd - (pr - pd) ** 2
        return pr - pd, var1 / n

    ma, va = moments(counts_a)
    mb, vb = moments(counts_b)
    centre, se = 100 * (ma - mb), 100 * math.sqrt(va + vb)
    if alternative == "two-sided":
        z = stats.norm.isf((1 - confidence) / 2)
        lo, hi = centre - z * se, centre + z * se
    else:
        z = stats.norm.isf(1 - confidence)
        lo, hi = (centre - z * se, 200.0) if alternative == "greater" else (-200.0, centre + z * se)
    lo, hi = max(-200.0, min(200.0, lo)), max(-200.0, min(200.0, hi))
    if se > 0:
        stat = centre / se
    else:
        stat = 0.0 if centre == 0 else math.copysign(math.inf, centre)
    p = {
        "two-sided": min(1.0, 2 * stats.norm.sf(abs(stat))),
        "greater": stats.norm.sf(stat),
        "less": stats.norm.cdf(stat),
    }[alternative]
    return centre, se, lo, hi, stat, p


def test_nps_wald_known_answer():
    # D/P/R 20/30/50 (Var1 0.61) vs 30/30/40 (Var1 0.69): SE = 100 sqrt(0.61/100 + 0.69/100)
    c = cx.compare(cx.nps_from_counts(20, 30, 50), cx.nps_from_counts(30, 30, 40), method="wald")
    se = 100 * math.sqrt(0.013)
    assert c.difference == pytest.approx(20.0, **TIGHT)
    assert c.std_error == pytest.approx(se, rel=1e-12)
    assert c.lower == pytest.approx(20 - Z95 * se, rel=1e-12)
    assert c.upper == pytest.approx(20 + Z95 * se, rel=1e-12)
    # scipy: 2 * stats.norm.sf(20 / (100 * sqrt(0.013))) = 0.07941062600223603 (see _nps_ref)
    assert c.p_value == pytest.approx(2 * stats.norm.sf(20 / se), rel=REL)
    assert c.unit == "points" and c.method == "wald"


@pytest.mark.parametrize("alternative", ("two-sided", "greater", "less"))
@pytest.mark.parametrize("method", ("wald", "adjusted_wald"))
def test_nps_difference_matches_formula(method, alternative):
    pseudo = (0.75, 1.5, 0.75) if method == "adjusted_wald" else (0.0, 0.0, 0.0)
    pairs = list(NPS_COUNT_PAIRS)
    for seed in range(6):  # from scores with random points inside each category
        rng = np.random.default_rng(100 + seed)
        pairs.append((tuple(int(v) for v in rng.integers(0, 60, 3)), tuple(int(v) for v in rng.integers(0, 60, 3))))
    for conf in (0.95, 0.8):
        for ca, cb in pairs:
            if sum(ca) == 0 or sum(cb) == 0:
                continue
            a = cx.nps(nps_scores(*ca, seed=sum(ca)))
            b = cx.nps(nps_scores(*cb, seed=sum(cb) + 1))
            c = cx.compare(a, b, method=method, alternative=alternative, confidence=conf)
            centre, se, lo, hi, stat, p = _nps_ref(ca, cb, pseudo, alternative, conf)
            raw = 100 * ((ca[2] - ca[0]) / sum(ca) - (cb[2] - cb[0]) / sum(cb))
            assert c.difference == pytest.approx(raw, rel=1e-12, abs=1e-12), (ca, cb)
            assert c.std_error == pytest.approx(se, rel=1e-12, abs=1e-12), (ca, cb)
            assert c.lower == pytest.approx(lo, rel=1e-10, abs=1e-10), (ca, cb)
            assert c.upper == pytest.approx(hi, rel=1e-10, abs=1e-10), (ca, cb)
            assert c.statistic == pytest.approx(stat, rel=1e-12, abs=1e-12), (ca, cb)
            assert c.p_value == pytest.approx(p, rel=REL, abs=1e-300), (ca, cb)
            assert (c.n_a, c.n_b) == (sum(ca), sum(cb))
            if method == "adjusted_wald" and alternative == "two-sided":
                # centred on the adjusted difference, not the raw one
                assert (c.lower + c.upper) / 2 == pytest.approx(centre, abs=1e-9), (ca, cb)


def test_nps_weighted_requires_wald():
    rng = np.random.default_rng(11)
    sa, sb = rng.integers(0, 11, 80), rng.integers(0, 11, 60)
    a = cx.nps(sa, weights=rng.uniform(0.5, 2, 80), method="wald")
    b = cx.nps(sb, weights=rng.uniform(0.5, 2, 60), method="wald")
    for kwargs in ({}, {"method": "adjusted_wald"}):
        with pytest.raises(cx.UnsupportedMethodError):
            cx.compare(a, b, **kwargs)
    with pytest.raises(cx.UnsupportedMethodError):
        cx.compare(a, cx.nps(sb))  # one weighted side is enough
    c = cx.compare(a, b, method="wald")
    se = math.hypot(a.std_error, b.std_error)
    d = a.value - b.value
    assert c.difference == pytest.approx(d, **TIGHT)
    assert c.std_error == pytest.approx(se, rel=1e-12)
    assert c.lower == pytest.approx(d - Z95 * se, rel=1e-12, abs=1e-12)
    assert c.upper == pytest.approx(d + Z95 * se, rel=1e-12, abs=1e-12)
    assert c.p_value == pytest.approx(2 * stats.norm.sf(abs(d) / se), rel=REL)


def test_unknown_difference_methods():
    with pytest.raises(cx.UnknownMethodError):
        cx.compare(cx.nps([9, 0]), cx.nps([9, 0]), method="newcombe")
    with pytest.raises(cx.UnknownMethodError):
        cx.compare(share(1, 2), share(1, 2), method="adjusted_wald")
    with pytest.raises(cx.UnknownMethodError):
        cx.compare(cx.mean_score([1, 5]), cx.mean_score([1, 5]), method="wald")
    with pytest.raises(cx.UnknownMethodError):
        cx.compare(share(1, 2), share(1, 2), alternative="larger")  # statsmodels' name, not ours
    with pytest.raises(cx.InvalidInputError):
        cx.compare(0.5, share(1, 2))  # type: ignore[arg-type]


# =====================================================================================================
# 4. Properties
# =====================================================================================================


def _estimate_pairs():
    """(label, a, b, methods) pairs of comparable estimates."""
    rng = np.random.default_rng(5)
    out = []
    for ca, cb in NPS_COUNT_PAIRS:
        out.append(("nps", cx.nps_from_counts(*ca), cx.nps_from_counts(*cb), ("wald", "adjusted_wald")))
    for x1, n1, x2, n2 in [(56, 70, 48, 80), (9, 10, 3, 10), (0, 10, 10, 10), (3, 30, 4, 7), (0, 1, 1, 1), (5, 5, 5, 5)]:
        out.append(("share", share(x1, n1), share(x2, n2), ("newcombe", "agresti_caffo", "wald")))
    for na, nb in [(10, 15), (50, 40)]:
        out.append(
            ("mean", cx.mean_score(rng.integers(1, 6, na)), cx.mean_score(rng.integers(1, 6, nb)), ("welch",))
        )
    return out


def test_swap_negates_difference_and_mirrors_interval():
    mirror = {"two-sided": "two-sided", "greater": "less", "less": "greater"}
    for label, a, b, methods in _estimate_pairs():
        for method in methods:
            for alt in mirror:
                ab = cx.compare(a, b, method=method, alternative=alt)
                ba = cx.compare(b, a, method=method, alternative=mirror[alt])
                ctx = (label, method, alt, a, b)
                assert ba.difference == -ab.difference, ctx
                assert ba.lower == pytest.approx(-ab.upper, rel=1e-12, abs=1e-12), ctx
                assert ba.upper == pytest.approx(-ab.lower, rel=1e-12, abs=1e-12), ctx
                assert ba.statistic == pytest.approx(-ab.statistic, rel=1e-12, abs=1e-12), ctx
                assert ba.p_value == pytest.approx(ab.p_value, rel=1e-12, abs=1e-300), ctx
                assert ba.std_error == pytest.approx(ab.std_error, rel=1e-12), ctx
                assert (ba.n_a, ba.n_b) == (ab.n_b, ab.n_a)
                assert (ba.estimate_a, ba.estimate_b) == (ab.estimate_b, ab.estimate_a)


def test_one_sided_p_is_half_or_one_minus_half():
    cases = [(l, a, b, m) for l, a, b, ms in _estimate_pairs() for m in ms]
    cases += [("share", share(56, 70), share(48, 80), "score"), ("share", share(2, 20), share(9, 21), "score")]
    checked = 0
    for label, a, b, method in cases:
        two = cx.compare(a, b, method=method)
        if not math.isfinite(two.statistic) or two.statistic == 0:
            continue
        g = cx.compare(a, b, method=method, alternative="greater")
        l = cx.compare(a, b, method=method, alternative="less")
        half = two.p_value / 2
        on_greater_side = two.statistic > 0
        ctx = (label, method, a, b)
        assert g.p_value == pytest.approx(half if on_greater_side else 1 - half, rel=1e-9), ctx
        assert l.p_value == pytest.approx(1 - half if on_greater_side else half, rel=1e-9), ctx
        assert g.p_value + l.p_value == pytest.approx(1.0, rel=1e-12)
        checked += 1
    assert checked > 20


def test_incomparable_estimates():
    with pytest.raises(cx.IncomparableError):
        cx.compare(cx.nps([9, 0, 7]), cx.csat([5, 1, 4]))
    with pytest.raises(cx.IncomparableError):
        cx.compare(cx.csat([5, 1, 4]), cx.ces([7, 1, 4]))
    with pytest.raises(cx.IncomparableError):
        cx.compare(cx.csat([5, 1, 4]), cx.top_box([5, 1, 4]))
    with pytest.raises(cx.IncomparableError):
        cx.compare(cx.mean_score([5, 1, 4]), cx.csat([5, 1, 4]))
    with pytest.raises(cx.IncomparableError):  # different scales
        cx.compare(cx.csat([5, 1, 4]), cx.csat([5, 1, 4], scale=(1, 7)))
    with pytest.raises(cx.IncomparableError):
        cx.compare(cx.mean_score([5, 1, 4]), cx.mean_score([5, 1, 4], scale=(1, 7)))
    with pytest.raises(cx.IncomparableError):
        cx.compare(cx.top_box([5, 1, 4]), cx.top_box([5, 1, 4], scale=(1, 10), top=2))
    assert issubclass(cx.IncomparableError, cx.CxError)


def test_top_box_with_different_top_is_incomparable():
    with pytest.raises(cx.IncomparableError):
        cx.compare(cx.top_box([5, 4, 4, 1], top=1), cx.top_box([5, 4, 4, 1], top=2))


def test_confidence_levels():
    a = cx.csat([5, 4, 4, 3, 5, 1, 2, 5, 4, 4], confidence=0.95)
    b = cx.csat([5, 4, 1, 3, 2, 1, 2, 5, 4, 4], confidence=0.9)
    with pytest.raises(cx.IncomparableError, match="confidence"):
        cx.compare(a, b)
    with pytest.raises(cx.IncomparableError):
        cx.compare(a, b, confidence=None)
    c = cx.compare(a, b, confidence=0.9)
    assert c.confidence == 0.9
    same = cx.compare(a, cx.csat([5, 4, 1, 3, 2, 1, 2, 5, 4, 4], confidence=0.95), confidence=0.9)
    assert (c.lower, c.upper) == (same.lower, same.upper)
    # confidence=None takes the common level
    c80 = cx.compare(cx.nps_from_counts(2, 3, 5, confidence=0.8), cx.nps_from_counts(5, 3, 2, confidence=0.8))
    assert c80.confidence == 0.8
    with pytest.raises(cx.InvalidConfidenceError):
        cx.compare(a, b, confidence=1.0)


# =====================================================================================================
# 5. Paired NPS
# =====================================================================================================


def test_nps_paired_hand_computed():
    before = [6, 7, 9, 3, 10, 8, 0, 9, 7, 10, None]
    after = [9, 9, 9, 7, 10, np.nan, 5, 6, 10, 10, 4]
    # categories (detractor -1, passive 0, promoter +1) of the 9 complete pairs (positions 5, 10 dropped)
    y_before = np.array([-1, 0, 1, -1, 1, -1, 1, 0, 1], dtype=float)
    y_after = np.array([1, 1, 1, 0, 1, -1, -1, 1, 1], dtype=float)
    d = y_after - y_before
    n = len(d)
    mean, sd = d.mean(), d.std(ddof=1)
    se = 100 * sd / math.sqrt(n)
    c = cx.nps_paired(before, after)
    assert (c.n_a, c.n_b, c.n_missing) == (9, 9, 2)
    assert c.kind == "paired" and c.method == "paired_z" and c.unit == "points" and c.df is None
    assert c.difference == pytest.approx(100 * mean, **TIGHT)  # 33.33 points
    assert c.difference == pytest.approx(100 / 3, **TIGHT)
    assert c.estimate_a == pytest.approx(100 * 4 / 9, **TIGHT)
    assert c.estimate_b == pytest.approx(100 * 1 / 9, **TIGHT)
    assert c.std_error == pytest.approx(se, rel=1e-12)
    assert c.lower == pytest.approx(100 * mean - 1.959963984540054 * se, rel=1e-12)
    assert c.upper == pytest.approx(100 * mean + 1.959963984540054 * se, rel=1e-12)
    assert c.statistic == pytest.approx(100 * mean / se, rel=1e-12)
    assert c.p_value == pytest.approx(2 * stats.norm.sf(100 * mean / se), rel=REL)
    g = cx.nps_paired(before, after, alternative="greater", confidence=0.9)
    assert g.lower == pytest.approx(100 * mean - stats.norm.isf(0.1) * se, rel=1e-10)
    assert g.upper == 200.0
    assert g.p_value == pytest.approx(stats.norm.sf(100 * mean / se), rel=REL)


def test_nps_paired_rust_doc_example():
    # before = [6, 7, 9, 3, 10, 8], after = [9, 9, 9, 7, 10, NaN]: on the 5 complete pairs the NPS goes
    # from (2 - 2)/5 = 0 to (4 - 0)/5 = 80 points (the Rust doc example in src/compare/paired.rs).
    c = cx.nps_paired([6.0, 7.0, 9.0, 3.0, 10.0, 8.0], [9.0, 9.0, 9.0, 7.0, 10.0, float("nan")])
    assert (c.n_a, c.n_missing) == (5, 1)
    assert c.estimate_b == pytest.approx(0.0, abs=1e-12)
    assert c.estimate_a == pytest.approx(80.0, **TIGHT)
    assert c.difference == pytest.approx(80.0, **TIGHT)


def test_nps_paired_equals_difference_of_nps():
    rng = np.random.default_rng(3)
    before = rng.integers(0, 11, 300).astype(float)
    after = np.clip(before + rng.integers(-3, 4, 300), 0, 10)
    before[[4, 17]] = np.nan
    after[[17, 50, 99]] = np.nan
    c = cx.nps_paired(before, after)
    keep = ~(np.isnan(before) | np.isnan(after))
    assert c.n_missing == 4 and c.n_a == keep.sum()
    assert c.difference == pytest.approx(
        cx.nps(after[keep], method="wald").value - cx.nps(before[keep], method="wald").value, rel=1e-12, abs=1e-12
    )
    # identical waves: no change, statistic 0, p 1
    same = cx.nps_paired(before[keep], before[keep])
    assert same.difference == 0.0 and same.statistic == 0.0 and same.p_value == 1.0


def test_nps_paired_errors():
    with pytest.raises(cx.LengthMismatchError):
        cx.nps_paired([1, 2, 3], [1, 2])
    with pytest.raises(cx.InvalidScoreError, match="position 2"):
        cx.nps_paired([1, 2, 11], [1, 2, 3])
    with pytest.raises(cx.InvalidScoreError, match="position 1"):
        cx.nps_paired([1, 2, 3], [1, -1, 3])
    with pytest.raises(cx.InvalidScoreError, match="position 1"):
        cx.nps_paired([1, 2.5, 3], [1, 2, 3])


# =====================================================================================================
# 6. Against a target
# =====================================================================================================


def _target_cases():
    rng = np.random.default_rng(9)
    return [
        (cx.nps_from_counts(20, 30, 50, method="wald"), (-100, -20, 16, 30, 45, 100)),
        (cx.nps(rng.integers(0, 11, 150)), (-50, 0, 10, 60)),
        (cx.top_box_from_counts(18, 20), (0, 50, 80, 90, 100)),
        (cx.csat(rng.integers(1, 6, 90), method="wald"), (30, 40, 50, 70)),
        (cx.mean_score(rng.integers(1, 6, 60)), (1, 2.5, 3, 5)),
    ]


def test_against_target_z_test():
    for e, targets in _target_cases():
        lo_range, hi_range = {"points": (-100, 100), "percent": (0, 100)}.get(e.unit, e.scale)
        for target in targets:
            c = cx.test_against(e, target)
            z = (e.value - target) / e.std_error
            assert c.kind == "target" and c.method == "z" and c.df is None
            assert (c.estimate_a, c.estimate_b, c.n_a, c.n_b) == (e.value, target, e.n, 0)
            assert c.difference == pytest.approx(e.value - target, **TIGHT)
            assert c.statistic == pytest.approx(z, rel=1e-12, abs=1e-12)
            assert c.std_error == e.std_error and c.confidence == e.confidence
            assert c.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=REL, abs=1e-300)
            # The interval of the z test itself (it excludes 0 exactly when the test rejects).
            zc = stats.norm.isf((1 - e.confidence) / 2)
            d = e.value - target
            assert c.lower == pytest.approx(max(d - zc * e.std_error, lo_range - target), rel=1e-9, abs=1e-9)
            assert c.upper == pytest.approx(min(d + zc * e.std_error, hi_range - target), rel=1e-9, abs=1e-9)
            g = cx.test_against(e, target, alternative="greater")
            l = cx.test_against(e, target, alternative="less")
            assert g.p_value == pytest.approx(stats.norm.sf(z), rel=REL, abs=1e-300)
            assert l.p_value == pytest.approx(stats.norm.cdf(z), rel=REL, abs=1e-300)
            # the open side of a one-sided interval reaches the end of the range
            assert g.upper == pytest.approx(hi_range - target, abs=1e-12)
            assert l.lower == pytest.approx(lo_range - target, abs=1e-12)


def test_against_target_share_matches_statsmodels_ztest():
    # statsmodels proportions_ztest(count, nobs, value) uses the variance at the estimate, p(1-p)/n.
    for x, n, target in [(18, 20, 80), (56, 70, 70), (48, 80, 50), (3, 40, 12.5)]:
        e = cx.top_box_from_counts(x, n)
        for alt in ("two-sided", "greater", "less"):
            c = cx.test_against(e, target, alternative=alt)
            zstat, p = sm_prop.proportions_ztest(x, n, value=target / 100, alternative=SM_ALT[alt])
            assert c.statistic == pytest.approx(float(zstat), rel=REL)
            assert c.p_value == pytest.approx(float(p), rel=REL)


def test_against_target_out_of_range():
    for e, bad in [
        (cx.nps([9, 0, 7]), (100.5, -101, math.inf, math.nan)),
        (cx.csat([5, 1, 4]), (-1, 101)),
        (cx.mean_score([5, 1, 4]), (0.5, 6)),
    ]:
        for target in bad:
            with pytest.raises(cx.IncomparableError):
                cx.test_against(e, target)
    with pytest.raises(cx.InvalidInputError):
        cx.test_against(cx.nps([9, 0]), "40")  # type: ignore[arg-type]
    with pytest.raises(cx.InvalidInputError):
        cx.test_against(cx.nps([9, 0]), True)  # type: ignore[arg-type]


def test_against_target_one_sided_bound_at_stated_level():
    e = cx.nps_from_counts(20, 30, 50, method="wald")  # 30 points, SE 7.81025 points
    c = cx.test_against(e, 16, alternative="greater")
    assert c.significant
    assert c.lower == pytest.approx(30 - stats.norm.isf(0.05) * e.std_error - 16, rel=1e-10)
    assert c.lower > 0  # significant at 5% one-sided <=> the one-sided 95% bound excludes 0 (Wald)


# =====================================================================================================
# 7. Multiple testing
# =====================================================================================================

P_KNOWN = [0.01, 0.04, 0.03, 0.005]


def test_adjust_known_answers():
    # docs/methods.md / R p.adjust; statsmodels multipletests(P_KNOWN, method=...)[1]:
    #   fdr_bh [0.02, 0.04, 0.04, 0.02], holm [0.03, 0.06, 0.06, 0.02], bonferroni [0.04, 0.16, 0.12, 0.02]
    bh = cx.adjust_pvalues(P_KNOWN, method="bh")
    assert isinstance(bh, np.ndarray)
    assert bh.tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02], rel=1e-12)
    assert cx.adjust_pvalues(P_KNOWN).tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02], rel=1e-12)
    assert cx.adjust_pvalues(P_KNOWN, method="holm").tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02], rel=1e-12)
    assert cx.adjust_pvalues(P_KNOWN, method="bonferroni").tolist() == pytest.approx(
        [0.04, 0.16, 0.12, 0.02], rel=1e-12
    )
    assert cx.adjust_pvalues(np.array(P_KNOWN), method="fdr_bh").tolist() == pytest.approx(bh.tolist(), rel=1e-15)


def _pvalue_vectors():
    rng = np.random.default_rng(2024)
    out = [np.array([0.3]), np.array([0.0, 1.0]), np.array([0.02, 0.02, 0.02]), np.array([1.0, 1.0, 0.5])]
    for m in (2, 5, 10, 37, 200):
        out.append(rng.uniform(0, 1, m))
        out.append(rng.uniform(0, 0.05, m) ** 2)  # many small ones
        v = np.round(rng.uniform(0, 0.2, m), 2)  # ties
        v[0] = 0.0
        out.append(v)
    return out


@pytest.mark.parametrize("method, sm_method", [("holm", "holm"), ("bh", "fdr_bh"), ("bonferroni", "bonferroni")])
def test_adjust_matches_statsmodels(method, sm_method):
    for p in _pvalue_vectors():
        got = cx.adjust_pvalues(p, method=method)
        ref = sm_multi.multipletests(p, method=sm_method)[1]
        assert isinstance(got, np.ndarray) and got.shape == p.shape
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0)
        # properties: adjusted >= raw (BH's m p / m may round 1 ulp below p), <= 1, monotone in the raw order
        assert np.all(got >= p * (1 - 4e-16)) and np.all(got <= 1.0)
        order = np.argsort(p, kind="stable")
        assert np.all(np.diff(got[order]) >= 0)
        # equal raw p-values get equal adjusted ones
        for v in np.unique(p):
            assert np.unique(got[p == v]).size == 1


def test_adjust_keeps_input_order_and_pandas_index():
    pd = pytest.importorskip("pandas")
    p = [0.04, 0.001, 0.5, 0.01]
    shuffled = cx.adjust_pvalues(p)
    ref = sm_multi.multipletests(p, method="holm")[1]
    np.testing.assert_allclose(shuffled, ref, rtol=1e-12)
    s = pd.Series(P_KNOWN, index=["nps", "csat", "ces", "mean"], name="p")
    out = cx.adjust_pvalues(s, method="bh")
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["nps", "csat", "ces", "mean"] and out.name == "p"
    assert out.tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02], rel=1e-12)
    assert cx.adjust_pvalues([]).tolist() == []


def test_adjust_invalid():
    with pytest.raises(cx.InvalidPValueError, match="position 1"):
        cx.adjust_pvalues([0.1, float("nan"), 0.2])
    with pytest.raises(cx.InvalidPValueError, match=r"1\.5.*position 2"):
        cx.adjust_pvalues([0.1, 0.2, 1.5])
    with pytest.raises(cx.InvalidPValueError, match="position 0"):
        cx.adjust_pvalues([-0.01, 0.2])
    with pytest.raises(cx.UnknownMethodError):
        cx.adjust_pvalues([0.1], method="hochberg")


# =====================================================================================================
# 8. Sample size
# =====================================================================================================

ZA = stats.norm.isf(0.025)  # 1.9599639845400545
ZB = stats.norm.isf(0.2)  # 0.8416212335729142 (power 0.8)


def test_sample_size_margin():
    assert cx.sample_size("share", margin=5) == 385  # the classic 385
    n0 = 1.959963984540054**2 * 0.25 / 0.05**2
    assert cx.sample_size("share", margin=5, population=1000) == math.ceil(n0 / (1 + (n0 - 1) / 1000)) == 278
    assert cx.sample_size("nps", margin=5) == math.ceil(1.959963984540054**2 / 0.05**2) == 1537
    # expected (promoters 50 %, detractors 20 %): Var1 = 0.7 - 0.09 = 0.61
    assert cx.sample_size("nps", margin=5, expected=(50, 20)) == math.ceil(ZA**2 * 0.61 / 0.05**2) == 938
    assert cx.sample_size("share", margin=3, expected=20) == math.ceil(ZA**2 * 0.16 / 0.03**2)
    z90 = stats.norm.isf(0.05)
    assert cx.sample_size("share", margin=5, confidence=0.9) == math.ceil(z90**2 * 0.25 / 0.05**2)
    assert cx.sample_size("mean", margin=0.1, sd=1.2) == math.ceil(ZA**2 * 1.44 / 0.01)
    assert cx.sample_size("share", margin=5, population=100) <= 100
    with pytest.raises(cx.InvalidPlanningError, match="sd"):
        cx.sample_size("mean", margin=0.1)
    with pytest.raises(cx.InvalidPlanningError):
        cx.sample_size("share", margin=0)
    with pytest.raises(cx.InvalidPlanningError):
        cx.sample_size("share", margin=5, population=0)
    with pytest.raises(cx.InvalidPlanningError):
        cx.sample_size("nps", margin=5, expected=(70, 50))  # promoters + detractors > 100 %


@pytest.mark.parametrize(
    "indicator, kwargs, variance, scale",
    [
        ("nps", {}, 1.0, 100.0),
        ("nps", {"expected": (50, 20)}, 0.61, 100.0),
        ("mean", {"sd": 1.1}, 1.21, 1.0),
    ],
)
def test_per_group_and_mdd_consistent(indicator, kwargs, variance, scale):
    for d in (0.1, 0.15, 0.3) if scale == 1.0 else (5, 10, 20):
        n = cx.sample_size_per_group(indicator, difference=d, **kwargs)
        exact = (ZA + ZB) ** 2 * 2 * variance / (d / scale) ** 2
        assert n == math.ceil(exact - 1e-9)
        mdd = cx.minimum_detectable_difference(indicator, n_a=n, **kwargs)
        assert mdd <= d * (1 + 1e-12)
        assert mdd == pytest.approx(scale * (ZA + ZB) * math.sqrt(2 * variance / n), rel=1e-12)
        if n > 1:
            assert cx.minimum_detectable_difference(indicator, n_a=n - 1, **kwargs) > d
    # unequal groups, other power / confidence
    z = stats.norm.isf(0.05) + stats.norm.isf(0.1)
    mdd = cx.minimum_detectable_difference(indicator, n_a=400, n_b=250, power=0.9, confidence=0.9, **kwargs)
    assert mdd == pytest.approx(scale * z * math.sqrt(variance / 400 + variance / 250), rel=1e-12)


def test_per_group_share_formula():
    # shares: group a at `expected`, group b at expected - difference
    for expected, d in [(50, 10), (30, 5), (80, 15)]:
        pa, pb = expected / 100, (expected - d) / 100
        ref = (ZA + ZB) ** 2 * (pa * (1 - pa) + pb * (1 - pb)) / (d / 100) ** 2
        assert cx.sample_size_per_group("share", difference=d, expected=expected) == math.ceil(ref)
    assert cx.sample_size_per_group("share", difference=10, expected=50) == 385
    # MDD for shares uses the variance at `expected` for both groups
    mdd = cx.minimum_detectable_difference("share", n_a=385, expected=50)
    assert mdd == pytest.approx(100 * (ZA + ZB) * math.sqrt(0.25 * 2 / 385), rel=1e-12)
    assert cx.minimum_detectable_difference("nps", n_a=400) == pytest.approx(19.81, abs=0.005)
    with pytest.raises(cx.InvalidPlanningError):
        cx.minimum_detectable_difference("mean", n_a=100)
    with pytest.raises(cx.InvalidPlanningError):
        cx.minimum_detectable_difference("nps", n_a=0)
    with pytest.raises(cx.InvalidPlanningError):
        cx.sample_size_per_group("nps", difference=10, power=1.0)
    with pytest.raises(cx.InvalidPlanningError):
        cx.sample_size_per_group("nps", difference=0)


# =====================================================================================================
# 9. The Comparison object
# =====================================================================================================

ATTRS = (
    "indicator", "kind", "estimate_a", "estimate_b", "difference", "lower", "upper", "confidence", "method",
    "std_error", "statistic", "df", "p_value", "alternative", "unit", "n_a", "n_b", "n_missing", "significant",
)  # fmt: skip


def test_comparison_object():
    c = cx.compare(cx.nps_from_counts(20, 30, 50), cx.nps_from_counts(30, 30, 40), method="wald")
    assert isinstance(c, cx.Comparison)
    for name in ATTRS + ("verdict",):
        with pytest.raises(AttributeError):
            setattr(c, name, 1)
    with pytest.raises(AttributeError):
        c.new_attribute = 1  # type: ignore[attr-defined]
    d = c.to_dict()
    assert set(d) == set(ATTRS)
    for name in ATTRS:
        assert d[name] == getattr(c, name), name
    assert c == cx.compare(cx.nps_from_counts(20, 30, 50), cx.nps_from_counts(30, 30, 40), method="wald")
    assert c != cx.compare(cx.nps_from_counts(20, 30, 50), cx.nps_from_counts(30, 30, 40))
    assert not c.significant and c.p_value > 0.05
    assert str(c) == c.verdict
    assert "points" in c.verdict and "percentage" not in c.verdict
    assert "not significant" in c.verdict and "higher" in c.verdict and "95% CI" in c.verdict
    assert c.verdict in repr(c) and repr(c).startswith("Comparison(")
    html = c._repr_html_()
    assert "<table" in html and "</table>" in html and "wald" in html


def test_verdict_wording():
    s = cx.compare(share(56, 70), share(48, 80))
    assert s.significant and s.p_value < 0.05
    assert "percentage points" in str(s) and "significant" in str(s) and "not significant" not in str(s)
    assert "CSAT" in str(s) or "Top-box" in str(s)
    lower = cx.compare(share(48, 80), share(56, 70))
    assert "lower" in str(lower)
    same = cx.compare(share(5, 10), share(5, 10))
    assert same.difference == 0 and not same.significant and "not significant" in str(same)
    one = cx.compare(share(56, 70), share(48, 80), alternative="greater")
    assert "one-sided" in str(one)
    m = cx.compare(cx.mean_score([5, 4, 4, 3, 5]), cx.mean_score([1, 2, 2, 3, 1]))
    assert "points" not in str(m)
    t = cx.test_against(cx.nps_from_counts(20, 30, 50), 10)
    assert "target" in str(t) and "points" in str(t)
    p = cx.nps_paired([0, 0, 7, 9], [9, 10, 9, 9])
    assert "after than before" in str(p)
    assert "<table" in p._repr_html_() and "<table" in t._repr_html_()
    assert t.kind == "target" and p.kind == "paired" and s.kind == "independent"
    # significance is p < 1 - confidence
    for c in (s, lower, same, one, m, t, p):
        assert c.significant == (c.p_value < 1 - c.confidence)

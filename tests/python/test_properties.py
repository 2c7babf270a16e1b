"""Properties over seeded random data (plain loops; hypothesis is not a dependency)."""

from __future__ import annotations

import numpy as np
import pytest

import cxmetrics as cx
from conftest import nps_scores, share_scores

NPS_METHODS = ("wald", "adjusted_wald", "score")
SHARE_METHODS = ("wilson", "wilson_cc", "agresti_coull", "clopper_pearson", "jeffreys", "wald")
CONFIDENCES = (0.8, 0.9, 0.95, 0.99)
TIGHT = dict(rel=1e-12, abs=1e-12)


def _nps_count_cases(k: int = 60, seed: int = 1):
    rng = np.random.default_rng(seed)
    cases = [(0, 0, 1), (1, 0, 0), (0, 1, 0), (0, 0, 50), (50, 0, 0), (0, 50, 0), (1, 1, 1), (0, 3, 7), (7, 3, 0)]
    for _ in range(k):
        n = int(rng.integers(1, 400))
        p = rng.dirichlet([1, 1, 1])
        cases.append(tuple(int(v) for v in rng.multinomial(n, p)))
    return cases


def _share_cases(k: int = 60, seed: int = 2):
    rng = np.random.default_rng(seed)
    cases = [(0, 1), (1, 1), (0, 10), (10, 10), (1, 10), (9, 10), (5, 10), (0, 500), (500, 500)]
    for _ in range(k):
        n = int(rng.integers(1, 600))
        cases.append((int(rng.integers(0, n + 1)), n))
    return cases


# --- ranges and ordering --------------------------------------------------------------------------


@pytest.mark.parametrize("method", NPS_METHODS)
def test_nps_interval_in_range_and_ordered(method):
    for counts in _nps_count_cases():
        for c in CONFIDENCES:
            e = cx.nps_from_counts(*counts, method=method, confidence=c)
            assert -100.0 <= e.lower <= e.upper <= 100.0, (counts, c, e)
            assert -100.0 <= e.value <= 100.0
            if method != "adjusted_wald":  # adjusted Wald is centred on the shrunken estimate
                assert e.lower <= e.value <= e.upper, (counts, c, e)
            if method != "wald":  # only wald may be zero-width
                assert e.upper > e.lower, (counts, c, e)


def test_adjusted_wald_contains_its_adjusted_estimate_not_always_the_value():
    """The true property of the default NPS interval: it is centred on the adjusted estimate
    100 ((r + 0.75) - (d + 0.75)) / (n + 3), which it always contains; the raw `value` can fall
    outside it in small samples with an empty category (cx.nps([0]): -100, CI -98.5 to 48.5)."""
    excluded = 0
    for counts in _nps_count_cases():
        d, p, r = counts
        n = d + p + r
        adjusted = 100.0 * ((r + 0.75) - (d + 0.75)) / (n + 3.0)
        for c in CONFIDENCES:
            e = cx.nps_from_counts(*counts, method="adjusted_wald", confidence=c)
            assert e.lower <= adjusted <= e.upper, (counts, c, e)
            if not e.lower <= e.value <= e.upper:
                excluded += 1
                assert min(d, p, r) == 0 or n < 10, (counts, c, e)
    e = cx.nps([0])
    assert e.value == -100.0 and e.lower > e.value  # the documented example
    assert excluded > 0


@pytest.mark.parametrize("method", SHARE_METHODS)
def test_share_interval_in_range_and_ordered(method):
    for x, n in _share_cases():
        for c in CONFIDENCES:
            e = cx.top_box_from_counts(x, n, method=method, confidence=c)
            assert 0.0 <= e.lower <= e.upper <= 100.0, (x, n, c, e)
            if method != "wald":
                assert e.upper > e.lower, (x, n, c, e)
            if 0 < x < n or method != "wilson":
                assert e.lower <= e.value <= e.upper, (x, n, c, e)


@pytest.mark.parametrize("x, n, confidence", [(1, 1, 0.99), (3, 3, 0.5), (0, 5, 0.8), (0, 5, 0.95)])
def test_wilson_contains_estimate_at_boundaries(x, n, confidence):
    e = cx.top_box_from_counts(x, n, method="wilson", confidence=confidence)
    assert e.lower <= e.value <= e.upper, e
    if x == 0:
        assert e.lower == 0.0
    if x == n:
        assert e.upper == 100.0


def test_wilson_nested_at_boundaries():
    es = [cx.top_box_from_counts(1, 1, method="wilson", confidence=c) for c in CONFIDENCES]
    _assert_nested(es, ("wilson", 1, 1))


def test_mean_interval_in_scale_and_ordered():
    rng = np.random.default_rng(3)
    for _ in range(40):
        lo = int(rng.integers(-3, 2))
        hi = lo + int(rng.integers(1, 11))
        n = int(rng.integers(2, 200))
        x = rng.integers(lo, hi + 1, n)
        for c in CONFIDENCES:
            e = cx.mean_score(x, scale=(lo, hi), confidence=c)
            assert lo <= e.lower <= e.value <= e.upper <= hi, (lo, hi, c, e)
            assert e.value == pytest.approx(x.mean(), **TIGHT)
            w = rng.uniform(0.1, 3.0, n)
            ew = cx.mean_score(x, scale=(lo, hi), weights=w, confidence=c)
            assert lo <= ew.lower <= ew.value <= ew.upper <= hi
            assert ew.value == pytest.approx(np.average(x, weights=w), **TIGHT)


def test_weighted_intervals_in_range():
    rng = np.random.default_rng(4)
    for _ in range(40):
        n = int(rng.integers(2, 150))
        s = rng.integers(0, 11, n)
        w = rng.exponential(1.0, n)
        for c in CONFIDENCES:
            e = cx.nps(s, weights=w, method="wald", confidence=c)
            assert -100 <= e.lower <= e.value <= e.upper <= 100
            for m in ("wald", "wilson"):
                t = cx.top_box(s, scale=(0, 10), top=3, weights=w, method=m, confidence=c)
                assert 0 <= t.lower <= t.value <= t.upper <= 100, (m, t)


# --- width grows with confidence ------------------------------------------------------------------


def _assert_nested(estimates, label):
    for a, b in zip(estimates, estimates[1:]):
        assert b.lower <= a.lower and a.upper <= b.upper, (label, a, b)
        assert (b.upper - b.lower) >= (a.upper - a.lower), (label, a, b)


@pytest.mark.parametrize("method", NPS_METHODS)
def test_nps_width_grows_with_confidence(method):
    for counts in _nps_count_cases(k=30):
        es = [cx.nps_from_counts(*counts, method=method, confidence=c) for c in CONFIDENCES]
        _assert_nested(es, (method, counts))
        widths = [e.upper - e.lower for e in es]
        interior = all(-100 < e.lower and e.upper < 100 for e in es)
        if interior and (method != "wald" or es[0].std_error > 0):
            assert widths[0] < widths[1] < widths[2] < widths[3], (method, counts, widths)


@pytest.mark.parametrize("method", SHARE_METHODS)
def test_share_width_grows_with_confidence(method):
    for x, n in _share_cases(k=30):
        es = [cx.top_box_from_counts(x, n, method=method, confidence=c) for c in CONFIDENCES]
        _assert_nested(es, (method, x, n))
        widths = [e.upper - e.lower for e in es]
        if 0 < x < n:
            assert widths[0] < widths[1] < widths[2] < widths[3], (method, x, n, widths)


def test_mean_and_weighted_width_grows_with_confidence():
    rng = np.random.default_rng(8)
    x = rng.integers(1, 6, 80)
    w = rng.uniform(0.2, 2.0, 80)
    for es in (
        [cx.mean_score(x, confidence=c) for c in CONFIDENCES],
        [cx.mean_score(x, weights=w, confidence=c) for c in CONFIDENCES],
        [cx.nps(x + 5, weights=w, method="wald", confidence=c) for c in CONFIDENCES],
        [cx.top_box(x, weights=w, method="wilson", confidence=c) for c in CONFIDENCES],
        [cx.top_box(x, weights=w, method="wald", confidence=c) for c in CONFIDENCES],
    ):
        widths = [e.upper - e.lower for e in es]
        assert widths[0] < widths[1] < widths[2] < widths[3], (es[0], widths)


# --- symmetry -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", NPS_METHODS)
def test_nps_mirror_symmetry(method):
    # Swapping detractors and promoters negates the NPS and mirrors the interval.
    for d, p, r in _nps_count_cases(k=30):
        a = cx.nps_from_counts(d, p, r, method=method)
        b = cx.nps_from_counts(r, p, d, method=method)
        assert a.value == pytest.approx(-b.value, **TIGHT)
        assert a.lower == pytest.approx(-b.upper, rel=1e-10, abs=1e-10)
        assert a.upper == pytest.approx(-b.lower, rel=1e-10, abs=1e-10)


@pytest.mark.parametrize("method", SHARE_METHODS)
def test_share_complement_symmetry(method):
    for x, n in _share_cases(k=30):
        a = cx.top_box_from_counts(x, n, method=method)
        b = cx.top_box_from_counts(n - x, n, method=method)
        assert a.lower == pytest.approx(100 - b.upper, rel=1e-9, abs=1e-9)
        assert a.upper == pytest.approx(100 - b.lower, rel=1e-9, abs=1e-9)


# --- invariances ----------------------------------------------------------------------------------


def test_order_invariance_unweighted():
    rng = np.random.default_rng(9)
    for _ in range(20):
        n = int(rng.integers(2, 300))
        s = rng.integers(0, 11, n)
        f = rng.integers(1, 6, n)
        perm = rng.permutation(n)
        for m in NPS_METHODS:
            assert cx.nps(s[perm], method=m) == cx.nps(s, method=m)
        for m in SHARE_METHODS:
            assert cx.top_box(f[perm], method=m) == cx.top_box(f, method=m)
        a, b = cx.mean_score(f), cx.mean_score(f[perm])
        for attr in ("value", "lower", "upper", "std_error"):
            assert getattr(a, attr) == pytest.approx(getattr(b, attr), **TIGHT)


def test_order_invariance_weighted():
    rng = np.random.default_rng(10)
    for _ in range(20):
        n = int(rng.integers(2, 300))
        s = rng.integers(0, 11, n)
        w = rng.uniform(0.1, 5, n)
        perm = rng.permutation(n)
        pairs = [
            (cx.nps(s, weights=w, method="wald"), cx.nps(s[perm], weights=w[perm], method="wald")),
            (cx.top_box(s, scale=(0, 10), top=2, weights=w), cx.top_box(s[perm], scale=(0, 10), top=2, weights=w[perm])),
            (cx.mean_score(s, scale=(0, 10), weights=w), cx.mean_score(s[perm], scale=(0, 10), weights=w[perm])),
        ]
        for a, b in pairs:
            for attr in ("value", "lower", "upper", "std_error", "effective_n"):
                assert getattr(a, attr) == pytest.approx(getattr(b, attr), **TIGHT), attr


def test_counts_equal_raw_scores():
    for i, (d, p, r) in enumerate(_nps_count_cases(k=30)):
        s = nps_scores(d, p, r, seed=i)
        for m in NPS_METHODS:
            for c in (0.9, 0.95):
                a = cx.nps_from_counts(d, p, r, method=m, confidence=c)
                b = cx.nps(s, method=m, confidence=c)
                assert b.scale == (0, 10) and a.scale is None
                for attr in ("value", "lower", "upper", "std_error", "n", "n_promoters", "n_passives", "n_detractors", "promoters", "passives", "detractors", "method", "confidence"):
                    assert getattr(a, attr) == getattr(b, attr), (attr, (d, p, r), m)
    for x, n in _share_cases(k=30):
        for m in SHARE_METHODS:
            a = cx.top_box_from_counts(x, n, method=m)
            b = cx.top_box(share_scores(x, n), method=m)
            for attr in ("value", "lower", "upper", "std_error", "n", "successes", "method"):
                assert getattr(a, attr) == getattr(b, attr), (attr, x, n, m)


def test_missing_values_do_not_change_the_estimate():
    rng = np.random.default_rng(12)
    for _ in range(20):
        n = int(rng.integers(2, 100))
        s = rng.integers(0, 11, n).astype(float)
        k = int(rng.integers(1, 10))
        with_nan = np.insert(s, rng.integers(0, n, k), np.nan)
        a, b = cx.nps(s), cx.nps(with_nan)
        assert b.n_missing == k and b.n == n
        assert (a.value, a.lower, a.upper) == (b.value, b.lower, b.upper)


# --- weights --------------------------------------------------------------------------------------


def test_unit_weights_match_unweighted():
    rng = np.random.default_rng(13)
    for _ in range(25):
        n = int(rng.integers(2, 300))
        s = rng.integers(0, 11, n)
        ones = np.ones(n)
        u, w = cx.nps(s, method="wald"), cx.nps(s, weights=ones, method="wald")
        assert w.weighted and not u.weighted
        assert w.value == pytest.approx(u.value, **TIGHT)
        assert w.effective_n == pytest.approx(n, **TIGHT) and u.effective_n == n
        assert (w.promoters, w.passives, w.detractors) == pytest.approx((u.promoters, u.passives, u.detractors), **TIGHT)
        # weighted (linearisation) SE carries n/(n-1); unweighted NPS SE divides by n
        assert w.std_error == pytest.approx(u.std_error * np.sqrt(n / (n - 1)), **TIGHT)
        for m in ("wald", "wilson"):
            tu = cx.top_box(s, scale=(0, 10), top=3, method=m)
            tw = cx.top_box(s, scale=(0, 10), top=3, weights=ones, method=m)
            assert tw.value == pytest.approx(tu.value, **TIGHT)
            assert tw.effective_n == pytest.approx(n, **TIGHT)
            assert tw.successes == tu.successes
            assert tw.std_error == pytest.approx(tu.std_error * np.sqrt(n / (n - 1)), **TIGHT)
        # Means: R survey with unit weights is exactly t.test
        mu, mw = cx.mean_score(s, scale=(0, 10)), cx.mean_score(s, scale=(0, 10), weights=ones)
        for attr in ("value", "lower", "upper", "std_error"):
            assert getattr(mw, attr) == pytest.approx(getattr(mu, attr), **TIGHT), attr
        assert mw.effective_n == pytest.approx(n, **TIGHT)


def test_weights_scale_invariance():
    rng = np.random.default_rng(14)
    s = rng.integers(0, 11, 120)
    w = rng.uniform(0.1, 4, 120)
    for factor in (1e-6, 0.01, 3.0, 1e6):
        for a, b in (
            (cx.nps(s, weights=w, method="wald"), cx.nps(s, weights=w * factor, method="wald")),
            (cx.top_box(s, scale=(0, 10), top=2, weights=w), cx.top_box(s, scale=(0, 10), top=2, weights=w * factor)),
            (cx.mean_score(s, scale=(0, 10), weights=w), cx.mean_score(s, scale=(0, 10), weights=w * factor)),
        ):
            for attr in ("value", "lower", "upper", "std_error", "effective_n"):
                assert getattr(a, attr) == pytest.approx(getattr(b, attr), rel=1e-10, abs=1e-10), (factor, attr)


def test_kish_effective_n_and_weighted_point_estimates():
    rng = np.random.default_rng(15)
    for _ in range(20):
        n = int(rng.integers(2, 200))
        s = rng.integers(0, 11, n)
        w = rng.uniform(0.0, 3.0, n)
        w[0] = 1.0
        kish = w.sum() ** 2 / (w**2).sum()
        e = cx.nps(s, weights=w, method="wald")
        assert e.effective_n == pytest.approx(kish, rel=1e-12)
        prom = np.average(s >= 9, weights=w)
        det = np.average(s <= 6, weights=w)
        assert e.value == pytest.approx(100 * (prom - det), rel=1e-12, abs=1e-12)
        assert e.promoters == pytest.approx(100 * prom, rel=1e-12, abs=1e-12)
        assert e.detractors == pytest.approx(100 * det, rel=1e-12, abs=1e-12)
        # unweighted counts of each category
        assert e.n_promoters == int((s >= 9).sum()) and e.n_detractors == int((s <= 6).sum())
        assert e.n == n


def test_weighted_nps_linearisation_formula():
    # docs/methods.md: V = n/(n-1) * sum(w_i^2 (y_i - m)^2) / (sum w)^2 with y in {-1, 0, 1}; m +- z sqrt(V).
    rng = np.random.default_rng(16)
    for _ in range(20):
        n = int(rng.integers(2, 200))
        s = rng.integers(0, 11, n)
        w = rng.uniform(0.05, 3.0, n)
        y = np.where(s >= 9, 1.0, np.where(s >= 7, 0.0, -1.0))
        m = np.sum(w * y) / np.sum(w)
        v = n / (n - 1) * np.sum(w**2 * (y - m) ** 2) / np.sum(w) ** 2
        e = cx.nps(s, weights=w, method="wald")
        assert e.std_error == pytest.approx(100 * np.sqrt(v), rel=1e-10)
        # same variance for the top-box share with y in {0, 1}
        yb = (s >= 9).astype(float)
        mb = np.sum(w * yb) / np.sum(w)
        vb = n / (n - 1) * np.sum(w**2 * (yb - mb) ** 2) / np.sum(w) ** 2
        t = cx.top_box(s, scale=(0, 10), top=2, weights=w, method="wald")
        assert t.std_error == pytest.approx(100 * np.sqrt(vb), rel=1e-10, abs=1e-12)


def test_integer_weights_point_estimate_equals_replication():
    rng = np.random.default_rng(17)
    for _ in range(20):
        n = int(rng.integers(2, 60))
        s = rng.integers(0, 11, n)
        w = rng.integers(1, 5, n)
        rep = np.repeat(s, w)
        assert cx.nps(s, weights=w, method="wald").value == pytest.approx(cx.nps(rep).value, rel=1e-12, abs=1e-12)
        assert cx.mean_score(s, scale=(0, 10), weights=w).value == pytest.approx(rep.mean(), rel=1e-12)


def test_zero_weight_rows_do_not_move_point_estimates():
    s = np.array([10, 9, 0, 7, 3, 10])
    w = np.array([1.0, 2.0, 0.0, 1.0, 0.0, 1.5])
    e = cx.nps(s, weights=w, method="wald")
    ref = cx.nps(s[w > 0], weights=w[w > 0], method="wald")
    assert e.value == pytest.approx(ref.value, rel=1e-12)
    assert e.effective_n == pytest.approx(ref.effective_n, rel=1e-12)

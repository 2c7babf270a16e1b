"""The counting kernels (byte tables, the vector narrowing of wider types, threads claiming blocks,
weighted blocks) seen from Python: large inputs of every dtype, compared with NumPy's own counts, and
problems named at their exact position wherever they are."""

from __future__ import annotations

import numpy as np
import pytest

import cxmetrics as cx

DTYPES = ["uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "float32", "float64"]
N = 3_000_017  # above the threading thresholds, not a multiple of any block or vector size


@pytest.fixture(scope="module")
def base() -> np.ndarray:
    return np.random.default_rng(7).integers(0, 11, size=N)


@pytest.mark.parametrize("dtype", DTYPES)
def test_counts_equal_numpy_bincount(base: np.ndarray, dtype: str) -> None:
    x = base.astype(dtype)
    counts = cx.ScoreCounts.from_scores(x)
    assert list(counts.counts) == np.bincount(base, minlength=11).tolist()
    e = cx.nps(x, method="wald")
    pr, de = np.mean(base >= 9), np.mean(base <= 6)
    assert e.value == pytest.approx(100 * (pr - de), rel=1e-12, abs=1e-12)
    assert e.n == N


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_missing_scores_are_counted_everywhere(base: np.ndarray, dtype: str) -> None:
    x = base.astype(dtype)
    where = np.random.default_rng(1).choice(N, size=1001, replace=False)
    x[where] = np.nan
    counts = cx.ScoreCounts.from_scores(x)
    assert counts.n_missing == 1001
    keep = np.ones(N, dtype=bool)
    keep[where] = False
    assert list(counts.counts) == np.bincount(base[keep], minlength=11).tolist()
    with pytest.raises(cx.MissingValueError, match=f"position {where.min()}"):
        cx.nps(x, nan_policy="raise")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("position", [0, 31, 32 * 255 + 3, N // 2 + 1, N - 1])
def test_an_invalid_score_is_named_at_its_position(base: np.ndarray, dtype: str, position: int) -> None:
    x = base.astype(dtype)
    bad = 11 if dtype.startswith(("u", "i")) else 7.5
    x[position] = bad
    with pytest.raises(cx.InvalidScoreError, match=f"position {position}"):
        cx.nps(x)


@pytest.mark.parametrize("dtype", ["int64", "float64", "int32"])
def test_scales_far_from_zero_and_negative(base: np.ndarray, dtype: str) -> None:
    # A -5..5 scale: shifted codes, negative scores.
    x = (base - 5).astype(dtype)
    counts = cx.ScoreCounts.from_scores(x, scale=(-5, 5))
    assert list(counts.counts) == np.bincount(base, minlength=11).tolist()
    # A 1000..1010 scale.
    y = (base + 1000).astype(dtype)
    counts = cx.ScoreCounts.from_scores(y, scale=(1000, 1010))
    assert list(counts.counts) == np.bincount(base, minlength=11).tolist()


def test_weighted_sums_equal_numpy(base: np.ndarray) -> None:
    w = np.random.default_rng(3).uniform(0.1, 4.0, size=N)
    for dtype in ("uint8", "int64", "float64"):
        e = cx.nps(base.astype(dtype), weights=w, method="wald")
        z = (base >= 9).astype(float) - (base <= 6)
        total = w.sum()
        value = (w * z).sum() / total
        se = np.sqrt(N / (N - 1) * np.square(w * (z - value)).sum()) / total
        assert e.value == pytest.approx(100 * value, rel=1e-10)
        assert e.std_error == pytest.approx(100 * se, rel=1e-9)


@pytest.mark.parametrize("bad", [np.nan, -1.0, np.inf])
def test_a_bad_weight_is_named_at_its_position(base: np.ndarray, bad: float) -> None:
    w = np.ones(N)
    w[N - 5] = bad
    with pytest.raises(cx.InvalidWeightError, match=f"position {N - 5}"):
        cx.nps(base, weights=w, method="wald")
    # An invalid score before it is named first.
    x = base.copy()
    x[17] = 99
    with pytest.raises(cx.InvalidScoreError, match="position 17"):
        cx.nps(x, weights=w, method="wald")


def test_weighted_results_do_not_depend_on_the_split(base: np.ndarray) -> None:
    # Fixed blocks summed in order: the same input gives bit-identical sums every time.
    w = np.random.default_rng(4).uniform(0.1, 4.0, size=N)
    first = cx.nps(base, weights=w, method="wald")
    for _ in range(5):
        again = cx.nps(base, weights=w, method="wald")
        assert (again.value, again.std_error) == (first.value, first.std_error)


_SCRIPT = """
import json, numpy as np, pandas as pd, cxmetrics as cx
rng = np.random.default_rng(11)
n = 3_000_017
x = rng.integers(0, 11, size=n)
w = rng.uniform(0.1, 4.0, size=n)
keys = rng.integers(0, 300, size=n)
e = cx.nps(x, weights=w, method="wald")
counts = cx.ScoreCounts.from_scores(x.astype("float64"))
report = cx.summarize(pd.DataFrame({"k": keys, "ltr": x, "w": w}), by="k", nps="ltr", weights="w")
print(json.dumps({
    "nps": [e.value.hex(), e.std_error.hex()],
    "counts": list(counts.counts),
    "report": [float(v).hex() for v in report["value"].fillna(-1.0)],
}))
"""


def _run_with_threads(threads: str | None) -> dict:
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    env.pop("CXMETRICS_NUM_THREADS", None)
    if threads is not None:
        env["CXMETRICS_NUM_THREADS"] = threads
    out = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_results_do_not_depend_on_the_number_of_threads() -> None:
    # CXMETRICS_NUM_THREADS=1 (one thread), 3 (more threads than cores here), and an ignored value:
    # the counts are the same and the weighted NPS bit-identical (fixed blocks added in order). The
    # grouped weighted report adds per-thread tables, so it agrees to rounding only.
    one = _run_with_threads("1")
    for other in (_run_with_threads("3"), _run_with_threads("not a number")):
        assert other["nps"] == one["nps"]
        assert other["counts"] == one["counts"]
        got = np.array([float.fromhex(v) for v in other["report"]])
        want = np.array([float.fromhex(v) for v in one["report"]])
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)

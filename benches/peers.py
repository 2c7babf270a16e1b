"""Times cxmetrics against its peers in one process, on the same data, and prints the ratios.

Run after building (``maturin develop --release``)::

    python benches/peers.py            # 10^7 scores
    python benches/peers.py --n 1000000

Peers:

- NPS: NumPy's vectorised computation of the same NPS and its (multinomial) standard error, in its
  fastest form: ``np.count_nonzero(x >= 9) / n - np.count_nonzero(x <= 6) / n`` (faster than
  ``(x >= 9).mean()``) and ``sqrt((pr + pd - nps^2)/n)``.
  This peer checks nothing; ``cx.nps`` also checks that every score is a whole number on the scale
  and counts the missing ones. A second peer, "numpy checked", adds those checks, as a careful
  analyst would before trusting the figure.
- Weighted NPS: NumPy's weighted shares and the linearisation standard error (R ``survey``'s
  ``svymean`` with ``n/(n-1)``), against ``cx.nps(x, weights=w)``, which also checks every weight.
- ``cx.summarize`` with NPS and CSAT over 1000 integer-keyed groups: polars ``group_by`` and pandas
  ``groupby`` computing the same shares (promoters, detractors, top-2 CSAT per group; no intervals,
  no tests), against our full report (intervals, group-versus-rest tests, Holm adjustment).
- ``cx.nps(method="bootstrap")``: 9999 replicates on 10^5 responses against
  ``scipy.stats.bootstrap`` on the same data and statistic (timed once: it takes tens of seconds).
- ``cx.drivers``: exact Shapley (LMG) with 15 drivers on 10^5 respondents against the straightforward
  NumPy implementation (correlation matrix, a linear solve per subset; timed once, it takes seconds).
- ``cx.drivers`` on a 0/1 outcome: exact logistic dominance (McFadden's R^2 over all 4096 subsets)
  with 12 drivers (1-5 ratings) on 10^5 respondents, against the same all-subsets computation with
  statsmodels ``Logit``. Fitting all 4096 models with statsmodels takes minutes, so one model of
  each size is fitted (and its log-likelihood checked against ours) and the total extrapolated by
  the number of subsets of each size (``statsmodels (extr.)``); ``--logistic-peer-all`` fits them all.
  Also the exact linear Shapley values with 20 drivers (2^20 subsets) on 10^5 respondents, timed
  against the 15-driver NumPy peer's time per subset (``numpy (extr.)``).
- ``cx.shrink``: empirical-Bayes shares and NPS of ``--shrink-groups`` agents from 10^7 responses
  (counting, fitting the prior, every posterior), against ``cx.summarize`` of the same groups (no
  peer library shrinks: the ratio says what the shrinkage costs on top of the report).
- ``cx.read_responses``: a file of ``--read-rows`` responses with the demo columns (timestamps,
  touchpoint, channel, segment, weight, NPS, CSAT, CES, comment), CSV against
  ``pandas.read_csv(path, parse_dates=["recorded_at"])`` and JSON Lines against
  ``pandas.read_json(path, lines=True)``; ours checks every field of every record (and keeps the
  rejected ones), pandas checks nothing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

import cxmetrics as cx


def best_of(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def numpy_nps(x: np.ndarray) -> tuple[float, float]:
    n = x.size
    pr = np.count_nonzero(x >= 9) / n
    pd = np.count_nonzero(x <= 6) / n
    value = pr - pd
    return 100 * value, 100 * np.sqrt((pr + pd - value**2) / n)


def numpy_nps_checked(x: np.ndarray) -> tuple[float, float, int]:
    if x.dtype.kind == "f":
        missing = np.isnan(x)
        n_missing = int(np.count_nonzero(missing))
        x = x[~missing] if n_missing else x
        if not ((x >= 0) & (x <= 10) & (x == np.floor(x))).all():
            raise ValueError("invalid score")
    else:
        n_missing = 0
        if not ((x >= 0) & (x <= 10)).all():
            raise ValueError("invalid score")
    value, se = numpy_nps(x)
    return value, se, n_missing


def numpy_weighted_nps(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    n = x.size
    z = (x >= 9).astype(np.float64) - (x <= 6)
    total = w.sum()
    value = (w * z).sum() / total
    se = np.sqrt(n / (n - 1) * np.square(w * (z - value)).sum()) / total
    return 100 * value, 100 * se


def nps_rows(n: int, repeat: int, rng: np.random.Generator) -> list[tuple[str, float, str, float, float]]:
    rows = []
    for dtype in ("uint8", "int64", "float64"):
        x = rng.integers(0, 11, size=n).astype(dtype)
        ours = cx.nps(x, method="wald")
        value, se = numpy_nps(x)
        assert abs(ours.value - value) < 1e-9 and abs(ours.std_error - se) < 1e-9, "results differ"
        assert numpy_nps_checked(x)[:2] == (value, se)
        t_ours = best_of(lambda: cx.nps(x, method="wald"), repeat)
        t_read = best_of(lambda: x.sum(), repeat)
        rows.append((f"nps wald, {dtype}", t_ours, "numpy vectorised", best_of(lambda: numpy_nps(x), repeat), t_read))
        rows.append((f"nps wald, {dtype}", t_ours, "numpy checked", best_of(lambda: numpy_nps_checked(x), repeat), t_read))
    x = rng.integers(0, 11, size=n).astype(np.uint8)
    w = rng.uniform(0.2, 5.0, size=n)
    ours = cx.nps(x, weights=w, method="wald")
    value, se = numpy_weighted_nps(x, w)
    assert abs(ours.value - value) < 1e-6 and abs(ours.std_error - se) < 1e-6, "results differ"
    t_ours = best_of(lambda: cx.nps(x, weights=w, method="wald"), repeat)
    t_peer = best_of(lambda: numpy_weighted_nps(x, w), repeat)
    rows.append(("nps weighted, uint8", t_ours, "numpy weighted", t_peer, best_of(lambda: w.sum(), repeat)))
    return rows


def summarize_rows(n: int, repeat: int, rng: np.random.Generator) -> list[tuple[str, float, str, float, float]]:
    import pandas as pd
    import polars as pl

    df = pd.DataFrame(
        {
            "touchpoint": rng.integers(0, 1000, size=n),
            "ltr": rng.integers(0, 11, size=n),
            "sat": rng.integers(1, 6, size=n),
        }
    )
    pdf = pl.from_pandas(df)

    def ours(frame: object) -> object:
        return cx.summarize(frame, by="touchpoint", nps="ltr", csat="sat")

    def polars_peer() -> pl.DataFrame:
        return pdf.group_by("touchpoint").agg(
            nps=100 * ((pl.col("ltr") >= 9).mean() - (pl.col("ltr") <= 6).mean()),
            csat=100 * (pl.col("sat") >= 4).mean(),
        )

    def pandas_peer() -> pd.DataFrame:
        flags = pd.DataFrame(
            {"touchpoint": df["touchpoint"], "p": df["ltr"] >= 9, "d": df["ltr"] <= 6, "s": df["sat"] >= 4}
        )
        shares = flags.groupby("touchpoint")[["p", "d", "s"]].mean()
        return pd.DataFrame({"nps": 100 * (shares["p"] - shares["d"]), "csat": 100 * shares["s"]})

    report = ours(df)
    peer = polars_peer().sort("touchpoint")
    got = report[report["indicator"] == "nps"].iloc[1:]["value"].to_numpy()
    assert np.allclose(got, peer["nps"].to_numpy(), rtol=0, atol=1e-9), "results differ"
    got = report[report["indicator"] == "csat"].iloc[1:]["value"].to_numpy()
    assert np.allclose(got, pandas_peer()["csat"].to_numpy(), rtol=0, atol=1e-9), "results differ"
    t_read = best_of(lambda: (df["touchpoint"].to_numpy().sum(), df["ltr"].to_numpy().sum(), df["sat"].to_numpy().sum()), repeat)
    return [
        ("summarize pandas", best_of(lambda: ours(df), repeat), "pandas groupby", best_of(pandas_peer, repeat), t_read),
        ("summarize polars", best_of(lambda: ours(pdf), repeat), "polars group_by", best_of(polars_peer, repeat), t_read),
    ]


def numpy_shapley(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Exact Shapley (LMG) the straightforward NumPy way: the correlation matrix, then R^2 of every
    subset by a linear solve, then the weighted marginal gains."""
    from math import comb

    p = x.shape[1]
    r = np.corrcoef(np.column_stack([y, x]).T)
    rxx, rxy = r[1:, 1:], r[0, 1:]
    r2 = np.zeros(1 << p)
    for mask in range(1, 1 << p):
        idx = [j for j in range(p) if mask >> j & 1]
        r2[mask] = rxy[idx] @ np.linalg.solve(rxx[np.ix_(idx, idx)], rxy[idx])
    phi = np.zeros(p)
    for mask in range(1 << p):
        size = bin(mask).count("1")
        for j in range(p):
            if not mask >> j & 1:
                phi[j] += (r2[mask | 1 << j] - r2[mask]) / (p * comb(p - 1, size))
    return phi


def bootstrap_rows(repeat: int, rng: np.random.Generator) -> list[tuple[str, float, str, float, float]]:
    from scipy import stats

    x = rng.choice(np.arange(11), size=100_000, p=np.array([2, 1, 1, 1, 1, 2, 3, 10, 15, 30, 34]) / 100)

    def statistic(s: np.ndarray, axis: int = -1) -> np.ndarray:
        return 100 * ((s >= 9).mean(axis=axis) - (s <= 6).mean(axis=axis))

    t0 = time.perf_counter()
    ref = stats.bootstrap((x,), statistic, n_resamples=9999, method="percentile", vectorized=True, batch=200)
    t_peer = time.perf_counter() - t0  # one run: the peer takes tens of seconds
    ours = cx.nps(x, method="bootstrap", seed=1)
    assert abs(ours.lower - ref.confidence_interval.low) < 0.2, "results differ"
    t_ours = best_of(lambda: cx.nps(x, method="bootstrap", n_resamples=9999), repeat)
    return [("bootstrap 9999, n=1e5", t_ours, "scipy bootstrap", t_peer, best_of(lambda: x.sum(), repeat))]


def drivers_rows(repeat: int, rng: np.random.Generator) -> list[tuple[str, float, str, float, float]]:
    n, p = 100_000, 15
    factor = rng.random(n)
    x = np.floor(1 + 10 * (0.3 * factor[:, None] + 0.7 * rng.random((n, p))))
    y = x @ (np.arange(1, p + 1) / p) + 5 * rng.random(n)
    data = {f"t{k}": x[:, k] for k in range(p)} | {"overall": y}
    names = [f"t{k}" for k in range(p)]
    ours = cx.drivers(data, outcome="overall", drivers=names)
    t0 = time.perf_counter()
    peer = numpy_shapley(y, x)
    t_peer = time.perf_counter() - t0  # one run: the peer takes seconds
    assert np.allclose(ours.to_frame()["importance"].to_numpy(), peer, rtol=1e-9, atol=0), "results differ"
    t_ours = best_of(lambda: cx.drivers(data, outcome="overall", drivers=names), repeat)
    t_read = best_of(lambda: x.sum(), repeat)
    return [("drivers 15, n=1e5", t_ours, "numpy subsets", t_peer, t_read)]


def logistic_rows(
    repeat: int, rng: np.random.Generator, peer_all: bool = False
) -> list[tuple[str, float, str, float, float]]:
    import itertools
    from math import comb

    import statsmodels.api as sm

    n, p = 100_000, 12
    latent = rng.normal(size=n)
    x = np.clip(np.rint(3 + 0.8 * latent[:, None] + rng.normal(size=(n, p))), 1, 5)
    y = (0.3 * (x[:, :6] - 3).sum(axis=1) + rng.logistic(size=n) > 0.5).astype(float)
    names = [f"t{k:02d}" for k in range(p)]
    data = {"repurchase": y, **{name: x[:, k] for k, name in enumerate(names)}}
    ours = cx.drivers(data, outcome="repurchase", drivers=names)
    assert ours.outcome_kind == "binary" and ours.exact and not ours.fit_issues
    t_ours = best_of(lambda: cx.drivers(data, outcome="repurchase", drivers=names), max(1, repeat // 4))
    ll0 = sm.Logit(y, np.ones((n, 1))).fit(disp=0).llf
    t_peer = 0.0
    sizes = range(1, p + 1)
    subsets = (
        [s for k in sizes for s in itertools.combinations(range(p), k)] if peer_all else [tuple(range(k)) for k in sizes]
    )
    for subset in subsets:
        t0 = time.perf_counter()
        fit = sm.Logit(y, sm.add_constant(x[:, list(subset)])).fit(disp=0)
        elapsed = time.perf_counter() - t0
        t_peer += elapsed if peer_all else elapsed * comb(p, len(subset))
        if len(subset) == p:  # the full model: our McFadden R^2 from the same likelihood
            assert abs((1 - fit.llf / ll0) - ours.r_squared) < 1e-8, "results differ"
    t_read = best_of(lambda: x.sum(), repeat)
    rows = [("logistic 12, n=1e5", t_ours, "statsmodels" if peer_all else "statsmodels (extr.)", t_peer, t_read)]
    # Linear, 20 drivers exactly (2^20 subsets).
    p20 = 20
    x20 = np.clip(np.rint(3 + 0.8 * latent[:, None] + rng.normal(size=(n, p20))), 1, 5)
    y20 = x20[:, :8].sum(axis=1) * 0.2 + rng.normal(size=n)
    names20 = [f"d{k:02d}" for k in range(p20)]
    data20 = {"overall": y20, **{name: x20[:, k] for k, name in enumerate(names20)}}
    assert cx.drivers(data20, outcome="overall", drivers=names20).exact
    t20 = best_of(lambda: cx.drivers(data20, outcome="overall", drivers=names20), max(1, repeat // 4))
    # The NumPy peer's cost per subset at 15 drivers, times 2^20 subsets.
    x15, y15 = x20[:, :15], y20
    t0 = time.perf_counter()
    numpy_shapley(y15, x15)
    per_subset = (time.perf_counter() - t0) / 2**15
    rows.append(("drivers 20, n=1e5", t20, "numpy (extr.)", per_subset * 2**p20, best_of(lambda: x20.sum(), repeat)))
    return rows


def read_rows(n: int, repeat: int, rng: np.random.Generator) -> list[tuple[str, float, str, float, float]]:
    import os
    import tempfile

    import pandas as pd

    touchpoints = np.array(["delivery", "web", "app", "store", "contact_center", "complaint"])
    comments = np.array(["great service", "late delivery, again", "", "the app crashed when paying", "friendly staff"])
    start = pd.Timestamp("2025-01-01", tz="UTC")
    frame = pd.DataFrame(
        {
            "respondent_id": [f"C{i:07d}" for i in range(n)],
            "recorded_at": (start + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s")).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "touchpoint": touchpoints[rng.integers(0, 6, n)],
            "channel": np.array(["web", "app", "store", "email"])[rng.integers(0, 4, n)],
            "segment": np.array(["vip", "standard", "new"])[rng.integers(0, 3, n)],
            "weight": np.round(rng.uniform(0.5, 2, n), 3),
            "nps": rng.integers(0, 11, n),
            "csat": rng.integers(1, 6, n),
            "ces": rng.integers(1, 8, n),
            "comment": comments[rng.integers(0, 5, n)],
        }
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, jsonl_path = os.path.join(tmp, "r.csv"), os.path.join(tmp, "r.jsonl")
        frame.to_csv(csv_path, index=False)
        frame.to_json(jsonl_path, orient="records", lines=True)
        read = cx.read_responses(csv_path)
        assert read.n_rejected == 0 and len(read) == n, read
        assert (read.data["nps"].to_numpy() == frame["nps"].to_numpy()).all(), "results differ"
        size = os.path.getsize(csv_path)
        t_read = best_of(lambda: open(csv_path, "rb").read(), repeat)
        rows.append(
            (
                f"read CSV {size / 1e6:.0f} MB",
                best_of(lambda: cx.read_responses(csv_path).data, max(1, repeat // 4)),
                "pandas read_csv",
                best_of(lambda: pd.read_csv(csv_path, parse_dates=["recorded_at"]), max(1, repeat // 4)),
                t_read,
            )
        )
        t_read = best_of(lambda: open(jsonl_path, "rb").read(), repeat)
        rows.append(
            (
                "read JSON Lines",
                best_of(lambda: cx.read_responses(jsonl_path).data, 1),
                "pandas read_json",
                best_of(lambda: pd.read_json(jsonl_path, lines=True), 1),
                t_read,
            )
        )
    return rows


def shrink_rows(groups: int, repeat: int, rng: np.random.Generator) -> list[tuple[str, float, str, float, float]]:
    import pandas as pd

    n = 10_000_000
    agent = rng.integers(0, groups, n)
    base = rng.beta(4, 3, groups)
    u = rng.uniform(size=n)
    p = base[agent]
    frame = pd.DataFrame(
        {
            "agent": agent,
            "ltr": np.where(u < p, 10, np.where(u < p + 0.15, 8, 3)).astype(np.int8),
            "sat": np.where(rng.uniform(size=n) < p, 5, 2).astype(np.int8),
        }
    )
    t_read = best_of(lambda: (frame["agent"].to_numpy().sum(), frame["ltr"].to_numpy().sum()), repeat)
    return [
        (
            f"shrink CSAT {groups:,} groups",
            best_of(lambda: cx.shrink(frame, by="agent", csat="sat"), 1),
            "summarize",
            best_of(lambda: cx.summarize(frame, by="agent", csat="sat"), 1),
            t_read,
        ),
        (
            f"shrink NPS {groups:,} groups",
            best_of(lambda: cx.shrink(frame, by="agent", nps="ltr"), 1),
            "summarize",
            best_of(lambda: cx.summarize(frame, by="agent", nps="ltr"), 1),
            t_read,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--read-rows", type=int, default=1_000_000)
    parser.add_argument("--shrink-groups", type=int, default=100_000)
    parser.add_argument("--logistic-peer-all", action="store_true", help="fit all 4096 statsmodels models")
    args = parser.parse_args()
    rng = np.random.default_rng(2025)
    rows = nps_rows(args.n, args.repeat, rng)
    rows += summarize_rows(args.n, args.repeat, rng)
    rows += drivers_rows(args.repeat, rng)
    rows += logistic_rows(args.repeat, rng, args.logistic_peer_all)
    rows += bootstrap_rows(args.repeat, rng)
    rows += read_rows(args.read_rows, args.repeat, rng)
    rows += shrink_rows(args.shrink_groups, args.repeat, rng)
    print(f"n = {args.n:,}, best of {args.repeat} runs, same process")
    print(f"{'benchmark':<24}{'ours (ms)':>11}  {'peer':<18}{'peer (ms)':>11}{'peer/ours':>11}{'ours/sum':>10}")
    for name, t_ours, peer, t_peer, t_read in rows:
        print(
            f"{name:<24}{1e3 * t_ours:>11.2f}  {peer:<18}{1e3 * t_peer:>11.2f}"
            f"{t_peer / t_ours:>10.1f}x{t_ours / t_read:>9.2f}x"
        )
    print(
        "peer/ours > 1: cxmetrics is faster; ours/sum: time relative to numpy's x.sum() over the same bytes "
        "(summarize: the three int64 columns; weighted: the weights; read: reading the file's bytes)"
    )


if __name__ == "__main__":
    main()

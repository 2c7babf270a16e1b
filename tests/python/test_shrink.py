"""cx.shrink for shares (issue 18): the fitted prior equals R VGAM's and each group's posterior
scipy's (tests/references/shrink/, computed outside the project), on data frames of any kind;
weights enter as Kish effective counts; NPS and means are refused by name until their models land."""

import json
import pathlib

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import cxmetrics as cx

REFS = pathlib.Path(__file__).parent.parent / "references" / "shrink"


def frame_of(successes: list[float], trials: list[float]) -> pd.DataFrame:
    """One row per answer: `sat` 5 (a top-2 answer) for each success, 1 otherwise."""
    stores, sat = [], []
    for g, (x, n) in enumerate(zip(successes, trials)):
        stores += [g] * int(n)
        sat += [5] * int(x) + [1] * int(n - x)
    return pd.DataFrame({"store": stores, "sat": sat})


@pytest.mark.parametrize("name", ["stores_small", "agents_many", "touchpoints_rare", "mixed_sizes", "litters"])
def test_prior_and_posteriors_equal_the_references(name: str) -> None:
    data = json.loads((REFS / "datasets.json").read_text())[name]
    vgam = json.loads((REFS / "vgam_cases.json").read_text())[name]
    scipy_case = json.loads((REFS / "cases.json").read_text())[name]
    out = cx.shrink(frame_of(data["successes"], data["trials"]), by="store", csat="sat")
    fit = out.attrs["fits"]["csat"]
    assert fit["alpha"] == pytest.approx(vgam["alpha"], rel=1e-6)
    assert fit["beta"] == pytest.approx(vgam["beta"], rel=1e-6)
    posts = scipy_case["posteriors"]
    for field in ("estimate", "lower", "upper"):
        np.testing.assert_allclose(out[field] / 100, [p[field] for p in posts], rtol=0, atol=2e-6)
    np.testing.assert_allclose(out["shrinkage"], [p["shrinkage"] for p in posts], rtol=0, atol=2e-6)
    # The raw columns are summarize's.
    report = cx.summarize(frame_of(data["successes"], data["trials"]), by="store", csat="sat", min_n=1)
    np.testing.assert_array_equal(out["raw"], report["value"][1:])
    np.testing.assert_array_equal(out["raw_lower"], report["lower"][1:])


def test_every_kind_of_frame_and_weights_as_kish_counts() -> None:
    data = json.loads((REFS / "datasets.json").read_text())["stores_small"]
    df = frame_of(data["successes"], data["trials"])
    ref = cx.shrink(df, by="store", csat="sat")
    got = cx.shrink(pl.from_pandas(df), by="store", csat="sat")
    assert isinstance(got, pl.DataFrame)
    np.testing.assert_array_equal(got["estimate"].to_numpy(), ref["estimate"].to_numpy())
    got = cx.shrink(pa.Table.from_pandas(df), by="store", csat="sat")
    assert isinstance(got, pa.Table)
    np.testing.assert_array_equal(got["estimate"].to_numpy(), ref["estimate"].to_numpy())
    # String keys group the same way.
    named = df.assign(store=df["store"].map(lambda g: f"s{g:03d}"))
    np.testing.assert_array_equal(cx.shrink(named, by="store", csat="sat")["estimate"], ref["estimate"])
    # Equal weights change nothing (Kish's n is then n); scaled weights neither.
    for w in (1.0, 2.5):
        weighted = cx.shrink(df.assign(w=w), by="store", csat="sat", weights="w")
        np.testing.assert_allclose(weighted["estimate"], ref["estimate"], rtol=1e-12)
        np.testing.assert_allclose(weighted["n"], ref["n"], rtol=1e-12)
    # Unequal weights: each group's n is Kish's effective number.
    rng = np.random.default_rng(4)
    df2 = df.assign(w=rng.uniform(0.5, 2.0, len(df)))
    weighted = cx.shrink(df2, by="store", csat="sat", weights="w")
    kish = df2.groupby("store")["w"].agg(lambda w: w.sum() ** 2 / (w**2).sum()).to_numpy()
    np.testing.assert_allclose(weighted["n"], kish, rtol=1e-12)


def test_degenerate_and_refused_inputs() -> None:
    same = pd.DataFrame({"store": [0] * 10 + [1] * 10, "sat": [5, 1] * 10})
    out = cx.shrink(same, by="store", csat="sat")
    assert out["pooled"].all() and (out["shrinkage"] == 1).all() and (out["estimate"] == 50).all()
    assert np.isfinite(out[["lower", "upper"]].to_numpy()).all()
    with pytest.raises(cx.InvalidParameterError, match="indices"):
        cx.shrink(same, by="store", nps={"column": "sat", "method": "bootstrap"})
    with pytest.raises(cx.InvalidInputError, match="by="):
        cx.shrink(same, by=[], csat="sat")


def test_mean_scores_follow_the_normal_normal_model() -> None:
    """REML and BLUP recomputed with scipy from the groups' means and squared standard errors (the
    Rust core is checked against R metafor in tests/shrink.rs)."""
    from scipy import optimize, stats

    rng = np.random.default_rng(9)
    sizes = rng.integers(2, 30, 40)
    truth = rng.normal(3.5, 0.4, 40)
    rows = [(g, int(np.clip(np.round(rng.normal(truth[g], 1.0)), 1, 5))) for g in range(40) for _ in range(sizes[g])]
    df = pd.DataFrame(rows, columns=["agent", "score"])
    out = cx.shrink(df, by="agent", mean={"column": "score", "scale": (1, 5)})
    stats_by = df.groupby("agent")["score"].agg(["mean", "var", "count"])
    y, v = stats_by["mean"].to_numpy(), (stats_by["var"] / stats_by["count"]).to_numpy()

    def score(t: float) -> float:
        w = 1 / (v + t)
        mu = (w * y).sum() / w.sum()
        return float((w**2 * (y - mu) ** 2).sum() - w.sum() + (w**2).sum() / w.sum())

    tau2 = optimize.brentq(score, 0.0, 10.0, xtol=1e-15) if score(0.0) > 0 else 0.0
    w = 1 / (v + tau2)
    mu, vb = (w * y).sum() / w.sum(), 1 / w.sum()
    lam = tau2 / (tau2 + v)
    pred = lam * y + (1 - lam) * mu
    se = np.sqrt(lam * v + (1 - lam) ** 2 * vb)
    z = stats.norm.ppf(0.975)
    assert out.attrs["fits"]["mean"]["tau2"] == pytest.approx(tau2, rel=1e-8)
    np.testing.assert_allclose(out["estimate"], pred, rtol=0, atol=1e-9)
    np.testing.assert_allclose(out["lower"], pred - z * se, rtol=0, atol=1e-9)
    np.testing.assert_allclose(out["shrinkage"], 1 - lam, rtol=0, atol=1e-9)
    assert out["prior_sd"][0] == pytest.approx(np.sqrt(tau2), rel=1e-8)


def test_nps_follows_the_dirichlet_multinomial_model() -> None:
    data = json.loads((REFS / "nps_datasets.json").read_text())["stores"]
    vgam = json.loads((REFS / "vgam_nps_cases.json").read_text())["stores"]
    scipy_case = json.loads((REFS / "nps_cases.json").read_text())["stores"]
    rows = [(g, score) for g, (d, p, r) in enumerate(data) for score in [0] * int(d) + [7] * int(p) + [10] * int(r)]
    df = pd.DataFrame(rows, columns=["store", "ltr"])
    out = cx.shrink(df, by="store", nps="ltr")
    alpha = out.attrs["fits"]["nps"]["alpha"]
    np.testing.assert_allclose(alpha, vgam["alpha"], rtol=1e-6)
    posts = scipy_case["posteriors"]
    np.testing.assert_allclose(out["estimate"][: len(posts)], [p["estimate"] for p in posts], atol=1e-3)
    np.testing.assert_allclose(out["lower"][: len(posts)], [p["lower"] for p in posts], atol=0.05)
    np.testing.assert_allclose(out["upper"][: len(posts)], [p["upper"] for p in posts], atol=0.05)
    report = cx.summarize(df, by="store", nps="ltr", min_n=1)
    np.testing.assert_array_equal(out["raw"], report["value"][1:])
    assert out["prior_mean"][0] == pytest.approx(100 * (alpha[2] - alpha[0]) / sum(alpha))


def test_rank_intervals_and_probabilities() -> None:
    from scipy import integrate, stats

    # Two stores: P(the first above the second) from their Beta posteriors by scipy quadrature.
    df = pd.DataFrame({"store": [0] * 12 + [1] * 15 + [2] * 40, "sat": [5] * 11 + [1] * 1 + [5] * 3 + [1] * 12 + [5] * 22 + [1] * 18})
    out = cx.rank(df, by="store", csat="sat", k=1, seed=5, draws=40_000)
    fit = out.attrs["fits"]["csat"]
    a, b = fit["alpha"], fit["beta"]
    assert not fit["pooled"]
    posts = [(a + 11, b + 1), (a + 3, b + 12), (a + 22, b + 18)]

    def p_top(g: int) -> float:
        others = [p for i, p in enumerate(posts) if i != g]
        f = lambda x: stats.beta.pdf(x, *posts[g]) * np.prod([stats.beta.cdf(x, *o) for o in others])  # noqa: E731
        return integrate.quad(f, 0, 1, epsabs=1e-12)[0]

    for g in range(3):
        assert out["p_top"][g] == pytest.approx(p_top(g), abs=0.01)  # Monte Carlo SE about 0.0025
    assert out["p_top"].sum() == pytest.approx(1.0) and out["p_bottom"].sum() == pytest.approx(1.0)
    assert out["rank"].tolist() == [1.0, 3.0, 2.0]
    assert (out["rank_lower"] <= out["rank"]).all() and (out["rank"] <= out["rank_upper"]).all()
    # Reproducible with the seed; a fresh seed is reported.
    again = cx.rank(df, by="store", csat="sat", k=1, seed=5, draws=40_000)
    pd.testing.assert_frame_equal(out, again)
    fresh = cx.rank(df, by="store", csat="sat", k=1)
    assert isinstance(fresh.attrs["seed"], int)
    with pytest.raises(cx.CxError, match="draws"):
        cx.rank(df, by="store", csat="sat", draws=5)
    with pytest.raises(cx.CxError, match="k"):
        cx.rank(df, by="store", csat="sat", k=0)


def test_the_ranking_picture_shows_raw_and_shrunk(tmp_path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    data = json.loads((REFS / "datasets.json").read_text())["stores_small"]
    out = cx.shrink(frame_of(data["successes"], data["trials"]), by="store", csat="sat")
    ax = cx.plot.ranking(out, indicator="csat", shrunk=True)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["population", "raw", "shrunk (empirical Bayes)"]
    assert len(ax.get_yticklabels()) == len(out) and "n=" in ax.get_yticklabels()[0].get_text()
    path = tmp_path / "ranking.png"
    ax.figure.savefig(path, dpi=50)
    assert path.stat().st_size > 5000
    with pytest.raises(cx.CxError, match="shrunk=True"):
        cx.plot.ranking(cx.summarize(frame_of(data["successes"], data["trials"]), by="store", csat="sat"), indicator="csat", shrunk=True)


def _report_data(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 4000
    store = rng.integers(0, 40, n)
    frame = pd.DataFrame(
        {
            "store": store,
            "ltr": rng.integers(0, 11, n),
            "sat": rng.integers(1, 6, n),
            "eff": rng.integers(1, 6, n),
            "w": rng.uniform(0.5, 2.0, n),
        }
    )
    # A store with one answer and one with none for the mean (missing scores).
    extra = pd.DataFrame({"store": [77, 88], "ltr": [10, 3], "sat": [5, 1], "eff": [4, None], "w": [1.0, 1.0]})
    return pd.concat([frame, extra], ignore_index=True)


@pytest.mark.parametrize("weights", [None, "w"])
def test_a_summarize_result_shrinks_as_its_responses(weights: str | None) -> None:
    df = _report_data()
    direct = cx.shrink(df, by="store", nps="ltr", csat="sat", mean="eff", weights=weights)
    report = cx.summarize(df, by="store", nps="ltr", csat="sat", mean="eff", weights=weights, min_n=1)
    via = cx.shrink(report, by="store")
    assert via["store"].tolist() == direct["store"].tolist()
    assert via["indicator"].tolist() == direct["indicator"].tolist()
    for column in ("n", "raw", "estimate", "lower", "upper", "shrinkage", "prior_mean", "prior_sd"):
        ours, theirs = via[column].to_numpy(float), direct[column].to_numpy(float)
        # The report's percentages carry the counts to rounding: 1e-8 of a point. (A mean of one
        # answer has no value nor effective n in the report: its n is NaN there, the prior alike.)
        if column != "n":
            assert np.array_equal(np.isnan(ours), np.isnan(theirs)), column
        assert np.nanmax(np.abs(ours - theirs)) < 1e-7, column
    # by defaults to the report's group columns; a subset of indicators by name.
    nps_only = cx.shrink(report, nps=True)
    assert set(nps_only["indicator"]) == {"nps"}
    assert np.allclose(nps_only["estimate"], direct[direct["indicator"] == "nps"]["estimate"], atol=1e-7)
    with pytest.raises(cx.InvalidInputError, match="has no ces"):
        cx.shrink(report, ces=True)
    with pytest.raises(cx.InvalidInputError, match="weights"):
        cx.shrink(report, by="store", weights="w")
    # polars in, polars out.
    pl = pytest.importorskip("polars")
    out = cx.shrink(pl.from_pandas(report), by="store")
    assert isinstance(out, pl.DataFrame) and out.height == len(via)


def test_score_counts_per_group_shrink_as_their_responses() -> None:
    df = _report_data()
    direct = cx.shrink(df, by="store", nps="ltr", csat="sat")
    counts = {key: cx.ScoreCounts.from_scores(g["ltr"].to_numpy()) for key, g in df.groupby("store")}
    via = cx.shrink(counts, by="store", nps=True)
    mine = direct[direct["indicator"] == "nps"].reset_index(drop=True)
    assert via["store"].tolist() == mine["store"].tolist()
    for column in ("n", "raw", "estimate", "lower", "upper", "shrinkage"):
        assert np.array_equal(via[column].to_numpy(float), mine[column].to_numpy(float)), column
    # Partitions merged first give the same.
    halves = [df.iloc[: len(df) // 2], df.iloc[len(df) // 2 :]]
    merged: dict = {}
    for half in halves:
        for key, g in half.groupby("store"):
            part = cx.ScoreCounts.from_scores(g["sat"].to_numpy(), scale=(1, 5))
            merged[key] = merged[key] + part if key in merged else part
    csat = cx.shrink(merged, nps=None, csat=True)
    assert csat["group"].tolist() == sorted(merged)
    theirs = direct[direct["indicator"] == "csat"]["estimate"].to_numpy()
    assert np.allclose(csat["estimate"].to_numpy(), theirs, rtol=0, atol=1e-12)
    with pytest.raises(cx.InvalidInputError, match="needs the indicator"):
        cx.shrink(counts)
    mixed = dict(counts)
    mixed["odd"] = cx.ScoreCounts.from_scores(np.array([1, 2, 3]), scale=(1, 5))
    with pytest.raises(cx.CxError, match="differs from group 0"):
        cx.shrink(mixed, nps=True)

"""cx.ScoreCounts: mergeable, picklable accumulators giving exactly the raw-score results, and the
distributed recipe on a dask LocalCluster."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import cxmetrics as cx
from cxmetrics.demo import data_path


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return pd.read_csv(data_path())


def test_counts_give_exactly_the_raw_score_results(demo):
    c = cx.ScoreCounts.from_scores(demo["nps"])
    assert c.n + c.n_missing == len(demo)
    for method in ("adjusted_wald", "wald", "score"):
        assert c.nps(method=method) == cx.nps(demo["nps"], method=method)
    sat = cx.ScoreCounts.from_scores(demo["csat"], scale=(1, 5))
    assert sat.top_box(indicator="csat") == cx.csat(demo["csat"])
    assert sat.top_box(top=1, method="jeffreys") == cx.top_box(demo["csat"], scale=(1, 5), top=1, method="jeffreys")
    assert sat.mean_score() == cx.mean_score(demo["csat"], scale=(1, 5))
    assert sat.mean_score(index=True) == cx.satisfaction_index(demo["csat"])
    w = cx.ScoreCounts.from_scores(demo["nps"], weights=demo["weight"])
    assert w.weighted and w.nps() == cx.nps(demo["nps"], weights=demo["weight"], method="wald")


def test_merge_pickle_json(demo):
    parts = [cx.ScoreCounts.from_scores(demo["nps"].iloc[i::7]) for i in range(7)]
    total = sum(parts)
    assert total == cx.ScoreCounts.from_scores(demo["nps"])
    assert parts[0].merge(parts[1]) == parts[0] + parts[1]
    assert (parts[0] + parts[1]) + parts[2] == parts[0] + (parts[1] + parts[2])
    assert pickle.loads(pickle.dumps(total)) == total
    assert cx.ScoreCounts.from_json(total.to_json()) == total
    assert "ScoreCounts(scale=(0, 10)" in repr(total)
    with pytest.raises(cx.InvalidCountsError):
        total + cx.ScoreCounts.from_scores([5, 4], scale=(1, 5))
    with pytest.raises(cx.InvalidCountsError):
        total + cx.ScoreCounts.from_scores([10], weights=[1.0])
    with pytest.raises(cx.InvalidInputError):
        cx.ScoreCounts.from_json('{"nope": 1}')


def test_from_counts_like_sql_group_by(demo):
    # SELECT nps, COUNT(*) FROM responses GROUP BY nps  ->  a mapping {score: count}
    grouped = demo["nps"].dropna().astype(int).value_counts().to_dict()
    c = cx.ScoreCounts.from_counts(grouped, n_missing=int(demo["nps"].isna().sum()))
    assert c == cx.ScoreCounts.from_scores(demo["nps"])
    assert cx.ScoreCounts.from_counts([1, 2, 3, 4, 5], scale=(1, 5)).n == 15
    with pytest.raises(cx.InvalidCountsError):
        cx.ScoreCounts.from_counts({11: 3})
    with pytest.raises(cx.InvalidCountsError):
        cx.ScoreCounts.from_counts([1, 2, 3])
    with pytest.raises(cx.CxError):
        cx.ScoreCounts.from_counts({9: -1})


def test_weighted_from_counts_like_sql_group_by(demo):
    # SELECT csat, COUNT(*), SUM(w), SUM(w * w) FROM responses GROUP BY csat: the weighted counts, and
    # every weighted estimate from them, equal those built from the rows (up to summation order).
    rows = demo.dropna(subset=["csat"])
    g = rows.groupby(rows["csat"].astype(int))["weight"]
    counts, sums, sq_sums = g.size().to_dict(), g.sum().to_dict(), g.apply(lambda w: float((w * w).sum())).to_dict()
    n_missing = int(demo["csat"].isna().sum())
    c = cx.ScoreCounts.from_counts(
        counts, scale=(1, 5), n_missing=n_missing, weight_sums=sums, weight_sq_sums=sq_sums
    )
    direct = cx.ScoreCounts.from_scores(demo["csat"], scale=(1, 5), weights=demo["weight"])
    assert c.weighted and c.counts == direct.counts and c.n_missing == direct.n_missing
    assert c.weight_sums == pytest.approx(direct.weight_sums, rel=1e-12)
    assert c.weight_sq_sums == pytest.approx(direct.weight_sq_sums, rel=1e-12)
    for ours, theirs in ((c.top_box(top=2), direct.top_box(top=2)), (c.mean_score(), direct.mean_score())):
        assert ours.value == pytest.approx(theirs.value, rel=1e-12)
        assert ours.std_error == pytest.approx(theirs.std_error, rel=1e-12)
        assert ours.effective_n == pytest.approx(theirs.effective_n, rel=1e-12)
    # As sequences, one entry per point; merged with counts built from rows.
    seq = cx.ScoreCounts.from_counts(
        direct.counts, scale=(1, 5), n_missing=n_missing, weight_sums=direct.weight_sums,
        weight_sq_sums=direct.weight_sq_sums,
    )
    assert seq == direct
    assert (seq + direct).total_weight == pytest.approx(2 * direct.total_weight, rel=1e-15)
    assert cx.ScoreCounts.from_counts([1] * 11).weight_sums is None


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"weight_sums": {10: 2.0}}, cx.InvalidInputError, "weight_sums and weight_sq_sums go together"),
        ({"weight_sq_sums": {10: 4.0}}, cx.InvalidInputError, "go together"),
        # a weight where there is no response
        ({"weight_sums": {9: 1.0}, "weight_sq_sums": {9: 1.0}}, cx.InvalidCountsError, "score 9"),
        # sum of squares larger than the square of the sum: no non-negative weights give it
        ({"weight_sums": {10: 2.0}, "weight_sq_sums": {10: 5.0}}, cx.InvalidCountsError, "score 10"),
        # two responses: sum^2 <= 2 sum_sq fails for sums swapped
        ({"weight_sums": {10: 5.0}, "weight_sq_sums": {10: 2.0}}, cx.InvalidCountsError, "score 10"),
        ({"weight_sums": {10: -1.0}, "weight_sq_sums": {10: 1.0}}, cx.InvalidCountsError, "score 10"),
        ({"weight_sums": {10: float("nan")}, "weight_sq_sums": {10: 1.0}}, cx.InvalidParameterError, "weight_sums"),
        ({"weight_sums": {11: 1.0}, "weight_sq_sums": {10: 1.0}}, cx.InvalidCountsError, "weight_sums: score 11"),
        ({"weight_sums": [1.0, 2.0], "weight_sq_sums": {10: 1.0}}, cx.InvalidCountsError, "2 weight_sums"),
        ({"weight_sums": "2", "weight_sq_sums": {10: 1.0}}, cx.InvalidInputError, "weight_sums must be a mapping"),
        ({"weight_sums": {10: "2"}, "weight_sq_sums": {10: 1.0}}, cx.InvalidInputError, "weight_sums"),
        ({"weight_sums": {10: 1e308}, "weight_sq_sums": {10: 1e308}}, cx.InvalidCountsError, "score 10"),
        ({"weight_sums": {10: 1e308}, "weight_sq_sums": {10: float("inf")}}, cx.InvalidParameterError, "weight_sq_sums"),
    ],
)
def test_weighted_from_counts_refuses_sums_no_weights_give(kwargs, error, message):
    with pytest.raises(error, match=message):
        cx.ScoreCounts.from_counts({10: 2}, **kwargs)


def _partition_counts(part: pd.DataFrame) -> dict:
    out = {"__all__": cx.ScoreCounts.from_scores(part["nps"].to_numpy())}
    for key, rows in part.groupby("touchpoint"):
        out[key] = cx.ScoreCounts.from_scores(rows["nps"].to_numpy())
    return out


def test_dask_local_cluster_equals_one_machine(demo):
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    import dask

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        ddf = dd.from_pandas(demo, npartitions=6)
        parts = dask.compute(*[dask.delayed(_partition_counts)(p) for p in ddf.to_delayed()])
        assert len(client.scheduler_info()["workers"]) == 2
    merged: dict = {}
    for part in parts:
        for key, counts in part.items():
            merged[key] = merged[key] + counts if key in merged else counts
    assert merged["__all__"].nps() == cx.nps(demo["nps"])
    for key, rows in demo.groupby("touchpoint"):
        assert merged[key].nps() == cx.nps(rows["nps"])


def test_counts_resample_exactly_as_the_scores_do():
    # Issue 17: ScoreCounts.nps / top_box take the resampling methods, through the core's one
    # indicator specification, and give what cx.nps / cx.top_box give on the same scores.
    import numpy as np

    scores = np.arange(300) % 11
    counts = cx.ScoreCounts.from_scores(scores, scale=(0, 10))
    for method in ("bootstrap", "bootstrap_bca", "bayes"):
        got = counts.nps(method=method, seed=5, n_resamples=2000)
        want = cx.nps(scores, method=method, seed=5, n_resamples=2000)
        assert got == want, method
        assert got.method == method
    sat = np.arange(300) % 5 + 1
    c5 = cx.ScoreCounts.from_scores(sat, scale=(1, 5))
    assert c5.top_box(method="bootstrap", seed=3) == cx.top_box(sat, scale=(1, 5), method="bootstrap", seed=3)
    with pytest.raises(cx.CxError):
        c5.top_box(indicator="mean")  # a mean is not a top-box share
    # the default method is the core's: adjusted Wald, Wald when weighted
    assert counts.nps().method == "adjusted_wald"
    w = cx.ScoreCounts.from_scores(scores, scale=(0, 10), weights=np.ones(scores.size))
    assert w.nps().method == "wald"
    with pytest.raises(cx.UnsupportedMethodError):
        w.nps(method="bootstrap")  # weighted resampling needs the rows: cx.nps(scores, weights=...)


def test_summarize_resamples_per_group():
    import numpy as np
    import pandas as pd

    df = pd.DataFrame({"g": np.arange(600) % 3, "s": np.arange(600) % 11})
    out = cx.summarize(df, by="g", nps={"column": "s", "method": "bootstrap"})
    wald = cx.summarize(df, by="g", nps={"column": "s", "method": "wald"})
    assert (out["value"].to_numpy() == wald["value"].to_numpy()).all()
    assert not np.allclose(out["lower"].to_numpy(), wald["lower"].to_numpy())
    assert ((out["lower"] <= out["value"]) & (out["value"] <= out["upper"])).all()

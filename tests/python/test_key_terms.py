"""cx.key_terms: the hand-computed example, planted vocabularies, inputs, the plot."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxmetrics as cx


def mcq(yi: float, yj: float, ni: float, nj: float, aw: float, a0: float) -> tuple[float, float]:
    """Monroe, Colaresi & Quinn (2008), eq. 16 and 18, written out independently of the library."""
    delta = math.log((yi + aw) / (ni + a0 - yi - aw)) - math.log((yj + aw) / (nj + a0 - yj - aw))
    return delta, delta / math.sqrt(1 / (yi + aw) + 1 / (yj + aw))


def test_hand_computed_example():
    frame = cx.key_terms(["slow slow refund", "fast refund"], ["bad", "good"], language="en", min_count=1, ngram=(1, 1))
    rows = {(r.group, r.term): r for r in frame.itertuples()}
    # n_bad = 3, n_good = 2, N = 5, alpha_0 = 0.05.
    delta, z = mcq(2, 0, 3, 2, 0.02, 0.05)
    assert rows[("bad", "slow")].log_odds == pytest.approx(delta, rel=1e-12)
    assert rows[("bad", "slow")].z_score == pytest.approx(z, rel=1e-12)
    assert rows[("bad", "slow")].rate == pytest.approx(1000 * 2 / 3)
    delta, z = mcq(1, 1, 2, 3, 0.02, 0.05)
    assert rows[("good", "refund")].z_score == pytest.approx(z, rel=1e-12)
    delta, z = mcq(1, 0, 2, 3, 0.01, 0.05)
    assert rows[("good", "fast")].log_odds == pytest.approx(delta, rel=1e-12)
    assert list(frame.columns) == ["group", "term", "count", "rate", "log_odds", "z_score"]


def test_planted_vocabulary_bilingual():
    rng = np.random.default_rng(5)
    common = ["tienda", "producto", "pedido", "precio", "store", "product", "order", "price"]
    texts, groups = [], []
    for i in range(4000):
        group = ["detractor", "passive", "promoter"][i % 3]
        words = list(rng.choice(common, size=10))
        # Every group gets two planted words at the same rate, so common words have equal rates.
        planted = {"detractor": ["retraso", "late"], "promoter": ["amable", "helpful"], "passive": ["normal", "okay"]}[group]
        words += [w for w in planted if rng.random() < 0.5]
        rng.shuffle(words)
        texts.append(" ".join(words))
        groups.append(group)
    frame = cx.key_terms(texts, groups, ngram=(1, 1), top=5)
    for group, planted in (("detractor", {"retraso", "late"}), ("promoter", {"amable", "helpful"})):
        top2 = set(frame[frame["group"] == group]["term"].head(2))
        assert top2 == planted
        assert (frame[(frame["group"] == group) & frame["term"].isin(planted)]["z_score"] > 10).all()
    common_rows = frame[frame["term"].isin(common)]
    assert (common_rows["z_score"].abs() < 4).all()


def test_inputs_missing_and_types():
    texts = pd.Series(["Atención pésima", None, "atencion PESIMA!!", "", "muy buena atención", np.nan, "buena"])
    groups = pd.Series([1, 1, 1, 2, 2, 2, None])
    frame = cx.key_terms(texts, groups, min_count=1)
    assert frame.attrs["n_empty"] == 3 and frame.attrs["n_missing_group"] == 1
    assert frame.attrs["n_comments"] == {1.0: 2, 2.0: 1}
    first = frame[frame["group"] == 1].iloc[0]
    # One term whatever the accents and case; each word shown as most often written ("atención" is
    # written so twice, "pésima"/"pesima" once each: the tie goes to the first in sort order).
    assert first["term"] == "atención pesima" and first["count"] == 2
    # polars in, polars out; any hashable labels.
    out = cx.key_terms(pl.Series(["late again", "fast", None]), pl.Series(["a", "b", "b"]), min_count=1)
    assert isinstance(out, pl.DataFrame) and set(out["group"].to_list()) == {"a", "b"}
    out = cx.key_terms(["late again", "fast"], [("tp", 1), ("tp", 2)], min_count=1)
    assert set(out["group"]) == {("tp", 1), ("tp", 2)}
    with pytest.raises(cx.InvalidInputError, match="position 1"):
        cx.key_terms(["ok", 3, "fine"], ["a", "b", "a"])
    with pytest.raises(cx.InvalidInputError):
        cx.key_terms(["ok", "fine"], ["a"])
    with pytest.raises(cx.UnknownMethodError):
        cx.key_terms(["ok", "fine"], ["a", "b"], language="fr")
    with pytest.raises(cx.InvalidParameterError):
        cx.key_terms(["ok", "fine"], ["a", "a"])  # one group: nothing to contrast
    with pytest.raises(cx.InvalidParameterError, match="ngram"):
        cx.key_terms(["ok", "fine"], ["a", "b"], ngram=(1, 4))


def test_demo_comments_and_plot(tmp_path):
    import matplotlib.pyplot as plt
    from cxmetrics.demo import data_path

    df = pd.read_csv(data_path())
    frame = cx.key_terms(df["comment"], cx.nps_category(df["nps"]), top=10)
    assert set(frame["group"]) == {"detractor", "passive", "promoter"}
    assert frame.attrs["n_missing_group"] == df["nps"].isna().sum()
    assert frame.attrs["n_empty"] >= (df["comment"].isna() & df["nps"].notna()).sum()
    assert sum(frame.attrs["n_comments"].values()) + frame.attrs["n_empty"] == df["nps"].notna().sum()
    ax = cx.plot.key_terms(frame, group="detractor")
    ax.figure.savefig(tmp_path / "terms.png")
    assert (tmp_path / "terms.png").stat().st_size > 1000
    plt.close(ax.figure)
    with pytest.raises(cx.InvalidInputError, match="no terms"):
        cx.plot.key_terms(frame, group="nobody")

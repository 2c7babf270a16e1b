"""Issue 14 §4: every bad argument is a clear CxError naming the parameter. Table-driven: each
public call below is made with each class of bad argument (bool for a number, negative, huge
integers, NaN/inf, strings for numbers, None, generators/sets/dicts, unhashables, bytes-likes)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import cxmetrics as cx

SAT = [1, 2, 5, 4, 3]
NPS = [0, 9, 10, 5, 7]
FRAME = pd.DataFrame({"g": [1, 1, 2, 2], "nps": [1, 9, 10, 5], "d": pd.to_datetime(["2025-01-01", "2025-01-09"] * 2)})

SEQUENCE_BAD = {
    "generator": lambda: (x for x in NPS),
    "set": lambda: set(NPS),
    "dict": lambda: dict.fromkeys(NPS, 1),
    "bytes": lambda: bytes(NPS),
    "bytearray": lambda: bytearray(NPS),
    "memoryview": lambda: memoryview(bytes(NPS)),
    "None": lambda: None,
    "str": lambda: "0910",
}


@pytest.mark.parametrize("kind", sorted(SEQUENCE_BAD))
@pytest.mark.parametrize(
    "call",
    [
        lambda x: cx.nps(x),
        lambda x: cx.csat(x),
        lambda x: cx.mean_score(x, scale=(0, 10)),
        lambda x: cx.nps_category(x),
        lambda x: cx.ScoreCounts.from_scores(x),
        lambda x: cx.ewma(x, target=0.0, sigma=1.0),
        lambda x: cx.cusum(x, target=0.0, sigma=1.0),
    ],
    ids=["nps", "csat", "mean_score", "nps_category", "from_scores", "ewma", "cusum"],
)
def test_bad_sequences_are_cx_errors(call, kind):
    with pytest.raises(cx.CxError) as info:
        call(SEQUENCE_BAD[kind]())
    if kind in ("generator", "set", "dict"):
        assert "must be a sequence" in str(info.value)


NUMBER_BAD = [True, "0.95", None, math.nan, math.inf, -math.inf, 2**64, -(2**64), [0.9]]


@pytest.mark.parametrize("value", NUMBER_BAD, ids=repr)
@pytest.mark.parametrize(
    "name, call",
    [
        ("confidence", lambda v: cx.nps(NPS, confidence=v)),
        ("confidence", lambda v: cx.csat(SAT, confidence=v)),
        ("target", lambda v: cx.ewma([1.0, 2.0], target=v, sigma=1.0)),
        ("sigma", lambda v: cx.ewma([1.0, 2.0], target=0.0, sigma=v)),
        ("lam", lambda v: cx.ewma([1.0, 2.0], target=0.0, sigma=1.0, lam=v)),
        ("target", lambda v: cx.cusum([1.0, 2.0], target=v, sigma=1.0)),
        ("k", lambda v: cx.cusum([1.0, 2.0], target=0.0, sigma=1.0, k=v)),
        ("h", lambda v: cx.cusum([1.0, 2.0], target=0.0, sigma=1.0, h=v)),
        ("sigma", lambda v: cx.p_chart([1, 2], [3, 4], sigma=v)),
        ("prior", lambda v: cx.csat(SAT, method="bayes", prior=v)),
    ],
)
def test_bad_numbers_are_cx_errors_naming_the_parameter(name, call, value):
    if name in ("target", "sigma", "k", "h") and isinstance(value, int) and not isinstance(value, bool):
        pytest.skip("2**64 is a finite positive number: a valid target, sigma, k or h")
    with pytest.raises(cx.CxError) as info:
        call(value)
    assert name in str(info.value)
    assert len(str(info.value)) < 300


COUNT_BAD = [True, -1, 2**64, 1.5, "3", None]


@pytest.mark.parametrize("value", COUNT_BAD, ids=repr)
@pytest.mark.parametrize(
    "name, call",
    [
        ("top", lambda v: cx.key_terms(["a b", "b c"], [1, 2], top=v)),
        ("min_count", lambda v: cx.key_terms(["a b", "b c"], [1, 2], min_count=v)),
        ("n_missing", lambda v: cx.ScoreCounts.from_counts([1] * 11, n_missing=v)),
        ("counts", lambda v: cx.ScoreCounts.from_counts([v] * 11)),
        ("counts", lambda v: cx.ScoreCounts.from_counts({3: v})),
    ],
)
def test_bad_counts_are_cx_errors_naming_the_parameter(name, call, value):
    if value is None and name == "n_missing":
        pytest.skip("n_missing=None is the default (0)")
    with pytest.raises(cx.CxError) as info:
        call(value)
    assert name in str(info.value)


SCALE_BAD = [(1, 5.0), (True, 5), (0, 2**64), (-(2**64), 0), None, "1-5", (1,), (1, 2, 3)]


@pytest.mark.parametrize("scale", SCALE_BAD, ids=repr)
@pytest.mark.parametrize(
    "call",
    [
        lambda s: cx.ScoreCounts.from_counts([1, 1], scale=s),
        lambda s: cx.ScoreCounts.from_scores([1, 2], scale=s),
        lambda s: cx.mean_score([1, 2], scale=s),
        lambda s: cx.csat([1, 2], scale=s),
    ],
    ids=["from_counts", "from_scores", "mean_score", "csat"],
)
def test_bad_scales_are_cx_errors(call, scale):
    if scale is None:
        pytest.skip("None is the default scale")
    with pytest.raises(cx.CxError) as info:
        call(scale)
    assert "scale" in str(info.value)


@pytest.mark.parametrize("text", [None, 1, b"{}", {"value": 1}, "\ud800", "not json"], ids=repr)
@pytest.mark.parametrize("cls", [cx.Estimate, cx.ScoreCounts, cx.Comparison], ids=lambda c: c.__name__)
def test_from_json_of_non_json_is_a_cx_error(cls, text):
    with pytest.raises(cx.CxError):
        cls.from_json(text)


def test_alerts_by_none_and_unhashable_keys():
    # alerts works without `by` (the whole data as one group), as trend does.
    assert len(cx.alerts(FRAME, by=None, time="d", nps="nps")) >= 0
    with pytest.raises(cx.InvalidInputError, match="by"):
        cx.trend(FRAME, by=[["g"]], time="d", nps="nps")
    with pytest.raises(cx.InvalidInputError, match="groups"):
        cx.key_terms(["a b", "b c"], [[1], [2]])


def test_lone_surrogate_in_a_comment_is_named():
    with pytest.raises(cx.CxError) as info:
        cx.key_terms(["fine", "bad \ud800 text"], [1, 2])
    assert "position 1" in str(info.value)


@pytest.mark.parametrize(
    "scores",
    [pd.Categorical([1, 9, 10]), pd.Index([1, 9, 10]), pd.Series([1, 9, 10])],
    ids=["Categorical", "Index", "Series"],
)
def test_nps_category_on_pandas_containers(scores):
    out = cx.nps_category(scores)
    assert list(out) == ["detractor", "promoter", "promoter"]

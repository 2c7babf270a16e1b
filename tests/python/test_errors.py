"""Bad input raises a documented cxmetrics error (a CxError and a ValueError), never a panic.

Messages must name the offending value and its position.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import cxmetrics as cx

ALL_ERRORS = [
    cx.EmptyDataError,
    cx.InvalidConfidenceError,
    cx.InvalidCountsError,
    cx.InvalidInputError,
    cx.InvalidScaleError,
    cx.InvalidScoreError,
    cx.InvalidWeightError,
    cx.LengthMismatchError,
    cx.MissingValueError,
    cx.UnknownMethodError,
    cx.UnsupportedMethodError,
]

# Every public entry point that takes raw scores, with a valid sample for it.
SCORE_FUNCS = {
    "nps": (cx.nps, [10, 9, 0, 7]),
    "top_box": (cx.top_box, [5, 4, 1, 3]),
    "csat": (cx.csat, [5, 4, 1, 3]),
    "ces": (cx.ces, [7, 5, 1, 3]),
    "mean_score": (cx.mean_score, [5, 4, 1, 3]),
}


def raises(exc_type, fn, *args, **kwargs) -> BaseException:
    """Call ``fn`` and return the exception, asserting its type, that it is a CxError and a ValueError,
    and that it is an ordinary Exception (not a Rust PanicException, which derives from BaseException)."""
    try:
        fn(*args, **kwargs)
    except BaseException as exc:  # noqa: BLE001
        assert isinstance(exc, Exception), f"not an Exception subclass: {type(exc)!r}: {exc}"
        assert isinstance(exc, exc_type), f"expected {exc_type.__name__}, got {type(exc).__name__}: {exc}"
        assert isinstance(exc, cx.CxError) and isinstance(exc, ValueError)
        assert str(exc), "empty error message"
        return exc
    pytest.fail(f"{fn.__name__}{args}{kwargs} did not raise {exc_type.__name__}")


# --- hierarchy ------------------------------------------------------------------------------------


@pytest.mark.parametrize("exc", ALL_ERRORS, ids=lambda e: e.__name__)
def test_hierarchy(exc):
    assert issubclass(exc, cx.CxError)
    assert issubclass(exc, ValueError)
    assert exc.__name__ in cx.__all__


def test_invalid_input_is_also_type_error():
    assert issubclass(cx.InvalidInputError, TypeError)
    assert issubclass(cx.CxError, ValueError)


# --- scores ---------------------------------------------------------------------------------------


def test_out_of_range_score_names_value_and_position():
    e = raises(cx.InvalidScoreError, cx.nps, [10, 9, 9, 11, 1])
    assert "11" in str(e) and "position 3" in str(e)
    e = raises(cx.InvalidScoreError, cx.nps, [-1, 5])
    assert "-1" in str(e) and "position 0" in str(e)
    e = raises(cx.InvalidScoreError, cx.top_box, [1, 2, 6])
    assert "6" in str(e) and "position 2" in str(e) and "1-5" in str(e)
    e = raises(cx.InvalidScoreError, cx.ces, [7, 8])
    assert "8" in str(e) and "position 1" in str(e)
    e = raises(cx.InvalidScoreError, cx.mean_score, [1, 2, 0], scale=(1, 5))
    assert "0" in str(e) and "position 2" in str(e)
    e = raises(cx.InvalidScoreError, cx.nps, np.array([10, 9, 255], dtype=np.uint8))
    assert "255" in str(e) and "position 2" in str(e)
    e = raises(cx.InvalidScoreError, cx.nps, np.array([10, -128], dtype=np.int8))
    assert "-128" in str(e) and "position 1" in str(e)


@pytest.mark.parametrize("name", list(SCORE_FUNCS))
def test_non_integer_score(name):
    fn, good = SCORE_FUNCS[name]
    bad = list(good)
    bad.insert(2, 3.5)
    e = raises(cx.InvalidScoreError, fn, bad)
    assert "3.5" in str(e) and "position 2" in str(e)


def test_non_integer_nps_score_7_5():
    e = raises(cx.InvalidScoreError, cx.nps, [10, 9, 7.5])
    assert "7.5" in str(e) and "position 2" in str(e)
    e = raises(cx.InvalidScoreError, cx.nps, np.array([7.5], dtype=np.float32))
    assert "7.5" in str(e) and "position 0" in str(e)


@pytest.mark.parametrize("value", [math.inf, -math.inf])
def test_infinite_score(value):
    e = raises(cx.InvalidScoreError, cx.nps, [10, value])
    assert "inf" in str(e) and "position 1" in str(e)


@pytest.mark.parametrize("name", list(SCORE_FUNCS))
@pytest.mark.parametrize("missing", [float("nan"), None])
def test_missing_under_raise(name, missing):
    fn, good = SCORE_FUNCS[name]
    e = raises(cx.MissingValueError, fn, good[:1] + [missing] + good[1:], nan_policy="raise")
    assert "position 1" in str(e)


@pytest.mark.parametrize("name", list(SCORE_FUNCS))
def test_empty(name):
    fn, _ = SCORE_FUNCS[name]
    raises(cx.EmptyDataError, fn, [])
    raises(cx.EmptyDataError, fn, np.array([], dtype=np.float64))


@pytest.mark.parametrize("name", list(SCORE_FUNCS))
def test_all_missing(name):
    fn, _ = SCORE_FUNCS[name]
    raises(cx.EmptyDataError, fn, [np.nan, None, np.nan])
    raises(cx.EmptyDataError, fn, np.full(4, np.nan))


def test_all_missing_message_counts_missing():
    e = raises(cx.EmptyDataError, cx.nps, [np.nan, np.nan])
    assert "2 missing of 2" in str(e)


def test_mean_score_needs_two_responses():
    raises(cx.EmptyDataError, cx.mean_score, [3])
    raises(cx.EmptyDataError, cx.mean_score, [3, np.nan])
    raises(cx.EmptyDataError, cx.mean_score, [4], weights=[2.0])


# --- weights --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, shown",
    [(-1.0, "-1"), (-0.5, "-0.5"), (float("nan"), "NaN"), (math.inf, "inf"), (-math.inf, "-inf"), (None, "NaN")],
)
def test_invalid_weight(bad, shown):
    e = raises(cx.InvalidWeightError, cx.nps, [10, 9, 0, 7], weights=[1.0, 2.0, bad, 1.0], method="wald")
    assert shown in str(e) and "position 2" in str(e)
    raises(cx.InvalidWeightError, cx.top_box, [5, 4, 1, 3], weights=[1.0, 2.0, bad, 1.0])
    raises(cx.InvalidWeightError, cx.mean_score, [5, 4, 1, 3], weights=[1.0, 2.0, bad, 1.0])


def test_all_zero_weights():
    raises(cx.InvalidWeightError, cx.nps, [10, 9, 0], weights=[0, 0, 0], method="wald")
    raises(cx.InvalidWeightError, cx.top_box, [5, 4, 1], weights=[0.0, 0.0, 0.0])
    raises(cx.InvalidWeightError, cx.mean_score, [5, 4, 1], weights=np.zeros(3))


@pytest.mark.parametrize("name", list(SCORE_FUNCS))
def test_length_mismatch(name):
    fn, good = SCORE_FUNCS[name]
    kw = {"method": "wald"} if name == "nps" else {}
    e = raises(cx.LengthMismatchError, fn, good, weights=[1.0] * (len(good) - 1), **kw)
    assert str(len(good)) in str(e) and str(len(good) - 1) in str(e)
    raises(cx.LengthMismatchError, fn, good, weights=[1.0] * (len(good) + 2), **kw)


def test_weights_wrong_type():
    e = raises(cx.InvalidInputError, cx.nps, [10, 9], weights="ab", method="wald")
    assert isinstance(e, TypeError)
    raises(cx.InvalidInputError, cx.nps, [10, 9], weights=[True, False], method="wald")
    raises(cx.InvalidInputError, cx.nps, [10, 9], weights=np.ones((2, 1)), method="wald")


# --- confidence -----------------------------------------------------------------------------------


@pytest.mark.parametrize("confidence, shown", [(0, "0"), (1, "1"), (1.5, "1.5"), (-0.1, "-0.1"), (float("nan"), "NaN"), (math.inf, "inf")])
def test_invalid_confidence(confidence, shown):
    calls = [
        lambda: cx.nps([10, 9], confidence=confidence),
        lambda: cx.nps_from_counts(1, 2, 3, confidence=confidence),
        lambda: cx.top_box([5, 1], confidence=confidence),
        lambda: cx.top_box_from_counts(1, 2, confidence=confidence),
        lambda: cx.csat([5, 1], confidence=confidence),
        lambda: cx.ces([7, 1], confidence=confidence),
        lambda: cx.mean_score([5, 1], confidence=confidence),
    ]
    for call in calls:
        e = raises(cx.InvalidConfidenceError, call)
        assert f"confidence {shown}" in str(e)


@pytest.mark.parametrize("confidence", ["0.95", True, None, [0.95]])
def test_confidence_wrong_type(confidence):
    e = raises(cx.InvalidInputError, cx.nps, [10, 9], confidence=confidence)
    assert isinstance(e, TypeError)


# --- methods --------------------------------------------------------------------------------------


def test_unknown_nps_method_lists_valid_names():
    for call in (lambda: cx.nps([10, 9], method="jackknife"), lambda: cx.nps_from_counts(1, 2, 3, method="bootstrap")):
        e = raises(cx.UnknownMethodError, call)
        msg = str(e)
        assert "jackknife" in msg or "bootstrap" in msg
        for name in ("wald", "adjusted_wald", "score"):
            assert f'"{name}"' in msg


@pytest.mark.parametrize("fn", [cx.top_box, cx.csat, cx.ces])
def test_unknown_share_method_lists_valid_names(fn):
    e = raises(cx.UnknownMethodError, fn, [5, 1], method="beta")
    msg = str(e)
    assert "beta" in msg
    for name in ("wilson", "wilson_cc", "agresti_coull", "clopper_pearson", "jeffreys", "wald"):
        assert f'"{name}"' in msg
    raises(cx.UnknownMethodError, cx.top_box_from_counts, 1, 2, method="Wilson")


def test_unknown_nan_policy():
    e = raises(cx.UnknownMethodError, cx.nps, [10, 9], nan_policy="drop")
    assert "drop" in str(e) and "omit" in str(e) and "raise" in str(e)
    raises(cx.UnknownMethodError, cx.mean_score, [1, 2], nan_policy="propagate")


def test_method_wrong_type():
    # method=None is the core's default (issue 17: one default, as ScoreCounts.nps(method=None))
    assert cx.nps([10, 9], method=None).method == "adjusted_wald"
    raises(cx.InvalidInputError, cx.nps, [10, 9], method=1)
    raises(cx.InvalidInputError, cx.top_box, [5, 1], method=1)
    raises(cx.InvalidInputError, cx.nps, [10, 9], nan_policy=None)


@pytest.mark.parametrize("method", ["adjusted_wald", "score"])
def test_weighted_nps_unsupported_methods(method):
    e = raises(cx.UnsupportedMethodError, cx.nps, [10, 9, 0], weights=[1, 2, 3], method=method)
    assert method in str(e) and '"wald"' in str(e)
    # the default method is the core's one default (issue 17): Wald with weights, as summarize,
    # trend and ScoreCounts.nps already did; an explicit adjusted_wald still has no weighted form
    assert cx.nps([10, 9, 0], weights=[1, 2, 3]).method == "wald"


@pytest.mark.parametrize("method", ["wilson_cc", "agresti_coull", "clopper_pearson", "jeffreys"])
def test_weighted_share_unsupported_methods(method):
    e = raises(cx.UnsupportedMethodError, cx.top_box, [5, 4, 1], weights=[1, 2, 3], method=method)
    assert method in str(e) and '"wilson"' in str(e) and '"wald"' in str(e)


# --- wrong input types ----------------------------------------------------------------------------

BAD_INPUTS = {
    "string": "10 9 8",
    "bytes": b"\x01\x02",
    "list_of_strings": ["10", "9"],
    "mixed_strings": [10, "9"],
    "bool_list": [True, False, True],
    "bool_array": np.array([True, False]),
    "2d_array": np.ones((3, 2)),
    "2d_list": [[1, 2], [3, 4]],
    "0d_array": np.array(5),
    "scalar_int": 5,
    "scalar_float": 5.0,
    "numpy_scalar": np.int64(5),
    "dict": {0: 10, 1: 9},
    "none": None,
    "complex": np.array([1 + 0j]),
    "datetime": np.array(["2024-01-01"], dtype="datetime64[D]"),
    "object_with_str": np.array([10, "a"], dtype=object),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
@pytest.mark.parametrize("fn", [cx.nps, cx.top_box, cx.csat, cx.ces, cx.mean_score], ids=lambda f: f.__name__)
def test_wrong_input_type(fn, name):
    e = raises(cx.InvalidInputError, fn, BAD_INPUTS[name])
    assert isinstance(e, TypeError)


def test_wrong_input_message_names_position():
    e = raises(cx.InvalidInputError, cx.nps, [10, None, "x"])
    assert "'x'" in str(e) and "position 2" in str(e)


def test_pandas_polars_wrong_types():
    pd = pytest.importorskip("pandas")
    raises(cx.InvalidInputError, cx.nps, pd.Series(["a", "b"]))
    raises(cx.InvalidInputError, cx.nps, pd.Series([True, False]))
    raises(cx.InvalidInputError, cx.nps, pd.Series([True, None], dtype="boolean"))
    raises(cx.InvalidInputError, cx.nps, pd.DataFrame({"a": [10, 9]}))
    raises(cx.InvalidInputError, cx.nps, pd.Series(pd.to_datetime(["2024-01-01"])))
    pl = pytest.importorskip("polars")
    raises(cx.InvalidInputError, cx.nps, pl.Series(["a"]))
    raises(cx.InvalidInputError, cx.nps, pl.Series([True, False]))
    raises(cx.InvalidInputError, cx.nps, pl.DataFrame({"a": [10, 9]}))


@pytest.mark.parametrize("scores", [[10, 9, True], [True, 10], [9.0, False]])
def test_booleans_mixed_into_numbers_are_rejected(scores):
    raises(cx.InvalidInputError, cx.nps, scores)


def test_ragged_list_is_invalid_input():
    raises(cx.InvalidInputError, cx.nps, [[1, 2], [3]])


# --- scales and top -------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [(5, 1), (3, 3), (7, -7)])
def test_invalid_scale(scale):
    e = raises(cx.InvalidScaleError, cx.top_box, [3], scale=scale)
    assert f"{scale[0]}-{scale[1]}" in str(e)
    raises(cx.InvalidScaleError, cx.mean_score, [3, 3], scale=scale)
    raises(cx.InvalidScaleError, cx.csat, [3], scale=scale)


@pytest.mark.parametrize("scale", ["ab", (1,), (1, 5, 7), (1.0, 5.0), None, 5])
def test_malformed_scale(scale):
    raises(cx.InvalidScaleError, cx.top_box, [3], scale=scale)
    raises(cx.InvalidScaleError, cx.mean_score, [3, 3], scale=scale)


@pytest.mark.parametrize("top", [0, 5, 6, -1])
def test_invalid_top(top):
    e = raises(cx.InvalidScaleError, cx.top_box, [1, 2, 3], scale=(1, 5), top=top)
    assert f"top={top}" in str(e)
    raises(cx.InvalidScaleError, cx.ces, [1, 2, 3], top=7 if top > 0 else top)


@pytest.mark.parametrize("top", [2.0, "2", True, None])
def test_top_wrong_type(top):
    raises(cx.InvalidInputError, cx.top_box, [1, 2, 3], top=top)


# --- counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("counts, name", [((-1, 2, 3), "detractors"), ((1, -2, 3), "passives"), ((1, 2, -3), "promoters")])
def test_nps_from_counts_negative(counts, name):
    e = raises(cx.InvalidCountsError, cx.nps_from_counts, *counts)
    assert name in str(e) and str(min(counts)) in str(e)


def test_nps_from_counts_all_zero():
    raises(cx.EmptyDataError, cx.nps_from_counts, 0, 0, 0)


@pytest.mark.parametrize("bad", [1.5, 2.0, "3", None, True])
def test_counts_wrong_type(bad):
    raises(cx.InvalidInputError, cx.nps_from_counts, bad, 2, 3)
    raises(cx.InvalidInputError, cx.top_box_from_counts, bad, 10)
    raises(cx.InvalidInputError, cx.top_box_from_counts, 1, bad)


def test_top_box_from_counts_invalid():
    e = raises(cx.InvalidCountsError, cx.top_box_from_counts, 5, 3)
    assert "5" in str(e) and "3" in str(e)
    raises(cx.InvalidCountsError, cx.top_box_from_counts, -1, 3)
    raises(cx.InvalidCountsError, cx.top_box_from_counts, 1, -3)
    raises(cx.EmptyDataError, cx.top_box_from_counts, 0, 0)


def test_huge_counts_raise_cx_error():
    raises(cx.CxError, cx.nps_from_counts, 2**70, 1, 1)


# --- degenerate weights ---------------------------------------------------------------------------


@pytest.mark.parametrize("scale, words", [(1e308, "overflows"), (1e200, "overflows"), (1e-320, "underflow")])
def test_extreme_weight_magnitudes_are_rejected_not_wrong(scale, words):
    # Finite weights whose sums overflow (or whose squares underflow) cannot give a number: a clear
    # error that says to rescale, never a silent NaN or a wrong value.
    e = raises(cx.InvalidWeightError, cx.nps, [10, 9, 0, 7], weights=[scale] * 4, method="wald")
    assert words in str(e) and "divide them by their mean" in str(e)
    raises(cx.InvalidWeightError, cx.mean_score, [1, 2, 3], weights=[scale] * 3)
    raises(cx.InvalidWeightError, cx.csat, [1, 5, 3], weights=[scale] * 3)
    # Large but usable weights give the unweighted-equivalent answer.
    ref = cx.nps([10, 9, 0, 7], weights=[1.0] * 4, method="wald")
    big = cx.nps([10, 9, 0, 7], weights=[1e150] * 4, method="wald")
    assert big.value == pytest.approx(ref.value, rel=1e-12) and big.lower == pytest.approx(ref.lower, rel=1e-12)


def test_errors_carry_a_stable_code():
    import numpy as np

    with pytest.raises(cx.InvalidScoreError) as info:
        cx.nps([11])
    assert info.value.code == "score_out_of_range"
    with pytest.raises(cx.InvalidParameterError) as info:
        cx.nps(np.arange(11), method="bootstrap", n_resamples=1)
    assert info.value.code == "invalid_parameter"
    with pytest.raises(cx.MissingValueError) as info:
        cx.nps([1, None], nan_policy="raise")
    assert info.value.code == "missing_value"
    # the binding adds the Python spelling to the core's message
    assert 'nan_policy="omit"' in str(info.value)
    with pytest.raises(FileNotFoundError):
        cx.read_responses("/nonexistent/cxmetrics.csv")
    # errors raised in Python have their class's code
    with pytest.raises(cx.InvalidInputError) as info:
        cx.nps([1], confidence="0.95")
    assert info.value.code == "invalid_input"
    assert cx.CxError.code == "cx_error"

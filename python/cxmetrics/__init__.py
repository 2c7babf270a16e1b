"""cxmetrics: customer-experience indicators with honest confidence intervals.

NPS, CSAT, CES, any top-box share and mean scores from lists, NumPy arrays, pandas or polars Series,
computed in Rust. Conventions: NPS in points (-100..100), shares in percent (0..100), means in the
scale's units; ``value`` is the plain estimate; intervals are clipped to the indicator's range; nothing
is rounded. Missing answers (NaN, None, NA) are excluded and counted in ``n_missing`` with
``nan_policy="omit"`` (the default) or raise with ``nan_policy="raise"``.

>>> import cxmetrics as cx
>>> e = cx.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 0])
>>> e.value
20.0
>>> print(e)
NPS 20.0 points (95% CI -30.3 to 61.1, adjusted_wald; n = 10)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import _convert
from ._errors import (
    CxError,
    EmptyDataError,
    IncomparableError,
    InvalidFileError,
    InvalidPlanningError,
    InvalidPValueError,
    InvalidRecordError,
    InvalidConfidenceError,
    InvalidDriversError,
    InvalidCountsError,
    InvalidInputError,
    InvalidParameterError,
    InputChangedError,
    InvalidScaleError,
    InvalidScoreError,
    InvalidWeightError,
    LengthMismatchError,
    MissingValueError,
    UnknownMethodError,
    UnsupportedMethodError,
)
from ._native import Comparison, Estimate, ScoreCounts, __version__
from . import _native
from ._report import summarize
from ._read import ReadResult, read_responses
from ._business import loyalty_index, outcomes, secure_customers
from ._drivers import DriverAnalysis, drivers
from ._text import key_terms
from ._trend import alerts, cusum, ewma, nps_chart, p_chart, trend
from . import plot

__all__ = [
    "__version__",
    "Estimate",
    "ScoreCounts",
    "nps",
    "nps_from_counts",
    "top_box",
    "top_box_from_counts",
    "csat",
    "ces",
    "mean_score",
    "enps",
    "repurchase",
    "satisfaction_index",
    "nps_category",
    "loyalty_index",
    "secure_customers",
    "outcomes",
    "drivers",
    "DriverAnalysis",
    "key_terms",
    "trend",
    "alerts",
    "p_chart",
    "nps_chart",
    "ewma",
    "cusum",
    "plot",
    "summarize",
    "read_responses",
    "ReadResult",
    "Comparison",
    "compare",
    "nps_paired",
    "test_against",
    "adjust_pvalues",
    "sample_size",
    "sample_size_per_group",
    "minimum_detectable_difference",
    "CxError",
    "IncomparableError",
    "InvalidFileError",
    "InvalidPlanningError",
    "InvalidPValueError",
    "InvalidRecordError",
    "EmptyDataError",
    "InvalidConfidenceError",
    "InvalidDriversError",
    "InvalidCountsError",
    "InvalidInputError",
    "InvalidParameterError",
    "InputChangedError",
    "InvalidScaleError",
    "InvalidScoreError",
    "InvalidWeightError",
    "LengthMismatchError",
    "MissingValueError",
    "UnknownMethodError",
    "UnsupportedMethodError",
]


def _resampling(n_resamples: Any, seed: Any, prior: Any) -> tuple[int, int | None, float]:
    """Checked ``n_resamples``, ``seed`` and ``prior`` of the resampling and Bayesian methods."""
    return _convert.as_size(n_resamples, "n_resamples"), _convert.as_seed(seed), _convert.as_real(prior, "prior")


def nps(
    scores: Any,
    *,
    weights: Any = None,
    method: str = "adjusted_wald",
    confidence: float = 0.95,
    nan_policy: str = "omit",
    n_resamples: int = 9999,
    seed: int | None = None,
    prior: float = 0.5,
) -> Estimate:
    """Net Promoter Score of 0-10 likelihood-to-recommend scores, in points (-100..100).

    Parameters
    ----------
    scores
        0-10 scores: list, NumPy array (any integer or float dtype), pandas or polars Series.
        NaN/None/NA are missing answers.
    weights
        Optional non-negative, finite respondent weights, aligned with ``scores``.
    method
        ``"adjusted_wald"`` (default; Rocks 2016: add 0.75/1.5/0.75 pseudo-counts; the interval is
        centred on the adjusted estimate, so in small samples with an empty category it can exclude
        the raw ``value``: ``cx.nps([0])`` is -100 with a 95% CI of -98.5 to 48.5), ``"wald"``
        (R package ``NPS``) or ``"score"`` (Tango 1998 score interval). With ``weights`` only
        ``"wald"`` applies (linearisation variance, as R ``survey``); other methods raise
        :class:`UnsupportedMethodError`. Resampling and Bayesian intervals:
        ``"bootstrap"`` (percentile), ``"bootstrap_bca"`` (bias-corrected and accelerated) and
        ``"bayes"`` (equal-tailed Dirichlet posterior interval; unweighted only), with ``n_resamples``
        replicates or posterior draws, ``seed`` for reproducibility and ``prior``
        (Dirichlet(prior, prior, prior); default 1/2, Jeffreys). Unweighted replicates resample the
        category counts (one multinomial draw each), so their cost hardly depends on the number of
        responses; weighted ones resample the respondents with their weights.
    confidence
        Confidence level strictly between 0 and 1.
    nan_policy
        ``"omit"``: exclude missing answers and count them in ``n_missing``; ``"raise"``: raise
        :class:`MissingValueError`.

    Returns
    -------
    Estimate
        ``value`` is the raw NPS; ``promoters``/``passives``/``detractors`` are shares in percent and
        ``n_promoters``... their counts. ``std_error`` is ``100 sqrt(Var1/n)`` (multinomial, divisor n)
        unweighted, the linearisation standard error weighted.

    Raises
    ------
    InvalidScoreError
        A score outside 0-10 or not a whole number (the message names it and its position).
    EmptyDataError, InvalidWeightError, LengthMismatchError, InvalidConfidenceError, UnknownMethodError

    Examples
    --------
    >>> import cxmetrics as cx
    >>> round(cx.nps([10, 9, 0, 7], method="wald").value, 6)
    25.0
    """
    return _native.nps(
        _convert.as_array(scores),
        _convert.as_weights(weights),
        _convert.as_name(method, "method"),
        _convert.as_confidence(confidence),
        _convert.as_name(nan_policy, "nan_policy"),
        False,
        *_resampling(n_resamples, seed, prior),
    )


def nps_from_counts(
    detractors: int,
    passives: int,
    promoters: int,
    *,
    method: str = "adjusted_wald",
    confidence: float = 0.95,
) -> Estimate:
    """NPS from the numbers of detractors (0-6), passives (7-8) and promoters (9-10).

    >>> import cxmetrics as cx
    >>> e = cx.nps_from_counts(20, 30, 50, method="wald")
    >>> round(e.lower, 4), round(e.upper, 4)
    (14.6922, 45.3078)
    """
    return _native.nps_from_counts(
        _convert.as_count(detractors, "detractors"),
        _convert.as_count(passives, "passives"),
        _convert.as_count(promoters, "promoters"),
        _convert.as_name(method, "method"),
        _convert.as_confidence(confidence),
    )


def _top_box(
    indicator: str,
    scores: Any,
    scale: Any,
    top: int,
    weights: Any,
    method: str,
    confidence: float,
    nan_policy: str,
    resampling: tuple[Any, Any, Any] = (9999, None, 0.5),
) -> Estimate:
    lo, hi = _convert.as_scale(scale)
    return _native.top_box(
        _convert.as_array(scores),
        lo,
        hi,
        _convert.as_count(top, "top"),
        _convert.as_weights(weights),
        _convert.as_name(method, "method"),
        _convert.as_confidence(confidence),
        _convert.as_name(nan_policy, "nan_policy"),
        indicator,
        *_resampling(*resampling),
    )


def top_box(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    top: int = 2,
    weights: Any = None,
    method: str = "wilson",
    confidence: float = 0.95,
    nan_policy: str = "omit",
    n_resamples: int = 9999,
    seed: int | None = None,
    prior: float = 0.5,
) -> Estimate:
    """Share (percent) of responses in the ``top`` highest points of ``scale``.

    Methods: ``"wilson"`` (default), ``"wilson_cc"`` (Newcombe 1998 continuity-corrected),
    ``"agresti_coull"``, ``"clopper_pearson"``, ``"jeffreys"`` (end points 0 and 1 at x = 0 and x = n)
    and ``"wald"``, as statsmodels ``proportion_confint``. With ``weights``: ``"wilson"`` (design
    effective sample size) or ``"wald"`` (linearisation variance).

    >>> import cxmetrics as cx
    >>> e = cx.top_box([5, 4, 4, 3, 5, 1, 2, 5, 4, 4])
    >>> e.value
    70.0
    """
    return _top_box("top_box", scores, scale, top, weights, method, confidence, nan_policy, (n_resamples, seed, prior))


def csat(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    top: int = 2,
    weights: Any = None,
    method: str = "wilson",
    confidence: float = 0.95,
    nan_policy: str = "omit",
    n_resamples: int = 9999,
    seed: int | None = None,
    prior: float = 0.5,
) -> Estimate:
    """Customer satisfaction: share of 4-5 answers on a 1-5 scale (top 2), in percent.

    Same parameters as :func:`top_box`; the estimate is labelled ``"csat"``.
    """
    return _top_box("csat", scores, scale, top, weights, method, confidence, nan_policy, (n_resamples, seed, prior))


def ces(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    top: int = 3,
    weights: Any = None,
    method: str = "wilson",
    confidence: float = 0.95,
    nan_policy: str = "omit",
    n_resamples: int = 9999,
    seed: int | None = None,
    prior: float = 0.5,
) -> Estimate:
    """Customer Effort Score: share of 5-7 answers on a 1-7 scale (7 = very easy), in percent.

    Same parameters as :func:`top_box`; the estimate is labelled ``"ces"``.
    """
    return _top_box("ces", scores, scale, top, weights, method, confidence, nan_policy, (n_resamples, seed, prior))


def top_box_from_counts(
    successes: int,
    n: int,
    *,
    method: str = "wilson",
    confidence: float = 0.95,
) -> Estimate:
    """Top-box share from ``successes`` out of ``n`` responses.

    >>> import cxmetrics as cx
    >>> e = cx.top_box_from_counts(18, 20)
    >>> round(e.lower, 6), round(e.upper, 6)
    (69.896635, 97.213352)
    """
    return _native.top_box_from_counts(
        _convert.as_count(successes, "successes"),
        _convert.as_count(n, "n"),
        _convert.as_name(method, "method"),
        _convert.as_confidence(confidence),
    )


def mean_score(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    weights: Any = None,
    confidence: float = 0.95,
    nan_policy: str = "omit",
) -> Estimate:
    """Mean score with a t interval (``t(n-1)``), in the scale's units, clipped to the scale.

    Unweighted: ``std_error = s / sqrt(n)`` as R ``t.test``. Weighted: the linearisation standard
    error with ``t(n-1)``, as R ``survey`` (``confint(svymean(...), df = degf(design))``).

    >>> import cxmetrics as cx
    >>> e = cx.mean_score([5, 4, 4, 3, 5, 1, 2, 5, 4, 4])
    >>> round(e.value, 6), round(e.lower, 6)
    (3.7, 2.743215)
    """
    lo, hi = _convert.as_scale(scale)
    return _native.mean_score(
        _convert.as_array(scores),
        lo,
        hi,
        _convert.as_weights(weights),
        _convert.as_confidence(confidence),
        _convert.as_name(nan_policy, "nan_policy"),
    )


# --- Indicators from the CX literature ---------------------------------------------------------------


def enps(
    scores: Any,
    *,
    weights: Any = None,
    method: str = "adjusted_wald",
    confidence: float = 0.95,
    nan_policy: str = "omit",
    n_resamples: int = 9999,
    seed: int | None = None,
    prior: float = 0.5,
) -> Estimate:
    """Employee Net Promoter Score: the NPS of employees' 0-10 likelihood to recommend the employer,
    labelled ``"enps"``. Same parameters and methods as :func:`nps`.

    >>> import cxmetrics as cx
    >>> cx.enps([9, 10, 6, 8], method="wald").value
    25.0
    """
    return _native.nps(
        _convert.as_array(scores),
        _convert.as_weights(weights),
        _convert.as_name(method, "method"),
        _convert.as_confidence(confidence),
        _convert.as_name(nan_policy, "nan_policy"),
        True,
        *_resampling(n_resamples, seed, prior),
    )


def repurchase(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    top: int = 2,
    weights: Any = None,
    method: str = "wilson",
    confidence: float = 0.95,
    nan_policy: str = "omit",
    n_resamples: int = 9999,
    seed: int | None = None,
    prior: float = 0.5,
) -> Estimate:
    """Repurchase intention (IR): share of the top ``top`` answers (4-5 on 1-5 by default), in percent.

    Same parameters as :func:`top_box`; the estimate is labelled ``"repurchase"``.
    """
    return _top_box("repurchase", scores, scale, top, weights, method, confidence, nan_policy, (n_resamples, seed, prior))


def satisfaction_index(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    weights: Any = None,
    confidence: float = 0.95,
    nan_policy: str = "omit",
) -> Estimate:
    """Satisfaction index (ISAT): the mean score rescaled to 0-100, ``100 (mean - min)/(max - min)``,
    with the t interval of :func:`mean_score` rescaled the same way (unit ``"index"``).

    >>> import cxmetrics as cx
    >>> cx.satisfaction_index([5, 4, 4, 3]).value
    75.0
    """
    lo, hi = _convert.as_scale(scale)
    return _native.mean_score(
        _convert.as_array(scores),
        lo,
        hi,
        _convert.as_weights(weights),
        _convert.as_confidence(confidence),
        _convert.as_name(nan_policy, "nan_policy"),
        True,
    )


def nps_category(scores: Any) -> Any:
    """``"detractor"`` (0-6), ``"passive"`` (7-8) or ``"promoter"`` (9-10) for each 0-10 score;
    missing stays missing (``None``). NumPy in gives an object array; a pandas Series gives a
    categorical Series with the same index; a polars Series gives a polars Enum Series.

    Scores are validated first: an out-of-range or non-integer score raises
    :class:`InvalidScoreError` naming it and its position.

    >>> import cxmetrics as cx
    >>> cx.nps_category([10, 7, 3, None]).tolist()
    ['promoter', 'passive', 'detractor', None]
    """
    arr = _convert.as_array(scores)
    values = arr.astype(np.float64, copy=False)
    if not np.isnan(values).all():
        # Validates range and whole numbers in Rust, naming the first bad score and its position.
        _native.nps(arr, None, "wald", 0.95, "omit")
    labels = np.array([None, "detractor", "passive", "promoter"], dtype=object)
    code = np.where(np.isnan(values), 0, np.where(values >= 9, 3, np.where(values >= 7, 2, 1)))
    result = labels[code]
    module = type(scores).__module__.split(".")[0]
    if module == "pandas":
        import pandas as pd

        categories = ["detractor", "passive", "promoter"]
        categorical = pd.Categorical(result, categories=categories)
        if isinstance(scores, pd.Series):
            return pd.Series(categorical, index=scores.index, name=scores.name)
        if isinstance(scores, pd.Index):
            return pd.CategoricalIndex(categorical, name=scores.name)
        return categorical
    if module == "polars":
        import polars as pl

        return pl.Series(scores.name, result.tolist(), dtype=pl.Enum(["detractor", "passive", "promoter"]))
    return result


# --- Did it really change? -------------------------------------------------------------------------


def _alternative(alternative: Any) -> str:
    return _convert.as_name(alternative, "alternative")


def compare(
    a: Estimate,
    b: Estimate,
    *,
    method: str | None = None,
    confidence: float | None = None,
    alternative: str = "two-sided",
) -> Comparison:
    """Difference ``a - b`` between two independent estimates of the same indicator (sign kept).

    Methods: NPS ``"adjusted_wald"`` (default; each group adjusted with 0.75/1.5/0.75 pseudo-counts) or
    ``"wald"``; shares ``"newcombe"`` (default; hybrid score, Newcombe 1998 method 10),
    ``"agresti_caffo"``, ``"score"`` (Miettinen-Nurminen, as statsmodels) or ``"wald"``; means
    ``"welch"``. Weighted estimates take ``"wald"`` (NPS, shares) or ``"newcombe"`` (shares, with the
    weighted Wilson limits) and ``"welch"`` (means).

    ``confidence=None`` uses the estimates' level. ``alternative``: ``"two-sided"``, ``"greater"``
    (a > b) or ``"less"`` (a < b); one-sided alternatives give one-sided intervals (as scipy).

    >>> import cxmetrics as cx
    >>> c = cx.compare(cx.top_box_from_counts(56, 70), cx.top_box_from_counts(48, 80))
    >>> round(c.lower, 2), round(c.upper, 2)
    (5.24, 33.39)
    """
    if not isinstance(a, Estimate) or not isinstance(b, Estimate):
        raise InvalidInputError("compare() takes two Estimate objects, e.g. cx.nps(...) results")
    conf = None if confidence is None else _convert.as_confidence(confidence)
    name = None if method is None else _convert.as_name(method, "method")
    return _native.compare(a, b, name, conf, _alternative(alternative))


def nps_paired(
    before: Any,
    after: Any,
    *,
    confidence: float = 0.95,
    alternative: str = "two-sided",
) -> Comparison:
    """Change in NPS of the same respondents, ``NPS(after) - NPS(before)`` in points.

    ``before[i]`` and ``after[i]`` are respondent ``i``'s 0-10 scores. The interval is
    ``mean(d) ± z sd(d)/sqrt(n)`` over the per-respondent changes of category (+1/0/-1), ddof 1.
    Pairs with a missing side are dropped and counted in ``n_missing``.
    """
    b = _convert.as_array(before, "before")
    a = _convert.as_array(after, "after")
    return _native.nps_paired(
        b.astype(np.float64, copy=False),
        a.astype(np.float64, copy=False),
        _convert.as_confidence(confidence),
        _alternative(alternative),
    )


def test_against(estimate: Estimate, target: float, *, alternative: str = "two-sided") -> Comparison:
    """Tests an estimate against a benchmark or target (in its unit: points, percent, scale).

    z test with the estimate's own standard error: for shares the variance at the estimate,
    ``p(1-p)/n`` (as statsmodels ``proportions_ztest``), weighted the linearisation variance. The
    interval is the estimate's own interval minus the target.
    """
    if not isinstance(estimate, Estimate):
        raise InvalidInputError("test_against() takes an Estimate, e.g. a cx.nps(...) result")
    if isinstance(target, (bool, np.bool_)) or not isinstance(target, numbers.Real):
        raise InvalidInputError(f"target must be a number, got {target!r}")
    return _native.test_against(estimate, _convert.as_real(target, "target", finite=False), _alternative(alternative))


def adjust_pvalues(p_values: Any, *, method: str = "holm") -> np.ndarray:
    """Adjusted p-values in the input order, as R ``p.adjust``: ``"holm"``, ``"bh"``
    (Benjamini-Hochberg) or ``"bonferroni"``. pandas in gives pandas out (same index).

    >>> import cxmetrics as cx
    >>> cx.adjust_pvalues([0.01, 0.04, 0.03, 0.005], method="bh").tolist()
    [0.02, 0.04, 0.04, 0.02]
    """
    values = _convert.as_array(p_values, "p_values").astype(np.float64, copy=False)
    adjusted = np.asarray(_native.adjust_pvalues(values.tolist(), _convert.as_name(method, "method")))
    if type(p_values).__module__.split(".")[0] == "pandas" and hasattr(p_values, "index"):
        import pandas as pd

        return pd.Series(adjusted, index=p_values.index, name=getattr(p_values, "name", None))  # type: ignore[return-value]
    return adjusted


def _planning(indicator: Any, expected: Any, sd: Any) -> tuple[str, tuple[float, float] | None, float | None, float | None]:
    name = _convert.as_name(indicator, "indicator")
    nps_expected = None
    share_expected = None
    if name == "nps" and expected is not None:
        try:
            promoters, detractors = expected
            nps_expected = (_convert.as_real(promoters, "expected") / 100.0, _convert.as_real(detractors, "expected") / 100.0)
        except (TypeError, ValueError):
            raise InvalidPlanningError(
                f"expected for nps is (promoters %, detractors %), e.g. (50, 20); got {expected!r}"
            ) from None
    elif name == "share" and expected is not None:
        share_expected = _convert.as_real(expected, "expected") / 100.0
    return name, nps_expected, share_expected, None if sd is None else _convert.as_real(sd, "sd")


def sample_size(
    indicator: str,
    *,
    margin: float,
    confidence: float = 0.95,
    expected: Any = None,
    population: int | None = None,
    sd: float | None = None,
) -> int:
    """Responses needed for a margin of error (half-width of the interval), rounded up.

    ``indicator``: ``"nps"`` (margin in points; ``expected=(promoters %, detractors %)``, worst case
    when omitted), ``"share"`` (margin in percent; ``expected`` share in percent, 50 when omitted) or
    ``"mean"`` (margin in scale units; needs ``sd``). ``population`` applies the finite-population
    correction ``n0 / (1 + (n0 - 1)/N)``.

    >>> import cxmetrics as cx
    >>> cx.sample_size("share", margin=5)
    385
    >>> cx.sample_size("nps", margin=5, expected=(50, 20))
    938
    """
    name, nps_e, share_e, sd_ = _planning(indicator, expected, sd)
    scale = 1.0 if name == "mean" else 100.0
    pop = None if population is None else _convert.as_count(population, "population")
    if pop is not None and pop < 1:
        raise InvalidPlanningError(f"population must be at least 1, got {pop}")
    return int(
        _native.sample_size(name, _convert.as_real(margin, "margin") / scale, _convert.as_confidence(confidence), nps_e, share_e, sd_, pop)
    )


def sample_size_per_group(
    indicator: str,
    *,
    difference: float,
    power: float = 0.8,
    confidence: float = 0.95,
    expected: Any = None,
    sd: float | None = None,
) -> int:
    """Responses per group to detect ``difference`` (points, percentage points, or scale units)
    between two independent groups with a two-sided test: ``(z_a/2 + z_b)^2 (V_a + V_b) / d^2``.

    For shares ``expected`` is group a's share in percent (50 when omitted) and group b's is
    ``expected - difference``; for NPS ``expected=(promoters %, detractors %)`` of both groups (worst
    case when omitted); for means ``sd``.

    >>> import cxmetrics as cx
    >>> cx.sample_size_per_group("share", difference=10, expected=50)
    385
    """
    name, nps_e, share_e, sd_ = _planning(indicator, expected, sd)
    scale = 1.0 if name == "mean" else 100.0
    return int(
        _native.sample_size_per_group(
            name, _convert.as_real(difference, "difference") / scale, _convert.as_real(power, "power"), _convert.as_confidence(confidence), nps_e, share_e, sd_
        )
    )


def minimum_detectable_difference(
    indicator: str,
    *,
    n_a: int,
    n_b: int | None = None,
    power: float = 0.8,
    confidence: float = 0.95,
    expected: Any = None,
    sd: float | None = None,
) -> float:
    """The smallest difference (points, percentage points, or scale units) a two-sided test detects
    with ``power`` for groups of ``n_a`` and ``n_b`` (default ``n_a``) responses:
    ``(z_a/2 + z_b) sqrt(V/n_a + V/n_b)``, with both groups' variance taken at ``expected`` (for shares
    :func:`sample_size_per_group` takes group b's at ``expected - difference``, so the two are inverse
    to each other only approximately).

    >>> import cxmetrics as cx
    >>> round(cx.minimum_detectable_difference("nps", n_a=400), 2)
    19.81
    """
    name, nps_e, share_e, sd_ = _planning(indicator, expected, sd)
    scale = 1.0 if name == "mean" else 100.0
    na = _convert.as_count(n_a, "n_a")
    nb = na if n_b is None else _convert.as_count(n_b, "n_b")
    for parameter, size in (("n_a", na), ("n_b", nb)):
        if size < 1:
            raise InvalidPlanningError(f"{parameter} = {size} is invalid: a group needs at least 1 response")
    return scale * float(
        _native.minimum_detectable_difference(
            name, na, nb, _convert.as_real(power, "power"), _convert.as_confidence(confidence), nps_e, share_e, sd_
        )
    )


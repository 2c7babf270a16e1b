"""The single-sample indicators: NPS, eNPS, top-box shares (CSAT, CES, repurchase intention), mean
scores and the satisfaction index, from scores or from counts, weighted or not, with closed-form,
resampling or Bayesian intervals; and the NPS category of each score."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _convert, _native
from ._native import Estimate


def _resampling(n_resamples: Any, seed: Any, prior: Any) -> tuple[int, int | None, float]:
    """Checked ``n_resamples``, ``seed`` and ``prior`` of the resampling and Bayesian methods."""
    return _convert.as_size(n_resamples, "n_resamples"), _convert.as_seed(seed), _convert.as_real(prior, "prior")


def nps(
    scores: Any,
    *,
    weights: Any = None,
    method: str | None = None,
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
        ``None`` (default) is ``"adjusted_wald"``, and ``"wald"`` with ``weights``.
        ``"adjusted_wald"`` (Rocks 2016: add 0.75/1.5/0.75 pseudo-counts; the interval is
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
        None if method is None else _convert.as_name(method, "method"),
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
    method: str | None = None,
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
        None if method is None else _convert.as_name(method, "method"),
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

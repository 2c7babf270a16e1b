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

from typing import Any

from . import _convert
from ._errors import (
    CxError,
    EmptyDataError,
    InvalidConfidenceError,
    InvalidCountsError,
    InvalidInputError,
    InvalidScaleError,
    InvalidScoreError,
    InvalidWeightError,
    LengthMismatchError,
    MissingValueError,
    UnknownMethodError,
    UnsupportedMethodError,
)
from ._native import Estimate, __version__
from . import _native

__all__ = [
    "__version__",
    "Estimate",
    "nps",
    "nps_from_counts",
    "top_box",
    "top_box_from_counts",
    "csat",
    "ces",
    "mean_score",
    "CxError",
    "EmptyDataError",
    "InvalidConfidenceError",
    "InvalidCountsError",
    "InvalidInputError",
    "InvalidScaleError",
    "InvalidScoreError",
    "InvalidWeightError",
    "LengthMismatchError",
    "MissingValueError",
    "UnknownMethodError",
    "UnsupportedMethodError",
]


def nps(
    scores: Any,
    *,
    weights: Any = None,
    method: str = "adjusted_wald",
    confidence: float = 0.95,
    nan_policy: str = "omit",
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
        ``"adjusted_wald"`` (default; Rocks 2016: add 0.75/1.5/0.75 pseudo-counts), ``"wald"``
        (R package ``NPS``) or ``"score"`` (Tango 1998 score interval). With ``weights`` only
        ``"wald"`` applies (linearisation variance, as R ``survey``); other methods raise
        :class:`UnsupportedMethodError`.
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
    return _top_box("top_box", scores, scale, top, weights, method, confidence, nan_policy)


def csat(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    top: int = 2,
    weights: Any = None,
    method: str = "wilson",
    confidence: float = 0.95,
    nan_policy: str = "omit",
) -> Estimate:
    """Customer satisfaction: share of 4-5 answers on a 1-5 scale (top 2), in percent.

    Same parameters as :func:`top_box`; the estimate is labelled ``"csat"``.
    """
    return _top_box("csat", scores, scale, top, weights, method, confidence, nan_policy)


def ces(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    top: int = 3,
    weights: Any = None,
    method: str = "wilson",
    confidence: float = 0.95,
    nan_policy: str = "omit",
) -> Estimate:
    """Customer Effort Score: share of 5-7 answers on a 1-7 scale (7 = very easy), in percent.

    Same parameters as :func:`top_box`; the estimate is labelled ``"ces"``.
    """
    return _top_box("ces", scores, scale, top, weights, method, confidence, nan_policy)


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

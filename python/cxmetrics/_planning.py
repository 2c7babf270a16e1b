"""Sample-size planning: the sample for a margin of error, per group for a difference, and the
minimum detectable difference for given group sizes."""

from __future__ import annotations

from typing import Any


from . import _convert, _native
from ._errors import InvalidPlanningError


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

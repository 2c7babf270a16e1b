"""Indicators over time (``cx.trend``), alarms (``cx.alerts``) and control charts (``cx.p_chart``,
``cx.nps_chart``, ``cx.ewma``, ``cx.cusum``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _convert, _native
from ._frames import accepts_frames
from ._errors import InvalidInputError
from ._frames import backend as _backend
from ._frames import column as _column
from ._frames import group_codes as _group_codes
from ._report import _indicator_columns, _spec, _specs

FREQS = tuple(_native.FREQUENCIES)
TREND_COLUMNS = [
    "period",
    "indicator",
    "value",
    "lower",
    "upper",
    "std_error",
    "n",
    "n_missing",
    "change",
    "change_lower",
    "change_upper",
    "p_value",
]


def _times(data: Any, name: str, backend: str) -> tuple[np.ndarray, bool]:
    """The time column as naive UTC ``datetime64`` in its own unit (seconds, milliseconds,
    microseconds or nanoseconds: never converted to nanoseconds, whose range ends in 1677 and 2262)
    and whether it was time-zone aware."""
    column = _column(data, name, "time")
    if backend == "pandas":
        import pandas as pd

        if isinstance(column.dtype, pd.DatetimeTZDtype):
            return _datetimes(column.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()), True
        if column.dtype.kind == "M":
            return _datetimes(column.to_numpy()), False
        raise InvalidInputError(f"time column {name!r} must hold datetimes, got dtype {column.dtype}; use pd.to_datetime")
    import polars as pl

    dtype = column.dtype
    if dtype == pl.Date:
        return _datetimes(column.cast(pl.Datetime("ms")).to_numpy()), False
    if isinstance(dtype, pl.Datetime):
        aware = dtype.time_zone is not None
        if aware:
            column = column.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return _datetimes(column.to_numpy()), aware
    raise InvalidInputError(f"time column {name!r} must hold datetimes, got dtype {dtype}; use str.to_datetime")


def _datetimes(values: np.ndarray) -> np.ndarray:
    """A NumPy ``datetime64`` array in its own unit (a polars null column may come as objects)."""
    values = np.asarray(values)
    if values.dtype.kind != "M":
        values = values.astype("datetime64[us]")
    return values


def _period_index(times: np.ndarray, freq: str) -> np.ndarray:
    """The period of each (non-NaT) time as an integer count since 1970 (the core's calendar)."""
    unit, count = np.datetime_data(times.dtype)
    units_per_day = int(np.timedelta64(1, "D") // np.timedelta64(count, unit))
    return _native.period_indices(np.ascontiguousarray(times).view(np.int64), units_per_day, freq)


def _period_start(first: int, last: int, freq: str) -> np.ndarray:
    """The first instant of each period from ``first`` to ``last``, as ``datetime64[ns]`` when every
    start lies in the nanosecond range (1678-2261), else as ``datetime64[ms]`` (a unit pandas 2 and
    polars keep)."""
    days, _labels = _native.period_starts(first, last, freq)
    millis = days.astype("datetime64[D]").astype("datetime64[ms]")
    in_ns_range = len(millis) == 0 or (
        millis.min() >= np.datetime64("1678-01-01", "ms") and millis.max() < np.datetime64("2262-01-01", "ms")
    )
    return millis.astype("datetime64[ns]") if in_ns_range else millis


def _cells(data: Any, time: str, freq: str, by_list: list[Any], backend: str) -> tuple[Any, ...]:
    """Cell code (group * n_periods + period) of every row with a time, the validity mask, the
    numbers of groups and periods, the group keys, the period starts and whether times were aware."""
    times, aware = _times(data, time, backend)
    valid = ~np.isnat(times)
    if not valid.any():
        raise InvalidInputError(f"time column {time!r} has no usable times")
    index = _period_index(times[valid], freq)
    first, last = int(index.min()), int(index.max())
    n_periods = last - first + 1
    if by_list:
        codes, keys = _group_codes(data, by_list, backend)
        n_groups = len(next(iter(keys.values())))
    else:
        codes, keys, n_groups = np.zeros(len(times), dtype=np.uint32), {}, 1
    if n_groups * n_periods >= 2**32:
        raise InvalidInputError(f"{n_groups} groups x {n_periods} periods is too many cells; use a coarser freq")
    cells = np.zeros(len(times), dtype=np.uint32)
    cells[valid] = (codes[valid].astype(np.int64) * n_periods + (index - first)).astype(np.uint32)
    starts = _period_start(first, last, freq)
    return cells, valid, n_groups, n_periods, keys, starts, aware


class _Prepared:
    """What trend() and alerts() share: the indicator specs, the by columns, each row's cell
    (group x period, rows without a time left out) and the native indicator columns."""

    def __init__(self, function: str, data: Any, time: str, freq: str, by: Any, indicators: tuple[Any, ...], weights: str | None) -> None:
        self.backend = _backend(data)
        if _convert.as_name(freq, "freq") not in FREQS:
            raise InvalidInputError(f"freq must be one of {', '.join(FREQS)}; got {freq!r}")
        self.specs = _specs(function, *indicators)
        self.by_list: list[Any] = _convert.as_column_names(by, "by")
        cells, valid, self.n_groups, self.n_periods, self.keys, self.starts, self.aware = _cells(
            data, time, freq, self.by_list, self.backend
        )
        self.n_missing_time = int((~valid).sum())
        subset = None if valid.all() else np.flatnonzero(valid)
        self.cells = cells if subset is None else cells[subset]
        w = None if weights is None else _convert.as_weights(_column(data, weights, "weights"))
        self.weights = w if w is None or subset is None else w[subset]
        self.columns = _indicator_columns(data, self.specs, w is not None, subset)
        self.names = [str(spec["column"]) for spec in self.specs]


@accepts_frames
def trend(
    data: Any,
    *,
    time: str,
    freq: str = "month",
    nps: Any = None,
    csat: Any = None,
    ces: Any = None,
    mean: Any = None,
    by: Any = None,
    weights: str | None = None,
    confidence: float = 0.95,
    window: int | None = None,
) -> Any:
    """Indicators per period (and group), with the change against the previous period with data.

    ``time`` names a datetime column (pandas, NumPy ``datetime64`` or polars ``Datetime``/``Date``).
    Time-zone aware times are converted to UTC before they are assigned to periods (so a response at
    23:30 in Madrid on 31 March falls on 31 March UTC 21:30); naive times are taken as UTC. ``freq`` is
    ``"day"``, ``"week"`` (ISO weeks, starting on Monday), ``"month"``, ``"quarter"`` or ``"year"``.
    ``nps=``, ``csat=``, ``ces=``, ``mean=`` and ``weights=`` work as in :func:`summarize`; ``by`` adds
    groups. ``window=k`` gives rolling figures over the last ``k`` periods (same columns).

    One row per group, period and indicator: the ``by`` columns, ``period`` (the period's start),
    ``indicator``, ``value``, ``lower``, ``upper``, ``std_error``, ``n``, ``n_missing``, and the change
    against the previous period of the same group that has an estimate: ``change``, ``change_lower``,
    ``change_upper``, ``p_value`` (the method of :func:`compare` for the indicator). Every period from
    the first to the last appears; empty ones have ``n = 0`` and no estimate. Each period's figures
    are exactly those of the single-sample functions on that period. Rows with a missing time are
    excluded and counted in ``frame.attrs["n_missing_time"]`` (pandas).

    >>> import pandas as pd, cxmetrics as cx
    >>> df = pd.DataFrame({"at": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-03-02", "2025-03-09"]),
    ...                    "ltr": [10, 9, 3, 6]})
    >>> cx.trend(df, time="at", nps="ltr")[["period", "value", "n", "change"]]
          period  value  n  change
    0 2025-01-01  100.0  2     NaN
    1 2025-02-01    NaN  0     NaN
    2 2025-03-01 -100.0  2  -200.0
    """
    prepared = _Prepared("trend", data, time, freq, by, (nps, csat, ces, mean), weights)
    backend, specs, by_list, keys = prepared.backend, prepared.specs, prepared.by_list, prepared.keys
    n_groups, n_periods, starts, aware = prepared.n_groups, prepared.n_periods, prepared.starts, prepared.aware
    n_missing_time = prepared.n_missing_time
    win = 1 if window is None else _convert.as_size(window, "window", 1)
    if win < 1:
        raise InvalidInputError("window must be at least 1 period")
    tables = _native.trend_grouped(
        prepared.cells,
        n_groups,
        n_periods,
        prepared.columns,
        prepared.names,
        prepared.weights,
        _convert.as_confidence(confidence),
        win,
    )
    out: dict[str, Any] = {}
    for name in by_list:
        out[name] = [key for _ in specs for key in keys[name] for _ in range(n_periods)]
    out["period"] = np.tile(starts, n_groups * len(specs))
    out["indicator"] = np.repeat([s["keyword"] for s in specs], n_groups * n_periods)
    for field in TREND_COLUMNS[2:]:
        out[field] = np.concatenate([t[field] for t in tables])
    out["n"] = out["n"].astype(np.int64)
    out["n_missing"] = out["n_missing"].astype(np.int64)
    if backend == "pandas":
        import pandas as pd

        frame = pd.DataFrame(out)
        if aware:
            frame["period"] = frame["period"].dt.tz_localize("UTC")
        frame.attrs["n_missing_time"] = n_missing_time
        frame.attrs["freq"] = freq
        return frame
    import polars as pl

    frame = pl.DataFrame(out, strict=False).fill_nan(None)
    if aware:
        frame = frame.with_columns(pl.col("period").dt.replace_time_zone("UTC"))
    return frame


# Each rule's reason columns, in the core's order (cxmetrics::alert::AlertRule::reason_columns).
ALERT_COLUMNS: dict[str, list[str]] = dict(_native.ALERT_REASON_COLUMNS)


@accepts_frames
def alerts(
    data: Any,
    *,
    time: str,
    by: Any,
    freq: str = "week",
    nps: Any = None,
    csat: Any = None,
    ces: Any = None,
    rule: str = "change",
    confidence: float = 0.95,
    p_adjust: str = "holm",
) -> Any:
    """The group-periods whose indicator dropped: empty when nothing did.

    ``rule="change"``: the change against the previous period with data is negative and significant
    after adjusting the p-values over every group-period of the indicator (``p_adjust``: Holm,
    ``"bh"`` or ``"bonferroni"``) at ``1 - confidence``. ``rule="control"``: the period falls below
    its p-chart (shares, from each period's top-box counts) or NPS-chart (from each period's
    detractors, passives and promoters) lower limit, 3 sigma, within its group's series.

    Columns: the ``by`` columns, ``period``, ``indicator``, ``value``, ``n`` and, for ``"change"``,
    ``change``, ``change_lower``, ``change_upper``, ``p_value``, ``p_adjusted``; for ``"control"``,
    ``center``, ``lower_limit``. The computation is the core's (``cxmetrics::alert::alerts``).
    """
    if _convert.as_name(rule, "rule") not in ALERT_COLUMNS:
        raise InvalidInputError(f"rule must be one of {', '.join(ALERT_COLUMNS)}; got {rule!r}")
    prepared = _Prepared("alerts", data, time, freq, by, (nps, csat, ces, None), None)
    backend, specs, by_list, keys = prepared.backend, prepared.specs, prepared.by_list, prepared.keys
    starts, _aware = prepared.starts, prepared.aware
    found = _native.alerts_grouped(
        prepared.cells,
        prepared.n_groups,
        prepared.n_periods,
        prepared.columns,
        prepared.names,
        _convert.as_confidence(confidence),
        rule,
        _convert.as_name(p_adjust, "p_adjust"),
    )
    out: dict[str, Any] = {}
    groups = np.concatenate([f["group"] for f in found]).astype(np.int64)
    periods = np.concatenate([f["period"] for f in found]).astype(np.int64)
    for name in by_list:
        out[name] = [keys[name][g] for g in groups.tolist()]
    out["period"] = starts[periods]
    out["indicator"] = np.repeat([s["keyword"] for s in specs], [len(f["group"]) for f in found]).astype(object)
    out["value"] = np.concatenate([f["value"] for f in found])
    out["n"] = np.concatenate([f["n"] for f in found]).astype(np.int64)
    for field in ALERT_COLUMNS[rule]:
        out[field] = np.concatenate([f[field] for f in found])
    import pandas as pd

    result = pd.DataFrame(out)
    if _aware:
        result["period"] = result["period"].dt.tz_localize("UTC")
    if backend == "polars":
        import polars as pl

        return pl.from_pandas(result)
    return result


def _frame(columns: dict[str, Any]) -> Any:
    import pandas as pd

    return pd.DataFrame({k: np.asarray(v) for k, v in columns.items()})


def _counts(values: Any, name: str) -> list[int]:
    arr = np.asarray(_convert.as_array(values, name))
    if arr.dtype.kind == "f":
        if np.isnan(arr).any() or (arr != np.round(arr)).any():
            raise InvalidInputError(f"{name} must be whole counts")
    return [_convert.as_count(v, name) for v in arr.tolist()]


def p_chart(successes: Any, n: Any, *, sigma: float = 3.0) -> Any:
    """The p-chart of a share over periods (percent): ``share`` per period, ``center`` (the pooled
    share), ``lower_limit`` and ``upper_limit`` (``center +- sigma sqrt(p (1 - p) / n_t)``, varying
    with each period's ``n``, clipped to 0-100) and ``signal``. Montgomery, *Introduction to
    Statistical Quality Control*, ch. 7.

    >>> import cxmetrics as cx
    >>> cx.p_chart([40, 45, 20], [100, 100, 100])["signal"].tolist()
    [False, False, True]
    """
    d = _native.p_chart(_counts(successes, "successes"), _counts(n, "n"), _convert.as_real(sigma, "sigma"))
    return _frame({"share": d["value"], "center": d["center"], "lower_limit": d["lower_limit"],
                   "upper_limit": d["upper_limit"], "signal": d["signal"]})


def nps_chart(detractors: Any, passives: Any, promoters: Any, *, sigma: float = 3.0) -> Any:
    """The NPS analogue of the p-chart (points): ``nps``, ``center`` (the pooled NPS),
    ``lower_limit``, ``upper_limit`` (``center +- sigma sqrt(Var1 / n_t)`` with the pooled
    ``Var1 = pR + pD - NPS^2``, clipped to -100..100) and ``signal``."""
    d = _native.nps_chart(
        _counts(detractors, "detractors"), _counts(passives, "passives"), _counts(promoters, "promoters"), _convert.as_real(sigma, "sigma")
    )
    return _frame({"nps": d["value"], "center": d["center"], "lower_limit": d["lower_limit"],
                   "upper_limit": d["upper_limit"], "signal": d["signal"]})


def ewma(values: Any, *, target: float, sigma: float, lam: float = 0.2, L: float = 3.0) -> Any:  # noqa: N803
    """The EWMA chart with the exact time-varying limits: ``value``, ``ewma``
    (``z_t = lam x_t + (1 - lam) z_{t-1}``, ``z_0 = target``), ``lower_limit``/``upper_limit``
    (``target -+ L sigma sqrt(lam/(2 - lam) (1 - (1 - lam)^(2t)))``) and ``signal``. Montgomery ch. 9;
    NIST/SEMATECH e-Handbook 6.3.2.4."""
    arr = np.asarray(_convert.as_array(values, "values"), dtype=np.float64)
    d = _native.ewma(
        arr,
        _convert.as_real(target, "target"),
        _convert.as_real(sigma, "sigma"),
        _convert.as_real(lam, "lam"),
        _convert.as_real(L, "L"),
    )
    return _frame(d)


def cusum(values: Any, *, target: float, sigma: float, k: float = 0.5, h: float = 5.0) -> Any:
    """The tabular CUSUM: ``value``, ``upper_sum`` (``C+_t = max(0, x_t - (target + k sigma) +
    C+_{t-1})``), ``lower_sum`` (``C-_t = max(0, target - k sigma - x_t + C-_{t-1})``) and ``signal``
    (a sum above ``h sigma``). Montgomery ch. 9; NIST/SEMATECH e-Handbook 6.3.2.3."""
    arr = np.asarray(_convert.as_array(values, "values"), dtype=np.float64)
    return _frame(_native.cusum(
        arr,
        _convert.as_real(target, "target"),
        _convert.as_real(sigma, "sigma"),
        _convert.as_real(k, "k"),
        _convert.as_real(h, "h"),
    ))

"""Charts for CX analysis (matplotlib; install with ``pip install 'cxmetrics[plot]'``).

Every function draws on ``ax`` (a new figure when ``None``) and returns the matplotlib Axes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._errors import InvalidInputError

__all__ = ["trend", "nps_bars", "ranking", "control", "key_terms", "funnel", "estimate", "comparison"]

_RED, _BLUE, _GREY, _GREEN = "#c44e52", "#2a7ab9", "#8c8c8c", "#55a868"
_UNITS = {"nps": "NPS (points)", "csat": "CSAT (%)", "ces": "CES (%)", "mean": "mean score"}


def _pandas(frame: Any) -> Any:
    if type(frame).__module__.split(".")[0] == "polars":
        return frame.to_pandas()
    return frame


def _axes(ax: Any, size: tuple[float, float] = (8, 4.5)) -> Any:
    if ax is None:
        _, ax = _pyplot().subplots(figsize=size)
    return ax


def trend(trend_frame: Any, *, indicator: str | None = None, ax: Any = None) -> Any:
    """A :func:`cxmetrics.trend` frame over time: the value as a line with its interval as a band
    (one line per group), significant drops (red) and rises (green) against the previous period
    marked, control limits drawn when the frame has ``lower_limit``/``upper_limit`` columns."""
    frame = _pandas(trend_frame)
    indicators = list(dict.fromkeys(frame["indicator"]))
    indicator = indicator or indicators[0]
    if indicator not in indicators:
        raise InvalidInputError(f"indicator {indicator!r} is not in the frame; it has {indicators}")
    rows = frame[frame["indicator"] == indicator]
    ax = _axes(ax)
    group_columns = [c for c in frame.columns if c not in _TREND_FIELDS]
    groups = rows.groupby(group_columns, sort=False, dropna=False) if group_columns else [(None, rows)]
    for key, series in groups:
        label = None if key is None else " / ".join(map(str, key if isinstance(key, tuple) else (key,)))
        line = ax.plot(series["period"], series["value"], marker="o", markersize=3, label=label)[0]
        ax.fill_between(series["period"], series["lower"], series["upper"], color=line.get_color(), alpha=0.15)
        if "p_value" in series:
            significant = series["p_value"] < 0.05
            for mask, color in ((significant & (series["change"] < 0), _RED), (significant & (series["change"] > 0), _GREEN)):
                ax.scatter(series.loc[mask, "period"], series.loc[mask, "value"], color=color, s=40, zorder=4)
        if {"lower_limit", "upper_limit"} <= set(series.columns):
            ax.plot(series["period"], series["lower_limit"], color=_GREY, linestyle="--", linewidth=1)
            ax.plot(series["period"], series["upper_limit"], color=_GREY, linestyle="--", linewidth=1)
    ax.set_ylabel(_UNITS.get(indicator, indicator))
    ax.set_title(f"{_UNITS.get(indicator, indicator)} over time (band: confidence interval; red/green: significant change)")
    if group_columns:
        ax.legend(fontsize=8, ncol=2)
    ax.figure.autofmt_xdate()
    return ax


_TREND_FIELDS = {
    "period", "indicator", "value", "lower", "upper", "std_error", "n", "n_missing", "change", "change_lower",
    "change_upper", "p_value", "lower_limit", "upper_limit", "center", "signal",
}
_SUMMARY_FIELDS = {
    "indicator", "value", "lower", "upper", "std_error", "n", "effective_n", "n_missing", "small_sample",
    "difference", "p_value", "p_adjusted", "detractors", "passives", "promoters",
}


def _labels(frame: Any) -> list[str]:
    keys = [c for c in frame.columns if c not in _SUMMARY_FIELDS]
    if not keys:
        return ["overall"] * len(frame)
    return [" / ".join("all" if v is None or v != v else str(v) for v in row) for row in frame[keys].itertuples(index=False)]


def nps_bars(summary_frame_or_estimates: Any, *, ax: Any = None) -> Any:
    """Stacked detractor / passive / promoter bars per group with the NPS and its interval: from a
    :func:`cxmetrics.summarize` frame with ``nps=`` (its NPS rows) or from NPS estimates (a dict of
    name to :class:`cxmetrics.Estimate`, or a list)."""
    data = summary_frame_or_estimates
    if isinstance(data, dict) or isinstance(data, (list, tuple)):
        items = list(data.items()) if isinstance(data, dict) else [(f"#{i + 1}", e) for i, e in enumerate(data)]
        names = [str(k) for k, _ in items]
        rows = [(e.detractors, e.passives, e.promoters, e.value, e.lower, e.upper) for _, e in items]
    else:
        frame = _pandas(data)
        if "promoters" not in frame.columns:
            raise InvalidInputError("the frame has no NPS breakdown: use cx.summarize(..., nps=...)")
        frame = frame[frame["indicator"] == "nps"]
        names = _labels(frame)
        rows = list(frame[["detractors", "passives", "promoters", "value", "lower", "upper"]].itertuples(index=False))
    ax = _axes(ax, (8, 0.5 * len(rows) + 1.5))
    y = range(len(rows))
    d = [r[0] for r in rows]
    p = [r[1] for r in rows]
    r_ = [r[2] for r in rows]
    ax.barh(y, d, color=_RED, label="detractors (0-6)")
    ax.barh(y, p, left=d, color="#dddddd", label="passives (7-8)")
    ax.barh(y, r_, left=[a + b for a, b in zip(d, p)], color=_GREEN, label="promoters (9-10)")
    for i, row in enumerate(rows):
        ax.text(101, i, f"NPS {row[3]:.0f} [{row[4]:.0f}, {row[5]:.0f}]", va="center", fontsize=8)
    ax.set_yticks(list(y), names)
    ax.set_xlim(0, 125)
    ax.set_xlabel("share of respondents (%)")
    ax.set_title("Detractors, passives and promoters (NPS with its interval)")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def _ranking_shrunk(frame: Any, indicator: str, ax: Any) -> Any:
    """Raw and shrunk estimates of a ``cx.shrink`` (or ``cx.rank``) frame, side by side."""
    rows = frame[frame["indicator"] == indicator]
    if rows.empty:
        raise InvalidInputError(f"the frame has no {indicator!r} rows")
    key = next(c for c in rows.columns if c != "indicator")
    rows = rows.sort_values("estimate")
    ax = _axes(ax, (7, 0.4 * len(rows) + 1.5))
    for i, row in enumerate(rows.itertuples(index=False)):
        if row.raw == row.raw:
            ax.errorbar(row.raw, i + 0.18, xerr=[[row.raw - row.raw_lower], [row.raw_upper - row.raw]], fmt="o",
                        color=_GREY, mfc="white", capsize=2, label="raw" if i == 0 else None)
        ax.errorbar(row.estimate, i - 0.18, xerr=[[row.estimate - row.lower], [row.upper - row.estimate]], fmt="D",
                    color=_BLUE, capsize=2, label="shrunk (empirical Bayes)" if i == 0 else None)
    ax.axvline(float(rows["prior_mean"].iloc[0]), color=_BLUE, linestyle="--", linewidth=1, label="population")
    ax.set_yticks(range(len(rows)), [f"{k} (n={n:.0f})" for k, n in zip(rows[key], rows["n"])])
    ax.set_xlabel(_UNITS.get(indicator, indicator))
    ax.set_title(f"{_UNITS.get(indicator, indicator)} by group: raw and shrunk towards the population")
    ax.legend(fontsize=8, loc="lower right")
    return ax


def ranking(summary_frame: Any, *, indicator: str = "nps", shrunk: bool = False, ax: Any = None) -> Any:
    """A forest plot of the groups of a :func:`cxmetrics.summarize` frame: each group's value and
    interval against the overall value; groups that differ significantly from the rest
    (``p_adjusted < 0.05``) in red (below) or green (above). With ``shrunk=True``, the frame is a
    :func:`cxmetrics.shrink` (or :func:`cxmetrics.rank`) result: each group's raw estimate (hollow
    circles) and its shrunk estimate (diamonds) side by side, sorted by the shrunk estimate, with the
    population value."""
    frame = _pandas(summary_frame)
    if shrunk:
        if "shrinkage" not in frame:
            raise InvalidInputError("shrunk=True needs a cx.shrink or cx.rank frame (with raw and shrunk estimates)")
        return _ranking_shrunk(frame, indicator, ax)
    rows = frame[frame["indicator"] == indicator]
    if rows.empty:
        raise InvalidInputError(f"the frame has no {indicator!r} rows")
    labels = _labels(rows)
    overall = rows.iloc[[i for i, name in enumerate(labels) if name in ("all", "overall") or name.startswith("all")][:1]]
    groups = rows.drop(overall.index) if not overall.empty else rows
    groups = groups.sort_values("value")
    labels = _labels(groups)
    ax = _axes(ax, (7, 0.4 * len(groups) + 1.5))
    for i, row in enumerate(groups.itertuples(index=False)):
        color = _GREY
        if row.p_adjusted == row.p_adjusted and row.p_adjusted < 0.05:
            color = _RED if row.difference < 0 else _GREEN
        ax.errorbar(row.value, i, xerr=[[row.value - row.lower], [row.upper - row.value]], fmt="o", color=color, capsize=3)
    if not overall.empty:
        ax.axvline(float(overall["value"].iloc[0]), color=_BLUE, linestyle="--", linewidth=1, label="overall")
        ax.legend(fontsize=8)
    ax.set_yticks(range(len(groups)), labels)
    ax.set_xlabel(_UNITS.get(indicator, indicator))
    ax.set_title(f"{_UNITS.get(indicator, indicator)} by group (red/green: differs from the rest, adjusted p < 0.05)")
    return ax


def control(chart_frame: Any, *, ax: Any = None) -> Any:
    """A control chart from :func:`cxmetrics.p_chart`, :func:`cxmetrics.nps_chart`,
    :func:`cxmetrics.ewma` or :func:`cxmetrics.cusum`: the statistic, the centre and the limits (or
    the decision interval), signals in red."""
    frame = _pandas(chart_frame)
    ax = _axes(ax)
    x = range(1, len(frame) + 1)
    if "upper_sum" in frame:
        ax.plot(x, frame["upper_sum"], marker="o", markersize=3, label="C+ (upper CUSUM)")
        ax.plot(x, -frame["lower_sum"], marker="o", markersize=3, label="-C- (lower CUSUM)")
        statistic = frame["upper_sum"].where(frame["upper_sum"] >= frame["lower_sum"], -frame["lower_sum"])
        title = "Tabular CUSUM"
    else:
        column = next(c for c in ("ewma", "share", "nps", "value") if c in frame)
        statistic = frame[column]
        ax.plot(x, statistic, marker="o", markersize=3, label=column)
        if column == "ewma":
            ax.plot(x, frame["value"], color=_GREY, linewidth=0.8, alpha=0.6, label="value")
        if "center" in frame:
            ax.plot(x, frame["center"], color=_BLUE, linewidth=1, label="centre")
        ax.step(x, frame["lower_limit"], where="mid", color=_GREY, linestyle="--", label="control limits")
        ax.step(x, frame["upper_limit"], where="mid", color=_GREY, linestyle="--")
        title = {"ewma": "EWMA chart", "share": "p-chart", "nps": "NPS chart"}.get(column, "Control chart")
    signal = frame["signal"].to_numpy(dtype=bool)
    ax.scatter([i for i, s in zip(x, signal) if s], statistic[signal], color=_RED, zorder=4, label="signal")
    ax.set_xlabel("period")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


def funnel(funnel_frame: Any, *, indicator: str | None = None, ax: Any = None) -> Any:
    """Spiegelhalter's funnel plot of a ``cx.funnel`` table: each group's value against its number of
    answers, the target, and the control limits of each level; groups outside the widest limits are
    marked (triangles) and labelled."""
    frame = _pandas(funnel_frame)
    if indicator is None:
        indicator = str(frame["indicator"].iloc[0])
    frame = frame[frame["indicator"] == indicator]
    frame = frame[frame["n"] > 0].sort_values("n")
    levels = [c[len("lower_"):] for c in frame.columns if c.startswith("lower_")]
    key = next((c for c in frame.columns if c not in ("indicator", "n", "value", "target", "z") and not c.startswith(("lower_", "upper_", "outside_"))), None)
    ax = _axes(ax, (8, 5))
    unit = _UNITS.get(indicator, indicator)
    styles = ["--", ":", "-."]
    for i, tag in enumerate(levels):
        ax.plot(frame["n"], frame[f"lower_{tag}"], color=_GREY, linestyle=styles[i % 3], linewidth=1, label=f"{tag}% limits")
        ax.plot(frame["n"], frame[f"upper_{tag}"], color=_GREY, linestyle=styles[i % 3], linewidth=1)
    ax.axhline(frame["target"].iloc[0], color=_BLUE, linewidth=1, label=f"target {frame['target'].iloc[0]:.1f}")
    widest = f"outside_{levels[-1]}" if levels else None
    outside = frame[widest].to_numpy(dtype=bool) if widest else np.zeros(len(frame), bool)
    ax.scatter(frame["n"][~outside], frame["value"][~outside], s=14, color=_BLUE, alpha=0.7, label="groups")
    if outside.any():
        ax.scatter(frame["n"][outside], frame["value"][outside], s=30, marker="v", color=_RED, label=f"outside {levels[-1]}%")
        if key is not None:
            for _, row in frame[outside].head(12).iterrows():
                ax.annotate(str(row[key]), (row["n"], row["value"]), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_xlabel("answers per group (log scale)")
    ax.set_ylabel(unit)
    ax.set_title(f"Funnel plot of {unit} (Spiegelhalter 2005): groups outside the limits differ beyond chance")
    ax.legend(fontsize=8, loc="lower right")
    return ax


def estimate(e: Any, *, ax: Any = None) -> Any:
    """One estimate: the value and its interval (``Estimate.plot()``); NPS also shows its
    detractor / passive / promoter split."""
    ax = _axes(ax, (7, 1.8))
    label = str(e).split(" ")[0]
    if e.indicator in ("nps", "enps"):
        return nps_bars({label: e}, ax=ax)
    ax.errorbar(e.value, 0, xerr=[[e.value - e.lower], [e.upper - e.value]], fmt="o", color=_BLUE, capsize=4)
    ax.set_yticks([0], [label])
    ax.set_xlabel(e.unit)
    ax.set_title(str(e), fontsize=9)
    return ax


def comparison(c: Any, *, ax: Any = None) -> Any:
    """A comparison: the difference and its interval against zero (``Comparison.plot()``)."""
    ax = _axes(ax, (7, 1.8))
    color = (_RED if c.difference < 0 else _GREEN) if c.p_value < 1 - c.confidence else _GREY
    lower = c.lower if c.lower == c.lower and abs(c.lower) != float("inf") else c.difference
    upper = c.upper if c.upper == c.upper and abs(c.upper) != float("inf") else c.difference
    ax.errorbar(c.difference, 0, xerr=[[c.difference - lower], [upper - c.difference]], fmt="o", color=color, capsize=4)
    ax.axvline(0, color=_GREY, linewidth=1)
    ax.set_yticks([0], ["difference"])
    ax.set_title(c.verdict, fontsize=9)
    return ax


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plots need matplotlib: pip install matplotlib (or pip install 'cxmetrics[plot]')") from exc
    return plt


def key_terms(frame: Any, *, group: Any, ax: Any = None) -> Any:
    """The distinctive terms of one group of a :func:`cxmetrics.key_terms` frame: a bar chart of
    z-scores, the most distinctive at the top (|z| > 1.96 is beyond what chance gives at 95%)."""
    plt = _pyplot()
    if type(frame).__module__.split(".")[0] == "polars":
        frame = frame.to_pandas()
    rows = frame[frame["group"] == group]
    if rows.empty:
        groups = sorted(map(str, frame["group"].unique()))
        raise InvalidInputError(f"group {group!r} has no terms in the frame; groups are {groups}")
    rows = rows.sort_values("z_score")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.35 * len(rows) + 1.5))
    colors = ["#c44e52" if z < 0 else "#2a7ab9" for z in rows["z_score"]]
    ax.barh(range(len(rows)), rows["z_score"], color=colors)
    ax.set_yticks(range(len(rows)), rows["term"].tolist())
    ax.axvline(1.96, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel("z-score of the log-odds ratio (informative Dirichlet prior)")
    ax.set_title(f"What sets {group} apart")
    return ax

"""Charts for CX analysis (matplotlib; install with ``pip install 'cxmetrics[plot]'``).

Every function draws on ``ax`` (a new figure when ``None``) and returns the matplotlib Axes.
"""

from __future__ import annotations

from typing import Any

from ._errors import InvalidInputError

__all__ = ["key_terms"]


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

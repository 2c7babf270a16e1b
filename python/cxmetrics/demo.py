"""The demo: CX indicators with confidence intervals on the bundled example data.

Run ``python -m cxmetrics.demo`` to print the overall NPS, CSAT and CES (unweighted and weighted) and
the NPS per touchpoint and per channel of ``cxmetrics/data/demo_responses.csv``: 6,000 synthetic survey
responses of a fictional retailer over 2025 (see ``data/README.md`` and ``scripts/make_demo_data.py``).

The data can be loaded for your own exploration with :func:`load_columns` (NumPy, no other dependency)
or straight into pandas/polars from :func:`data_path`::

    import pandas as pd, cxmetrics as cx
    from cxmetrics.demo import data_path
    df = pd.read_csv(data_path())
    cx.nps(df["nps"])            # NaN (blank) answers are excluded and counted
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import numpy as np

from . import ces, compare, csat, loyalty_index, nps, secure_customers

NUMERIC_COLUMNS = ("weight", "nps", "csat", "ces", "repurchase_intention", "repeat_purchase_90d")


def data_path() -> Path:
    """Path of the bundled demo CSV."""
    return Path(str(resources.files("cxmetrics") / "data" / "demo_responses.csv"))


def load_columns() -> dict[str, np.ndarray]:
    """The demo data as a dict of NumPy columns: numeric columns as float64 (blank = NaN), the rest
    as str arrays."""
    with open(data_path(), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns: dict[str, np.ndarray] = {}
    for name in rows[0]:
        values = [row[name] for row in rows]
        if name in NUMERIC_COLUMNS:
            columns[name] = np.array([float(v) if v != "" else np.nan for v in values])
        else:
            columns[name] = np.array(values)
    return columns


def _line(label: str, e: object) -> str:
    from ._native import Estimate

    assert isinstance(e, Estimate)
    unit = {"points": " pts", "percent": " %  "}.get(e.unit, "    ")
    return (
        f"  {label:<22}{e.value:7.1f}{unit}  95% CI [{e.lower:6.1f}, {e.upper:6.1f}]"
        f"   n = {e.n:5d}   missing = {e.n_missing}"
    )


def main() -> None:
    """Prints the demo report."""
    data = load_columns()
    w = data["weight"]
    print(f"cxmetrics demo: {len(w)} survey responses, {data['recorded_at'][0][:10]} to {data['recorded_at'][-1][:10]}")
    print("\nOverall (unweighted; NPS adjusted Wald, shares Wilson)")
    print(_line("NPS", nps(data["nps"])))
    print(_line("CSAT (4-5 of 1-5)", csat(data["csat"])))
    print(_line("CES (5-7 of 1-7)", ces(data["ces"])))
    print("\nOverall, weighted (linearisation variance; Kish effective n in brackets)")
    for label, e in (
        ("NPS (wald)", nps(data["nps"], weights=w, method="wald")),
        ("CSAT (wilson)", csat(data["csat"], weights=w)),
        ("CES (wilson)", ces(data["ces"], weights=w)),
    ):
        print(_line(label, e) + f"   [n_eff = {e.effective_n:.0f}]")
    for column in ("touchpoint", "channel"):
        print(f"\nNPS by {column}, lowest first")
        keys = data[column]
        by_group = [(str(k), nps(data["nps"][keys == k])) for k in np.unique(keys)]
        for key, e in sorted(by_group, key=lambda item: item[1].value):
            print(_line(key, e))
    print("\nDid delivery get worse in the peak season? (Nov-Dec vs Jan-Oct 2025)")
    delivery = data["touchpoint"] == "delivery"
    peak = np.isin(data["recorded_at"].astype("U7"), ["2025-11", "2025-12"])
    print("  " + compare(nps(data["nps"][delivery & peak]), nps(data["nps"][delivery & ~peak])).verdict)
    print("\nLoyalty and business results")
    items = {"nps": (0, 10), "csat": (1, 5), "repurchase_intention": (1, 5)}
    print(_line("Loyalty index (IF)", loyalty_index(data, items=items)))
    print(_line("Secure customers", secure_customers(data, nps="nps", csat="csat", repurchase="repurchase_intention")))
    print("  Repeat purchase within 90 days, by NPS category (rate, Wilson; gap: Newcombe):")
    from ._native import outcome_by_category

    outcome = outcome_by_category(data["nps"], data["repeat_purchase_90d"], None, 0.95)
    by_category, gap = outcome.estimates, outcome.difference
    for label, e in zip(("detractors", "passives", "promoters"), by_category):
        assert e is not None
        print(_line(label, e))
    assert gap is not None
    print("  " + gap.verdict)

if __name__ == "__main__":
    main()

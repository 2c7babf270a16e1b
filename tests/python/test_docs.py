"""The documentation runs: the README's Python example and the docstring examples of the package."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import cxmetrics
import cxmetrics._read
import cxmetrics._report
import cxmetrics.demo

ROOT = Path(__file__).resolve().parents[2]


def test_readme_python_quickstart_runs(capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks, "the README has no Python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "NPS 20.0 points (95% CI -30.3 to 61.1, adjusted_wald; n = 10, 1 missing)" in out
    assert "score 11 at position 2 is outside the scale 0-10" in out
    assert "NPS is 20.0 points higher (95% CI -2.6 to 41.4), not significant, p = 0.0832" in out


def test_docstring_examples():
    for module in (cxmetrics, cxmetrics._read, cxmetrics._report, cxmetrics.demo):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0


def test_demo_runs(capsys):
    cxmetrics.demo.main()
    out = capsys.readouterr().out
    assert "6000 survey responses" in out
    assert "NPS by touchpoint" in out
    # Every touchpoint of the data appears.
    for touchpoint in ("complaint", "delivery", "store_visit", "social_media"):
        assert touchpoint in out


def test_demo_data_loads_with_missing_values_counted():
    data = cxmetrics.demo.load_columns()
    e = cxmetrics.nps(data["nps"])
    assert e.n + e.n_missing == len(data["nps"]) == 6000
    assert e.n_missing > 0

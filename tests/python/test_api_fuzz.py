"""Every public entry point under hostile arguments, exhaustively, one argument at a time.

For each public function and method a valid call is written down; then each of its arguments in turn
is replaced by every value of a pool of hostile values (wrong types, booleans, huge and negative
integers, NaN and infinities, strings, bytes-likes, containers, generators, lone surrogates...).
Every such call must either return or raise a :class:`cxmetrics.CxError` (which includes
``InvalidInputError``, also a ``TypeError``); any other exception (``OverflowError``, a plain
``TypeError``/``ValueError``/``AttributeError``, pyo3's ``PanicException``) is a defect, and so is a
crash of the process (each function runs in its own subprocess, under a 4 GB address-space limit, so
an unbounded allocation aborts that subprocess and is reported, instead of taking the machine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

# The calls, by name: a valid set of keyword arguments (positional ones under "_args", in order) and
# the callable, written as code evaluated in the worker with `cx`, `np`, `pd` and the fixtures below.
FIXTURES = """
import numpy as np, pandas as pd, cxmetrics as cx
SCORES = [10, 9, 9, 8, 7, 6, 3, 10, 9, 0, 5, 10]
FIVE = [1, 2, 3, 4, 5, 5, 4, 4, 3, 5, 2, 5]
rng = np.random.default_rng(1)
FRAME = pd.DataFrame({
    "g": np.repeat(["a", "b", "c"], 40),
    "t": pd.date_range("2025-01-01", periods=120, freq="D"),
    "nps": rng.integers(0, 11, 120),
    "csat": rng.integers(1, 6, 120),
    "ces": rng.integers(1, 8, 120),
    "rep": rng.integers(1, 6, 120),
    "w": rng.uniform(0.5, 2.0, 120),
    "y": rng.normal(size=120),
    "x1": rng.normal(size=120),
    "x2": rng.normal(size=120),
    "bought": rng.integers(0, 2, 120),
    "comment": np.tile(["great service fast", "slow delivery never again", "ok"], 40),
})
EST_A = cx.nps(SCORES)
EST_B = cx.nps(list(reversed(SCORES)) + [10, 10])
COUNTS = cx.ScoreCounts.from_scores(SCORES, scale=(0, 10))
"""

CALLS: dict[str, tuple[str, dict[str, str]]] = {
    # name: (callable, {parameter: valid value as code}); "_0", "_1"... are positional.
    "nps": ("cx.nps", {"_0": "SCORES", "weights": "None", "method": "'adjusted_wald'", "confidence": "0.95", "nan_policy": "'omit'"}),
    "nps_weighted": ("cx.nps", {"_0": "SCORES", "weights": "[1.0] * 12", "method": "'wald'"}),
    "nps_bootstrap": ("cx.nps", {"_0": "SCORES", "method": "'bootstrap'", "n_resamples": "99", "seed": "1", "prior": "0.5"}),
    "nps_bayes": ("cx.nps", {"_0": "SCORES", "method": "'bayes'", "n_resamples": "99", "seed": "1", "prior": "0.5"}),
    "nps_from_counts": ("cx.nps_from_counts", {"_0": "3", "_1": "4", "_2": "5", "method": "'adjusted_wald'", "confidence": "0.95"}),
    "top_box": ("cx.top_box", {"_0": "SCORES", "scale": "(0, 10)", "top": "2", "method": "'wilson'", "confidence": "0.95", "nan_policy": "'omit'"}),
    "top_box_from_counts": ("cx.top_box_from_counts", {"_0": "3", "_1": "10", "method": "'wilson'", "confidence": "0.95"}),
    "csat": ("cx.csat", {"_0": "FIVE", "scale": "(1, 5)", "top": "2", "weights": "None", "method": "'wilson'"}),
    "csat_bayes": ("cx.csat", {"_0": "FIVE", "method": "'bayes'", "n_resamples": "99", "seed": "1", "prior": "0.5"}),
    "ces": ("cx.ces", {"_0": "FIVE", "scale": "(1, 7)", "top": "3"}),
    "repurchase": ("cx.repurchase", {"_0": "FIVE", "scale": "(1, 5)", "top": "2"}),
    "mean_score": ("cx.mean_score", {"_0": "FIVE", "scale": "(1, 5)", "weights": "None", "confidence": "0.95", "nan_policy": "'omit'"}),
    "mean_score_weighted": ("cx.mean_score", {"_0": "FIVE", "scale": "(1, 5)", "weights": "[2.0] * 12"}),
    "satisfaction_index": ("cx.satisfaction_index", {"_0": "FIVE", "scale": "(1, 5)"}),
    "enps": ("cx.enps", {"_0": "SCORES", "method": "'adjusted_wald'"}),
    "nps_category": ("cx.nps_category", {"_0": "SCORES"}),
    "loyalty_index": ("cx.loyalty_index", {"_0": "FRAME", "items": "{'csat': (1, 5), 'rep': (1, 5)}", "item_weights": "None", "weights": "None", "confidence": "0.95"}),
    "secure_customers": ("cx.secure_customers", {"_0": "FRAME", "nps": "'nps'", "csat": "'csat'", "repurchase": "'rep'", "csat_scale": "(1, 5)", "repurchase_scale": "(1, 5)", "top": "2", "weights": "None", "method": "'wilson'", "confidence": "0.95"}),
    "outcomes": ("cx.outcomes", {"_0": "FRAME", "nps": "'nps'", "outcome": "'bought'", "confidence": "0.95", "kind": "'auto'"}),
    "drivers": ("cx.drivers", {"_0": "FRAME", "outcome": "'y'", "drivers": "['x1', 'x2']", "method": "'shapley'", "weights": "None", "bootstrap": "0", "confidence": "0.95", "seed": "None"}),
    "drivers_bootstrap": ("cx.drivers", {"_0": "FRAME", "outcome": "'y'", "drivers": "['x1', 'x2']", "bootstrap": "20", "seed": "3"}),
    "key_terms": ("cx.key_terms", {"_0": "FRAME['comment']", "_1": "FRAME['nps'] >= 9", "language": "'auto'", "min_count": "5", "prior": "0.01", "ngram": "(1, 2)", "top": "20"}),
    "trend": ("cx.trend", {"_0": "FRAME", "time": "'t'", "freq": "'month'", "nps": "'nps'", "by": "'g'", "weights": "None", "confidence": "0.95", "window": "None"}),
    "alerts": ("cx.alerts", {"_0": "FRAME", "time": "'t'", "by": "'g'", "freq": "'week'", "nps": "'nps'", "rule": "'change'", "confidence": "0.95", "p_adjust": "'holm'"}),
    "p_chart": ("cx.p_chart", {"_0": "[3, 4, 5]", "_1": "[10, 10, 10]", "sigma": "3.0"}),
    "nps_chart": ("cx.nps_chart", {"_0": "[3, 4, 5]", "_1": "[3, 3, 3]", "_2": "[4, 4, 4]", "sigma": "3.0"}),
    "ewma": ("cx.ewma", {"_0": "[1.0, 2.0, 3.0]", "target": "2.0", "sigma": "1.0", "lam": "0.2", "L": "3.0"}),
    "cusum": ("cx.cusum", {"_0": "[1.0, 2.0, 3.0]", "target": "2.0", "sigma": "1.0", "k": "0.5", "h": "5.0"}),
    "summarize": ("cx.summarize", {"_0": "FRAME", "by": "'g'", "nps": "'nps'", "csat": "'csat'", "weights": "None", "min_n": "30", "confidence": "0.95", "p_adjust": "'holm'"}),
    "compare": ("cx.compare", {"_0": "EST_A", "_1": "EST_B", "method": "None", "confidence": "None", "alternative": "'two-sided'"}),
    "nps_paired": ("cx.nps_paired", {"_0": "SCORES", "_1": "list(reversed(SCORES))", "confidence": "0.95", "alternative": "'two-sided'"}),
    "test_against": ("cx.test_against", {"_0": "EST_A", "_1": "10.0", "alternative": "'two-sided'"}),
    "adjust_pvalues": ("cx.adjust_pvalues", {"_0": "[0.01, 0.02, 0.5]", "method": "'holm'"}),
    "sample_size": ("cx.sample_size", {"_0": "'nps'", "margin": "5.0", "confidence": "0.95", "expected": "None", "population": "None", "sd": "None"}),
    "sample_size_per_group": ("cx.sample_size_per_group", {"_0": "'share'", "difference": "5.0", "power": "0.8", "confidence": "0.95", "expected": "None", "sd": "None"}),
    "minimum_detectable_difference": ("cx.minimum_detectable_difference", {"_0": "'nps'", "n_a": "400", "n_b": "None", "power": "0.8", "confidence": "0.95"}),
    "ScoreCounts.from_scores": ("cx.ScoreCounts.from_scores", {"_0": "SCORES", "scale": "(0, 10)"}),
    "ScoreCounts.from_counts": ("cx.ScoreCounts.from_counts", {"_0": "{0: 3, 9: 4, 10: 5}", "scale": "(0, 10)"}),
    "ScoreCounts.from_json": ("cx.ScoreCounts.from_json", {"_0": "COUNTS.to_json()"}),
    "ScoreCounts.nps": ("COUNTS.nps", {}),
    "ScoreCounts.top_box": ("COUNTS.top_box", {"top": "2"}),
    "ScoreCounts.mean_score": ("COUNTS.mean_score", {}),
    "ScoreCounts.merge": ("COUNTS.merge", {"_0": "COUNTS"}),
    "Estimate.from_json": ("cx.Estimate.from_json", {"_0": "EST_A.to_json()"}),
}

# Hostile values, as code (evaluated in the worker).
HOSTILE = [
    "None", "True", "False", "0", "-1", "2**31", "2**63", "2**64", "-2**63 - 1", "10**30", "2**1000",
    "0.5", "-0.0", "1e-320", "1e308", "-1e308", "float('nan')", "float('inf')", "-float('inf')",
    "'x'", "''", "'0.95'", "'\\ud800'", "b'x'", "bytearray(b'x')", "memoryview(b'x')",
    "[]", "[1]", "[[1, 2]]", "(1,)", "(1, 2, 3)", "{1, 2}", "{'a': 1}", "(i for i in range(3))",
    "object()", "np.int64(-1)", "np.float32('nan')", "np.bool_(True)", "np.array([])",
    "np.array([1.5, 2.5])", "np.ones((2, 2))", "pd.Series([1, 2])", "complex(1, 2)",
    "np.datetime64('2025-01-01')", "__import__('decimal').Decimal('0.9')",
    "pd.Categorical([1, 2])", "pd.Index([1, 2])",
]

WORKER = """
import json, resource, sys, warnings
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
warnings.simplefilter("ignore")
{fixtures}
call, params, hostile = json.loads(sys.stdin.read())
fn = eval(call)
ok = errors = 0
bad = []
unnamed = []
for name in params:
    for value in hostile:
        kwargs = {{k: eval(v) for k, v in params.items()}}
        kwargs[name] = eval(value)
        args = [kwargs.pop(k) for k in sorted(k for k in list(kwargs) if k.startswith("_"))]
        try:
            fn(*args, **kwargs)
            ok += 1
            # A boolean is not a number: where the valid value is a number, True/False must be refused.
            numeric = isinstance(eval(params[name]), (int, float)) and not isinstance(eval(params[name]), bool)
            if numeric and value in ("True", "False", "np.bool_(True)"):
                ok -= 1
                bad.append([name, value, "accepted", "a boolean was taken as a number"])
        except cx.CxError as exc:
            errors += 1
            if not name.startswith("_") and name.lower() not in str(exc).lower():
                unnamed.append([name, value, type(exc).__name__, str(exc)[:200]])
        except BaseException as exc:  # PanicException derives from BaseException
            if isinstance(exc, KeyboardInterrupt):
                raise
            bad.append([name, value, type(exc).__name__, str(exc)[:200]])
print(json.dumps({{"ok": ok, "errors": errors, "bad": bad, "unnamed": unnamed}}))
"""


def run_worker(call: str, params: dict[str, str]) -> dict:
    env = dict(os.environ, CXMETRICS_NUM_THREADS="2")
    proc = subprocess.run(
        [sys.executable, "-c", WORKER.format(fixtures=textwrap.dedent(FIXTURES))],
        input=json.dumps([call, params, HOSTILE]),
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    if proc.returncode != 0:
        return {"crash": proc.returncode, "stderr": proc.stderr[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_hostile_argument_gives_a_result_or_a_cx_error(name: str) -> None:
    call, params = CALLS[name]
    outcome = run_worker(call, params)
    assert "crash" not in outcome, f"{name}: the process died ({outcome.get('crash')}): {outcome.get('stderr')}"
    assert outcome["ok"] + outcome["errors"] + len(outcome["bad"]) == len(params) * len(HOSTILE)
    assert not outcome["bad"], f"{name}: " + "\n".join(
        f"{param}={value}: {kind}: {message}" for param, value, kind, message in outcome["bad"]
    )
    # Every error names the parameter it is about (the test fails on a message that does not).
    assert not outcome["unnamed"], f"{name}: messages that do not name the parameter: " + "\n".join(
        f"{param}={value}: {kind}: {message}" for param, value, kind, message in outcome["unnamed"]
    )


def test_the_valid_calls_are_valid() -> None:
    """The baseline of each call returns (so a hostile value, not the baseline, is what fails)."""
    code = textwrap.dedent(FIXTURES) + "\n" + "\n".join(
        f"{call}(*[{', '.join(v for k, v in sorted(p.items()) if k.startswith('_'))}], "
        + ", ".join(f"{k}={v}" for k, v in p.items() if not k.startswith("_"))
        + ")"
        for call, p in CALLS.values()
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]

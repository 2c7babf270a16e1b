"""Issue 14 §2 "no panic, no abort, no hang", as classes: a second thread rewriting the array during
a call (GIL released) never makes a call panic; SIGINT stops long native calls within ~2 s; sizes
from arguments are bounded before allocating (in a subprocess under a 4 GB address-space limit)."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import cxmetrics as cx


def _calls():
    def grouped(a):
        import pandas as pd
        # copy=False: the frame must share `a`'s buffer (pandas 3 copies dict input by default)
        frame = pd.DataFrame({"g": np.arange(a.size) % 7, "s": a}, copy=False)
        assert np.shares_memory(frame["s"].to_numpy(), a)
        return cx.summarize(frame, by="g", nps="s")

    def trended(a):
        import pandas as pd
        at = pd.Timestamp("2025-01-01") + pd.to_timedelta(np.arange(a.size) % 90, unit="D")
        frame = pd.DataFrame({"at": at, "s": a}, copy=False)
        assert np.shares_memory(frame["s"].to_numpy(), a)
        return cx.trend(frame, time="at", nps="s")

    return {
        "nps": lambda a: cx.nps(a),
        "csat": lambda a: cx.csat(a, scale=(0, 10)),
        "mean_score": lambda a: cx.mean_score(a, scale=(0, 10)),
        "ScoreCounts.from_scores": lambda a: cx.ScoreCounts.from_scores(a, scale=(0, 10)),
        "weighted nps": lambda a: cx.nps(a, weights=np.ones(a.size), method="wald"),
        "summarize": grouped,
        "trend": trended,
    }


@pytest.mark.parametrize("name", list(_calls()))
def test_an_array_changed_during_a_call_never_panics(name):
    call = _calls()[name]
    a = np.full(400_000, 9.0)
    stop = threading.Event()

    def mutate():
        values = [9.0, 11.0, np.nan, 3.0, -1.0, 10.0]
        i = 0
        while not stop.is_set():
            a[np.random.randint(0, a.size, 64)] = values[i % len(values)]
            a[:] = 9.0 if i % 3 else a
            i += 1

    thread = threading.Thread(target=mutate)
    thread.start()
    outcomes: dict[str, int] = {}
    try:
        for _ in range(30):
            try:
                call(a)
                kind = "result"
            except cx.CxError as e:
                kind = type(e).__name__
            except BaseException as e:  # a PanicException is a BaseException
                if type(e).__name__ == "PanicException" or not isinstance(e, Exception):
                    raise AssertionError(f"{name}: {type(e).__name__}: {e}") from e
                raise
            outcomes[kind] = outcomes.get(kind, 0) + 1
    finally:
        stop.set()
        thread.join()
    print(f"{name}: {outcomes}")
    assert sum(outcomes.values()) == 30
    # every outcome is a result or a documented error of changed or invalid input
    assert set(outcomes) <= {"result", "InputChangedError", "InvalidScoreError", "MissingValueError",
                             "EmptyDataError", "IncomparableError", "InvalidWeightError"}, outcomes


SIGINT_SCRIPT = """
import sys, time, numpy as np, pandas as pd, cxmetrics as cx
print("ready", flush=True)
start = time.monotonic()
try:
    if sys.argv[1] == "bootstrap":
        s = np.arange(2_000_000) % 11
        cx.nps(s, weights=np.ones(s.size), method="bootstrap", n_resamples=10_000_000, seed=1)
    elif sys.argv[1] == "logistic":
        # Logistic dominance over 2^16 subsets of continuous drivers (minutes of work).
        rng = np.random.default_rng(1)
        x = rng.normal(size=(200_000, 16))
        df = pd.DataFrame(x, columns=[f"d{k}" for k in range(16)])
        df["y"] = (x[:, :4].sum(axis=1) + rng.logistic(size=len(df)) > 0).astype(float)
        cx.drivers(df, outcome="y", drivers=[f"d{k}" for k in range(16)])
    else:
        rng = np.random.default_rng(1)
        df = pd.DataFrame(rng.normal(size=(200_000, 6)), columns=list("abcdef"))
        df["y"] = df.sum(axis=1) + rng.normal(size=len(df))
        cx.drivers(df, outcome="y", drivers=list("abcdef"), bootstrap=1_000_000)
    print("finished", flush=True)
except KeyboardInterrupt:
    print("interrupted %.3f" % time.time(), flush=True)
"""


@pytest.mark.parametrize("kind", ["bootstrap", "drivers", "logistic"])
def test_sigint_stops_a_long_call(kind):
    p = subprocess.Popen([sys.executable, "-c", SIGINT_SCRIPT, kind], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    sent = time.time()
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=60)
    assert out.startswith("interrupted"), out
    latency = float(out.split()[1]) - sent
    print(f"{kind}: KeyboardInterrupt {latency:.3f} s after SIGINT")
    assert latency < 2.0, latency


BOUND_SCRIPT = """
import resource, sys, numpy as np, pandas as pd
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
import cxmetrics as cx
s = np.arange(1000) % 11
case = sys.argv[1]
try:
    if case.startswith("n_resamples="):
        cx.nps(s, method="bootstrap", n_resamples=int(case.split("=")[1]), seed=1)
    elif case.startswith("bayes="):
        cx.nps(s, method="bayes", n_resamples=int(case.split("=")[1]), seed=1)
    elif case.startswith("csat="):
        cx.csat(s % 5 + 1, method="bootstrap", n_resamples=int(case.split("=")[1]), seed=1)
    elif case.startswith("weighted="):
        cx.nps(s, weights=np.ones(s.size), method="bootstrap", n_resamples=int(case.split("=")[1]), seed=1)
    elif case.startswith("bootstrap="):
        df = pd.DataFrame({"a": s * 1.0, "b": (s * 7 % 5) * 1.0, "y": s * 2.0 + s % 3})
        cx.drivers(df, outcome="y", drivers=["a", "b"], bootstrap=int(case.split("=")[1]))
    elif case == "trend1970":
        at = pd.to_datetime(["2025-01-01"] * 999 + ["1970-01-01"]) + pd.to_timedelta(np.arange(1000) % 300, unit="D")
        df = pd.DataFrame({"at": at, "s": s, "g": np.arange(1000) % 50})
        out = cx.trend(df, time="at", nps="s", by="g", freq="day")
        print("result", len(out))
        sys.exit(0)
    elif case.startswith("threads"):
        print("result", cx.nps(np.arange(5_000_000) % 11).value)
        frame = pd.DataFrame({"g": np.arange(3_000_000) % 1000, "s": np.arange(3_000_000) % 11})
        print("result", len(cx.summarize(frame, by="g", nps="s")))
        sys.exit(0)
    elif case == "from_counts":
        c = cx.ScoreCounts.from_counts([2**63, 2**63, 1], scale=(0, 2))
        print("result", c.n)
        sys.exit(0)
    print("result")
except cx.CxError as e:
    print("error", type(e).__name__, e)
"""

BIG = [str(10**9), str(2**62), "-1", str(2**64)]


@pytest.mark.parametrize(
    "case",
    [f"{kind}={v}" for kind in ("n_resamples", "bayes", "csat", "weighted", "bootstrap") for v in BIG]
    + ["trend1970", "threads", "from_counts"],
)
def test_sizes_are_bounded_under_a_memory_limit(case):
    env = dict(os.environ)
    if case == "threads":
        env["CXMETRICS_NUM_THREADS"] = "5000"
    r = subprocess.run([sys.executable, "-c", BOUND_SCRIPT, case], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, (r.returncode, r.stderr[-2000:])
    out = r.stdout.strip()
    if case.startswith(("n_resamples", "bayes", "csat", "weighted", "bootstrap")):
        assert out.startswith("error InvalidParameterError"), out
        assert ("n_resamples" if not case.startswith("bootstrap") else "bootstrap") in out, out
    elif case == "from_counts":
        # counts of 2^63, 2^63 and 1 overflow the u64 total: a clear error, never a wrapped n
        assert out.startswith("error"), out
    else:
        assert out.startswith(("result", "error")), out


def test_huge_scales_are_a_clear_error():
    # a scale's width sizes the count table: bounded before allocating, never an abort
    for hi in (2**40, 2**62, 2**63 - 1):
        with pytest.raises(cx.CxError):
            cx.ScoreCounts.from_scores(np.array([1]), scale=(0, hi))

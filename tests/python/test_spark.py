"""The Spark recipes of docs/scale.md, run as written on a real local Spark (``local[2]``).

Each python block of the doc's "## Spark" section is executed with ``df`` bound to a Spark DataFrame;
its per-touchpoint ``report`` (and the ScoreCounts behind it) must equal ``cx.summarize`` on the same
data collected to one machine (``df.toPandas()``). Needs pyspark and a Java runtime
(``scripts/install_spark.sh``); skipped without them, unless ``CXMETRICS_REQUIRE_SPARK=1`` (CI), in
which case a missing pyspark or Java is an error.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxmetrics as cx

REQUIRED = os.environ.get("CXMETRICS_REQUIRE_SPARK") == "1"
if REQUIRED:
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:  # fail the whole module loudly: CI must run these tests
        raise RuntimeError(
            "CXMETRICS_REQUIRE_SPARK=1 but pyspark cannot be imported; run scripts/install_spark.sh"
        ) from exc
else:
    pytest.importorskip("pyspark")

pytestmark = pytest.mark.filterwarnings(
    # pyspark warns about pandas >= 3 on its pandas conversions; the results are checked here.
    "ignore:PySpark does not yet fully support pandas:FutureWarning",
    "ignore:The copy keyword is deprecated",
)

ROOT = Path(__file__).resolve().parents[2]
REL = 1e-12
N_ROWS = 4000
TOUCHPOINTS = ["web", "app", "store", "call_center", "email", "chat"]


def _spark_blocks() -> list[str]:
    """The python code blocks of the "## Spark" section of docs/scale.md, in order."""
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    start = text.index("\n## Spark\n")
    end = text.index("\n## ", start + 1)
    return re.findall(r"```python\n(.*?)```", text[start:end], flags=re.S)


BLOCKS = _spark_blocks()


def _block(*needles: str, absent: str | None = None) -> str:
    found = [b for b in BLOCKS if all(n in b for n in needles) and (absent is None or absent not in b)]
    assert len(found) == 1, f"docs/scale.md: expected one Spark block with {needles}, found {len(found)}"
    return found[0]


def _import_ipython_without_stdin() -> None:
    """pyspark imports IPython (when installed) to label call sites; with standard input closed,
    IPython's import reads ``sys.stdin.encoding``, which pytest's capture refuses. Import it once with
    a stand-in stdin so that pyspark's later import is a no-op."""
    saved = sys.stdin
    sys.stdin = io.StringIO()
    try:
        import IPython  # noqa: F401
    except ImportError:
        pass
    finally:
        sys.stdin = saved


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        if REQUIRED:
            pytest.fail("CXMETRICS_REQUIRE_SPARK=1 but no java on PATH; run scripts/install_spark.sh")
        pytest.skip("no Java runtime for Spark")
    if sys.__stdin__ is None:
        _import_ipython_without_stdin()
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("cxmetrics-test")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.pyspark.fallback.enabled", "false")
        # Python workers: this interpreter (so they import the cxmetrics under test), one counting
        # thread each (Spark already runs one task per core).
        .config("spark.pyspark.python", sys.executable)
        .config("spark.executorEnv.CXMETRICS_NUM_THREADS", "1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture(scope="module")
def data(spark):
    """A Spark DataFrame (5 partitions) and the same rows collected to one machine."""
    from pyspark.sql import functions as F

    rng = np.random.default_rng(20240611)
    # Unequal group sizes (one small touchpoint) and touchpoint-specific score distributions.
    tp = rng.choice(len(TOUCHPOINTS), size=N_ROWS, p=[0.3, 0.25, 0.2, 0.15, 0.08, 0.02])
    shift = np.array([2, 1, 0, -2, 0, 3])[tp]
    scores = np.clip(np.rint(rng.normal(7 + shift * 0.5, 2.5)), 0, 10)
    scores[rng.random(N_ROWS) < 0.06] = np.nan  # missing answers
    weights = np.exp(rng.normal(0.0, 0.6, N_ROWS))
    source = pd.DataFrame({"touchpoint": np.array(TOUCHPOINTS)[tp], "nps": scores, "w": weights})
    sdf = (
        spark.createDataFrame(source)
        .withColumn("nps", F.col("nps").cast("int"))  # NaN -> null on the way in; integer scores
        .repartition(5)
        .cache()
    )
    assert sdf.count() == N_ROWS
    assert sdf.rdd.getNumPartitions() == 5
    assert dict(sdf.dtypes) == {"touchpoint": "string", "nps": "int", "w": "double"}
    assert sdf.filter(F.col("nps").isNull()).count() > 0
    collected = sdf.toPandas()
    yield sdf, collected
    sdf.unpersist()


def _run(block: str, df) -> dict:
    # A module name that is not importable: cloudpickle ships the block's functions by value.
    namespace = {"__name__": "scale_md_spark", "df": df}
    exec(compile(block, "docs/scale.md (Spark)", "exec"), namespace)
    return namespace


def _check_against_summarize(report: dict, collected: pd.DataFrame, weights: str | None = None) -> None:
    table = cx.summarize(collected, by="touchpoint", nps="nps", weights=weights, min_n=1)
    rows = table[table["touchpoint"].notna()].set_index("touchpoint")
    assert sorted(report) == sorted(TOUCHPOINTS) == sorted(rows.index)
    for tp, est in report.items():
        want = rows.loc[tp]
        assert est.weighted is (weights is not None)
        assert est.n == want["n"], tp
        assert est.n_missing == want["n_missing"], tp
        for field in ("value", "lower", "upper", "std_error", "effective_n"):
            got, ref = getattr(est, field), float(want[field])
            assert got == pytest.approx(ref, rel=REL, abs=1e-12), (tp, field, got, ref)
        assert math.isfinite(est.value)


def _check_counts(counts: dict, collected: pd.DataFrame, weights: str | None = None) -> None:
    for tp, rows in collected.groupby("touchpoint"):
        w = None if weights is None else rows[weights].to_numpy()
        want = cx.ScoreCounts.from_scores(rows["nps"].to_numpy(), weights=w)
        got = counts[tp]
        assert got.counts == want.counts, tp
        assert (got.n, got.n_missing, got.weighted) == (want.n, want.n_missing, want.weighted), tp
        assert got.total_weight == pytest.approx(want.total_weight, rel=REL), tp
        if weights is None:
            assert got == want, tp


def test_doc_has_the_five_recipes():
    assert len(BLOCKS) == 5
    assert 'df.groupBy("touchpoint", "nps").count()' in _block("from_counts", absent="weight_sums")


def test_groupby_count_recipe_as_documented(data):
    df, collected = data
    ns = _run(_block("from_counts", absent="weight_sums"), df)
    _check_counts(ns["counts"], collected)
    _check_against_summarize(ns["report"], collected)
    # and exactly what cx.nps gives on each touchpoint's collected rows
    for tp, rows in collected.groupby("touchpoint"):
        assert ns["report"][tp] == cx.nps(rows["nps"])


def test_map_in_arrow_recipe_as_documented(data):
    df, collected = data
    ns = _run(_block("mapInArrow", absent="weights="), df)
    # one ScoreCounts per (partition, touchpoint) came back and was merged on the driver
    assert len(ns["parts"]) > len(TOUCHPOINTS)
    assert max(len(cs) for cs in ns["merged"].values()) == df.rdd.getNumPartitions()
    _check_counts({tp: sum(cs) for tp, cs in ns["merged"].items()}, collected)
    _check_against_summarize(ns["report"], collected)


def test_apply_in_pandas_recipe_as_documented(data):
    df, collected = data
    ns = _run(_block("applyInPandas"), df)
    assert len(ns["parts"]) > len(TOUCHPOINTS)
    _check_counts({tp: sum(cs) for tp, cs in ns["merged"].items()}, collected)
    _check_against_summarize(ns["report"], collected)


def test_weighted_groupby_recipe_as_documented(data):
    df, collected = data
    ns = _run(_block("weight_sums"), df)
    assert all(c.weighted for c in ns["counts"].values())
    _check_counts(ns["counts"], collected, weights="w")
    _check_against_summarize(ns["report"], collected, weights="w")
    # the weight sums are Spark's, equal to the rows' up to summation order
    for tp, rows in collected.groupby("touchpoint"):
        want = cx.ScoreCounts.from_scores(rows["nps"].to_numpy(), weights=rows["w"].to_numpy())
        assert ns["counts"][tp].weight_sums == pytest.approx(want.weight_sums, rel=REL)
        assert ns["counts"][tp].weight_sq_sums == pytest.approx(want.weight_sq_sums, rel=REL)


def test_weighted_recipe_as_documented(data):
    df, collected = data
    ns = _run(_block("mapInArrow", "weights="), df)
    merged = {tp: sum(cs) for tp, cs in ns["merged"].items()}
    assert all(c.weighted for c in merged.values())
    _check_counts(merged, collected, weights="w")
    _check_against_summarize(ns["report"], collected, weights="w")
    # the weighted estimate is not the unweighted one (the weights matter in this data)
    plain = cx.summarize(collected, by="touchpoint", nps="nps", min_n=1).set_index("touchpoint")
    assert any(abs(ns["report"][tp].value - plain.loc[tp, "value"]) > 0.1 for tp in TOUCHPOINTS)

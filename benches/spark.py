"""Times the Spark recipes of docs/scale.md on a local Spark, against cx.summarize on one machine.

    python benches/spark.py                      # 10^7 rows, local[2], median of 3 runs per step
    python benches/spark.py --rows 1000000 --repeat 1 --batch-rows 10000

Writes a synthetic survey table (touchpoint, nps 0-10 with 3% null, weight w) as Parquet with Spark,
then runs each python block of the "## Spark" section of docs/scale.md on `spark.read.parquet(...)`
exactly as written, plus baselines that split the cost: an empty job, a JVM-only scan, the Arrow
transfer to the Python workers, the conversion to pandas there, and collecting everything to the
driver; the steps that move Arrow batches once per value of `--batch-rows`
(`spark.sql.execution.arrow.maxRecordsPerBatch`). Every step runs once untimed (JVM JIT), then
`--repeat` times; the table gives the median seconds. Needs pyspark and Java
(scripts/install_spark.sh). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOUCHPOINTS = ["web", "app", "store", "call_center", "email", "chat", "delivery", "social_media"]


def spark_blocks() -> list[str]:
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    start = text.index("\n## Spark\n")
    end = text.index("\n## ", start + 1)
    return re.findall(r"```python\n(.*?)```", text[start:end], flags=re.S)


def pick(blocks: list[str], *needles: str, absent: str | None = None) -> str:
    found = [b for b in blocks if all(n in b for n in needles) and (absent is None or absent not in b)]
    assert len(found) == 1, needles
    return found[0]


def run_block(block: str, df) -> dict:
    namespace = {"__name__": "scale_md_spark", "df": df}
    exec(compile(block, "docs/scale.md (Spark)", "exec"), namespace)
    return namespace


def timed(repeat: int, fn) -> tuple[float, float, object]:
    """Median and best seconds of `repeat` runs, after one untimed warm-up run."""
    fn()
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10**7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--files", type=int, default=8, help="Parquet files written")
    parser.add_argument("--driver-memory", default="8g")
    parser.add_argument(
        "--batch-rows",
        default="10000,100000",
        help="values of spark.sql.execution.arrow.maxRecordsPerBatch for the Arrow steps (comma-separated)",
    )
    args = parser.parse_args()
    batch_sizes = [int(b) for b in args.batch_rows.split(",")]
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    warnings.filterwarnings("ignore", message="The copy keyword is deprecated")

    import pandas as pd
    import pyarrow as pa
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    import cxmetrics as cx

    spark = (
        SparkSession.builder.master(args.master)
        .appName("cxmetrics-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.memory", args.driver_memory)
        .config("spark.sql.shuffle.partitions", str(args.files))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.pyspark.fallback.enabled", "false")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.executorEnv.CXMETRICS_NUM_THREADS", "1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    blocks = spark_blocks()
    recipes = [
        ("groupBy(touchpoint, nps).count() + from_counts", pick(blocks, "from_counts", absent="weight_sums")),
        ("mapInArrow, ScoreCounts per partition", pick(blocks, "mapInArrow", absent="weights=")),
        ("applyInPandas per (touchpoint, partition)", pick(blocks, "applyInPandas")),
        ("weighted groupBy: count, sum(w), sum(w*w) + from_counts", pick(blocks, "weight_sums")),
        ("weighted mapInArrow", pick(blocks, "mapInArrow", "weights=")),
    ]

    def noop_arrow(batches):
        n = 0
        for batch in batches:
            n += batch.num_rows
        yield pa.RecordBatch.from_arrays([pa.array([n], pa.int64())], names=["n"])

    def to_pandas_only(batches):
        n = 0
        for batch in batches:
            n += len(batch.to_pandas())
        yield pa.RecordBatch.from_arrays([pa.array([n], pa.int64())], names=["n"])

    def timed_counting(batches):
        # The mapInArrow recipe's work, the seconds spent in it (to_pandas, groupby, from_scores,
        # merging) told apart from the seconds spent waiting for the next batch.
        acc, busy, wait = {}, 0.0, 0.0
        t = time.perf_counter()
        for batch in batches:
            t1 = time.perf_counter()
            wait += t1 - t
            for tp, rows in batch.to_pandas().groupby("touchpoint"):
                c = cx.ScoreCounts.from_scores(rows["nps"].to_numpy())
                acc[tp] = acc[tp] + c if tp in acc else c
            t = time.perf_counter()
            busy += t - t1
        yield pa.RecordBatch.from_arrays(
            [pa.array([busy], pa.float64()), pa.array([wait], pa.float64())], names=["busy", "wait"]
        )

    with tempfile.TemporaryDirectory(prefix="cxmetrics-spark-") as tmp:
        path = os.path.join(tmp, "responses.parquet")
        t0 = time.perf_counter()
        tp_array = F.array(*[F.lit(t) for t in TOUCHPOINTS])
        u = F.rand(2)
        score = (
            F.when(u < 0.03, F.lit(None))
            .when(u < 0.20, F.floor(F.rand(3) * 7))  # detractors 0-6
            .when(u < 0.50, F.floor(F.rand(4) * 2) + 7)  # passives 7-8
            .otherwise(F.floor(F.rand(5) * 2) + 9)  # promoters 9-10
        )
        (
            spark.range(args.rows, numPartitions=args.files)
            .select(
                F.element_at(tp_array, (F.floor(F.rand(1) * len(TOUCHPOINTS)) + 1).cast("int")).alias("touchpoint"),
                score.cast("int").alias("nps"),
                F.exp(F.randn(6) * 0.5).alias("w"),
            )
            .write.parquet(path)
        )
        generate = time.perf_counter() - t0
        df = spark.read.parquet(path)
        n_parts = df.rdd.getNumPartitions()
        size_mb = sum(f.stat().st_size for f in Path(path).glob("*.parquet")) / 1e6

        pairs = df.select("touchpoint", "nps")
        steps = [  # (name, function, whether the Arrow batch size applies)
            ("empty job (1 row, groupBy + count)", lambda: spark.range(1).groupBy("id").count().collect(), False),
            ("empty Python job (1 row, mapInArrow)", lambda: spark.range(1).mapInArrow(noop_arrow, "n long").collect(), False),
            ("JVM scan: count(nps), no Python", lambda: df.select(F.count("nps")).collect(), False),
            ("Arrow to Python workers (no-op mapInArrow)", lambda: pairs.mapInArrow(noop_arrow, "n long").collect(), True),
            ("Arrow to workers + batch.to_pandas()", lambda: pairs.mapInArrow(to_pandas_only, "n long").collect(), True),
            (
                "mapInArrow recipe, timed inside the workers",
                lambda: pairs.mapInArrow(timed_counting, "busy double, wait double").collect(),
                True,
            ),
        ]
        steps += [
            (name, lambda block=block: run_block(block, df)["report"], "from_counts" not in block)
            for name, block in recipes
        ]
        steps.append(("collect to the driver: toPandas()", lambda: df.toPandas(), True))

        table: dict[str, dict[int, float]] = {}
        outputs: dict[str, object] = {}
        inside: dict[int, tuple[float, float]] = {}
        for i, batch in enumerate(batch_sizes):
            spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch))
            for name, fn, arrow in steps:
                if not arrow and i > 0:
                    continue
                median, best, outputs[name] = timed(args.repeat, fn)
                table.setdefault(name, {})[batch] = median
                print(f"  batch {batch}: {name}: median {median:.3f} s, best {best:.3f} s", file=sys.stderr, flush=True)
            rows = outputs["mapInArrow recipe, timed inside the workers"]
            inside[batch] = (sum(r["busy"] for r in rows) / n_parts, sum(r["wait"] for r in rows) / n_parts)
        pdf = outputs["collect to the driver: toPandas()"]
        plain, weighted = "cx.summarize(pdf, by=touchpoint, nps=nps)", "cx.summarize(..., weights=w)"
        for name, fn in (
            (plain, lambda: cx.summarize(pdf, by="touchpoint", nps="nps")),
            (weighted, lambda: cx.summarize(pdf, by="touchpoint", nps="nps", weights="w")),
        ):
            median, best, outputs[name] = timed(args.repeat, fn)
            table[name] = {batch_sizes[0]: median}

        # The recipes agree with the one-machine report (as tests/python/test_spark.py checks).
        for summary, names in ((outputs[plain], recipes[:3]), (outputs[weighted], recipes[3:])):
            rows = summary[summary["touchpoint"].notna()].set_index("touchpoint")
            for name, _ in names:
                for tp, est in outputs[name].items():
                    assert est.n == rows.loc[tp, "n"], (name, tp)
                    assert abs(est.value - rows.loc[tp, "value"]) <= 1e-9 * max(1.0, abs(est.value)), (name, tp)

    spark.stop()
    print(
        f"{args.rows:,} rows, {len(TOUCHPOINTS)} touchpoints, {args.master}, {os.cpu_count()} cores, "
        f"{n_parts} Parquet partitions ({size_mb:.0f} MB; generated in {generate:.1f} s), median of "
        f"{args.repeat} runs after one warm-up run; pyspark {__import__('pyspark').__version__}, "
        f"pandas {pd.__version__}, cxmetrics {cx.__version__}"
    )
    for batch, (busy, wait) in inside.items():
        print(
            f"Arrow batches of {batch} rows: each mapInArrow task spent {busy:.2f} s in the Python function "
            f"(to_pandas + groupby + ScoreCounts) and {wait:.2f} s waiting for batches (mean of {n_parts} tasks)"
        )
    heads = [f"s, batches of {b}" for b in batch_sizes]
    width = max(len(name) for name in table)
    print(f"| {'step':<{width}} | " + " | ".join(heads) + " |")
    print(f"|{'-' * (width + 2)}|" + "|".join("-" * (len(h) + 1) + ":" for h in heads) + "|")
    for name, by_batch in table.items():
        cells = [(f"{by_batch[b]:.2f}" if b in by_batch else "").rjust(len(h)) for b, h in zip(batch_sizes, heads)]
        print(f"| {name:<{width}} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

"""The Rust example service (examples/service.rs, issue 17): JSON Lines on stdin, per-touchpoint
accumulators on several threads, a JSON report. Its figures must be those of the Python API on the
same file: every record accounted for, the same rejected lines, the same NPS and CSAT per
touchpoint, whatever the number of threads."""

import csv
import json
import os
import pathlib
import shutil
import subprocess

import numpy as np
import pytest

import cxmetrics as cx
from cxmetrics.demo import data_path

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Builds a Rust example with cargo: not part of the suite run against an installed wheel.
pytestmark = [pytest.mark.source_tree, pytest.mark.skipif(shutil.which("cargo") is None, reason="needs cargo")]


@pytest.fixture(scope="module")
def service() -> pathlib.Path:
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--example", "service"], cwd=ROOT, check=True, timeout=1200
    )
    return ROOT / "target" / "release" / "examples" / "service"


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("service") / "responses.jsonl"
    rows = list(csv.DictReader(open(data_path())))
    with open(path, "w", newline="") as f:
        for i, r in enumerate(rows):
            d = {k: v for k, v in r.items() if v != ""}
            for k in ("nps", "csat", "ces", "repurchase_intention"):
                if k in d:
                    d[k] = int(d[k])
            if i == 10:
                d["nps"] = 11
            if i == 20:
                f.write("{not json\n")
            if i == 30:
                d["recorded_at"] = "yesterday"
            if i == 40:
                f.write("\n")
            f.write(json.dumps(d) + ("\r\n" if i % 2 else "\n"))
    return path


@pytest.mark.parametrize("threads", [1, 3, 8])
def test_the_service_report_matches_the_python_api(service, jsonl, threads):
    out = subprocess.run(
        [str(service)],
        stdin=open(jsonl, "rb"),
        capture_output=True,
        env=dict(os.environ, CXMETRICS_EXAMPLE_THREADS=str(threads)),
        check=True,
        timeout=120,
    )
    report = json.loads(out.stdout)
    read = cx.read_responses(jsonl)
    assert report["n_records"] == read.n_records == report["n_responses"] + report["n_rejected"]
    assert report["n_rejected"] == read.n_rejected == 3
    assert report["n_blank"] == read.n_blank == 1
    assert [r["line"] for r in report["rejected"]] == sorted(set(read.rejected["line"]))
    assert sum(report["rejected_by_field"].values()) == len(read.rejected)
    data = read.data
    keys = sorted(data["touchpoint"].unique())
    assert [t["touchpoint"] for t in report["touchpoints"]] == keys
    for row in report["touchpoints"]:
        part = data[data["touchpoint"] == row["touchpoint"]]
        nps = cx.nps(part["nps"])
        csat = cx.csat(part["csat"])
        for got, want in ((row["nps"], nps), (row["csat"], csat)):
            e = got["estimate"]
            assert got["n"] == want.n and got["n_missing"] == want.n_missing
            np.testing.assert_allclose([e["value"], e["lower"], e["upper"]], [want.value, want.lower, want.upper], rtol=0, atol=1e-12)

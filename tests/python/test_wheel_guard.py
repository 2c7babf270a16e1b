"""The guard of the suite run against an installed wheel (conftest.py, CXMETRICS_WHEEL_TEST=1) refuses
a run that would not test the wheel: here, in the development environment, cxmetrics comes from the
source tree and cargo is on PATH, so the guard must stop pytest with a usage error naming both."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import cxmetrics

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Runs in the source run only: against the installed wheel the guard passes by construction.
pytestmark = pytest.mark.source_tree


def test_the_wheel_guard_refuses_the_source_tree() -> None:
    if "site-packages" in pathlib.Path(cxmetrics.__file__).resolve().parts and shutil.which("cargo") is None:
        pytest.skip("this environment has cxmetrics installed and no Rust: the guard would rightly pass")
    env = dict(os.environ, CXMETRICS_WHEEL_TEST="1", CXMETRICS_SOURCE_TREE=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/python/test_known_answers.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR, out
    assert "CXMETRICS_WHEEL_TEST=1 but" in out
    if shutil.which("cargo"):
        assert "cargo is on PATH" in out
    assert "inside the source tree" in out or "not from an installed wheel" in out

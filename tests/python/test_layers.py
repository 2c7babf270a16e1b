"""The layering check (scripts/layers.py) passes on the crate and fails on an upward dependency or a
cycle, so it cannot pass by accident."""

import pathlib
import shutil
import subprocess
import sys

import pytest

# Reads src/ and scripts/: not part of the suite run against an installed wheel.
pytestmark = pytest.mark.source_tree

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "layers.py"


def run(src: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(src)], capture_output=True, text=True)


def test_the_crate_has_no_upward_dependency() -> None:
    r = run(ROOT / "src")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "none runs back up the layers" in r.stdout


def test_an_upward_dependency_fails(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src", src)
    f = src / "interval" / "resampling.rs"
    f.write_text("use crate::indicator::nps::nps;\n" + f.read_text())
    r = run(src)
    assert r.returncode == 1
    assert "interval (layer 2) depends on indicator (layer 3)" in r.stdout


def test_a_cycle_within_a_layer_fails(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src", src)
    (src / "estimate.rs").write_text("use crate::indicator::nps::nps;\n" + (src / "estimate.rs").read_text())
    (src / "indicator" / "mod.rs").write_text("use crate::estimate::Estimate;\n" + (src / "indicator" / "mod.rs").read_text())
    r = run(src)
    assert r.returncode == 1
    assert "depend on each other" in r.stdout

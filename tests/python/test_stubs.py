"""The type stubs of the native module match the runtime (mypy.stubtest)."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import cxmetrics as cx
from cxmetrics import _native


def test_stubtest(tmp_path):
    pytest.importorskip("mypy")
    # Run from a temporary directory so mypy's cache does not land in the repository.
    proc = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "cxmetrics._native"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_public_functions_are_in_stub_and_all():
    for name in ("nps", "nps_from_counts", "top_box", "top_box_from_counts", "mean_score", "Estimate", "__version__"):
        assert hasattr(_native, name), name
    for name in cx.__all__:
        assert hasattr(cx, name), name
    assert isinstance(cx.__version__, str) and cx.__version__


def test_wrappers_are_keyword_only_after_data():
    # The public API takes options as keywords only (the README/METHODS examples rely on it).
    for fn, positional in (
        (cx.nps, 1),
        (cx.top_box, 1),
        (cx.csat, 1),
        (cx.ces, 1),
        (cx.mean_score, 1),
        (cx.nps_from_counts, 3),
        (cx.top_box_from_counts, 2),
    ):
        params = list(inspect.signature(fn).parameters.values())
        assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params[:positional]), fn.__name__
        assert all(p.kind is p.KEYWORD_ONLY for p in params[positional:]), fn.__name__
    with pytest.raises(TypeError):
        cx.nps([10, 9], None, "wald")  # type: ignore[misc]

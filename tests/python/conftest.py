"""Shared helpers for the cxmetrics pytest suite.

Conventions checked throughout: NPS in points (-100..100), shares in percent (0..100), means in the
scale's units. Reference values computed outside the project are hard-coded in the test modules, each
with a comment naming the tool that produced it (see tests/references/REFERENCES.md, originally
/tmp/refs/REFERENCES.md).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

# Relative tolerance for comparisons with external references (the brief asks for at least 1e-9).
REL = 1e-9
# Absolute slack (in the reported unit: points / percent / scale units) for references that are 0:
# statsmodels returns e.g. 2.8e-15 instead of an exact 0 for some Wilson limits.
ABS = 1e-12

# Exact standard normal quantiles (mpmath, 20 digits; REFERENCES.md section 5).
Z95 = 1.9599639845400542355


def approx(ref: float, rel: float = REL, abs: float = ABS):  # noqa: A002 - mirrors pytest.approx
    return pytest.approx(ref, rel=rel, abs=abs)


def nps_scores(detractors: int, passives: int, promoters: int, seed: int | None = None) -> np.ndarray:
    """0-10 scores with the given category counts.

    Without ``seed`` the scores are 0 / 7 / 10; with a seed each respondent gets a random point of
    their category (0-6, 7-8, 9-10) and the order is shuffled, which exercises the category cut-offs.
    """
    if seed is None:
        return np.repeat(np.array([0, 7, 10], dtype=np.int64), [detractors, passives, promoters])
    rng = np.random.default_rng(seed)
    out = np.concatenate(
        [
            rng.integers(0, 7, detractors),
            rng.integers(7, 9, passives),
            rng.integers(9, 11, promoters),
        ]
    )
    rng.shuffle(out)
    return out


def share_scores(successes: int, n: int, scale: tuple[int, int] = (1, 5), top: int = 2) -> np.ndarray:
    """Scores on ``scale`` with exactly ``successes`` answers in the top ``top`` points."""
    lo, hi = scale
    top_points = np.arange(hi - top + 1, hi + 1)
    other_points = np.arange(lo, hi - top + 1)
    s = np.resize(top_points, successes)
    f = np.resize(other_points, n - successes)
    return np.concatenate([s, f]).astype(np.int64)


def _is_outcome(exc: BaseException) -> bool:
    """pytest's own skip/fail/xfail outcomes derive from BaseException: those are fine."""
    from _pytest.outcomes import OutcomeException

    return isinstance(exc, (OutcomeException, KeyboardInterrupt, SystemExit, GeneratorExit))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Turn any Rust panic (pyo3 PanicException, a BaseException) or other non-Exception escape into a
    test failure with a clear message: the library must never panic on user input."""
    try:
        return (yield)
    except BaseException as exc:  # noqa: BLE001
        if type(exc).__name__ == "PanicException" or (not isinstance(exc, Exception) and not _is_outcome(exc)):
            raise AssertionError(
                f"cxmetrics raised {type(exc).__module__}.{type(exc).__name__} (not an Exception subclass): {exc}"
            ) from exc
        raise


# --- the suite against an installed wheel (scripts/wheel_test.sh) -----------------------------------
# With CXMETRICS_WHEEL_TEST=1 the suite runs from a copy of tests/, docs/, examples/ and the README in
# a fresh virtual environment where cxmetrics is the installed wheel. The checks below make that
# claim true rather than assumed: cxmetrics must come from site-packages, nothing on sys.path may lie
# inside the source tree (CXMETRICS_SOURCE_TREE), and no Rust toolchain may be on PATH. Tests marked
# ``source_tree`` (they read src/ or build with cargo) are deselected there and run in the source run.
WHEEL_TEST = os.environ.get("CXMETRICS_WHEEL_TEST") == "1"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _check_installed_wheel() -> str:
    import cxmetrics

    where = Path(cxmetrics.__file__).resolve()
    problems = []
    if "site-packages" not in where.parts:
        problems.append(f"cxmetrics is imported from {where}, not from an installed wheel in site-packages")
    source = os.environ.get("CXMETRICS_SOURCE_TREE")
    if source:
        root = Path(source).resolve()
        if _inside(where, root):
            problems.append(f"cxmetrics is imported from the source tree ({where})")
        problems += [f"sys.path holds {p!r}, inside the source tree" for p in sys.path if p and _inside(Path(p), root)]
        if _inside(Path.cwd(), root):
            problems.append(f"the suite runs from {Path.cwd()}, inside the source tree")
    problems += [f"{tool} is on PATH ({shutil.which(tool)})" for tool in ("cargo", "rustc", "rustup") if shutil.which(tool)]
    if problems:
        raise pytest.UsageError("CXMETRICS_WHEEL_TEST=1 but:\n  " + "\n  ".join(problems))
    return str(where.parent)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "source_tree: reads the repository's sources or builds with cargo; not run against an installed wheel"
    )
    if WHEEL_TEST:
        config._cxmetrics_installed_at = _check_installed_wheel()


def pytest_report_header(config):
    if WHEEL_TEST:
        return f"cxmetrics: the installed wheel at {config._cxmetrics_installed_at} (no Rust toolchain on PATH)"
    return None


def pytest_collection_modifyitems(config, items):
    if not WHEEL_TEST:
        return
    kept = [item for item in items if item.get_closest_marker("source_tree") is None]
    dropped = [item for item in items if item.get_closest_marker("source_tree") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept

"""The native module never imports the package: loaded on its own it computes, and it raises the
package's classes only through the hooks the package installs at import (cxmetrics/_hooks.py)."""

import subprocess
import sys

import cxmetrics as cx
from cxmetrics import _native

STANDALONE = r"""
import importlib.machinery, importlib.util, sys
spec = importlib.util.spec_from_file_location(
    "_native", sys.argv[1], loader=importlib.machinery.ExtensionFileLoader("_native", sys.argv[1])
)
native = importlib.util.module_from_spec(spec)
spec.loader.exec_module(native)
e = native.nps([10, 9, 0, 7], None, None, 0.95, "omit")
print("value", e.value)
try:
    native.nps([11], None, None, 0.95, "omit")
except ValueError as err:
    print("error", type(err).__name__, err)
try:
    native.ScoreCounts.from_scores([1, 2])
except RuntimeError as err:
    print("runtime", err)
print("imported", sorted(m for m in sys.modules if m.split(".")[0] == "cxmetrics"))
"""


def test_the_native_module_loaded_alone_imports_nothing_of_the_package() -> None:
    r = subprocess.run(
        [sys.executable, "-c", STANDALONE, _native.__file__], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "value 25.0"
    # Without the hooks a core error is a plain ValueError with the same message.
    assert lines[1].startswith("error ValueError ") and "11" in lines[1]
    assert lines[2].startswith("runtime ") and "without the cxmetrics package" in lines[2]
    assert lines[3] == "imported []"


def test_with_the_package_errors_are_its_classes() -> None:
    try:
        _native.nps([11], None, None, 0.95, "omit")
    except cx.InvalidScoreError as err:
        assert err.code == "score_out_of_range"
    else:
        raise AssertionError("no error")


def test_install_hooks_refuses_an_incomplete_set() -> None:
    import pytest

    with pytest.raises(TypeError, match="no class CxError"):
        _native.install_hooks({}, None, print)
    with pytest.raises(TypeError, match="not a ValueError subclass"):
        _native.install_hooks({name: KeyError for name in cx._errors.__all__}, None, print)

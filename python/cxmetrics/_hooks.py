"""What the package lends the native module, handed over once at import.

The native module (``cxmetrics._native``) never imports the package: it raises the package's
exception classes (:mod:`cxmetrics._errors`), converts arguments with its one conversion of each
kind (:mod:`cxmetrics._convert`) and draws through :mod:`cxmetrics.plot` (imported only when a plot
is drawn, so matplotlib stays optional), all through the references installed here.
"""

from __future__ import annotations

from typing import Any

from . import _convert, _errors, _native


def _plot(function: str, obj: Any, ax: Any) -> Any:
    """Draws ``obj`` with ``cxmetrics.plot.<function>`` on ``ax``; returns the Axes."""
    from . import plot

    return getattr(plot, function)(obj, ax=ax)


_native.install_hooks({name: getattr(_errors, name) for name in _errors.__all__}, _convert, _plot)

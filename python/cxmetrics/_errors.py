"""The exception hierarchy of cxmetrics.

Every error the package raises on bad input is a :class:`CxError`, itself a :class:`ValueError`
(wrong *types* raise :class:`InvalidInputError`, which is also a :class:`TypeError`). Messages name the
offending value and its position, and say how to fix the problem.
"""

from __future__ import annotations

__all__ = [
    "CxError",
    "InvalidScoreError",
    "MissingValueError",
    "EmptyDataError",
    "InvalidWeightError",
    "LengthMismatchError",
    "InvalidConfidenceError",
    "UnknownMethodError",
    "UnsupportedMethodError",
    "InvalidScaleError",
    "InvalidCountsError",
    "InvalidInputError",
    "IncomparableError",
    "InvalidPValueError",
    "InvalidPlanningError",
    "InvalidRecordError",
    "InvalidFileError",
    "InvalidDriversError",
    "InvalidParameterError",
    "InputChangedError",
]


class CxError(ValueError):
    """Base class of every cxmetrics error."""

    #: A stable code naming the kind of error (the Rust core's ``Error::code()``, e.g.
    #: ``"score_out_of_range"``; ``"invalid_input"`` for an argument of the wrong type). Unlike the
    #: message it never changes between versions. Errors from the core set it on the instance; each
    #: class has a default.
    code: str = "cx_error"


class InvalidScoreError(CxError):
    """A score is outside the scale or not a whole number (message names value and position)."""

    code: str = "score_out_of_range"


class MissingValueError(CxError):
    """A missing score was found with ``nan_policy="raise"``."""

    code: str = "missing_value"


class EmptyDataError(CxError):
    """No usable responses (empty or all missing), or too few for the statistic."""

    code: str = "empty_data"


class InvalidWeightError(CxError):
    """A weight is negative, NaN or infinite, or all weights are zero."""

    code: str = "invalid_weight"


class LengthMismatchError(CxError):
    """Scores and weights have different lengths."""

    code: str = "length_mismatch"


class InvalidConfidenceError(CxError):
    """The confidence level is not strictly between 0 and 1."""

    code: str = "invalid_confidence"


class UnknownMethodError(CxError):
    """An interval method (or policy) name is not known; the message lists the valid ones."""

    code: str = "unknown_method"


class UnsupportedMethodError(CxError):
    """The method has no weighted form; the message lists the methods that accept weights."""

    code: str = "method_not_weighted"


class InvalidScaleError(CxError):
    """The scale or top-box size is invalid, or the indicator needs another scale."""

    code: str = "invalid_scale"


class InvalidCountsError(CxError):
    """Counts given directly are inconsistent, or accumulators cannot be merged."""

    code: str = "invalid_counts"


class InvalidInputError(CxError, TypeError):
    """The input is not of a usable type (strings, booleans, dates, 2-D arrays...)."""

    code: str = "invalid_input"


class IncomparableError(CxError):
    """Two estimates cannot be compared (different indicators, scales or confidence levels), or a
    target is outside the indicator's range."""

    code: str = "not_comparable"


class InvalidPValueError(CxError):
    """A p-value is NaN or outside [0, 1] (the message names it and its position)."""

    code: str = "invalid_p_value"


class InvalidPlanningError(CxError):
    """Sample-size planning inputs are invalid (margin, power, expected shares, sd, population)."""

    code: str = "invalid_planning"


class InvalidRecordError(CxError):
    """A record of a file (or a field of a response) is invalid; raised by ``read_responses(...,
    strict=True)`` at the first one. ``line`` (``None`` outside files; the CSV header is line 1),
    ``field``, ``value`` and ``reason`` say where and why."""

    code: str = "invalid_record"

    def __init__(
        self,
        message: str,
        line: int | None = None,
        field: str | None = None,
        value: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.line = line
        self.field = field
        self.value = value
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (type(self), (str(self), self.line, self.field, self.value, self.reason))


class InvalidFileError(CxError):
    """A file cannot be read as responses: it is empty, its header lacks a required column or
    repeats one. (A file that cannot be opened raises the usual ``OSError``, e.g.
    ``FileNotFoundError``.)"""

    code: str = "read"


class InvalidDriversError(CxError):
    """A driver (or the outcome) is constant, or some drivers are perfectly collinear; the message
    names them."""

    code: str = "constant_driver"


class InvalidParameterError(CxError):
    """An argument of a call is invalid (``n_resamples``, ``prior``, ``window``, ``top``, a driver
    name...): not a bad record of a file, a bad value passed by the caller. ``parameter`` names the
    argument, ``value`` is the value given (as text) and ``reason`` says what is accepted."""

    code: str = "invalid_parameter"

    def __init__(
        self,
        message: str,
        parameter: str | None = None,
        value: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.value = value
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (type(self), (str(self), self.parameter, self.value, self.reason))


class InputChangedError(CxError):
    """The data changed while a call was reading it: another thread wrote to the array (the calls run
    without the GIL). Nothing was computed from the inconsistent data; pass a copy, or do not modify
    an array while a call reads it."""

    code: str = "input_changed"
